"""The discovery helper process: same answers and sentences as in-process discovery, cancel, death, exit, and credentials kept out of files."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from v6wizard.aws.discovery import discover, region_overview
from v6wizard.aws.discovery_process import CANCEL_GRACE, DiscoveryProcess
from v6wizard.aws.session import AwsAccess, AwsTarget
from v6wizard.demo.seed import DemoAccount, seed_demo
from v6wizard.emulator import Emulator
from v6wizard.errors import AwsCallFailed, Cancelled, DiscoveryHelperFailed, UnknownVpc


@pytest.fixture
def demo(access: AwsAccess) -> DemoAccount:
    return seed_demo(access)


@pytest.fixture
def helper(access: AwsAccess) -> Iterator[DiscoveryProcess]:
    process = DiscoveryProcess(access.target, access.frozen_credentials)
    process.start()
    assert process.wait_ready(), "the helper loads its clients and says so"
    yield process
    process.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has exited, only its parent has not reaped it
    except FileNotFoundError:
        return False


def _wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_helper_discovers_what_in_process_discovery_does(access: AwsAccess, demo: DemoAccount, helper: DiscoveryProcess) -> None:
    progress: list[str] = []

    inventory = helper.discover(demo.vpc_id, on_progress=progress.append)

    expected = discover(access, demo.vpc_id)
    assert inventory.model_dump(exclude={"taken_at"}) == expected.model_dump(exclude={"taken_at"})
    assert any("subnets" in line for line in progress), progress
    assert helper.region_overview().model_dump() == region_overview(access).model_dump()
    assert helper.pid != os.getpid()


def test_errors_arrive_as_the_same_one_sentence_errors(access: AwsAccess, emulator: Emulator, demo: DemoAccount, helper: DiscoveryProcess) -> None:
    with pytest.raises(UnknownVpc) as in_process:
        discover(access, "vpc-0123456789abcdef0")
    with pytest.raises(UnknownVpc) as from_helper:
        helper.discover("vpc-0123456789abcdef0")
    assert str(from_helper.value) == str(in_process.value)
    assert demo.vpc_id in str(from_helper.value), "the sentence lists the region's VPCs"

    emulator.faults.deny("ec2", "DescribeRouteTables")
    with pytest.raises(AwsCallFailed) as denied_in_process:
        discover(access, demo.vpc_id)
    with pytest.raises(AwsCallFailed) as denied_in_helper:
        helper.discover(demo.vpc_id)
    assert str(denied_in_helper.value) == str(denied_in_process.value)
    assert denied_in_helper.value.code == "UnauthorizedOperation"


def test_cancel_stops_the_helpers_discovery(emulator: Emulator, demo: DemoAccount, helper: DiscoveryProcess) -> None:
    emulator.faults.latency = 0.2  # every read takes a while, so the cancel lands mid-discovery
    cancel = threading.Event()
    pid = helper.pid
    started = time.monotonic()

    with pytest.raises(Cancelled):
        helper.discover(demo.vpc_id, cancel=cancel, on_progress=lambda _: cancel.set())

    assert time.monotonic() - started < CANCEL_GRACE, "the helper stopped by itself, not by the parent's deadline"
    assert helper.pid == pid and _alive(pid), "a cancel stops the discovery, not the helper"
    emulator.faults.latency = 0.0
    assert helper.discover(demo.vpc_id).vpc.id == demo.vpc_id


def test_a_helper_killed_mid_discovery_is_one_sentence_and_the_next_call_starts_another(
    emulator: Emulator, demo: DemoAccount, helper: DiscoveryProcess
) -> None:
    emulator.faults.latency = 0.2  # so the kill lands while the helper is still reading
    first = helper.pid
    assert first is not None
    started = time.monotonic()

    with pytest.raises(DiscoveryHelperFailed, match=r"stopped unexpectedly \(exit code -9\) while discovering") as failed:
        helper.discover(demo.vpc_id, on_progress=lambda _: os.kill(first, 9))

    assert time.monotonic() - started < 5, "the waiting call ends with the sentence, it does not hang"
    assert "\n" not in str(failed.value) and str(failed.value).endswith("try again.")
    emulator.faults.latency = 0.0
    assert helper.discover(demo.vpc_id).vpc.id == demo.vpc_id
    assert helper.pid not in (None, first)


def test_a_helper_that_died_while_idle_is_replaced_by_the_next_call(demo: DemoAccount, helper: DiscoveryProcess) -> None:
    first = helper.pid
    assert first is not None
    os.kill(first, 9)
    assert _wait_gone(first)

    assert helper.discover(demo.vpc_id).vpc.id == demo.vpc_id
    assert helper.pid not in (None, first)


def test_the_helper_exits_when_closed_and_when_its_parent_dies(access: AwsAccess, helper: DiscoveryProcess) -> None:
    pid = helper.pid
    assert pid is not None
    helper.close()
    assert _wait_gone(pid, timeout=5)
    with pytest.raises(DiscoveryHelperFailed, match="closing"):
        helper.region_overview()

    # A parent killed outright never calls close: the helper sees its socket close and exits.
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from v6wizard.aws.discovery_process import DiscoveryProcess
                from v6wizard.aws.session import AwsAccess, AwsTarget
                access = AwsAccess(AwsTarget(region={access.region!r}, endpoint_url={access.target.endpoint_url!r}))
                process = DiscoveryProcess(access.target, access.frozen_credentials)
                process.start()
                process.wait_ready()
                print(process.pid, flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    orphan = int(parent.stdout.readline())
    assert _alive(orphan)
    parent.kill()
    parent.wait(timeout=10)
    assert _wait_gone(orphan), "the helper outlived its parent"


def _files_holding(secret: str, roots: list[Path], since: float) -> list[Path]:
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if Path(folder) != root and os.stat(folder).st_mtime < since and root == Path(tempfile.gettempdir()):
                dirs.clear()  # an older folder of the shared temp dir: nothing of this test is in it
                continue
            for name in files:
                path = Path(folder, name)
                try:
                    if path.stat().st_mtime >= since and secret.encode() in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue  # vanished or unreadable: someone else's file
    return found


def test_credentials_reach_the_helper_only_over_its_socket(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator, tmp_path: Path
) -> None:
    started = time.time() - 1
    secret, token = f"secret-{uuid.uuid4().hex}", f"token-{uuid.uuid4().hex}"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_SESSION_TOKEN", token)
    container_token = f"container-{uuid.uuid4().hex}"
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", container_token)
    access = AwsAccess(AwsTarget(region="us-east-1", endpoint_url=emulator.endpoint))
    demo = seed_demo(access)
    process = DiscoveryProcess(access.target, access.frozen_credentials)
    try:
        # The helper's environment has no credentials, so this works only with the ones sent over the socket.
        assert process.discover(demo.vpc_id).vpc.id == demo.vpc_id
        pid = process.pid
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        for value in (secret, token, container_token, os.environ["AWS_ACCESS_KEY_ID"]):
            assert value.encode() not in environ and value.encode() not in cmdline
    finally:
        process.close()
    roots = [tmp_path, Path(os.environ["HOME"]), Path(tempfile.gettempdir())]
    assert _files_holding(secret, roots, started) == []
    assert _files_holding(token, roots, started) == []


def test_a_module_in_the_operators_folder_is_never_imported_by_the_helper(
    access: AwsAccess, demo: DemoAccount, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper is sent credentials: it must not import a `boto3` or `pydantic` lying in the current folder."""
    planted = tmp_path / "planted"
    for name in ("boto3.py", "pydantic.py"):
        (tmp_path / name).write_text(f"open({str(planted)!r}, 'w').write('imported'); raise SystemExit(3)\n")
    monkeypatch.chdir(tmp_path)
    process = DiscoveryProcess(access.target, access.frozen_credentials)
    try:
        overview = process.region_overview()
    finally:
        process.close()
    assert any(v.id == demo.vpc_id for v in overview.vpcs)
    assert not planted.exists()
