"""`v6wizard sessions`, `show`, `resume` and `rollback`: the journal's sessions and what to do with them."""

from __future__ import annotations

from typing import Any

import click

from v6wizard.cli.common import aws_options, open_cli_journal, run_guarded
from v6wizard.cli.cutover_options import cutover_options, given_settings, settings_from

_MARKS = {"applied": "✓", "failed": "✗", "rolled-back": "↺", "applying": "?", "rolling-back": "?", "skipped": "-", "planned": "·"}


@click.command()
@aws_options
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def sessions(output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> None:
    """List the journal's sessions, newest first."""
    run_guarded(lambda: _sessions(output, open_cli_journal(journal, profile, region, endpoint_url)))


def _sessions(output: str, journal: Any) -> int:
    from pydantic import TypeAdapter

    from v6wizard.engine.session_status import SessionOverview, session_overview

    try:
        found = [session_overview(journal, info) for info in journal.sessions()]
    finally:
        journal.close()
    if output == "json":
        click.echo(TypeAdapter(list[SessionOverview]).dump_json(found, indent=2).decode())
        return 0
    if not found:
        click.echo(f"No sessions in {journal.location}.")
    for info in found:
        click.echo(f"{info.id}  {info.vpc_id}  {info.account_id} {info.region}  {info.updated_at:%Y-%m-%d %H:%M} UTC  {info.status_text}")
    return 0


@click.command()
@aws_options
@click.argument("session_id", metavar="SESSION")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(session_id: str, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> None:
    """Show a session: each step and action with its status."""
    run_guarded(lambda: _show(session_id, output, open_cli_journal(journal, profile, region, endpoint_url)))


def _show(session_id: str, output: str, journal: Any) -> int:
    from v6wizard.engine.state import derive_state

    try:
        state = derive_state(journal.plan(session_id), journal.session(session_id), journal.entries(session_id))
    finally:
        journal.close()
    if output == "json":
        click.echo(state.model_dump_json(indent=2))
        return 0
    info = state.session
    click.echo(f"Session {info.id}: {state.status_text}, {info.vpc_id} in account {info.account_id}, {info.region}")
    for step in state.steps:
        suffix = " (nothing to do)" if step.empty else ""
        click.echo(f"{step.title}: {step.status}{suffix}")
        for action in step.actions:
            error = f"  [{action.error_code}: {action.error_message}]" if action.status == "failed" else ""
            click.echo(f"  {_MARKS.get(action.status, '?')} {action.id}  {action.title}{error}")
    return 0


def _open(session_id: str, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None) -> tuple[Any, Any, Any]:
    from v6wizard.aws.session import AwsAccess, AwsTarget

    journal = open_cli_journal(journal_spec, profile, region, endpoint_url)
    session = journal.session(session_id)
    access = AwsAccess(AwsTarget(profile=profile, region=region or session.region, endpoint_url=endpoint_url))
    return access, journal, session


@click.command()
@aws_options
@click.argument("session_id", metavar="SESSION")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required when not on a terminal).")
@click.option("--force-unlock", is_flag=True, help="Take the VPC's lock even though another run holds it (asks first).")
@cutover_options
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def resume(session_id: str, yes: bool, force_unlock: bool, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None, **flags: Any) -> None:
    """Continue an interrupted or failed session where its journal says it stopped.

    The cutover keeps the settings the session was applied with; flags given here change them.
    """
    run_guarded(lambda: _resume(session_id, yes, force_unlock, output, profile, region, endpoint_url, journal, given_settings(flags)))


def _resume(session_id: str, yes: bool, force_unlock: bool, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None, given: dict[str, Any]) -> int:
    from v6wizard.cli.apply_cmd import confirm, engine_for, finish
    from v6wizard.engine.runner import journaled_cutover_settings
    from v6wizard.engine.session_status import check_resumable, session_overview

    access, journal, session = _open(session_id, profile, region, endpoint_url, journal_spec)
    settings = settings_from(given, journaled_cutover_settings(journal, session_id)) if given else None
    if force_unlock:
        holder = journal.lock_holder(session.vpc_id)
        who = f"held by {holder.describe()}" if holder else "not held"
        confirm(yes, f"Break the lock on {session.vpc_id} ({who})? Only do this if that run is dead.")
    summary = session_overview(journal, session)
    check_resumable(session_id, summary.status)
    confirm(yes, f"Resume session {session_id} ({summary.status_text}) on {session.vpc_id}?")
    with engine_for(access, journal, output, settings) as engine:
        engine.resume(session_id, force_unlock=force_unlock)
        return finish(engine, session_id, output)


@click.command()
@aws_options
@click.argument("session_id", metavar="SESSION")
@click.option("--step", default=None, metavar="STEP", help="Roll back only this step (refused while a later step is applied).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required when not on a terminal).")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rollback(session_id: str, step: str | None, yes: bool, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> None:
    """Undo what a session applied: one step, or all of it in reverse order."""
    run_guarded(lambda: _rollback(session_id, step, yes, output, profile, region, endpoint_url, journal))


def _rollback(session_id: str, step: str | None, yes: bool, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None) -> int:
    from v6wizard.cli.apply_cmd import confirm, engine_for, finish
    from v6wizard.engine.steps import check_step_name

    if step is not None:
        check_step_name(step)
    access, journal, session = _open(session_id, profile, region, endpoint_url, journal_spec)
    what = f"the {step} step" if step else "every applied step"
    confirm(yes, f"Roll back {what} of session {session_id} on {session.vpc_id}?")
    with engine_for(access, journal, output) as engine:
        engine.rollback(session_id, step=step)
        return finish(engine, session_id, output)
