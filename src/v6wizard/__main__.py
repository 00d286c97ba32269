"""`python -m v6wizard` runs the CLI."""

from v6wizard.cli import main

main()
