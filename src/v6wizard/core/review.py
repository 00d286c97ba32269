"""Findings that need a human decision before their step is applied, and which of them are acknowledged.

A plan's `review` findings (an IPv4 egress rule to another range, a prefix list) and
`conflict` findings (an existing `::/0` route it will not overwrite) are never acted on
by the plan: the operator must have read them. Each face asks once per step, before the
first apply of that step: the TUI with its review dialog, the CLI with its confirmation
or `--yes`. The acknowledgement is journaled with the session (see
`engine/review.py`), so every face sees the same answer.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from v6wizard.core.plan import Finding, Plan

REVIEW_KINDS = ("review", "conflict")
"""Finding kinds that must be acknowledged; `info` is for the record, a `blocker` refuses the step outright."""


def findings_to_review(plan: Plan, steps: Iterable[str] | None = None) -> list[Finding]:
    """The findings of `steps` (all steps by default) that need acknowledging, in plan order."""
    wanted = set(steps) if steps is not None else None
    return [f for f in plan.findings if f.kind in REVIEW_KINDS and (wanted is None or f.step in wanted)]


def unreviewed(plan: Plan, reviewed: Collection[str], steps: Iterable[str] | None = None) -> list[Finding]:
    """The findings of `steps` still to acknowledge, given the steps already `reviewed`."""
    return [f for f in findings_to_review(plan, steps) if f.step not in reviewed]


def steps_of(findings: Iterable[Finding]) -> list[str]:
    """The steps `findings` concern, each once, in the order met."""
    return list(dict.fromkeys(f.step for f in findings))
