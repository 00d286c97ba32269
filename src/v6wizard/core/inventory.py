"""The Inventory: a read-only snapshot of one VPC and the Lambda functions attached to it.

Discovery (`v6wizard.aws.discovery`) builds it; the planner reads it. It is plain
pydantic, imports neither boto3 nor textual, and serializes to JSON for the journal.
Only live associations are kept: disassociated CIDR blocks are dropped by discovery.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, Field

OURS_TAG = "v6wizard:session"
"""Tag key on every resource this tool creates; its value is the journal session id."""

ANY_IPV4 = "0.0.0.0/0"
ANY_IPV6 = "::/0"


class Model(BaseModel):
    """Base for every inventory model: immutable and strict about unknown fields."""

    model_config = {"frozen": True, "extra": "forbid"}


class CidrAssociation(Model):
    """An IPv4 or IPv6 CIDR block associated with a VPC or subnet."""

    association_id: str
    """AWS association id (vpc-cidr-assoc-... or subnet-cidr-assoc-...)."""
    cidr: str
    """The block, e.g. 10.0.0.0/16 or 2600:1f18:abcd:1200::/56. Empty while AWS is still allocating."""
    state: str
    """AWS state: associating, associated, disassociating, failing, failed."""
    pool: str | None = None
    """For IPv6 VPC blocks: "Amazon", an IPAM pool id or a BYOIP pool id."""


class Vpc(Model):
    """The VPC itself."""

    id: str
    name: str = ""
    """The Name tag, if any."""
    cidr_block: str
    """Primary IPv4 block."""
    ipv4_associations: list[CidrAssociation] = Field(default_factory=list)
    ipv6_associations: list[CidrAssociation] = Field(default_factory=list)
    """Live IPv6 associations (anything but disassociated)."""
    is_default: bool = False
    tags: dict[str, str] = Field(default_factory=dict)

    @property
    def ipv6_block(self) -> CidrAssociation | None:
        """The associated (or associating) IPv6 block, if any."""
        for assoc in self.ipv6_associations:
            if assoc.state in ("associated", "associating"):
                return assoc
        return None


class Subnet(Model):
    """A subnet of the VPC."""

    id: str
    name: str = ""
    availability_zone: str
    cidr_block: str
    """IPv4 block; empty for an IPv6-only subnet."""
    ipv6_association: CidrAssociation | None = None
    """The subnet's live IPv6 block (AWS allows at most one)."""
    assign_ipv6_on_creation: bool = False
    ipv6_native: bool = False
    """True for IPv6-only subnets, which Lambda dual-stack does not support."""
    map_public_ip_on_launch: bool = False
    tags: dict[str, str] = Field(default_factory=dict)

    @property
    def ipv6_cidr(self) -> str | None:
        if self.ipv6_association and self.ipv6_association.state in ("associated", "associating"):
            return self.ipv6_association.cidr
        return None


class Route(Model):
    """One route in a route table."""

    destination: str
    """An IPv4 or IPv6 CIDR, or a prefix list id (pl-...)."""
    target: str
    """The target id: local, igw-..., eigw-..., nat-..., pcx-..., tgw-..., eni-..., vpce-..."""
    state: str = "active"
    origin: str = "CreateRoute"
    """CreateRouteTable (the local route), CreateRoute or EnableVgwRoutePropagation."""

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.destination


class RouteTable(Model):
    """A route table and the subnets it serves."""

    id: str
    name: str = ""
    main: bool = False
    """The VPC's main route table serves every subnet without an explicit association."""
    subnet_ids: list[str] = Field(default_factory=list)
    """Subnets explicitly associated with this table."""
    routes: list[Route] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)

    def route_to(self, destination: str) -> Route | None:
        for route in self.routes:
            if route.destination == destination:
                return route
        return None

    @property
    def is_public(self) -> bool:
        """A table whose IPv4 default route goes to an internet gateway."""
        route = self.route_to(ANY_IPV4)
        return route is not None and route.target.startswith("igw-")


class NetworkAclEntry(Model):
    """One numbered rule of a network ACL."""

    rule_number: int
    egress: bool
    protocol: str
    """"-1" for all, or an IP protocol number as text ("6" tcp, "17" udp, "1" icmp, "58" icmpv6)."""
    rule_action: Literal["allow", "deny"]
    cidr_block: str | None = None
    ipv6_cidr_block: str | None = None
    port_from: int | None = None
    port_to: int | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None


class NetworkAcl(Model):
    """A network ACL and the subnets it guards."""

    id: str
    name: str = ""
    is_default: bool = False
    subnet_ids: list[str] = Field(default_factory=list)
    entries: list[NetworkAclEntry] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)


class InternetGateway(Model):
    id: str
    name: str = ""
    tags: dict[str, str] = Field(default_factory=dict)


class EgressOnlyGateway(Model):
    id: str
    state: str = "attached"
    """Attachment state to this VPC."""
    tags: dict[str, str] = Field(default_factory=dict)


class NatGateway(Model):
    id: str
    subnet_id: str
    state: str
    """pending, available, deleting, deleted, failed: discovery keeps only pending and available."""
    connectivity: str = "public"
    tags: dict[str, str] = Field(default_factory=dict)


class SecurityGroupRule(Model):
    """One egress (or ingress) rule of a security group, by rule id."""

    rule_id: str
    group_id: str
    is_egress: bool = True
    protocol: str
    """"-1" for all, "tcp", "udp", "icmp", "icmpv6", or a number as text."""
    from_port: int | None = None
    to_port: int | None = None
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None
    prefix_list_id: str | None = None
    referenced_group_id: str | None = None
    description: str = ""
    tags: dict[str, str] = Field(default_factory=dict)


class SecurityGroup(Model):
    id: str
    name: str
    description: str = ""
    egress_rules: list[SecurityGroupRule] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)


class Alias(Model):
    """A Lambda alias, with its weighted routing if any."""

    name: str
    function_version: str
    """The primary version the alias points at."""
    additional_weights: dict[str, float] = Field(default_factory=dict)
    """RoutingConfig.AdditionalVersionWeights: version -> weight in [0, 1]."""
    revision_id: str = ""
    provisioned_concurrency: int = 0
    """Requested provisioned concurrency on this alias (0 when none)."""

    @property
    def is_weighted(self) -> bool:
        return bool(self.additional_weights)


class FunctionVersion(Model):
    """A published (numeric) version of a function."""

    version: str
    code_sha256: str
    ipv6_allowed_for_dual_stack: bool = False
    subnet_ids: list[str] = Field(default_factory=list)
    security_group_ids: list[str] = Field(default_factory=list)


class LambdaFunction(Model):
    """A Lambda function attached to the VPC (found by its subnet ids)."""

    name: str
    arn: str
    runtime: str = ""
    role: str = ""
    code_sha256: str
    """CodeSha256 of $LATEST."""
    subnet_ids: list[str] = Field(default_factory=list)
    security_group_ids: list[str] = Field(default_factory=list)
    ipv6_allowed_for_dual_stack: bool = False
    """$LATEST's VpcConfig.Ipv6AllowedForDualStack."""
    state: str = "Active"
    last_update_status: str = "Successful"
    dead_letter_target: str | None = None
    versions: list[FunctionVersion] = Field(default_factory=list)
    """Published versions, oldest first ($LATEST excluded)."""
    aliases: list[Alias] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)

    def alias(self, name: str) -> Alias | None:
        for alias in self.aliases:
            if alias.name == name:
                return alias
        return None

    def version(self, number: str) -> FunctionVersion | None:
        for version in self.versions:
            if version.version == number:
                return version
        return None


class Inventory(Model):
    """Everything the planner needs to know about one VPC, read at one moment."""

    account_id: str
    region: str
    vpc: Vpc
    subnets: list[Subnet] = Field(default_factory=list)
    route_tables: list[RouteTable] = Field(default_factory=list)
    network_acls: list[NetworkAcl] = Field(default_factory=list)
    internet_gateways: list[InternetGateway] = Field(default_factory=list)
    egress_only_gateways: list[EgressOnlyGateway] = Field(default_factory=list)
    nat_gateways: list[NatGateway] = Field(default_factory=list)
    security_groups: list[SecurityGroup] = Field(default_factory=list)
    functions: list[LambdaFunction] = Field(default_factory=list)
    taken_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    """When discovery finished; not part of the fingerprint."""

    # --- look-ups -------------------------------------------------------------

    def subnet(self, subnet_id: str) -> Subnet | None:
        return next((s for s in self.subnets if s.id == subnet_id), None)

    def function(self, name: str) -> LambdaFunction | None:
        return next((f for f in self.functions if f.name == name), None)

    def security_group(self, group_id: str) -> SecurityGroup | None:
        return next((g for g in self.security_groups if g.id == group_id), None)

    def main_route_table(self) -> RouteTable | None:
        return next((t for t in self.route_tables if t.main), None)

    def route_table_for(self, subnet_id: str) -> RouteTable | None:
        """The table that serves a subnet: its explicit association, else the main table."""
        for table in self.route_tables:
            if subnet_id in table.subnet_ids:
                return table
        return self.main_route_table()

    def network_acl_for(self, subnet_id: str) -> NetworkAcl | None:
        for acl in self.network_acls:
            if subnet_id in acl.subnet_ids:
                return acl
        return next((a for a in self.network_acls if a.is_default), None)

    # --- fingerprints ---------------------------------------------------------

    def resource_digests(self) -> dict[str, str]:
        """A digest per resource id, over everything discovery saw of it.

        The plan keeps these; before each action the engine compares the digests of
        the resources that action depends on (see `Action.depends_on_resources`),
        after accounting for the changes the session itself made.
        """
        digests: dict[str, str] = {"vpc:" + self.vpc.id: _digest(self.vpc)}
        groups: list[tuple[str, list[Model]]] = [
            ("subnet", self.subnets),
            ("route-table", self.route_tables),
            ("network-acl", self.network_acls),
            ("igw", self.internet_gateways),
            ("eigw", self.egress_only_gateways),
            ("nat", self.nat_gateways),
            ("security-group", self.security_groups),
        ]
        for kind, items in groups:
            for item in items:
                digests[f"{kind}:{item.id}"] = _digest(item)  # type: ignore[attr-defined]
        for fn in self.functions:
            digests["function:" + fn.name] = _digest(fn)
        return digests

    def fingerprint(self) -> str:
        """One digest of the whole inventory (ignores `taken_at`)."""
        return _digest_json(sorted(self.resource_digests().items()))


def _digest(model: BaseModel) -> str:
    return _digest_json(model.model_dump(mode="json"))


def _digest_json(data: object) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class VpcSummary(Model):
    """One line of the region overview, for choosing a VPC."""

    id: str
    name: str = ""
    cidr_block: str
    is_default: bool = False
    ipv6_cidr: str | None = None
    """The VPC's IPv6 block, if any."""
    ipv6_state: Literal["none", "associating", "partial", "dual-stack"] = "none"
    """none: no block; associating; partial: block but not every subnet has a /64; dual-stack: all do."""
    subnet_count: int = 0
    subnets_with_ipv6: int = 0
    nat_gateway_count: int = 0
    function_count: int = 0


class RegionOverview(Model):
    """Every VPC of a region, summarized."""

    account_id: str
    region: str
    vpcs: list[VpcSummary] = Field(default_factory=list)
