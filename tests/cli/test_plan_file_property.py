"""A plan file mutated field by field is either the plan v6wizard makes (same calls) or refused with exit 2; never a mutating call."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_world import World, cli_env, run, world  # noqa: F401 - the shared seeded account and its CLI


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _leaves(value, (*path, key))] + ([path] if path else [])
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _leaves(value, (*path, index))] + ([path] if path else [])
    return [path]


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        document = document[key]
    if value is _DELETE:
        if isinstance(document, dict):
            del document[path[-1]]
        else:
            document.pop(path[-1])
    else:
        document[path[-1]] = value


_DELETE = object()
_BASELINE: dict[Path, list[Any]] = {}
"""The dry run's calls for the unmutated file, per seeded world."""
VALUES = st.one_of(
    st.sampled_from(["::/0", "0.0.0.0/0", "DeleteVpc", "sg-0000000000000beef", "vpc-0000000000000beef", "", "${session}", "-1", "ec2", "lambda"]),
    st.integers(min_value=-2, max_value=70000),
    st.booleans(),
    st.none(),
    st.just(math.nan),
    st.just(1e300),
    st.just([]),
    st.just({}),
    st.just(_DELETE),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_mutation_is_the_rebuilt_plan_or_refused_with_exit_2(data, world: World, run, cli_calls, tmp_path: Path) -> None:
    original = json.loads(world.plan_file.read_text())
    if world.plan_file not in _BASELINE:
        baseline = run("apply", "--plan", str(world.plan_file), "--dry-run", "--output", "json")
        assert baseline.exit_code == 0, baseline.output
        _BASELINE[world.plan_file] = json.loads(baseline.stdout)["calls"]
    document = json.loads(world.plan_file.read_text())
    path = data.draw(st.sampled_from(_leaves(original)), label="field")
    value = data.draw(VALUES, label="new value")
    _set(document, path, value)
    mutated = tmp_path / "mutated.json"
    mutated.write_text(json.dumps(document))

    result = run("apply", "--plan", str(mutated), "--dry-run", "--output", "json")

    assert "Traceback" not in result.output
    assert cli_calls.mutating == []
    if result.exit_code == 0:
        assert json.loads(result.stdout)["calls"] == _BASELINE[world.plan_file], f"{path} = {value!r} was accepted but changes the calls"
    else:
        assert result.exit_code == 2, (path, value, result.output)
        assert result.stderr.startswith("v6wizard: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert world.snapshot() == world.baseline
