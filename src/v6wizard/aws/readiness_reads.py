"""Read what the readiness report needs and build it: roles, environments, VPC endpoints, hostnames, AAAA.

Reads only (IAM Get/List, Lambda GetFunctionConfiguration, EC2 DescribeVpcEndpoints and
DescribeSecurityGroupRules) plus DNS lookups; the verdicts are `core.readiness_verdict`'s.
Per-function reads run concurrently on the shared clients.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from v6wizard.aws.dns_probe import AaaaProbe
from v6wizard.aws.errors import translate
from v6wizard.aws.function_env import read_env_facts
from v6wizard.aws.role_policies import read_role_actions
from v6wizard.aws.service_hosts import service_hosts
from v6wizard.aws.session import AwsAccess
from v6wizard.aws.vpc_endpoints import read_vpc_endpoints
from v6wizard.core.inventory import Inventory, LambdaFunction
from v6wizard.core.readiness import ReadinessReport, VpcEndpoint
from v6wizard.core.readiness_verdict import FunctionFacts, build_report, role_services
from v6wizard.errors import UnknownFunction

WORKERS = 8


def chosen_functions(inventory: Inventory, names: list[str] | None) -> list[LambdaFunction]:
    """The named functions (every function when None); UnknownFunction for one outside the VPC."""
    if not names:
        return list(inventory.functions)
    missing = [n for n in names if inventory.function(n) is None]
    if missing:
        raise UnknownFunction(
            f"No Lambda function named {', '.join(missing)} is attached to {inventory.vpc.id}; "
            "list the VPC's functions with `v6wizard plan --vpc-id` and pick from them."
        )
    return [fn for fn in inventory.functions if fn.name in names]


def endpoints_of(access: AwsAccess, vpc_id: str) -> list[VpcEndpoint]:
    try:
        return read_vpc_endpoints(access.client("ec2"), vpc_id)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing=f"reading the VPC endpoints of {vpc_id}") from None


def read_readiness(
    access: AwsAccess,
    inventory: Inventory,
    function_names: list[str] | None = None,
    *,
    dns_server: str | None = None,
    endpoints: list[VpcEndpoint] | None = None,
) -> ReadinessReport:
    functions = chosen_functions(inventory, function_names)
    probe = AaaaProbe(dns_server)  # a malformed server is refused before any read
    if endpoints is None:
        endpoints = endpoints_of(access, inventory.vpc.id)
    iam, lambda_ = access.client("iam"), access.client("lambda")

    def facts_of(fn: LambdaFunction) -> FunctionFacts:
        role = read_role_actions(iam, fn.role) if fn.role else None
        env = read_env_facts(lambda_, fn.name)
        findings = (role.findings if role else [f"{fn.name} has no execution role"]) + env.findings
        return FunctionFacts(fn, role.actions if role else [], env.services, env.keys, findings)

    try:
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="readiness") as pool:
            facts = list(pool.map(facts_of, functions))
    except Exception as exc:  # noqa: BLE001 - every failure becomes one user sentence
        raise translate(exc, access.target, doing="reading the functions' roles and settings") from None
    services: set[str] = set()
    for f in facts:
        services |= set(role_services(f.role_actions)[0]) | set(f.env_services)
    hosts = service_hosts(sorted(services), inventory.region)
    names = [h.default_host for h in hosts.values()] + [h.dualstack_host for h in hosts.values() if h.dualstack_host]
    answers = probe.answers(names)
    return build_report(inventory, facts, endpoints, hosts, answers, dns_server)
