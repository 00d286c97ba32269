"""`v6wizard demo --serve` as a person uses it: start it, read the endpoint, plan from another process, stop it."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time


def _read_until(proc: subprocess.Popen[bytes], marker: str, timeout: float) -> str:
    """Read the raw pipe (a buffered reader would hide lines from select) until `marker` shows."""
    data = b""
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    while marker.encode() not in data:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {marker!r} within {timeout} s; got: {data!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 65536)
            assert chunk, f"demo --serve exited early: {data!r}"
            data += chunk
    return data.decode()


def test_serve_prints_an_endpoint_another_process_can_plan_against(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    server = subprocess.Popen(
        [sys.executable, "-m", "v6wizard", "demo", "--serve"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    try:
        banner = _read_until(server, "Ctrl+C", timeout=120)
        endpoint = re.search(r"AWS_ENDPOINT_URL=(http://127\.0\.0\.1:\d+)", banner).group(1)
        vpc_id = re.search(r"--vpc-id (vpc-\w+)", banner).group(1)
        client_env = {**env, "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo"}
        plan = subprocess.run(
            [sys.executable, "-m", "v6wizard", "plan", "--vpc-id", vpc_id, "--output", "json"],
            capture_output=True, text=True, env=client_env, timeout=120, cwd=tmp_path,
        )
        assert plan.returncode == 0, plan.stderr
        document = json.loads(plan.stdout)
        assert document["vpc_id"] == vpc_id
        assert sum(len(step["actions"]) for step in document["steps"]) > 10
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert b"Traceback" not in err
