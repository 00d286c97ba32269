"""The wizard app: `make_app` (shared by the CLI, the demo and the tests) and `run_app`.

The app owns the session state every screen reads (the connection, the plan, the
session id, step statuses) and the engine runs, which outlive the screen that
started them. Every back-end call runs in a thread worker that posts messages; one
`Worker.StateChanged` handler turns a failed worker into the error dialog.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerFailed, WorkerState

from v6wizard.constants import DEFAULT_SCHEDULE, DEMO_SCHEDULE
from v6wizard.errors import BadInput, Cancelled, CredentialsError, CutoverAborted, V6WizardError
from v6wizard.tui.after_quit import after_quit, quit_question
from v6wizard.tui.backend import AccessFactory, Backend, default_access_factory
from v6wizard.tui.messages import Connected, EngineEventMessage, RunFinished
from v6wizard.tui.screens.base import ConnectionAware
from v6wizard.tui.screens.dialogs import ConfirmDialog, ErrorDialog, MfaDialog
from v6wizard.tui.screens.start import StartScreen
from v6wizard.tui.status import step_statuses

if TYPE_CHECKING:
    from v6wizard.aws.session import AwsTarget, Identity
    from v6wizard.core.inventory import Inventory
    from v6wizard.core.plan import Plan

STYLES = Path(__file__).resolve().parent.parent / "styles"

ENGINE_GROUP = "engine"
"""Worker group of apply/resume/rollback/skip runs: quitting during one asks first."""


class WizardApp(App[int]):
    """The v6wizard terminal wizard."""

    TITLE = "v6wizard"
    CSS_PATH = [STYLES / "wizard.tcss"]
    BINDINGS = [
        Binding("ctrl+t", "toggle_theme", "Theme", id="app.toggle-theme", show=False, tooltip="Switch between the light and dark theme."),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help", tooltip="What this screen is for, and its keys (also F1)."),
        # F1 has priority so it also works in a dialog and while an input has focus (where ? is typed).
        Binding("f1", "help", "Help", id="app.help-f1", show=False, priority=True, tooltip="What this screen is for, and its keys."),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, tooltip="Quit; during an apply, asks and stops after the current action."),
        Binding("ctrl+c", "quit", "Quit", id="app.interrupt", show=False, priority=True, tooltip="Same as ctrl+q."),
    ]

    dry_run: reactive[bool] = reactive(False)
    context_line: reactive[str] = reactive("")

    def __init__(
        self,
        target: AwsTarget,
        *,
        journal_spec: str | None = None,
        dry_run: bool = False,
        demo: bool = False,
        access_factory: AccessFactory | None = None,
        cutover_settings: Any | None = None,
        cutover_clock: Any | None = None,
        preparation: Any | None = None,
    ) -> None:
        super().__init__()
        self.target = target
        self.journal_spec = journal_spec
        self.demo = demo
        self.default_schedule = DEMO_SCHEDULE if demo else DEFAULT_SCHEDULE
        """The schedule the options form starts with: short bakes in the demo, to watch them."""
        self.access_factory = access_factory or default_access_factory
        self.cutover_settings = cutover_settings
        self.cutover_clock = cutover_clock
        self.backend: Backend | None = None
        self.identity: Identity | None = None
        self.journal_location = ""
        self.inventory: Inventory | None = None
        self.plan: Plan | None = None
        self.session_id: str | None = None
        self.statuses: dict[str, str] = {}
        """Step name -> planned/applied/rolled-back/failed/skipped/conflict for the current session."""
        self.session_state: Any | None = None
        """The session's SessionState as of the last run (None before a session); previews read its outputs."""
        self.inspecting = False
        """The plan is a session opened with Inspect: read-only, like a dry run."""
        self.reviewed: set[str] = set()
        """Steps whose findings to review the operator acknowledged (journaled with the session's next run)."""
        self.set_reactive(WizardApp.dry_run, dry_run)
        self.freeze_heap = False
        """Set by run_app (one app per process): the connect worker then freezes what it loaded, see freeze_start_up_heap."""
        self._quitting = False
        self.preparation = preparation
        """The demo's DemoPreparation (emulator and sample account seeding in the background), or None."""
        self.touched: dict[str, Any] = {}
        """Session id -> SessionState after each run this sitting made, for the lines printed after quitting."""

    # --- start-up and the context line -----------------------------------------

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._refresh_context()
        self.push_screen(StartScreen())

    def watch_dry_run(self) -> None:
        self._refresh_context()

    def _refresh_context(self) -> None:
        target = self.backend.target if self.backend else self.target
        parts = [
            f"account {self.identity.account_id if self.identity else '?'}",
            f"region {target.region or '?'}",
            f"profile {target.profile or 'default'}",
        ]
        if target.endpoint_url:
            parts.append(f"endpoint {target.endpoint_url}")
        if self.demo:
            parts.insert(0, "DEMO")
        if self.inspecting:
            parts.insert(0, "INSPECT")
        if self.dry_run:
            parts.insert(0, "DRY RUN")
        self.sub_title = "DRY RUN" if self.dry_run else ""
        self.context_line = " · ".join(parts)

    # --- connecting --------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="connect")
    def connect(self, target: AwsTarget) -> None:
        """Build AWS access for `target`, check who we are and list unfinished sessions."""
        if self.preparation is not None:
            target = self.preparation.target()  # the demo: waits until its sample account is seeded
        access = self.access_factory(target, self.prompt_mfa)
        backend = Backend(
            access, journal_spec=self.journal_spec, cutover_settings=self.cutover_settings, cutover_clock=self.cutover_clock
        )
        identity = backend.identity()
        sessions = backend.open_sessions()
        # Import the later screens here, off the UI thread, so opening one never stalls the event loop
        # (and before Connected, so a quick "n" never waits on the import lock held by this thread).
        import v6wizard.tui.screens.choose  # noqa: F401
        import v6wizard.tui.screens.cutover  # noqa: F401
        import v6wizard.tui.screens.plan  # noqa: F401
        import v6wizard.tui.screens.step  # noqa: F401

        self.call_from_thread(self._set_backend, backend)
        self.post_message(Connected(identity, sessions, backend.journal.location))
        if self.freeze_heap:
            # boto3, the service models and these screens live as long as the process: keep full
            # collections from walking them (one took ~200 ms of GIL during discovery).
            gc.freeze()
        # After the account is shown, while the operator reads the start screen: the discovery helper
        # process loads boto3 and the EC2/Lambda clients, so it is warm when a VPC is picked.
        backend.start_discovery()

    def _set_backend(self, backend: Backend) -> None:
        if self.backend is not None and self.backend is not backend:
            self.backend.close()
        self.backend = backend
        self.target = backend.target

    def prompt_mfa(self, prompt: str) -> str:
        """Called by botocore on a worker thread: ask on the UI thread and wait for the answer."""
        answer: list[str] = []
        done = threading.Event()

        def dismissed(code: str | None) -> None:
            answer.append(code or "")
            done.set()

        self.call_from_thread(self.push_screen, MfaDialog(prompt), dismissed)
        done.wait()
        if not answer[0]:
            raise CredentialsError("No MFA code was given, so the profile's role was not assumed; connect again to retry.")
        return answer[0]

    @on(Connected)
    def _connected(self, message: Connected) -> None:
        self.identity = message.identity
        self.journal_location = message.journal_location
        self._refresh_context()
        for screen in self.screen_stack:
            if isinstance(screen, ConnectionAware):
                screen.connection_changed(message)

    # --- session state -------------------------------------------------------------

    def use_plan(self, plan: Plan, session_id: str | None = None, state: Any | None = None, *, inspect: bool = False) -> None:
        self.plan = plan
        self.session_id = session_id
        self.session_state = state
        self.statuses = step_statuses(plan, state)
        self.reviewed = set(getattr(state, "reviewed", ()))
        self.inspecting = inspect
        self._refresh_context()

    @property
    def read_only(self) -> bool:
        """Dry run, or a session opened with Inspect: apply keys are hidden, not dead."""
        return self.dry_run or self.inspecting

    # --- engine runs -----------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group=ENGINE_GROUP)
    def run_engine(self, verb: str, reply_to: MessagePump, step: str | None = None, until: str | None = None) -> None:
        """apply/resume/rollback/skip (or cutover) through the engine; events go to `reply_to`.

        `step` limits apply, rollback and skip to one step; `until` makes apply stop after that step.
        """
        assert self.backend is not None and self.plan is not None
        engine = self.backend.engine(lambda event: reply_to.post_message(EngineEventMessage(event)))
        reviewed = set(self.reviewed)
        session_id = self.session_id
        if session_id is None:
            session_id = engine.start(self.plan).id
            self.call_from_thread(setattr, self, "session_id", session_id)
        if reviewed:
            from v6wizard.engine.review import acknowledge_review

            acknowledge_review(self.backend.journal, engine.state(session_id), self.plan, reviewed)
        try:
            if verb == "apply":
                engine.apply(session_id, only=[step] if step else None, until=until)
            elif verb == "resume":
                engine.resume(session_id)
            elif verb == "rollback":
                engine.rollback(session_id, step=step)
            elif verb == "skip":
                engine.skip(session_id, step)
            else:
                raise ValueError(f"unknown engine verb {verb!r}")
        finally:
            state = engine.state(session_id)
            self.call_from_thread(self._record_state, state)
            reply_to.post_message(RunFinished(session_id, verb, state))

    def _record_state(self, state: Any) -> None:
        self.session_state = state
        self.touched[state.session.id] = state
        if self.plan is not None:
            self.statuses = step_statuses(self.plan, state)
            self.reviewed |= set(getattr(state, "reviewed", ()))

    @property
    def engine_running(self) -> bool:
        return any(w.group == ENGINE_GROUP and w.is_running for w in self.workers)

    # --- failures, theme, quitting ---------------------------------------------------

    @on(Worker.StateChanged)
    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's workers' state changes, and those screens forward (see ReportsWorkerFailures): a failure opens the error dialog."""
        if event.worker.group == ENGINE_GROUP:
            self.screen.refresh_bindings()
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if self._quitting and isinstance(error, Cancelled):
            return  # the operator asked for this stop; _exit_when_stopped ends the app
        if isinstance(error, CutoverAborted):
            self.notify(str(error))  # the operator's own stop: said once (the cutover screen's title), no error dialog
            return
        if not isinstance(error, V6WizardError):
            from v6wizard.aws.errors import translate

            error = translate(error, self.target) if error is not None else V6WizardError("The task failed.")
        title, text = error_title(error), error.for_face("tui")
        # A refusal (bad input) changed nothing: its own hint says what to do, not "fix the cause, then resume".
        refused = event.worker.group == ENGINE_GROUP and isinstance(error, BadInput)
        next_step = "Nothing was changed." if refused else _next_step(event.worker.group, self.session_id)
        self.push_screen(ErrorDialog(title, text, next_step=next_step))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers every enabled binding of the current screen, so keys are discoverable there too."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen or binding.system:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                f"{binding.description} ({binding.key_display or binding.key})",
                binding.tooltip or binding.description,
                partial(self.run_action, binding.action, active.node),
            )

    def action_help(self) -> None:
        from v6wizard.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 (a priority key) reaches the app before the help's own close key
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    async def action_quit(self) -> None:
        if not self.engine_running:
            self.exit(0)
            return
        self.push_screen(
            ConfirmDialog(
                "Stop the run?",
                quit_question(self.demo),
                yes="Stop after this action",
            ),
            self._stop_then_quit,
        )

    def _stop_then_quit(self, stop: bool | None) -> None:
        if not stop or self.backend is None:
            return
        self._quitting = True
        self.backend.cancel.set()
        self.notify("Stopping after the current action…")
        self._exit_when_stopped()

    @work(exclusive=True, group="quit")
    async def _exit_when_stopped(self) -> None:
        for worker in [w for w in self.workers if w.group == ENGINE_GROUP]:
            try:
                await worker.wait()
            except WorkerFailed:
                pass  # reported by worker_state_changed (or the Cancelled we asked for)
        self.exit(0)

    def on_unmount(self) -> None:
        if self.backend is not None:
            self.backend.close()


def error_title(error: BaseException) -> str:
    """The error's kind in words: AwsCallFailed -> "AWS call failed"."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(error).__name__).lower().split() or ["error"]
    words[0] = words[0].capitalize()
    return " ".join(_ACRONYMS.get(word.lower(), word) for word in words)


_ACRONYMS = {"aws": "AWS", "mfa": "MFA", "vpc": "VPC"}


def _next_step(group: str, session_id: str | None) -> str:
    if group == ENGINE_GROUP and session_id:
        return (
            f"The session {session_id} is resumable: fix the cause, then resume it from the start screen "
            f"or run `v6wizard resume {session_id} --yes`; `v6wizard rollback {session_id} --yes` undoes it."
        )
    if group == "connect":
        return "Pick another profile or region (press c), or refresh your credentials and try again."
    return "Nothing was changed. Try again, or press escape to go back."


def make_app(
    target: AwsTarget,
    *,
    journal_spec: str | None = None,
    dry_run: bool = False,
    demo: bool = False,
    access_factory: AccessFactory | None = None,
    cutover_settings: Any | None = None,
    cutover_clock: Any | None = None,
    preparation: Any | None = None,
) -> WizardApp:
    """The wizard, as the CLI, the demo and the tests build it.

    `access_factory` builds AwsAccess (tests add botocore event hooks); `cutover_settings`
    and `cutover_clock` reach the engine's cutover (tests poll fast on a fake clock).
    """
    return WizardApp(
        target,
        journal_spec=journal_spec,
        dry_run=dry_run,
        demo=demo,
        access_factory=access_factory,
        cutover_settings=cutover_settings,
        cutover_clock=cutover_clock,
        preparation=preparation,
    )


def freeze_start_up_heap() -> None:
    """Move every object alive now (imported modules; in the demo, the emulator's moto) out of the collector's sight.

    They live as long as the process, yet each full collection would walk them all: with
    the demo's emulator loaded that put several hundred milliseconds of collections into
    the first frame. Called once per process, just before the app runs; an app with
    `freeze_heap` set freezes again once its connect worker has loaded boto3. Tests never
    call it: their many apps per process would stay in memory.
    """
    gc.collect()
    gc.freeze()


def run_app(target: AwsTarget, *, journal_spec: str | None = None, dry_run: bool = False, demo: bool = False, preparation: Any | None = None) -> int:
    """Run the wizard in this terminal until the operator quits; returns the exit code."""
    settings = None
    if demo:
        from v6wizard.constants import DEMO_POLL_SECONDS
        from v6wizard.engine.cutover import CutoverSettings

        settings = CutoverSettings(poll_interval=DEMO_POLL_SECONDS)
    app = make_app(target, journal_spec=journal_spec, dry_run=dry_run, demo=demo, cutover_settings=settings, preparation=preparation)
    app.freeze_heap = True
    freeze_start_up_heap()
    code = app.run() or 0
    print(after_quit(app), end="")
    return code
