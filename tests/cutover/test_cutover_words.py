"""What the cutover says: each verdict marked ✓ passed, ✗ failed or … (low traffic), and an abort by the
operator said as a stop, never as a failure."""

from __future__ import annotations

import pytest

from v6wizard.core.cutover_words import gate_marks, stopped_by_you, verdict_label
from v6wizard.errors import CutoverAborted, CutoverIncomplete


def verdicts(h) -> list[dict]:
    return [e.data for e in h.events if e.kind == "cutover-verdict"]


def test_every_verdict_of_a_healthy_cutover_is_marked_passed(harness) -> None:
    h = harness(schedule="50%:2m,100%")
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=6)
    h.run()
    seen = verdicts(h)
    assert seen and all(v["verdict"] == "pass" and v["label"] == "✓ passed" for v in seen), seen
    messages = [e.message for e in h.events if e.kind == "cutover-verdict"]
    assert all(m.startswith(f"{fn.name}: ✓ passed: ") for m in messages), messages


def test_a_failed_gate_is_marked_failed(harness) -> None:
    h = harness(schedule="50%:5m,100%")
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=6, new_errors=30)
    with pytest.raises(Exception, match="failed a health gate"):
        h.run()
    assert verdicts(h)[0]["label"] == "✗ failed"
    assert "error-rate gate failed" in next(e.message for e in h.events if e.kind == "cutover-verdict")


def test_low_traffic_at_the_end_of_a_bake_is_marked_extended(harness) -> None:
    h = harness(schedule="50%:1m,100%")
    fn, t0 = h.fns[0], h.clock.now()
    h.healthy_traffic(fn, t0, minutes=4, per_minute=2)
    with pytest.raises(Exception):
        h.run(max_bake_extensions=1)
    labels = [v["label"] for v in verdicts(h)]
    assert "… extended" in labels, labels
    assert not any(label.startswith("?") for label in labels)


def test_an_abort_of_every_function_is_one_stop_by_you_not_a_failure(harness) -> None:
    h = harness(("orders", "billing"))
    t0 = h.clock.now()
    for fn in h.fns:
        h.healthy_traffic(fn, t0, minutes=12)
    h.clock.hooks.append(lambda clock: [h.control.abort(fn.name) for fn in h.fns] if clock.sleeps == 2 else None)
    with pytest.raises(CutoverAborted) as raised:
        h.run()
    assert not isinstance(raised.value, CutoverIncomplete)
    assert str(raised.value) == "Cutover stopped by you: alias live is back on version 1"
    stops = [v for v in verdicts(h) if v.get("verdict") == "stopped"]
    assert {v["function"] for v in stops} == {"orders", "billing"}
    assert all("fail" not in v["label"] for v in stops)
    for fn in h.fns:
        assert h.alias(fn)["FunctionVersion"] == fn.old


def test_the_words_themselves() -> None:
    assert verdict_label("pass") == "✓ passed"
    assert verdict_label("fail", "rollback") == "✗ failed"
    assert verdict_label("low-traffic", "extend") == "… extended"
    assert verdict_label("low-traffic", "hold") == "… too little traffic yet"
    assert gate_marks([{"name": "error-rate", "passed": True}, {"name": "p99", "passed": False}, {"name": "traffic", "passed": False}]) == (
        "error-rate ✓, p99 ✗, traffic …"
    )
    assert stopped_by_you([("live", "3"), ("live", "1")], ["a", "b"]) == (
        "Cutover stopped by you: a's alias live on version 3, b's alias live on version 1 again"
    )


def test_a_stop_by_you_beside_a_failed_gate_is_said_once(harness) -> None:
    """One function fails its gate, the operator stops the other two: the failure is named, the stop said once."""
    h = harness(("bad", "orders", "billing"))
    bad, *good = h.fns
    t0 = h.clock.now()
    h.healthy_traffic(bad, t0, minutes=12, new_errors=40)
    for fn in good:
        h.healthy_traffic(fn, t0, minutes=12)
    h.clock.hooks.append(lambda clock: [h.control.abort(fn.name) for fn in good] if clock.sleeps == 2 else None)
    with pytest.raises(CutoverIncomplete) as raised:
        h.run()
    message = str(raised.value)
    assert "The cutover of bad failed a health gate" in message
    assert message.count("Cutover stopped by you") == 1
    assert "Cutover stopped by you: alias live is back on version 1 (billing, orders)." in message
