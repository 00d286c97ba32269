"""IPv6 ingress twins for dual-stack interface endpoints ("PrivateLink fails after enabling IPv6").

A dual-stack interface endpoint answers AAAA, so a dual-stack function connects to it
over IPv6; if the endpoint's security groups admit the function subnets only by their
IPv4 ranges, those connections are dropped. For each IPv4 ingress rule that admits a
migrated function subnet, the security-groups step adds its IPv6 twin: same protocol
and ports, from that subnet's /64 only. Each twin is its own rule, revoked by its rule
id on undo. Rules that name a security group need nothing (they match IPv6 too).
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network

from v6wizard.core.inventory import OURS_TAG, Subnet
from v6wizard.core.plan import Action, Finding, Step
from v6wizard.core.planner_context import PlanContext, check, ec2, finding, label
from v6wizard.core.readiness import IngressRule, VpcEndpoint

_PROTOCOLS = {"-1": "-1", "all": "-1", "6": "tcp", "tcp": "tcp", "17": "udp", "udp": "udp"}


def add_endpoint_ingress(ctx: PlanContext, security_groups: Step, subnets: Step) -> Step:
    """The security-groups step with the ingress twins of every dual-stack interface endpoint added."""
    actions, findings = plan_endpoint_ingress(ctx, planned_blocks(subnets))
    if not actions and not findings:
        return security_groups
    return security_groups.model_copy(
        update={"actions": [*security_groups.actions, *actions], "findings": [*security_groups.findings, *findings]}
    )


def planned_blocks(subnets: Step) -> dict[str, str]:
    """Subnet id -> the /64 the subnets step gives it (possibly a `${subnet64:N}` placeholder)."""
    return {a.resource_id: str(a.call.params["Ipv6CidrBlock"]) for a in subnets.actions if a.kind == "associate-subnet-ipv6"}


def function_subnets(ctx: PlanContext) -> list[Subnet]:
    """The migrated subnets that hold the chosen (and plannable) functions."""
    migratable = {s.id: s for s in ctx.migratable_subnets}
    wanted = {sid for fn in ctx.functions if fn.name not in ctx.blocked_functions for sid in fn.subnet_ids}
    return [migratable[sid] for sid in migratable if sid in wanted]


def plan_endpoint_ingress(ctx: PlanContext, blocks: dict[str, str]) -> tuple[list[Action], list[Finding]]:
    actions: list[Action] = []
    findings: list[Finding] = []
    seen: set[str] = set()
    subnets = function_subnets(ctx)
    for endpoint in ctx.endpoints:
        if endpoint.endpoint_type.lower() != "interface" or not endpoint.is_dual_stack or endpoint.state != "available":
            continue
        planned_here = 0
        for rule in endpoint.ingress_rules:
            if not rule.cidr_ipv4:
                continue
            for subnet in subnets:
                block = subnet.ipv6_cidr or blocks.get(subnet.id)
                if block is None or not _admits(rule.cidr_ipv4, subnet.cidr_block):
                    continue
                if _has_ipv6_twin(endpoint, rule, block):
                    continue
                action = _twin(ctx, endpoint, rule, subnet, block)
                if action.id in seen:
                    continue
                seen.add(action.id)
                actions.append(action)
                planned_here += 1
        if planned_here:
            findings.append(
                finding(
                    "security-groups",
                    "info",
                    endpoint.id,
                    f"Interface endpoint {endpoint.id} ({endpoint.service_name}) is dual-stack, but its security groups "
                    "admit the function subnets over IPv4 only: their IPv6 twins are added, so dual-stack clients can reach it.",
                )
            )
    return actions, findings


def _admits(rule_cidr: str, subnet_cidr: str) -> bool:
    try:
        return IPv4Network(subnet_cidr).subnet_of(IPv4Network(rule_cidr))
    except (ValueError, TypeError):
        return False


def _protocol(rule: IngressRule) -> str:
    return _PROTOCOLS.get(rule.protocol.lower(), rule.protocol.lower())


def _has_ipv6_twin(endpoint: VpcEndpoint, rule: IngressRule, block: str) -> bool:
    """An IPv6 ingress rule of the same group already admits the subnet's /64 for the same traffic."""
    for other in endpoint.ingress_rules:
        if other.group_id != rule.group_id or not other.cidr_ipv6:
            continue
        try:
            covers = "${" not in block and IPv6Network(block).subnet_of(IPv6Network(other.cidr_ipv6))
        except (ValueError, TypeError):
            covers = False
        covers = covers or other.cidr_ipv6 == "::/0"
        same = _protocol(other) == "-1" or (
            _protocol(other) == _protocol(rule) and (other.from_port, other.to_port) == (rule.from_port, rule.to_port)
        )
        if covers and same:
            return True
    return False


def _twin(ctx: PlanContext, endpoint: VpcEndpoint, rule: IngressRule, subnet: Subnet, block: str) -> Action:
    protocol = _protocol(rule)
    permission: dict[str, object] = {"IpProtocol": protocol}
    if protocol != "-1" and rule.from_port is not None:
        permission |= {"FromPort": rule.from_port, "ToPort": rule.to_port}
    permission["Ipv6Ranges"] = [{"CidrIpv6": block, "Description": f"v6wizard twin of {rule.rule_id} for {subnet.id}"}]
    action_id = f"security-groups:authorize-ingress:{rule.group_id}:{rule.rule_id}:{subnet.id}"
    what = "all traffic" if protocol == "-1" else f"{protocol} {_ports(rule)}"
    name = label(subnet.id, subnet.name)
    words = block if "${" not in block else "its new /64"
    group = ctx.inventory.security_group(rule.group_id)
    return Action(
        id=action_id,
        step="security-groups",
        kind="authorize-sg-ingress",
        resource_id=rule.group_id,
        title=f"Admit {what} over IPv6 from {name} to endpoint {endpoint.id} ({rule.group_id})",
        before=f"{rule.group_id} rule {rule.rule_id} admits {what} from {rule.cidr_ipv4} (IPv4) only",
        after=f"{rule.group_id} also admits {what} from {name}'s {words}",
        call=ec2(
            "AuthorizeSecurityGroupIngress",
            GroupId=rule.group_id,
            IpPermissions=[permission],
            TagSpecifications=[{"ResourceType": "security-group-rule", "Tags": [{"Key": OURS_TAG, "Value": "${session}"}]}],
        ),
        postcondition=check("sg-ingress-rule-exists", f"{rule.group_id} admits {what} from {words}", GroupId=rule.group_id),
        inverse=ec2("RevokeSecurityGroupIngress", GroupId=rule.group_id, SecurityGroupRuleIds=[f"${{{action_id}.SecurityGroupRuleId}}"]),
        inverse_note="only the rule created here is revoked, by its rule id",
        outputs=["SecurityGroupRuleId"],
        after_actions=ctx.after(ctx.subnet_actions.get(subnet.id)),
        depends_on_resources=[f"security-group:{rule.group_id}"] if group is not None else [],
    )


def _ports(rule: IngressRule) -> str:
    if rule.from_port is None or rule.from_port == -1:
        return "all ports"
    return f"port {rule.from_port}" if rule.from_port == rule.to_port else f"ports {rule.from_port}-{rule.to_port}"
