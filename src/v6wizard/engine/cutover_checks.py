"""The cutover's preconditions, each refused with the reason and the way out.

Before any traffic moves: the new version is published, dual-stack and has the alias's
current code, role and dead-letter config; the alias exists (or `create_alias`), is not
a leftover split (or `repair`), carries no provisioned concurrency; named alarms exist
and are not in ALARM (or `ignore_alarms`). Creating or repairing the alias is the only
change made here, and only after every check passed.
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

        # Every read-only check runs against the alias as the create/repair would leave it;
        # only when all pass is the alias created or repaired, so a refusal changes nothing.
        alias = self._ops.get(function, alias_name)
        if alias is None:
            target = self._creatable(function, alias_name, new_version, old_hint, create_alias)
        elif alias.is_split:
            target = self._repair_target(alias, repair)
        else:
            target = alias.version
        if target != new_version:
            old_config = self.version_config(function, target)
            self._check_same_code(where, function, target, new_version, old_config, new_config)
            self._check_shared_config(where, function, target, new_version, old_config, new_config)
            if alias is not None:
                self._check_provisioned(alias)

        if alias is None:
            alias = self._ops.create(function, alias_name, target)
            note(f"Created alias {where} on version {target}.", {"created_alias": alias_name, "version": target})
        elif alias.is_split:
            was = alias.describe()
            alias = self._ops.update(alias, target, {})
            note(f"Repaired split alias {where} ({repair}): now version {target}.", {"repair": repair, "was": was, "version": target})
        return alias

    def _check_same_code(
        self, where: str, function: str, old: str, new: str, old_config: dict[str, Any] | None, new_config: dict[str, Any]
    ) -> None:
        if (old_config or {}).get("CodeSha256") != new_config.get("CodeSha256"):
            raise CutoverRefused(
                f"Version {new} of {function} has different code (CodeSha256) than version {old} "
                f"that {where} serves now; the cutover only moves traffic between versions of the same code. "
                "Publish the dual-stack version from the alias's code, then plan again."
            )

    def _check_shared_config(
        self, where: str, function: str, old: str, new: str, old_config: dict[str, Any] | None, new_config: dict[str, Any]
    ) -> None:
        """Rule 7: AWS splits an alias only between versions with the same role and dead-letter config."""
        differs = [
            f"{label} ({_shared(old_config, key) or 'none'} on version {old}, {_shared(new_config, key) or 'none'} on version {new})"
            for key, label in (("Role", "execution role"), ("DeadLetterConfig", "dead-letter target"))
            if _shared(old_config, key) != _shared(new_config, key)
        ]
        if differs:
            raise CutoverRefused(
                f"Version {new} of {function} differs from version {old} that {where} serves now in its "
                f"{' and '.join(differs)}, and AWS refuses to split an alias between them; give $LATEST the "
                "live version's role and dead-letter config, re-apply the functions step to publish it, then plan again."
            )

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
                f"The alarm(s) {', '.join(firing)} are in ALARM before the cutover of {where} started.",
                hints={
                    "cli": "Wait until they clear, or pass --ignore-alarms for a hotfix.",
                    "tui": "Wait until they clear, then apply the cutover step again.",
                },
            )

    def _creatable(
        self, function: str, alias_name: str, new_version: str, old_hint: str | None, create_alias: bool
    ) -> str:
        """The version a missing alias would be created on; refused unless `create_alias`."""
        old = old_hint if old_hint and old_hint.isdigit() and old_hint != new_version else self._previous(function, new_version)
        if not create_alias or old is None:
            by_hand = "Create the alias on the version that serves traffic now, then apply the cutover step again."
            raise CutoverRefused(
                f"{function} has no alias {alias_name!r} to shift traffic on.",
                hints={"cli": f"Pass --create-alias to create it on version {old} first." if old else by_hand, "tui": by_hand},
            )
        return old

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

    def _repair_target(self, alias: AliasState, repair: Literal["finalize", "reset"] | None) -> str:
        """The version a leftover split alias would be repaired to; refused unless `repair`."""
        if repair is None:
            extra = next(iter(alias.weights))
            raise CutoverRefused(
                f"Alias {alias.function}:{alias.name} is still split ({alias.describe()}), left over from an earlier shift.",
                hints={
                    "cli": f"Pass --repair-alias finalize to move it to version {extra}, or --repair-alias reset "
                    f"to return it to version {alias.version}.",
                    "tui": f"Move it to one version (version {extra} or {alias.version}) in the Lambda console, then apply the cutover step again.",
                },
            )
        return next(iter(alias.weights)) if repair == "finalize" else alias.version

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


def _shared(config: dict[str, Any] | None, key: str) -> str | None:
    """A version's role ARN, or its dead-letter target ARN, as compared for rule 7."""
    value = (config or {}).get(key)
    if isinstance(value, dict):
        value = value.get("TargetArn")
    return value or None
