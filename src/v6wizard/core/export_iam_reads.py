"""The read-only IAM actions each command needs: the one list the exported read policy is made from.

Add a command's reads here when it gains some (tests record the operations each command makes
against the emulator and check they are all in its list).
"""

from __future__ import annotations

READ_ACTIONS: dict[str, tuple[str, ...]] = {
    "plan": (
        "sts:GetCallerIdentity",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeEgressOnlyInternetGateways",
        "ec2:DescribeNatGateways",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSecurityGroupRules",
        "lambda:ListFunctions",
        "lambda:GetFunction",
        "lambda:ListVersionsByFunction",
        "lambda:ListAliases",
        "lambda:ListProvisionedConcurrencyConfigs",
    ),
    "apply": (
        # what apply, resume and rollback read to verify each action and judge the cutover's gates
        "lambda:GetFunctionConfiguration",
        "lambda:GetAlias",
        "lambda:GetProvisionedConcurrencyConfig",
        "cloudwatch:GetMetricData",
        "cloudwatch:DescribeAlarms",
    ),
    "readiness": (
        "iam:GetRole",
        "iam:ListAttachedRolePolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListRolePolicies",
        "iam:GetRolePolicy",
        "ec2:DescribeVpcEndpoints",
    ),
    "savings": (
        "cloudwatch:GetMetricData",
        "ec2:DescribeNatGateways",
        "ec2:DescribeAddresses",
        "ec2:DescribeFlowLogs",
        "logs:StartQuery",
        "logs:GetQueryResults",
        "logs:StopQuery",
    ),
}


def read_actions() -> list[str]:
    """Every command's reads, each once, sorted."""
    return sorted({action for actions in READ_ACTIONS.values() for action in actions})
