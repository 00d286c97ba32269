"""A small DNS server on 127.0.0.1 for the tests and the demo, built on dnspython's message API.

It answers AAAA and A for the names it is given and NXDOMAIN for every other name, so
readiness reports run offline. A name can also be made to fail (SERVFAIL) or to go
unanswered (the client times out), for the `unknown` verdict. UDP only: readiness asks
for one small record at a time.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

TTL = 60


@dataclass
class Zone:
    """What the server knows: name -> addresses, and names that fail or stay silent."""

    aaaa: dict[str, list[str]] = field(default_factory=dict)
    a: dict[str, list[str]] = field(default_factory=dict)
    servfail: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)

    @staticmethod
    def key(name: str) -> str:
        return name.lower().rstrip(".")


class DnsServer:
    """A threaded UDP DNS server bound to 127.0.0.1 and a free port (never 0.0.0.0)."""

    def __init__(self, zone: Zone | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.zone = zone or Zone()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind((host, port))
        self._socket.settimeout(0.2)
        self.host, self.port = self._socket.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="v6wizard-dns", daemon=True)
        self.queries: list[tuple[str, str]] = []
        """(name, type) of every query received, for tests."""

    @property
    def address(self) -> str:
        """`HOST:PORT`, as `--dns-server` takes it."""
        return f"{self.host}:{self.port}"

    def start(self) -> DnsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()

    def __enter__(self) -> DnsServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self._socket.recvfrom(4096)
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            try:
                reply = self.answer(dns.message.from_wire(wire))
            except Exception:  # noqa: BLE001 - a malformed packet gets no answer, as from a real server
                continue
            if reply is not None:
                try:
                    self._socket.sendto(reply.to_wire(), peer)
                except OSError:
                    return

    def answer(self, query: dns.message.Message) -> dns.message.Message | None:
        """The reply to one query (None: stay silent)."""
        question = query.question[0]
        name = Zone.key(question.name.to_text())
        self.queries.append((name, dns.rdatatype.to_text(question.rdtype)))
        if name in self.zone.silent:
            return None
        reply = dns.message.make_response(query)
        reply.flags |= dns.flags.RA
        if name in self.zone.servfail:
            reply.set_rcode(dns.rcode.SERVFAIL)
            return reply
        known = name in self.zone.aaaa or name in self.zone.a
        if not known:
            reply.set_rcode(dns.rcode.NXDOMAIN)
            return reply
        table = {dns.rdatatype.AAAA: self.zone.aaaa, dns.rdatatype.A: self.zone.a}.get(question.rdtype, {})
        addresses = table.get(name, [])
        if addresses:
            reply.answer.append(
                dns.rrset.from_text_list(question.name, TTL, dns.rdataclass.IN, question.rdtype, addresses)
            )
        return reply
