"""`v6wizard export`: a session, a plan file or a VPC as Terraform, CloudFormation or IAM policies; changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from v6wizard.cli.common import aws_options, open_cli_journal, run_guarded
from v6wizard.cli.plan_options import plan_options
from v6wizard.constants import EXPORT_FORMATS


@click.command()
@aws_options
@click.argument("session_id", metavar="[SESSION]", required=False)
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False, path_type=Path), default=None, help="A JSON plan from `v6wizard plan --output json --out FILE`.")
@click.option("--vpc-id", default=None, help="Plan this VPC now and export the plan.")
@plan_options
@click.option("--format", "export_format", type=click.Choice(EXPORT_FORMATS), required=True, help="terraform (HCL with import blocks), cloudformation (template and import document) or iam-policy (read and apply policies).")
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=None, help="Write the export to this file (companion files beside it) or into this existing folder, instead of stdout.")
def export(session_id: str | None, plan_file: Path | None, vpc_id: str | None, export_format: str, out_file: Path | None, profile: str | None, region: str | None, endpoint_url: str | None, journal: str | None, **flags: Any) -> None:
    """Export a migration as code a team can adopt, or the least-privilege IAM policy it needs. Makes no changes.

    Of an applied SESSION, the export carries the real ids (Terraform import blocks, a CloudFormation
    import document); of a plan (--plan FILE, or --vpc-id ID planned now) it describes what applying would create.
    """
    run_guarded(lambda: _export(session_id, plan_file, vpc_id, export_format, out_file, profile, region, endpoint_url, journal, flags))


def _export(session_id: str | None, plan_file: Path | None, vpc_id: str | None, export_format: str, out_file: Path | None, profile: str | None, region: str | None, endpoint_url: str | None, journal_spec: str | None, flags: dict[str, Any]) -> int:
    from v6wizard.aws.session import AwsAccess, AwsTarget
    from v6wizard.core.export_source import ExportSource
    from v6wizard.errors import BadInput
    from v6wizard.exporting import check_account, export_files, source_from_session, write_beside, write_files

    if sum(x is not None for x in (session_id, plan_file, vpc_id)) != 1:
        raise BadInput("Give one of SESSION (a journal session), --plan FILE or --vpc-id ID to export.")
    if session_id is not None:
        opened = open_cli_journal(journal_spec, profile, region, endpoint_url)
        try:
            source = source_from_session(opened, session_id)
        finally:
            opened.close()
    elif plan_file is not None:
        from v6wizard.cli.apply_cmd import load_plan_file

        plan = load_plan_file(plan_file)
        check_account(plan, AwsAccess(AwsTarget(profile=profile, region=region or plan.region, endpoint_url=endpoint_url)))
        source = ExportSource(plan=plan)
    else:
        from v6wizard.cli.plan_options import build_options
        from v6wizard.planning import make_plan

        access = AwsAccess(AwsTarget(profile=profile, region=region, endpoint_url=endpoint_url))
        source = ExportSource(plan=make_plan(access, vpc_id or "", build_options(**flags)))
    files = export_files(source, export_format)
    if out_file is None:
        click.echo(files[0].text, nl=False)
        if len(files) > 1:
            others = ", ".join(f.role for f in files[1:])
            click.echo(f"v6wizard: --out FILE also writes the {others} file{'s' * (len(files) > 2)} beside it.", err=True)
        return 0
    paths = write_files(files, out_file) if out_file.is_dir() else write_beside(files, out_file)
    for path in paths:
        click.echo(f"Wrote {path}", err=True)
    return 0
