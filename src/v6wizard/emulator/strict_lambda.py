"""Lambda as AWS behaves where moto 5.2.5 does not.

Always on (a correction): `PublishVersion` with code and configuration unchanged
since the last published version returns that version instead of a duplicate.

Strict (DESIGN.md rules 5-7):
5 `Ipv6AllowedForDualStack: true` needs every subnet of the function to hold an
  IPv6 block, and IPv6-only subnets are refused;
6 updates are asynchronous: `LastUpdateStatus` reads `InProgress` for
  `timing.update_seconds` after an update (botocore's `function_updated_v2` waiter then
  sees `Successful`); another update or a publish meanwhile is a 409
  `ResourceConflictException`;
7 alias routing: one additional version, published and numeric, not the primary,
  weight in [0, 1]; both versions with the same role and dead-letter config (moto keeps
  no dead-letter config, so in practice the role); `RevisionId` rotates on every change and a stale one is a 412
  `PreconditionFailedException`; provisioned concurrency (which moto lacks, so it is
  kept here) is refused on a weighted alias.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from v6wizard.emulator.strict_ec2 import ec2_backend, subnet_ipv6_blocks
from v6wizard.emulator.timing import UPDATE_SECONDS, Timing
from v6wizard.emulator.wsgi import Answer, Call, Layer, json_answer, rest_json_error


__all__ = ["UPDATE_SECONDS", "LambdaLayer", "function_name", "lambda_backend"]

_UPDATES = frozenset({"UpdateFunctionConfiguration", "UpdateFunctionCode"})
_READS = frozenset({"GetFunction", "GetFunctionConfiguration"})
_VERSION_IGNORED = {"Version", "FunctionArn", "LastModified", "RevisionId", "Description", "State", "LastUpdateStatus"}
"""Fields that differ between $LATEST and a version without being a change of code or configuration."""


def lambda_backend(call: Call) -> Any:
    from moto.backends import get_backend

    return get_backend("lambda")[call.account][call.region]


def function_name(call: Call) -> str:
    """The function's name from a path that may hold a name, a partial or a full ARN."""
    raw = call.path_params.get("FunctionName", "")
    if raw.startswith("arn:"):
        return raw.split(":")[6]
    return raw.split(":")[0]


def _conflict(call: Call, name: str) -> Answer:
    arn = f"arn:aws:lambda:{call.region}:{call.account}:function:{name}"
    return rest_json_error(
        "ResourceConflictException",
        f"The operation cannot be performed at this time. An update is in progress for resource: {arn}",
        409,
    )


def _invalid(message: str) -> Answer:
    return rest_json_error("InvalidParameterValueException", message, 400)


class LambdaLayer(Layer):
    """PublishVersion dedupe always; with strict=True also rules 5-7."""

    def __init__(self, strict: bool = True, timing: Timing | None = None) -> None:
        self.strict = strict
        self.timing = timing or Timing()
        """`update_seconds`: how long an update reads InProgress (rule 6)."""
        self._lock = threading.Lock()
        self._updating: dict[tuple[str, str, str], float] = {}
        self._provisioned: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def reset(self) -> None:
        with self._lock:
            self._updating.clear()
            self._provisioned.clear()

    def handle(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        if call.service != "lambda" or not call.operation:
            return None
        if call.operation == "PublishVersion":
            return self._publish(call, downstream)
        if not self.strict:
            return None
        check = getattr(self, f"_on_{call.operation}", None)
        if check is not None:
            return check(call, downstream)
        if call.operation in _UPDATES:
            return self._update(call, downstream)
        if call.operation in _READS:
            return self._read(call, downstream)
        return None

    # Rule 6
    def _in_progress(self, call: Call, name: str) -> bool:
        key = (call.account, call.region, name)
        with self._lock:
            since = self._updating.get(key)
            if since is not None and time.monotonic() - since >= self.timing.update_seconds:
                del self._updating[key]
                since = None
        return since is not None

    def _update(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        name = function_name(call)
        if self._in_progress(call, name):
            return _conflict(call, name)
        if call.operation == "UpdateFunctionConfiguration":
            refused = self._check_dual_stack(call, name)
            if refused is not None:
                return refused
        answer = downstream()
        if answer.ok:
            with self._lock:
                self._updating[(call.account, call.region, name)] = time.monotonic()
            document = answer.json()
            document["LastUpdateStatus"] = "InProgress"
            answer = answer.with_body(json.dumps(document))
        return answer

    def _read(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        answer = downstream()
        qualifier = call.query.get("Qualifier", "$LATEST")
        if not answer.ok or qualifier != "$LATEST" or not self._in_progress(call, function_name(call)):
            return answer
        document = answer.json()
        config = document.get("Configuration", document)
        config["LastUpdateStatus"] = "InProgress"
        config.pop("LastUpdateStatusReason", None)
        config.pop("LastUpdateStatusReasonCode", None)
        return answer.with_body(json.dumps(document))

    # Rule 5
    def _check_dual_stack(self, call: Call, name: str) -> Answer | None:
        vpc_config = call.params.get("VpcConfig") or {}
        if not vpc_config.get("Ipv6AllowedForDualStack"):
            return None
        subnet_ids = vpc_config.get("SubnetIds")
        if subnet_ids is None:
            try:
                subnet_ids = (lambda_backend(call).get_function(name).vpc_config or {}).get("SubnetIds", [])
            except Exception:  # noqa: BLE001 - an unknown function is moto's to refuse
                return None
        for subnet_id in subnet_ids:
            try:
                subnet = ec2_backend(call).get_subnet(subnet_id)
            except Exception:  # noqa: BLE001 - an unknown subnet is moto's to refuse
                continue
            if getattr(subnet, "ipv6_native", False):
                return _invalid(f"Lambda does not support IPv6-only subnets: {subnet_id} is IPv6-only; use dual-stack subnets.")
            if not subnet_ipv6_blocks(subnet):
                return _invalid(
                    f"Ipv6AllowedForDualStack requires dual-stack subnets, but subnet {subnet_id} "
                    "does not have an IPv6 CIDR block associated."
                )
        return None

    # Correction (always) + rule 6 (no publish while an update is in progress)
    def _publish(self, call: Call, downstream: Callable[[], Answer]) -> Answer | None:
        name = function_name(call)
        if self.strict and self._in_progress(call, name):
            return _conflict(call, name)
        try:
            versions = list(lambda_backend(call).list_versions_by_function(name))
        except Exception:  # noqa: BLE001 - an unknown function is moto's to refuse
            return None
        latest = next((v for v in versions if v.version == "$LATEST"), None)
        published = [v for v in versions if str(v.version).isdigit()]
        if latest is None or not published:
            return None
        newest = max(published, key=lambda v: int(v.version))
        if _essence(latest.get_configuration()) != _essence(newest.get_configuration()):
            return None
        return json_answer(newest.get_configuration(), 201)

    # Rule 7
    def _on_CreateAlias(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        refused = self._check_routing(call, function_name(call), call.params.get("FunctionVersion", ""))
        return refused if refused is not None else downstream()

    def _on_UpdateAlias(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        name, alias_name = function_name(call), call.path_params.get("Name", "")
        try:
            alias = lambda_backend(call).get_alias(alias_name, name)
        except Exception:  # noqa: BLE001 - an unknown alias is moto's to refuse
            return downstream()
        revision = call.params.get("RevisionId")
        if revision and revision != alias.revision_id:
            return rest_json_error(
                "PreconditionFailedException",
                "The Revision Id provided does not match the latest Revision Id. "
                "Call the GetAlias API to retrieve the latest Revision Id",
                412,
            )
        primary = call.params.get("FunctionVersion") or alias.function_version
        refused = self._check_routing(call, name, primary)
        if refused is not None:
            return refused
        weights = (call.params.get("RoutingConfig") or {}).get("AdditionalVersionWeights")
        with self._lock:
            provisioned = (call.account, call.region, name, alias_name) in self._provisioned
        if weights and provisioned:
            return _invalid("Alias with weights can not be used with Provisioned Concurrency")
        answer = downstream()
        if answer.ok:
            # moto never changes an alias's RevisionId; AWS does on every update.
            alias.revision_id = str(uuid.uuid4())
            document = answer.json()
            document["RevisionId"] = alias.revision_id
            answer = answer.with_body(json.dumps(document))
        return answer

    def _check_routing(self, call: Call, name: str, primary: str) -> Answer | None:
        routing = call.params.get("RoutingConfig")
        weights = (routing or {}).get("AdditionalVersionWeights") or {}
        if not weights:
            return None
        if len(weights) > 1:
            return _invalid("Number of items in AdditionalVersionWeights cannot be greater than 1")
        ((version, weight),) = weights.items()
        if not str(version).isdigit():
            return _invalid(f"Invalid function version {version}. Function version {version} is not supported for routing; specify a published numeric version.")
        if str(version) == str(primary):
            return _invalid(f"Invalid function version {version}. The additional version cannot be the alias's primary FunctionVersion.")
        if not 0.0 <= float(weight) <= 1.0:
            return _invalid(f"Invalid weight {weight} for version {version}: weights must be between 0.0 and 1.0.")
        try:
            known = {str(v.version): v for v in lambda_backend(call).list_versions_by_function(name)}
        except Exception:  # noqa: BLE001 - an unknown function is moto's to refuse
            return None
        if str(version) not in known:
            return rest_json_error("ResourceNotFoundException", f"Function not found: arn:aws:lambda:{call.region}:{call.account}:function:{name}:{version}", 404)
        if str(primary) in known:
            return _shared_config(known[str(primary)].get_configuration(), known[str(version)].get_configuration())
        return None

    def _on_PutProvisionedConcurrencyConfig(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        name, qualifier = function_name(call), call.query.get("Qualifier", "")
        try:
            alias = lambda_backend(call).get_alias(qualifier, name)
        except Exception:  # noqa: BLE001 - a version qualifier, not an alias
            alias = None
        if alias is not None and (alias.routing_config or {}).get("AdditionalVersionWeights"):
            return _invalid("Alias with weights can not be used with Provisioned Concurrency")
        requested = int(call.params.get("ProvisionedConcurrentExecutions", 0))
        config = {
            "RequestedProvisionedConcurrentExecutions": requested,
            "AllocatedProvisionedConcurrentExecutions": requested,
            "AvailableProvisionedConcurrentExecutions": requested,
            "Status": "READY",
            "LastModified": datetime.now(timezone.utc).isoformat(),
        }
        with self._lock:
            self._provisioned[(call.account, call.region, name, qualifier)] = config
        return json_answer(config, 202)

    def _on_GetProvisionedConcurrencyConfig(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        with self._lock:
            config = self._provisioned.get((call.account, call.region, function_name(call), call.query.get("Qualifier", "")))
        if config is None:
            return rest_json_error("ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function", 404)
        return json_answer(config)

    def _on_ListProvisionedConcurrencyConfigs(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        name = function_name(call)
        arn = f"arn:aws:lambda:{call.region}:{call.account}:function:{name}"
        with self._lock:
            configs = [
                {"FunctionArn": f"{arn}:{qualifier}", **config}
                for (account, region, fn, qualifier), config in sorted(self._provisioned.items())
                if (account, region, fn) == (call.account, call.region, name)
            ]
        return json_answer({"ProvisionedConcurrencyConfigs": configs})

    def _on_DeleteProvisionedConcurrencyConfig(self, call: Call, downstream: Callable[[], Answer]) -> Answer:
        with self._lock:
            self._provisioned.pop((call.account, call.region, function_name(call), call.query.get("Qualifier", "")), None)
        return Answer(204, [], b"")


def _shared_config(primary: dict[str, Any], additional: dict[str, Any]) -> Answer | None:
    """Rule 7: both versions of a weighted alias must have the same role and dead-letter config.

    AWS's exact wording is not documented; this is a close approximation with the same error code."""
    for key, label in (("Role", "execution role"), ("DeadLetterConfig", "dead-letter queue configuration")):
        if (primary.get(key) or None) != (additional.get(key) or None):
            return _invalid(
                f"The {label} of version {additional.get('Version')} does not match the {label} of version "
                f"{primary.get('Version')}: versions in an alias's routing configuration must share it."
            )
    return None


def _essence(config: dict[str, Any]) -> str:
    """The code and configuration of a function version, without the fields every version differs in."""
    kept = {k: v for k, v in config.items() if k not in _VERSION_IGNORED}
    return json.dumps(kept, sort_keys=True, default=str)
