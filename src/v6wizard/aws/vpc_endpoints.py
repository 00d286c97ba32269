"""The VPC's endpoints (DescribeVpcEndpoints) and the ingress rules of its interface endpoints' security groups."""

from __future__ import annotations

from typing import Any

from v6wizard.aws.paging import paginate
from v6wizard.core.readiness import IngressRule, VpcEndpoint


def read_vpc_endpoints(ec2: Any, vpc_id: str) -> list[VpcEndpoint]:
    items = paginate(ec2, "DescribeVpcEndpoints", "VpcEndpoints", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    group_ids = sorted({g["GroupId"] for item in items if str(item.get("VpcEndpointType", "")).lower() == "interface" for g in item.get("Groups", [])})
    rules = _ingress_rules(ec2, group_ids) if group_ids else {}
    endpoints = []
    for item in items:
        groups = [g["GroupId"] for g in item.get("Groups", [])]
        endpoints.append(
            VpcEndpoint(
                id=item["VpcEndpointId"],
                service_name=item.get("ServiceName", ""),
                endpoint_type=item.get("VpcEndpointType", "Gateway"),
                state=str(item.get("State", "available")).lower(),
                route_table_ids=list(item.get("RouteTableIds", [])),
                subnet_ids=list(item.get("SubnetIds", [])),
                group_ids=groups,
                private_dns_enabled=bool(item.get("PrivateDnsEnabled", False)),
                ip_address_type=str(item.get("IpAddressType") or "ipv4").lower(),
                dns_record_ip_type=str((item.get("DnsOptions") or {}).get("DnsRecordIpType") or "ipv4").lower(),
                ingress_rules=[rule for group in groups for rule in rules.get(group, [])],
            )
        )
    return sorted(endpoints, key=lambda e: e.id)


def _ingress_rules(ec2: Any, group_ids: list[str]) -> dict[str, list[IngressRule]]:
    items = paginate(ec2, "DescribeSecurityGroupRules", "SecurityGroupRules", Filters=[{"Name": "group-id", "Values": group_ids}])
    by_group: dict[str, list[IngressRule]] = {}
    for item in items:
        if item.get("IsEgress"):
            continue
        rule = IngressRule(
            rule_id=item["SecurityGroupRuleId"],
            group_id=item["GroupId"],
            protocol=str(item.get("IpProtocol", "-1")),
            from_port=item.get("FromPort"),
            to_port=item.get("ToPort"),
            cidr_ipv4=item.get("CidrIpv4"),
            cidr_ipv6=item.get("CidrIpv6"),
            referenced_group_id=(item.get("ReferencedGroupInfo") or {}).get("GroupId"),
        )
        by_group.setdefault(rule.group_id, []).append(rule)
    return {g: sorted(r, key=lambda x: x.rule_id) for g, r in by_group.items()}
