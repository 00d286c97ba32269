"""Previews with the values the journal knows: the real /64s, version numbers and ids in place of the
plan's placeholders, undo said in words, and no `${...}` template on any face."""

from __future__ import annotations

from v6wizard.core.plan import nth_subnet64
from v6wizard.core.plan_view import Known, has_template, view_action
from v6wizard.core.planner import build_plan
from v6wizard.core.render import render_markdown, render_text

from .builders import VPC_BLOCK, inventory

SUBNET = "subnets:associate:subnet-priv-a"


def block_known(**more: dict) -> Known:
    """The journal after step 1: the VPC's block is associated."""
    return Known(outputs={"vpc-cidr:associate:vpc-1": {"AssociationId": "vpc-cidr-assoc-1", "Ipv6CidrBlock": VPC_BLOCK}, **more}, session_id="v6-1")


def test_before_the_block_exists_the_subnet_reads_by_number_and_undo_in_words() -> None:
    view = view_action(build_plan(inventory()).action(SUBNET))
    assert "/64 number" in view.after and "of the VPC's new IPv6 block" in view.after
    assert view.undo == "disassociate the /64 created above"
    assert "‹AssociationId, known once applied›" in view.undo_call
    assert "‹/64 number" in view.call
    assert not any(has_template(text) for text in (view.title, view.after, view.undo, view.call, view.undo_call))


def test_once_the_block_is_associated_the_subnet_shows_its_actual_64() -> None:
    action = build_plan(inventory()).action(SUBNET)
    index = int(action.call.params["Ipv6CidrBlock"].removeprefix("${subnet64:").removesuffix("}"))
    view = view_action(action, block_known())
    cidr = nth_subnet64(VPC_BLOCK, index)
    assert cidr in view.after and "/64 number" not in view.after
    assert f"Ipv6CidrBlock={cidr}" in view.call


def test_once_the_subnet_is_applied_its_undo_names_the_association_id() -> None:
    action = build_plan(inventory()).action(SUBNET)
    known = block_known(**{SUBNET: {"AssociationId": "subnet-cidr-assoc-9", "Ipv6CidrBlock": "2600:1f18:abcd:1207::/64"}})
    view = view_action(action, known)
    assert view.undo == "disassociate the /64 created above (subnet-cidr-assoc-9)"
    assert view.undo_call == "ec2 DisassociateSubnetCidrBlock AssociationId=subnet-cidr-assoc-9"
    assert "2600:1f18:abcd:1207::/64" in view.after, "the /64 AWS recorded, not the computed one"


def test_the_published_version_number_replaces_the_new_version() -> None:
    plan = build_plan(inventory())
    publish = next(a for a in plan.actions(["functions"]) if a.kind == "publish-version")
    shift = next(a for a in plan.actions(["cutover"]) if a.kind == "cutover-alias")
    assert "the new version" in view_action(shift).title
    known = Known(outputs={publish.id: {"Version": "7", "CodeSha256": "x"}})
    assert "version 7" in view_action(publish, known).after
    shifted = view_action(shift, known)
    assert "-> v7 via" in shifted.title and "the new version" not in shifted.title + shifted.after + shifted.check
    assert "FunctionVersion=7" in shifted.call


def test_text_and_markdown_use_the_same_resolution() -> None:
    plan = build_plan(inventory())
    action = plan.action(SUBNET)
    known = block_known()
    view = view_action(action, known)
    for text in (render_text(plan, known), render_markdown(plan, known)):
        assert view.after in text and view.call in text
        assert "/64 number" not in text
        assert not has_template(text)


def test_sent_parameters_are_the_exact_call_once_applied() -> None:
    plan = build_plan(inventory())
    gateway = plan.action("egress-gateway:create:vpc-1")
    sent = dict(gateway.call.params, ClientToken="tok-1", TagSpecifications=[])
    view = view_action(gateway, Known(sent={gateway.id: sent}))
    assert "ClientToken=tok-1" in view.call
    assert "‹a token minted when applied›" in view_action(gateway).call
