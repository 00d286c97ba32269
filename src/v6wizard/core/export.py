"""`export_files(source, format)`: the files of one export, from whichever builder the format names."""

from __future__ import annotations

from v6wizard.core.export_source import ExportFile, ExportSource


def export_stem(source: ExportSource) -> str:
    """The file name every file of an export starts with: the session's id, else the VPC's."""
    return f"v6wizard-{source.session_id or source.plan.vpc_id}"


def export_files(source: ExportSource, export_format: str) -> list[ExportFile]:
    """The export's files, the main one first (terraform: .tf; cloudformation: template [+ import];
    iam-policy: both policies in one document, then each alone)."""
    stem = export_stem(source)
    if export_format == "terraform":
        from v6wizard.core.export_terraform import terraform_files

        return terraform_files(source, stem)
    if export_format == "cloudformation":
        from v6wizard.core.export_cloudformation import cloudformation_files

        return cloudformation_files(source, stem)
    if export_format == "iam-policy":
        from v6wizard.core.export_iam import iam_files

        return iam_files(source, stem)
    raise ValueError(f"unknown export format {export_format!r}")
