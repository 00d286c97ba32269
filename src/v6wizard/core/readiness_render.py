"""The readiness report as text for a terminal, Markdown for a ticket, or JSON (the model itself).

Views of the same fields: nothing is added here, and nothing of a function's environment
but the keys the report already holds.
"""

from __future__ import annotations

from v6wizard.core.readiness import FunctionReadiness, ReadinessReport, ServiceReadiness

RUNTIME_WORDS = {True: "its bundled SDK reads AWS_ENDPOINT_URL_<SERVICE>", False: "its bundled SDK ignores AWS_ENDPOINT_URL_<SERVICE>",
                 None: "its SDK is not vouched for"}


def render_readiness(report: ReadinessReport, output: str) -> str:
    if output == "json":
        return json_document(report)
    return render_markdown(report) if output == "markdown" else render_text(report)


def json_document(report: ReadinessReport) -> str:
    return report.model_dump_json(indent=2)


def what_to_set(service: ServiceReadiness) -> str:
    """The table's last column: the setting, or why there is none."""
    if service.set_env:
        return ", ".join(f"{k}={v}" for k, v in service.set_env.items())
    if service.reached_via in ("gateway-endpoint", "interface-endpoint"):
        return f"nothing: stays on {service.endpoint_id}"
    if service.reached_via == "nat":
        return {"default": "nothing: IPv6 by default", "ipv4-only": "nothing possible: NAT stays",
                "unknown": "unknown: NAT stays until known", "opt-in": "(already set)"}[service.ipv6]
    return "-"


def _function_lines(fn: FunctionReadiness) -> list[str]:
    lines = [f"{fn.name} ({fn.runtime or 'runtime unknown'}: {RUNTIME_WORDS[fn.sdk_honours_service_endpoints]})"]
    if not fn.services:
        lines.append("  no AWS service found in its role or environment")
    for s in fn.services:
        lines.append(f"  {s.service:<16} {s.evidence:<4} {s.reached_via:<19} {s.ipv6:<10} {what_to_set(s)}")
    lines.append("  needs IPv4 NAT: " + (", ".join(fn.needs_ipv4_nat) or "nothing"))
    if fn.env_to_set:
        lines.append("  set: " + " ".join(f"{k}={v}" for k, v in fn.env_to_set.items()))
    if fn.env_conflicts:
        lines.append("  already set, left alone: " + ", ".join(fn.env_conflicts))
    if fn.existing_endpoint_settings:
        lines.append("  endpoint settings it has: " + ", ".join(fn.existing_endpoint_settings))
    lines += [f"  ! {finding}" for finding in fn.findings]
    return lines


def render_text(report: ReadinessReport) -> str:
    resolver = report.dns_server or "the system resolver"
    lines = [f"Readiness of {len(report.functions)} function(s) in {report.vpc_id} ({report.region}); AAAA answers from {resolver}", ""]
    lines.append(f"  {'service':<16} {'from':<4} {'reached via':<19} {'IPv6':<10} what to set")
    for fn in report.functions:
        lines += _function_lines(fn) + [""]
    lines.append(report.verdict)
    lines.append("The global AWS_USE_DUALSTACK_ENDPOINT is never suggested: it breaks every service without a dual-stack endpoint.")
    return "\n".join(lines)


def render_markdown(report: ReadinessReport) -> str:
    lines = [f"# Readiness of {report.vpc_id} ({report.region})", "", f"**{report.verdict}**", ""]
    for fn in report.functions:
        lines += [f"## {fn.name}", "", f"Runtime `{fn.runtime or 'unknown'}`: {RUNTIME_WORDS[fn.sdk_honours_service_endpoints]}.", ""]
        lines += ["| service | from | reached via | IPv6 | what to set |", "|---|---|---|---|---|"]
        lines += [f"| {s.service} | {s.evidence} | {s.reached_via} | {s.ipv6} | {what_to_set(s)} |" for s in fn.services]
        lines += ["", "Needs IPv4 NAT: " + (", ".join(fn.needs_ipv4_nat) or "nothing")]
        lines += [f"- {finding}" for finding in fn.findings]
        lines.append("")
    return "\n".join(lines)
