"""The plan warns where what it changes is managed as code (CloudFormation, CDK, Terraform, OpenTofu)."""

from __future__ import annotations

from v6wizard.core.iac_ownership import iac_owner
from v6wizard.core.planner import build_plan
from v6wizard.core.render import render_markdown, render_text

from .builders import function, inventory, subnet, vpc


def _review(plan, step):
    return [f for f in plan.step(step).findings if "managed by" in f.message]


def test_a_vpc_in_a_cloudformation_stack_gets_a_review_finding_naming_the_stack() -> None:
    tagged = vpc().model_copy(update={"tags": {"aws:cloudformation:stack-name": "network-prod"}})
    plan = build_plan(inventory(vpc=tagged))
    [found] = _review(plan, "vpc-cidr")
    assert found.kind == "review"
    assert "CloudFormation stack network-prod" in found.message
    assert "--format cloudformation" in found.message and "reverts" in found.message
    assert found.message in render_text(plan) and found.message in render_markdown(plan)
    assert found.message in plan.model_dump_json()


def test_terraform_subnets_are_named_together_and_functions_by_opentofu_tag() -> None:
    subnets = [
        subnet("subnet-pub-a", "10.0.0.0/24", tags={"ManagedBy": "Terraform"}),
        subnet("subnet-priv-a", "10.0.1.0/24", tags={"terraform:module": "vpc"}),
        subnet("subnet-priv-b", "10.0.2.0/24"),
    ]
    fn = function(tags={"tool": "opentofu"})
    plan = build_plan(inventory(subnets=subnets, functions=[fn]))
    messages = [f.message for f in _review(plan, "subnets")]
    assert len(messages) == 2  # one per tag that names the tool
    assert any("subnet subnet-pub-a" in m and "Terraform (tag ManagedBy=Terraform)" in m for m in messages)
    assert all("--format terraform" in m for m in messages)
    [fn_finding] = _review(plan, "functions")
    assert "OpenTofu (tag tool=opentofu)" in fn_finding.message and "function orders" in fn_finding.message


def test_cdk_path_names_the_cdk_and_its_stack() -> None:
    assert iac_owner({"aws:cdk:path": "Net/Vpc/Resource", "aws:cloudformation:stack-name": "Net"}) == (
        "the AWS CDK (Net/Vpc/Resource in stack Net)",
        "cloudformation",
    )


def test_untagged_resources_and_unchosen_subnets_give_no_warning() -> None:
    subnets = [subnet("subnet-pub-a", "10.0.0.0/24", tags={"ManagedBy": "terraform"}), subnet("subnet-priv-a", "10.0.1.0/24")]
    plan = build_plan(inventory(subnets=subnets, functions=[function(subnets=("subnet-priv-a",))]), _only("subnet-priv-a"))
    assert not any("managed by" in f.message for f in plan.findings)
    assert iac_owner({"Name": "app", "team": "payments"}) is None


def _only(*subnet_ids):
    from v6wizard.core.plan import PlanOptions

    return PlanOptions(subnet_ids=list(subnet_ids))
