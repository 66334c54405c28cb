"""Ports: the small interfaces the core drives, implemented by services (audio) and the history store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Cue(StrEnum):
    """The classes of cue the session plays; each maps to a bundled sound id (see CUE_SOUNDS)."""

    SESSION_START = "session_start"
    NEXT_STEP = "next_step"
    SWITCH_SIDE = "switch_side"
    TEN_SECONDS = "ten_seconds"
    SESSION_END = "session_end"
    INHALE = "inhale"
    EXHALE = "exhale"
    COUNTDOWN = "countdown"


# Default sound id (a file in audio/cues/) for each cue class; a step's own ``cue`` replaces NEXT_STEP.
CUE_SOUNDS: dict[Cue, str] = {
    Cue.SESSION_START: "bowl",
    Cue.NEXT_STEP: "wood",
    Cue.SWITCH_SIDE: "chime",
    Cue.TEN_SECONDS: "soft-tick",
    Cue.SESSION_END: "bowl-end",
    Cue.INHALE: "breath-in",
    Cue.EXHALE: "breath-out",
    Cue.COUNTDOWN: "soft-tick",
}


@dataclass(frozen=True)
class AudioSettings:
    """What the user chose for sound; every class of sound can be turned off on its own."""

    ambience_volume: float = 0.5
    cue_volume: float = 0.7
    voice_volume: float = 0.9
    muted: bool = False
    ambience_enabled: bool = True
    cues_enabled: bool = True
    breathing_tones_enabled: bool = True
    voice_enabled: bool = True
    voice_rate: int = 140  # words per minute, as measured; calm rather than brisk
    voice_language: str = "en"
    voice_engine: str = "auto"  # auto | natural | espeak (services/voice.py)


# A session that starts at once waits at most this long for its first words (the natural voice's model
# loads in ~2 s and renders a step in ~2-4 s on two busy cores).
SPEECH_READY_TIMEOUT_SECONDS = 15.0


class AudioPort(Protocol):
    """Everything a session needs from sound. Implementations never raise: failures go silent and are
    reported once through ``problems()``."""

    def configure(self, settings: AudioSettings) -> None: ...

    def warm_up(self) -> None:
        """Get ready to sound soon (a routine's page is open): load the sound library off the caller's
        thread. Opens no device; costs nothing when already done."""
        ...

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None: ...

    def fade(self, level: float, seconds: float) -> None:
        """Move the ambience to ``level`` (0-1, a share of its volume setting) evenly over ``seconds``; it
        keeps playing, even at 0. ``start_ambience`` begins at full level again."""
        ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self, fade_out_seconds: float = 0.0) -> None: ...

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None: ...

    def speak(self, text: str) -> None: ...

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        """Render words that will be spoken soon, so speaking them starts at once."""
        ...

    def prepare_speech(self, texts: Sequence[str], timeout: float = SPEECH_READY_TIMEOUT_SECONDS) -> bool:
        """Render ``texts`` and wait at most ``timeout`` seconds for the first: True when it is ready or
        there is nothing to wait for (no voice)."""
        ...

    def stop_voice(self) -> None: ...

    def problems(self) -> list[str]: ...

    def close(self) -> None: ...


class SilentAudio:
    """AudioPort that makes no sound: used when no sound device opens (carrying the reason in
    ``problems()``), when the sound library cannot even be loaded, and by tests of other parts."""

    def __init__(self, problems: Sequence[str] = ()) -> None:
        self._problems = list(problems)

    def configure(self, settings: AudioSettings) -> None:
        pass

    def warm_up(self) -> None:
        pass

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        pass

    def fade(self, level: float, seconds: float) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        pass

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None:
        pass

    def speak(self, text: str) -> None:
        pass

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        pass

    def prepare_speech(self, texts: Sequence[str], timeout: float = SPEECH_READY_TIMEOUT_SECONDS) -> bool:
        return True  # nothing will be said, so nothing to wait for

    def stop_voice(self) -> None:
        pass

    def problems(self) -> list[str]:
        return list(self._problems)

    def close(self) -> None:
        pass


class HistoryPort(Protocol):
    """How a running session is put on record (implemented by core.history.HistoryStore).

    The record is written when the session starts, updated at every step boundary and finished before
    the completion screen appears, so a crash loses at most the step in progress."""

    def begin(
        self,
        *,
        routine_id: str,
        routine_title: str,
        content_hash: str,
        planned_seconds: int,
        steps_total: int,
    ) -> str:
        """Create an ``in_progress`` record; returns its id (a UUID string)."""
        ...

    def progress(self, session_id: str, *, active_seconds: float, steps_completed: int) -> None: ...

    def finish(self, session_id: str, *, status: str, active_seconds: float, steps_completed: int) -> None:
        """Close the record with status ``completed`` or ``stopped``."""
        ...

    def set_feedback(
        self,
        session_id: str,
        *,
        tension_before: int | None,
        tension_after: int | None,
        note: str | None,
    ) -> None: ...
