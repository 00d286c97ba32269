"""The EC2 rules of DESIGN.md that moto 5.2.5 does not enforce, with AWS's codes and messages.

Rule numbers follow DESIGN.md ("Things AWS enforces that the emulator does not"):
1 one IPv6 block per subnet; 2 no VPC block disassociation while subnets hold /64s
from it; 3 a new VPC IPv6 block reads `associating` for `timing.associating_seconds`; 4
AssignIpv6AddressOnCreation needs an associated subnet block and blocks its
disassociation; 8 a route to an existing destination fails (moto already refuses
duplicate security group rules); 9 CreateEgressOnlyInternetGateway is idempotent by
ClientToken; 10 DryRun on gateway, route, network ACL and security group calls.
State the rules need is read from moto's backend in this process.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from v6wizard.emulator.timing import ASSOCIATING_SECONDS, Timing
from v6wizard.emulator.wsgi import Answer, Call, Layer, ec2_error

__all__ = ["ASSOCIATING_SECONDS", "StrictEc2", "ec2_backend", "subnet_ipv6_blocks"]


DRY_RUN_OPERATIONS = frozenset(
    {
        "CreateEgressOnlyInternetGateway",
        "DeleteEgressOnlyInternetGateway",
        "CreateRoute",
        "ReplaceRoute",
        "DeleteRoute",
        "CreateNetworkAclEntry",
        "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "AuthorizeSecurityGroupEgress",
        "AuthorizeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
    }
)
"""Calls with a DryRun parameter that moto ignores (it creates the resource) or may ignore."""

_EIGW_PARAMS = ("VpcId",)


def ec2_backend(call: Call) -> Any:
    from moto.backends import get_backend

    return get_backend("ec2")[call.account][call.region]


def _state(entry: Any) -> str:
    """moto keeps association states as {'State': x}, {'state': x} or plain text."""
    if isinstance(entry, dict):
        return str(entry.get("State") or entry.get("state") or "")
    return str(entry or "")


def subnet_ipv6_blocks(subnet: Any) -> list[dict[str, Any]]:
    """The subnet's IPv6 associations that are associated (not disassociated)."""
    return [a for a in subnet.ipv6_cidr_block_associations.values() if _state(a.get("ipv6CidrBlockState")) == "associated"]


class StrictEc2(Layer):
    """Refuses, as AWS does, what moto lets through on EC2."""

    def __init__(self, timing: Timing | None = None) -> None:
        self.timing = timing or Timing()
        """`associating_seconds`: how long a new VPC block reads `associating` (rule 3)."""
        self._lock = threading.Lock()
        self._associating: dict[str, float] = {}
        self._shown_associating: set[str] = set()
        self._client_tokens: dict[tuple[str, str, str], tuple[tuple[str, ...], Answer]] = {}
        self._token_locks: dict[tuple[str, str, str], threading.Lock] = {}

    def reset(self) -> None:
        with self._lock:
            self._associating.clear()
            self._shown_associating.clear()
            self._client_tokens.clear()
            self._token_locks.clear()

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.protocol != "ec2":
            return None
        if call.operation in DRY_RUN_OPERATIONS and call.flag("DryRun"):
            return ec2_error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)
        check = getattr(self, f"_on_{call.operation}", None)
        return check(call, downstream) if check is not None else None

    # Rule 1
    def _on_AssociateSubnetCidrBlock(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        subnet = self._subnet(call, call.params.get("SubnetId", ""))
        if subnet is not None and call.params.get("Ipv6CidrBlock") and subnet_ipv6_blocks(subnet):
            return ec2_error(
                "InvalidParameterValue",
                f"The subnet '{subnet.id}' already has an IPv6 CIDR block associated; a subnet can have only one.",
            )
        return None

    # Rule 2 and rule 3 (the association answer starts the `associating` window)
    def _on_DisassociateVpcCidrBlock(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        association_id = call.params.get("AssociationId", "")
        for vpc in list(ec2_backend(call).vpcs.values()):
            entry = getattr(vpc, "_cidr_block_association_set", {}).get(association_id)
            if entry is None or ":" not in str(entry.get("cidr_block", "")):
                continue
            block = ipaddress.ip_network(entry["cidr_block"], strict=False)
            for subnet in ec2_backend(call).describe_subnets(filters={"vpc-id": [vpc.id]}):
                for held in subnet_ipv6_blocks(subnet):
                    if ipaddress.ip_network(held["ipv6CidrBlock"], strict=False).subnet_of(block):  # type: ignore[arg-type]
                        return ec2_error(
                            "InvalidCidrBlock.InUse",
                            f"The vpc IPv6 CIDR block with association ID {association_id} may not be disassociated. "
                            f"It is in use by subnet {subnet.id}.",
                        )
        return None

    def _on_AssociateVpcCidrBlock(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        answer = downstream()
        if answer.ok:
            found = re.search(r"<ipv6CidrBlockAssociation>\s*<associationId>([^<]+)</associationId>", answer.text())
            if found:
                with self._lock:
                    self._associating[found.group(1)] = time.monotonic()
        return answer

    def _on_DescribeVpcs(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        answer = downstream()
        if not answer.ok or not self._associating:
            return answer
        text = answer.text()
        now = time.monotonic()
        with self._lock:
            for association_id, since in list(self._associating.items()):
                if association_id not in text:
                    continue
                if association_id in self._shown_associating and now - since >= self.timing.associating_seconds:
                    del self._associating[association_id]
                    continue
                self._shown_associating.add(association_id)
                text = re.sub(
                    rf"(<associationId>{re.escape(association_id)}</associationId>(?:(?!</item>).)*?<state>)associated(</state>)",
                    r"\1associating\2",
                    text,
                    flags=re.DOTALL,
                )
        return answer.with_body(text)

    # Rule 4
    def _on_ModifySubnetAttribute(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.params.get("AssignIpv6AddressOnCreation.Value", "").lower() != "true":
            return None
        subnet = self._subnet(call, call.params.get("SubnetId", ""))
        if subnet is not None and not subnet_ipv6_blocks(subnet):
            return ec2_error(
                "InvalidParameterValue",
                "Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation "
                f"to true unless the subnet ({subnet.id}) has an IPv6 CIDR block associated with it.",
            )
        return None

    def _on_DisassociateSubnetCidrBlock(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        association_id = call.params.get("AssociationId", "")
        subnet = ec2_backend(call).get_subnet_from_ipv6_association(association_id)
        if subnet is not None and subnet.assign_ipv6_address_on_creation:
            return ec2_error(
                "InvalidCidrBlock.InUse",
                f"The subnet IPv6 CIDR block with association ID {association_id} may not be disassociated, "
                "because its subnet has assign-ipv6-address-on-creation set to true.",
            )
        return None

    # Rule 8 (routes; duplicate security group rules moto refuses itself)
    def _on_CreateRoute(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        destination = (
            call.params.get("DestinationCidrBlock")
            or call.params.get("DestinationIpv6CidrBlock")
            or call.params.get("DestinationPrefixListId")
        )
        table = ec2_backend(call).route_tables.get(call.params.get("RouteTableId", ""))
        if table is None or not destination:
            return None
        routes = table.routes.values() if isinstance(table.routes, dict) else table.routes
        for route in routes:
            held = {
                route.destination_cidr_block,
                route.destination_ipv6_cidr_block,
                getattr(route.destination_prefix_list, "id", None),
            }
            if destination in held:
                return ec2_error("RouteAlreadyExists", f"The route identified by {destination} already exists.")
        return None

    # Rule 9
    def _on_CreateEgressOnlyInternetGateway(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        token = call.params.get("ClientToken")
        if not token:
            return None
        key = (call.account, call.region, token)
        params = tuple(call.params.get(name, "") for name in _EIGW_PARAMS)
        with self._lock:
            token_lock = self._token_locks.setdefault(key, threading.Lock())
        # Held across the create, so two concurrent calls with one token make one gateway, as on AWS.
        with token_lock:
            with self._lock:
                known = self._client_tokens.get(key)
            if known is not None:
                if known[0] != params:
                    return ec2_error(
                        "IdempotentParameterMismatch",
                        f"The client token '{token}' has already been used with different request parameters.",
                    )
                return known[1]
            answer = downstream()
            if answer.ok:
                with self._lock:
                    self._client_tokens[key] = (params, answer)
            return answer

    @staticmethod
    def _subnet(call: Call, subnet_id: str) -> Any:
        try:
            return ec2_backend(call).get_subnet(subnet_id)
        except Exception:  # noqa: BLE001 - an unknown subnet is moto's to refuse, with its own error
            return None
