"""The core imports neither boto3, botocore nor textual (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import v6wizard.core


def test_importing_every_core_module_leaves_aws_and_ui_libraries_unloaded() -> None:
    modules = sorted(f"v6wizard.core.{m.name}" for m in pkgutil.iter_modules(v6wizard.core.__path__))
    assert {"v6wizard.core.planner", "v6wizard.core.allocator", "v6wizard.core.render"} <= set(modules)
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'textual'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(result.stdout) == []
