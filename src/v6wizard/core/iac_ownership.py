"""Which infrastructure-as-code tool manages the resources a plan changes, read from their tags.

A VPC, subnet, security group or function that a CloudFormation stack (CDK included) or
Terraform/OpenTofu manages sees the migration as drift: the next deployment may revert it.
The planner adds one `review` finding per tool and step, naming the stack or tool and the
export that adopts the change (`v6wizard export`). Also: the Name tags that exports use.
"""

from __future__ import annotations

from collections import defaultdict

from v6wizard.core.inventory import Inventory
from v6wizard.core.plan import Finding, StepName, Step
from v6wizard.core.planner_context import PlanContext

CFN_STACK_TAG = "aws:cloudformation:stack-name"
"""Set by CloudFormation on every stack resource that takes tags."""
CDK_PATH_TAG = "aws:cdk:path"
"""Set by the AWS CDK (as construct metadata, and as a tag by some constructs)."""
TERRAFORM_WORDS = ("terraform", "opentofu")
"""A tag key or value naming either marks a Terraform/OpenTofu-managed resource (ManagedBy=terraform,
terraform:workspace, tofu modules' `opentofu` tags): there is no one tag both tools always set."""


def iac_owner(tags: dict[str, str]) -> tuple[str, str] | None:
    """(tool, export format) for tags that show an IaC owner, e.g. ("CloudFormation stack net", "cloudformation")."""
    stack = tags.get(CFN_STACK_TAG)
    cdk_path = tags.get(CDK_PATH_TAG)
    if cdk_path:
        where = f" in stack {stack}" if stack else ""
        return f"the AWS CDK ({cdk_path}{where})", "cloudformation"
    if stack:
        return f"CloudFormation stack {stack}", "cloudformation"
    for key, value in sorted(tags.items()):
        text = f"{key} {value}".lower()
        for word in TERRAFORM_WORDS:
            if word in text:
                tool = "OpenTofu" if word == "opentofu" else "Terraform"
                return f"{tool} (tag {key}={value})", "terraform"
    return None


def with_iac_findings(steps: list[Step], ctx: PlanContext) -> list[Step]:
    """The steps with a review finding where a resource the step changes is managed as code."""
    owned = _owned_resources(ctx)
    if not owned:
        return steps
    return [
        step.model_copy(update={"findings": [*step.findings, *owned[step.name]]}) if owned.get(step.name) else step
        for step in steps
    ]


def _owned_resources(ctx: PlanContext) -> dict[str, list[Finding]]:
    inventory = ctx.inventory
    groups = {g for fn in ctx.functions for g in fn.security_group_ids}
    candidates: list[tuple[StepName, str, str, dict[str, str]]] = [("vpc-cidr", "VPC", inventory.vpc.id, inventory.vpc.tags)]
    candidates += [("subnets", "subnet", s.id, s.tags) for s in ctx.subnets]
    candidates += [("security-groups", "security group", g.id, g.tags) for g in inventory.security_groups if g.id in groups]
    candidates += [("functions", "function", f.name, f.tags) for f in ctx.functions]
    by_owner: dict[tuple[StepName, str, str, str], list[str]] = defaultdict(list)
    for step, kind, resource_id, tags in candidates:
        owner = iac_owner(tags)
        if owner is not None:
            by_owner[(step, kind, *owner)].append(resource_id)
    findings: dict[str, list[Finding]] = defaultdict(list)
    for (step, kind, tool, export_format), ids in by_owner.items():
        what = f"{kind} {ids[0]}" if len(ids) == 1 else f"{kind}s {', '.join(ids)}"
        verb = "is" if len(ids) == 1 else "are"
        findings[step].append(
            Finding(
                kind="review",
                step=step,
                resource_id=ids[0],
                message=(
                    f"The {what} {verb} managed by {tool}: merge the change into that code "
                    f"(`v6wizard export ... --format {export_format}`) or its next deployment reverts it."
                ),
            )
        )
    return findings


def resource_names(inventory: Inventory) -> dict[str, str]:
    """Name tags by resource id, for the exports' readable names (resources without one are left out)."""
    named = [inventory.vpc, *inventory.subnets, *inventory.route_tables, *inventory.network_acls]
    names = {item.id: item.name for item in named if item.name}
    names.update({g.id: g.tags.get("Name") or g.name for g in inventory.security_groups})
    return names
