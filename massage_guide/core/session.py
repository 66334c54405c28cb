"""The session conductor: turns engine events into sound and history records, for the player and the GUI."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from enum import Enum

from massage_guide.core.engine import (
    EXTEND_SECONDS,
    BreathPhase,
    Event,
    LastSeconds,
    LeadInTick,
    Paused,
    Resumed,
    SessionEngine,
    SessionFinished,
    SessionStarted,
    SessionStopped,
    Snapshot,
    State,
    StepStarted,
    SwitchSide,
)
from massage_guide.core.history_faults import HistoryDeferredError, HistoryError, storage_reason
from massage_guide.core.i18n import N_, _
from massage_guide.core.model import Routine
from massage_guide.core.ports import AudioPort, Cue, HistoryPort
from massage_guide.core.sleep_timer import SleepTimer
from massage_guide.core.spoken import speech_language, spoken_words

log = logging.getLogger(__name__)

# The ambience rises gently at the start...
AMBIENCE_FADE_IN_SECONDS = 3.0
# ...lingers and fades slowly after the last step, so the end is not abrupt...
FINISH_FADE_OUT_SECONDS = 8.0
# ...and goes quickly, but without a click, when the user stops.
STOP_FADE_OUT_SECONDS = 1.5

# Shown by the terminal player at a switch; the voice names the side instead (core.spoken).
SWITCH_SIDE_TEXT = N_("Switch to the other side.")
# A ``sleep: true`` routine's ambience plays on and fades over this long, unless the user chose their own
# sleep fade (settings.sleep_fade_minutes): long enough to drift off, short enough not to play all night.
SLEEP_ROUTINE_FADE_MINUTES = 10


def sleep_fade_minutes(routine: Routine, setting_minutes: int) -> int:
    """Minutes the ambience lingers after ``routine`` ends: the user's choice, else on for sleep routines."""
    if setting_minutes > 0:
        return setting_minutes
    return SLEEP_ROUTINE_FADE_MINUTES if routine.sleep else 0


# A session that reached its end is on record as ``completed`` only when at least this share of its steps
# were done (engine.STEP_DONE_SHARE); skipping to the end is recorded as ``stopped``, so streaks and charts
# (which read the status) are not fed by sessions that did not happen.
SESSION_DONE_SHARE = 0.5


def finished_status(steps_completed: int, steps_total: int) -> str:
    """``completed`` when at least SESSION_DONE_SHARE of the steps were done, else ``stopped``."""
    if steps_total > 0 and steps_completed >= steps_total * SESSION_DONE_SHARE:
        return "completed"
    return "stopped"


class _Ambience(Enum):
    ROUTINE = "routine"


# Session(ambience=...) default: the routine's own bed. None means no ambience at all.
ROUTINE_AMBIENCE = _Ambience.ROUTINE


class Session:
    """One run of a routine: drives the engine, plays what the user should hear, keeps the record.

    Every request (start, pause, ...) and ``tick()`` returns the engine's events so a UI can render
    them. The record is begun at start, saved at every step boundary and pause, and finished, committed,
    before ``tick()`` or ``next()`` returns the SessionFinished event: the caller may show completion
    knowing the session is on record. History failures never stop a session; they land in problems().
    """

    def __init__(
        self,
        routine: Routine,
        engine: SessionEngine,
        audio: AudioPort,
        history: HistoryPort | None,
        *,
        language: str = "en",
        ambience: str | _Ambience | None = ROUTINE_AMBIENCE,
        prefetch: bool = True,
        sleep_timer: SleepTimer | None = None,
    ) -> None:
        """``ambience`` is the sound id to play, None for none, or (by default) the routine's own choice;
        the caller resolves the user's setting (Settings.ambience_for). ``prefetch`` renders the next
        step's voice ahead. With a ``sleep_timer``, a routine that reaches its end leaves its ambience
        playing and starts the timer, which fades it out (a stop the user asks for is quick as ever)."""
        self.routine = routine
        self.engine = engine
        self.audio = audio
        self.history = history
        self.language = language
        self._ambience = routine.ambience if ambience is ROUTINE_AMBIENCE else ambience
        self._prefetch = prefetch
        self.sleep_timer = sleep_timer
        self.session_id: str | None = None
        self.status = "not_started"
        self._problems: list[str] = []
        self._stop_fade = STOP_FADE_OUT_SECONDS
        steps = engine.steps
        # The same words `list --json` shows: safety at the first step, the side where a side begins; in
        # English for a routine not translated into ``language`` (spoken.speech_language).
        speech = speech_language(routine, language)
        self._spoken = tuple(
            spoken_words(steps, index, routine.cautions, speech) for index in range(len(steps))
        )
        # A routine to fall asleep to ends without the closing bowl and counts nothing down.
        self._quiet_ending = routine.sleep

    # --- Requests -----------------------------------------------------------------------------------

    def start(self) -> list[Event]:
        return self._handle(self.engine.start())

    def tick(self) -> list[Event]:
        return self._handle(self.engine.tick())

    def pause(self) -> list[Event]:
        return self._handle(self.engine.pause())

    def resume(self) -> list[Event]:
        return self._handle(self.engine.resume())

    def toggle_pause(self) -> list[Event]:
        """Pause when running or counting in, resume when paused."""
        if self.engine.state is State.PAUSED:
            return self.resume()
        return self.pause()

    def next(self) -> list[Event]:
        return self._handle(self.engine.next())

    def previous(self) -> list[Event]:
        return self._handle(self.engine.previous())

    def restart_step(self) -> list[Event]:
        return self._handle(self.engine.restart_step())

    def extend(self, seconds: float = EXTEND_SECONDS) -> list[Event]:
        return self._handle(self.engine.extend(seconds))

    def stop(self, fade_out_seconds: float = STOP_FADE_OUT_SECONDS) -> list[Event]:
        self._stop_fade = fade_out_seconds
        return self._handle(self.engine.stop())

    def snapshot(self) -> Snapshot:
        return self.engine.snapshot()

    def seconds_to_next_change(self) -> float | None:
        return self.engine.seconds_to_next_change()

    def problems(self) -> list[str]:
        """Messages for the user (history trouble); each given once, then cleared."""
        found, self._problems = self._problems, []
        return found

    # --- Event handling -----------------------------------------------------------------------------

    def _handle(self, events: list[Event]) -> list[Event]:
        # On a late tick several steps may start at once: only the last one is still true, so only it
        # is announced; the others were passed while nobody was looking.
        last_start = max((i for i, e in enumerate(events) if isinstance(e, StepStarted)), default=-1)
        session_started = any(isinstance(e, SessionStarted) for e in events)
        for position, event in enumerate(events):
            if isinstance(event, SessionStarted):
                self._on_started()
            elif isinstance(event, StepStarted):
                if not session_started:
                    self._save_progress()
                if position == last_start:
                    switched = position > 0 and isinstance(events[position - 1], SwitchSide)
                    self._announce_step(event, first=session_started, switched=switched)
            elif isinstance(event, LastSeconds):
                if not self._quiet_ending:
                    self.audio.play_cue(Cue.TEN_SECONDS)
            elif isinstance(event, BreathPhase):
                if event.phase == "inhale":
                    self.audio.play_cue(Cue.INHALE)
                elif event.phase == "exhale":
                    self.audio.play_cue(Cue.EXHALE)
            elif isinstance(event, Paused):
                self.audio.stop_voice()
                self.audio.pause()
                self._save_progress()
            elif isinstance(event, LeadInTick):
                if not self._quiet_ending:
                    self.audio.play_cue(Cue.COUNTDOWN)
            elif isinstance(event, Resumed):
                self.audio.resume()
            elif isinstance(event, SessionFinished):
                status = finished_status(event.steps_completed, len(self.engine.steps))
                self._finish_record(status, event.active_seconds, event.steps_completed)
                self.audio.stop_voice()
                if not self._quiet_ending:
                    self.audio.play_cue(Cue.SESSION_END)
                if self.sleep_timer is not None and self.sleep_timer.seconds > 0:
                    self.sleep_timer.start()
                else:
                    self.audio.stop(fade_out_seconds=FINISH_FADE_OUT_SECONDS)
            elif isinstance(event, SessionStopped):
                self._finish_record("stopped", event.active_seconds, event.steps_completed)
                self.audio.stop_voice()
                self.audio.stop(fade_out_seconds=self._stop_fade)
        return events

    def _on_started(self) -> None:
        self.status = "in_progress"
        self._guard(self._begin_record)
        self.audio.start_ambience(self._ambience, AMBIENCE_FADE_IN_SECONDS)
        self.audio.play_cue(Cue.SESSION_START)
        self._prefetch_texts(list(self._spoken[:2]))

    def _announce_step(self, event: StepStarted, *, first: bool, switched: bool) -> None:
        self.audio.stop_voice()
        if switched:
            self.audio.play_cue(Cue.SWITCH_SIDE)
        elif not first:  # the session-start sound already marks the first step
            if event.step.cue:
                self.audio.play_cue(Cue.NEXT_STEP, event.step.cue)
            else:
                self.audio.play_cue(Cue.NEXT_STEP)
        self.audio.speak(self._spoken[event.index])
        following = event.index + 1
        if following < len(self._spoken):
            self._prefetch_texts([self._spoken[following]])

    def _prefetch_texts(self, texts: Sequence[str]) -> None:
        if not self._prefetch:
            return
        try:
            self.audio.prefetch_speech(list(texts))
        except Exception:  # optional help: never worth stopping a session for
            log.exception("speech prefetch failed")

    # --- History ------------------------------------------------------------------------------------

    def _begin_record(self) -> None:
        if self.history is None:
            return
        try:
            self.session_id = self.history.begin(
                routine_id=self.routine.id,
                routine_title=self.routine.title.get(self.language),
                content_hash=self.routine.content_hash,
                planned_seconds=round(self.engine.planned_seconds),
                steps_total=len(self.engine.steps),
            )
        except HistoryDeferredError as exc:  # kept waiting under this id: later steps update it
            self.session_id = exc.session_id
            raise

    def _save_progress(self) -> None:
        history, session_id = self.history, self.session_id
        if history is None or session_id is None:
            return
        self._guard(
            lambda: history.progress(
                session_id,
                active_seconds=self.engine.active_seconds,
                steps_completed=self.engine.steps_completed,
            )
        )

    def _finish_record(self, status: str, active_seconds: float, steps_completed: int) -> None:
        self.status = status
        history, session_id = self.history, self.session_id
        if history is None or session_id is None:
            return
        self._guard(
            lambda: history.finish(
                session_id, status=status, active_seconds=active_seconds, steps_completed=steps_completed
            )
        )

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            action()
        except HistoryError as exc:  # already a message for the user: the session is kept waiting
            log.info("session history: %s", exc)  # the user hears of it through problems()
            if str(exc) not in self._problems:
                self._problems.append(str(exc))
        except Exception as exc:  # a full disk or a locked file must not end the massage
            log.info("could not write the session history: %s", exc)
            message = _(
                "This session could not be saved to your history ({error}). The session goes on; "
                "check that there is free disk space."
            ).format(error=storage_reason(exc))
            if message not in self._problems:
                self._problems.append(message)
