"""Session controller: Qt signals, a timer armed to the next change, history rows and the sleep fade."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from massage_guide.core.engine import Snapshot, State
from massage_guide.core.history import HistoryStore
from massage_guide.core.loader import load_routine_bytes
from massage_guide.core.model import Routine
from massage_guide.core.ports import AudioSettings, Cue, SilentAudio
from massage_guide.core.session import (
    FINISH_FADE_OUT_SECONDS,
    SLEEP_ROUTINE_FADE_MINUTES,
    STOP_FADE_OUT_SECONDS,
)
from massage_guide.core.settings import Settings
from massage_guide.core.sleep_timer import RESTORE_FADE_SECONDS
from massage_guide.ui.session_controller import (
    BREATH_FRAME_SECONDS,
    SLEEP_CANCEL_FADE_SECONDS,
    SessionController,
    SessionSummary,
)
from tests.conftest import FakeClock

ROUTINE_YAML = """\
schema_version: 1
id: tiny-neck
title: Tiny neck
summary: A short routine for tests.
areas: [neck]
goals: [desk_break]
ambience: soft-rain
steps:
  - title: Warm the neck
    instruction: Stroke down the sides of your neck.
    duration: 20s
    technique: stroking
    pressure: light
    focus: neck
  - title: Breathe
    instruction: Breathe slowly.
    duration: 12s
    technique: breathing
    breathing: {inhale: 4, exhale: 6, hold_after: 2}
  - title: Rest
    instruction: Let your shoulders drop.
    duration: 10s
    technique: rest
"""


def make_routine(tmp_path: Path, text: str = ROUTINE_YAML) -> Routine:
    path = tmp_path / "routine.yaml"
    path.write_text(text, encoding="utf-8")
    routine, problems = load_routine_bytes(text.encode(), path)
    assert routine is not None, problems
    return routine


class RecordingAudio(SilentAudio):
    """An AudioPort that writes down what it was asked to do."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[Any, ...]] = []
        self.settings: list[AudioSettings] = []
        self.reported: list[str] = []

    def configure(self, settings: AudioSettings) -> None:
        self.settings.append(settings)

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        self.calls.append(("ambience", sound_id))

    def pause(self) -> None:
        self.calls.append(("pause",))

    def resume(self) -> None:
        self.calls.append(("resume",))

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        self.calls.append(("stop", fade_out_seconds))

    def fade(self, level: float, seconds: float) -> None:
        self.calls.append(("fade", level, seconds))

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None:
        self.calls.append(("cue", cue))

    def speak(self, text: str) -> None:
        self.calls.append(("speak", text))

    def stop_voice(self) -> None:
        pass

    def problems(self) -> list[str]:
        return list(self.reported)

    def close(self) -> None:
        self.calls.append(("close",))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    history, messages = HistoryStore.open(tmp_path / "history.sqlite3")
    assert messages == []
    yield history
    history.close()


@pytest.fixture
def audio() -> RecordingAudio:
    return RecordingAudio()


@pytest.fixture
def controller(
    qtbot: QtBot, audio: RecordingAudio, store: HistoryStore, clock: FakeClock
) -> Iterator[SessionController]:
    made = SessionController(audio=audio, history=store, clock=clock)
    made.configure(Settings())
    yield made
    made.shutdown()


def run_to_end(controller: SessionController, clock: FakeClock, seconds: float) -> None:
    """Move the fake clock in 1 s steps, refreshing as the timer would."""
    for _ in range(round(seconds)):
        clock.advance(1.0)
        controller.refresh()


def test_start_emits_routine_first_step_and_snapshot(
    qtbot: QtBot, controller: SessionController, tmp_path: Path
) -> None:
    """Starting tells the page which routine runs, that step 0 began, and how it looks now."""
    routine = make_routine(tmp_path)
    steps: list[tuple[int, str]] = []
    snapshots: list[Snapshot] = []
    controller.step_started.connect(lambda index, step: steps.append((index, step.title.get())))
    controller.snapshot_changed.connect(snapshots.append)
    with qtbot.waitSignal(controller.session_started) as started:
        controller.start(routine)
    assert started.args == [routine]
    assert steps == [(0, "Warm the neck")]
    assert snapshots[-1].state is State.RUNNING
    assert snapshots[-1].remaining_display == 20
    assert controller.is_running()


def test_timer_waits_for_the_next_whole_second_not_a_fixed_tick(
    controller: SessionController, clock: FakeClock, tmp_path: Path
) -> None:
    """The timer is armed to the next visible change: 1 s on a plain step, ~0.3 s after 0.7 s."""
    controller.start(make_routine(tmp_path))
    assert controller.timer_interval_ms() == 1001
    clock.advance(0.7)
    controller.refresh()
    assert controller.timer_interval_ms() == 301


def test_breathing_step_refreshes_often_unless_motion_is_reduced(
    controller: SessionController, clock: FakeClock, tmp_path: Path
) -> None:
    """The pacer animates at ~10 frames a second; with reduced motion the timer goes back to whole seconds."""
    controller.start(make_routine(tmp_path))
    controller.next_step()
    assert controller.timer_interval_ms() == round(BREATH_FRAME_SECONDS * 1000)
    controller.configure(replace(Settings(), reduced_motion=True))
    assert controller.timer_interval_ms() == 1001


def test_pause_stops_the_timer_and_resume_counts_in(
    controller: SessionController, clock: FakeClock, tmp_path: Path
) -> None:
    """Paused, nothing ticks (no CPU); resuming shows the 3-2-1 lead-in before the step goes on."""
    controller.start(make_routine(tmp_path))
    controller.toggle_pause()
    assert controller.timer_interval_ms() is None
    snapshot = controller.snapshot()
    assert snapshot is not None and snapshot.state is State.PAUSED
    controller.toggle_pause()
    snapshot = controller.snapshot()
    assert snapshot is not None and snapshot.state is State.LEAD_IN and snapshot.lead_in == 3
    assert controller.timer_interval_ms() is not None


def test_real_timer_advances_the_session(qtbot: QtBot, store: HistoryStore, tmp_path: Path) -> None:
    """With the real clock, the armed timer alone brings the countdown down a second."""
    controller = SessionController(audio=RecordingAudio(), history=store)
    controller.configure(Settings())
    controller.start(make_routine(tmp_path))
    seen: list[int] = []
    controller.snapshot_changed.connect(lambda snap: seen.append(snap.remaining_display))
    qtbot.waitUntil(lambda: 19 in seen, timeout=2500)
    controller.shutdown()


def test_finished_session_is_on_record_before_the_signal(
    qtbot: QtBot, controller: SessionController, store: HistoryStore, clock: FakeClock, tmp_path: Path
) -> None:
    """When session_finished arrives, the history already holds the completed session."""
    found: list[str | None] = []

    def check(summary: SessionSummary) -> None:
        record = store.get(summary.session_id or "")
        found.append(record.status if record else None)

    controller.session_finished.connect(check)
    controller.start(make_routine(tmp_path))
    with qtbot.waitSignal(controller.session_finished) as finished:
        run_to_end(controller, clock, 42)
    summary = finished.args[0]
    assert summary.status == "completed"
    assert summary.steps_completed == summary.steps_total == 3
    assert summary.active_seconds == pytest.approx(42)
    assert found == ["completed"]
    assert not controller.is_running()
    assert controller.timer_interval_ms() is None


def test_stop_records_a_stopped_session_with_a_quick_fade(
    controller: SessionController,
    store: HistoryStore,
    audio: RecordingAudio,
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    """Stopping early keeps what was done, as 'stopped', and the sound goes quickly even with a sleep fade."""
    controller.configure(replace(Settings(), sleep_fade_minutes=10))
    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 25)
    stopped: list[SessionSummary] = []
    controller.session_stopped.connect(stopped.append)
    controller.stop()
    assert len(stopped) == 1
    record = store.get(stopped[0].session_id or "")
    assert record is not None
    assert (record.status, record.steps_completed, record.active_seconds) == ("stopped", 1, 25)
    assert audio.calls[-1] == ("stop", STOP_FADE_OUT_SECONDS)


def test_sleep_fade_lets_the_ambience_die_away_over_minutes(
    controller: SessionController, audio: RecordingAudio, clock: FakeClock, tmp_path: Path
) -> None:
    """With sleep_fade_minutes set, the routine's end fades the ambience over that many minutes, then stops it."""
    controller.configure(replace(Settings(), sleep_fade_minutes=10))
    changes: list[bool] = []
    controller.sleep_timer_changed.connect(changes.append)
    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 42)
    assert ("fade", 0.0, 600.0) in audio.calls
    assert [call for call in audio.calls if call[0] == "stop"] == []  # the ambience plays on
    assert changes == [True] and controller.sleep_timer_running()
    clock.advance(300)
    controller.refresh()
    assert controller.sleep_timer_seconds_left() == 300
    clock.advance(300)
    controller.refresh()
    assert audio.calls[-1] == ("stop", 0.0)
    assert changes == [True, False] and not controller.sleep_timer_running()


def test_cancelling_the_sleep_timer_stops_the_sound_quickly_and_a_new_session_gives_it_up(
    controller: SessionController, audio: RecordingAudio, clock: FakeClock, tmp_path: Path
) -> None:
    """Stopping the sound now ends the fading ambience with a short fade; a new session ends the timer too."""
    controller.configure(replace(Settings(), sleep_fade_minutes=10))
    changes: list[bool] = []
    controller.sleep_timer_changed.connect(changes.append)
    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 42)
    clock.advance(60)
    controller.cancel_sleep_timer()
    assert audio.calls[-1] == ("stop", SLEEP_CANCEL_FADE_SECONDS)
    assert changes == [True, False] and controller.sleep_timer_seconds_left() is None
    clock.advance(600)
    controller.refresh()
    assert audio.calls[-1] == ("stop", SLEEP_CANCEL_FADE_SECONDS)  # nothing more once cancelled

    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 42)
    before = len(audio.calls)
    controller.start(make_routine(tmp_path))  # while the last one's ambience is still fading
    assert audio.calls[before : before + 2] == [
        ("fade", 1.0, RESTORE_FADE_SECONDS),
        ("ambience", "soft-rain"),
    ]
    assert changes == [True, False, True, False]


def test_without_sleep_fade_the_routine_ends_with_the_usual_fade(
    controller: SessionController, audio: RecordingAudio, clock: FakeClock, tmp_path: Path
) -> None:
    """No sleep fade chosen: the session's own short end fade is used."""
    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 42)
    assert [call for call in audio.calls if call[0] == "stop"] == [("stop", FINISH_FADE_OUT_SECONDS)]


def test_a_sleep_routine_fades_slowly_by_default_and_skips_the_end_bowl(
    controller: SessionController, audio: RecordingAudio, clock: FakeClock, tmp_path: Path
) -> None:
    """A routine marked ``sleep: true`` lingers and fades over minutes with no sleep fade chosen, and no bowl."""
    controller.start(make_routine(tmp_path, ROUTINE_YAML.replace("steps:\n", "sleep: true\nsteps:\n", 1)))
    run_to_end(controller, clock, 42)
    assert ("fade", 0.0, SLEEP_ROUTINE_FADE_MINUTES * 60.0) in audio.calls
    assert [call for call in audio.calls if call[0] == "stop"] == []
    assert not [call for call in audio.calls if call[0] == "cue" and call[1] is Cue.SESSION_END]


def test_voice_and_ambience_toggles_reach_the_audio(
    controller: SessionController, audio: RecordingAudio, tmp_path: Path
) -> None:
    """The detail page's voice and ambience switches turn those sounds off for this session only."""
    controller.start(make_routine(tmp_path), voice=False, ambience=False)
    muted = audio.settings[-1]
    assert not muted.voice_enabled
    assert not muted.ambience_enabled
    controller.stop()
    controller.start(make_routine(tmp_path))
    again = audio.settings[-1]
    assert again.voice_enabled and again.ambience_enabled
    assert ("ambience", "soft-rain") in audio.calls


def test_mute_and_volume_scale_every_sound(controller: SessionController, audio: RecordingAudio) -> None:
    """Mute silences everything; the player's volume is a share of each of the user's own volumes."""
    muted: list[bool] = []
    controller.muted_changed.connect(muted.append)
    controller.set_muted(True)
    assert audio.settings[-1].muted and muted == [True]
    controller.set_volume(50)
    assert audio.settings[-1].ambience_volume == pytest.approx(0.25)
    assert audio.settings[-1].voice_volume == pytest.approx(0.45)


def test_feedback_is_saved_to_the_session(
    controller: SessionController, store: HistoryStore, clock: FakeClock, tmp_path: Path
) -> None:
    """Tension before and after and the note land on the session's row."""
    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 42)
    session = controller.session()
    assert session is not None and session.session_id is not None
    controller.record_feedback(session.session_id, 7, 3, "  Much looser.  ")
    record = store.get(session.session_id)
    assert record is not None
    assert (record.tension_before, record.tension_after, record.note) == (7, 3, "  Much looser.  ")


def test_feedback_failure_is_told_not_raised(
    qtbot: QtBot, controller: SessionController, store: HistoryStore
) -> None:
    """A rating for a session that is not on record becomes a message, not a crash."""
    with qtbot.waitSignal(controller.problem) as told:
        controller.record_feedback("no-such-session", 5, None, None)
    assert "could not be saved" in told.args[0]


class BrokenHistory:
    """A history whose disk is full."""

    def begin(self, **kwargs: Any) -> str:
        raise OSError("disk full")

    def progress(self, session_id: str, *, active_seconds: float, steps_completed: int) -> None:
        raise OSError("disk full")

    def finish(self, session_id: str, *, status: str, active_seconds: float, steps_completed: int) -> None:
        raise OSError("disk full")

    def set_feedback(self, session_id: str, **kwargs: Any) -> None:
        raise OSError("disk full")


def test_problems_are_told_once(
    qtbot: QtBot, audio: RecordingAudio, clock: FakeClock, tmp_path: Path
) -> None:
    """History and sound trouble reach the user once each, and the session carries on."""
    audio.reported.append("No sound device was found, so the session will be silent.")
    controller = SessionController(audio=audio, history=BrokenHistory(), clock=clock)
    controller.configure(Settings())
    told: list[str] = []
    controller.problem.connect(told.append)
    controller.start(make_routine(tmp_path))
    run_to_end(controller, clock, 30)
    assert len(told) == 2
    assert any("disk full" in message for message in told)
    assert "No sound device was found, so the session will be silent." in told
    assert controller.is_running()
    controller.shutdown()


def test_starting_again_records_the_previous_session_as_stopped(
    controller: SessionController, store: HistoryStore, tmp_path: Path
) -> None:
    """A second start while a session runs does not leave the first one hanging 'in progress'."""
    routine = make_routine(tmp_path)
    controller.start(routine)
    first = controller.session()
    assert first is not None
    controller.start(routine)
    record = store.get(first.session_id or "")
    assert record is not None and record.status == "stopped"
    assert controller.is_running()
