"""The readiness report: per function, the AWS services it calls, how each is reached, and whether IPv6 can carry it.

Plain pydantic, no boto3: the reads that feed it live in `aws/readiness_reads.py`, the
verdicts in `core/readiness_verdict.py`. Environment-variable values never enter these
models: only keys, and the service a value points to.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Ipv6Verdict = Literal["default", "opt-in", "ipv4-only", "unknown"]
"""default: the default endpoint answers AAAA; opt-in: only the dual-stack one does;
ipv4-only: neither does; unknown: a lookup timed out or the server failed."""

ReachedVia = Literal["nat", "gateway-endpoint", "interface-endpoint", "igw-only", "none"]
Evidence = Literal["role", "env"]
DnsAnswer = Literal["yes", "no", "unknown"]
"""One AAAA lookup: an address (yes), NXDOMAIN or no AAAA (no), timeout or server failure (unknown)."""


class Model(BaseModel):
    model_config = {"frozen": True, "extra": "forbid"}


class ServiceHosts(Model):
    """A service's endpoints in the region, built offline by botocore's resolver."""

    service: str
    """The SDK's service name (boto3's client name), e.g. dynamodb."""
    service_id: str
    """The SDK's service id, e.g. DynamoDB, Secrets Manager."""
    default_host: str
    dualstack_host: str | None = None
    """None when botocore builds no dual-stack name for the service in this region."""

    @property
    def env_key(self) -> str:
        """`AWS_ENDPOINT_URL_<SERVICE_ID>`: the id upper-cased, spaces as underscores, as the SDKs name it
        (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html)."""
        return "AWS_ENDPOINT_URL_" + self.service_id.replace(" ", "_").replace("-", "_").upper()


class IngressRule(Model):
    """An IPv4 or IPv6 ingress rule of an interface endpoint's security group."""

    rule_id: str
    group_id: str
    protocol: str
    from_port: int | None = None
    to_port: int | None = None
    cidr_ipv4: str | None = None
    cidr_ipv6: str | None = None
    referenced_group_id: str | None = None


class VpcEndpoint(Model):
    """A VPC endpoint of the VPC (DescribeVpcEndpoints)."""

    id: str
    service_name: str
    """com.amazonaws.us-east-1.s3"""
    endpoint_type: str
    """Gateway or Interface (GatewayLoadBalancer endpoints are listed but carry no service traffic here)."""
    state: str = "available"
    route_table_ids: list[str] = Field(default_factory=list)
    subnet_ids: list[str] = Field(default_factory=list)
    group_ids: list[str] = Field(default_factory=list)
    private_dns_enabled: bool = False
    ip_address_type: str = "ipv4"
    """ipv4, dualstack or ipv6."""
    dns_record_ip_type: str = "ipv4"
    ingress_rules: list[IngressRule] = Field(default_factory=list)
    """Ingress rules of its security groups (interface endpoints only)."""

    @property
    def service(self) -> str:
        """The short service name: the last label of service_name (s3, dynamodb, secretsmanager...)."""
        return self.service_name.rsplit(".", 1)[-1]

    @property
    def is_dual_stack(self) -> bool:
        return self.ip_address_type in ("dualstack", "ipv6")


class ServiceReadiness(Model):
    """One service one function may call."""

    service: str
    """The SDK's service name, e.g. dynamodb."""
    evidence: Evidence
    """role: an action of its execution role; env: an environment variable points at it."""
    evidence_detail: list[str] = Field(default_factory=list)
    """The role's actions (e.g. dynamodb:GetItem) or the variable keys (never values)."""
    reached_via: ReachedVia
    endpoint_id: str | None = None
    """The VPC endpoint that carries it, when reached_via is an endpoint."""
    ipv6: Ipv6Verdict
    default_host: str
    dualstack_host: str | None = None
    set_env: dict[str, str] = Field(default_factory=dict)
    """The service-specific setting that moves it to IPv6: key -> endpoint URL (empty: none needed or possible)."""
    note: str = ""


class FunctionReadiness(Model):
    """The verdict for one function."""

    name: str
    runtime: str = ""
    sdk_honours_service_endpoints: bool | None = None
    """True when the runtime's bundled SDK reads AWS_ENDPOINT_URL_<SERVICE>; None: not vouched for."""
    services: list[ServiceReadiness] = Field(default_factory=list)
    needs_ipv4_nat: list[str] = Field(default_factory=list)
    """Services that keep needing IPv4 through NAT after the migration."""
    moves_with_setting: list[str] = Field(default_factory=list)
    """Services that would move to IPv6 with the settings in env_to_set."""
    env_to_set: dict[str, str] = Field(default_factory=dict)
    """Every setting to add, key -> URL; never keys the function already sets."""
    env_conflicts: list[str] = Field(default_factory=list)
    """Keys we would set that the function already sets (left alone)."""
    existing_endpoint_settings: list[str] = Field(default_factory=list)
    """AWS_ENDPOINT_URL* and AWS_USE_DUALSTACK_ENDPOINT keys the function already has (keys only)."""
    findings: list[str] = Field(default_factory=list)


class ReadinessReport(Model):
    """Readiness of the chosen functions of one VPC."""

    account_id: str = ""
    region: str
    vpc_id: str
    dns_server: str | None = None
    """The resolver the AAAA lookups asked (None: the system's)."""
    functions: list[FunctionReadiness] = Field(default_factory=list)
    endpoints: list[VpcEndpoint] = Field(default_factory=list)

    nat_stays_for: list[str] = Field(default_factory=list)
    """Services some function still reaches only over IPv4 through NAT, sorted: why the NAT stays."""
    nat_still_needed: bool = False
    """True when nat_stays_for is not empty."""

    @property
    def ipv4_only_services(self) -> list[str]:
        """The same list as nat_stays_for, for the savings report to say why the NAT stays."""
        return self.nat_stays_for

    def function(self, name: str) -> FunctionReadiness | None:
        return next((f for f in self.functions if f.name == name), None)

    @property
    def verdict(self) -> str:
        """The one line: `NAT stays for: ecr, dynamodb`, or that no service needs it."""
        if self.nat_stays_for:
            return "NAT stays for: " + ", ".join(self.nat_stays_for)
        return "No service of these functions needs IPv4 NAT once the settings are made."
