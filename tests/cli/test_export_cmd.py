"""`v6wizard export` against the emulator: what an applied session exports matches its journal and AWS,
the policies allow exactly what apply, rollback and plan do, and the export itself changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.api import ManualArgs, lint
from parliament import analyze_policy_string

from engine.scenario import small

from core.test_export_builders import parsed_terraform

FAST_CUTOVER = ["--schedule", "100%", "--poll-interval", "0.2", "--min-invocations", "0"]


class ServiceRecordingSession(boto3.Session):
    """A boto3 Session whose clients report every call as its IAM action name (`ec2:CreateRoute`)."""

    actions: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.events.register("before-call", self._record)

    def _record(self, model: Any = None, **_: Any) -> None:
        if model is not None:
            ServiceRecordingSession.actions.append(f"{model.service_model.service_name}:{model.name}")


def mutating(actions: list[str]) -> set[str]:
    return {a for a in actions if not a.split(":", 1)[1].startswith(("Describe", "List", "Get"))}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every AWS call the CLI makes, as IAM actions (cleared by the test where it matters)."""
    ServiceRecordingSession.actions = []
    monkeypatch.setattr("v6wizard.aws.session.boto3.Session", ServiceRecordingSession)
    return ServiceRecordingSession.actions


@pytest.fixture
def applied(access, run_cli, journal_path, calls) -> dict[str, Any]:
    """The small account (one function behind a `live` alias) with every step applied."""
    info = small(access, functions=1, alias="live")
    calls.clear()
    result = run_cli("apply", "--vpc-id", info.vpc_id, "--assign-on-create", *FAST_CUTOVER, "--yes", "--output", "json")
    assert result.exit_code == 0, result.output
    state = json.loads(result.stdout)
    assert state["session"]["status"] == "applied"
    outputs = {a["id"]: a["outputs"] for s in state["steps"] for a in s["actions"]}
    return {"session": state["session"]["id"], "info": info, "outputs": outputs, "apply_calls": list(calls)}


def export(run_cli, calls: list[str], *args: str) -> Any:
    calls.clear()
    result = run_cli("export", *args)
    assert mutating(calls) == set(), "an export made a mutating call"
    return result


def test_terraform_of_an_applied_session_imports_every_created_resource_by_its_real_id(access, run_cli, calls, applied) -> None:
    result = export(run_cli, calls, applied["session"], "--format", "terraform")
    assert result.exit_code == 0, result.output
    resources, imports = parsed_terraform(result.stdout)
    by_address = {block["to"].strip("${}"): block["id"] for block in imports}
    outputs = applied["outputs"]
    info = applied["info"]
    ec2 = access.client("ec2")

    [(assoc_name, assoc)] = resources["aws_vpc_ipv6_cidr_block_association"].items()
    assoc_id = by_address[f"aws_vpc_ipv6_cidr_block_association.{assoc_name}"]
    assert assoc_id == outputs[f"vpc-cidr:associate:{info.vpc_id}"]["AssociationId"]
    vpc = ec2.describe_vpcs(VpcIds=[info.vpc_id])["Vpcs"][0]
    assert assoc_id in [a["AssociationId"] for a in vpc["Ipv6CidrBlockAssociationSet"] if a["Ipv6CidrBlockState"]["State"] == "associated"]

    [(gw_name, gateway)] = resources["aws_egress_only_internet_gateway"].items()
    gw_id = by_address[f"aws_egress_only_internet_gateway.{gw_name}"]
    assert gw_id == outputs[f"egress-gateway:create:{info.vpc_id}"]["EgressOnlyInternetGatewayId"]
    assert gateway["tags"]["v6wizard:session"] == applied["session"]

    [(route_name, route)] = resources["aws_route"].items()
    table = info.route_table_ids[0]
    assert by_address[f"aws_route.{route_name}"] == f"{table}_::/0"
    assert route["egress_only_gateway_id"] == f"${{aws_egress_only_internet_gateway.{gw_name}.id}}"
    live_routes = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"][0]["Routes"]
    assert any(r.get("DestinationIpv6CidrBlock") == "::/0" and r.get("EgressOnlyInternetGatewayId") == gw_id for r in live_routes)

    acl = info.network_acl_ids[0]
    entries = ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]
    live = {(e["RuleNumber"], e["Egress"]) for e in entries if e.get("Ipv6CidrBlock") == "::/0"}
    for name, rule in resources["aws_network_acl_rule"].items():
        assert by_address[f"aws_network_acl_rule.{name}"] == f"{acl}:{rule['rule_number']}:{rule['protocol']}:{str(rule['egress']).lower()}"
        assert (rule["rule_number"], rule["egress"]) in live

    [(sg_name, sg_rule)] = resources["aws_vpc_security_group_egress_rule"].items()
    rule_id = by_address[f"aws_vpc_security_group_egress_rule.{sg_name}"]
    [aws_rule] = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rule_id])["SecurityGroupRules"]
    assert aws_rule["IsEgress"] and aws_rule["CidrIpv6"] == sg_rule["cidr_ipv6"] == "::/0"
    assert aws_rule["FromPort"] == sg_rule["from_port"] == 443

    assert len(imports) == sum(len(v) for v in resources.values())  # every resource was created, so every one is imported
    for subnet in ec2.describe_subnets(SubnetIds=info.subnet_ids)["Subnets"]:
        block = subnet["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
        assert f'ipv6_cidr_block                 = "{block}"' in result.stdout  # in the aws_subnet snippet


def test_cloudformation_of_an_applied_session_lints_clean_and_its_import_document_names_real_ids(access, run_cli, calls, applied, tmp_path: Path) -> None:
    out = tmp_path / "stack.json"
    result = export(run_cli, calls, applied["session"], "--format", "cloudformation", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    errors = [(m.rule.id, m.message) for m in lint(text, config=ManualArgs(regions=["us-east-1"])) if m.rule.severity == "error"]
    assert errors == []
    template = json.loads(text)
    to_import = json.loads((tmp_path / "stack.import.json").read_text())
    outputs, info = applied["outputs"], applied["info"]
    identifiers = {(i["ResourceType"], json.dumps(i["ResourceIdentifier"], sort_keys=True)) for i in to_import}
    group = info.security_group_ids["fn"]
    expected = [("AWS::EC2::VPCCidrBlock", {"Id": outputs[f"vpc-cidr:associate:{info.vpc_id}"]["AssociationId"], "VpcId": info.vpc_id})]
    expected += [("AWS::EC2::SubnetCidrBlock", {"Id": outputs[f"subnets:associate:{s}"]["AssociationId"]}) for s in info.subnet_ids]
    expected += [("AWS::EC2::EgressOnlyInternetGateway", {"Id": outputs[f"egress-gateway:create:{info.vpc_id}"]["EgressOnlyInternetGatewayId"]})]
    expected += [("AWS::EC2::Route", {"RouteTableId": info.route_table_ids[0], "CidrBlock": "::/0"})]
    expected += [("AWS::EC2::SecurityGroupEgress", {"Id": v["SecurityGroupRuleId"]}) for k, v in outputs.items() if k.startswith(f"security-groups:authorize:{group}")]
    assert len(expected) == 7
    assert identifiers == {(t, json.dumps(i, sort_keys=True)) for t, i in expected}
    assert {i["LogicalResourceId"] for i in to_import} == set(template["Resources"])
    not_imported = template["Metadata"]["v6wizard"]["NotImported"]
    assert {n["Type"] for n in not_imported} == {"AWS::EC2::NetworkAclEntry"} and len(not_imported) == 2
    assert all("cannot import" in n["Reason"] for n in not_imported)


def test_apply_policy_allows_exactly_what_apply_and_rollback_do(access, run_cli, calls, applied) -> None:
    result = export(run_cli, calls, applied["session"], "--format", "iam-policy")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    calls.clear()
    undone = run_cli("rollback", applied["session"], "--yes")
    assert undone.exit_code == 0, undone.output
    made = mutating(applied["apply_calls"]) | mutating(calls)
    allowed = {a for s in document["ApplyPolicy"]["Statement"] for a in s["Action"]}
    # tags given at creation (TagSpecifications) are authorized as ec2:CreateTags, which is never called itself
    assert allowed == made | {"ec2:CreateTags"}
    reads = {a for a in applied["apply_calls"] + calls if a not in made}
    read_allowed = {a for s in document["ReadPolicy"]["Statement"] for a in s["Action"]}
    assert reads <= read_allowed, "apply or rollback read something the read policy does not allow"
    for key in ("ReadPolicy", "ApplyPolicy"):
        findings = analyze_policy_string(json.dumps(document[key])).findings
        assert [(f.issue, f.detail) for f in findings] == [], key
    resources = {r for s in document["ApplyPolicy"]["Statement"] for r in s["Resource"]}
    assert "*" not in resources
    info = applied["info"]
    assert f"arn:aws:ec2:us-east-1:123456789012:route-table/{info.route_table_ids[0]}" in resources
    assert "arn:aws:lambda:us-east-1:123456789012:function:engine-fn-0:live" in resources

    after = export(run_cli, calls, applied["session"], "--format", "terraform")
    assert after.exit_code == 0
    assert parsed_terraform(after.stdout)[1] == [], "a rolled-back session has nothing left to import"


def test_read_policy_allows_every_call_plan_makes(access, run_cli, calls, journal_path) -> None:
    info = small(access, functions=1, alias="live")
    result = export(run_cli, calls, "--vpc-id", info.vpc_id, "--format", "iam-policy")
    assert result.exit_code == 0, result.output
    read_allowed = {a for s in json.loads(result.stdout)["ReadPolicy"]["Statement"] for a in s["Action"]}
    calls.clear()
    planned = run_cli("plan", "--vpc-id", info.vpc_id, "--output", "json")
    assert planned.exit_code == 0
    assert set(calls) and set(calls) <= read_allowed


def test_a_plan_file_exports_and_one_for_another_account_is_refused(access, run_cli, calls, journal_path, tmp_path: Path) -> None:
    info = small(access, functions=0)
    plan_file = tmp_path / "plan.json"
    assert run_cli("plan", "--vpc-id", info.vpc_id, "--output", "json", "--out", str(plan_file)).exit_code == 0
    ours = export(run_cli, calls, "--plan", str(plan_file), "--format", "cloudformation")
    assert ours.exit_code == 0, ours.output
    assert json.loads(ours.stdout)["Resources"]

    other = json.loads(plan_file.read_text()) | {"account_id": "999999999999"}
    plan_file.write_text(json.dumps(other))
    refused = export(run_cli, calls, "--plan", str(plan_file), "--format", "terraform")
    assert refused.exit_code == 2
    assert "account 999999999999" in refused.stderr and "123456789012" in refused.stderr
    assert refused.stdout == ""


def test_unknown_session_and_missing_source_exit_2(run_cli, calls, journal_path) -> None:
    unknown = export(run_cli, calls, "v6-20990101-nope00", "--format", "terraform")
    assert unknown.exit_code == 2
    assert "v6-20990101-nope00" in unknown.stderr and "Traceback" not in unknown.output
    neither = export(run_cli, calls, "--format", "iam-policy")
    assert neither.exit_code == 2 and "Give one of SESSION" in neither.stderr


def test_plan_warns_where_discovery_finds_terraform_tags_on_the_vpc_and_a_function(access, run_cli, calls, journal_path) -> None:
    info = small(access, functions=1)
    access.client("ec2").create_tags(Resources=[info.vpc_id], Tags=[{"Key": "ManagedBy", "Value": "Terraform"}])
    function_arn = access.client("lambda").get_function(FunctionName="engine-fn-0")["Configuration"]["FunctionArn"]
    access.client("lambda").tag_resource(Resource=function_arn, Tags={"opentofu-module": "functions"})
    result = run_cli("plan", "--vpc-id", info.vpc_id, "--output", "json")
    assert result.exit_code == 0, result.output
    findings = {(f["step"], f["kind"]): f["message"] for s in json.loads(result.stdout)["steps"] for f in s["findings"] if "managed by" in f["message"]}
    assert f"The VPC {info.vpc_id} is managed by Terraform (tag ManagedBy=Terraform)" in findings[("vpc-cidr", "review")]
    assert "function engine-fn-0 is managed by OpenTofu (tag opentofu-module=functions)" in findings[("functions", "review")]


def test_out_to_a_folder_names_the_files_after_the_session(run_cli, calls, applied, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    result = export(run_cli, calls, applied["session"], "--format", "iam-policy", "--out", str(folder))
    assert result.exit_code == 0, result.output
    stem = f"v6wizard-{applied['session']}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{stem}{suffix}" for suffix in (".iam.json", ".read-policy.json", ".apply-policy.json"))
    apply_alone = json.loads((folder / f"{stem}.apply-policy.json").read_text())
    assert apply_alone == json.loads((folder / f"{stem}.iam.json").read_text())["ApplyPolicy"]
