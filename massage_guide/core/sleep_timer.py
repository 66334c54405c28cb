"""The sleep timer: the ambience plays on and fades to silence over a set time, on the injected clock."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from massage_guide.core.ports import AudioPort

# Cancelling brings the ambience back this quickly: fast enough to answer the click, slow enough not to jolt.
RESTORE_FADE_SECONDS = 1.0


class SleepState(Enum):
    """Where a sleep timer is: made, fading, run out, or given up (a timer that ended is not reused)."""

    READY = "ready"  # made, not started
    RUNNING = "running"  # the ambience is fading
    DONE = "done"  # the time ran out: the sound was stopped
    CANCELLED = "cancelled"  # given up: the ambience back at its level, or stopped by hand


class SleepTimer:
    """One sleep fade of ``seconds``: ``start()`` (at a session's end, or whenever asked) fades the ambience
    to silence over that time with ``AudioPort.fade``; ``tick()`` stops the sound once the time is up.

    ``cancel()`` gives the fade up and brings the ambience back to its level; ``stop_sound()`` ends the
    sound at once (with a short fade) instead of waiting. Time comes only from ``clock``, so a caller may
    tick late or rarely: what it reports is computed from the clock, never counted."""

    def __init__(self, audio: AudioPort, clock: Callable[[], float], seconds: float) -> None:
        self.audio = audio
        self.seconds = max(0.0, float(seconds))
        self._clock = clock
        self._until: float | None = None
        self.state = SleepState.READY

    def start(self) -> None:
        """Begin fading now (again from the start if it was already running)."""
        if self.state is SleepState.DONE or self.state is SleepState.CANCELLED:
            return
        self.state = SleepState.RUNNING
        self._until = self._clock() + self.seconds
        self.audio.fade(0.0, self.seconds)

    def running(self) -> bool:
        """Fading, with time left."""
        return self.state is SleepState.RUNNING

    def seconds_left(self) -> float | None:
        """Seconds until the sound stops, or None when the timer is not running."""
        if self.state is not SleepState.RUNNING or self._until is None:
            return None
        return max(0.0, self._until - self._clock())

    def tick(self) -> bool:
        """Look at the clock: once the time is up, stop the sound. True when this call ended the timer."""
        left = self.seconds_left()
        if left is None or left > 0:
            return False
        self.state = SleepState.DONE
        self.audio.stop(0.0)  # already faded to silence: nothing to fade
        return True

    def cancel(self) -> bool:
        """Give the fade up: the ambience comes back to its set level and plays on. True if it was running."""
        if self.state is not SleepState.RUNNING:
            return False
        self.state = SleepState.CANCELLED
        self.audio.fade(1.0, RESTORE_FADE_SECONDS)
        return True

    def stop_sound(self, fade_out_seconds: float) -> bool:
        """End the sound now rather than at the timer's end, fading from where the level is. True if it
        was running."""
        if self.state is not SleepState.RUNNING:
            return False
        self.state = SleepState.CANCELLED
        self.audio.stop(fade_out_seconds)
        return True
