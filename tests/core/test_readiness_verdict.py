"""The pure readiness rules: which actions count, what a value names, the verdicts, the runtimes."""

from __future__ import annotations

import pytest

from v6wizard.core.readiness import ServiceHosts
from v6wizard.core.readiness_verdict import actions_in_policy, ipv6_verdict, role_services, runtime_honours, services_in_value


def test_lambdas_own_actions_do_not_count_and_prefixes_map_to_sdk_names() -> None:
    services, findings = role_services(["logs:PutLogEvents", "ec2:CreateNetworkInterface", "states:StartExecution", "dynamodb:*", "ec2:DescribeInstances"])
    assert services == {"stepfunctions": ["states:StartExecution"], "dynamodb": ["dynamodb:*"], "ec2": ["ec2:DescribeInstances"]}
    assert findings == []


def test_a_star_action_is_a_finding_not_a_guess() -> None:
    services, findings = role_services(["*"])
    assert services == {} and "every action" in findings[0]


def test_only_allow_statements_count_and_not_action_is_reported() -> None:
    document = {"Statement": [{"Effect": "Deny", "Action": "s3:*"}, {"Effect": "Allow", "Action": "sqs:SendMessage"},
                              {"Effect": "Allow", "NotAction": "iam:*"}]}
    found = actions_in_policy(document, "p")
    assert found.actions == ["sqs:SendMessage"] and "NotAction" in found.findings[0]


@pytest.mark.parametrize(
    ("value", "services"),
    [
        ("arn:aws:dynamodb:us-east-1:123456789012:table/orders", {"dynamodb"}),
        ("https://sqs.eu-west-1.amazonaws.com/123/jobs", {"sqs"}),
        ("my-bucket.s3.us-east-1.amazonaws.com", {"s3"}),
        ("https://api.ecr.us-east-1.amazonaws.com", {"ecr"}),
        ("arn:aws:states:us-east-1:1:stateMachine:x", {"stepfunctions"}),
        ("hunter2", set()),
        ("https://example.com/amazonaws", set()),
    ],
)
def test_services_named_by_a_value(value: str, services: set[str]) -> None:
    assert services_in_value(value) == services


@pytest.mark.parametrize(
    ("default", "dualstack", "verdict"),
    [("yes", "yes", "default"), ("yes", "no", "default"), ("no", "yes", "opt-in"), ("unknown", "yes", "opt-in"),
     ("no", "no", "ipv4-only"), ("no", None, "ipv4-only"), ("unknown", "no", "unknown"), ("no", "unknown", "unknown")],
)
def test_verdicts(default: str, dualstack: str | None, verdict: str) -> None:
    assert ipv6_verdict(default, dualstack) == verdict  # type: ignore[arg-type]


@pytest.mark.parametrize(("runtime", "honours"), [("python3.12", True), ("nodejs20.x", True), ("nodejs16.x", False), ("java21", None), ("provided.al2023", None), ("", None)])
def test_runtimes(runtime: str, honours: bool | None) -> None:
    assert runtime_honours(runtime) is honours


def test_env_key_is_named_as_the_sdks_name_it() -> None:
    hosts = ServiceHosts(service="secretsmanager", service_id="Secrets Manager", default_host="h")
    assert hosts.env_key == "AWS_ENDPOINT_URL_SECRETS_MANAGER"
