"""`v6wizard apply`: plan (or load a plan file), confirm, start a session and apply it.

Also what apply, resume and rollback share: plan files, confirmation, and the engine
with progress lines and a Ctrl-C that stops cleanly.
"""

from __future__ import annotations

import gc
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from v6wizard.cli.budget_options import api_rate_option, chosen_budget
from v6wizard.cli.common import aws_options, run_guarded
from v6wizard.cli.cutover_options import cutover_options, given_settings, settings_from
from v6wizard.cli.plan_options import plan_options


@click.command()
@aws_options
@click.option("--vpc-id", default=None, help="The VPC to migrate (plans it now).")
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="A JSON plan from `v6wizard plan --output json --out FILE`.")
@plan_options
@cutover_options
@click.option("--only", "only", multiple=True, metavar="STEP[,STEP]", help="Apply only these steps.")
@click.option("--until", "until", default=None, metavar="STEP", help="Apply the steps up to and including this one.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required when not on a terminal); it also acknowledges the plan's findings to review.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json prints one document with the session state on stdout.")
@click.option("--dry-run", is_flag=True, help="Show the calls the run would make; change nothing.")
@api_rate_option
def apply(vpc_id: str | None, plan_file: Path | None, only: tuple[str, ...], until: str | None, yes: bool, output: str, dry_run: bool, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None, **flags: Any) -> None:
    """Apply a migration plan to a VPC, step by step, journaled and resumable."""
    run_guarded(lambda: _apply(vpc_id, plan_file, list(only), until, yes, output, dry_run, profile, region, endpoint_url, journal, flags))


def _apply(vpc_id: str | None, plan_file: Path | None, only: list[str], until: str | None, yes: bool, output: str, dry_run: bool, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None, flags: dict[str, Any]) -> int:
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.cli.common import open_cli_journal
    from v6wizard.engine.review import acknowledge_review
    from v6wizard.engine.steps import select_steps
    from v6wizard.errors import BadInput

    if (vpc_id is None) == (plan_file is None):
        raise BadInput("Give either --vpc-id ID (plan now) or --plan FILE (a saved plan), not both or neither.")
    steps = select_steps(only or None, until)
    settings = settings_from(given_settings(flags))
    loaded = load_plan_file(plan_file) if plan_file is not None else None
    access = AwsAccess(AwsTarget(profile=profile, region=region or (loaded.region if loaded else None), endpoint_url=endpoint_url))
    if loaded is not None:
        from v6wizard.plan_file import verified_plan

        the_plan = verified_plan(access, loaded)
    else:
        from v6wizard.cli.plan_options import build_options
        from v6wizard.planning import make_plan

        the_plan = make_plan(access, vpc_id or "", build_options(**flags))
    if dry_run:
        from v6wizard.cli.dry_run import preview_apply

        return preview_apply(the_plan, steps, output)
    # The journal is opened (DynamoDB: checked to exist) before anything is asked or changed.
    journal = open_cli_journal(journal_spec, profile, region or the_plan.region, endpoint_url)
    try:
        # Refused while another run holds the VPC in any phase (its cutover included), before a session exists.
        refuse_if_locked(journal, the_plan.vpc_id)
        count = len(the_plan.actions(steps))
        if count == 0:
            click.echo(f"Nothing to apply to {the_plan.vpc_id} in steps {', '.join(steps)}.", err=output == "json")
            return 0
        confirm(yes, f"Apply {count} actions ({', '.join(s for s in steps if the_plan.step(s).actions)}) to {the_plan.vpc_id} in account {the_plan.account_id}, {the_plan.region}?")
    except BaseException:
        journal.close()
        raise
    with engine_for(access, journal, output, settings) as engine:
        session = engine.start(the_plan)
        # Confirming (or --yes) is the CLI's acknowledgement of the findings to review, as the TUI's review dialog is.
        acknowledge_review(journal, engine.state(session.id), the_plan, steps)
        engine.apply(session.id, only=only or None, until=until)
        return finish(engine, session.id, output)


def refuse_if_locked(journal: Any, vpc_id: str) -> None:
    """SessionLocked (exit 1, naming the holder) when a live run of another session holds the VPC."""
    from v6wizard.journal.locks import locked_error

    holder = journal.lock_holder(vpc_id)
    if holder is not None:
        raise locked_error(vpc_id, holder)



def is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def confirm(yes: bool, question: str) -> None:
    """Ask on a terminal; refuse (exit 2) elsewhere unless --yes was given."""
    from v6wizard.errors import BadInput

    if yes:
        return
    if not is_terminal():
        raise BadInput(f"{question.rstrip('?')}: not on a terminal, so pass --yes to confirm.")
    if not click.confirm(question, default=False, err=True):
        raise BadInput("Nothing was changed.")


def load_plan_file(path: Path) -> Any:
    """The plan in a file, checked on its own (see `v6wizard.plan_file`); MalformedFile (exit 2) if it is not one."""
    from v6wizard.plan_file import read_plan_file

    return read_plan_file(path)


@contextmanager
def engine_for(access: Any, journal: Any, output: str, cutover_settings: Any = None) -> Iterator[Any]:
    """An Engine printing progress (stdout for text, stderr on a terminal for json); Ctrl-C stops it cleanly."""
    from v6wizard.cli.progress import ProgressPrinter, Silent
    from v6wizard.engine.runner import Engine

    if output == "json":
        printer: Any = ProgressPrinter(sys.stderr) if sys.stderr.isatty() else Silent()
    else:
        printer = ProgressPrinter()
    cancel = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        click.echo("v6wizard: stopping after the actions in flight (Ctrl-C again to kill)...", err=True)
        cancel.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, stop) if threading.current_thread() is threading.main_thread() else None
    # boto3, its service models and the plan live as long as the command: keep the collector's full
    # passes from walking them mid-run (one took ~80 ms, stalling every action thread at once).
    gc.freeze()
    try:
        yield Engine(access, journal, on_event=printer, cancel=cancel, cutover_settings=cutover_settings, budget=chosen_budget())
    finally:
        gc.unfreeze()  # for an in-process caller that lives on (the tests)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        journal.close()


def finish(engine: Any, session_id: str, output: str) -> int:
    state = engine.state(session_id)
    if output == "json":
        click.echo(state.model_dump_json(indent=2))
    else:
        click.echo(f"Session {session_id} is {state.status_text}; see it with `v6wizard show {session_id}`.")
    return 0
