"""The dated price table for the savings estimate: NAT gateway hours and GB, public IPv4 hours.

Each row names where its figures were read and when. Prices are list prices in USD
for a public NAT gateway; AWS changes them rarely but without notice, so the report
always prints the row's source and date, and `--nat-hour-price`, `--nat-gb-price` and
`--ipv4-hour-price` override any of them. A region missing here gets no cost at all
(the report is then in GB only), never a guess.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

IPV4_HOUR_USD = 0.005
"""Every public IPv4 address, in use or idle, in every commercial region, since 2024-02-01."""
IPV4_SOURCE = "https://aws.amazon.com/blogs/aws/new-aws-public-ipv4-address-charge-public-ip-insights/"
IPV4_AS_OF = "2024-02-01"

VPC_PRICING = "https://aws.amazon.com/vpc/pricing/"


class Prices(BaseModel):
    """The unit prices an estimate used, and where they come from."""

    model_config = {"frozen": True, "extra": "forbid"}

    nat_hour_usd: float = Field(ge=0)
    """One NAT gateway for one hour."""
    nat_gb_usd: float = Field(ge=0)
    """One GB (10^9 bytes) processed by a NAT gateway."""
    ipv4_hour_usd: float = Field(ge=0)
    """One public IPv4 address for one hour."""
    source: str
    """Where the figures were read (a URL), or `--nat-hour-price ...` for overrides."""
    as_of: str
    """The date the figures were read (YYYY-MM-DD)."""


def _row(hour: float, gb: float, source: str, as_of: str) -> Prices:
    return Prices(nat_hour_usd=hour, nat_gb_usd=gb, ipv4_hour_usd=IPV4_HOUR_USD, source=source, as_of=as_of)


PRICE_TABLE: dict[str, Prices] = {
    # Each source was read on the date given; the AWS page itself renders its tables
    # with scripts, so the rows quote pages and price-list extracts that print them.
    "us-east-1": _row(0.045, 0.045, VPC_PRICING + " (Price List API extract, SKU M2YSHUBETB3JX4M4)", "2025-10-28"),
    "us-east-2": _row(0.045, 0.045, "https://rajesh.medampudi.com/blog/aws-nat-gateway-hidden-tax", "2026"),
    "us-west-2": _row(0.045, 0.045, "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/", "2026"),
    "eu-west-1": _row(0.048, 0.048, VPC_PRICING + " (as quoted in DESIGN.md)", "2026"),
    "ap-southeast-1": _row(0.059, 0.059, "https://basavytix.com/blog/aws-nat-gateway-pricing", "2026"),
    "ap-northeast-1": _row(0.062, 0.062, VPC_PRICING + " (Price List API, APN1-NatGateway-Hours/-Bytes)", "2026-09-25"),
    "sa-east-1": _row(0.093, 0.093, "https://costpatrol.io/blog/reduce-aws-nat-gateway-costs", "2026"),
}
"""Regions whose NAT prices were found in a source we can cite; see `price_for`.

Not yet here, for want of a source that prints their figures (the report names the
price flags for them): us-west-1, ca-central-1, eu-central-1, eu-west-2, eu-west-3,
eu-north-1, ap-south-1, ap-southeast-2, ap-northeast-2.
"""


def price_for(
    region: str,
    *,
    nat_hour: float | None = None,
    nat_gb: float | None = None,
    ipv4_hour: float | None = None,
) -> Prices | None:
    """The region's row with any overrides applied; None when the region is unknown and not every NAT price is given."""
    row = PRICE_TABLE.get(region)
    overrides = {k: v for k, v in (("nat_hour_usd", nat_hour), ("nat_gb_usd", nat_gb), ("ipv4_hour_usd", ipv4_hour)) if v is not None}
    if row is None:
        if nat_hour is None or nat_gb is None:
            return None
        row = Prices(nat_hour_usd=nat_hour, nat_gb_usd=nat_gb, ipv4_hour_usd=IPV4_HOUR_USD, source="", as_of="")
    if not overrides:
        return row
    flags = ", ".join(f"--{name.removesuffix('_usd').replace('_', '-')}-price {value:g}" for name, value in overrides.items())
    source = f"{flags} (else {row.source})" if row.source else flags
    return row.model_copy(update={**overrides, "source": source, "as_of": row.as_of or "given"})


def unknown_region_sentence(region: str) -> str:
    """What the report says instead of a cost when the region has no row."""
    return (
        f"No NAT gateway prices are on file for {region}, so this estimate is in GB only; "
        "give --nat-hour-price, --nat-gb-price and --ipv4-hour-price (USD) to see the cost."
    )
