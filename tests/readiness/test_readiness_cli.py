"""`v6wizard readiness` against the emulator and a local DNS server: the verdicts, the paths, read-only."""

from __future__ import annotations

from typing import Any

from v6wizard.emulator.dns_server import DnsServer

from .conftest import Account, run_json


def services_of(document: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    fn = next(f for f in document["functions"] if f["name"] == name)
    return {s["service"]: s for s in fn["services"]}


def test_each_verdict_and_path_from_role_and_environment(run_cli: Any, cli_calls: Any, dns: DnsServer, account: Account) -> None:
    document = run_json(run_cli, "readiness", "--vpc-id", account.vpc_id)
    services = services_of(document, "reader")
    assert set(services) == {"s3", "dynamodb", "ecr", "secretsmanager", "sqs"}  # logs/ec2 are Lambda's own
    assert (services["dynamodb"]["evidence"], services["dynamodb"]["reached_via"], services["dynamodb"]["ipv6"]) == ("role", "nat", "opt-in")
    assert services["dynamodb"]["set_env"] == {"AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.us-east-1.api.aws"}
    assert services["secretsmanager"]["ipv6"] == "default" and services["secretsmanager"]["set_env"] == {}
    assert services["ecr"]["ipv6"] == "ipv4-only"
    assert services["sqs"]["evidence"] == "env" and services["sqs"]["evidence_detail"] == ["QUEUE_URL"]
    assert services["sqs"]["set_env"] == {"AWS_ENDPOINT_URL_SQS": "https://sqs.us-east-1.api.aws"}
    fn = document["functions"][0]
    assert fn["needs_ipv4_nat"] == ["ecr"]
    assert fn["env_to_set"] == {"AWS_ENDPOINT_URL_DYNAMODB": "https://dynamodb.us-east-1.api.aws", "AWS_ENDPOINT_URL_SQS": "https://sqs.us-east-1.api.aws"}
    assert document["nat_still_needed"] is True and document["nat_stays_for"] == ["ecr"]
    assert cli_calls.mutating == []
    assert {"GetRole", "ListAttachedRolePolicies", "GetPolicy", "GetPolicyVersion", "ListRolePolicies", "GetRolePolicy", "DescribeVpcEndpoints"} <= set(cli_calls)


def test_a_service_behind_a_vpc_endpoint_is_never_moved(run_cli: Any, dns: DnsServer, account: Account) -> None:
    """s3 answers on its dual-stack name (opt-in), but the gateway endpoint carries it: no setting."""
    s3 = services_of(run_json(run_cli, "readiness", "--vpc-id", account.vpc_id), "reader")["s3"]
    assert s3["reached_via"] == "gateway-endpoint" and s3["ipv6"] == "opt-in"
    assert s3["set_env"] == {} and "AWS_ENDPOINT_URL_S3" not in run_json(run_cli, "readiness", "--vpc-id", account.vpc_id)["functions"][0]["env_to_set"]


def test_interface_endpoint_with_private_dns_carries_its_service(run_cli: Any, access: Any, dns: DnsServer, account: Account) -> None:
    access.client("ec2").create_vpc_endpoint(
        VpcId=account.vpc_id, ServiceName="com.amazonaws.us-east-1.dynamodb", VpcEndpointType="Interface",
        SubnetIds=account.private, SecurityGroupIds=[account.group], PrivateDnsEnabled=True,
    )
    dynamodb = services_of(run_json(run_cli, "readiness", "--vpc-id", account.vpc_id), "reader")["dynamodb"]
    assert dynamodb["reached_via"] == "interface-endpoint" and dynamodb["set_env"] == {}


def test_a_failing_resolver_is_unknown_never_a_guess(run_cli: Any, dns: DnsServer, account: Account) -> None:
    dns.zone.servfail.add("dynamodb.us-east-1.api.aws")
    dns.zone.servfail.add("dynamodb.us-east-1.amazonaws.com")
    document = run_json(run_cli, "readiness", "--vpc-id", account.vpc_id)
    dynamodb = services_of(document, "reader")["dynamodb"]
    assert dynamodb["ipv6"] == "unknown" and dynamodb["set_env"] == {}
    assert "dynamodb" in document["functions"][0]["needs_ipv4_nat"]


def test_nxdomain_on_both_names_is_ipv4_only(run_cli: Any, dns: DnsServer, account: Account) -> None:
    """ecr's dual-stack name is not in the zone (NXDOMAIN): a real no, so ipv4-only, not unknown."""
    assert services_of(run_json(run_cli, "readiness", "--vpc-id", account.vpc_id), "reader")["ecr"]["ipv6"] == "ipv4-only"
    assert ("ecr.us-east-1.api.aws", "AAAA") in dns.queries


def test_igw_only_and_no_route(run_cli: Any, access: Any, dns: DnsServer, account: Account) -> None:
    ec2 = access.client("ec2")
    table = ec2.describe_route_tables(RouteTableIds=[account.private_table])["RouteTables"][0]
    igw = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [account.vpc_id]}])["InternetGateways"][0]["InternetGatewayId"]
    ec2.replace_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    fn = run_json(run_cli, "readiness", "--vpc-id", account.vpc_id)["functions"][0]
    assert {s["service"]: s["reached_via"] for s in fn["services"]}["dynamodb"] == "igw-only"
    assert any("no IPv4 egress" in f for f in fn["findings"])
    ec2.delete_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="0.0.0.0/0")
    fn = run_json(run_cli, "readiness", "--vpc-id", account.vpc_id)["functions"][0]
    assert {s["service"]: s["reached_via"] for s in fn["services"]}["dynamodb"] == "none"


def test_environment_values_never_reach_the_output(run_cli: Any, dns: DnsServer, account: Account) -> None:
    for output in ("text", "json", "markdown"):
        result = run_cli("readiness", "--vpc-id", account.vpc_id, "--output", output)
        assert result.exit_code == 0
        assert "hunter2" not in result.output and "123456789012/jobs" not in result.output


def test_an_existing_setting_is_a_conflict_not_overwritten(run_cli: Any, access: Any, dns: DnsServer, account: Account) -> None:
    access.client("lambda").update_function_configuration(
        FunctionName="reader", Environment={"Variables": {"AWS_ENDPOINT_URL_DYNAMODB": "https://mine.example", "QUEUE_URL": "x"}}
    )
    from v6wizard.demo.builder import wait_function_ready

    wait_function_ready(access, "reader")
    fn = run_json(run_cli, "readiness", "--vpc-id", account.vpc_id)["functions"][0]
    assert fn["env_conflicts"] == ["AWS_ENDPOINT_URL_DYNAMODB"]
    assert "AWS_ENDPOINT_URL_DYNAMODB" not in fn["env_to_set"]
    assert fn["existing_endpoint_settings"] == ["AWS_ENDPOINT_URL_DYNAMODB"]


def test_a_function_outside_the_vpc_exits_2(run_cli: Any, cli_calls: Any, dns: DnsServer, account: Account) -> None:
    result = run_cli("readiness", "--vpc-id", account.vpc_id, "--function", "elsewhere")
    assert result.exit_code == 2 and "elsewhere" in result.stderr and "Traceback" not in result.output
    assert cli_calls.mutating == []


def test_a_malformed_dns_server_exits_2_before_any_read(run_cli: Any, cli_calls: Any, dns: DnsServer, account: Account) -> None:
    result = run_cli("readiness", "--vpc-id", account.vpc_id, "--dns-server", "127.0.0.1:notaport")
    assert result.exit_code == 2 and "port" in result.stderr
    assert list(cli_calls) == []
