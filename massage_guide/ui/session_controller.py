"""The session controller: runs a Session on a precise timer, feeds the attached views and signals its events."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, QObject, Qt, QTimer, Signal

from massage_guide.core.engine import (
    Event,
    SessionEngine,
    SessionFinished,
    SessionStarted,
    SessionStopped,
    Snapshot,
    State,
    StepStarted,
)
from massage_guide.core.history_faults import storage_reason
from massage_guide.core.i18n import _
from massage_guide.core.model import Routine
from massage_guide.core.ports import AudioPort, AudioSettings, HistoryPort
from massage_guide.core.session import Session, finished_status, sleep_fade_minutes
from massage_guide.core.settings import Settings
from massage_guide.core.sleep_timer import SleepTimer
from massage_guide.core.spoken import first_words, speech_language
from massage_guide.ui.session_view import FullSessionView

if TYPE_CHECKING:
    from massage_guide.ui.session_view import SessionView

log = logging.getLogger(__name__)

# While the breathing pacer animates, the screen is refreshed this often: smooth enough for a slow
# circle, and only on breathing steps (MEASURED.md: a 100 ms tick costs ~1% of a core).
BREATH_FRAME_SECONDS = 0.1
# Stopping the sleep timer by hand still fades, briefly, so the silence does not arrive as a jolt.
SLEEP_CANCEL_FADE_SECONDS = 2.0


@dataclass(frozen=True)
class SessionSummary:
    """How a session ended, for the completion page."""

    session_id: str | None
    routine: Routine
    status: str  # "completed" or "stopped"
    active_seconds: float
    steps_completed: int
    steps_total: int
    tension_before: int | None = None  # rated at the start, if the person chose to


class SessionController(QObject):
    """Drives one session at a time for the views attached to it (the player page, the mini player).

    Signals: session_started(Routine), snapshot_changed(Snapshot), step_started(int, Step),
    session_finished(SessionSummary), session_stopped(SessionSummary), problem(str) (a message to show
    once), muted_changed(bool), sleep_timer_changed(bool).

    Time comes from ``clock``; the timer only says "look now". It is a precise single shot armed to the
    engine's next visible change (the next whole second, a breath phase, the step's end), or every
    BREATH_FRAME_SECONDS while the breathing pacer animates, and not at all while paused."""

    session_started = Signal(object)
    snapshot_changed = Signal(object)
    step_started = Signal(int, object)
    session_finished = Signal(object)
    session_stopped = Signal(object)
    problem = Signal(str)
    muted_changed = Signal(bool)
    sleep_timer_changed = Signal(bool)  # the ambience fading on after a finished routine: running or not

    def __init__(
        self,
        *,
        audio: AudioPort,
        history: HistoryPort | None,
        clock: Callable[[], float] = time.monotonic,
        language: str = "en",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._audio = audio
        self._history = history
        self._clock = clock
        self._language = language
        # The voice's language: the user's, or English for a routine without their translation.
        self._speech_language = language
        self._settings = Settings()
        self._session: Session | None = None
        self._tension_before: int | None = None
        self._voice = True
        self._ambience = True
        self._muted = False
        self._volume = 100  # the player's slider: a share of each of the user's own volumes
        self._told: set[str] = set()
        # Each attached view, with the connections carrying its requests here (undone when it detaches).
        self._views: dict[SessionView, list[QMetaObject.Connection]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_timer)
        # The sleep timer of the last session (core.sleep_timer), and a timer that wakes at its end.
        self._sleep: SleepTimer | None = None
        self._sleep_end = QTimer(self)
        self._sleep_end.setSingleShot(True)
        self._sleep_end.timeout.connect(self._check_sleep_timer)

    # --- settings -------------------------------------------------------------------------------------

    def configure(self, settings: Settings) -> None:
        """Take the user's settings; sound changes apply at once, even mid-session."""
        self._settings = settings
        self._muted = settings.muted
        self._audio.configure(self._audio_settings())
        for view in self._views:
            view.set_hide_time_left(settings.hide_time_left)
            if isinstance(view, FullSessionView):
                view.set_reduced_motion(settings.reduced_motion)
                view.set_muted(settings.muted)
        if self._session is not None:
            self.refresh()

    def set_language(self, language: str) -> None:
        """Speak and show ``language`` from the next session on (the voice too); a running one keeps its own."""
        self._language = language
        if not self.is_running():
            self._audio.configure(self._audio_settings())

    def _audio_settings(self) -> AudioSettings:
        base = self._settings.audio(self._speech_language)
        share = self._volume / 100
        return replace(
            base,
            ambience_volume=base.ambience_volume * share,
            cue_volume=base.cue_volume * share,
            voice_volume=base.voice_volume * share,
            muted=self._muted,
            voice_enabled=base.voice_enabled and self._voice,
            ambience_enabled=base.ambience_enabled and self._ambience,
        )

    def set_history(self, history: HistoryPort | None) -> None:
        """Use ``history`` from the next session on (the app opens it after the first paint)."""
        self._history = history

    # --- requests -------------------------------------------------------------------------------------

    def start(
        self,
        routine: Routine,
        *,
        voice: bool = True,
        ambience: bool = True,
        tension_before: int | None = None,
    ) -> None:
        """Begin a session of ``routine``; a session still running is stopped (and recorded) first.
        ``tension_before`` (0-10, optional) is saved on the record at once, so a crash cannot lose it."""
        if self.is_running():
            self.stop()
        self._tension_before = tension_before
        self._voice, self._ambience = voice, ambience
        self._end_sleep_timer()  # the new session's ambience takes over from the one fading
        self._speech_language = speech_language(routine, self._language)
        self._audio.configure(self._audio_settings())
        engine = SessionEngine(routine.steps, self._clock)
        sleep_minutes = sleep_fade_minutes(routine, self._settings.sleep_fade_minutes)
        self._sleep = (
            SleepTimer(self._audio, self._clock, sleep_minutes * 60.0) if sleep_minutes > 0 else None
        )
        self._session = Session(
            routine,
            engine,
            self._audio,
            self._history,
            language=self._language,
            ambience=self._settings.ambience_for(routine.ambience),
            sleep_timer=self._sleep,
        )
        self._process(self._session.start())
        session_id = self._session.session_id
        if tension_before is not None and session_id is not None:
            self.record_feedback(session_id, tension_before, None, None)

    def toggle_pause(self) -> None:
        if self._session is not None:
            self._process(self._session.toggle_pause())

    def pause(self) -> None:
        if self._session is not None:
            self._process(self._session.pause())

    def resume(self) -> None:
        if self._session is not None:
            self._process(self._session.resume())

    def next_step(self) -> None:
        if self._session is not None:
            self._process(self._session.next())

    def previous_step(self) -> None:
        if self._session is not None:
            self._process(self._session.previous())

    def extend_step(self) -> None:
        if self._session is not None:
            self._process(self._session.extend())  # core.engine.EXTEND_SECONDS

    def stop(self) -> None:
        """End the session early; it is recorded as stopped."""
        if self._session is not None:
            self._process(self._session.stop())  # quick, never the sleep fade: that follows only an end

    def set_muted(self, muted: bool) -> None:
        self._muted = muted
        self._audio.configure(self._audio_settings())
        for view in self._full_views():
            view.set_muted(muted)
        self.muted_changed.emit(muted)

    def set_volume(self, percent: int) -> None:
        """Scale every volume to ``percent`` of the user's settings, for this run of the app."""
        self._volume = max(0, min(100, int(percent)))
        self._audio.configure(self._audio_settings())

    def preview_voice(self, text: str) -> None:
        """Say ``text`` with the user's voice settings (Settings' "Preview voice"); not during a session."""
        if self.is_running():
            return
        self._speech_language = self._language
        self._audio.configure(self._audio_settings())
        self._audio.speak(text)

    def warm_up_sound(self) -> None:
        """Load the sound library in the background: a session may start soon (a routine's page opened)."""
        self._audio.warm_up()

    def prepare_voice(self, routine: Routine) -> None:
        """Render a routine's first words before its session starts (the natural voice takes seconds)."""
        if self.is_running():  # the voice is busy with, and set up for, the running session
            return
        self._speech_language = speech_language(routine, self._language)
        self._audio.configure(self._audio_settings())
        self._audio.prefetch_speech(first_words(routine, self._speech_language))

    def sleep_timer_running(self) -> bool:
        """The ambience is still fading out after a finished routine (settings.sleep_fade_minutes)."""
        left = self.sleep_timer_seconds_left()
        return left is not None and left > 0

    def sleep_timer_seconds_left(self) -> float | None:
        return None if self._sleep is None else self._sleep.seconds_left()

    def cancel_sleep_timer(self) -> None:
        """Stop the sound that plays on after the routine, now (with a short fade)."""
        sleep = self._sleep
        if sleep is not None and sleep.stop_sound(SLEEP_CANCEL_FADE_SECONDS):
            self._sleep_end.stop()
            self.sleep_timer_changed.emit(False)

    def _end_sleep_timer(self) -> None:
        """A new session begins: a sleep fade still running is given up (its ambience is replaced)."""
        sleep, self._sleep = self._sleep, None
        self._sleep_end.stop()
        if sleep is not None and sleep.running():
            sleep.cancel()
            self.sleep_timer_changed.emit(False)

    def _check_sleep_timer(self) -> None:
        """At the sleep timer's end (or on any refresh): once its time is up the sound stops."""
        sleep = self._sleep
        if sleep is None:
            return
        if sleep.tick():
            self.sleep_timer_changed.emit(False)
            return
        left = sleep.seconds_left()
        if left is not None:
            self._sleep_end.start(max(1, math.ceil(left * 1000)))

    def is_running(self) -> bool:
        """A session is live: running, counting in or paused."""
        session = self._session
        return session is not None and session.engine.state in (State.RUNNING, State.LEAD_IN, State.PAUSED)

    def snapshot(self) -> Snapshot | None:
        return None if self._session is None else self._session.snapshot()

    def session(self) -> Session | None:
        return self._session

    def record_feedback(
        self, session_id: str, tension_before: int | None, tension_after: int | None, note: str | None
    ) -> None:
        """Save the completion page's ratings and note; a failure is told, never raised."""
        if self._history is None or not session_id:
            return
        try:
            self._history.set_feedback(
                session_id,
                tension_before=tension_before,
                tension_after=tension_after,
                note=note if note and note.strip() else None,
            )
        except Exception as exc:  # the session is on record already; losing a rating must not crash
            log.exception("could not save feedback")
            self._tell(
                _(
                    "Your rating and note could not be saved ({error}). The session itself is on record."
                ).format(error=storage_reason(exc))
            )

    # --- views ----------------------------------------------------------------------------------------

    def attach(self, view: SessionView) -> None:
        """Connect a view: its requests to this controller, this controller's news to it. A view attached
        while a session runs is shown that session's routine, step and countdown at once."""
        if view in self._views:
            return
        connections = [
            view.pause_requested.connect(self.pause),
            view.resume_requested.connect(self.resume),
            view.next_requested.connect(self.next_step),
            view.stop_requested.connect(self.stop),
        ]
        view.set_hide_time_left(self._settings.hide_time_left)
        if isinstance(view, FullSessionView):
            connections += [
                view.previous_requested.connect(self.previous_step),
                view.extend_requested.connect(self.extend_step),
                view.mute_toggled.connect(self.set_muted),
                view.volume_changed.connect(self.set_volume),
            ]
            view.set_reduced_motion(self._settings.reduced_motion)
            view.set_muted(self._muted)
            view.set_volume(self._volume)
        self._views[view] = connections
        session = self._session
        if session is not None and self.is_running():
            view.show_routine(session.routine, self._language)
            view.show_snapshot(session.snapshot())

    def detach(self, view: SessionView) -> None:
        """Stop feeding ``view`` and listening to it; the session runs on in the views still attached."""
        for connection in self._views.pop(view, []):
            QObject.disconnect(connection)

    def views(self) -> tuple[SessionView, ...]:
        """The views attached now, in the order they came."""
        return tuple(self._views)

    def _full_views(self) -> list[FullSessionView]:
        return [view for view in self._views if isinstance(view, FullSessionView)]

    def shutdown(self) -> None:
        """The app is closing: end a live session on record as stopped and go quiet."""
        self.stop()
        self._timer.stop()
        self._sleep_end.stop()  # the sound goes with the app (App.close closes the audio)

    # --- the clock ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Look at the clock now (what the timer does; tests call it after moving a fake clock)."""
        session = self._session
        if session is not None:
            self._process(session.tick())
        self._check_sleep_timer()

    def _on_timer(self) -> None:
        self.refresh()

    def _process(self, events: list[Event]) -> None:
        session = self._session
        if session is None:
            return
        for event in events:
            if isinstance(event, SessionStarted):
                for view in list(self._views):
                    view.show_routine(session.routine, self._language)
                self.session_started.emit(session.routine)
        started = [e for e in events if isinstance(e, StepStarted)]
        snapshot = session.snapshot()
        for view in list(self._views):
            view.show_snapshot(snapshot)
        self.snapshot_changed.emit(snapshot)
        if started:
            # On a late tick several steps may have begun; only the one running now is news.
            self.step_started.emit(started[-1].index, started[-1].step)
        for message in session.problems() + self._audio.problems():
            self._tell(message)
        for event in events:
            if isinstance(event, SessionFinished):
                # Reaching the end by skipping is not completing: the status follows what was done.
                status = finished_status(event.steps_completed, len(session.engine.steps))
                self._end(session, status, event.active_seconds, event.steps_completed, reached_end=True)
            elif isinstance(event, SessionStopped):
                self._end(session, "stopped", event.active_seconds, event.steps_completed, reached_end=False)
        if self._session is session:  # a handler above may have started the next session already
            self._arm(snapshot)

    def _end(
        self, session: Session, status: str, active_seconds: float, steps_completed: int, *, reached_end: bool
    ) -> None:
        self._timer.stop()
        summary = SessionSummary(
            session_id=session.session_id,
            routine=session.routine,
            status=status,
            active_seconds=active_seconds,
            steps_completed=steps_completed,
            steps_total=len(session.engine.steps),
            tension_before=self._tension_before,
        )
        # The sleep fade follows the routine reaching its end (Session started it), whatever the status.
        if reached_end and self._sleep is not None and self._sleep.running():
            self.sleep_timer_changed.emit(True)
            self._check_sleep_timer()
        if reached_end:
            self.session_finished.emit(summary)
        else:
            self.session_stopped.emit(summary)

    def _arm(self, snapshot: Snapshot) -> None:
        session = self._session
        delay = None if session is None else session.seconds_to_next_change()
        if delay is None:
            self._timer.stop()
            return
        animating = (
            snapshot.state is State.RUNNING
            and snapshot.breath is not None
            and not self._settings.reduced_motion
        )
        if animating:
            delay = min(delay, BREATH_FRAME_SECONDS)
        self._timer.start(max(1, math.ceil(delay * 1000)))

    def timer_interval_ms(self) -> int | None:
        """The armed timer's interval, or None when idle (for tests and the CPU bench)."""
        return self._timer.interval() if self._timer.isActive() else None

    def _tell(self, message: str) -> None:
        if message not in self._told:
            self._told.add(message)
            self.problem.emit(message)
