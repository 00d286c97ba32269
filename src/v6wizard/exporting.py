"""Where an export's input comes from (a journal session, a plan file, or a VPC planned now) and
where its files go; the documents themselves are built in `core.export_*`. Read-only throughout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from v6wizard.core.export import export_files
from v6wizard.core.export_source import AppliedAction, ExportFile, ExportSource
from v6wizard.core.plan import Plan
from v6wizard.errors import BadInput


def source_from_session(journal: Any, session_id: str) -> ExportSource:
    """A session's plan with what its journal says is in place (raises UnknownSession)."""
    from v6wizard.engine.state import derive_state

    plan = journal.plan(session_id)
    state = derive_state(plan, journal.session(session_id), journal.entries(session_id))
    applied = {
        action.id: AppliedAction(params=action.intent_params, outputs=action.outputs)
        for step in state.steps
        for action in step.actions
        if action.status == "applied"
    }
    return ExportSource(plan=plan, session_id=session_id, applied=applied)


def check_account(plan: Plan, access: Any) -> None:
    """Refuse a plan made for another account or region than the credentials reach (exit 2)."""
    account = access.identity().account_id
    if plan.account_id != account:
        raise BadInput(
            f"The plan is for account {plan.account_id}, but these credentials are for account {account}; "
            "use that account's profile, or make a plan here with `v6wizard plan --vpc-id`."
        )
    if access.region and plan.region != access.region:
        raise BadInput(f"The plan is for region {plan.region}, not {access.region}; pass --region {plan.region}.")


def write_files(files: list[ExportFile], folder: Path) -> list[Path]:
    """Write every file of an export into a folder (made if missing); their paths."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for item in files:
            path = folder / item.name
            path.write_text(item.text)
            paths.append(path)
    except OSError as exc:
        raise BadInput(f"Could not write the export to {folder}: {exc.strerror}.") from None
    return paths


def write_beside(files: list[ExportFile], out: Path) -> list[Path]:
    """The main file at `out`, each companion beside it named `<out's stem>.<role>.json`."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(files[0].text)
        paths = [out]
        for item in files[1:]:
            path = out.with_name(f"{out.stem}.{item.role}{Path(item.name).suffix}")
            path.write_text(item.text)
            paths.append(path)
    except OSError as exc:
        raise BadInput(f"Could not write the export to {out}: {exc.strerror}.") from None
    return paths


__all__ = ["check_account", "export_files", "source_from_session", "write_beside", "write_files"]
