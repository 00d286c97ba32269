"""`v6wizard readiness`: per function, the services it calls, how each is reached, and what moves it to IPv6."""

from __future__ import annotations

import click

from v6wizard.cli.common import aws_options, run_guarded


@click.command()
@aws_options
@click.option("--vpc-id", required=True, help="The VPC whose functions to assess.")
@click.option("--function", "functions", multiple=True, metavar="NAME", help="Assess only this function (repeatable); default: every function in the VPC.")
@click.option("--dns-server", envvar="V6WIZARD_DNS_SERVER", default=None, metavar="HOST[:PORT]", help="Resolver for the AAAA lookups (env V6WIZARD_DNS_SERVER); default: the system's.")
@click.option("--output", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True, help="text for a terminal, json for machines, markdown for a ticket.")
def readiness(vpc_id: str, functions: tuple[str, ...], dns_server: str | None, output: str, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None) -> None:
    """Say, per function, which AWS services keep needing IPv4 NAT and which settings move the rest to IPv6. Makes no changes."""

    def body() -> int:
        from v6wizard.aws.discovery import discover
        from v6wizard.aws.dns_probe import AaaaProbe
        from v6wizard.aws.readiness_reads import chosen_functions, read_readiness
        from v6wizard.aws.session import AwsAccess, AwsTarget
        from v6wizard.core.readiness_render import render_readiness

        if dns_server:
            AaaaProbe(dns_server)  # refuse a malformed server before reading anything
        access = AwsAccess(AwsTarget(profile=profile, region=region, endpoint_url=endpoint_url))
        inventory = discover(access, vpc_id)
        chosen_functions(inventory, list(functions))
        report = read_readiness(access, inventory, list(functions) or None, dns_server=dns_server)
        click.echo(render_readiness(report, output))
        return 0

    run_guarded(body)
