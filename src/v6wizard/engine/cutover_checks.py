"""The cutover's preconditions, each refused with the reason and the way out.

Before any traffic moves: the new version is published, dual-stack and has the alias's
current code; the alias exists (or `create_alias`), is not a leftover split (or
`repair`), carries no provisioned concurrency; named alarms exist and are not in ALARM
(or `ignore_alarms`). Creating or repairing the alias is the only change made here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import botocore.exceptions

from v6wizard.aws.errors import error_code, translate
from v6wizard.aws.metrics import alarm_states
from v6wizard.aws.session import AwsAccess
from v6wizard.engine.cutover_alias import AliasOps, AliasState
from v6wizard.errors import CutoverRefused

Note = Callable[[str, dict[str, Any]], None]
"""Records a change made while preparing (message, data) in the journal and as an event."""


class CutoverChecks:
    """Runs the preconditions for one function's alias."""

    def __init__(self, access: AwsAccess, ops: AliasOps) -> None:
        self._access = access
        self._ops = ops

    def version_config(self, function: str, version: str) -> dict[str, Any] | None:
        try:
            return self._access.client("lambda").get_function_configuration(FunctionName=function, Qualifier=version)
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise translate(exc, self._access.target, f"reading {function} version {version}") from None

    def prepare(
        self,
        function: str,
        alias_name: str,
        new_version: str,
        *,
        old_hint: str | None,
        alarms: list[str],
        ignore_alarms: bool,
        create_alias: bool,
        repair: Literal["finalize", "reset"] | None,
        note: Note,
    ) -> AliasState:
        """Check everything; returns the alias, unsplit, on the old version (or already on the new one)."""
        where = f"{function}:{alias_name}"
        if not new_version.isdigit():
            raise CutoverRefused(
                f"The cutover of {where} needs a published version, not {new_version!r}; apply the functions step first."
            )
        new_config = self.version_config(function, new_version)
        if new_config is None:
            raise CutoverRefused(
                f"Version {new_version} of {function} is not published; apply (or resume) the functions step first."
            )
        if not (new_config.get("VpcConfig") or {}).get("Ipv6AllowedForDualStack"):
            raise CutoverRefused(
                f"Version {new_version} of {function} is not dual-stack (Ipv6AllowedForDualStack is off); "
                "re-apply the functions step so it publishes a dual-stack version."
            )
        self._check_alarms(where, alarms, ignore_alarms)

        alias = self._ops.get(function, alias_name)
        if alias is None:
            alias = self._create(function, alias_name, new_version, old_hint, create_alias, note)
        if alias.is_split:
            alias = self._repair(alias, repair, note)
        if alias.version == new_version:
            return alias

        old_config = self.version_config(function, alias.version)
        old_sha = (old_config or {}).get("CodeSha256")
        if old_sha != new_config.get("CodeSha256"):
            raise CutoverRefused(
                f"Version {new_version} of {function} has different code (CodeSha256) than version {alias.version} "
                f"that {where} serves now; the cutover only moves traffic between versions of the same code. "
                "Publish the dual-stack version from the alias's code, then plan again."
            )
        self._check_provisioned(alias)
        return alias

    def _check_alarms(self, where: str, alarms: list[str], ignore_alarms: bool) -> None:
        if not alarms:
            return
        try:
            states = alarm_states(self._access.client("cloudwatch"), alarms)
        except botocore.exceptions.ClientError as exc:
            raise translate(exc, self._access.target, "reading CloudWatch alarms") from None
        missing = sorted(set(alarms) - set(states))
        if missing:
            raise CutoverRefused(
                f"The CloudWatch alarm(s) {', '.join(missing)} named for the cutover of {where} do not exist; "
                "fix the names given with --alarm."
            )
        firing = sorted(name for name, state in states.items() if state == "ALARM")
        if firing and not ignore_alarms:
            raise CutoverRefused(
                f"The alarm(s) {', '.join(firing)} are in ALARM before the cutover of {where} started; "
                "wait until they clear, or pass --ignore-alarms (TUI: 'Ignore alarms') for a hotfix."
            )

    def _create(
        self, function: str, alias_name: str, new_version: str, old_hint: str | None, create_alias: bool, note: Note
    ) -> AliasState:
        where = f"{function}:{alias_name}"
        old = old_hint if old_hint and old_hint.isdigit() and old_hint != new_version else self._previous(function, new_version)
        if not create_alias or old is None:
            way_out = (
                f"pass --create-alias (TUI: 'Create alias') to create it on version {old} first"
                if old
                else "create the alias on the version that serves traffic now"
            )
            raise CutoverRefused(f"{function} has no alias {alias_name!r} to shift traffic on; {way_out}.")
        alias = self._ops.create(function, alias_name, old)
        note(f"Created alias {where} on version {old}.", {"created_alias": alias_name, "version": old})
        return alias

    def _previous(self, function: str, new_version: str) -> str | None:
        """The highest published version below the new one: what the function ran before."""
        paginator = self._access.client("lambda").get_paginator("list_versions_by_function")
        numbers = [
            int(v["Version"])
            for page in paginator.paginate(FunctionName=function)
            for v in page.get("Versions", [])
            if v["Version"].isdigit() and int(v["Version"]) < int(new_version)
        ]
        return str(max(numbers)) if numbers else None

    def _repair(self, alias: AliasState, repair: Literal["finalize", "reset"] | None, note: Note) -> AliasState:
        where = f"{alias.function}:{alias.name}"
        if repair is None:
            extra = next(iter(alias.weights))
            raise CutoverRefused(
                f"Alias {where} is still split ({alias.describe()}), left over from an earlier shift; "
                f"pass --repair-alias finalize to move it to version {extra}, or --repair-alias reset "
                f"to return it to version {alias.version} (TUI: 'Repair alias')."
            )
        target = next(iter(alias.weights)) if repair == "finalize" else alias.version
        repaired = self._ops.update(alias, target, {})
        note(
            f"Repaired split alias {where} ({repair}): now version {target}.",
            {"repair": repair, "was": alias.describe(), "version": target},
        )
        return repaired

    def _check_provisioned(self, alias: AliasState) -> None:
        try:
            self._access.client("lambda").get_provisioned_concurrency_config(
                FunctionName=alias.function, Qualifier=alias.name
            )
        except botocore.exceptions.ClientError as exc:
            if error_code(exc) == "ProvisionedConcurrencyConfigNotFoundException":
                return
            raise translate(exc, self._access.target, f"reading provisioned concurrency of {alias.function}") from None
        raise CutoverRefused(
            f"Alias {alias.function}:{alias.name} has provisioned concurrency, which AWS refuses on a weighted "
            "alias; remove it (aws lambda delete-provisioned-concurrency-config) or cut over another alias."
        )
