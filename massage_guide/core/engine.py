"""The session engine: a clock-driven state machine over a routine's expanded steps, emitting events."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from massage_guide.core.events import (
    LAST_SECONDS,
    BreathInfo,
    BreathPhase,
    BreathPhaseName,
    Event,
    Halfway,
    LastSeconds,
    LeadInTick,
    Paused,
    PauseReason,
    Resumed,
    SessionFinished,
    SessionStarted,
    SessionStopped,
    Snapshot,
    State,
    StepExtended,
    StepStarted,
    SwitchSide,
    breath_at,
)
from massage_guide.core.model import Step

# The states and events live in core.events; the engine re-exports them for its callers.
__all__ = [
    "BreathInfo",
    "BreathPhase",
    "BreathPhaseName",
    "Event",
    "Halfway",
    "LastSeconds",
    "LeadInTick",
    "PauseReason",
    "Paused",
    "Resumed",
    "SessionEngine",
    "SessionFinished",
    "SessionStarted",
    "SessionStopped",
    "Snapshot",
    "State",
    "StepExtended",
    "StepStarted",
    "SwitchSide",
    "breath_at",
]

# Resume counts 3-2-1 so hands can find their place again; the lead-in is not active time.
LEAD_IN_SECONDS = 3
# Pressing "more time" adds this much to the current step.
EXTEND_SECONDS = 15
# "10 seconds left" (events.LAST_SECONDS) comes only on steps long enough for it not to crowd the step's own
# start cue and voice.
LAST_SECONDS_MIN_STEP = 20
# A step counts as done when it ran for at least this share of its planned time: skipping through a
# routine is not doing it (issue 15, "honest records").
STEP_DONE_SHARE = 0.5
# A gap this long between two looks at the clock means the machine slept: pause instead of skipping steps.
SLEEP_GAP_SECONDS = 30.0
# seconds_to_next_change() aims just past the change, so a timer armed to it never lands a hair early.
TIMER_MARGIN_SECONDS = 0.001


class SessionEngine:
    """Runs expanded steps against an injected monotonic clock.

    Remaining time is always the step's deadline minus the clock (or the remainder frozen at a pause),
    never a count of ticks. ``tick()`` only means "look at the clock now": it may come late, jittered or
    not at all, and a late tick walks through every boundary it missed. Every method returns the events
    it caused, in order; a request that does not apply in the current state (pause while paused, next
    after the end) returns an empty list instead of raising, because UI requests can race the clock.
    Call ``tick()`` before ``snapshot()`` to see the latest state.
    """

    def __init__(
        self,
        steps: Sequence[Step],
        clock: Callable[[], float],
        *,
        lead_in_seconds: int = LEAD_IN_SECONDS,
        sleep_gap_seconds: float = SLEEP_GAP_SECONDS,
    ) -> None:
        if not steps:
            raise ValueError("a session needs at least one step")
        self._steps: tuple[Step, ...] = tuple(steps)
        self._clock = clock
        self._lead_in_seconds = lead_in_seconds
        self._sleep_gap = sleep_gap_seconds
        self._state = State.IDLE
        self._index = 0
        self._step_seconds = float(self._steps[0].duration_seconds)
        self._deadline = 0.0  # clock time the current step ends, while RUNNING
        self._remaining = self._step_seconds  # frozen remainder, while not RUNNING
        self._lead_in_end = 0.0
        self._lead_in_shown = 0
        self._run_since = 0.0  # clock time active time last started counting
        self._active = 0.0  # active seconds banked before _run_since
        self._last_seen = clock()
        # Active seconds each step ran (by index), banked whenever the step or the running state changes.
        self._step_run: dict[int, float] = {}
        self._step_since = 0.0  # clock time the current step last started counting, while RUNNING
        self._halfway_sent = False
        self._last_sent = False
        self._breath_key: tuple[int, int] | None = None

    # --- Reading ------------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    @property
    def index(self) -> int:
        return self._index

    @property
    def steps(self) -> tuple[Step, ...]:
        return self._steps

    @property
    def planned_seconds(self) -> float:
        """The routine's planned length, before any extension."""
        return float(sum(step.duration_seconds for step in self._steps))

    @property
    def steps_completed(self) -> int:
        """Steps that ran for at least STEP_DONE_SHARE of their planned time (skipped ones do not count)."""
        live = 0.0
        if self._state is State.RUNNING:
            live = max(0.0, self._effective_now() - self._step_since)
        done = 0
        for index, step in enumerate(self._steps):
            ran = self._step_run.get(index, 0.0) + (live if index == self._index else 0.0)
            # A hair of tolerance: clock arithmetic must not cost a step that ran exactly half its time.
            if ran + 1e-6 >= step.duration_seconds * STEP_DONE_SHARE:
                done += 1
        return done

    def step_seconds_run(self, index: int) -> float:
        """Active seconds step ``index`` has run so far (pauses and lead-ins excluded)."""
        ran = self._step_run.get(index, 0.0)
        if self._state is State.RUNNING and index == self._index:
            ran += max(0.0, self._effective_now() - self._step_since)
        return ran

    @property
    def active_seconds(self) -> float:
        """Seconds the steps actually ran: pauses and lead-ins excluded."""
        if self._state is State.RUNNING:
            return self._active + max(0.0, self._effective_now() - self._run_since)
        return self._active

    def remaining(self) -> float:
        """Seconds left in the current step (never negative)."""
        if self._state is State.RUNNING:
            return max(0.0, self._deadline - self._effective_now())
        return self._remaining

    def breath(self) -> BreathInfo | None:
        """The current breath phase of a breathing step, or None for other steps."""
        breathing = self._steps[self._index].breathing
        if breathing is None or self._state in (State.IDLE, State.FINISHED, State.STOPPED):
            return None
        found = breath_at(breathing, self._step_seconds - self.remaining())
        return None if found is None else found[0]

    def snapshot(self) -> Snapshot:
        remaining = self.remaining()
        elapsed_in_step = self._step_seconds - remaining
        before = sum(step.duration_seconds for step in self._steps[: self._index])
        after = sum(step.duration_seconds for step in self._steps[self._index + 1 :])
        total = before + self._step_seconds + after
        if self._state is State.FINISHED:
            overall = 1.0
        else:
            overall = (before + elapsed_in_step) / total if total > 0 else 0.0
        lead_in = None
        if self._state is State.LEAD_IN:
            lead_in = max(1, math.ceil(self._lead_in_end - self._effective_now() - 1e-9))
        next_index = self._index + 1
        return Snapshot(
            state=self._state,
            index=self._index,
            step=self._steps[self._index],
            next_step=self._steps[next_index] if next_index < len(self._steps) else None,
            steps_total=len(self._steps),
            remaining=remaining,
            step_seconds=self._step_seconds,
            step_progress=min(1.0, max(0.0, elapsed_in_step / self._step_seconds)),
            overall_progress=min(1.0, max(0.0, overall)),
            active_seconds=self.active_seconds,
            planned_seconds=self.planned_seconds,
            steps_completed=self.steps_completed,
            lead_in=lead_in,
            breath=self.breath(),
        )

    def seconds_to_next_change(self, *, shown: bool = True) -> float | None:
        """Seconds until something visible or audible changes: the whole-second countdown, a lead-in
        count, a breath phase, a halfway or last-seconds point, the step's end. None when nothing is
        counting (idle, paused, over). Includes a 1 ms margin so a single-shot timer lands just after.
        With ``shown=False`` (no countdown on screen) the whole seconds of a step are left out: only what
        is heard or recorded is waited for (the lead-in's counts are heard, so they stay)."""
        now = self._effective_now()
        if self._state is State.LEAD_IN:
            return _to_next_whole(self._lead_in_end - now) + TIMER_MARGIN_SECONDS
        if self._state is not State.RUNNING:
            return None
        remaining = max(0.0, self._deadline - now)
        candidates = [_to_next_whole(remaining), remaining] if shown else [remaining]
        elapsed = self._step_seconds - remaining
        if self._wants_halfway() and not self._halfway_sent:
            candidates.append(self._step_seconds / 2 - elapsed)
        if self._wants_last_seconds() and not self._last_sent:
            candidates.append(remaining - LAST_SECONDS)
        breath = self.breath()
        if breath is not None:
            candidates.append(breath.seconds_left)
        # A point already passed but not yet announced (no tick since) asks for a tick right away.
        return max(0.0, min(candidates)) + TIMER_MARGIN_SECONDS

    # --- Transitions ----------------------------------------------------------------------------------

    def start(self) -> list[Event]:
        """Begin the first step at once."""
        now = self._clock()
        if self._state is not State.IDLE:
            return []
        self._last_seen = now
        self._state = State.RUNNING
        self._run_since = now
        self._step_since = now
        events: list[Event] = [SessionStarted(len(self._steps), self.planned_seconds)]
        events += self._begin_step(0, now, now)
        events += self._step_events(now)
        return events

    def tick(self) -> list[Event]:
        """Look at the clock: emit whatever happened since the last look."""
        return self._observe()

    def pause(self) -> list[Event]:
        events = self._observe()
        now = self._effective_now()
        if self._state in (State.RUNNING, State.LEAD_IN):
            events += self._enter_pause(now, "user")
        return events

    def resume(self) -> list[Event]:
        """Count in 3-2-1, then go on from where the step was paused."""
        events = self._observe()
        if self._state is not State.PAUSED:
            return events
        now = self._effective_now()
        if self._lead_in_seconds <= 0:
            events += self._go_running(now)
            events += self._step_events(now)
            return events
        self._state = State.LEAD_IN
        self._lead_in_end = now + self._lead_in_seconds
        self._lead_in_shown = self._lead_in_seconds
        events.append(LeadInTick(self._lead_in_seconds))
        return events

    def next(self) -> list[Event]:
        """Move on to the next step; on the last step this finishes the session."""
        events = self._observe()
        if not self._is_live():
            return events
        now = self._effective_now()
        if self._index == len(self._steps) - 1:
            return events + self._finish(now)
        events += self._begin_step(self._index + 1, now, now)
        events += self._step_events(now)
        return events

    def previous(self) -> list[Event]:
        """Go back one step; on the first step, start it again."""
        events = self._observe()
        if not self._is_live():
            return events
        now = self._effective_now()
        events += self._begin_step(max(0, self._index - 1), now, now)
        events += self._step_events(now)
        return events

    def restart_step(self) -> list[Event]:
        """Start the current step again from its full (unextended) length."""
        events = self._observe()
        if not self._is_live():
            return events
        now = self._effective_now()
        events += self._begin_step(self._index, now, now)
        events += self._step_events(now)
        return events

    def extend(self, seconds: float = EXTEND_SECONDS) -> list[Event]:
        """Give the current step ``seconds`` more."""
        events = self._observe()
        if not self._is_live() or seconds <= 0:
            return events
        self._step_seconds += seconds
        if self._state is State.RUNNING:
            self._deadline += seconds
        else:
            self._remaining += seconds
        if self.remaining() > LAST_SECONDS:
            self._last_sent = False
        events.append(StepExtended(self._index, seconds, self.remaining()))
        return events

    def stop(self) -> list[Event]:
        """End the session early."""
        events = self._observe()
        if not self._is_live():
            return events
        now = self._effective_now()
        if self._state is State.RUNNING:
            self._bank_step(now)
            self._remaining = max(0.0, self._deadline - now)
            self._active += max(0.0, now - self._run_since)
        self._state = State.STOPPED
        events.append(SessionStopped(self._active, self.steps_completed))
        return events

    # --- Internals ----------------------------------------------------------------------------------

    def _is_live(self) -> bool:
        return self._state in (State.RUNNING, State.LEAD_IN, State.PAUSED)

    def _effective_now(self) -> float:
        """The clock, unless it jumped past the sleep gap: then the last point the session reached."""
        now = self._clock()
        if self._state in (State.RUNNING, State.LEAD_IN) and now - self._last_seen > self._sleep_gap:
            return self._last_seen
        return now

    def _observe(self) -> list[Event]:
        now = self._clock()
        if self._state in (State.RUNNING, State.LEAD_IN) and now - self._last_seen > self._sleep_gap:
            # The laptop slept (or the process was frozen): keep the session where it was.
            reached = self._last_seen
            self._last_seen = now
            events = self._advance_to(reached)
            if self._state in (State.RUNNING, State.LEAD_IN):
                events += self._enter_pause(reached, "sleep")
            return events
        self._last_seen = max(self._last_seen, now)
        return self._advance_to(now)

    def _advance_to(self, now: float) -> list[Event]:
        events: list[Event] = []
        if self._state is State.LEAD_IN:
            if now >= self._lead_in_end:
                events += self._go_running(self._lead_in_end)
            else:
                count = max(1, math.ceil(self._lead_in_end - now - 1e-9))
                if count < self._lead_in_shown:
                    self._lead_in_shown = count
                    events.append(LeadInTick(count))
        if self._state is not State.RUNNING:
            return events
        while now >= self._deadline:
            boundary = self._deadline
            if self._index == len(self._steps) - 1:
                return events + self._finish(boundary)
            events += self._begin_step(self._index + 1, boundary, now)
        events += self._step_events(now)
        return events

    def _go_running(self, at: float) -> list[Event]:
        self._state = State.RUNNING
        self._run_since = at
        self._step_since = at
        self._deadline = at + self._remaining
        self._breath_key = None  # announce the breath phase again after a pause
        return [Resumed()]

    def _enter_pause(self, at: float, reason: PauseReason) -> list[Event]:
        if self._state is State.RUNNING:
            self._bank_step(at)
            self._remaining = max(0.0, self._deadline - at)
            self._active += max(0.0, at - self._run_since)
        self._state = State.PAUSED
        return [Paused(reason)]

    def _finish(self, at: float) -> list[Event]:
        if self._state is State.RUNNING:
            self._bank_step(at)
            self._active += max(0.0, at - self._run_since)
        self._remaining = 0.0
        self._state = State.FINISHED
        return [SessionFinished(self._active, self.steps_completed)]

    def _begin_step(self, index: int, start: float, now: float) -> list[Event]:
        """Make ``index`` current, beginning at clock time ``start`` (earlier than ``now`` on a late tick)."""
        events: list[Event] = []
        if self._state is State.RUNNING:
            self._bank_step(start)
            self._step_since = start
        previous = self._index
        step = self._steps[index]
        if index == previous + 1 and step.mirror_part == 2 and self._steps[previous].mirror_part == 1:
            events.append(SwitchSide(index, step))
        self._index = index
        self._step_seconds = float(step.duration_seconds)
        self._halfway_sent = False
        self._last_sent = False
        self._breath_key = None
        if self._state is State.RUNNING:
            self._deadline = start + self._step_seconds
            remaining = max(0.0, self._deadline - now)
        else:
            self._remaining = self._step_seconds
            remaining = self._remaining
        events.append(StepStarted(index, step, remaining))
        return events

    def _bank_step(self, at: float) -> None:
        """Add the running stretch of the current step, up to clock time ``at``, to what it has run."""
        ran = max(0.0, at - self._step_since)
        self._step_run[self._index] = self._step_run.get(self._index, 0.0) + ran
        self._step_since = at

    def _wants_halfway(self) -> bool:
        return self._steps[self._index].mirror_part == 0

    def _wants_last_seconds(self) -> bool:
        return self._step_seconds >= LAST_SECONDS_MIN_STEP

    def _step_events(self, now: float) -> list[Event]:
        """Halfway, last seconds and breath phase of the current step, at most once each."""
        if self._state is not State.RUNNING:
            return []
        events: list[Event] = []
        remaining = self._deadline - now
        elapsed = self._step_seconds - remaining
        if self._wants_halfway() and not self._halfway_sent and elapsed >= self._step_seconds / 2:
            self._halfway_sent = True
            events.append(Halfway(self._index))
        if self._wants_last_seconds() and not self._last_sent and remaining <= LAST_SECONDS:
            self._last_sent = True
            events.append(LastSeconds(self._index, LAST_SECONDS))
        breathing = self._steps[self._index].breathing
        if breathing is not None:
            found = breath_at(breathing, elapsed)
            if found is not None:
                info, phase_index = found
                key = (info.cycle, phase_index)
                if key != self._breath_key:
                    self._breath_key = key
                    events.append(BreathPhase(self._index, info.phase, info.phase_seconds))
        return events


def _to_next_whole(remaining: float) -> float:
    """Seconds until ceil(remaining) changes: 12.3 -> 0.3, 12.0 -> 1.0."""
    if remaining <= 0:
        return 0.0
    fraction = remaining % 1.0
    return fraction if fraction > 1e-9 else 1.0
