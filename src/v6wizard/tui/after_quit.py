"""What the wizard says about leaving: the quit question during a run, and the lines printed once it has quit.

After quitting, the terminal keeps, for each session this sitting ran, its id, its
status and the exact `v6wizard resume` / `v6wizard rollback` commands (with the
profile, endpoint and journal the wizard used), so the operator can pick it up from a
shell. The demo's emulator ends with the wizard, so its sessions are said to end too.
"""

from __future__ import annotations

import shlex
from typing import Any


def quit_question(demo: bool) -> str:
    """The body of the "Stop the run?" dialog."""
    if demo:
        return (
            "The current action finishes, then the run stops and the demo ends: its emulator, "
            "and with it this session, stop when the wizard quits."
        )
    return "The current action finishes, then the run stops. The session stays resumable from the start screen."


def after_quit(app: Any) -> str:
    """The lines for the sessions `app` ran (its `touched` states), or "" if it ran none."""
    return after_quit_lines(list(app.touched.values()), app.target, app.journal_spec, demo=app.demo)


def after_quit_lines(states: list[Any], target: Any, journal_spec: str | None, *, demo: bool) -> str:
    """Each session's id, status and commands; `states` are SessionStates, `target` the AwsTarget used."""
    lines: list[str] = []
    for state in states:
        session_id = state.session.id
        summary = state.summary
        what = "Demo session" if demo else "Session"
        lines.append(f"{what} {session_id} ({state.session.vpc_id}): {summary.text}.")
        commands = []
        if summary.status != "rolled-back":
            if summary.status != "applied":
                commands.append(("continue it", _command("resume", session_id, target, journal_spec, demo)))
            commands.append(("undo it", _command("rollback", session_id, target, journal_spec, demo)))
        if not commands:
            lines.append("  Nothing of it is left in AWS.")
            continue
        if demo:
            lines.append("  The demo's emulator stopped with the wizard, so this session ended with it.")
            lines.append("  Against a real account you would:")
        for purpose, command in commands:
            lines.append(f"  {purpose + ':':<12} {command}")
    return "".join(f"{line}\n" for line in lines)


def _command(verb: str, session_id: str, target: Any, journal_spec: str | None, demo: bool) -> str:
    words = ["v6wizard", verb, session_id]
    if not demo:
        if target.profile:
            words += ["--profile", target.profile]
        if target.region:
            words += ["--region", target.region]
        if target.endpoint_url:
            words += ["--endpoint-url", target.endpoint_url]
        if journal_spec:
            words += ["--journal", journal_spec]
    return shlex.join(words)
