"""Session conductor: engine events become the right sounds in order and a history record kept current."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from massage_guide.core.engine import SessionEngine, SessionFinished, State, StepStarted
from massage_guide.core.history import HistoryStore
from massage_guide.core.model import Breathing, Routine, Step, Text
from massage_guide.core.ports import AudioSettings, Cue, SilentAudio
from massage_guide.core.session import (
    SLEEP_ROUTINE_FADE_MINUTES,
    Session,
    finished_status,
    sleep_fade_minutes,
)
from massage_guide.core.spoken import STOP_RULE
from tests.conftest import FakeClock


class RecordingAudio(SilentAudio):
    """An AudioPort that writes down every call, in order."""

    def __init__(self, *, prefetch: bool = True, prefetch_fails: bool = False) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []
        self.prefetch = prefetch  # False: prefetching is not written down
        self.prefetch_fails = prefetch_fails

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        if self.prefetch_fails:
            raise RuntimeError("the speech engine fell over")
        if self.prefetch:
            self.calls.append(("prefetch", tuple(texts)))

    def fade(self, level: float, seconds: float) -> None:
        self.calls.append(("fade", level, seconds))

    def configure(self, settings: AudioSettings) -> None:
        self.calls.append(("configure",))

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        self.calls.append(("ambience", sound_id, fade_in_seconds))

    def pause(self) -> None:
        self.calls.append(("pause",))

    def resume(self) -> None:
        self.calls.append(("resume",))

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        self.calls.append(("stop", fade_out_seconds))

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None:
        self.calls.append(("cue", cue, sound_id) if sound_id else ("cue", cue))

    def speak(self, text: str) -> None:
        self.calls.append(("speak", text))

    def stop_voice(self) -> None:
        pass  # recorded calls stay readable; interruptions are not what these tests check

    def problems(self) -> list[str]:
        return []

    def close(self) -> None:
        self.calls.append(("close",))

    def sounds(self) -> list[tuple[Any, ...]]:
        """The calls a listener would hear (prefetching is silent)."""
        return [c for c in self.calls if c[0] != "prefetch"]


def make_step(seconds: int, title: str, **kwargs: Any) -> Step:
    return Step(
        title=Text.of(title), instruction=Text.of(f"{title} slowly."), duration_seconds=seconds, **kwargs
    )


def make_routine(*steps: Step, **kwargs: Any) -> Routine:
    return Routine(
        id="tiny",
        title=Text.of("Tiny routine"),
        summary=Text.of("For tests."),
        areas=("neck",),
        goals=("desk_break",),
        steps=steps,
        ambience="soft-rain",
        content_hash="abc123",
        **kwargs,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    history, messages = HistoryStore.open(tmp_path / "history.sqlite3")
    assert messages == []
    yield history
    history.close()


def run_to_end(session: Session, clock: FakeClock, step: float = 0.5) -> None:
    while session.engine.state is not State.FINISHED:
        clock.advance(step)
        session.tick()


def test_cues_and_voice_follow_a_short_routine_in_order(clock: FakeClock) -> None:
    """Start, each step, switching sides, 10 s left and the end are heard in order, the voice with them."""
    left = make_step(30, "Calf", side="left", mirror_part=1)
    right = make_step(30, "Calf", side="right", mirror_part=2)
    routine = make_routine(make_step(20, "Warm up"), left, right, make_step(5, "Rest", cue="bowl"))
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    run_to_end(session, clock)
    assert audio.sounds() == [
        ("ambience", "soft-rain", 3.0),
        ("cue", Cue.SESSION_START),
        ("speak", f"{STOP_RULE} Warm up. Warm up slowly."),
        ("cue", Cue.TEN_SECONDS),
        ("cue", Cue.NEXT_STEP),
        ("speak", "Left side. Calf. Calf slowly."),
        ("cue", Cue.TEN_SECONDS),
        ("cue", Cue.SWITCH_SIDE),
        ("speak", "Switch to the right side. Calf. Calf slowly."),
        ("cue", Cue.TEN_SECONDS),
        ("cue", Cue.NEXT_STEP, "bowl"),
        ("speak", "Rest. Rest slowly."),
        ("cue", Cue.SESSION_END),
        ("stop", 8.0),
    ]
    assert session.status == "completed"


def test_prefetch_asks_for_the_next_steps_voice(clock: FakeClock) -> None:
    """The audio service is asked to render the next step's voice before it is needed."""
    routine = make_routine(make_step(5, "One"), make_step(5, "Two"), make_step(5, "Three"))
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    prefetched = [c[1] for c in audio.calls if c[0] == "prefetch"]
    assert f"{STOP_RULE} One. One slowly." in prefetched[0] and "Two. Two slowly." in prefetched[0]
    clock.advance(5)
    session.tick()
    assert audio.calls[-1] == ("prefetch", ("Three. Three slowly.",))


def test_a_failing_prefetch_is_fine(clock: FakeClock) -> None:
    """Rendering ahead is only a help: a prefetch that raises still leaves a whole session."""
    routine = make_routine(make_step(5, "One"), make_step(5, "Two"))
    audio = RecordingAudio(prefetch_fails=True)
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    run_to_end(session, clock)
    assert ("cue", Cue.SESSION_END) in audio.calls


def test_breathing_tones_and_own_speech(clock: FakeClock) -> None:
    """A breathing step plays inhale and exhale tones at each phase and speaks its own ``say`` text."""
    breathe = make_step(
        10, "Breathe", breathing=Breathing(inhale=2, hold=1, exhale=2), say=Text.of("Breathe with the tones.")
    )
    routine = make_routine(breathe)
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    run_to_end(session, clock)
    tones = [c[1] for c in audio.calls if c[0] == "cue" and c[1] in (Cue.INHALE, Cue.EXHALE)]
    assert tones == [Cue.INHALE, Cue.EXHALE] * 2
    assert ("speak", f"{STOP_RULE} Breathe with the tones.") in audio.calls


def test_pause_and_resume_sound(clock: FakeClock) -> None:
    """Pause silences the sound; resume counts in with three ticks, then the sound comes back."""
    routine = make_routine(make_step(60, "Long"))
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    audio.calls.clear()
    session.toggle_pause()
    session.toggle_pause()
    for _ in range(6):
        clock.advance(0.5)
        session.tick()
    assert audio.sounds() == [
        ("pause",),
        ("cue", Cue.COUNTDOWN),
        ("cue", Cue.COUNTDOWN),
        ("cue", Cue.COUNTDOWN),
        ("resume",),
    ]


def test_a_late_tick_announces_only_the_step_now_running(clock: FakeClock) -> None:
    """When a stalled tick passes several steps, only the current one is cued and spoken."""
    routine = make_routine(make_step(5, "A"), make_step(5, "B"), make_step(30, "C"))
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    audio.calls.clear()
    clock.advance(12)
    events = session.tick()
    assert [e.index for e in events if isinstance(e, StepStarted)] == [1, 2]
    assert audio.sounds() == [("cue", Cue.NEXT_STEP), ("speak", "C. C slowly.")]


def test_history_record_is_kept_from_start_to_completion(clock: FakeClock, store: HistoryStore) -> None:
    """The record exists as soon as the session starts, follows each step and is completed at the end."""
    routine = make_routine(make_step(20, "A"), make_step(20, "B"))
    session = Session(routine, SessionEngine(routine.steps, clock), RecordingAudio(), store)
    session.start()
    assert session.session_id is not None
    record = store.get(session.session_id)
    assert record is not None
    assert (record.status, record.routine_id, record.planned_seconds, record.steps_total) == (
        "in_progress",
        "tiny",
        40,
        2,
    )
    assert record.routine_hash == "abc123"
    clock.advance(20)
    session.tick()
    record = store.get(session.session_id)
    assert record is not None and (record.active_seconds, record.steps_completed) == (20, 1)
    clock.advance(20)
    events = session.tick()
    assert isinstance(events[-1], SessionFinished)
    # Committed before the caller sees SessionFinished: a second connection already reads it.
    other, _ = HistoryStore.open(store.path)
    try:
        done = other.get(session.session_id)
    finally:
        other.close()
    assert done is not None
    assert (done.status, done.active_seconds, done.steps_completed) == ("completed", 40, 2)
    assert done.ended_at is not None


def test_stop_records_the_session_as_stopped(clock: FakeClock, store: HistoryStore) -> None:
    """Stopping halfway keeps what was done, marked stopped, and fades the sound out quickly."""
    routine = make_routine(make_step(20, "A"), make_step(20, "B"))
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, store)
    session.start()
    clock.advance(25)
    session.tick()
    session.stop()
    assert session.session_id is not None
    record = store.get(session.session_id)
    assert record is not None
    assert (record.status, record.active_seconds, record.steps_completed) == ("stopped", 25, 1)
    assert audio.calls[-1] == ("stop", 1.5)


def test_history_failure_does_not_stop_the_session(clock: FakeClock, store: HistoryStore) -> None:
    """If the history cannot be written, the session goes on and the user is told once."""
    routine = make_routine(make_step(5, "A"), make_step(5, "B"))
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, store)
    session.start()
    store.close()  # every later write fails
    run_to_end(session, clock)
    problems = session.problems()
    assert len(problems) == 1 and "could not be saved" in problems[0]
    assert session.problems() == []
    assert ("cue", Cue.SESSION_END) in audio.calls


def test_ambience_follows_the_callers_choice(clock: FakeClock) -> None:
    """The routine's bed plays by default; a chosen id replaces it and None means no ambience at all."""
    routine = make_routine(make_step(5, "One"))
    for choice, expected in (("ocean-waves", "ocean-waves"), (None, None)):
        audio = RecordingAudio()
        Session(routine, SessionEngine(routine.steps, clock), audio, None, ambience=choice).start()
        assert audio.calls[0] == ("ambience", expected, 3.0)


def test_finished_status_needs_half_the_steps() -> None:
    """A session that reached its end is completed only with at least half its steps done."""
    assert [finished_status(done, 15) for done in (0, 3, 7, 8, 15)] == [
        "stopped", "stopped", "stopped", "completed", "completed",
    ]  # fmt: skip
    assert finished_status(1, 2) == "completed"
    assert finished_status(0, 0) == "stopped"


def test_skipping_to_the_end_is_recorded_as_stopped(clock: FakeClock, store: HistoryStore) -> None:
    """Skipping 14 of 15 steps reaches the end but goes on record as stopped with 1 of 15 steps done."""
    routine = make_routine(*(make_step(72, f"Step {n}") for n in range(1, 16)))
    session = Session(routine, SessionEngine(routine.steps, clock), RecordingAudio(), store)
    session.start()
    for _ in range(8):  # most of the first step
        clock.advance(8)
        session.tick()
    session.next()
    for _ in range(14):
        clock.advance(1)
        events = session.next()
    assert isinstance(events[-1], SessionFinished)
    assert session.status == "stopped"
    assert session.session_id is not None
    record = store.get(session.session_id)
    assert record is not None
    assert (record.status, record.steps_completed, record.steps_total) == ("stopped", 1, 15)


def test_first_step_speaks_the_key_caution_and_the_stop_rule(clock: FakeClock) -> None:
    """Someone who starts with eyes closed hears the routine's key caution and the stop rule first."""
    routine = make_routine(
        make_step(20, "Settle"),
        make_step(20, "Press"),
        cautions=(Text.of("Stop if you feel sharp pain."), Text.of("Keep off the front of the neck")),
    )
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    run_to_end(session, clock)
    spoken = [c[1] for c in audio.sounds() if c[0] == "speak"]
    assert spoken == [
        f"Keep off the front of the neck. {STOP_RULE} Settle. Settle slowly.",
        "Press. Press slowly.",
    ]


def test_a_sleep_routine_ends_without_chime_or_ticks(clock: FakeClock) -> None:
    """A sleep routine plays no 10-seconds tick, no resume countdown and no closing bowl; it still fades out."""
    routine = make_routine(make_step(30, "Soften"), make_step(30, "Rest"), sleep=True)
    audio = RecordingAudio()
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None)
    session.start()
    session.toggle_pause()
    session.toggle_pause()
    run_to_end(session, clock)
    cues = [c[1] for c in audio.sounds() if c[0] == "cue"]
    assert Cue.TEN_SECONDS not in cues
    assert Cue.COUNTDOWN not in cues
    assert Cue.SESSION_END not in cues
    assert cues == [Cue.SESSION_START, Cue.NEXT_STEP]
    assert audio.sounds()[-1] == ("stop", 8.0)


def test_sleep_routines_turn_the_sleep_fade_on_unless_the_user_chose_one() -> None:
    """The ambience lingers after a sleep routine by default; the user's own sleep fade always wins."""
    sleepy = make_routine(make_step(30, "Soften"), sleep=True)
    daytime = make_routine(make_step(30, "Press"))
    assert sleep_fade_minutes(sleepy, 0) == SLEEP_ROUTINE_FADE_MINUTES > 0
    assert sleep_fade_minutes(sleepy, 25) == 25
    assert sleep_fade_minutes(daytime, 0) == 0
    assert sleep_fade_minutes(daytime, 5) == 5
