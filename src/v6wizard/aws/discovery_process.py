"""Discovery in a helper process: `DiscoveryProcess` runs `discover` and `region_overview` off the caller's GIL.

The wizard's event loop shares its process's GIL with every thread: discovery's 16
threads parsing hundreds of responses (and the collections their objects set off)
kept it waiting 50-100 ms at a time. The helper is a fresh interpreter
(`python -m v6wizard.aws.discovery_process FD`; never a fork of a process that runs
Textual's threads), started once connected so boto3 and the service models are loaded
before the operator picks a VPC.

Parent and helper talk over a socket pair with multiprocessing's `Connection`
(pickled tuples). The parent's frozen credentials travel with each request, over that
socket only: the helper's environment has the AWS credential variables removed, and
nothing is written to a file, a log or the command line. Results come back as the
pydantic models' JSON; failures as the same one-sentence errors (`v6wizard.errors`)
the in-process call raises.

    parent -> helper: ("warm", target, credentials) | ("run", id, kind, args, target, credentials) | ("cancel", id)
    helper -> parent: ("ready", note) | ("progress", id, text) | ("result", id, json) | ("error", id, class, message, code)
                      | ("fatal", message)

The helper exits when its socket closes: when the parent calls `close`, exits or dies.
Every wait in the parent polls with a timeout and checks the helper is alive, so a
helper that dies becomes one sentence (DiscoveryHelperFailed) and the next call starts a new one;
a request that reaches a dead helper before any answer came back is asked once more of a new one.
"""

from __future__ import annotations

import itertools
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from v6wizard import errors
from v6wizard.errors import Cancelled, DiscoveryHelperFailed, V6WizardError

if TYPE_CHECKING:
    from v6wizard.aws.session import AwsAccess, StaticCredentials
    from v6wizard.aws.target import AwsTarget
    from v6wizard.core.inventory import Inventory, RegionOverview

CREDENTIAL_ENV = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
)
"""Removed from the helper's environment: its credentials come over the socket, from the parent's session."""

POLL = 0.1
"""Seconds between liveness checks while a request waits for its answer."""

CANCEL_GRACE = 5.0
"""A helper that has not stopped this long after a cancel is killed (the next call starts a new one)."""

READY_TIMEOUT = 30.0
STOP_TIMEOUT = 2.0


class _Helper:
    """One helper process: its socket, the reader thread that routes its answers, and the requests waiting for them."""

    def __init__(self) -> None:
        parent_end, child_end = socket.socketpair()
        env = {name: value for name, value in os.environ.items() if name not in CREDENTIAL_ENV}
        try:
            # stdout/stderr are not the terminal's: the helper must never write over the wizard's screen.
            self.popen = subprocess.Popen(
                # -P: the folder the operator runs from is not put on the helper's import path (it is sent credentials).
                [sys.executable, "-P", "-m", __name__, str(child_end.fileno())],
                pass_fds=(child_end.fileno(),),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            parent_end.close()
            raise DiscoveryHelperFailed(f"The helper process that reads the account could not start ({exc}); nothing was changed.") from None
        finally:
            child_end.close()
        self.conn = Connection(parent_end.detach())
        self.ready = threading.Event()
        self.gone = threading.Event()
        self.fatal = ""
        self._send_lock = threading.Lock()
        self._pending: dict[int, queue.Queue[tuple[Any, ...]]] = {}
        self._pending_lock = threading.Lock()
        self._ids = itertools.count(1)
        threading.Thread(target=self._read, name="discovery-helper-reader", daemon=True).start()

    def alive(self) -> bool:
        return not self.gone.is_set() and self.popen.poll() is None

    def send(self, message: tuple[Any, ...]) -> None:
        with self._send_lock:
            self.conn.send(message)

    def open_request(self) -> tuple[int, queue.Queue[tuple[Any, ...]]]:
        answers: queue.Queue[tuple[Any, ...]] = queue.Queue()
        with self._pending_lock:
            request_id = next(self._ids)
            self._pending[request_id] = answers
        if self.gone.is_set():
            answers.put(("gone",))  # the reader already left: nobody else would tell this request
        return request_id, answers

    def close_request(self, request_id: int) -> None:
        with self._pending_lock:
            self._pending.pop(request_id, None)

    def _read(self) -> None:
        """Route each answer to the request waiting for it; when the socket closes, tell every waiting request."""
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                break
            if message[0] == "ready":
                self.ready.set()
            elif message[0] == "fatal":
                self.fatal = message[1]
            else:
                with self._pending_lock:
                    answers = self._pending.get(message[1])
                if answers is not None:
                    answers.put(message)
        self.gone.set()
        self.conn.close()
        with self._pending_lock:
            for answers in self._pending.values():
                answers.put(("gone",))

    def stop(self) -> None:
        """Close the socket and end the helper at once: it holds nothing to save, and one still importing at
        nice 10 would read its EOF only seconds later, while this runs on the UI thread (reconnect, quit)."""
        if not self.gone.is_set():
            try:
                # shutdown, not close: it also wakes the reader thread blocked in recv on the same socket.
                with socket.fromfd(self.conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as end:
                    end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # the reader closed the socket meanwhile: the helper has its EOF already
        self.popen.kill()
        self.popen.wait(timeout=STOP_TIMEOUT)

    def failure(self, doing: str) -> DiscoveryHelperFailed:
        try:
            code: int | None = self.popen.wait(timeout=1.0)  # its socket closed: it is exiting, or about to
        except subprocess.TimeoutExpired:
            code = None
        if self.fatal:
            why = f"could not start ({self.fatal})"
        else:
            why = f"stopped unexpectedly (exit code {code})" if code is not None else "stopped answering"
        return DiscoveryHelperFailed(f"The helper process that reads the account {why} while {doing}; nothing was changed, try again.")


class DiscoveryProcess:
    """Discovery and the region overview run by a long-lived helper process, with the parent's target and credentials.

    `credentials` is called before each request (e.g. `AwsAccess.frozen_credentials`), so
    temporary credentials refreshed in the parent reach the helper. Safe to call from
    several threads; each request waits in its own thread.
    """

    def __init__(self, target: AwsTarget, credentials: Callable[[], StaticCredentials]) -> None:
        self.target = target
        self._credentials = credentials
        self._helper: _Helper | None = None
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pid(self) -> int | None:
        helper = self._helper
        return helper.popen.pid if helper is not None else None

    def start(self) -> None:
        """Start the helper (unless one is running, or this was closed) and have it load the EC2 and Lambda clients; does not wait."""
        if not self._closed:
            self._running_helper(self._credentials())

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        """Wait until the helper has loaded its clients; False if it died or the time ran out (a request then says why)."""
        helper = self._helper
        deadline = time.monotonic() + timeout
        while helper is not None and helper.alive() and time.monotonic() < deadline:
            if helper.ready.wait(POLL):
                return True
        return False

    def discover(
        self, vpc_id: str, *, cancel: threading.Event | None = None, on_progress: Callable[[str], None] | None = None
    ) -> Inventory:
        """As `v6wizard.aws.discovery.discover`, run by the helper; raises the same errors, or DiscoveryHelperFailed."""
        from v6wizard.core.inventory import Inventory

        answer = self._request("discover", {"vpc_id": vpc_id}, f"discovering {vpc_id}", cancel, on_progress)
        return Inventory.model_validate_json(answer)

    def region_overview(self, *, cancel: threading.Event | None = None) -> RegionOverview:
        """As `v6wizard.aws.discovery.region_overview`, run by the helper."""
        from v6wizard.core.inventory import RegionOverview

        return RegionOverview.model_validate_json(self._request("overview", {}, "listing the region's VPCs", cancel, None))

    def close(self) -> None:
        """Stop the helper and start no other; waits at most a few seconds."""
        with self._lock:
            self._closed = True
            helper, self._helper = self._helper, None
        if helper is not None:
            helper.stop()

    # --- internals ------------------------------------------------------------------

    def _running_helper(self, credentials: StaticCredentials) -> _Helper:
        """The live helper, or a new one warmed with `credentials` (fetched by the caller, outside the lock:
        a refresh may call STS or ask for an MFA code)."""
        with self._lock:
            if self._closed:
                raise DiscoveryHelperFailed("The wizard is closing, so the account was not read; nothing was changed.")
            helper = self._helper
            if helper is None or not helper.alive():
                if helper is not None:
                    helper.stop()  # reaps the dead one
                helper = self._helper = _Helper()
                try:
                    helper.send(("warm", self.target, credentials))
                except OSError:
                    pass  # the helper died at once: its reader reports it to the first request
            return helper

    def _discard(self, helper: _Helper) -> None:
        with self._lock:
            if self._helper is helper:
                self._helper = None
        helper.stop()

    def _request(
        self,
        kind: str,
        args: dict[str, Any],
        doing: str,
        cancel: threading.Event | None,
        on_progress: Callable[[str], None] | None,
    ) -> str:
        if cancel is not None and cancel.is_set():
            raise Cancelled("Discovery was cancelled; nothing was changed.")
        credentials = self._credentials()
        try:
            return self._attempt(kind, args, doing, cancel, on_progress, credentials)
        except _DiedUnanswered:
            # A helper that died while idle is not always seen dead before the request is sent to it
            # (its socket accepts the send). Discovery is read-only: a new helper asks again, once.
            pass
        try:
            return self._attempt(kind, args, doing, cancel, on_progress, credentials)
        except _DiedUnanswered as died:
            raise died.failure from None

    def _attempt(
        self,
        kind: str,
        args: dict[str, Any],
        doing: str,
        cancel: threading.Event | None,
        on_progress: Callable[[str], None] | None,
        credentials: StaticCredentials,
    ) -> str:
        """One request to the running helper; _DiedUnanswered when it died before any answer came back."""
        helper = self._running_helper(credentials)
        request_id, answers = helper.open_request()
        answered = False

        def died() -> V6WizardError:
            failure = helper.failure(doing)
            return failure if answered or cancelled_at is not None else _DiedUnanswered(failure)

        cancelled_at: float | None = None
        try:
            try:
                helper.send(("run", request_id, kind, args, self.target, credentials))
            except OSError:
                raise died() from None
            while True:
                if cancel is not None and cancel.is_set() and cancelled_at is None:
                    cancelled_at = time.monotonic()
                    try:
                        helper.send(("cancel", request_id))
                    except OSError:
                        raise died() from None
                try:
                    message = answers.get(timeout=POLL)
                except queue.Empty:
                    if cancelled_at is not None and time.monotonic() - cancelled_at > CANCEL_GRACE:
                        self._discard(helper)
                        raise Cancelled("Discovery was cancelled; nothing was changed.") from None
                    if not helper.alive():
                        raise died() from None
                    continue
                tag = message[0]
                if tag == "progress":
                    answered = True
                    if on_progress is not None:
                        on_progress(message[2])
                elif tag == "result":
                    return str(message[2])
                elif tag == "error":
                    raise _error_from(message[2], message[3], message[4])
                else:  # "gone": the socket closed
                    raise died()
        finally:
            helper.close_request(request_id)


class _DiedUnanswered(V6WizardError):
    """The helper died before answering a request at all: safe to ask a new one (discovery only reads)."""

    def __init__(self, failure: DiscoveryHelperFailed) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _error_from(name: str, message: str, code: str) -> V6WizardError:
    """The helper's error as the same exception type the in-process call raises."""
    kind = getattr(errors, name, None)
    if not (isinstance(kind, type) and issubclass(kind, V6WizardError)):
        return V6WizardError(message)
    if issubclass(kind, errors.AwsCallFailed):
        return kind(message, code)
    return kind(message)


# --- the helper process ---------------------------------------------------------------


class _Server:
    """The helper's side: one AwsAccess per (target, credentials), one thread per request, cancel flags by request id."""

    def __init__(self, send: Callable[[tuple[Any, ...]], None]) -> None:
        self.send = send
        self._lock = threading.Lock()
        self._access: tuple[Any, AwsAccess] | None = None
        self._cancels: dict[int, threading.Event] = {}

    def access(self, target: AwsTarget, credentials: StaticCredentials) -> AwsAccess:
        from v6wizard.aws.session import AwsAccess

        with self._lock:
            if self._access is None or self._access[0] != (target, credentials):
                # A plain dict as the assume-role cache: with explicit credentials it is never used, and
                # the helper has no reason to open the OS keyring.
                access = AwsAccess(target, credentials=credentials, credential_cache={})
                self._access = ((target, credentials), access)
            return self._access[1]

    def handle(self, message: tuple[Any, ...]) -> None:
        tag = message[0]
        if tag == "warm":
            threading.Thread(target=self._warm, args=message[1:], daemon=True).start()
        elif tag == "run":
            request_id = message[1]
            self._cancels[request_id] = threading.Event()
            threading.Thread(target=self._run, args=message[1:], daemon=True).start()
        elif tag == "cancel":
            flag = self._cancels.get(message[1])
            if flag is not None:
                flag.set()

    def _warm(self, target: AwsTarget, credentials: StaticCredentials) -> None:
        note = ""
        try:
            access = self.access(target, credentials)
            access.client("ec2").get_paginator("describe_subnets")
            access.client("lambda").get_paginator("list_functions")
        except V6WizardError as exc:
            note = exc.message  # the first request meets the same failure and reports it as its error
        self.send(("ready", note))

    def _run(self, request_id: int, kind: str, args: dict[str, Any], target: AwsTarget, credentials: StaticCredentials) -> None:
        from v6wizard.aws import discovery
        from v6wizard.aws.errors import translate

        cancel = self._cancels[request_id]
        try:
            access = self.access(target, credentials)
            if kind == "discover":
                result: Any = discovery.discover(
                    access, args["vpc_id"], cancel=cancel, on_progress=lambda text: self.send(("progress", request_id, text))
                )
            else:
                result = discovery.region_overview(access, cancel=cancel)
            self.send(("result", request_id, result.model_dump_json()))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent as one sentence
            error = translate(exc, target)
            self.send(("error", request_id, type(error).__name__, error.message, getattr(error, "code", "")))
        finally:
            self._cancels.pop(request_id, None)


def main(argv: list[str]) -> None:
    """The helper's entry point: serve requests on the inherited socket until it closes."""
    # The terminal's Ctrl+C belongs to the wizard; the helper stops when its socket closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Background work: when the cores are busy, the wizard's frames come before the helper's parsing.
    os.nice(10)
    conn = Connection(int(argv[0]))
    send_lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        try:
            with send_lock:
                conn.send(message)
        except OSError:
            os._exit(0)  # the parent is gone: nobody is waiting for this answer

    try:
        # Loaded now, before any request, so the first discovery does not wait for boto3 and pydantic.
        import v6wizard.aws.discovery  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which turns it into one sentence
        send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    server = _Server(send)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        server.handle(message)
    # Request threads may be mid-call; nobody is left to answer, so do not wait for them.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
