"""The Lambda steps: dual-stack configuration, a published version, the alias cutover."""

from __future__ import annotations

from v6wizard.core.inventory import Alias, FunctionVersion
from v6wizard.core.plan import PlanOptions, nth_subnet64
from v6wizard.core.planner import build_plan
from v6wizard.core.schedule import parse_schedule

from .builders import CODE, VPC_BLOCK, function, inventory, subnet, vpc


def test_function_update_waits_for_everything_it_relies_on() -> None:
    plan = build_plan(inventory())
    update = plan.action("functions:update:orders")
    assert update.kind == "update-function-config"
    assert update.call.params == {"FunctionName": "orders", "VpcConfig": {
        "SubnetIds": ["subnet-priv-a", "subnet-priv-b"], "SecurityGroupIds": ["sg-app"], "Ipv6AllowedForDualStack": True}}
    assert update.inverse is not None and update.inverse.params["VpcConfig"]["Ipv6AllowedForDualStack"] is False
    assert update.postcondition.check == "function-dual-stack"
    assert set(update.after_actions) == {
        "vpc-cidr:associate:vpc-1", "subnets:associate:subnet-priv-a", "subnets:associate:subnet-priv-b",
        "routes:create:rtb-main", "network-acls:create:acl-private:ingress:111", "network-acls:create:acl-private:egress:101",
        "security-groups:authorize:sg-app:sgr-all",
    }
    assert {"function:orders", "subnet:subnet-priv-a", "security-group:sg-app"} <= set(update.depends_on_resources)


def test_publish_checks_the_code_hash_and_has_no_inverse() -> None:
    publish = build_plan(inventory()).action("functions:publish:orders")
    assert publish.kind == "publish-version"
    assert publish.call.params == {"FunctionName": "orders", "CodeSha256": CODE}
    assert publish.outputs == ["Version", "CodeSha256"]
    assert publish.postcondition.check == "version-code-matches"
    assert publish.postcondition.params["CodeSha256"] == CODE
    assert publish.inverse is None and "immutable" in publish.inverse_note
    assert publish.after_actions == ["functions:update:orders"]


def test_a_dual_stack_function_without_a_dual_stack_version_only_publishes() -> None:
    plan = build_plan(inventory(functions=[function(ipv6_allowed_for_dual_stack=True)]))
    assert [a.id for a in plan.step("functions").actions] == ["functions:publish:orders"]


def test_function_on_an_ipv6_only_or_unchosen_subnet_is_blocked_with_no_actions() -> None:
    subnets = [subnet("subnet-priv-a", "10.0.1.0/24"), subnet("subnet-priv-b", "10.0.2.0/24"), subnet("subnet-v6", "", ipv6_native=True)]
    fns = [function("native", subnets=("subnet-priv-a", "subnet-v6")), function("partial", subnets=("subnet-priv-a", "subnet-priv-b"))]
    plan = build_plan(inventory(subnets=subnets, functions=fns), PlanOptions(subnet_ids=["subnet-priv-a", "subnet-v6"]))
    assert plan.step("functions").is_empty and plan.step("cutover").is_empty
    blockers = {f.resource_id: f.message for f in plan.step("functions").findings if f.kind == "blocker"}
    assert "IPv6-only" in blockers["native"]
    assert "subnet-priv-b has no IPv6 block and is not among the chosen subnets" in blockers["partial"]


def test_an_unchosen_subnet_that_already_has_a_64_does_not_block() -> None:
    subnets = [subnet("subnet-priv-a", "10.0.1.0/24"), subnet("subnet-priv-b", "10.0.2.0/24", ipv6=nth_subnet64(VPC_BLOCK, 9))]
    plan = build_plan(inventory(vpc=vpc(VPC_BLOCK), subnets=subnets), PlanOptions(subnet_ids=["subnet-priv-a"]))
    assert [a.id for a in plan.step("functions").actions] == ["functions:update:orders", "functions:publish:orders"]
    assert "subnets:associate:subnet-priv-a" in plan.action("functions:update:orders").after_actions


def test_unreleased_code_on_latest_blocks_the_publish() -> None:
    versions = [FunctionVersion(version="3", code_sha256="old" * 10)]
    plan = build_plan(inventory(functions=[function(versions=versions)]))
    assert plan.step("functions").is_empty
    assert any(f.kind == "blocker" and "unreleased" in f.message for f in plan.step("functions").findings)


def test_cutover_shifts_the_alias_to_the_new_version_on_the_schedule() -> None:
    options = PlanOptions(schedule=parse_schedule("5%:2m,100%"))
    shift = build_plan(inventory(), options).action("cutover:shift:orders")
    assert shift.kind == "cutover-alias"
    assert shift.call.params == {"FunctionName": "orders", "Name": "live", "FunctionVersion": "${functions:publish:orders.Version}",
                                 "RoutingConfig": {"AdditionalVersionWeights": {}}}
    assert shift.postcondition.check == "alias-points-at"
    assert shift.inverse is not None and shift.inverse.params == {
        "FunctionName": "orders", "Name": "live", "FunctionVersion": "3", "RoutingConfig": {"AdditionalVersionWeights": {}}}
    assert "v3 100% -> the new version via 5% (2m), 100%" in shift.title
    assert "functions:publish:orders" in shift.after_actions


def test_cutover_uses_an_already_published_dual_stack_version() -> None:
    versions = [FunctionVersion(version="3", code_sha256=CODE), FunctionVersion(version="4", code_sha256=CODE, ipv6_allowed_for_dual_stack=True)]
    plan = build_plan(inventory(functions=[function(versions=versions, ipv6_allowed_for_dual_stack=True)]))
    assert plan.step("functions").is_empty
    assert plan.action("cutover:shift:orders").call.params["FunctionVersion"] == "4"


def test_cutover_findings_for_missing_split_and_provisioned_aliases() -> None:
    fns = [
        function("no-alias", aliases=[]),
        function("split", aliases=[Alias(name="live", function_version="2", additional_weights={"3": 0.1})]),
        function("warm", aliases=[Alias(name="live", function_version="3", provisioned_concurrency=5)]),
    ]
    step = build_plan(inventory(functions=fns)).step("cutover")
    assert step.is_empty
    kinds = {f.resource_id: (f.kind, f.message) for f in step.findings}
    assert kinds["no-alias"][0] == "review" and "can create it" in kinds["no-alias"][1]
    assert kinds["split"][0] == "conflict" and "leftover split alias" in kinds["split"][1]
    assert kinds["warm"][0] == "blocker"


def test_alias_already_on_a_dual_stack_version_needs_no_cutover() -> None:
    versions = [FunctionVersion(version="3", code_sha256=CODE, ipv6_allowed_for_dual_stack=True)]
    plan = build_plan(inventory(functions=[function(versions=versions, ipv6_allowed_for_dual_stack=True)]))
    assert plan.step("functions").is_empty and plan.step("cutover").is_empty


def test_other_alias_names_are_honoured() -> None:
    fn = function(aliases=[Alias(name="prod", function_version="2")])
    plan = build_plan(inventory(functions=[fn]), PlanOptions(alias_name="prod"))
    assert plan.action("cutover:shift:orders").call.params["Name"] == "prod"
