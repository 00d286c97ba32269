"""Lambda rules 5-7 and the PublishVersion correction, through boto3 against the emulator."""

from __future__ import annotations

from typing import Any

from .helpers import error_code, subnet_block, wait_update_done, zipped_handler


def _give_subnet_a_block(ec2: Any, function: dict[str, Any]) -> None:
    ec2.associate_subnet_cidr_block(SubnetId=function["subnet"], Ipv6CidrBlock=subnet_block(function["block"], 0))


def _dual_stack_config(function: dict[str, Any]) -> dict[str, Any]:
    return {"SubnetIds": [function["subnet"]], "SecurityGroupIds": [function["group"]], "Ipv6AllowedForDualStack": True}


def test_dual_stack_needs_every_subnet_to_hold_an_ipv6_block(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    config = _dual_stack_config(function)
    code = error_code(lam.update_function_configuration, FunctionName=function["name"], VpcConfig=config)
    assert code == "InvalidParameterValueException"
    _give_subnet_a_block(ec2, function)
    answer = lam.update_function_configuration(FunctionName=function["name"], VpcConfig=config)
    assert answer["VpcConfig"]["Ipv6AllowedForDualStack"] is True


def test_dual_stack_refuses_ipv6_only_subnets(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    native = ec2.create_subnet(VpcId=function["vpc"], Ipv6Native=True, Ipv6CidrBlock=subnet_block(function["block"], 7))
    config = {**_dual_stack_config(function), "SubnetIds": [native["Subnet"]["SubnetId"]]}
    code = error_code(lam.update_function_configuration, FunctionName=function["name"], VpcConfig=config)
    assert code == "InvalidParameterValueException"


def test_update_is_in_progress_then_successful_and_conflicts_meanwhile(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    _give_subnet_a_block(ec2, function)
    name = function["name"]
    answer = lam.update_function_configuration(FunctionName=name, VpcConfig=_dual_stack_config(function))
    assert answer["LastUpdateStatus"] == "InProgress"
    assert lam.get_function_configuration(FunctionName=name)["LastUpdateStatus"] == "InProgress"
    assert error_code(lam.update_function_configuration, FunctionName=name, Description="again") == "ResourceConflictException"
    assert error_code(lam.update_function_code, FunctionName=name, ZipFile=zipped_handler()) == "ResourceConflictException"
    assert error_code(lam.publish_version, FunctionName=name) == "ResourceConflictException"
    lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert lam.get_function(FunctionName=name)["Configuration"]["LastUpdateStatus"] == "Successful"
    assert lam.publish_version(FunctionName=name)["Version"] == "1"


def test_publish_version_with_nothing_changed_returns_the_existing_version(lam: Any, function: dict[str, Any]) -> None:
    first = lam.publish_version(FunctionName=function["name"])
    again = lam.publish_version(FunctionName=function["name"])
    assert (first["Version"], again["Version"]) == ("1", "1")
    versions = [v["Version"] for v in lam.list_versions_by_function(FunctionName=function["name"])["Versions"]]
    assert versions == ["$LATEST", "1"]


def _two_versions(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    lam.publish_version(FunctionName=function["name"])
    _give_subnet_a_block(ec2, function)
    lam.update_function_configuration(FunctionName=function["name"], VpcConfig=_dual_stack_config(function))
    wait_update_done(lam, function["name"])
    assert lam.publish_version(FunctionName=function["name"])["Version"] == "2"
    lam.create_alias(FunctionName=function["name"], Name="live", FunctionVersion="1")


def test_alias_routing_rules(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    _two_versions(lam, ec2, function)
    name = function["name"]

    def routing(weights: dict[str, float]) -> str:
        return error_code(lam.update_alias, FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": weights})

    assert routing({"$LATEST": 0.1}) == "InvalidParameterValueException"
    assert routing({"1": 0.1}) == "InvalidParameterValueException"
    assert routing({"2": 1.5}) == "InvalidParameterValueException"
    assert routing({"2": 0.1, "1": 0.1}) == "InvalidParameterValueException"
    assert routing({"9": 0.1}) == "ResourceNotFoundException"
    shifted = lam.update_alias(FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
    assert shifted["RoutingConfig"]["AdditionalVersionWeights"] == {"2": 0.1}


def test_alias_revision_rotates_and_a_stale_one_is_refused(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    _two_versions(lam, ec2, function)
    name = function["name"]
    before = lam.get_alias(FunctionName=name, Name="live")["RevisionId"]
    after = lam.update_alias(
        FunctionName=name, Name="live", RevisionId=before, RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}}
    )["RevisionId"]
    assert after != before
    assert lam.get_alias(FunctionName=name, Name="live")["RevisionId"] == after
    code = error_code(lam.update_alias, FunctionName=name, Name="live", RevisionId=before, FunctionVersion="2")
    assert code == "PreconditionFailedException"
    lam.update_alias(FunctionName=name, Name="live", RevisionId=after, FunctionVersion="2", RoutingConfig={"AdditionalVersionWeights": {}})
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == "2"


def test_provisioned_concurrency_fails_on_a_weighted_alias(lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    _two_versions(lam, ec2, function)
    name = function["name"]
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=2)
    code = error_code(lam.update_alias, FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
    assert code == "InvalidParameterValueException"
    lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    lam.update_alias(FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}})
    code = error_code(lam.put_provisioned_concurrency_config, FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=2)
    assert code == "InvalidParameterValueException"


def test_alias_routing_needs_both_versions_to_share_the_role(access: Any, lam: Any, ec2: Any, function: dict[str, Any]) -> None:
    name = function["name"]
    lam.publish_version(FunctionName=name)
    other = access.client("iam").create_role(RoleName="other-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    lam.update_function_configuration(FunctionName=name, Role=other)
    wait_update_done(lam, name)
    assert lam.publish_version(FunctionName=name)["Version"] == "2"
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")

    split = {"AdditionalVersionWeights": {"2": 0.1}}
    assert error_code(lam.update_alias, FunctionName=name, Name="live", RoutingConfig=split) == "InvalidParameterValueException"
    assert error_code(lam.create_alias, FunctionName=name, Name="canary", FunctionVersion="1", RoutingConfig=split) == "InvalidParameterValueException"
    assert lam.get_alias(FunctionName=name, Name="live").get("RoutingConfig", {}).get("AdditionalVersionWeights", {}) == {}
    # Moving the alias wholesale to the other version is allowed: only a split needs a shared role.
    assert lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")["FunctionVersion"] == "2"
