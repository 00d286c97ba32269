"""The package as a user gets it: a wheel that ships its styles, and a CLI that starts fast."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HELP_PROBE = """
import sys
sys.argv = ["v6wizard", "--help"]
from v6wizard.cli import main
try:
    main()
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
print("HEAVY=" + ",".join(sorted(m for m in ("boto3", "botocore", "textual", "moto", "pydantic") if m in sys.modules)))
"""


def test_help_imports_neither_boto3_nor_textual_nor_pydantic() -> None:
    result = subprocess.run([sys.executable, "-c", HELP_PROBE], capture_output=True, text=True, timeout=60, check=True)
    assert "Commands:" in result.stdout
    assert "plan" in result.stdout and "demo" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


FIRST_FRAME_PROBE = """
import sys
import v6wizard.cli, v6wizard.aws.target, v6wizard.tui.app
print("HEAVY=" + ",".join(sorted(m for m in ("boto3", "botocore", "pydantic", "moto") if m in sys.modules)))
"""


def test_the_wizard_s_first_frame_imports_neither_boto3_nor_pydantic() -> None:
    # What `bench/bench_tui.py` checks before it times the first frame: the app's modules leave
    # the AWS SDK and the models to the connect worker, so the Start screen paints without them.
    result = subprocess.run([sys.executable, "-c", FIRST_FRAME_PROBE], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it, without its dependencies, into a fresh virtualenv.

    The dependencies come from this test run's site-packages through a plain path
    entry, so the check needs no network; v6wizard itself resolves to the wheel's copy.
    """
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next((work / "dist").glob("v6wizard-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-compile", "--quiet", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    (Path(target) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir


def _run(env_dir: Path, code: str, tmp_path: Path) -> str:
    return _exec([str(env_dir / "bin" / "python"), "-c", code], tmp_path)


def _exec(argv: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_wheel_console_script_answers_help(installed_wheel: Path, tmp_path: Path) -> None:
    out = _exec([str(installed_wheel / "bin" / "v6wizard"), "--help"], tmp_path)
    assert "Migrate an AWS VPC" in out and "demo" in out


def test_wheel_installs_and_runs_help_from_its_own_copy(installed_wheel: Path, tmp_path: Path) -> None:
    out = _run(installed_wheel, HELP_PROBE + "\nimport v6wizard; print('FILE=' + v6wizard.__file__)", tmp_path)
    assert "Commands:" in out
    file_line = next(line for line in out.splitlines() if line.startswith("FILE="))
    assert str(installed_wheel) in file_line, "v6wizard was imported from the source tree, not the wheel"


def test_wheel_ships_the_stylesheets(installed_wheel: Path, tmp_path: Path) -> None:
    out = _run(
        installed_wheel,
        "import importlib.resources as r; print(sorted(p.name for p in r.files('v6wizard').joinpath('styles').iterdir()))",
        tmp_path,
    )
    names = eval(out.strip())  # noqa: S307 - our own subprocess printed a list literal
    assert names and all(name.endswith(".tcss") for name in names)


HEADLESS_START = """
import asyncio, sys
from v6wizard.aws.session import AwsTarget
from v6wizard.tui.app import make_app

async def main():
    app = make_app(AwsTarget(region="us-east-1", endpoint_url="http://127.0.0.1:9"), journal_spec=sys.argv[1], dry_run=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print("SCREEN=" + type(app.screen).__name__)
        print("CSS=" + ",".join(sorted({str(path) for path, _ in app.stylesheet.source if str(path).endswith(".tcss")})))

asyncio.run(main())
"""


def test_wheel_starts_the_app_headless_with_its_own_stylesheet(installed_wheel: Path, tmp_path: Path) -> None:
    out = _exec([str(installed_wheel / "bin" / "python"), "-c", HEADLESS_START, str(tmp_path / "journal.sqlite3")], tmp_path)
    assert "SCREEN=StartScreen" in out
    css_line = next(line for line in out.splitlines() if line.startswith("CSS="))
    assert str(installed_wheel) in css_line and "wizard.tcss" in css_line


def test_every_third_party_import_is_a_declared_dependency() -> None:
    """The wheel test borrows this environment's packages, so check the declarations directly."""
    import ast
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_dist_name(req) for req in project["dependencies"]}
    demo = {_dist_name(req) for req in project["optional-dependencies"]["demo"]}
    owners = importlib.metadata.packages_distributions()
    missing: dict[str, set[str]] = {}
    for path in (ROOT / "src" / "v6wizard").rglob("*.py"):
        declared = runtime | demo if {"emulator", "demo"} & set(path.relative_to(ROOT / "src" / "v6wizard").parts) else runtime
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            for name in names:
                top = name.split(".")[0]
                if not top or top in sys.stdlib_module_names or top == "v6wizard":
                    continue
                dists = {re.sub(r"[-_.]+", "-", d).lower() for d in owners.get(top, [top])}
                if not dists & declared:
                    missing.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def _dist_name(requirement: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]).lower()
