"""The flow-log split of NAT gateway bytes: which bytes migrated subnets sent or received.

`DescribeFlowLogs` finds flow logs delivered to CloudWatch Logs for the VPC, the
gateways' subnets or their network interfaces. One Logs Insights query over them
sums bytes by interface, source and destination address; a record counts for the
migrated side when either address lies in a migrated subnet. Records to or from the
gateway's own private address are its outer leg (the same bytes leaving again) and
are left out. The query is polled until it finishes or the timeout passes; on
timeout it is stopped, so nothing keeps scanning (and billing) after we gave up.
The split only narrows the range: when AWS refuses these reads (no `logs:StartQuery`,
a flow log whose log group was deleted), the report falls back to the routes and says why.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import botocore.exceptions

from v6wizard.aws.errors import error_code, error_message
from v6wizard.aws.paging import check_cancel, paginate
from v6wizard.core.savings import FlowSplit

QUERY_TIMEOUT = 60.0
"""Seconds to wait for the Logs Insights query before stopping it."""
POLL_INTERVAL = 1.0
"""The longest wait between polls; the first waits are shorter (0.1 s, doubling), since small queries finish fast."""
RESULT_LIMIT = 10_000
"""The most rows GetQueryResults returns."""
_DONE = {"Complete", "Failed", "Cancelled", "Timeout", "Unknown"}


@dataclass
class NatInterfaces:
    """One gateway's network interface and private addresses (from DescribeNatGateways)."""

    nat_id: str
    subnet_id: str
    interface_ids: list[str] = field(default_factory=list)
    private_ips: list[str] = field(default_factory=list)


@dataclass
class FlowLogResult:
    splits: list[FlowSplit]
    note: str = ""


def flow_log_groups(ec2: Any, vpc_id: str, nats: Sequence[NatInterfaces], cancel: threading.Event | None = None) -> list[str]:
    """CloudWatch Logs groups of active flow logs on the VPC, the gateways' subnets or interfaces."""
    resources = sorted({vpc_id, *(n.subnet_id for n in nats), *(i for n in nats for i in n.interface_ids)} - {""})
    logs = paginate(ec2, "DescribeFlowLogs", "FlowLogs", cancel=cancel, Filter=[{"Name": "resource-id", "Values": resources}])
    return sorted(
        {
            item["LogGroupName"]
            for item in logs
            if item.get("LogDestinationType", "cloud-watch-logs") == "cloud-watch-logs"
            and item.get("LogGroupName")
            and item.get("FlowLogStatus", "ACTIVE") == "ACTIVE"
        }
    )


def split_query(interface_ids: Sequence[str]) -> str:
    quoted = ", ".join(f'"{i}"' for i in sorted(interface_ids))
    return (
        f"filter interfaceId in [{quoted}]\n"
        "| stats sum(bytes) as bytes by interfaceId, srcAddr, dstAddr\n"
        # Biggest first: if the pairs outnumber the limit, the rows left out are the smallest.
        "| sort bytes desc\n"
        f"| limit {RESULT_LIMIT}"
    )


def read_flow_split(
    ec2: Any,
    logs: Any,
    vpc_id: str,
    nats: Sequence[NatInterfaces],
    migrated_cidrs: Sequence[str],
    start: datetime,
    end: datetime,
    *,
    timeout: float = QUERY_TIMEOUT,
    poll_interval: float = POLL_INTERVAL,
    cancel: threading.Event | None = None,
) -> FlowLogResult:
    """The split per gateway, or none with a sentence saying why."""
    nats = [n for n in nats if n.interface_ids]
    if not nats:
        return FlowLogResult([])
    try:
        return _split(ec2, logs, vpc_id, nats, migrated_cidrs, start, end, timeout, poll_interval, cancel)
    except botocore.exceptions.ClientError as exc:
        return FlowLogResult([], f"The flow logs could not be read ({error_code(exc)}: {error_message(exc).rstrip('.')}), "
                                 "so the range comes from the routes alone.")


def _split(ec2: Any, logs: Any, vpc_id: str, nats: list[NatInterfaces], migrated_cidrs: Sequence[str], start: datetime,
           end: datetime, timeout: float, poll_interval: float, cancel: threading.Event | None) -> FlowLogResult:
    groups = flow_log_groups(ec2, vpc_id, nats, cancel)
    if not groups:
        return FlowLogResult([], "No VPC flow logs in CloudWatch Logs cover the NAT gateways, so the range comes from the routes alone.")
    query_id = logs.start_query(
        logGroupNames=groups,
        startTime=int(start.timestamp()),
        endTime=int(end.timestamp()),
        queryString=split_query([i for n in nats for i in n.interface_ids]),
    )["queryId"]
    answer = _wait(logs, query_id, timeout, poll_interval, cancel)
    if answer is None:
        return FlowLogResult([], f"The flow-log query did not finish within {timeout:g} s and was stopped, so the range comes from the routes alone.")
    if answer.get("status") != "Complete":
        return FlowLogResult([], f"The flow-log query ended {answer.get('status', 'without a status')}, so the range comes from the routes alone.")
    rows = [{cell["field"]: cell.get("value", "") for cell in row} for row in answer.get("results", [])]
    note = "" if len(rows) < RESULT_LIMIT else f"The flow-log query returned its limit of {RESULT_LIMIT} rows, so the split may miss small talkers."
    splits = attribute(rows, nats, migrated_cidrs)
    if not splits:
        note = (f"The flow logs ({', '.join(groups)}) hold no records of the NAT gateways' network interfaces in the window, "
                "so the range comes from the routes alone.")
    return FlowLogResult(splits, note)


def _wait(logs: Any, query_id: str, timeout: float, poll_interval: float, cancel: threading.Event | None) -> dict[str, Any] | None:
    deadline = time.monotonic() + timeout
    wait = min(0.1, poll_interval)
    while True:
        answer = logs.get_query_results(queryId=query_id)
        if answer.get("status") in _DONE:
            return answer
        if time.monotonic() >= deadline or (cancel is not None and cancel.is_set()):
            logs.stop_query(queryId=query_id)
            check_cancel(cancel)
            return None
        time.sleep(min(wait, max(0.0, deadline - time.monotonic())))
        wait = min(wait * 2, poll_interval)


def attribute(rows: list[dict[str, str]], nats: Sequence[NatInterfaces], migrated_cidrs: Sequence[str]) -> list[FlowSplit]:
    """Sum each row's bytes into its gateway's migrated or other side."""
    networks = [ipaddress.ip_network(c, strict=False) for c in migrated_cidrs]
    by_interface = {i: n for n in nats for i in n.interface_ids}
    own = {ip for n in nats for ip in n.private_ips}
    totals: dict[str, list[float]] = {n.nat_id: [0.0, 0.0] for n in nats}
    for row in rows:
        nat = by_interface.get(row.get("interfaceId", ""))
        if nat is None or row.get("srcAddr") in own or row.get("dstAddr") in own:
            continue
        moved = any(_inside(row.get(key, ""), networks) for key in ("srcAddr", "dstAddr"))
        totals[nat.nat_id][0 if moved else 1] += float(row.get("bytes") or 0)
    # A gateway without a single record in the logs has no split: its range stays the routes' one.
    return [FlowSplit(nat_id=nat_id, migrated_bytes=m, other_bytes=o) for nat_id, (m, o) in sorted(totals.items()) if m + o > 0]


def _inside(address: str, networks: list[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)
