"""The savings report as text, Markdown or JSON: one set of sentences shared by every face.

JSON is the pydantic model itself; text and Markdown are views of its fields.
"""

from __future__ import annotations

import textwrap

from pydantic import BaseModel, Field

from v6wizard.core.amounts import gb, usd
from v6wizard.core.savings import DayGb, SavingsEstimate
from v6wizard.core.savings_outcome import SavingsOutcome

BARS = "▁▂▃▄▅▆▇█"
WIDTH = 96
"""Text output wraps its sentences here (under most terminals' width, and readable in a CI log)."""
CHART_DAYS = 60
"""The most bars the text and Markdown chart draws; a longer window draws a bar per several days."""

BASIS_WORDS = {
    "routes-only": (
        "routes only: no flow logs split the gateways' bytes by source, so the high end is the whole "
        "processing charge of every gateway that serves a migrated subnet"
    ),
    "flow-logs": "flow logs: the high end is the share of each gateway's bytes sent to or from migrated subnets",
}


class RegionSavings(BaseModel):
    """`v6wizard savings` without --vpc-id: every VPC with a NAT gateway, most to lose first."""

    model_config = {"frozen": True, "extra": "forbid"}

    region: str
    window_days: int
    vpcs: list[SavingsEstimate] = Field(default_factory=list)


def sparkline(days: list[DayGb]) -> str:
    """One block character per day, scaled to the busiest day."""
    top = max((d.gb for d in days), default=0.0)
    if top <= 0:
        return BARS[0] * len(days)
    return "".join(BARS[min(len(BARS) - 1, int(d.gb / top * (len(BARS) - 1) + 0.5))] for d in days)


def chart_line(days: list[DayGb]) -> str:
    """"Daily GB 11-17..11-30: ▅▆█..." for the text and Markdown reports; a bar sums several days past CHART_DAYS."""
    per_bar = -(-len(days) // CHART_DAYS)
    bars = [DayGb(day=days[i].day, gb=sum(d.gb for d in days[i : i + per_bar])) for i in range(0, len(days), per_bar)]
    head = "Daily GB" if per_bar == 1 else f"GB per {per_bar} days"
    dates = "%Y-%m-%d" if days[0].day.year != days[-1].day.year else "%m-%d"
    return f"{head} {days[0].day:{dates}}..{days[-1].day:{dates}}: {sparkline(bars)}"


def now_line(report: SavingsEstimate) -> str:
    count = len(report.nat_gateways)
    per_month = sum(n.monthly_gb for n in report.nat_gateways)
    head = f"{count} NAT gateway{'s' * (count != 1)}, {gb(per_month)} a month"
    return f"Now: {usd(report.monthly_now_usd)} a month ({head})" if report.prices else f"Now: {head}"


def movable_line(report: SavingsEstimate) -> str:
    moved = report.monthly_movable_gb
    if report.monthly_movable_usd is not None:
        money = report.monthly_movable_usd
        return f"IPv6 could take off: {usd(money.low)} to {usd(money.high)} a month ({gb(moved.low)} to {gb(moved.high)})"
    return f"IPv6 could move: {gb(moved.low)} to {gb(moved.high)} a month"


def shared_line(report: SavingsEstimate) -> str:
    """Names the gateways that also serve subnets staying IPv4-only; only those without a flow-log split are unknown."""
    shared = [n for n in report.nat_gateways if n.id in report.shared_gateways]
    if not shared:
        return ""
    unknown = [n.id for n in shared if n.migrated_share is None]
    split = [f"{n.id} (flow logs put {n.migrated_share:.0%} of its bytes on migrated subnets)" for n in shared if n.migrated_share is not None]
    parts = []
    if unknown:
        parts.append(f"{', '.join(unknown)}; their unmigrated share is unknown without flow logs, so the high end may be well above what moves")
    if split:
        parts.append(f"{', '.join(split)}, and only that share is counted")
    return f"Shared with subnets that stay IPv4-only: {'; '.join(parts)}."


def summary_lines(report: SavingsEstimate) -> list[str]:
    """The few sentences every face shows (plan section, Plan screen panel, CLI)."""
    if not report.has_nat:
        return [f"{report.vpc_id} has no NAT gateway: there is nothing to save on NAT."]
    lines = [now_line(report), movable_line(report), f"Basis: {BASIS_WORDS[report.basis]}."]
    if shared := shared_line(report):
        lines.append(shared)
    if report.flow_log_note:
        lines.append(report.flow_log_note)
    lines.append(report.why_nat_stays)
    if report.price_note:
        lines.append(report.price_note)
    return lines


def render_text(report: SavingsEstimate) -> str:
    lines = [f"Savings for {report.vpc_id} in {report.region}, over the last {report.window_days} days", ""]
    lines += [textwrap.fill(line, WIDTH, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False, break_long_words=False) for line in summary_lines(report)]
    if report.prices:
        p = report.prices
        lines.append(textwrap.fill(f"Prices: NAT ${p.nat_hour_usd:g}/h, ${p.nat_gb_usd:g}/GB, public IPv4 ${p.ipv4_hour_usd:g}/h ({p.source}, {p.as_of})",
                                   WIDTH, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False, break_long_words=False))
    for nat in report.nat_gateways:
        lines += ["", f"  {nat.id}: {gb(nat.processed_gb)} in {report.window_days} days, {gb(nat.monthly_gb)} a month"]
        if nat.monthly:
            m = nat.monthly
            lines.append(f"    a month: hours {usd(m.hours_usd)}, processing {usd(m.processing_usd)}, "
                         f"public IPv4 {usd(m.ipv4_usd)} ({nat.public_ips}), total {usd(m.total_usd)}")
        lines.append(f"    serves: {', '.join(nat.source_subnets) or 'no subnet'}")
        lines.append(f"    migrated: {', '.join(nat.migrated_subnets) or 'none'}"
                     + (f"; {nat.migrated_share:.0%} of its flow-log bytes" if nat.migrated_share is not None else ""))
    if report.daily_processed_gb:
        lines += ["", f"  {chart_line(report.daily_processed_gb)}"]
    return "\n".join(lines) + "\n"


def render_markdown(report: SavingsEstimate, level: int = 1) -> str:
    head = "#" * level
    lines = [f"{head} NAT savings for `{report.vpc_id}` ({report.region}, last {report.window_days} days)", ""]
    lines += [f"- {line}" for line in summary_lines(report)]
    if report.prices:
        p = report.prices
        lines.append(f"- Prices: NAT ${p.nat_hour_usd:g}/h, ${p.nat_gb_usd:g}/GB, public IPv4 ${p.ipv4_hour_usd:g}/h ({p.source}, {p.as_of})")
    if report.nat_gateways:
        lines += ["", "| NAT gateway | GB in window | GB a month | a month | serves | migrated |", "|---|---:|---:|---:|---|---|"]
        for nat in report.nat_gateways:
            total = usd(nat.monthly.total_usd) if nat.monthly else "n/a"
            lines.append(f"| `{nat.id}` | {nat.processed_gb:,.1f} | {nat.monthly_gb:,.1f} | {total} | "
                         f"{', '.join(nat.source_subnets) or '-'} | {', '.join(nat.migrated_subnets) or '-'} |")
    if report.daily_processed_gb:
        head, bars = chart_line(report.daily_processed_gb).split(": ", 1)
        lines += ["", f"{head.replace('Daily GB', 'Daily processed GB')}: `{bars}`"]
    return "\n".join(lines) + "\n"


def render(report: SavingsEstimate | RegionSavings | SavingsOutcome, output: str) -> str:
    if output == "json":
        return report.model_dump_json(indent=2)
    if isinstance(report, RegionSavings):
        return render_region(report, output)
    if isinstance(report, SavingsOutcome):
        return render_outcome(report, output)
    return render_markdown(report) if output == "markdown" else render_text(report)


def render_region(region: RegionSavings, output: str) -> str:
    md = output == "markdown"
    lines = [f"{'# ' if md else ''}VPCs in {region.region} by the NAT spend IPv6 could take off (last {region.window_days} days)", ""]
    if not region.vpcs:
        lines.append(f"No VPC in {region.region} has a NAT gateway: there is nothing to save on NAT.")
        return "\n".join(lines) + "\n"
    if md:
        lines += ["| VPC | NAT gateways | now a month | could save a month | basis |", "|---|---:|---:|---:|---|"]
    for report in region.vpcs:
        high = report.monthly_movable_usd.high if report.monthly_movable_usd else None
        up_to = usd(high) if high is not None else gb(report.monthly_movable_gb.high)
        # Without prices, what the gateways process a month stands in for their cost.
        now = usd(report.monthly_now_usd) if report.monthly_now_usd is not None else gb(sum(n.monthly_gb for n in report.nat_gateways))
        if md:
            lines.append(f"| `{report.vpc_id}` | {len(report.nat_gateways)} | {now} | up to {up_to} | {report.basis} |")
        else:
            lines.append(f"  {report.vpc_id}: {len(report.nat_gateways)} NAT, now {now} a month, "
                         f"up to {up_to} a month could move ({report.basis})")
    notes = sorted({r.price_note for r in region.vpcs if r.price_note})
    lines += ["", *notes] if notes else []
    return "\n".join(lines) + "\n"


def render_outcome(outcome: SavingsOutcome, output: str) -> str:
    md = output == "markdown"
    lines = [f"{'# ' if md else ''}What session {outcome.session_id} did to {outcome.vpc_id}'s NAT processing", "", outcome.verdict]
    for label, days in (("before", outcome.before), ("after", outcome.after)):
        if days:
            lines.append(f"{'- ' if md else '  '}{label}: " + ", ".join(f"{d.day:%m-%d} {d.gb:,.1f}" for d in days) + " GB")
    return "\n".join(lines) + "\n"
