"""Reading journaled cutover settings leniently: a bad value never blocks a rollback or a resume.

Settings are validated before they are journaled, but a journal written by an older
version (or edited by hand) may hold values that no longer validate, e.g. a
`poll_interval` of null. Each such field falls back to its default and is named, so the
run can say what it ignored.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


def load_cutover_settings(data: Any) -> tuple[Any, list[str]]:
    """CutoverSettings from journaled data, and the names of the fields that were ignored (defaults used)."""
    from v6wizard.engine.cutover import CutoverSettings

    fields = dict(data) if isinstance(data, dict) else {}
    ignored: list[str] = [] if isinstance(data, dict) else ["cutover_settings"]
    for _ in range(len(CutoverSettings.model_fields) + 1):
        try:
            return CutoverSettings.model_validate(fields), ignored
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error.get("loc")}
            if not bad & fields.keys():
                break
            ignored += sorted(bad & fields.keys())
            fields = {name: value for name, value in fields.items() if name not in bad}
    return CutoverSettings(), ignored or ["cutover_settings"]


def ignored_sentence(ignored: list[str]) -> str:
    return (
        f"Ignored the journaled cutover setting{'s' if len(ignored) > 1 else ''} {', '.join(ignored)} "
        "(not valid); used the default instead."
    )
