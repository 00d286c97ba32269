"""Step planners for the filters: network ACL twins and security group egress twins.

A twin is the IPv6 copy of an IPv4 rule to 0.0.0.0/0: same protocol, ports and
action, to ::/0. Only the "anywhere" rules are twinned; a rule to a narrower IPv4
range has no IPv6 meaning we could guess, so it is listed for review instead. Deny
entries are twinned too, ahead of the allow twins they guarded. The default ACL is
left to AWS unless AWS will not give it IPv6 rules (edited, or the block already there).

ICMP does not carry over as is: ICMPv4 rules become ICMPv6 (protocol 58) rules with
the matching message type where one exists (echo request 8 -> 128, echo reply
0 -> 129, all -> all), always with a review finding, because ICMPv6 also carries
neighbour discovery and Packet Too Big, which IPv6 needs to work at all.
"""

from __future__ import annotations

from v6wizard.core.inventory import ANY_IPV4, ANY_IPV6, OURS_TAG, NetworkAcl, NetworkAclEntry, SecurityGroupRule
from v6wizard.core.plan import STEP_TITLES, Action, Finding, Step
from v6wizard.core.planner_context import PlanContext, check, ec2, finding, label

MAX_RULE_NUMBER = 32766
"""The highest rule number an operator may use (32767 is the built-in deny)."""

DEFAULT_ACL_IPV6_RULE = 101
"""The number AWS gives the ::/0 allow-all rule it adds to a stock default ACL: never used
for a twin there, so it cannot collide with the rule should AWS still add it."""

ICMP_V4_TO_V6 = {-1: -1, 8: 128, 0: 129}
"""ICMPv4 message type -> the ICMPv6 type with the same meaning (-1: every type)."""

_SG_PROTOCOL = {"-1": "-1", "all": "-1", "6": "tcp", "tcp": "tcp", "17": "udp", "udp": "udp",
                "1": "icmp", "icmp": "icmp", "58": "icmpv6", "icmpv6": "icmpv6"}


# --- 5 network-acls --------------------------------------------------------------


def acls_in_scope(ctx: PlanContext) -> list[NetworkAcl]:
    """The ACLs guarding migratable subnets, by id."""
    found: dict[str, NetworkAcl] = {}
    for subnet in ctx.migratable_subnets:
        acl = ctx.inventory.network_acl_for(subnet.id)
        if acl is not None:
            found[acl.id] = acl
    return [found[aid] for aid in sorted(found)]


def plan_network_acls(ctx: PlanContext) -> Step:
    actions: list[Action] = []
    findings: list[Finding] = []
    for acl in acls_in_scope(ctx):
        name = label(acl.id, acl.name)
        directions = [False, True]
        if acl.is_default:
            directions = [egress for egress in directions if _default_acl_needs_twins(ctx, acl, egress)]
            if not directions:
                findings.append(
                    finding(
                        "network-acls",
                        "info",
                        acl.id,
                        f"Network ACL {name} is the VPC's default ACL: AWS adds its IPv6 allow rules when the VPC "
                        "gets an IPv6 block (unless they were edited), so it gets nothing here.",
                    )
                )
                continue
            findings.append(
                finding(
                    "network-acls",
                    "info",
                    acl.id,
                    f"Network ACL {name} is the VPC's default ACL, but AWS will not (or did not) add IPv6 rules to it "
                    "because its rules were edited or the VPC already has its IPv6 block: its 0.0.0.0/0 rules are twinned.",
                )
            )
        for egress in directions:
            acl_actions, acl_findings = _twin_entries(ctx, acl, egress)
            actions += acl_actions
            findings += acl_findings
    return Step(name="network-acls", title=STEP_TITLES["network-acls"], actions=actions, findings=findings)


def _is_stock_default_entry(entry: NetworkAclEntry) -> bool:
    """Rule 100 allow-all to 0.0.0.0/0, or the built-in deny: what AWS creates in a default ACL."""
    stock_allow = (entry.rule_number, entry.protocol, entry.rule_action) == (100, "-1", "allow")
    return entry.cidr_block == ANY_IPV4 and (stock_allow or entry.rule_number > MAX_RULE_NUMBER)


def _default_acl_needs_twins(ctx: PlanContext, acl: NetworkAcl, egress: bool) -> bool:
    """Whether AWS leaves this direction of the default ACL without IPv6 rules, so we must twin it.

    AWS adds its ::/0 allow-all (rule 101) per direction, and only when that direction
    still holds its stock entries as the VPC gets its block: an edited direction, or a
    VPC whose block is already associated, will not get it (again).
    """
    entries = [e for e in acl.entries if e.egress == egress]
    if any(e.ipv6_cidr_block == ANY_IPV6 and e.rule_action == "allow" for e in entries):
        return False
    edited = any(not _is_stock_default_entry(e) for e in entries if e.ipv6_cidr_block is None)
    block = ctx.inventory.vpc.ipv6_block
    return edited or (block is not None and block.state == "associated")


def _twin_entries(ctx: PlanContext, acl: NetworkAcl, egress: bool) -> tuple[list[Action], list[Finding]]:
    name = label(acl.id, acl.name)
    direction = "egress" if egress else "ingress"
    entries = sorted((e for e in acl.entries if e.egress == egress), key=lambda e: e.rule_number)
    used = {e.rule_number for e in entries}
    if acl.is_default:
        used.add(DEFAULT_ACL_IPV6_RULE)
    actions: list[Action] = []
    findings: list[Finding] = []
    for entry in entries:
        # Deny entries are twinned too: a deny twin never widens access, and without it the
        # allow twin it guarded (e.g. deny ssh before allow all) would open that traffic over IPv6.
        if entry.cidr_block != ANY_IPV4 or entry.rule_number > MAX_RULE_NUMBER:
            continue
        protocol, icmp = entry.protocol, None
        if entry.protocol == "1":
            v6_type = ICMP_V4_TO_V6.get(entry.icmp_type if entry.icmp_type is not None else -1)
            if v6_type is None:
                findings.append(
                    finding(
                        "network-acls",
                        "review",
                        acl.id,
                        f"{direction} ICMP rule {entry.rule_number} of {name} (type {entry.icmp_type}) has no "
                        "ICMPv6 equivalent and is not twinned.",
                    )
                )
                continue
            protocol = "58"
            icmp = {"Type": v6_type, "Code": entry.icmp_code if v6_type != -1 and entry.icmp_code is not None else -1}
        if any(_is_twin(e, protocol, entry, icmp) for e in entries):
            continue
        number, adjacent = _free_rule_number(entry.rule_number, used)
        if number is None:
            findings.append(
                finding("network-acls", "blocker", acl.id, f"{name} has no free {direction} rule number for the twin of rule {entry.rule_number}.")
            )
            continue
        used.add(number)
        if protocol == "58":
            findings.append(
                finding(
                    "network-acls",
                    "review",
                    acl.id,
                    f"{direction} ICMP rule {entry.rule_number} of {name} is twinned as ICMPv6 rule {number}; "
                    "ICMPv6 also carries neighbour discovery and Packet Too Big: check it allows what IPv6 needs.",
                )
            )
        if not adjacent:
            findings.append(
                finding(
                    "network-acls",
                    "review",
                    acl.id,
                    f"The twin of {direction} rule {entry.rule_number} of {name} had to be numbered {number}: "
                    "check the evaluation order of the IPv6 rules.",
                )
            )
        actions.append(_create_entry(ctx, acl, entry, number, protocol, icmp))
    return actions, findings


def _is_twin(candidate: NetworkAclEntry, protocol: str, entry: NetworkAclEntry, icmp: dict | None) -> bool:
    if candidate.ipv6_cidr_block != ANY_IPV6 or candidate.rule_action != entry.rule_action or candidate.protocol != protocol:
        return False
    if icmp is not None:
        return (candidate.icmp_type, candidate.icmp_code) == (icmp["Type"], icmp["Code"])
    return (candidate.port_from, candidate.port_to) == (entry.port_from, entry.port_to)


def _free_rule_number(original: int, used: set[int]) -> tuple[int | None, bool]:
    """A free number for the twin of `original`, and whether it sits next to it.

    Next to it means no other rule lies between the two, so the twin is evaluated in
    the same order among the IPv6 rules as the original among the IPv4 ones: first
    original+1, else the closest free number below it down to the previous rule.
    Failing that, the next free number above (the caller asks for a review).
    """
    if original + 1 <= MAX_RULE_NUMBER and original + 1 not in used:
        return original + 1, True
    below = max((n for n in used if n < original), default=0)
    for number in range(original - 1, below, -1):
        if number not in used:
            return number, True
    for number in range(original + 1, MAX_RULE_NUMBER + 1):
        if number not in used:
            return number, False
    return None, False


def _create_entry(
    ctx: PlanContext, acl: NetworkAcl, entry: NetworkAclEntry, number: int, protocol: str, icmp: dict | None
) -> Action:
    name = label(acl.id, acl.name)
    direction = "egress" if entry.egress else "ingress"
    params: dict[str, object] = {
        "NetworkAclId": acl.id,
        "RuleNumber": number,
        "Protocol": protocol,
        "RuleAction": entry.rule_action,
        "Egress": entry.egress,
        "Ipv6CidrBlock": ANY_IPV6,
    }
    if icmp is not None:
        params["IcmpTypeCode"] = icmp
    elif entry.port_from is not None or entry.port_to is not None:
        params["PortRange"] = {"From": entry.port_from, "To": entry.port_to}
    what = _acl_traffic(protocol, entry, icmp)
    verb = entry.rule_action  # allow or deny, as the original
    action_id = f"network-acls:create:{acl.id}:{direction}:{number}"
    ctx.acl_actions.setdefault(acl.id, []).append(action_id)
    return Action(
        id=action_id,
        step="network-acls",
        kind="create-nacl-entry",
        resource_id=acl.id,
        title=f"{verb.capitalize()} {direction} {what} for ::/0 in {name} (rule {number})",
        before=f"{name} {direction} rule {entry.rule_number} {verb}s {what} for 0.0.0.0/0 only",
        after=f"{name} {direction} rule {number} {verb}s {what} for ::/0 too",
        call=ec2("CreateNetworkAclEntry", **params),
        postcondition=check(
            "nacl-entry-exists", f"{acl.id} has {direction} rule {number}", NetworkAclId=acl.id, RuleNumber=number, Egress=entry.egress
        ),
        inverse=ec2("DeleteNetworkAclEntry", NetworkAclId=acl.id, RuleNumber=number, Egress=entry.egress),
        inverse_note="only the entry created here is deleted",
        after_actions=ctx.after(ctx.vpc_action),
        depends_on_resources=[f"network-acl:{acl.id}"],
    )


def _acl_traffic(protocol: str, entry: NetworkAclEntry, icmp: dict | None) -> str:
    if protocol == "-1":
        return "all traffic"
    if icmp is not None:
        return "all ICMPv6" if icmp["Type"] == -1 else f"ICMPv6 type {icmp['Type']}"
    names = {"6": "tcp", "17": "udp"}
    ports = "" if entry.port_from is None else f" {_ports(entry.port_from, entry.port_to)}"
    return f"{names.get(protocol, 'protocol ' + protocol)}{ports}"


def _ports(start: int | None, end: int | None) -> str:
    return f"port {start}" if start == end else f"ports {start}-{end}"


# --- 6 security-groups -----------------------------------------------------------


def plan_security_groups(ctx: PlanContext) -> Step:
    actions: list[Action] = []
    findings: list[Finding] = []
    group_ids = sorted({g for fn in ctx.functions for g in fn.security_group_ids})
    for group_id in group_ids:
        group = ctx.inventory.security_group(group_id)
        if group is None:
            findings.append(finding("security-groups", "review", group_id, f"Security group {group_id} was not found in the VPC."))
            continue
        name = label(group.id, group.name)
        rules = [r for r in group.egress_rules if r.is_egress]
        for rule in rules:
            if rule.prefix_list_id:
                findings.append(
                    finding(
                        "security-groups",
                        "review",
                        group.id,
                        f"Egress rule {rule.rule_id} of {name} goes to prefix list {rule.prefix_list_id}: "
                        "check whether the list has IPv6 entries; it is not translated.",
                    )
                )
            elif rule.cidr_ipv4 and rule.cidr_ipv4 != ANY_IPV4:
                findings.append(
                    finding(
                        "security-groups",
                        "review",
                        group.id,
                        f"Egress rule {rule.rule_id} of {name} allows {_sg_traffic(rule)} to {rule.cidr_ipv4} only: "
                        "no IPv6 equivalent is guessed; add one if that destination answers on IPv6.",
                    )
                )
            elif rule.cidr_ipv4 == ANY_IPV4:
                action = _twin_rule(ctx, group.id, name, rule, rules, findings)
                if action is not None:
                    actions.append(action)
    return Step(name="security-groups", title=STEP_TITLES["security-groups"], actions=actions, findings=findings)


def _twin_rule(
    ctx: PlanContext, group_id: str, name: str, rule: SecurityGroupRule, rules: list[SecurityGroupRule], findings: list[Finding]
) -> Action | None:
    protocol = _SG_PROTOCOL.get(rule.protocol.lower(), rule.protocol)
    from_port, to_port = rule.from_port, rule.to_port
    if protocol == "icmp":
        v6_type = ICMP_V4_TO_V6.get(from_port if from_port is not None else -1)
        if v6_type is None:
            findings.append(
                finding("security-groups", "review", group_id, f"ICMP egress rule {rule.rule_id} of {name} (type {from_port}) has no ICMPv6 equivalent and is not twinned.")
            )
            return None
        protocol, from_port = "icmpv6", v6_type
        to_port = -1 if v6_type == -1 or to_port is None else to_port
    for other in rules:
        other_protocol = _SG_PROTOCOL.get(other.protocol.lower(), other.protocol)
        if other.cidr_ipv6 == ANY_IPV6 and (
            other_protocol == "-1"  # all traffic to ::/0 already covers any twin
            or (other_protocol == protocol and (protocol == "-1" or (other.from_port, other.to_port) == (from_port, to_port)))
        ):
            return None
    if protocol == "icmpv6":
        findings.append(
            finding("security-groups", "review", group_id, f"ICMP egress rule {rule.rule_id} of {name} is twinned as ICMPv6; check it allows what IPv6 needs.")
        )
    permission: dict[str, object] = {"IpProtocol": protocol}
    if protocol != "-1" and from_port is not None:
        permission |= {"FromPort": from_port, "ToPort": to_port}
    permission["Ipv6Ranges"] = [{"CidrIpv6": ANY_IPV6, "Description": f"v6wizard twin of {rule.rule_id}"}]
    action_id = f"security-groups:authorize:{group_id}:{rule.rule_id}"
    ctx.sg_actions.setdefault(group_id, []).append(action_id)
    what = _sg_traffic(rule)
    return Action(
        id=action_id,
        step="security-groups",
        kind="authorize-sg-egress",
        resource_id=group_id,
        title=f"Allow egress {what} to ::/0 from {name}",
        before=f"{name} rule {rule.rule_id} allows egress {what} to 0.0.0.0/0 only",
        after=f"{name} also allows egress {what} to ::/0",
        call=ec2(
            "AuthorizeSecurityGroupEgress",
            GroupId=group_id,
            IpPermissions=[permission],
            TagSpecifications=[{"ResourceType": "security-group-rule", "Tags": [{"Key": OURS_TAG, "Value": "${session}"}]}],
        ),
        postcondition=check("sg-rule-exists", f"{group_id} allows egress {what} to ::/0", GroupId=group_id),
        inverse=ec2("RevokeSecurityGroupEgress", GroupId=group_id, SecurityGroupRuleIds=[f"${{{action_id}.SecurityGroupRuleId}}"]),
        inverse_note="only the rule created here is revoked, by its rule id",
        outputs=["SecurityGroupRuleId"],
        depends_on_resources=[f"security-group:{group_id}"],
    )


def _sg_traffic(rule: SecurityGroupRule) -> str:
    protocol = _SG_PROTOCOL.get(rule.protocol.lower(), rule.protocol)
    if protocol == "-1":
        return "all traffic"
    if rule.from_port is None or rule.from_port == -1:
        return f"all {protocol}"
    return f"{protocol} {_ports(rule.from_port, rule.to_port)}"
