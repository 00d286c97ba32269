"""VPC endpoint IP settings, which moto 5.2.5 ignores (a correction, always on).

`CreateVpcEndpoint` takes `IpAddressType` (ipv4, dualstack, ipv6) and
`DnsOptions.DnsRecordIpType`; moto drops both and `DescribeVpcEndpoints` never shows
them. This layer remembers them per endpoint id and writes them into the describe
answer, as AWS does, so readiness can find dual-stack interface endpoints.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from v6wizard.emulator.wsgi import Answer, Call, Layer

_ENDPOINT_ID = re.compile(r"<vpcEndpointId>(vpce-[0-9a-f]+)</vpcEndpointId>")


class VpcEndpointOptions(Layer):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._options: dict[str, tuple[str, str]] = {}

    def reset(self) -> None:
        with self._lock:
            self._options.clear()

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.protocol != "ec2" or call.operation not in ("CreateVpcEndpoint", "DescribeVpcEndpoints"):
            return None
        answer = downstream()
        if not answer.ok:
            return answer
        if call.operation == "CreateVpcEndpoint":
            address_type = call.params.get("IpAddressType") or "ipv4"
            record_type = call.params.get("DnsOptions.DnsRecordIpType") or ("dualstack" if address_type == "dualstack" else address_type)
            found = _ENDPOINT_ID.search(answer.text())
            if found:
                with self._lock:
                    self._options[found.group(1)] = (address_type, record_type)
        return answer.with_body(_ENDPOINT_ID.sub(self._describe, answer.text()))

    def _describe(self, match: re.Match[str]) -> str:
        with self._lock:
            address_type, record_type = self._options.get(match.group(1), ("ipv4", "ipv4"))
        return (
            f"{match.group(0)}<ipAddressType>{address_type}</ipAddressType>"
            f"<dnsOptions><dnsRecordIpType>{record_type}</dnsRecordIpType></dnsOptions>"
        )
