"""Moto's ThreadedMotoServer on 127.0.0.1 and a free port, with our WSGI layers in front.

Used by `v6wizard demo` and by the test fixtures. The layers (see
`v6wizard.emulator.layers`) correct where moto answers differently from AWS and
enforce the AWS rules that moto does not, so a wrong ordering fails here rather
than in someone's production account. Product code never knows it is talking to
an emulator.
"""

from __future__ import annotations

import logging
import sys
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Any]
Middleware = Callable[[WsgiApp], WsgiApp]

HOST = "127.0.0.1"
"""Never 0.0.0.0: the emulator must not be reachable from off this machine."""

SERVING_SWITCH_INTERVAL = 0.001
"""CPython's thread switch interval in a process that only serves the emulator (see `tune_for_serving`)."""


def tune_for_serving() -> None:
    """Tune a process whose one job is to be the emulator (`v6wizard demo --serve`, the benchmarks' child).

    The server answers each request in its own thread, under one GIL. With CPython's
    default 5 ms switch interval, a small request that arrives while another thread
    writes a big answer (200 subnets) waits up to 5 ms at every hand-over, which AWS's
    servers never charge. 1 ms hands the GIL over sooner, for slightly more switching.
    Not for a process that also runs the wizard: it keeps the default.
    """
    sys.setswitchinterval(SERVING_SWITCH_INTERVAL)


class Emulator:
    """A running moto server with its endpoint, reset and middleware stack."""

    def __init__(self, middleware: list[Middleware] | None = None) -> None:
        from moto.server import ThreadedMotoServer

        from v6wizard.emulator import moto_speedups

        moto_speedups.install()
        self._server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
        self._middleware = list(middleware or [])
        self._lock = threading.Lock()
        self.endpoint = ""

    def start(self) -> Emulator:
        # werkzeug logs every request to stderr, which would bury the demo's own output.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server.start()
        host, port = self._server.get_host_and_port()
        # ThreadedMotoServer exposes no hook for WSGI middleware; werkzeug's server
        # calls `server.app` per request, so wrapping it after start is the seam.
        wsgi_server = self._server._server
        app: WsgiApp = wsgi_server.app
        for layer in reversed(self._middleware):
            app = layer(app)
        wsgi_server.app = app
        self.endpoint = f"http://{host}:{port}"
        return self

    @property
    def faults(self) -> Any:
        """The fault injector of the control layer (see `v6wizard.emulator.faults`)."""
        return self._layer_attribute("faults")

    @property
    def timing(self) -> Any:
        """The windows of AWS's asynchronous changes and the token buckets' switch (`emulator.timing`)."""
        return self._layer_attribute("timing")

    @property
    def buckets(self) -> Any:
        """AWS's request token buckets (`emulator.throttling`): what they refused."""
        return self._layer_attribute("buckets")

    @property
    def requests(self) -> Any:
        """The server-side log of every (service, operation) received."""
        return self._layer_attribute("requests")

    @property
    def logs_insights(self) -> Any:
        """The Logs Insights layer: `polls_before_complete`, `hold` (see `v6wizard.emulator.logs_insights`)."""
        return self._layer_attribute("logs_insights")

    def _layer_attribute(self, name: str) -> Any:
        for layer in self._middleware:
            if hasattr(layer, name):
                return getattr(layer, name)
        raise AttributeError(f"no emulator layer provides {name!r}")

    def stop(self) -> None:
        self._server.stop()

    def reset(self) -> None:
        """Forget every resource (moto's reset API), e.g. between tests."""
        request = urllib.request.Request(self.endpoint + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback only
            answer.read()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
