"""The Lambda side of discovery: the functions attached to a VPC, with versions and aliases.

Functions are found with one paginated ListFunctions, kept when one of their
subnets belongs to the VPC (moto writes a placeholder VpcId; subnet ids are right
on AWS too). Per function, GetFunction (state, last update, tags: ListFunctions
leaves them out), ListVersionsByFunction, ListAliases and
ListProvisionedConcurrencyConfigs are unavoidable; discovery runs them concurrently.
"""

from __future__ import annotations

import threading
from typing import Any

import botocore.exceptions

from v6wizard.aws.paging import paginate
from v6wizard.core.inventory import Alias, FunctionVersion, LambdaFunction


def list_functions(client: Any, cancel: threading.Event | None) -> list[dict[str, Any]]:
    return paginate(client, "ListFunctions", "Functions", cancel=cancel)


def function_subnets(item: dict[str, Any]) -> list[str]:
    return list((item.get("VpcConfig") or {}).get("SubnetIds") or [])


def attached_to(items: list[dict[str, Any]], subnet_ids: set[str]) -> list[dict[str, Any]]:
    """The functions with at least one subnet in `subnet_ids`, by name."""
    return sorted((f for f in items if subnet_ids.intersection(function_subnets(f))), key=lambda f: f["FunctionName"])


def get_function(client: Any, name: str) -> dict[str, Any]:
    answer = client.get_function(FunctionName=name)
    return {"Configuration": answer.get("Configuration", {}), "Tags": answer.get("Tags") or {}}


def list_versions(client: Any, name: str, cancel: threading.Event | None) -> list[dict[str, Any]]:
    return paginate(client, "ListVersionsByFunction", "Versions", cancel=cancel, FunctionName=name)


def list_aliases(client: Any, name: str, cancel: threading.Event | None) -> list[dict[str, Any]]:
    return paginate(client, "ListAliases", "Aliases", cancel=cancel, FunctionName=name)


def provisioned_by_alias(client: Any, name: str, cancel: threading.Event | None) -> dict[str, int]:
    """Requested provisioned concurrency per alias name (aliases without any are absent)."""
    try:
        configs = paginate(client, "ListProvisionedConcurrencyConfigs", "ProvisionedConcurrencyConfigs", cancel=cancel, FunctionName=name)
    except botocore.exceptions.ClientError as exc:
        # "Not found" means no configuration: AWS answers an empty list, but an endpoint
        # that lacks the List API answers a bare 404 or the Get call's not-found error.
        if _means_none(exc):
            return {}
        raise
    found: dict[str, int] = {}
    for config in configs:
        qualifier = str(config.get("FunctionArn", "")).rsplit(":", 1)[-1]
        found[qualifier] = int(config.get("RequestedProvisionedConcurrentExecutions", 0))
    return found


def _means_none(exc: botocore.exceptions.ClientError) -> bool:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = exc.response.get("Error", {}).get("Code", "")
    return status == 404 and code in ("404", "NotFound", "", "ProvisionedConcurrencyConfigNotFoundException")


def _vpc(config: dict[str, Any]) -> dict[str, Any]:
    return config.get("VpcConfig") or {}


def version_from(item: dict[str, Any]) -> FunctionVersion:
    vpc = _vpc(item)
    return FunctionVersion(
        version=str(item["Version"]),
        code_sha256=item.get("CodeSha256", ""),
        ipv6_allowed_for_dual_stack=bool(vpc.get("Ipv6AllowedForDualStack", False)),
        subnet_ids=list(vpc.get("SubnetIds") or []),
        security_group_ids=list(vpc.get("SecurityGroupIds") or []),
    )


def alias_from(item: dict[str, Any], provisioned: dict[str, int]) -> Alias:
    weights = (item.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
    return Alias(
        name=item["Name"],
        function_version=str(item.get("FunctionVersion", "")),
        additional_weights={str(k): float(v) for k, v in weights.items()},
        revision_id=item.get("RevisionId", "") or "",
        provisioned_concurrency=provisioned.get(item["Name"], 0),
    )


def function_from(
    listed: dict[str, Any],
    detail: dict[str, Any],
    versions: list[dict[str, Any]],
    aliases: list[dict[str, Any]],
    provisioned: dict[str, int],
) -> LambdaFunction:
    """One function from its ListFunctions entry and the per-function answers."""
    config = {**listed, **detail.get("Configuration", {})}
    vpc = _vpc(config)
    published = sorted((v for v in versions if str(v.get("Version", "")).isdigit()), key=lambda v: int(v["Version"]))
    return LambdaFunction(
        name=config["FunctionName"],
        arn=config.get("FunctionArn", ""),
        runtime=config.get("Runtime", "") or "",
        role=config.get("Role", "") or "",
        code_sha256=config.get("CodeSha256", ""),
        subnet_ids=list(vpc.get("SubnetIds") or []),
        security_group_ids=list(vpc.get("SecurityGroupIds") or []),
        ipv6_allowed_for_dual_stack=bool(vpc.get("Ipv6AllowedForDualStack", False)),
        state=config.get("State", "Active") or "Active",
        last_update_status=config.get("LastUpdateStatus", "Successful") or "Successful",
        dead_letter_target=(config.get("DeadLetterConfig") or {}).get("TargetArn"),
        versions=[version_from(v) for v in published],
        aliases=sorted((alias_from(a, provisioned) for a in aliases), key=lambda a: a.name),
        tags={str(k): str(v) for k, v in detail.get("Tags", {}).items()},
    )
