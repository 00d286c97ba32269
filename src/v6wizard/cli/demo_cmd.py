"""`v6wizard demo`: the wizard against an embedded AWS emulator with a sample account."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import click

from v6wizard.cli.common import run_guarded
from v6wizard.constants import DEMO_POLL_SECONDS, DEMO_SCHEDULE

DEMO_REGION = "us-east-1"
DEMO_ENV = {
    # The emulator accepts any keys; these stand in so no real credential is ever sent to it.
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_REGION": DEMO_REGION,
    "AWS_DEFAULT_REGION": DEMO_REGION,
}


@click.command()
@click.option("--serve", is_flag=True, help="Only run the emulator with its sample account and print how to reach it.")
@click.option("--dry-run", is_flag=True, help="Preview everything; apply nothing.")
@click.option("--journal", envvar="V6WIZARD_JOURNAL", default=None, help="Journal path (default: a temporary one, since the demo account lives only as long as this process).")
def demo(serve: bool, dry_run: bool, journal: str | None) -> None:
    """Run the wizard against an embedded AWS emulator seeded with a sample account."""
    run_guarded(lambda: _demo(serve, dry_run, journal))


def _demo(serve: bool, dry_run: bool, journal: str | None) -> int:
    if serve:
        emulator, account, traffic = start_demo()
        try:
            return _serve(emulator.endpoint, account)
        finally:
            traffic.stop()
            emulator.stop()
    from v6wizard.aws.target import AwsTarget
    from v6wizard.demo.preparation import DemoPreparation
    from v6wizard.tui.app import run_app

    use_demo_environment()
    # The Start screen shows at once; the wizard's connect worker waits for the seeding (see DemoPreparation).
    preparation = DemoPreparation(start_demo, DEMO_REGION)
    journal_spec = journal or str(Path(tempfile.mkdtemp(prefix="v6wizard-demo-")) / "journal.sqlite3")
    try:
        run_app(AwsTarget(region=DEMO_REGION), journal_spec=journal_spec, dry_run=dry_run, demo=True, preparation=preparation)
    finally:
        preparation.stop()
    return 0


def use_demo_environment() -> None:
    """Point AWS credentials at the stand-in demo keys (no profile, no session token) for this process."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    os.environ.update(DEMO_ENV)


def start_demo() -> tuple[Any, Any, Any]:
    """Start the emulator on 127.0.0.1, seed the sample account and start its live traffic.

    Returns (emulator, account, traffic); the traffic keeps per-version metrics coming so
    the cutover's health gates have something to judge.
    """
    try:
        from v6wizard.emulator import start_emulator
    except ImportError:
        from v6wizard.errors import BadInput

        raise BadInput("The demo needs the embedded emulator; install it with `pip install 'v6wizard[demo]'`.") from None
    use_demo_environment()
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.demo.seed import seed_demo
    from v6wizard.demo.traffic import DemoTraffic

    emulator = start_emulator(strict=True)
    try:
        access = AwsAccess(AwsTarget(region=DEMO_REGION, endpoint_url=emulator.endpoint))
        account = seed_demo(access)
        traffic = DemoTraffic(access, account.function_names).start()
        from v6wizard.demo.readiness_seed import start_demo_dns

        start_demo_dns(DEMO_REGION)
    except BaseException:
        emulator.stop()
        raise
    return emulator, account, traffic


def _serve(endpoint: str, account: Any) -> int:
    from v6wizard.emulator.server import tune_for_serving

    tune_for_serving()
    vpc_id = getattr(account, "vpc_id", "")
    click.echo(f"The demo emulator is running at {endpoint} (region {DEMO_REGION}).")
    click.echo("From another terminal:")
    click.echo(f"  export AWS_ENDPOINT_URL={endpoint} AWS_REGION={DEMO_REGION} AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo")
    click.echo(f"  export V6WIZARD_DNS_SERVER={os.environ.get('V6WIZARD_DNS_SERVER', '')}  # the demo's resolver, for readiness")
    click.echo(f"  v6wizard plan --vpc-id {vpc_id}")
    click.echo(f"  v6wizard apply --vpc-id {vpc_id} --schedule {DEMO_SCHEDULE} --poll-interval {DEMO_POLL_SECONDS:g} --yes")
    click.echo("Its functions get live synthetic traffic, so the cutover's health gates have metrics to judge.")
    click.echo("Press Ctrl+C to stop it.", nl=True)
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        click.echo("Emulator stopped.")
    return 0
