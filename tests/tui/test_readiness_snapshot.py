"""SVG snapshot of the Readiness view at 80x24, fed a fixed report (no AWS, no DNS)."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.helpers import wait_for
from tui.snapshot_app import FixedApp
from v6wizard.core.readiness import FunctionReadiness, ReadinessReport, ServiceReadiness
from v6wizard.tui.screens.readiness import ReadinessScreen


def service(name: str, via: str, ipv6: str, env: dict[str, str] | None = None, endpoint: str | None = None) -> ServiceReadiness:
    return ServiceReadiness(
        service=name, evidence="role", reached_via=via, ipv6=ipv6, endpoint_id=endpoint,  # type: ignore[arg-type]
        default_host=f"{name}.us-east-1.amazonaws.com", dualstack_host=f"{name}.us-east-1.api.aws", set_env=env or {},
    )


def fixed_report() -> ReadinessReport:
    url = {"AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.us-east-1.api.aws"}
    orders = FunctionReadiness(
        name="orders-api", runtime="python3.12", sdk_honours_service_endpoints=True,
        services=[service("dynamodb", "nat", "opt-in", url), service("ecr", "nat", "ipv4-only"),
                  service("s3", "gateway-endpoint", "opt-in", endpoint="vpce-0a1b2c3d4e5f60001"), service("secretsmanager", "nat", "default")],
        needs_ipv4_nat=["ecr"], moves_with_setting=["dynamodb"], env_to_set=url,
    )
    payments = FunctionReadiness(
        name="payments-worker", runtime="java21", services=[service("dynamodb", "nat", "ipv4-only")], needs_ipv4_nat=["dynamodb"],
        findings=["runtime java21: its SDK is packaged with the function; check it reads AWS_ENDPOINT_URL_<SERVICE>"],
    )
    return ReadinessReport(region="us-east-1", vpc_id="vpc-0a1b2c3d4e5f60001", functions=[orders, payments],
                           nat_stays_for=["dynamodb", "ecr"], nat_still_needed=True)


def test_readiness_at_80x24(snap_compare) -> None:
    """Readiness at 80x24: the title with 2 functions, the bold verdict "NAT stays for: dynamodb, ecr", a table of
    service x reached via x IPv6 x what to set with a heading row per function (orders-api: dynamodb opt-in through
    NAT with AWS_ENDPOINT_URL_DYNAMODB, ecr NAT stays, s3 on its gateway endpoint, secretsmanager IPv6 by default;
    payments-worker: dynamodb ipv4-only), below it the URL to set and the java21 runtime note, and the footer with Back."""

    async def show(pilot: Pilot) -> None:
        await wait_for(pilot, lambda: pilot.app.identity is not None, what="the fixed connection")
        await pilot.app.push_screen(ReadinessScreen(fixed_report()))
        await pilot.pause()

    assert snap_compare(FixedApp(), terminal_size=(80, 24), run_before=show)
