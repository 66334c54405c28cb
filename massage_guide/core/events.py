"""What a session is and what happens in it: its states, the events the engine emits, and snapshots."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from massage_guide.core.model import Breathing, Step

# "10 seconds left" warns before the step changes.
LAST_SECONDS = 10

BreathPhaseName = Literal["inhale", "hold", "exhale", "hold_after"]
PauseReason = Literal["user", "sleep"]
_PHASES: tuple[BreathPhaseName, ...] = ("inhale", "hold", "exhale", "hold_after")


class State(Enum):
    """Where a session is. LEAD_IN is the 3-2-1 after resume, before the step goes on."""

    IDLE = "idle"
    RUNNING = "running"
    LEAD_IN = "lead_in"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


# --- Events: what happened, in order, for the UI, the sound and the history. ---------------------------


@dataclass(frozen=True)
class SessionStarted:
    """start() was called: the first step begins at once."""

    steps_total: int
    planned_seconds: float


@dataclass(frozen=True)
class StepStarted:
    """Step ``index`` began (by time, next, previous or restart); ``remaining`` as of the event."""

    index: int
    step: Step
    remaining: float


@dataclass(frozen=True)
class SwitchSide:
    """The session moved forward from the first side of a mirrored step to the second (just before
    the matching StepStarted). Mirrored parts get this instead of Halfway: it is the pair's middle."""

    index: int
    step: Step


@dataclass(frozen=True)
class Halfway:
    """Half of an ordinary (not mirrored) step has passed."""

    index: int


@dataclass(frozen=True)
class LastSeconds:
    """``seconds`` are left in step ``index`` (only for steps of LAST_SECONDS_MIN_STEP or more)."""

    index: int
    seconds: int = LAST_SECONDS


@dataclass(frozen=True)
class BreathPhase:
    """A breathing step entered a new phase (zero-length holds are skipped)."""

    index: int
    phase: BreathPhaseName
    seconds: float


@dataclass(frozen=True)
class LeadInTick:
    """The lead-in after resume shows ``count`` (3, 2, 1)."""

    count: int


@dataclass(frozen=True)
class Paused:
    """The session paused: asked by the user, or because the machine slept."""

    reason: PauseReason


@dataclass(frozen=True)
class Resumed:
    """The lead-in ended and the step goes on."""


@dataclass(frozen=True)
class StepExtended:
    """The current step got ``seconds`` more."""

    index: int
    seconds: float
    remaining: float


@dataclass(frozen=True)
class SessionFinished:
    """The last step ran out (or next() was pressed on it)."""

    active_seconds: float
    steps_completed: int


@dataclass(frozen=True)
class SessionStopped:
    """stop() ended the session early."""

    active_seconds: float
    steps_completed: int


Event = (
    SessionStarted
    | StepStarted
    | SwitchSide
    | Halfway
    | LastSeconds
    | BreathPhase
    | LeadInTick
    | Paused
    | Resumed
    | StepExtended
    | SessionFinished
    | SessionStopped
)


@dataclass(frozen=True)
class BreathInfo:
    """Where the breath is now, for an animated pacer: phase, its progress 0..1 and seconds left in it."""

    phase: BreathPhaseName
    progress: float
    seconds_left: float
    phase_seconds: float
    cycle: int


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs to draw the session at one moment."""

    state: State
    index: int
    step: Step
    next_step: Step | None
    steps_total: int
    remaining: float
    step_seconds: float
    step_progress: float
    overall_progress: float
    active_seconds: float
    planned_seconds: float
    steps_completed: int
    lead_in: int | None
    breath: BreathInfo | None

    @property
    def remaining_display(self) -> int:
        """Whole seconds to show: rounded up, so 0 appears only when the step is over."""
        return math.ceil(self.remaining - 1e-9) if self.remaining > 0 else 0


def breath_at(breathing: Breathing, elapsed: float) -> tuple[BreathInfo, int] | None:
    """The breath phase ``elapsed`` seconds into a breathing step, and the phase's index in its cycle."""
    cycle_length = breathing.cycle_seconds
    if cycle_length <= 0:
        return None
    elapsed = max(0.0, elapsed)
    cycle = int(elapsed // cycle_length)
    into = elapsed - cycle * cycle_length
    lengths = (breathing.inhale, breathing.hold, breathing.exhale, breathing.hold_after)
    start = 0.0
    last_nonzero = 0
    for i, length in enumerate(lengths):
        if length <= 0:
            continue
        last_nonzero = i
        if into < start + length:
            return (
                BreathInfo(
                    phase=_PHASES[i],
                    progress=(into - start) / length,
                    seconds_left=start + length - into,
                    phase_seconds=length,
                    cycle=cycle,
                ),
                i,
            )
        start += length
    # Rounding left us at the very end of the cycle: report the end of its last phase.
    length = lengths[last_nonzero]
    return BreathInfo(_PHASES[last_nonzero], 1.0, 0.0, length, cycle), last_nonzero
