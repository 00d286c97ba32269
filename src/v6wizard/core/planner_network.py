"""Step planners for the network layer: VPC block, subnet /64s, egress-only gateway, routes."""

from __future__ import annotations

from ipaddress import IPv6Network

from v6wizard.core.allocator import AMAZON_PREFIX, allocate, subnet64_count, taken_indexes
from v6wizard.core.inventory import ANY_IPV4, ANY_IPV6, OURS_TAG, CidrAssociation, Route, RouteTable, Subnet
from v6wizard.core.plan import STEP_TITLES, Action, Finding, Step, nth_subnet64
from v6wizard.core.plan_view import NEW_GATEWAY, subnet64_words
from v6wizard.core.planner_context import PlanContext, check, ec2, finding, is_ipv6_only, label


def eigw_action_id(vpc_id: str) -> str:
    return f"egress-gateway:create:{vpc_id}"


def planned_prefixlen(ctx: PlanContext, block: CidrAssociation | None) -> int:
    """The size the VPC block will have, when its CIDR is not known yet."""
    if block is not None and block.pool in (None, "", "Amazon"):
        return AMAZON_PREFIX
    return _option_prefixlen(ctx)


def _option_prefixlen(ctx: PlanContext) -> int:
    options = ctx.options
    if options.cidr_source == "ipam":
        return options.ipam_netmask_length
    if options.cidr_source == "byoip" and options.byoip_cidr:
        return IPv6Network(options.byoip_cidr).prefixlen
    return AMAZON_PREFIX


# --- 1 vpc-cidr ------------------------------------------------------------------


def plan_vpc_cidr(ctx: PlanContext) -> Step:
    vpc = ctx.inventory.vpc
    name = label(vpc.id, vpc.name)
    block = vpc.ipv6_block
    if block is not None:
        findings: list[Finding] = []
        if block.state == "associating":
            findings.append(
                finding(
                    "vpc-cidr",
                    "info",
                    vpc.id,
                    f"VPC {name}'s IPv6 block {block.cidr or '(being allocated)'} is still associating; "
                    "the subnets step waits until it is associated.",
                )
            )
        return Step(name="vpc-cidr", title=STEP_TITLES["vpc-cidr"], findings=findings)

    options = ctx.options
    params: dict[str, object] = {"VpcId": vpc.id}
    if options.cidr_source == "ipam":
        params |= {"Ipv6IpamPoolId": options.ipam_pool_id, "Ipv6NetmaskLength": options.ipam_netmask_length}
        source = f"a /{options.ipam_netmask_length} from IPAM pool {options.ipam_pool_id}"
    elif options.cidr_source == "byoip":
        params["Ipv6Pool"] = options.byoip_pool_id
        if options.byoip_cidr:
            params["Ipv6CidrBlock"] = options.byoip_cidr
            source = f"{options.byoip_cidr} from BYOIP pool {options.byoip_pool_id}"
        else:
            source = f"a /{AMAZON_PREFIX} from BYOIP pool {options.byoip_pool_id}"
    else:
        params["AmazonProvidedIpv6CidrBlock"] = True
        source = f"an Amazon-provided /{AMAZON_PREFIX}"
    action_id = f"vpc-cidr:associate:{vpc.id}"
    ctx.vpc_action = action_id
    action = Action(
        id=action_id,
        step="vpc-cidr",
        kind="associate-vpc-ipv6",
        resource_id=vpc.id,
        title=f"Associate {source} with VPC {name}",
        before=f"VPC {name} has IPv4 {vpc.cidr_block} and no IPv6 block",
        after=f"VPC {name} holds {source} as its IPv6 block, state associated",
        call=ec2("AssociateVpcCidrBlock", **params),
        postcondition=check("vpc-ipv6-associated", f"VPC {vpc.id} has an associated IPv6 block", VpcId=vpc.id),
        inverse=ec2("DisassociateVpcCidrBlock", AssociationId=f"${{{action_id}.AssociationId}}"),
        inverse_note="disassociated last, once no subnet holds a /64 from it",
        outputs=["AssociationId", "Ipv6CidrBlock"],
        depends_on_resources=[f"vpc:{vpc.id}"],
    )
    return Step(name="vpc-cidr", title=STEP_TITLES["vpc-cidr"], actions=[action])


# --- 2 subnets -------------------------------------------------------------------


def plan_subnets(ctx: PlanContext) -> Step:
    vpc = ctx.inventory.vpc
    block = vpc.ipv6_block
    vpc_cidr = block.cidr if block is not None and block.cidr else None
    prefixlen = IPv6Network(vpc_cidr).prefixlen if vpc_cidr else planned_prefixlen(ctx, block)
    count = subnet64_count(prefixlen)
    # Every subnet of the VPC counts, chosen or not: a /64 in use is never handed out.
    taken = taken_indexes(vpc_cidr, [s.ipv6_cidr for s in ctx.inventory.subnets if s.ipv6_cidr]) if vpc_cidr else set()
    needing = [s for s in ctx.subnets if not is_ipv6_only(s) and not s.ipv6_cidr]
    allocation = allocate([(s.id, s.cidr_block) for s in needing], count, taken)
    ctx.uncovered = set(allocation.uncovered)

    actions: list[Action] = []
    findings: list[Finding] = []
    for subnet in ctx.subnets:
        name = label(subnet.id, subnet.name)
        if is_ipv6_only(subnet):
            findings.append(
                finding("subnets", "info", subnet.id, f"Subnet {name} is IPv6-only: it needs no /64, and Lambda cannot use it.")
            )
            continue
        associate_id = None
        if not subnet.ipv6_cidr and subnet.id in allocation.indexes:
            index = allocation.indexes[subnet.id]
            associate = _associate_subnet(ctx, subnet, index, vpc_cidr)
            associate_id = associate.id
            ctx.subnet_actions[subnet.id] = associate_id
            actions.append(associate)
        covered = bool(subnet.ipv6_cidr) or associate_id is not None
        if covered and ctx.options.assign_ipv6_on_creation and not subnet.assign_ipv6_on_creation:
            actions.append(_assign_on_create(ctx, subnet, associate_id))
    if allocation.uncovered:
        where = vpc_cidr or f"the new /{prefixlen}"
        findings.append(
            finding(
                "subnets",
                "blocker",
                vpc.id,
                f"{where} has no free /64 left for {len(allocation.uncovered)} subnet(s): "
                f"{', '.join(sorted(allocation.uncovered))}; they stay IPv4-only and functions on them are held back.",
            )
        )
    return Step(name="subnets", title=STEP_TITLES["subnets"], actions=actions, findings=findings)


def _associate_subnet(ctx: PlanContext, subnet: Subnet, index: int, vpc_cidr: str | None) -> Action:
    name = label(subnet.id, subnet.name)
    action_id = f"subnets:associate:{subnet.id}"
    if vpc_cidr:
        cidr = nth_subnet64(vpc_cidr, index)
        words = cidr
    else:
        cidr = f"${{subnet64:{index}}}"
        words = subnet64_words(index)
    return Action(
        id=action_id,
        step="subnets",
        kind="associate-subnet-ipv6",
        resource_id=subnet.id,
        title=f"Give subnet {name} a /64",
        before=f"subnet {name} has IPv4 {subnet.cidr_block} in {subnet.availability_zone} and no IPv6 block",
        after=f"subnet {name} holds {words} beside {subnet.cidr_block}",
        call=ec2("AssociateSubnetCidrBlock", SubnetId=subnet.id, Ipv6CidrBlock=cidr),
        postcondition=check("subnet-ipv6-associated", f"subnet {subnet.id} holds an associated /64", SubnetId=subnet.id),
        inverse=ec2("DisassociateSubnetCidrBlock", AssociationId=f"${{{action_id}.AssociationId}}"),
        inverse_note="the /64 goes back to the VPC block",
        outputs=["AssociationId", "Ipv6CidrBlock"],
        after_actions=ctx.after(ctx.vpc_action),
        depends_on_resources=[f"subnet:{subnet.id}", f"vpc:{ctx.vpc_id}"],
    )


def _assign_on_create(ctx: PlanContext, subnet: Subnet, associate_id: str | None) -> Action:
    name = label(subnet.id, subnet.name)
    return Action(
        id=f"subnets:assign-on-create:{subnet.id}",
        step="subnets",
        kind="enable-assign-ipv6",
        resource_id=subnet.id,
        title=f"Give new interfaces in subnet {name} an IPv6 address",
        before=f"new network interfaces in subnet {name} get no IPv6 address",
        after=f"new network interfaces in subnet {name} get an IPv6 address from its /64",
        call=ec2("ModifySubnetAttribute", SubnetId=subnet.id, AssignIpv6AddressOnCreation={"Value": True}),
        postcondition=check(
            "subnet-assign-ipv6", f"subnet {subnet.id} assigns IPv6 addresses on creation", SubnetId=subnet.id, Value=True
        ),
        inverse=ec2("ModifySubnetAttribute", SubnetId=subnet.id, AssignIpv6AddressOnCreation={"Value": False}),
        inverse_note="turned off before the /64 is disassociated",
        after_actions=ctx.after(associate_id),
        depends_on_resources=[f"subnet:{subnet.id}"],
    )


# --- 3 egress-gateway (planned after the routes, which decide whether it is needed) ---


def existing_eigw(ctx: PlanContext) -> str | None:
    # Discovery keeps attaching gateways too: one being attached is reused, not duplicated.
    attached = sorted(g.id for g in ctx.inventory.egress_only_gateways if g.state in ("attached", "attaching"))
    return attached[0] if attached else None


def plan_egress_gateway(ctx: PlanContext) -> Step:
    vpc = ctx.inventory.vpc
    name = label(vpc.id, vpc.name)
    title = STEP_TITLES["egress-gateway"]
    if ctx.eigw_id:
        return Step(
            name="egress-gateway",
            title=title,
            findings=[finding("egress-gateway", "info", ctx.eigw_id, f"VPC {name} already has egress-only gateway {ctx.eigw_id}; it is reused.")],
        )
    if not ctx.eigw_needed:
        return Step(name="egress-gateway", title=title)
    action_id = eigw_action_id(vpc.id)
    tags = [{"Key": OURS_TAG, "Value": "${session}"}, {"Key": "Name", "Value": f"v6wizard-{vpc.id}"}]
    action = Action(
        id=action_id,
        step="egress-gateway",
        kind="create-egress-gateway",
        resource_id=vpc.id,
        title=f"Create an egress-only internet gateway for VPC {name}",
        before=f"VPC {name} has no egress-only internet gateway",
        after=f"VPC {name} has egress-only gateway v6wizard-{vpc.id}: outbound-only IPv6, no hourly or processing charge; data sent out is billed as usual",
        call=ec2(
            "CreateEgressOnlyInternetGateway",
            VpcId=vpc.id,
            ClientToken="${client_token}",
            TagSpecifications=[{"ResourceType": "egress-only-internet-gateway", "Tags": tags}],
        ),
        postcondition=check("eigw-attached", f"an egress-only gateway is attached to {vpc.id}", VpcId=vpc.id),
        inverse=ec2("DeleteEgressOnlyInternetGateway", EgressOnlyInternetGatewayId=f"${{{action_id}.EgressOnlyInternetGatewayId}}"),
        inverse_note="deleted after the routes that use it",
        outputs=["EgressOnlyInternetGatewayId"],
        depends_on_resources=[f"vpc:{vpc.id}"],
    )
    return Step(name="egress-gateway", title=title, actions=[action])


# --- 4 routes --------------------------------------------------------------------


def route_tables_in_scope(ctx: PlanContext) -> list[tuple[RouteTable, list[str]]]:
    """Each table serving a migratable subnet, with the subnets it serves, by table id."""
    served: dict[str, list[str]] = {}
    tables: dict[str, RouteTable] = {}
    for subnet in ctx.migratable_subnets:
        table = ctx.inventory.route_table_for(subnet.id)
        if table is not None:
            tables[table.id] = table
            served.setdefault(table.id, []).append(subnet.id)
    return [(tables[tid], served[tid]) for tid in sorted(tables)]


def plan_routes(ctx: PlanContext) -> Step:
    actions: list[Action] = []
    findings: list[Finding] = []
    for table, subnet_ids in route_tables_in_scope(ctx):
        name = label(table.id, table.name)
        v4 = table.route_to(ANY_IPV4)
        existing = table.route_to(ANY_IPV6)
        igw = v4.target if table.is_public and v4 is not None else None
        if existing is not None:
            if existing.target in (igw, ctx.eigw_id) and existing.target:
                continue  # already routed the way this step would route it
            findings.append(
                finding(
                    "routes",
                    "conflict",
                    table.id,
                    f"Route table {name} already sends ::/0 to {existing.target}; it is left untouched.",
                )
            )
            continue
        if igw and not ctx.options.public_ipv6_route:
            findings.append(
                finding(
                    "routes",
                    "info",
                    table.id,
                    f"Route table {name} is public (0.0.0.0/0 -> {igw}): its subnets keep IPv4 egress via the "
                    "internet gateway and get no IPv6 default route unless public IPv6 routes are asked for.",
                )
            )
            continue
        if not igw and (v4 is None or not v4.target.startswith("nat-")):
            # Only NAT egress has an IPv6 equivalent we may grant: an isolated table must stay
            # isolated, and a transit gateway / firewall / peering path must not be bypassed.
            findings.append(finding("routes", "review", table.id, _no_egress_words(name, v4)))
            continue
        actions.append(_create_route(ctx, table, subnet_ids, igw))
    return Step(name="routes", title=STEP_TITLES["routes"], actions=actions, findings=findings)


def _no_egress_words(name: str, v4: Route | None) -> str:
    if v4 is None:
        return (
            f"Route table {name} has no IPv4 default route (no internet egress): it gets no IPv6 default route "
            "either; add one yourself if its subnets should reach the internet over IPv6."
        )
    return (
        f"Route table {name} sends 0.0.0.0/0 to {v4.target}, not to a NAT gateway: no ::/0 route to the "
        "egress-only gateway is planned, so IPv6 cannot bypass that path; route ::/0 yourself to the "
        "equivalent IPv6 target."
    )


def _create_route(ctx: PlanContext, table: RouteTable, subnet_ids: list[str], igw: str | None) -> Action:
    name = label(table.id, table.name)
    depends = [f"route-table:{table.id}", f"vpc:{ctx.vpc_id}"]
    after = [ctx.vpc_action]
    if igw:
        target = {"GatewayId": igw}
        words = f"internet gateway {igw}"
        depends.append(f"igw:{igw}")
    elif ctx.eigw_id:
        target = {"EgressOnlyInternetGatewayId": ctx.eigw_id}
        words = f"egress-only gateway {ctx.eigw_id}"
        depends.append(f"eigw:{ctx.eigw_id}")
    else:
        ctx.eigw_needed = True
        gateway_action = eigw_action_id(ctx.vpc_id)
        target = {"EgressOnlyInternetGatewayId": f"${{{gateway_action}.EgressOnlyInternetGatewayId}}"}
        words = NEW_GATEWAY
        after.append(gateway_action)
    v4 = table.route_to(ANY_IPV4)
    v4_words = f"0.0.0.0/0 goes to {v4.target}" if v4 else "no IPv4 default route"
    action_id = f"routes:create:{table.id}"
    ctx.route_actions[table.id] = action_id
    return Action(
        id=action_id,
        step="routes",
        kind="create-route",
        resource_id=table.id,
        title=f"Route ::/0 in {name} to {words}",
        before=f"route table {name}, serving {', '.join(subnet_ids)}, has no IPv6 default route; {v4_words}",
        after=f"route table {name} sends ::/0 to {words}; IPv4 routes stay as they are",
        call=ec2("CreateRoute", RouteTableId=table.id, DestinationIpv6CidrBlock=ANY_IPV6, **target),
        postcondition=check(
            "route-exists", f"{table.id} routes ::/0 to {words}", RouteTableId=table.id, DestinationIpv6CidrBlock=ANY_IPV6, **target
        ),
        inverse=ec2("DeleteRoute", RouteTableId=table.id, DestinationIpv6CidrBlock=ANY_IPV6),
        inverse_note="only the ::/0 route created here is deleted",
        after_actions=ctx.after(*after),
        depends_on_resources=depends,
    )
