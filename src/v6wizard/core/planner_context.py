"""What every step planner shares: the chosen resources and the ids of planned actions.

`build_plan` (core.planner) fills a `PlanContext` once from the inventory and the
options, then each step planner reads it and records the ids of the actions it
planned, so later steps can name them in `after_actions` and in placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from v6wizard.core.inventory import Inventory, LambdaFunction, Subnet
from v6wizard.core.plan import AwsCall, Finding, PlanOptions, Postcondition, StepName
from v6wizard.core.readiness import ReadinessReport, VpcEndpoint


@dataclass
class PlanContext:
    """The inputs of one planning run and the cross-step facts it accumulates."""

    inventory: Inventory
    options: PlanOptions
    subnets: list[Subnet]
    """Chosen subnets, in inventory order."""
    functions: list[LambdaFunction]
    """Chosen functions, in inventory order."""
    vpc_action: str | None = None
    """Id of the vpc-cidr association, when planned."""
    subnet_actions: dict[str, str] = field(default_factory=dict)
    """Subnet id -> id of its /64 association action."""
    uncovered: set[str] = field(default_factory=set)
    """Chosen subnets the allocator could not give a /64."""
    eigw_id: str | None = None
    """The VPC's existing egress-only gateway, reused when present."""
    eigw_needed: bool = False
    """Set by the routes step when a route needs the gateway created in step 3."""
    route_actions: dict[str, str] = field(default_factory=dict)
    """Route table id -> id of its ::/0 route action."""
    acl_actions: dict[str, list[str]] = field(default_factory=dict)
    """Network ACL id -> ids of its twin entry actions."""
    sg_actions: dict[str, list[str]] = field(default_factory=dict)
    """Security group id -> ids of its twin rule actions."""
    blocked_functions: set[str] = field(default_factory=set)
    """Functions the functions step could not plan (reported there as blockers)."""
    publish_actions: dict[str, str] = field(default_factory=dict)
    """Function name -> id of its publish-version action."""
    readiness: ReadinessReport | None = None
    """The readiness report, when the plan was made with one (--sdk-endpoints needs it)."""
    endpoints: list[VpcEndpoint] = field(default_factory=list)
    """The VPC's endpoints, for the IPv6 ingress twins of dual-stack interface endpoints."""

    @property
    def vpc_id(self) -> str:
        return self.inventory.vpc.id

    @property
    def migratable_subnets(self) -> list[Subnet]:
        """Chosen subnets that are (or will be) dual-stack: not IPv6-only, not uncovered."""
        return [s for s in self.subnets if not is_ipv6_only(s) and s.id not in self.uncovered]

    def after(self, *ids: str | None) -> list[str]:
        """The given action ids without the Nones, duplicates dropped, order kept."""
        return list(dict.fromkeys(i for i in ids if i))


def is_ipv6_only(subnet: Subnet) -> bool:
    return subnet.ipv6_native or not subnet.cidr_block


def label(resource_id: str, name: str = "") -> str:
    """`subnet-1 (private-a)`, or the bare id when there is no Name tag."""
    return f"{resource_id} ({name})" if name else resource_id


def finding(step: StepName, kind: str, resource_id: str, message: str) -> Finding:
    return Finding(step=step, kind=kind, resource_id=resource_id, message=message)  # type: ignore[arg-type]


def ec2(operation: str, **params: Any) -> AwsCall:
    return AwsCall(service="ec2", operation=operation, params=params)


def lambda_call(operation: str, **params: Any) -> AwsCall:
    return AwsCall(service="lambda", operation=operation, params=params)


def check(name: str, description: str, **params: Any) -> Postcondition:
    return Postcondition(check=name, description=description, params=params)

