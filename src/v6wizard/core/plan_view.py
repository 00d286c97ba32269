"""The plan as a person reads it: the values the journal knows in, placeholders never shown.

A plan made before the VPC has its IPv6 block says "/64 number 12 of the VPC's new IPv6
block", "the new version" and "the egress-only gateway created in step 3", and its calls
hold `${...}` placeholders. Once earlier actions ran, the journal holds their outputs
(`Known`), and the same plan reads with the real /64s, version numbers and ids.
`view_action` is that one resolution: the CLI's text and Markdown and the TUI's preview
all show its `ActionView`. Undo is said in words ("disassociate the /64 created above",
with its association id once known); the exact calls, with every known value filled in
and the rest named in ‹angle quotes›, are in `call` and `undo_call`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from v6wizard.core.plan import Action, AwsCall, UnresolvedPlaceholder, nth_subnet64, placeholders

_TEMPLATE = re.compile(r"\$\{[^}]+\}")

NEW_VERSION = "the new version"
"""How a plan names the version the functions step will publish, until it is published."""
NEW_NUMBERED_VERSION = "a new numbered version"
"""The publish action's own words for it."""
NEW_GATEWAY = "the egress-only gateway created in step 3"
"""How a route names the gateway the egress-gateway step will create, until it exists."""


def subnet64_words(index: int) -> str:
    """A subnet's /64 before the VPC's block exists (plans made before step 1 ran)."""
    return f"/64 number {index} of the VPC's new IPv6 block"


class Known(BaseModel):
    """What a session's journal knows so far: outputs of applied actions, and the calls it sent."""

    model_config = {"frozen": True}

    outputs: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Action id -> outputs recorded by its apply outcome (AssociationId, Version ...)."""
    session_id: str = ""
    sent: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Action id -> the resolved parameters its last apply intent recorded (tokens included)."""

    @property
    def vpc_block(self) -> str | None:
        """The VPC's IPv6 block, once step 1 recorded it."""
        for action_id, outputs in self.outputs.items():
            if action_id.startswith("vpc-cidr:") and outputs.get("Ipv6CidrBlock"):
                return str(outputs["Ipv6CidrBlock"])
        return None

    def value(self, name: str) -> Any:
        """A placeholder's value; UnresolvedPlaceholder while it is not known."""
        if name == "session" and self.session_id:
            return self.session_id
        if name.startswith("subnet64:") and self.vpc_block:
            return nth_subnet64(self.vpc_block, int(name.split(":", 1)[1]))
        action_id, _, key = name.rpartition(".")
        if key in self.outputs.get(action_id, {}):
            return self.outputs[action_id][key]
        raise UnresolvedPlaceholder(name)


NOTHING_KNOWN = Known()


class ActionView(BaseModel):
    """One action in words and as exact calls, with everything known filled in."""

    id: str
    step: str
    title: str
    before: str
    after: str
    check: str
    """The postcondition in words."""
    undo: str
    """The inverse in words, or "nothing to undo" with the reason."""
    note: str = ""
    """What rollback leaves behind, and why."""
    call: str
    """The exact AWS call on one line."""
    undo_call: str | None = None
    """The exact undo call on one line; None when there is nothing to undo."""


def placeholder_words(name: str) -> str:
    """A value not known yet, in words, for the exact-call view (never `${...}` on screen)."""
    if name == "session":
        return "‹this session's id›"
    if name == "client_token":
        return "‹a token minted when applied›"
    if name.startswith("subnet64:"):
        return f"‹{subnet64_words(int(name.split(':', 1)[1]))}›"
    key = name.rpartition(".")[2]
    return f"‹{key}, known once applied›"


def call_text(call: AwsCall, known: Known = NOTHING_KNOWN, sent: dict[str, Any] | None = None) -> str:
    """The call on one line with known values in, and unknown ones named in words."""
    if sent:
        return call.model_copy(update={"params": sent}).describe()
    return call.model_copy(update={"params": _fill(call.params, known)}).describe()


def _fill(node: Any, known: Known) -> Any:
    """`resolve` for a preview: known values in, the others in words (a preview must never fail)."""
    if isinstance(node, str):
        whole = _TEMPLATE.fullmatch(node)
        if whole:
            return _value_or_words(known, node[2:-1])
        return _TEMPLATE.sub(lambda m: str(_value_or_words(known, m.group(0)[2:-1])), node)
    if isinstance(node, dict):
        return {k: _fill(v, known) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, known) for v in node]
    return node


def _value_or_words(known: Known, name: str) -> Any:
    try:
        return known.value(name)
    except (UnresolvedPlaceholder, ValueError):
        return placeholder_words(name)


def _known_values(call: AwsCall | None, known: Known) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in sorted(placeholders(call.params)) if call is not None else []:
        try:
            values[name] = known.value(name)
        except (UnresolvedPlaceholder, ValueError):
            continue
    return values


def _known_words(action: Action, known: Known) -> list[tuple[str, str]]:
    """(words a plan uses for a value not known when it was made, the known value in words)."""
    swaps: list[tuple[str, str]] = []
    for name, value in _known_values(action.call, known).items():
        if name.startswith("subnet64:"):
            own = known.outputs.get(action.id, {}).get("Ipv6CidrBlock")
            swaps.append((subnet64_words(int(name.split(":", 1)[1])), str(own or value)))
        elif name.endswith(".Version"):
            swaps.append((NEW_VERSION, f"v{value}"))
        elif name.endswith(".EgressOnlyInternetGatewayId"):
            swaps.append((NEW_GATEWAY, f"egress-only gateway {value}"))
    published = known.outputs.get(action.id, {}).get("Version") if action.kind == "publish-version" else None
    if published:
        swaps.append((NEW_NUMBERED_VERSION, f"version {published}"))
    return swaps


def _swap(text: str, swaps: list[tuple[str, str]]) -> str:
    for words, value in swaps:
        text = text.replace(words, value)
    return text


def _ids(call: AwsCall | None, known: Known) -> str:
    """` (id, id)`: the known values the undo call takes from earlier outputs (association, gateway, rule ids)."""
    values = [str(v) for name, v in _known_values(call, known).items() if "." in name]
    return f" ({', '.join(values)})" if values else ""


def _param(call: AwsCall, key: str) -> str:
    return str(call.params.get(key, ""))


UNDO_WORDS: dict[str, Callable[[AwsCall], str]] = {
    "DisassociateVpcCidrBlock": lambda c: "disassociate the VPC's IPv6 block associated above",
    "DisassociateSubnetCidrBlock": lambda c: "disassociate the /64 created above",
    "ModifySubnetAttribute": lambda c: f"stop giving new interfaces in {_param(c, 'SubnetId')} an IPv6 address",
    "DeleteEgressOnlyInternetGateway": lambda c: "delete the egress-only gateway created above",
    "DeleteRoute": lambda c: f"delete the {_param(c, 'DestinationIpv6CidrBlock') or _param(c, 'DestinationCidrBlock')} route from {_param(c, 'RouteTableId')}",
    "DeleteNetworkAclEntry": lambda c: (
        f"delete {'egress' if c.params.get('Egress') else 'ingress'} entry {_param(c, 'RuleNumber')} from {_param(c, 'NetworkAclId')}"
    ),
    "RevokeSecurityGroupEgress": lambda c: f"revoke the ::/0 rule created above from {_param(c, 'GroupId')}",
    "UpdateFunctionConfiguration": lambda c: f"turn dual-stack off for {_param(c, 'FunctionName')} (same subnets and groups)",
    "UpdateAlias": lambda c: f"point alias {_param(c, 'Name')} of {_param(c, 'FunctionName')} back at v{_param(c, 'FunctionVersion')}, routing cleared",
}
"""The inverse calls the planner makes, in words; any other call is shown as the call itself."""


def undo_words(action: Action, known: Known = NOTHING_KNOWN) -> str:
    """The undo in words, with the ids it acts on once they are known."""
    inverse = action.inverse
    if inverse is None:
        return f"nothing to undo: {action.inverse_note}" if action.inverse_note else "nothing to undo"
    words = UNDO_WORDS.get(inverse.operation)
    if words is None:
        return call_text(inverse, known)
    return words(inverse) + _ids(inverse, known)


def view_action(action: Action, known: Known = NOTHING_KNOWN) -> ActionView:
    """The action as every face shows it, with what `known` holds filled in."""
    swaps = _known_words(action, known)
    return ActionView(
        id=action.id,
        step=action.step,
        title=_swap(action.title, swaps),
        before=_swap(action.before, swaps),
        after=_swap(action.after, swaps),
        check=_swap(action.postcondition.description, swaps),
        undo=undo_words(action, known),
        note=action.inverse_note if action.inverse is not None else "",
        call=call_text(action.call, known, known.sent.get(action.id)),
        undo_call=call_text(action.inverse, known) if action.inverse is not None else None,
    )



def has_template(text: str) -> bool:
    """True if `text` still holds a `${...}` placeholder (tests and faces check none reaches a screen)."""
    return bool(_TEMPLATE.search(text))
