"""`v6wizard sessions`, `show`, `resume` and `rollback`: the journal's sessions and what to do with them."""

from __future__ import annotations

from typing import Any

import click

from v6wizard.cli.budget_options import api_rate_option
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
@click.option("--output", type=click.Choice(["text", "json", "plan"]), default="text", show_default=True, help="plan: the session's plan as text, with the values its journal knows (the real /64s, versions, ids).")
def show(session_id: str, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> None:
    """Show a session: each step and action with its status."""
    run_guarded(lambda: _show(session_id, output, open_cli_journal(journal, profile, region, endpoint_url)))


def _show(session_id: str, output: str, journal: Any) -> int:
    from v6wizard.engine.state import derive_state

    try:
        plan = journal.plan(session_id)
        state = derive_state(plan, journal.session(session_id), journal.entries(session_id))
    finally:
        journal.close()
    if output == "plan":
        from v6wizard.core.render import render_text
        from v6wizard.engine.session_view import known_values

        click.echo(render_text(plan, known_values(state)), nl=False)
        return 0
    titles = session_titles(plan, state)
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
            click.echo(f"  {_MARKS.get(action.status, '?')} {action.id}  {titles.get(action.id, action.title)}{error}")
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
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required when not on a terminal); it also acknowledges the findings to review.")
@click.option("--force-unlock", is_flag=True, help="Take the VPC's lock even though another run holds it (asks first).")
@cutover_options
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--dry-run", is_flag=True, help="Show the calls the resumed run would make; change nothing.")
@api_rate_option
def resume(session_id: str, yes: bool, force_unlock: bool, output: str, dry_run: bool, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None, **flags: Any) -> None:
    """Continue an interrupted or failed session where its journal says it stopped.

    The cutover keeps the settings the session was applied with; flags given here change them.
    """
    run_guarded(lambda: _resume(session_id, yes, force_unlock, output, dry_run, profile, region, endpoint_url, journal, given_settings(flags)))


def _resume(session_id: str, yes: bool, force_unlock: bool, output: str, dry_run: bool, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None, given: dict[str, Any]) -> int:
    from v6wizard.cli.apply_cmd import confirm, engine_for, finish
    from v6wizard.engine.review import acknowledge_review
    from v6wizard.engine.runner import journaled_cutover_settings
    from v6wizard.engine.settings_journal import ignored_sentence
    from v6wizard.engine.session_status import check_resumable, session_overview

    access, journal, session = _open(session_id, profile, region, endpoint_url, journal_spec)
    if dry_run:
        from v6wizard.cli.dry_run import preview_resume

        try:
            return preview_resume(journal, session_id, output)
        finally:
            journal.close()
    settings = None
    if given:
        ignored: list[str] = []
        settings = settings_from(given, journaled_cutover_settings(journal, session_id, ignored))
        if [name for name in ignored if name not in given]:
            click.echo(f"v6wizard: {ignored_sentence([n for n in ignored if n not in given])}", err=True)
    if force_unlock:
        holder = journal.lock_holder(session.vpc_id)
        who = f"held by {holder.describe()}" if holder else "not held"
        confirm(yes, f"Break the lock on {session.vpc_id} ({who})? Only do this if that run is dead.")
    summary = session_overview(journal, session)
    check_resumable(session_id, summary.status)
    confirm(yes, f"Resume session {session_id} ({summary.status_text}) on {session.vpc_id}?")
    with engine_for(access, journal, output, settings) as engine:
        # Confirming (or --yes) acknowledges the findings to review of the steps still to run.
        acknowledge_review(journal, engine.state(session_id), journal.plan(session_id))
        engine.resume(session_id, force_unlock=force_unlock)
        return finish(engine, session_id, output)


@click.command()
@aws_options
@click.argument("session_id", metavar="SESSION")
@click.option("--step", default=None, metavar="STEP", help="Roll back only this step (refused while a later step is applied).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (required when not on a terminal).")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--dry-run", is_flag=True, help="Show the undo calls the rollback would make; change nothing.")
@api_rate_option
def rollback(session_id: str, step: str | None, yes: bool, output: str, dry_run: bool, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> None:
    """Undo what a session applied: one step, or all of it in reverse order."""
    run_guarded(lambda: _rollback(session_id, step, yes, output, dry_run, profile, region, endpoint_url, journal))


def _rollback(session_id: str, step: str | None, yes: bool, output: str, dry_run: bool, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None) -> int:
    from v6wizard.cli.apply_cmd import confirm, engine_for, finish
    from v6wizard.engine.steps import check_step_name

    if step is not None:
        step = check_step_name(step)
    access, journal, session = _open(session_id, profile, region, endpoint_url, journal_spec)
    if dry_run:
        from v6wizard.cli.dry_run import preview_rollback

        try:
            return preview_rollback(journal, session_id, step, output)
        finally:
            journal.close()
    what = f"the {step} step" if step else "every applied step"
    confirm(yes, f"Roll back {what} of session {session_id} on {session.vpc_id}?")
    with engine_for(access, journal, output) as engine:
        engine.rollback(session_id, step=step)
        return finish(engine, session_id, output)


def session_titles(plan: Any, state: Any) -> dict[str, str]:
    """Action id -> title with what the journal knows (real /64s, versions), as the TUI's preview shows it."""
    from v6wizard.core.plan_view import view_action
    from v6wizard.engine.session_view import known_values

    known = known_values(state)
    return {action.id: view_action(action, known).title for action in plan.actions()}
