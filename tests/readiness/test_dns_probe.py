"""The AAAA probe against the local DNS server: yes / no / unknown, one retry, bounded time, a cache per run."""

from __future__ import annotations

import time

import pytest

from v6wizard.aws.dns_probe import AaaaProbe, parse_server
from v6wizard.emulator.dns_server import DnsServer, Zone
from v6wizard.errors import InvalidOption


def test_answers_retry_once_and_are_cached() -> None:
    zone = Zone(aaaa={"v6.example": ["2001:db8::1"]}, a={"v6.example": ["192.0.2.1"], "v4.example": ["192.0.2.2"]},
                servfail={"broken.example"}, silent={"dead.example"})
    with DnsServer(zone) as server:
        probe = AaaaProbe(server.address, timeout=0.3)
        started = time.monotonic()
        answers = probe.answers(["v6.example", "v4.example", "missing.example", "broken.example", "dead.example"])
        elapsed = time.monotonic() - started
        assert answers == {"v6.example": "yes", "v4.example": "no", "missing.example": "no", "broken.example": "unknown", "dead.example": "unknown"}
        assert elapsed < 1.5, "concurrent lookups: a dead name costs two timeouts, not one per name"
        assert server.queries.count(("dead.example", "AAAA")) == 2  # one retry
        probe.answers(["v6.example", "dead.example"])
        assert server.queries.count(("dead.example", "AAAA")) == 2 and server.queries.count(("v6.example", "AAAA")) == 1


@pytest.mark.parametrize(("spec", "parsed"), [("127.0.0.1", ("127.0.0.1", 53)), ("127.0.0.1:5353", ("127.0.0.1", 5353)), ("[::1]:5353", ("::1", 5353)), ("::1", ("::1", 53))])
def test_server_specs(spec: str, parsed: tuple[str, int]) -> None:
    assert parse_server(spec) == parsed


@pytest.mark.parametrize("spec", ["127.0.0.1:0", "127.0.0.1:x", ":53", "[::1]x"])
def test_bad_server_specs_are_one_sentence(spec: str) -> None:
    with pytest.raises(InvalidOption):
        parse_server(spec)
