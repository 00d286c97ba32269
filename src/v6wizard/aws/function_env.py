"""A function's environment, read for readiness: the keys, and the services the values point at.

The values are looked at in memory, here, and dropped: nothing that leaves this module
holds one (no log, no journal, no report field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import botocore.exceptions

from v6wizard.aws.errors import error_code
from v6wizard.core.readiness_verdict import services_in_value


@dataclass
class EnvFacts:
    keys: list[str] = field(default_factory=list)
    services: dict[str, list[str]] = field(default_factory=dict)
    """Service -> the keys whose values name it."""
    findings: list[str] = field(default_factory=list)


def read_env_facts(lambda_client: Any, name: str) -> EnvFacts:
    facts = EnvFacts()
    try:
        config = lambda_client.get_function_configuration(FunctionName=name)
    except botocore.exceptions.ClientError as exc:
        facts.findings.append(f"the environment of {name} could not be read ({error_code(exc)})")
        return facts
    variables = (config.get("Environment") or {}).get("Variables") or {}
    for key in sorted(variables):
        facts.keys.append(key)
        if key.startswith("AWS_ENDPOINT_URL") or key == "AWS_USE_DUALSTACK_ENDPOINT":
            continue  # settings, reported by key; what they point at is the operator's choice
        for service in sorted(services_in_value(str(variables[key]))):
            facts.services.setdefault(service, []).append(key)
    return facts
