"""The Plan: an ordered list of steps, each a list of previewable, reversible actions.

A plan is a pure function of an Inventory plus PlanOptions (see `core.planner`). It
names the exact AWS call each action makes, in words and as parameters. Values that
only exist once earlier actions have run are written as placeholders that the engine
resolves at apply time (see `resolve`):

- `${session}`: the journal session id (used in the `v6wizard:session` tag);
- `${client_token}`: an idempotency token the engine mints once and journals;
- `${ACTION_ID.Key}`: output `Key` recorded in the journal for an earlier action,
  e.g. `${egress-gateway:create:vpc-1.EgressOnlyInternetGatewayId}`;
- `${subnet64:N}`: the N-th /64 (0-based) of the VPC's associated IPv6 block, for
  plans made before the block exists.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from ipaddress import IPv6Network
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

from v6wizard.core.savings import SavingsEstimate
from v6wizard.core.readiness import ReadinessReport
from v6wizard.core.schedule import DEFAULT_SCHEDULE, Stage, parse_schedule

StepName = Literal[
    "vpc-cidr",
    "subnets",
    "egress-gateway",
    "routes",
    "network-acls",
    "security-groups",
    "functions",
    "cutover",
]

STEP_ORDER: tuple[StepName, ...] = get_args(StepName)
"""The steps in the order they are applied (undone in reverse): the one list is StepName's."""

STEP_TITLES: dict[str, str] = {
    "vpc-cidr": "VPC IPv6 block",
    "subnets": "Subnet /64s",
    "egress-gateway": "Egress-only gateway",
    "routes": "IPv6 routes",
    "network-acls": "Network ACLs",
    "security-groups": "Security groups",
    "functions": "Dual-stack functions",
    "cutover": "Alias cutover",
}

ActionKind = Literal[
    "associate-vpc-ipv6",
    "associate-subnet-ipv6",
    "enable-assign-ipv6",
    "create-egress-gateway",
    "create-route",
    "create-nacl-entry",
    "authorize-sg-egress",
    "authorize-sg-ingress",
    "update-function-config",
    "publish-version",
    "cutover-alias",
]


class Model(BaseModel):
    model_config = {"frozen": True, "extra": "forbid"}


class AwsCall(Model):
    """One AWS API call, exactly as the executor will make it."""

    service: Literal["ec2", "lambda"]
    operation: str
    """The API operation name, e.g. CreateRoute (boto3 method create_route)."""
    params: dict[str, Any] = Field(default_factory=dict)
    """Parameters as sent, possibly holding placeholders (see module docstring)."""

    def describe(self) -> str:
        """The call on one line: `ec2 CreateRoute RouteTableId=rtb-1 ...`."""
        args = " ".join(f"{key}={_compact(value)}" for key, value in self.params.items())
        return f"{self.service} {self.operation} {args}".rstrip()


def _compact(value: Any) -> str:
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, separators=(",", ":"), sort_keys=False)


class Postcondition(Model):
    """What must be true after the action, and how the engine checks it."""

    check: str
    """Machine name of the check, e.g. vpc-ipv6-associated, route-exists."""
    description: str
    """The same in words, for previews."""
    params: dict[str, Any] = Field(default_factory=dict)


class Action(Model):
    """One change: its preview, its call, its postcondition and its inverse."""

    id: str
    """Stable id, `STEP:VERB:RESOURCE`, e.g. `routes:create:rtb-0abc`."""
    step: StepName
    kind: ActionKind
    resource_id: str
    """The AWS resource the action changes (VPC, subnet, route table, group, function...)."""
    title: str
    """One line, e.g. "Give subnet-0abc (private-a) a /64"."""
    before: str
    """The relevant state now, in words."""
    after: str
    """The state after the action, in words."""
    call: AwsCall
    postcondition: Postcondition
    inverse: AwsCall | None = None
    """The call that undoes it; None when there is nothing to undo."""
    inverse_note: str = ""
    """What rollback leaves behind and why (e.g. published versions are immutable)."""
    outputs: list[str] = Field(default_factory=list)
    """Keys the engine records from the response, referenced by later placeholders."""
    after_actions: list[str] = Field(default_factory=list)
    """Ids of actions (in this or earlier steps) that must have succeeded first."""
    depends_on_resources: list[str] = Field(default_factory=list)
    """Keys of `Inventory.resource_digests()` this action relies on (drift checks)."""


FindingKind = Literal["info", "review", "conflict", "blocker"]


class Finding(Model):
    """Something the operator must see before applying: a conflict, a gap, a rule to review."""

    kind: FindingKind
    """info: for the record; review: needs a human decision; conflict: existing state we won't
    overwrite; blocker: the step cannot complete as asked."""
    step: StepName
    resource_id: str
    message: str


class Step(Model):
    """One of the eight migration steps, with its actions and findings."""

    name: StepName
    title: str
    actions: list[Action] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.actions


def default_stages() -> list[Stage]:
    return parse_schedule(DEFAULT_SCHEDULE)


class PlanOptions(Model):
    """The operator's choices that, with the inventory, determine the plan."""

    cidr_source: Literal["amazon", "ipam", "byoip"] = "amazon"
    """Where the VPC's IPv6 block comes from."""
    ipam_pool_id: str | None = None
    """IPAM pool id (cidr_source=ipam)."""
    ipam_netmask_length: int = 56
    """Netmask for the IPAM allocation (cidr_source=ipam), 44..60 in steps of 4."""
    byoip_pool_id: str | None = None
    """BYOIP IPv6 pool id (cidr_source=byoip)."""
    byoip_cidr: str | None = None
    """Optional explicit block from the BYOIP pool."""
    subnet_ids: list[str] | None = None
    """Subnets to migrate; None means every subnet of the VPC."""
    function_names: list[str] | None = None
    """Functions to migrate; None means every function attached to the VPC."""
    assign_ipv6_on_creation: bool = False
    """Turn on AssignIpv6AddressOnCreation for migrated subnets."""
    public_ipv6_route: bool = False
    """Give public subnets (0.0.0.0/0 to an internet gateway) ::/0 to that gateway too."""
    alias_name: str = "live"
    """The alias whose traffic the cutover shifts."""
    schedule: list[Stage] = Field(default_factory=default_stages)
    """Cutover stages."""
    sdk_endpoints: bool = False
    """Also set AWS_ENDPOINT_URL_<SERVICE_ID> on each function for its opt-in services reached through NAT."""
    dns_server: str | None = None
    """The resolver (HOST[:PORT]) readiness asks for AAAA records; None: the system's."""


class Plan(Model):
    """An ordered migration plan for one VPC, and the inventory fingerprint it came from."""

    format_version: int = 1
    account_id: str
    region: str
    vpc_id: str
    options: PlanOptions = Field(default_factory=PlanOptions)
    steps: list[Step]
    """Always the eight steps, in STEP_ORDER; a step may hold no actions."""
    fingerprint: str
    """`Inventory.fingerprint()` of the inventory the plan was made from."""
    resource_digests: dict[str, str] = Field(default_factory=dict)
    """`Inventory.resource_digests()` of that inventory, for per-action drift checks."""
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    resource_names: dict[str, str] = Field(default_factory=dict)
    """Name tags of the VPC and its subnets, route tables, network ACLs and security groups, by id
    (exports name their resources after them; empty in plans made before exports existed)."""
    savings: SavingsEstimate | None = None
    """What the chosen subnets' NAT path costs and what IPv6 could take off it; not part of the fingerprint or the actions."""
    readiness: ReadinessReport | None = None
    """The readiness report the plan was made with (with --sdk-endpoints, or when asked for)."""

    def step(self, name: str) -> Step:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(name)

    def actions(self, steps: list[str] | None = None) -> list[Action]:
        """All actions in order, optionally only of the named steps."""
        return [a for s in self.steps if steps is None or s.name in steps for a in s.actions]

    def action(self, action_id: str) -> Action:
        for action in self.actions():
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.steps for f in s.findings]

    @property
    def is_empty(self) -> bool:
        """True when there is nothing left to apply."""
        return all(step.is_empty for step in self.steps)


# --- placeholders ------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


class UnresolvedPlaceholder(KeyError):
    """A placeholder names an output that has not been recorded yet."""


def nth_subnet64(vpc_block: str, index: int) -> str:
    """The index-th /64 of a VPC IPv6 block (0-based)."""
    network = IPv6Network(vpc_block)
    size = 1 << (64 - network.prefixlen)
    if not 0 <= index < size:
        raise ValueError(f"/64 number {index} is outside {vpc_block}")
    return str(IPv6Network((int(network.network_address) + (index << 64), 64)))


def resolve(
    value: Any,
    *,
    outputs: dict[str, dict[str, Any]],
    session_id: str = "",
    client_token: str = "",
    vpc_block: str | None = None,
    keep_unresolved: bool = False,
) -> Any:
    """Replace every placeholder in a parameter tree with its value.

    `outputs` maps action id -> recorded outputs. A string that is exactly one
    placeholder is replaced by the value itself (which may be a list or a number);
    placeholders inside longer strings are substituted as text. With `keep_unresolved`,
    a placeholder whose value is not known yet stays as written instead of raising
    (for reads that do not look at it, such as a drift check made ahead of its step).
    """

    def lookup(name: str) -> Any:
        if not keep_unresolved:
            return known(name)
        try:
            return known(name)
        except UnresolvedPlaceholder:
            return "${" + name + "}"

    def known(name: str) -> Any:
        if name == "session":
            return session_id
        if name == "client_token":
            return client_token
        if name.startswith("subnet64:"):
            if not vpc_block:
                raise UnresolvedPlaceholder(name)
            return nth_subnet64(vpc_block, int(name.split(":", 1)[1]))
        action_id, _, key = name.rpartition(".")
        try:
            return outputs[action_id][key]
        except KeyError:
            raise UnresolvedPlaceholder(name) from None

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            whole = _PLACEHOLDER.fullmatch(node)
            if whole:
                return lookup(whole.group(1))
            return _PLACEHOLDER.sub(lambda m: str(lookup(m.group(1))), node)
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(value)


def placeholders(value: Any) -> set[str]:
    """Every placeholder name in a parameter tree."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.update(_PLACEHOLDER.findall(node))
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(value)
    return found
