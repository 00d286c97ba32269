"""Before rollback deletes the egress-only gateway it created: refuse while routes it did not create use it.

Deleting a gateway that routes still target leaves those routes blackholed. By the time
the gateway's undo runs, the routes step (undone before it) has deleted every route this
session created, so any route that still targets the gateway belongs to someone else:
rollback stops before the gateway (exit 1) and lists them; what it undid stays undone and
the rest stays resumable.
"""

from __future__ import annotations

from typing import Any

from v6wizard.aws.paging import paginate
from v6wizard.aws.session import AwsAccess
from v6wizard.errors import AwsCallFailed

FOREIGN_ROUTES = "ForeignRoutes"
"""The error code journaled and shown when routes v6wizard did not create use the gateway."""


def routes_to_gateway(access: AwsAccess, vpc_id: str, gateway_id: str) -> list[str]:
    """`rtb-… DESTINATION` for every route in the VPC's route tables that targets `gateway_id` (one paged read)."""
    found: list[str] = []
    tables = paginate(access.client("ec2"), "DescribeRouteTables", "RouteTables", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    for table in tables:
        for route in table.get("Routes", []):
            if gateway_id in (route.get("EgressOnlyInternetGatewayId"), route.get("GatewayId")):
                destination = route.get("DestinationIpv6CidrBlock") or route.get("DestinationCidrBlock") or route.get("DestinationPrefixListId", "?")
                found.append(f"{table['RouteTableId']} {destination}")
    return sorted(found)


def refuse_if_routes_use(access: AwsAccess, vpc_id: str, gateway_id: Any) -> None:
    """AwsCallFailed (exit 1) listing the routes that still target the gateway; nothing when none do."""
    if not gateway_id:
        return
    routes = routes_to_gateway(access, vpc_id, str(gateway_id))
    if routes:
        raise AwsCallFailed(
            f"Rollback stopped before deleting the egress-only gateway {gateway_id}: routes v6wizard did not create "
            f"still target it ({'; '.join(routes)}), and deleting it would blackhole them; delete or repoint them first",
            FOREIGN_ROUTES,
        )
