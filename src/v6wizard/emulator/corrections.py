"""Always-on corrections where moto 5.2.5 writes an answer differently from AWS.

- EC2 writes a subnet IPv6 association state as the text `{'State': 'associated'}`
  (the repr of a dict) where AWS writes `associated`: rewritten in every EC2 answer.
- When a VPC gets an IPv6 block, AWS adds rule 101 (allow all ::/0) and the catch-all
  deny for ::/0 to each direction of the default network ACL that still has its stock
  IPv4 rules (AWS VPC guide, "Default network ACL"); moto adds nothing. AWS does not
  document removing them when the block goes, so they stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from v6wizard.emulator.strict_ec2 import ec2_backend
from v6wizard.emulator.wsgi import Answer, Call, Layer

_QUOTE = r"(?:'|&#x27;|&#39;|&apos;|&quot;|\")"
_DICT_STATE = re.compile(rf"<state>\{{{_QUOTE}State{_QUOTE}:\s*{_QUOTE}(\w+){_QUOTE}\}}</state>")


def fix_dict_states(xml: str) -> str:
    """`<state>{'State': 'associated'}</state>` -> `<state>associated</state>`, for any state."""
    return _DICT_STATE.sub(r"<state>\1</state>", xml)


STOCK_RULES = {(100, "allow"), (32767, "deny")}
IPV6_CATCH_ALL = 32768
"""The number AWS reports for the `*` rule of ::/0."""


class DefaultAclIpv6Correction(Layer):
    """Adds AWS's own IPv6 rules to an unmodified default network ACL on AssociateVpcCidrBlock."""

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.protocol != "ec2" or call.operation != "AssociateVpcCidrBlock" or call.params.get("CidrBlock"):
            return None
        answer = downstream()
        if answer.ok:
            self._add_ipv6_rules(call, call.params.get("VpcId", ""))
        return answer

    @staticmethod
    def _add_ipv6_rules(call: Call, vpc_id: str) -> None:
        backend = ec2_backend(call)
        for acl in list(backend.network_acls.values()):
            if acl.vpc_id != vpc_id or not acl.default:
                continue
            for egress in (False, True):
                entries = [e for e in acl.network_acl_entries if e.egress == egress]
                stock = {(e.rule_number, e.rule_action) for e in entries if e.cidr_block == "0.0.0.0/0" and e.protocol == "-1"}
                if len(entries) != len(STOCK_RULES) or stock != STOCK_RULES:
                    continue
                for number, action in ((101, "allow"), (IPV6_CATCH_ALL, "deny")):
                    backend.create_network_acl_entry(acl.id, number, "-1", action, egress, None, None, None, None, None, "::/0")


class SubnetStateCorrection(Layer):
    """Rewrites moto's dict-repr association states in EC2 answers."""

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.protocol != "ec2":
            return None
        answer = downstream()
        if b"State" not in answer.body:
            return answer
        return answer.with_body(fix_dict_states(answer.text()))
