"""Asks for the review acknowledgement (once per step) before an apply goes on; see core/review.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from v6wizard.core.review import findings_to_review, steps_of, unreviewed
from v6wizard.tui.screens.dialogs.review import ReviewDialog

if TYPE_CHECKING:
    from v6wizard.core.plan import Plan
    from v6wizard.tui.app import WizardApp


def after_review(app: WizardApp, steps: Iterable[str] | None, then: Callable[[], None]) -> None:
    """Call `then` once every finding to review of `steps` (all by default) is acknowledged.

    At once when they already are; otherwise after the review dialog, and not at all if
    the operator goes back. The acknowledgement is kept in `app.reviewed` and journaled
    with the session's next run.
    """
    assert app.plan is not None
    pending = unreviewed(app.plan, app.reviewed, steps)
    if not pending:
        then()
        return

    def answered(reviewed: bool | None) -> None:
        if reviewed:
            app.reviewed |= set(steps_of(pending))
            then()

    app.push_screen(ReviewDialog(pending), answered)


def review_heading(plan: Plan, reviewed: set[str], *, read_only: bool = False) -> str:
    """The plan screen's heading over its findings: "Reviewed" once every one to review is acknowledged."""
    blocked = any(f.kind == "blocker" for f in plan.findings)
    if findings_to_review(plan) and not unreviewed(plan, reviewed) and not blocked:
        return "Reviewed"
    if read_only or blocked or not unreviewed(plan, reviewed):
        return "Needs your review before applying"
    return "Needs your review before applying (v marks it reviewed)"
