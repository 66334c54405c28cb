"""Composition root: builds the QApplication, the services, the controllers and the main window."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from massage_guide import paths as paths_module
from massage_guide.core.i18n import _, user_language
from massage_guide.core.library import Library, audio_dirs, load_library
from massage_guide.core.ports import AudioPort
from massage_guide.core.settings import Settings, SettingsStore
from massage_guide.ui.app_controller import AppController
from massage_guide.ui.main_window import MainWindow
from massage_guide.ui.reminder_controller import local_now
from massage_guide.ui.settings_controller import first_look
from massage_guide.ui.single_instance import InstanceServer, send_to_running, server_name

if TYPE_CHECKING:
    from datetime import datetime

    from massage_guide.core.history import HistoryStore
    from massage_guide.core.reminders import PresenceProbe
    from massage_guide.ui.break_prompt import BreakPromptWindow
    from massage_guide.ui.office import OfficeBreaks
    from massage_guide.ui.session_controller import SessionController

log = logging.getLogger(__name__)
# state.json holds the window geometry: well under a KiB.
STATE_MAX_BYTES = 64 * 1024


@dataclass
class App:
    """Everything main() builds, so tests can build the same thing and look inside."""

    qt: QApplication
    paths: paths_module.Paths
    settings_store: SettingsStore
    library: Library
    window: MainWindow
    controller: AppController
    language: str
    clock: Callable[[], float] = time.monotonic
    history: HistoryStore | None = None
    messages: list[str] = field(default_factory=list)
    # The sound service, built when first needed (after the first paint): importing it and probing for a
    # speech engine have no business on the way to the first window. Tests hand in SilentAudio here.
    audio_override: AudioPort | None = None
    _audio: AudioPort | None = field(default=None, init=False, repr=False)
    office: OfficeBreaks | None = None  # reminders, tray, mini player (issue 12)
    quit_policy: QuitPolicy | None = None  # what closing the window means: to the tray, or quit
    # New, Edit, Duplicate, Import and Export of routines (ui.editor.launcher.RoutineEditing).
    editing: Any = None

    @property
    def audio(self) -> AudioPort:
        if self._audio is None:
            self._audio = self.audio_override or _real_audio(self.paths, self.settings_store, self.language)
        return self._audio

    def sound_missing(self) -> bool:
        """Whether the sound service reported that no sound device opened (the session will be silent)."""
        if self._audio is None:
            return False
        from massage_guide.services.audio import NO_DEVICE_MESSAGE

        return _(NO_DEVICE_MESSAGE) in self._audio.problems()

    def make_session(self) -> SessionController:
        from massage_guide.ui.session_controller import SessionController

        return SessionController(audio=self.audio, history=None, clock=self.clock, language=self.language)

    def open_history(self) -> None:
        """Open the history (after the first paint): marks crashed sessions interrupted, shows any notice."""
        from massage_guide.core.history import HistoryError, HistoryStore
        from massage_guide.core.history_faults import storage_reason

        try:
            store, messages = HistoryStore.open(self.paths.history_file, full_check=True)
        except HistoryError as exc:
            self.notify(str(exc))
            return
        except Exception as exc:
            log.exception("history could not be opened")
            self.notify(
                _(
                    "Your history could not be opened ({error}); sessions will not be recorded this time."
                ).format(error=storage_reason(exc))
            )
            return
        store.recover_interrupted()
        self.history = store
        for message in messages:
            self.notify(message)
        self.controller.set_history(store)
        if self.office is not None:
            self.office.reminders.set_history(store)

    def finish_start(self, start_routine: str | None = None, edit_routine: str | None = None) -> None:
        """Everything after the first paint: the library page, sound, the history, a requested routine."""
        if self.window.current_page_name() == "welcome":
            self.window.show_page("library")
        # Sound and history start once the library has painted: pygame's import on the audio thread would
        # otherwise compete with that paint for the interpreter.
        _AfterPaint(self.controller.library_page, lambda: self._start_services(start_routine, edit_routine))

    def _start_services(
        self, start_routine: str | None, edit_routine: str | None = None, mini: bool = False
    ) -> None:
        # No sound yet: pygame is imported when a routine's page opens or a session starts (warm_up), so an
        # app left in the tray never loads it.
        self.open_history()
        if start_routine and mini and self.office is not None:
            self.office.start_break(start_routine, mini=True)
        elif start_routine:
            self.controller.start_routine(start_routine)
        if self.editing is not None:
            self.editing.offer_drafts()
            if edit_routine:
                self.editing.edit(edit_routine)

    def start_mini(self, start_routine: str) -> None:
        """``--start ID --mini``: the main window stays hidden; the break opens in the mini player."""
        self._start_services(start_routine, mini=True)

    def start_background(self) -> None:
        """``--background`` (start at login): the tray and the reminders only; no pages, no sound yet."""
        self.open_history()
        if self.office is not None:
            self.office.start_in_background()

    @property
    def session(self) -> SessionController:
        return self.controller.session

    def notify(self, message: str) -> None:
        self.messages.append(message)
        self.window.set_status(message)

    def read_state(self) -> dict[str, Any]:
        try:
            from massage_guide.core.files import read_regular

            # A regular file of a few KiB only: a pipe or a device there must not hang the app.
            state = json.loads(read_regular(self.paths.state_file, STATE_MAX_BYTES))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def save_state(self, **extra: Any) -> None:
        state = {**self.read_state(), "geometry": self.window.geometry_bytes().hex(), **extra}
        try:
            self.paths.state_file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.paths.state_file.with_suffix(".tmp")
            temporary.write_text(json.dumps(state), encoding="utf-8")
            temporary.replace(self.paths.state_file)
        except OSError as exc:
            log.info("window state not saved: %s", exc)

    def restore_state(self) -> None:
        try:
            from massage_guide.core.files import read_regular

            # A regular file of a few KiB only: a pipe or a device there must not hang the start.
            state = json.loads(read_regular(self.paths.state_file, STATE_MAX_BYTES))
            self.window.restore_geometry_bytes(bytes.fromhex(state.get("geometry", "")))
        except (OSError, ValueError, AttributeError):
            pass

    def close(self) -> None:
        self.controller.settings_controller.shutdown()
        if self.office is not None:
            self.office.shutdown()
        if self._audio is not None:
            self._audio.close()
        if self.history is not None:
            self.history.close()


def build(
    qt: QApplication,
    *,
    paths: paths_module.Paths | None = None,
    clock: Callable[[], float] = time.monotonic,
    audio: AudioPort | None = None,
    ask_safety: Callable[[str], bool] | None = None,
    background: bool = False,
    tray_available: bool | None = None,
    probe: PresenceProbe | None = None,
    wall: Callable[[], datetime] | None = None,
    prompt_factory: Callable[[], BreakPromptWindow] | None = None,
) -> App:
    """Build the app as main() does; ``audio`` replaces the real service (tests pass SilentAudio).

    ``tray_available``, ``probe``, ``wall`` and ``prompt_factory`` let tests decide what the desktop offers."""
    paths = paths or paths_module.resolve()
    settings_store = SettingsStore(paths.settings_file, cache_file=paths.cache_dir / "settings.json")
    settings = settings_store.settings
    from massage_guide.ui import language as gui_language

    # Before any widget is built: every page reads its words from the active catalogue as it is made.
    language = gui_language.install(qt, user_language(settings.language))
    wall = wall or local_now
    first_look(qt, settings, wall())
    library = load_library(paths)
    window = MainWindow()

    controller = AppController(
        window=window,
        library=library,
        settings_store=settings_store,
        # Late-bound: ``app`` exists by the time anyone asks for a session.
        session_factory=lambda: app.make_session(),  # noqa: PLW0108 - late binding is the point
        language=language,
        ask_safety=ask_safety,
        sound_missing=lambda: app.sound_missing(),  # noqa: PLW0108 - late binding, as above
        wall=wall,
    )
    app = App(qt, paths, settings_store, library, window, controller, language, clock, audio_override=audio)
    from massage_guide.ui.office import OfficeBreaks

    app.office = OfficeBreaks(
        qt=qt,
        controller=controller,
        clock=clock,
        background=background,
        tray_available=tray_available,
        probe=probe,
        wall=wall,
        prompt_factory=prompt_factory,
        tray_note_seen=lambda: bool(app.read_state().get("tray_note_shown")),
        mark_tray_note_seen=lambda: app.save_state(tray_note_shown=True),
        parent=controller,
    )
    app.quit_policy = QuitPolicy(qt, app)
    for message in settings_store.problems:
        app.notify(message)
    from massage_guide.ui.editor.launcher import install as install_routine_editing

    app.editing = install_routine_editing(app)
    controller.language_changed.connect(lambda code: _follow_language(app, code))
    return app


def _follow_language(app: App, language: str) -> None:
    """A language chosen in Settings took effect in the window: the sound service's voice, the tray and a
    break prompt follow, and problems found in routine files are found again, in its words."""
    app.language = language
    if app.office is not None:
        app.office.retranslate()
    if app.library.problems and app.editing is not None:
        app.editing.reload()


class QuitPolicy(QObject):
    """What closing the main window means, decided here and nowhere else.

    Closing the window always ends a live session (on record as stopped) and keeps a rating typed on the
    completion page. Then the app stays in the tray when the tray icon is shown (reminders on, or started
    with ``--background``), and says so once; otherwise it quits when its last window has closed (an open
    routine editor or mini player keeps it going until they close too). The tray's Quit always quits, and a
    mini player closed with no window and no tray to come back to ends the app too."""

    def __init__(self, qt: QApplication, app: App) -> None:
        super().__init__(app.controller)
        self.qt = qt
        self._app = app
        self._quitting = False
        app.window.close_requested.connect(self.window_closing)
        app.controller.settings_applied.connect(self.update)
        if app.office is not None:
            app.office.quit_requested.connect(self.quit)
            app.office.mini_closed.connect(self.mini_closed)
        self.update()

    def keeps_running(self) -> bool:
        """Closing the window keeps the app running, in the tray."""
        office = self._app.office
        return not self._quitting and office is not None and office.tray_shown()

    def update(self, _settings: Settings | None = None) -> None:
        """The settings changed (reminders on or off): Qt quits on the last window closed unless in the tray."""
        self.qt.setQuitOnLastWindowClosed(not self.keeps_running())

    def window_closing(self) -> None:
        app = self._app
        app.controller.shutdown()
        app.save_state()
        if self.keeps_running() and app.office is not None:
            app.office.closed_to_tray()

    def quit(self) -> None:
        """Quit from the tray: the window closes as it would by hand (a live session stopped on record, its
        place saved), other windows close as when the system asks (the routine editor keeps its drafts)."""
        self._quitting = True
        self.update()
        if self._app.office is not None:
            self._app.office.withdraw_windows()
        self._app.window.close()
        self.qt.closeAllWindows()
        self.qt.quit()

    def mini_closed(self) -> None:
        """The mini player went away. With no window left and no tray to live in, the app ends rather than
        linger unseen (``--start ID --mini`` from a desktop without a tray)."""
        app = self._app
        if self._quitting or app.controller.session_running():
            return
        if not app.window.isVisible() and not self.keeps_running():
            self.quit()


def _real_audio(paths: paths_module.Paths, settings_store: SettingsStore, language: str) -> AudioPort:
    from massage_guide.services.audio_factory import build_audio

    settings = settings_store.settings.audio(language)
    return build_audio(audio_dirs(paths), paths.speech_cache_dir, settings)


class _AfterPaint(QObject):
    """Runs a callback once, after ``widget`` has painted (or after FALLBACK_MS if it never does, e.g. when
    the window starts minimised). A zero timer is not enough: on X11 it can fire before the expose event.
    The widget owns it (Qt parent), so it lives exactly as long as it is needed."""

    FALLBACK_MS = 1500

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            # Queued, so the paint itself finishes first.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if self._callback is None:
            return
        callback, self._callback = self._callback, None
        self._widget.removeEventFilter(self)
        callback()


def _install_signal_handlers(qt: QApplication, quit_app: Callable[[], None]) -> QSocketNotifier | None:
    """Quit cleanly on SIGINT/SIGTERM (``quit_app``: as the tray's Quit, never to the tray): Python handlers
    only run when Python has control, so a socket wakes Qt."""
    import socket

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    try:
        signal.set_wakeup_fd(writer.fileno())
    except ValueError:  # not the main thread
        return None
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: None)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, qt)

    def on_signal() -> None:
        with contextlib.suppress(OSError):
            reader.recv(64)
        quit_app()

    notifier.activated.connect(on_signal)
    # Keep the sockets alive as long as the notifier.
    notifier.setProperty("sockets", (reader, writer))
    return notifier


def main(
    start_routine: str | None = None,
    argv: list[str] | None = None,
    *,
    mini: bool = False,
    background: bool = False,
    edit_routine: str | None = None,
) -> int:
    """Run the desktop app; a second launch hands over to the first and exits."""
    logging.basicConfig(level=os.environ.get("MASSAGE_GUIDE_LOG", "WARNING").upper())
    paths = paths_module.resolve()
    qt = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(qt, QApplication)
    qt.setApplicationName("Massage Guide")
    qt.setApplicationDisplayName("Massage Guide")
    qt.setDesktopFileName("massage-guide")

    name = server_name(str(paths.data_dir))
    message: dict[str, Any] = {"start": start_routine} if start_routine else {}
    if start_routine and mini:
        message["mini"] = True
    if background:
        message["background"] = True
    if edit_routine:
        message["edit"] = edit_routine
    if send_to_running(name, message):
        return 0
    server = InstanceServer(name)
    server.listen()

    from massage_guide.ui import app_icon

    qt.setWindowIcon(app_icon.icon())
    app = build(qt, paths=paths, background=background)
    assert app.office is not None
    server.message_received.connect(app.office.handle_message)
    server.message_received.connect(app.editing.handle_message)
    app.restore_state()
    assert app.quit_policy is not None
    notifier = _install_signal_handlers(qt, app.quit_policy.quit)
    first_paint: object = None
    if background:
        QTimer.singleShot(0, app.start_background)
    elif start_routine and mini:
        QTimer.singleShot(0, lambda: app.start_mini(start_routine))
    else:
        app.window.show_fitted()
        first_paint = _AfterPaint(app.window, lambda: app.finish_start(start_routine, edit_routine))
    code = qt.exec()
    app.close()
    server.close()
    del notifier, first_paint
    return code
