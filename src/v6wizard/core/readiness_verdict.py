"""Readiness verdicts, pure: which services a function calls, how it reaches each, and what to set.

Everything here works on facts the reads in `aws/readiness_reads.py` gathered (policy
documents, the services environment values point to, endpoint hostnames, AAAA answers,
VPC endpoints) plus the Inventory's route tables. No boto3, no DNS, no values of
environment variables: `services_in_value` is handed a value and returns only services.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from v6wizard.core.inventory import ANY_IPV4, Inventory, LambdaFunction
from v6wizard.core.readiness import (
    DnsAnswer,
    Evidence,
    FunctionReadiness,
    Ipv6Verdict,
    ReachedVia,
    ReadinessReport,
    ServiceHosts,
    ServiceReadiness,
    VpcEndpoint,
)

LAMBDA_OWN_ACTIONS = frozenset(
    {
        # AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole (v3): what the Lambda service
        # does for the function (log delivery, ENI management), not calls of the function's code.
        # https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html
        # https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "ec2:createnetworkinterface",
        "ec2:describenetworkinterfaces",
        "ec2:describesubnets",
        "ec2:deletenetworkinterface",
        "ec2:assignprivateipaddresses",
        "ec2:unassignprivateipaddresses",
    }
)

LAMBDA_MANAGED_POLICIES = frozenset(
    {
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    }
)
"""Managed policies holding only LAMBDA_OWN_ACTIONS: not read at all."""

PREFIX_TO_SERVICE = {
    "states": "stepfunctions",
    "es": "opensearch",
    "aoss": "opensearchserverless",
    "elasticloadbalancing": "elbv2",
    "elasticfilesystem": "efs",
    "execute-api": "apigatewaymanagementapi",
    "bedrock": "bedrock-runtime",
    "mobiletargeting": "pinpoint",
    "kafka-cluster": "kafka",
    "monitoring": "cloudwatch",
}
"""IAM action prefixes (and ARN service fields) whose SDK client has another name; the rest are the same."""

ENDPOINT_TO_SERVICE = {"ecr.api": "ecr", "monitoring": "cloudwatch", "states": "stepfunctions", "execute-api": "apigatewaymanagementapi"}
"""VPC endpoint service names (after com.amazonaws.REGION.) whose SDK client has another name."""

ENDPOINT_SETTINGS = re.compile(r"^AWS_(ENDPOINT_URL(_[A-Z0-9_]+)?|USE_DUALSTACK_ENDPOINT)$")

# Runtimes whose bundled SDK reads AWS_ENDPOINT_URL_<SERVICE>: the SDK support table lists boto3 from
# 1.28.0 and the JavaScript SDK v3 (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html),
# and these runtimes bundle boto3 / SDK v3 releases newer than that
# (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). nodejs16.x and older bundle SDK v2,
# which does not; Java, .NET, Go, Ruby and provided.* functions ship their own SDK, which we cannot see.
_HONOURING_RUNTIMES = re.compile(r"^(python3\.(9|1[0-9])|nodejs(1[89]|2[0-9])\.x)$")
_NOT_HONOURING_RUNTIMES = re.compile(r"^nodejs(1[0-6]|[4-9])(\.\d+)?(\.x)?$")

_ARN = re.compile(r"arn:aws[a-z-]*:([a-z0-9-]+):")
_HOST = re.compile(r"\b((?:[a-z0-9-]+\.)+)(amazonaws\.com(?:\.cn)?|api\.aws)\b", re.IGNORECASE)
_REGION_LABEL = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_NOT_SERVICE_LABELS = {"dualstack", "fips", "vpce", "s3-accelerate", "api"}


# --- which services ----------------------------------------------------------------


@dataclass
class PolicyActions:
    """Actions a role's policies allow, and what could not be read as actions."""

    actions: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def actions_in_policy(document: dict, policy_name: str) -> PolicyActions:
    """The actions of the Allow statements of one policy document."""
    found = PolicyActions()
    statements = document.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        if "NotAction" in statement:
            found.findings.append(f"policy {policy_name} allows by NotAction: the services it grants cannot be listed")
        actions = statement.get("Action") or []
        found.actions += [actions] if isinstance(actions, str) else list(actions)
    return found


def service_of_action(action: str) -> str | None:
    """The SDK service an IAM action belongs to (None for `*`)."""
    prefix, _, _ = action.partition(":")
    if not prefix or prefix == "*":
        return None
    prefix = prefix.lower()
    return PREFIX_TO_SERVICE.get(prefix, prefix)


def role_services(actions: Iterable[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Service -> the actions naming it, without Lambda's own actions; and findings."""
    by_service: dict[str, list[str]] = {}
    findings: list[str] = []
    for action in actions:
        if action.lower() in LAMBDA_OWN_ACTIONS:
            continue
        service = service_of_action(action)
        if service is None:
            findings.append("the role allows every action (*): the services it calls cannot be told from the role")
            continue
        by_service.setdefault(service, [])
        if action not in by_service[service]:
            by_service[service].append(action)
    return by_service, list(dict.fromkeys(findings))


def services_in_value(value: str) -> set[str]:
    """The AWS services an environment value names (an ARN, a service hostname or URL); the value is not kept."""
    found: set[str] = set()
    for match in _ARN.finditer(value):
        prefix = match.group(1).lower()
        found.add(PREFIX_TO_SERVICE.get(prefix, prefix))
    for match in _HOST.finditer(value):
        labels = [label.lower() for label in match.group(1).rstrip(".").split(".")]
        region_at = next((i for i, label in enumerate(labels) if _REGION_LABEL.match(label)), len(labels))
        candidates = [label for label in labels[:region_at] if label not in _NOT_SERVICE_LABELS]
        if candidates:
            service = candidates[-1]
            found.add(PREFIX_TO_SERVICE.get(service, service))
    return found


def endpoint_settings(keys: Iterable[str]) -> list[str]:
    """The keys that already steer the SDK's endpoints (AWS_ENDPOINT_URL*, AWS_USE_DUALSTACK_ENDPOINT)."""
    return sorted(key for key in keys if ENDPOINT_SETTINGS.match(key))


def endpoint_service(endpoint: VpcEndpoint) -> str:
    """The SDK service a VPC endpoint carries (com.amazonaws.us-east-1.ecr.api -> ecr)."""
    parts = endpoint.service_name.split(".", 3)
    short = parts[3] if len(parts) == 4 and endpoint.service_name.startswith("com.amazonaws.") else endpoint.service
    return ENDPOINT_TO_SERVICE.get(short, short)


def runtime_honours(runtime: str) -> bool | None:
    """Whether the runtime's bundled SDK reads service-specific endpoint variables; None: not vouched for."""
    if _HONOURING_RUNTIMES.match(runtime):
        return True
    if _NOT_HONOURING_RUNTIMES.match(runtime):
        return False
    return None


# --- how it is reached -------------------------------------------------------------


def reach(inventory: Inventory, endpoints: list[VpcEndpoint], subnet_id: str, service: str) -> tuple[ReachedVia, str | None, str]:
    """How traffic from one subnet reaches one service today: the path, the endpoint id, a note."""
    table = inventory.route_table_for(subnet_id)
    live = [e for e in endpoints if e.state.lower() == "available" and endpoint_service(e) == service]
    for endpoint in live:
        if endpoint.endpoint_type.lower() == "gateway" and table is not None and table.id in endpoint.route_table_ids:
            return "gateway-endpoint", endpoint.id, ""
    for endpoint in live:
        if endpoint.endpoint_type.lower() == "interface" and endpoint.private_dns_enabled:
            return "interface-endpoint", endpoint.id, ""
    route = table.route_to(ANY_IPV4) if table is not None else None
    if route is None:
        return "none", None, "no IPv4 default route"
    if route.target.startswith("nat-"):
        return "nat", None, ""
    if route.target.startswith("igw-"):
        return "igw-only", None, "0.0.0.0/0 goes to an internet gateway, and a function's network interface has no public IPv4"
    return "nat", None, f"0.0.0.0/0 goes to {route.target}, not a NAT gateway of this VPC"


def ipv6_verdict(default: DnsAnswer, dualstack: DnsAnswer | None) -> Ipv6Verdict:
    """default / opt-in / ipv4-only / unknown from the AAAA answers of the two hostnames."""
    if default == "yes":
        return "default"
    if dualstack == "yes":
        return "opt-in"
    if "unknown" in (default, dualstack):
        return "unknown"
    return "ipv4-only"


# --- the report ----------------------------------------------------------------------


@dataclass
class FunctionFacts:
    """What the reads found for one function: no values of its environment, only keys and services."""

    function: LambdaFunction
    role_actions: list[str] = field(default_factory=list)
    env_services: dict[str, list[str]] = field(default_factory=dict)
    """Service -> the variable keys whose values point at it."""
    env_keys: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def assess_function(
    inventory: Inventory,
    facts: FunctionFacts,
    endpoints: list[VpcEndpoint],
    hosts: dict[str, ServiceHosts],
    answers: dict[str, DnsAnswer],
) -> FunctionReadiness:
    fn = facts.function
    by_role, findings = role_services(facts.role_actions)
    findings = facts.findings + findings
    evidence: dict[str, tuple[Evidence, list[str]]] = {s: ("role", actions) for s, actions in by_role.items()}
    for service, keys in facts.env_services.items():
        if service not in evidence:
            evidence[service] = ("env", keys)
    existing = endpoint_settings(facts.env_keys)
    services: list[ServiceReadiness] = []
    needs_nat: list[str] = []
    moves: list[str] = []
    to_set: dict[str, str] = {}
    conflicts: list[str] = []
    for service in sorted(evidence):
        how, detail = evidence[service]
        endpoint_hosts = hosts.get(service)
        if endpoint_hosts is None:
            findings.append(f"{service} ({', '.join(detail)}) is not a service the SDK knows: not assessed")
            continue
        paths = [reach(inventory, endpoints, subnet_id, service) for subnet_id in fn.subnet_ids] or [("none", None, "no subnets")]
        via, endpoint_id, note = paths[0]
        if len({p[0] for p in paths}) > 1:
            findings.append(f"{service} is reached differently from {fn.name}'s subnets ({', '.join(sorted({p[0] for p in paths}))}): the first subnet's path is shown")
        default = answers.get(endpoint_hosts.default_host, "unknown")
        dualstack = answers.get(endpoint_hosts.dualstack_host, "unknown") if endpoint_hosts.dualstack_host else None
        verdict = ipv6_verdict(default, dualstack)
        set_env: dict[str, str] = {}
        if via in ("gateway-endpoint", "interface-endpoint"):
            note = f"through {endpoint_id}: stays on the private path (policies may require aws:SourceVpce)"
        elif via == "nat":
            if verdict == "opt-in" and endpoint_hosts.dualstack_host:
                key = endpoint_hosts.env_key
                if key in facts.env_keys:
                    conflicts.append(key)
                    note = f"{key} is already set: left as it is"
                else:
                    set_env = {key: f"https://{endpoint_hosts.dualstack_host}"}
                    to_set |= set_env
                    moves.append(service)
            elif verdict in ("ipv4-only", "unknown"):
                needs_nat.append(service)
                if verdict == "unknown":
                    note = "the AAAA lookups failed: counted as needing IPv4 until known"
            elif verdict == "default":
                note = "its default endpoint answers on IPv6: moves by itself once the function is dual-stack"
        services.append(
            ServiceReadiness(
                service=service,
                evidence=how,
                evidence_detail=detail,
                reached_via=via,
                endpoint_id=endpoint_id,
                ipv6=verdict,
                default_host=endpoint_hosts.default_host,
                dualstack_host=endpoint_hosts.dualstack_host,
                set_env=set_env,
                note=note,
            )
        )
    if "igw-only" in {s.reached_via for s in services}:
        findings.append(f"{fn.name} has no IPv4 egress: its subnets route 0.0.0.0/0 to an internet gateway, and Lambda gives it no public IPv4")
    if "AWS_USE_DUALSTACK_ENDPOINT" in facts.env_keys:
        lacking = sorted(s.service for s in services if s.ipv6 in ("ipv4-only", "unknown") or not s.dualstack_host)
        if lacking:
            findings.append(
                "AWS_USE_DUALSTACK_ENDPOINT is set: if it is on, calls to services without a dual-stack endpoint "
                f"({', '.join(lacking)}) fail; prefer one AWS_ENDPOINT_URL_<SERVICE> per service"
            )
    honours = runtime_honours(fn.runtime)
    if to_set and honours is None:
        findings.append(f"runtime {fn.runtime or 'unknown'}: its SDK is packaged with the function; check it reads AWS_ENDPOINT_URL_<SERVICE>")
    elif to_set and honours is False:
        findings.append(f"runtime {fn.runtime}: its bundled SDK does not read AWS_ENDPOINT_URL_<SERVICE>; the settings would be ignored")
    return FunctionReadiness(
        name=fn.name,
        runtime=fn.runtime,
        sdk_honours_service_endpoints=honours,
        services=services,
        needs_ipv4_nat=needs_nat,
        moves_with_setting=moves,
        env_to_set=to_set,
        env_conflicts=conflicts,
        existing_endpoint_settings=existing,
        findings=findings,
    )


def build_report(
    inventory: Inventory,
    facts: list[FunctionFacts],
    endpoints: list[VpcEndpoint],
    hosts: dict[str, ServiceHosts],
    answers: dict[str, DnsAnswer],
    dns_server: str | None = None,
) -> ReadinessReport:
    functions = [assess_function(inventory, f, endpoints, hosts, answers) for f in facts]
    stays = sorted({s for fn in functions for s in fn.needs_ipv4_nat})
    return ReadinessReport(
        account_id=inventory.account_id,
        region=inventory.region,
        vpc_id=inventory.vpc.id,
        dns_server=dns_server,
        functions=functions,
        endpoints=endpoints,
        nat_stays_for=stays,
        nat_still_needed=bool(stays),
    )
