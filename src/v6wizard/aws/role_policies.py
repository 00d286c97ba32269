"""The actions a Lambda execution role allows: its attached managed policies and its inline policies.

Reads only: GetRole, ListAttachedRolePolicies, GetPolicy, GetPolicyVersion,
ListRolePolicies, GetRolePolicy. The two managed policies Lambda itself uses
(basic execution, VPC access) hold no action of the function's code and are not read.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import botocore.exceptions

from v6wizard.aws.errors import error_code
from v6wizard.core.readiness_verdict import LAMBDA_MANAGED_POLICIES, PolicyActions, actions_in_policy


def _document(raw: Any) -> dict[str, Any]:
    """A policy document as IAM returns it: a dict, or URL-encoded JSON text."""
    if isinstance(raw, dict):
        return raw
    text = urllib.parse.unquote(str(raw))
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def role_name(role_arn: str) -> str:
    """arn:aws:iam::123:role/path/name -> name."""
    return role_arn.rsplit("/", 1)[-1]


def read_role_actions(iam: Any, role_arn: str) -> PolicyActions:
    """Every action the role's Allow statements name; a role we may not read is a finding, not a failure."""
    name = role_name(role_arn)
    found = PolicyActions()
    try:
        iam.get_role(RoleName=name)
        for page in iam.get_paginator("list_attached_role_policies").paginate(RoleName=name):
            for attached in page.get("AttachedPolicies", []):
                arn = attached["PolicyArn"]
                if arn in LAMBDA_MANAGED_POLICIES:
                    continue
                version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
                document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
                _add(found, actions_in_policy(_document(document), attached.get("PolicyName", arn)))
        for page in iam.get_paginator("list_role_policies").paginate(RoleName=name):
            for policy_name in page.get("PolicyNames", []):
                document = iam.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]
                _add(found, actions_in_policy(_document(document), policy_name))
    except botocore.exceptions.ClientError as exc:
        found.findings.append(f"the role {name} could not be read ({error_code(exc)}): the services it allows are not listed")
    return found


def _add(into: PolicyActions, more: PolicyActions) -> None:
    into.actions += more.actions
    into.findings += more.findings
