"""The emulator fixture answers on loopback and AWS access reaches it through boto3."""

from v6wizard.aws.session import AwsAccess


def test_emulator_binds_loopback_and_answers_boto3(access: AwsAccess, recorder) -> None:
    assert access.target.endpoint_url.startswith("http://127.0.0.1:")
    vpc = access.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]
    found = access.client("ec2").describe_vpcs(VpcIds=[vpc["VpcId"]])["Vpcs"]
    assert [v["CidrBlock"] for v in found] == ["10.9.0.0/16"]
    assert recorder.operations == ["CreateVpc", "DescribeVpcs"]
    assert access.identity().account_id == "123456789012"
