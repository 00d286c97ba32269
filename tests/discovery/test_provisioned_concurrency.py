"""Provisioned concurrency on an alias is discovered, and the planner refuses to cut it over (rule 7)."""

from __future__ import annotations

from v6wizard.aws.discovery import discover
from v6wizard.aws.session import AwsAccess
from v6wizard.core.planner import build_plan
from v6wizard.demo import scenarios


def test_provisioned_concurrency_on_live_is_discovered_and_blocks_the_cutover(access: AwsAccess) -> None:
    info = scenarios.demo(access)
    name = info.function_names[0]
    access.client("lambda").put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=5
    )
    inventory = discover(access, info.vpc_id)
    fn = inventory.function(name)
    assert fn is not None and fn.alias("live").provisioned_concurrency == 5
    others = [f for f in inventory.functions if f.name != name]
    assert all(f.alias("live").provisioned_concurrency == 0 for f in others)

    plan = build_plan(inventory)
    cutover = plan.step("cutover")
    assert name not in {a.resource_id for a in cutover.actions}
    assert any(f.kind == "blocker" and f.resource_id == name for f in cutover.findings)
