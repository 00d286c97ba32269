"""AAAA lookups for readiness: does a hostname have an IPv6 address? Concurrent, short, cached per run.

dnspython asks the resolver named by `--dns-server HOST[:PORT]` (or `V6WIZARD_DNS_SERVER`),
else the system's. Each lookup waits about `TIMEOUT` seconds and is tried once more, so a
dead resolver costs seconds. A timeout or a server failure is `unknown`, never a guess;
NXDOMAIN or an answer without AAAA is a real `no`.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import dns.exception
import dns.resolver

from v6wizard.core.readiness import DnsAnswer
from v6wizard.errors import InvalidOption

TIMEOUT = 2.0
"""Seconds one lookup may take."""
ATTEMPTS = 2
"""One lookup and one retry."""
WORKERS = 16

DNS_SERVER_ENV = "V6WIZARD_DNS_SERVER"


def parse_server(spec: str) -> tuple[str, int]:
    """`HOST[:PORT]` (an IPv6 address in brackets: `[::1]:5353`) -> (address, port); InvalidOption if malformed."""
    text = spec.strip()
    host, port = text, 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise InvalidOption(f"The DNS server {spec!r} is not HOST[:PORT]; write an IPv6 address as [::1]:53.")
            port = _port(spec, rest[1:])
    elif text.count(":") == 1:
        host, _, raw = text.partition(":")
        port = _port(spec, raw)
    if not host:
        raise InvalidOption(f"The DNS server {spec!r} names no host; give HOST[:PORT], e.g. 127.0.0.1:5353.")
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        try:
            address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][4][0]
        except OSError:
            raise InvalidOption(f"The DNS server {host!r} could not be found; give its address, e.g. 127.0.0.1:5353.") from None
    return address, port


def _port(spec: str, raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise InvalidOption(f"The DNS server {spec!r} has no valid port; give HOST[:PORT] with a port from 1 to 65535.")
    return int(raw)


class AaaaProbe:
    """AAAA answers for hostnames, through one resolver, remembered for the run."""

    def __init__(self, server: str | None = None, *, timeout: float = TIMEOUT, attempts: int = ATTEMPTS) -> None:
        self.server = server
        if server:
            address, port = parse_server(server)
            self._resolver = dns.resolver.Resolver(configure=False)
            self._resolver.nameservers = [address]
            self._resolver.port = port
        else:
            self._resolver = dns.resolver.Resolver()
        self._resolver.timeout = timeout
        self._resolver.lifetime = timeout
        self._attempts = attempts
        self._lock = threading.Lock()
        self._cache: dict[str, DnsAnswer] = {}

    def answers(self, hosts: Iterable[str]) -> dict[str, DnsAnswer]:
        """host -> yes / no / unknown, looked up concurrently (each host once per probe)."""
        wanted = sorted(set(hosts))
        with self._lock:
            missing = [h for h in wanted if h not in self._cache]
        if missing:
            with ThreadPoolExecutor(max_workers=min(WORKERS, len(missing)), thread_name_prefix="aaaa") as pool:
                for host, answer in zip(missing, pool.map(self._lookup, missing)):
                    with self._lock:
                        self._cache[host] = answer
        with self._lock:
            return {h: self._cache[h] for h in wanted}

    def _lookup(self, host: str) -> DnsAnswer:
        for _ in range(self._attempts):
            try:
                # Resolver.resolve is safe to share between threads: it keeps no per-query state.
                answer = self._resolver.resolve(host, "AAAA", raise_on_no_answer=False, search=False)
            except dns.resolver.NXDOMAIN:
                return "no"
            except (dns.exception.Timeout, dns.resolver.NoNameservers):
                continue
            return "yes" if answer.rrset is not None and len(answer.rrset) > 0 else "no"
        return "unknown"
