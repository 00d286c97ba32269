"""Default and dual-stack hostnames of AWS services in a region, built offline by botocore's resolver.

A client made with `use_dualstack_endpoint` False and True resolves both names without
a request; botocore's answer is only a candidate (the AAAA lookups decide). Clients are
built from a plain botocore session, never the operator's (no credentials, no
`--endpoint-url`), so the names are AWS's even against the emulator.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import botocore.exceptions
import botocore.session
from botocore.config import Config

from v6wizard.core.readiness import ServiceHosts

_lock = threading.Lock()
_session: botocore.session.Session | None = None


def _botocore() -> botocore.session.Session:
    global _session
    with _lock:
        if _session is None:
            _session = botocore.session.Session()
        return _session


def _host(service: str, region: str, dual_stack: bool) -> tuple[str, str] | None:
    """(host, service id) of the endpoint botocore builds, or None when it builds none."""
    try:
        client = _botocore().create_client(
            service,
            region_name=region,
            config=Config(use_dualstack_endpoint=dual_stack, ignore_configured_endpoint_urls=True, retries={"max_attempts": 0}),
            aws_access_key_id="unused",
            aws_secret_access_key="unused",
        )
    except (botocore.exceptions.UnknownServiceError, botocore.exceptions.BotoCoreError, ValueError):
        return None
    host = urlsplit(client.meta.endpoint_url).hostname or ""
    return (host, client.meta.service_model.service_id) if host else None


def service_hosts(services: list[str], region: str) -> dict[str, ServiceHosts]:
    """Service -> its hostnames; services botocore does not know are left out."""
    known = set(_botocore().get_available_services())
    found: dict[str, ServiceHosts] = {}
    for service in sorted(set(services)):
        if service not in known:
            continue
        default = _host(service, region, False)
        if default is None:
            continue
        dual = _host(service, region, True)
        dual_host = dual[0] if dual is not None and dual[0] != default[0] else None
        found[service] = ServiceHosts(service=service, service_id=default[1], default_host=default[0], dualstack_host=dual_host)
    return found
