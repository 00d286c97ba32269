"""The Readiness view (r on the Plan screen) and the SDK-endpoints switch on the Choose screen, against the demo."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import DataTable, Static, Switch

from tui.flows import connect, plan_demo
from tui.helpers import SIZE, text_of, wait_for
from v6wizard.demo.readiness_seed import demo_zone
from v6wizard.emulator.dns_server import DnsServer
from v6wizard.tui.screens.choose import ChooseScreen
from v6wizard.tui.screens.plan import PlanScreen
from v6wizard.tui.screens.readiness import ReadinessScreen


@pytest.fixture
def demo_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[DnsServer]:
    with DnsServer(demo_zone("us-east-1")) as server:
        monkeypatch.setenv("V6WIZARD_DNS_SERVER", server.address)
        yield server


def cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_readiness_view_reads_in_a_worker_and_shows_the_verdict(build_app: Any, demo: Any, recorder: Any, demo_dns: DnsServer) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        recorder.operations.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadinessScreen) and app.screen.query_one("#readiness-table", DataTable).row_count > 0, what="the readiness report")
        assert "NAT stays for: ecr" in text_of(app.screen.query_one("#readiness-verdict", Static))
        rows = cells(app.screen.query_one("#readiness-table", DataTable))
        assert ["  dynamodb", "nat", "opt-in", "AWS_ENDPOINT_URL_DYNAMODB"] in rows
        assert ["  ecr", "nat", "ipv4-only", "NAT stays"] in rows
        assert any(r[:3] == ["  s3", "gateway-endpoint", "opt-in"] for r in rows)
        assert ["  secretsmanager", "nat", "default", "IPv6 by default"] in rows
        assert {"GetRole", "GetRolePolicy", "DescribeVpcEndpoints"} <= set(recorder.operations)
        assert recorder.mutating == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="back to the plan")


async def test_the_sdk_endpoints_switch_puts_the_settings_in_the_plan(build_app: Any, demo: Any, demo_dns: DnsServer) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await connect(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ChooseScreen) and app.screen.query_one("#vpcs", DataTable).row_count >= 2, what="the VPC list")
        table = app.screen.query_one("#vpcs", DataTable)
        table.move_cursor(row=table.get_row_index(demo.vpc_id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen._inventory is not None and bool(app.screen.query("#sdk-endpoints")), what="discovery and the options")
        switch = app.screen.query_one("#sdk-endpoints", Switch)
        assert switch.value is False  # off by default
        switch.value = True
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanScreen), what="the plan")
        assert app.plan is not None and app.plan.options.sdk_endpoints and app.plan.readiness is not None
        update = app.plan.action("functions:update:orders-api")
        assert update.call.params["AddEnvironmentVariables"] == {"AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.us-east-1.api.aws"}
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReadinessScreen) and app.screen.query_one("#readiness-table", DataTable).row_count > 0, what="the plan's readiness")
