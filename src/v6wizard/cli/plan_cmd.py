"""`v6wizard plan`: discover a VPC and print the migration plan; changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from v6wizard.cli.common import aws_options, run_guarded
from v6wizard.cli.plan_options import plan_options


@click.command()
@aws_options
@click.option("--vpc-id", required=True, help="The VPC to migrate.")
@plan_options
@click.option("--output", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True, help="text for a terminal, json for machines, markdown for a change ticket.")
@click.option("--readiness", "with_readiness", is_flag=True, help="Also read the readiness report (roles, environments, AAAA lookups) into the plan; --sdk-endpoints implies it.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write the plan to this file instead of stdout.")
def plan(vpc_id: str, output: str, out_file: Path | None, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None, with_readiness: bool = False, **flags: Any) -> None:
    """Preview the migration of a VPC: every step, action, AWS call and finding. Makes no changes."""
    run_guarded(lambda: _plan(vpc_id, output, out_file, profile, region, endpoint_url, flags, with_readiness))


def _plan(vpc_id: str, output: str, out_file: Path | None, profile: str | None, region: str | None, endpoint_url: str | None, flags: dict[str, Any], with_readiness: bool = False) -> int:
    from v6wizard.cli.plan_options import build_options
    from v6wizard.planning import make_plan
    from v6wizard.aws.session import AwsAccess, AwsTarget

    options = build_options(**flags)
    access = AwsAccess(AwsTarget(profile=profile, region=region, endpoint_url=endpoint_url))
    the_plan = make_plan(access, vpc_id, options, readiness=with_readiness)
    text = render_plan(the_plan, output)
    if out_file is not None:
        try:
            out_file.write_text(text + ("" if text.endswith("\n") else "\n"))
        except OSError as exc:
            from v6wizard.errors import BadInput

            raise BadInput(f"Could not write the plan to {out_file}: {exc.strerror}.") from None
        click.echo(f"Plan for {vpc_id} written to {out_file} ({len(the_plan.actions())} actions).", err=True)
    else:
        click.echo(text)
    return 0


def render_plan(the_plan: Any, output: str) -> str:
    """The plan as text, Markdown or one JSON document (from the pydantic models)."""
    if output == "json":
        return the_plan.model_dump_json(indent=2)
    from v6wizard.core.render import render_markdown, render_text

    return render_markdown(the_plan) if output == "markdown" else render_text(the_plan)
