"""From Start to the completion page: the safety notice, the optional "before" step, the player and the end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog

from massage_guide import resources
from massage_guide.core.i18n import N_, _
from massage_guide.core.library import Library
from massage_guide.core.model import Routine
from massage_guide.core.settings import Settings

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore
    from massage_guide.ui.completion_page import CompletionPage
    from massage_guide.ui.main_window import MainWindow
    from massage_guide.ui.player_page import PlayerPage
    from massage_guide.ui.session_controller import SessionController

log = logging.getLogger(__name__)

# What "Preview voice" says: the voice's pace and tone, on words like those of a session.
PREVIEW_SENTENCE = N_("Let your shoulders drop, and breathe out slowly. This is how I will guide you.")
# Shown before the first session when docs/safety.md cannot be read.
SAFETY_FALLBACK = N_(
    "# Before you start\n\nMassage Guide is not medical advice. Do not massage over injuries, infections, "
    "fresh bruises or varicose veins, and stop if you feel sharp pain, numbness or tingling."
)


class SessionPagesController(QObject):
    """Builds the player and completion pages and takes a routine from Start to its end; the session
    controller (built on first use) keeps the time and the record.

    Signals: ``session_created(object)`` when the session controller is first built;
    ``session_ended(object)`` (its SessionSummary) once the completion page shows it;
    ``routine_left(str)`` ("Not now" on the "before" step: back to that routine); ``mini_requested()`` from
    the player's mini button; ``change_requested(str, object)`` (a setting to save: mute, the safety notice)."""

    session_created = Signal(object)
    session_ended = Signal(object)
    routine_left = Signal(str)
    mini_requested = Signal()
    change_requested = Signal(str, object)

    def __init__(
        self,
        *,
        window: MainWindow,
        library: Library,
        settings: Callable[[], Settings],
        session_factory: Callable[[], SessionController],
        language: str,
        ask_safety: Callable[[str], bool] | None = None,
        sound_missing: Callable[[], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.library = library
        self._settings = settings
        self._session_factory = session_factory
        self._session: SessionController | None = None
        self.language = language
        self.history: HistoryStore | None = None
        self._ask_safety = ask_safety or self._safety_dialog
        # Whether the sound service found no device (asked when a session is shown).
        self._sound_missing = sound_missing or (lambda: False)
        # The session waiting on the player's optional "before" step: routine id, voice on, ambience on.
        self._pending: tuple[str, bool, bool] | None = None
        # The last session's summary, on the completion page (shown again there in a new language).
        self._summary: Any = None
        window.add_page("player", self._make_player)
        window.add_page("completion", self._make_completion)

    @property
    def session(self) -> SessionController:
        """The session controller, built on first use: the engine and its timer stay off the first paint."""
        if self._session is None:
            session = self._session_factory()
            session.configure(self._settings())
            session.set_history(self.history)
            session.session_finished.connect(self._session_ended)
            session.session_stopped.connect(self._session_ended)
            session.problem.connect(self.window.set_status)
            session.session_started.connect(self._show_sound_missing)
            self._session = session
            self.session_created.emit(session)
        return self._session

    def session_running(self) -> bool:
        return self._session is not None and self._session.is_running()

    # -- pages, built when first shown ---------------------------------------------------------------------
    def _make_player(self) -> PlayerPage:
        from massage_guide.ui.player_page import PlayerPage

        page = PlayerPage()
        page.mute_toggled.connect(lambda muted: self.change_requested.emit("muted", muted))
        page.begin_requested.connect(self._begin_pending)
        page.back_requested.connect(self._leave_before_step)
        page.mini_requested.connect(self.mini_requested)
        self.session.attach(page)
        return page

    def _show_sound_missing(self, _routine: Routine) -> None:
        if self.window.has_page("player"):
            cast("PlayerPage", self.window.page("player")).set_sound_missing(self._sound_missing())

    def _make_completion(self) -> CompletionPage:
        from massage_guide.ui.completion_page import CompletionPage

        page = CompletionPage()
        page.feedback_submitted.connect(self.session.record_feedback)
        page.done_requested.connect(lambda: self.window.show_page("library"))
        page.sleep_timer_cancel_requested.connect(self.session.cancel_sleep_timer)
        return page

    # -- the journey ---------------------------------------------------------------------------------------
    def start_routine(
        self, routine_id: str, voice: bool = True, ambience: bool = True, *, ask_tension: bool = False
    ) -> bool:
        """Start a session, after the safety notice the first time. False if it did not start.

        With ``ask_tension`` (Start on the detail page) the player first shows its optional "before" step,
        and the session begins when the person presses Begin; reminders and ``--start`` begin at once."""
        routine = self.library.get(routine_id)
        if routine is None:
            self.window.set_status(_("There is no routine called '{routine}'.").format(routine=routine_id))
            return False
        if self.session.is_running():
            self.window.show_page("player")
            return False
        if not self._settings().safety_notice_seen:
            if not self._ask_safety(_safety_text(self.language)):
                return False
            self.change_requested.emit("safety_notice_seen", True)
        if ask_tension:
            player = cast("PlayerPage", self.window.page("player"))
            self._pending = (routine_id, voice, ambience)
            player.show_before(routine, self.language)
            self.window.show_page("player")
            return True
        self._pending = None
        self.window.show_page("player")
        self.session.start(routine, voice=voice, ambience=ambience)
        return True

    def _begin_pending(self, tension_before: object) -> None:
        """Begin pressed on the "before" step: start the session with the tension rated (or None)."""
        pending, self._pending = self._pending, None
        routine = None if pending is None else self.library.get(pending[0])
        if pending is None or routine is None or self.session.is_running():
            return
        before = tension_before if isinstance(tension_before, int) else None
        self.session.start(routine, voice=pending[1], ambience=pending[2], tension_before=before)

    def _leave_before_step(self) -> None:
        """Not now (or Esc) on the "before" step: back to the routine, nothing recorded."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self.routine_left.emit(pending[0])
        else:
            self.window.show_page("library")

    def _session_ended(self, summary: Any) -> None:
        self._summary = summary
        completion = cast("CompletionPage", self.window.page("completion"))
        completion.show_summary(summary, self.language)
        completion.set_sleep_timer(self.session.sleep_timer_running())
        self.window.show_page("completion")
        self.session_ended.emit(summary)

    def prepare_voice(self, routine: Routine) -> None:
        """A routine's page opened: render its first words now, so they are ready by the time Start is pressed."""
        if not self.session.is_running():
            self.session.warm_up_sound()  # pygame loads now, not while an app in the tray waits
        if self._settings().voice_enabled and not self.session.is_running():
            self.session.prepare_voice(routine)

    def preview_voice(self) -> None:
        """Settings' "Preview voice": a sentence like those of a session, with the person's voice settings."""
        self.session.preview_voice(_(PREVIEW_SENTENCE))

    # -- a new language ------------------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """Speak ``language`` from the next session on (never called while one runs)."""
        self.language = language
        if self._session is not None:
            self._session.set_language(language)

    def release_player(self) -> None:
        """The player page is about to be built again (a new language): the session stops feeding it."""
        if self._session is not None and self.window.has_page("player"):
            self._session.detach(cast("PlayerPage", self.window.page("player")))

    def show_again(self) -> None:
        """The pages were built again: the completion page, if on screen, shows its session again."""
        if self.window.current_page_name() == "completion" and self._summary is not None:
            completion = cast("CompletionPage", self.window.page("completion"))
            completion.show_summary(self._summary, self.language)
            completion.set_sleep_timer(self.session.sleep_timer_running())

    # -- settings and history ------------------------------------------------------------------------------
    def apply_settings(self, settings: Settings) -> None:
        """Sound, motion and the countdown follow the settings at once, mid-session too (attached views)."""
        if self._session is not None:
            self._session.configure(settings)

    def set_history(self, history: HistoryStore | None) -> None:
        self.history = history
        if self._session is not None:
            self._session.set_history(history)

    def shutdown(self) -> None:
        """The window is closing: a running session is recorded as stopped, a rating or note typed on the
        completion page is kept."""
        if self._session is not None and self._session.is_running():
            self._session.stop()
        if self.window.has_page("completion"):
            cast("CompletionPage", self.window.page("completion")).submit()

    def _safety_dialog(self, text: str) -> bool:
        from massage_guide.ui.safety_dialog import SafetyNoticeDialog

        dialog = SafetyNoticeDialog(text, self.window)
        return dialog.exec() == QDialog.DialogCode.Accepted


def _safety_text(language: str) -> str:
    """docs/safety.md (or its translation) without its top heading: the dialog has its own title."""
    try:
        text = resources.safety_notice_file(language).read_text(encoding="utf-8")
        first, _sep, rest = text.partition("\n")
        return rest.lstrip() if first.startswith("# ") else text
    except OSError:
        return _(SAFETY_FALLBACK)
