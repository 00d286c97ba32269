"""Helpers for the emulator tests: expected failures, polling a VPC block, zipped handlers."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from botocore.exceptions import ClientError



def error_code(call: Any, *args: Any, **kwargs: Any) -> str:
    """Run a boto3 call that must fail; return AWS's error code."""
    with pytest.raises(ClientError) as failure:
        call(*args, **kwargs)
    return failure.value.response["Error"]["Code"]


def wait_associated(ec2: Any, vpc_id: str, timeout: float = 5.0) -> dict[str, Any]:
    """Poll DescribeVpcs until the IPv6 block is associated, as the product must."""
    deadline = time.monotonic() + timeout
    while True:
        vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
        blocks = [b for b in vpc.get("Ipv6CidrBlockAssociationSet", []) if b["Ipv6CidrBlockState"]["State"] == "associated"]
        if blocks:
            return blocks[0]
        assert time.monotonic() < deadline, "the VPC IPv6 block never became associated"
        time.sleep(0.05)  # poll interval of a DescribeVpcs loop; there is no waiter for this state


def subnet_block(block: str, index: int) -> str:
    """The index-th /64 of a /56."""
    import ipaddress

    return str(list(ipaddress.ip_network(block).subnets(new_prefix=64))[index])


def zipped_handler() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
    return buffer.getvalue()


def wait_update_done(lam: Any, name: str, timeout: float = 5.0) -> None:
    """Poll GetFunctionConfiguration until LastUpdateStatus leaves InProgress (faster than the 1 s waiter)."""
    deadline = time.monotonic() + timeout
    while lam.get_function_configuration(FunctionName=name)["LastUpdateStatus"] == "InProgress":
        assert time.monotonic() < deadline, "the function update never finished"
        time.sleep(0.05)  # poll interval of a status read loop
