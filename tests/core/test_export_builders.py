"""The export builders on a plan that was never applied: Terraform, CloudFormation and IAM from the plan alone."""

from __future__ import annotations

import json

import hcl2
import pytest
from cfnlint.api import ManualArgs, lint
from parliament import analyze_policy_string

from v6wizard.core.export import export_files
from v6wizard.core.export_cloudformation import IMPORT_IDENTIFIERS, NOT_IMPORTABLE, build_template
from v6wizard.core.export_iam import apply_policy, iam_document
from v6wizard.core.export_source import ExportSource
from v6wizard.core.export_terraform import build_terraform
from v6wizard.core.plan import Action, AwsCall, Postcondition
from v6wizard.core.planner import build_plan

from .builders import inventory


def unquote(node):
    """python-hcl2 keeps the quotes of string literals; drop them to compare values."""
    if isinstance(node, str):
        return node[1:-1] if len(node) >= 2 and node[0] == node[-1] == '"' else node
    if isinstance(node, dict):
        return {unquote(k): unquote(v) for k, v in node.items() if k != "__is_block__"}
    if isinstance(node, list):
        return [unquote(v) for v in node]
    return node


def parsed_terraform(text: str) -> tuple[dict[str, dict[str, dict]], list[dict]]:
    """(type -> name -> arguments, import blocks) of a Terraform file."""
    tree = unquote(hcl2.loads(text))
    resources: dict[str, dict[str, dict]] = {}
    for block in tree.get("resource", []):
        for type_, named in block.items():
            resources.setdefault(type_, {}).update(named)
    return resources, tree.get("import", [])


@pytest.fixture
def source() -> ExportSource:
    return ExportSource(plan=build_plan(inventory()))


def test_terraform_of_an_unapplied_plan_parses_and_has_no_import_blocks(source: ExportSource) -> None:
    [main] = export_files(source, "terraform")
    resources, imports = parsed_terraform(main.text)
    assert imports == []
    assert set(resources) == {
        "aws_vpc_ipv6_cidr_block_association",
        "aws_egress_only_internet_gateway",
        "aws_route",
        "aws_network_acl_rule",
        "aws_vpc_security_group_egress_rule",
    }
    [assoc] = resources["aws_vpc_ipv6_cidr_block_association"].values()
    assert assoc == {"vpc_id": "vpc-1", "assign_generated_ipv6_cidr_block": True}
    [route] = resources["aws_route"].values()
    assert route["route_table_id"] == "rtb-main" and route["destination_ipv6_cidr_block"] == "::/0"
    assert route["egress_only_gateway_id"] == "${aws_egress_only_internet_gateway.main_egress.id}"
    [rule] = resources["aws_vpc_security_group_egress_rule"].values()
    assert {k: rule[k] for k in ("security_group_id", "ip_protocol", "cidr_ipv6")} == {"security_group_id": "sg-app", "ip_protocol": "-1", "cidr_ipv6": "::/0"}
    acl_rules = resources["aws_network_acl_rule"]
    assert {(r["rule_number"], r["egress"], r.get("from_port")) for r in acl_rules.values()} == {(101, True, None), (111, False, 1024)}
    # the /64s are not known before the VPC block exists: the snippet carves them from the association
    assert "cidrsubnet(aws_vpc_ipv6_cidr_block_association.main_ipv6.ipv6_cidr_block, 8, " in main.text
    assert "# resource \"aws_lambda_function\" \"orders\"" in main.text and "ipv6_allowed_for_dual_stack = true" in main.text
    assert "assign_generated_ipv6_cidr_block = true` there does the same" in main.text


def test_names_come_from_name_tags_and_stay_unique(source: ExportSource) -> None:
    export = build_terraform(source)
    names = [r.name for r in export.resources]
    assert len(names) == len(set(names))
    assert "private_ipv6_default" in names  # route table rtb-main is tagged Name=private
    assert "app_all_ipv6" in names  # security group app, all traffic


def test_cloudformation_of_an_unapplied_plan_lints_clean_and_retains_everything(source: ExportSource) -> None:
    [main] = export_files(source, "cloudformation")
    matches = lint(main.text, config=ManualArgs(regions=["us-east-1"]))
    # E1151-E1159 check id shapes (vpc- and 8 or 17 hex digits), which these builder ids are not;
    # the emulator test lints real ids with every rule
    assert [(m.rule.id, m.message) for m in matches if m.rule.severity == "error" and not m.rule.id.startswith("E115")] == []
    template = json.loads(main.text)
    types = {r["Type"] for r in template["Resources"].values()}
    assert types == {
        "AWS::EC2::VPCCidrBlock", "AWS::EC2::SubnetCidrBlock", "AWS::EC2::EgressOnlyInternetGateway",
        "AWS::EC2::Route", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SecurityGroupEgress",
    }
    assert all(r["DeletionPolicy"] == "Retain" for r in template["Resources"].values())
    assert "VpcIpv6CidrBlock" in template["Parameters"]  # subnet /64s carved from the block once it exists
    assert build_template(source)[1] == []  # nothing to import before an apply


def test_import_identifiers_and_importability_agree_with_the_registry_schemas() -> None:
    from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER

    for type_, identifiers in IMPORT_IDENTIFIERS.items():
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", type_).schema
        assert tuple(p.rsplit("/", 1)[1] for p in schema["primaryIdentifier"]) == identifiers, type_
        assert "read" in schema["handlers"], type_
    for type_ in NOT_IMPORTABLE:
        assert "read" not in PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", type_).schema["handlers"]


def test_iam_policies_pass_parliament_and_name_no_star_action(source: ExportSource) -> None:
    document = iam_document(source)
    for key in ("ReadPolicy", "ApplyPolicy"):
        findings = analyze_policy_string(json.dumps(document[key])).findings
        assert [(f.issue, f.detail) for f in findings] == [], key
        actions = [a for s in document[key]["Statement"] for a in s["Action"]]
        assert not any("*" in a for a in actions)
    # a gateway not created yet is named by wildcard; the route table by its id
    apply = {s["Action"][0]: s for s in document["ApplyPolicy"]["Statement"]}
    assert apply["ec2:DeleteEgressOnlyInternetGateway"]["Resource"] == ["arn:aws:ec2:us-east-1:123456789012:egress-only-internet-gateway/*"]
    assert apply["ec2:CreateRoute"]["Resource"] == ["arn:aws:ec2:us-east-1:123456789012:route-table/rtb-main"]
    tags = apply["ec2:CreateTags"]
    assert tags["Condition"]["Null"] == {"aws:RequestTag/v6wizard:session": "false"}
    unscopable = {u["Action"]: u for u in document["Unscopable"]}
    assert "ec2:DescribeVpcs" in unscopable and "list_amazonec2.html" in unscopable["ec2:DescribeVpcs"]["Reference"]
    assert not any(a.startswith(("ec2:Create", "ec2:Delete")) for a in unscopable)


def test_apply_policy_covers_any_call_a_plan_holds_not_a_fixed_list(source: ExportSource) -> None:
    plan = source.plan
    extra = Action(
        id="cutover:create-alias:orders",
        step="cutover",
        kind="cutover-alias",
        resource_id="orders",
        title="Create alias live",
        before="",
        after="",
        call=AwsCall(service="lambda", operation="CreateAlias", params={"FunctionName": "orders", "Name": "live", "FunctionVersion": "3"}),
        postcondition=Postcondition(check="alias-exists", description=""),
        inverse=AwsCall(service="lambda", operation="DeleteAlias", params={"FunctionName": "orders", "Name": "live"}),
    )
    steps = [s.model_copy(update={"actions": [*s.actions, extra]}) if s.name == "cutover" else s for s in plan.steps]
    policy = apply_policy(ExportSource(plan=plan.model_copy(update={"steps": steps})))
    by_action = {s["Action"][0]: s["Resource"] for s in policy["Statement"]}
    assert by_action["lambda:DeleteAlias"] == [
        "arn:aws:lambda:us-east-1:123456789012:function:orders",
        "arn:aws:lambda:us-east-1:123456789012:function:orders:live",
    ]
    assert "lambda:CreateAlias" in by_action


def test_ipam_block_reused_gateway_and_public_route_shape_the_terraform() -> None:
    from v6wizard.core.plan import PlanOptions

    from .builders import eigw

    options = PlanOptions(cidr_source="ipam", ipam_pool_id="ipam-pool-0abc", ipam_netmask_length=52, public_ipv6_route=True)
    plan = build_plan(inventory(egress_only_gateways=[eigw("eigw-0existing")]), options)
    text = export_files(ExportSource(plan=plan), "terraform")[0].text
    resources, _ = parsed_terraform(text)
    [assoc] = resources["aws_vpc_ipv6_cidr_block_association"].values()
    assert assoc == {"vpc_id": "vpc-1", "ipv6_ipam_pool_id": "ipam-pool-0abc", "ipv6_netmask_length": 52}
    assert "aws_egress_only_internet_gateway" not in resources  # the VPC's own gateway is reused
    routes = {r["route_table_id"]: r for r in resources["aws_route"].values()}
    assert routes["rtb-main"]["egress_only_gateway_id"] == "eigw-0existing"
    assert routes["rtb-pub"]["gateway_id"] == "igw-1"
    assert "ipv6_cidr_block, 12, " in text  # /64s of a /52: 12 more bits
    assert "assign_generated_ipv6_cidr_block` there" not in text  # the note is for Amazon-provided blocks only


def test_cloudformation_of_a_partly_applied_session_holds_only_what_it_created(source: ExportSource) -> None:
    from v6wizard.core.export_source import AppliedAction

    vpc_action = source.plan.step("vpc-cidr").actions[0]
    record = AppliedAction(params=vpc_action.call.params, outputs={"AssociationId": "vpc-cidr-assoc-0123456789abcdef0", "Ipv6CidrBlock": "2600:1f18:abcd:1200::/56"})
    partial = ExportSource(plan=source.plan, session_id="v6-20261201-abcdef", applied={vpc_action.id: record})
    template, imports = build_template(partial)
    assert [r["Type"] for r in template["Resources"].values()] == ["AWS::EC2::VPCCidrBlock"]
    assert imports == [{"ResourceType": "AWS::EC2::VPCCidrBlock", "LogicalResourceId": "MainIpv6",
                        "ResourceIdentifier": {"Id": "vpc-cidr-assoc-0123456789abcdef0", "VpcId": "vpc-1"}}]
    pending = template["Metadata"]["v6wizard"]["NotAppliedYet"]
    assert len(pending) == len(source.plan.actions()) - 1 - sum(a.kind not in _CFN_KINDS for a in source.plan.actions())


_CFN_KINDS = {"associate-vpc-ipv6", "associate-subnet-ipv6", "create-egress-gateway", "create-route", "create-nacl-entry", "authorize-sg-egress"}
