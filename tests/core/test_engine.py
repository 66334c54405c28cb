"""Session engine: every transition against a fake clock, late and missing ticks, pauses and sleep."""

from __future__ import annotations

import random
from typing import Any

import pytest

from massage_guide.core.engine import (
    BreathPhase,
    Event,
    Halfway,
    LastSeconds,
    LeadInTick,
    Paused,
    Resumed,
    SessionEngine,
    SessionFinished,
    SessionStarted,
    SessionStopped,
    State,
    StepExtended,
    StepStarted,
    SwitchSide,
    breath_at,
)
from massage_guide.core.model import Breathing, Step, Text
from tests.conftest import FakeClock


def step(seconds: int, title: str = "Step", **kwargs: Any) -> Step:
    return Step(
        title=Text.of(title), instruction=Text.of("Do it gently."), duration_seconds=seconds, **kwargs
    )


def kinds(events: list[Event]) -> list[str]:
    return [type(e).__name__ for e in events]


def started(events: list[Event]) -> list[int]:
    return [e.index for e in events if isinstance(e, StepStarted)]


@pytest.fixture
def three(clock: FakeClock) -> SessionEngine:
    return SessionEngine([step(30, "A"), step(60, "B"), step(20, "C")], clock)


def test_new_engine_is_idle_and_rejects_empty_routines(clock: FakeClock) -> None:
    """An engine starts idle with the first step's full time; an empty step list is refused."""
    engine = SessionEngine([step(30)], clock)
    assert engine.state is State.IDLE
    assert engine.remaining() == 30
    assert engine.tick() == []
    with pytest.raises(ValueError):
        SessionEngine([], clock)


def test_start_begins_first_step_at_once(three: SessionEngine, clock: FakeClock) -> None:
    """start() runs the first step immediately and a second start() does nothing."""
    events = three.start()
    assert kinds(events) == ["SessionStarted", "StepStarted"]
    assert events[0] == SessionStarted(steps_total=3, planned_seconds=110.0)
    assert isinstance(events[1], StepStarted) and events[1].index == 0 and events[1].remaining == 30
    assert three.state is State.RUNNING
    clock.advance(4.25)
    assert three.remaining() == pytest.approx(25.75)
    assert three.start() == []


def test_steps_advance_by_the_clock_with_halfway_and_last_seconds(
    three: SessionEngine, clock: FakeClock
) -> None:
    """Ticks emit halfway, 10 s left and the next step at the right clock times, each once."""
    three.start()
    clock.advance(14.9)
    assert three.tick() == []
    clock.advance(0.1)
    assert three.tick() == [Halfway(0)]
    assert three.tick() == []
    clock.advance(5)
    assert three.tick() == [LastSeconds(0, 10)]
    clock.advance(9.999)
    assert three.tick() == []
    clock.advance(0.001)
    events = three.tick()
    assert started(events) == [1]
    assert three.steps_completed == 1
    assert three.remaining() == pytest.approx(60)


def test_short_steps_get_no_last_seconds_warning(clock: FakeClock) -> None:
    """A step under 20 s gets no "10 s left" cue: it would crowd the step's own start."""
    engine = SessionEngine([step(15), step(15)], clock)
    engine.start()
    seen: list[Event] = []
    for _ in range(15):
        clock.advance(1)
        seen += engine.tick()
    assert not [e for e in seen if isinstance(e, LastSeconds)]


def test_late_tick_walks_through_every_missed_step(clock: FakeClock) -> None:
    """One tick 25 s late passes two whole steps, starting each, and lands mid-step at the right time."""
    engine = SessionEngine([step(10, "A"), step(5, "B"), step(5, "C"), step(30, "D")], clock)
    engine.start()
    clock.advance(25)
    events = engine.tick()
    assert started(events) == [1, 2, 3]
    # Only the step still running gets its halfway/last-seconds events; stale steps stay quiet.
    assert not [e for e in events if isinstance(e, Halfway) and e.index != 3]
    assert engine.index == 3
    assert engine.remaining() == pytest.approx(25)
    last = [e for e in events if isinstance(e, StepStarted)][-1]
    assert last.remaining == pytest.approx(25)
    assert engine.steps_completed == 3


def test_session_finishes_on_the_planned_clock_time_even_if_the_tick_is_late(clock: FakeClock) -> None:
    """A tick 2.5 s after the end (sleep detection set wide) finishes with active time the plan's 110 s."""
    engine = SessionEngine([step(30, "A"), step(60, "B"), step(20, "C")], clock, sleep_gap_seconds=600)
    engine.start()
    clock.advance(112.5)
    events = engine.tick()
    assert started(events) == [1, 2]
    assert events[-1] == SessionFinished(active_seconds=110.0, steps_completed=3)
    assert engine.state is State.FINISHED
    assert engine.tick() == []
    assert engine.snapshot().overall_progress == 1.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_jittered_and_dropped_ticks_end_within_50_ms_of_plan(clock: FakeClock, seed: int) -> None:
    """With ticks 0-400 ms late and a third dropped, a 30-minute session still ends on its planned time."""
    rng = random.Random(seed)
    steps = [step(60, f"S{i}") for i in range(30)]
    engine = SessionEngine(steps, clock)
    begin = clock.now
    engine.start()
    finished_at = None
    starts: list[int] = []
    while finished_at is None:
        wait = engine.seconds_to_next_change()
        assert wait is not None
        clock.advance(wait + rng.uniform(0, 0.4))
        if rng.random() < 0.33:
            continue  # this tick never arrived
        for event in engine.tick():
            if isinstance(event, StepStarted):
                starts.append(event.index)
            if isinstance(event, SessionFinished):
                finished_at = event.active_seconds
    assert starts == list(range(1, 30))
    assert abs(finished_at - 1800) < 0.05
    assert clock.now - begin - 1800 < 1.0  # the tick that saw the end came within its jitter


def test_pause_freezes_remaining_and_excludes_pause_from_active_time(
    three: SessionEngine, clock: FakeClock
) -> None:
    """Time spent paused neither counts down the step nor counts as active."""
    three.start()
    clock.advance(12)
    assert three.pause() == [Paused("user")]
    assert three.state is State.PAUSED
    assert three.pause() == []
    clock.advance(600)
    assert three.tick() == []
    assert three.remaining() == pytest.approx(18)
    assert three.active_seconds == pytest.approx(12)
    assert three.seconds_to_next_change() is None


def test_resume_counts_in_three_two_one_without_counting_it_as_active(
    three: SessionEngine, clock: FakeClock
) -> None:
    """Resume shows 3, 2, 1, then the step goes on; the lead-in adds no active time or countdown."""
    three.start()
    clock.advance(12)
    three.pause()
    clock.advance(100)
    assert three.resume() == [LeadInTick(3)]
    assert three.state is State.LEAD_IN
    assert three.snapshot().lead_in == 3
    clock.advance(1)
    assert three.tick() == [LeadInTick(2)]
    clock.advance(0.5)
    assert three.tick() == []
    assert three.snapshot().lead_in == 2
    clock.advance(0.5)
    assert three.tick() == [LeadInTick(1)]
    assert three.remaining() == pytest.approx(18)
    clock.advance(1)
    assert three.tick() == [Resumed()]
    assert three.snapshot().state is State.RUNNING
    assert three.active_seconds == pytest.approx(12)
    clock.advance(5)
    assert three.remaining() == pytest.approx(13)
    assert three.active_seconds == pytest.approx(17)


def test_resume_emits_resumed_when_lead_in_ends_even_on_a_late_tick(
    three: SessionEngine, clock: FakeClock
) -> None:
    """A tick arriving 2 s after the lead-in ended starts the step at the lead-in's end, not at the tick."""
    three.start()
    clock.advance(5)
    three.pause()
    three.resume()
    clock.advance(5)
    events = three.tick()
    assert Resumed() in events
    assert three.remaining() == pytest.approx(23)
    assert three.active_seconds == pytest.approx(7)


def test_pause_during_lead_in_keeps_the_remaining_time(three: SessionEngine, clock: FakeClock) -> None:
    """Pausing in the middle of 3-2-1 returns to paused with the step untouched."""
    three.start()
    clock.advance(5)
    three.pause()
    three.resume()
    clock.advance(1.5)
    assert kinds(three.pause()) == ["LeadInTick", "Paused"]
    assert three.state is State.PAUSED
    assert three.remaining() == pytest.approx(25)
    assert three.active_seconds == pytest.approx(5)


def test_resume_without_lead_in_goes_straight_on(clock: FakeClock) -> None:
    """With lead_in_seconds=0, resume continues at once."""
    engine = SessionEngine([step(30)], clock, lead_in_seconds=0)
    engine.start()
    engine.pause()
    assert engine.resume() == [Resumed()]
    assert engine.state is State.RUNNING


def test_sleep_gap_pauses_where_the_session_had_reached(three: SessionEngine, clock: FakeClock) -> None:
    """A clock jump over 30 s (laptop slept) pauses at the last point seen instead of skipping steps."""
    three.start()
    clock.advance(20)
    three.tick()
    clock.advance(3600)
    events = three.tick()
    assert events == [Paused("sleep")]
    assert three.state is State.PAUSED
    assert three.index == 0
    assert three.remaining() == pytest.approx(10)
    assert three.active_seconds == pytest.approx(20)
    clock.advance(1)
    three.resume()
    clock.advance(3)
    assert Resumed() in three.tick()
    assert three.remaining() == pytest.approx(10)


def test_sleep_gap_is_seen_by_any_request_not_only_ticks(three: SessionEngine, clock: FakeClock) -> None:
    """A next() pressed right after waking first pauses for the sleep, then moves on, still paused."""
    three.start()
    clock.advance(10)
    three.tick()
    clock.advance(45)
    events = three.next()
    assert kinds(events) == ["Paused", "StepStarted"]
    assert three.state is State.PAUSED
    assert three.index == 1
    assert three.remaining() == 60


def test_gap_under_threshold_is_a_stall_and_catches_up(three: SessionEngine, clock: FakeClock) -> None:
    """A 29 s stall is not sleep: the session catches up and keeps running."""
    three.start()
    clock.advance(29)
    three.tick()
    clock.advance(29)
    events = three.tick()
    assert started(events) == [1]
    assert three.state is State.RUNNING
    assert three.remaining() == pytest.approx(32)


def test_snapshot_during_a_gap_shows_the_point_reached(three: SessionEngine, clock: FakeClock) -> None:
    """Before the first tick after a sleep, the snapshot shows where the session was, not a run-out step."""
    three.start()
    clock.advance(20)
    three.tick()
    clock.advance(500)
    snap = three.snapshot()
    assert snap.index == 0
    assert snap.remaining == pytest.approx(10)


def test_next_previous_and_restart(three: SessionEngine, clock: FakeClock) -> None:
    """next moves on, previous goes back, restart starts the step over; all keep the session running."""
    three.start()
    clock.advance(3)
    assert started(three.next()) == [1]
    assert three.remaining() == 60
    assert three.steps_completed == 0  # 3 s of a 30 s step is a skip, not a step done
    clock.advance(10)
    assert three.remaining() == pytest.approx(50)
    assert started(three.restart_step()) == [1]
    assert three.remaining() == 60
    assert started(three.previous()) == [0]
    assert three.remaining() == 30
    assert three.active_seconds == pytest.approx(13)
    assert three.state is State.RUNNING


def test_previous_on_the_first_step_restarts_it(three: SessionEngine, clock: FakeClock) -> None:
    """previous() on step 1 starts it again instead of failing."""
    three.start()
    clock.advance(20)
    events = three.previous()
    assert started(events) == [0]
    assert three.remaining() == 30


def test_next_on_the_last_step_finishes(three: SessionEngine, clock: FakeClock) -> None:
    """next() on the last step finishes the session; skipped steps are not counted as done."""
    three.start()
    three.next()
    three.next()
    clock.advance(2)
    events = three.next()
    assert isinstance(events[-1], SessionFinished)
    assert events[-1].steps_completed == 0
    assert events[-1].active_seconds == pytest.approx(2)
    assert three.state is State.FINISHED
    assert three.next() == [] and three.pause() == [] and three.stop() == []


def test_navigation_while_paused_stays_paused(three: SessionEngine, clock: FakeClock) -> None:
    """next() while paused shows the next step at full length, still paused."""
    three.start()
    three.pause()
    three.next()
    assert three.state is State.PAUSED
    clock.advance(100)
    assert three.remaining() == 60


def test_extend_adds_time_and_rearms_the_last_seconds_warning(three: SessionEngine, clock: FakeClock) -> None:
    """extend() adds 15 s to the current step; a 10 s warning already given can come again."""
    three.start()
    clock.advance(22)
    assert LastSeconds(0, 10) in three.tick()
    events = three.extend()
    assert len(events) == 1 and isinstance(events[0], StepExtended)
    assert events[0].index == 0 and events[0].seconds == 15
    assert events[0].remaining == pytest.approx(23)
    clock.advance(13)
    assert three.tick() == [LastSeconds(0, 10)]
    clock.advance(10)
    assert started(three.tick()) == [1]
    assert three.snapshot().planned_seconds == 110


def test_extend_while_paused(three: SessionEngine, clock: FakeClock) -> None:
    """Extending a paused step lengthens the frozen remainder."""
    three.start()
    clock.advance(5)
    three.pause()
    three.extend(15)
    assert three.remaining() == pytest.approx(40)


def test_stop_records_what_was_done(three: SessionEngine, clock: FakeClock) -> None:
    """stop() ends the session with the active time and steps so far; later requests do nothing."""
    assert three.stop() == []  # nothing to stop before start
    three.start()
    clock.advance(25)
    three.tick()
    clock.advance(20)
    events = three.stop()
    assert kinds(events) == ["StepStarted", "SessionStopped"]
    assert events[-1] == SessionStopped(active_seconds=45.0, steps_completed=1)
    assert three.state is State.STOPPED
    assert three.resume() == [] and three.tick() == []


def test_stop_while_paused_does_not_count_the_pause(three: SessionEngine, clock: FakeClock) -> None:
    """Stopping during a pause counts only the time before it."""
    three.start()
    clock.advance(7)
    three.pause()
    clock.advance(70)
    assert three.stop() == [SessionStopped(7.0, 0)]


def test_mirrored_steps_switch_sides_instead_of_halfway(clock: FakeClock) -> None:
    """Going from side one to side two emits SwitchSide; mirrored parts get no Halfway of their own."""
    left = step(30, "Calf, left", side="left", mirror_part=1)
    right = step(30, "Calf, right", side="right", mirror_part=2)
    engine = SessionEngine([left, right, step(30, "Rest")], clock)
    engine.start()
    seen: list[Event] = []
    for _ in range(60):
        clock.advance(1)
        seen += engine.tick()
    assert SwitchSide(1, right) in seen
    assert seen.index(SwitchSide(1, right)) + 1 == seen.index(
        next(e for e in seen if isinstance(e, StepStarted))
    )
    assert not [e for e in seen if isinstance(e, Halfway)]
    assert engine.index == 2


def test_switch_side_also_on_next_but_not_going_back(clock: FakeClock) -> None:
    """next() from side one switches sides; previous() into side two does not."""
    left = step(30, "Calf, left", mirror_part=1)
    right = step(30, "Calf, right", mirror_part=2)
    engine = SessionEngine([left, right, step(30, "Rest")], clock)
    engine.start()
    assert kinds(engine.next()) == ["SwitchSide", "StepStarted"]
    engine.next()
    assert kinds(engine.previous()) == ["StepStarted"]


def test_repeated_steps_each_run_in_full(clock: FakeClock) -> None:
    """Unrolled repeats are separate steps: three 20 s repeats take 60 s and start three times."""
    rep = step(20, "Knead")
    engine = SessionEngine([rep, rep, rep], clock)
    seen = engine.start()
    for _ in range(59):
        clock.advance(1)
        seen += engine.tick()
    assert started(seen) == [0, 1, 2]
    assert engine.state is State.RUNNING
    clock.advance(1)
    assert isinstance(engine.tick()[-1], SessionFinished)


def test_breath_phases_skip_zero_holds_and_report_progress(clock: FakeClock) -> None:
    """A 4-0-6-2 breathing step goes inhale, exhale, hold_after with progress and time left."""
    engine = SessionEngine(
        [step(24, "Breathe", breathing=Breathing(inhale=4, hold=0, exhale=6, hold_after=2))], clock
    )
    events = engine.start()
    assert BreathPhase(0, "inhale", 4) in events
    clock.advance(1)
    info = engine.breath()
    assert info is not None and info.phase == "inhale"
    assert info.progress == pytest.approx(0.25) and info.seconds_left == pytest.approx(3)
    assert engine.seconds_to_next_change() == pytest.approx(1.001)
    phases: list[str] = []
    for _ in range(23):
        clock.advance(1)
        phases += [e.phase for e in engine.tick() if isinstance(e, BreathPhase)]
    assert phases == ["exhale", "hold_after", "inhale", "exhale", "hold_after"]


def test_breath_phase_is_announced_again_after_resume(clock: FakeClock) -> None:
    """After a pause the current breath phase is sent again so the pacer and tones pick up."""
    engine = SessionEngine([step(40, "Breathe", breathing=Breathing(inhale=4, exhale=4))], clock)
    engine.start()
    clock.advance(5)
    engine.tick()
    engine.pause()
    engine.resume()
    clock.advance(3)
    events = engine.tick()
    assert kinds(events) == ["Resumed", "BreathPhase"]
    assert events[1] == BreathPhase(0, "exhale", 4)


def test_breath_at_handles_empty_cycles() -> None:
    """A breathing cycle of zero length yields no phase instead of dividing by zero."""
    assert breath_at(Breathing(inhale=0), 3.0) is None
    found = breath_at(Breathing(inhale=4), 5.0)
    assert found is not None and found[0].cycle == 1 and found[0].phase == "inhale"


def test_no_breath_for_ordinary_steps(three: SessionEngine) -> None:
    """Steps without breathing expose no breath phase."""
    three.start()
    assert three.breath() is None
    assert three.snapshot().breath is None


def test_seconds_to_next_change_targets_the_next_whole_second(three: SessionEngine, clock: FakeClock) -> None:
    """The display timer is armed to when the whole-second countdown next changes, plus 1 ms."""
    assert three.seconds_to_next_change() is None
    three.start()
    assert three.seconds_to_next_change() == pytest.approx(1.001)
    clock.advance(0.7)
    assert three.seconds_to_next_change() == pytest.approx(0.301)
    assert three.snapshot().remaining_display == 30
    clock.advance(0.3)
    assert three.snapshot().remaining_display == 29
    three.pause()
    three.resume()
    clock.advance(0.4)
    assert three.seconds_to_next_change() == pytest.approx(0.601)


def test_unseen_the_next_change_is_the_next_thing_heard_not_the_next_second(
    three: SessionEngine, clock: FakeClock
) -> None:
    """With no countdown on screen the wait skips whole seconds: halfway, the "10 seconds left" cue, the
    step's end; the lead-in's counts are heard, so they are still waited for one by one."""
    three.start()
    assert three.seconds_to_next_change(shown=False) == pytest.approx(15.001)
    clock.advance(15.5)
    three.tick()
    assert three.seconds_to_next_change(shown=False) == pytest.approx(4.501)
    clock.advance(5)
    three.tick()
    assert three.seconds_to_next_change(shown=False) == pytest.approx(9.501)
    three.pause()
    three.resume()
    assert three.seconds_to_next_change(shown=False) == pytest.approx(1.001)


def test_snapshot_reports_progress(three: SessionEngine, clock: FakeClock) -> None:
    """The snapshot gives step and overall progress, the next step and counts for the view."""
    three.start()
    clock.advance(25)
    three.tick()
    clock.advance(20)
    three.tick()
    snap = three.snapshot()
    assert snap.state is State.RUNNING
    assert snap.index == 1 and snap.step.title.get() == "B"
    assert snap.next_step is not None and snap.next_step.title.get() == "C"
    assert snap.step_progress == pytest.approx(0.25)
    assert snap.overall_progress == pytest.approx(45 / 110)
    assert snap.active_seconds == pytest.approx(45)
    assert snap.steps_completed == 1 and snap.steps_total == 3
    assert snap.lead_in is None


def test_a_step_counts_as_done_after_half_its_time(three: SessionEngine, clock: FakeClock) -> None:
    """A step is done once it ran half its planned time, pauses excluded; a quicker skip is not."""
    three.start()
    clock.advance(14)
    three.pause()
    clock.advance(100)  # paused time is not time the step ran
    three.resume()
    clock.advance(3)  # lead-in
    three.tick()
    assert three.steps_completed == 0
    clock.advance(1)  # 15 of 30 s: half
    three.tick()
    assert three.steps_completed == 1
    three.next()
    clock.advance(29)  # 29 of 60 s
    three.next()
    assert three.steps_completed == 1
    clock.advance(20)  # step C ran out by the clock
    events = three.tick()
    assert events[-1] == SessionFinished(active_seconds=pytest.approx(15 + 29 + 20), steps_completed=2)  # type: ignore[arg-type]


def test_time_in_a_step_adds_up_across_visits(three: SessionEngine, clock: FakeClock) -> None:
    """Going back to a step adds to the time it already ran."""
    three.start()
    clock.advance(10)
    three.next()
    three.previous()
    clock.advance(5)
    assert three.step_seconds_run(0) == pytest.approx(15)
    assert three.steps_completed == 1


def test_skipping_a_long_routine_counts_almost_nothing(clock: FakeClock) -> None:
    """The issue's case: 14 of 15 steps skipped after a few seconds each leaves one step done."""
    engine = SessionEngine([step(72) for _ in range(15)], clock)
    engine.start()
    for _ in range(6):  # the first step, nearly all of it, looked at as a timer would
        clock.advance(10)
        engine.tick()
    engine.next()
    for _ in range(14):
        clock.advance(1.5)
        events = engine.next()
    assert isinstance(events[-1], SessionFinished)
    assert events[-1].steps_completed == 1
