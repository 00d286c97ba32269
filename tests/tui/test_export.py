"""The Export key on the Plan and Summary screens: a format and a folder, files written off the UI thread."""

from __future__ import annotations

import json

from textual.widgets import Input, RadioSet

from tui.flows import connect, plan_demo, run_step
from tui.helpers import SIZE, wait_for
from v6wizard.tui.screens.dialogs.export import ExportDialog
from v6wizard.tui.screens.export_offer import ExportWritten
from v6wizard.tui.screens.summary import SummaryScreen


async def _export(pilot, export_format_row: int, folder) -> None:
    """Press e, pick the format on row `export_format_row` with the keyboard, type the folder, press enter."""
    app = pilot.app
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
    for _ in range(export_format_row):
        await pilot.press("down")
    await pilot.press("enter")
    assert app.screen.query_one(RadioSet).pressed_index == export_format_row
    field = app.screen.query_one("#export-folder", Input)
    field.value = str(folder)
    field.focus()
    await pilot.press("enter")


async def test_export_from_the_plan_then_from_the_summary_of_an_applied_step(build_app, demo, tmp_path, recorder) -> None:
    app = build_app()
    written_messages: list[ExportWritten] = []

    def hook(message) -> None:
        if isinstance(message, ExportWritten):
            written_messages.append(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await connect(pilot)
        await plan_demo(pilot, demo.vpc_id)
        recorder.operations.clear()
        await _export(pilot, 1, tmp_path / "cfn")
        template = tmp_path / "cfn" / f"v6wizard-{demo.vpc_id}.template.json"
        await wait_for(pilot, lambda: template.exists(), what="the template")
        assert json.loads(template.read_text())["Resources"]
        await wait_for(pilot, lambda: bool(written_messages), what="the paths posted to the screen")
        assert template in written_messages[0].paths
        assert [op for op in recorder.operations if not op.startswith(("Describe", "List", "Get"))] == []

        await run_step(pilot, "vpc-cidr")
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen), what="the summary")
        await _export(pilot, 0, tmp_path / "tf")
        written = tmp_path / "tf" / f"v6wizard-{app.session_id}.tf"
        await wait_for(pilot, lambda: written.exists(), what="the Terraform file")
        vpc = app.plan.vpc_id
        association = app.backend.session_state(app.session_id).action(f"vpc-cidr:associate:{vpc}").outputs["AssociationId"]
        assert f'id = "{association}"' in written.read_text()
