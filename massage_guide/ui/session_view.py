"""What a view of a running session offers, so the full player and the mini player can follow the same one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from massage_guide.core.engine import Snapshot
    from massage_guide.core.model import Routine


class SessionView(Protocol):
    """A view the session controller feeds (routine, step, countdown) and whose requests it carries out.

    It shows what it is given and never keeps time itself. Any number may be attached to one session, and
    attached or detached while it runs (the player page and the mini player both do)."""

    @property
    def pause_requested(self) -> SignalInstance: ...

    @property
    def resume_requested(self) -> SignalInstance: ...

    @property
    def next_requested(self) -> SignalInstance: ...

    @property
    def stop_requested(self) -> SignalInstance: ...

    def show_routine(self, routine: Routine, language: str = "en") -> None:
        """A session of ``routine`` begins (or is already under way when the view attaches)."""

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The session as it is now: step, countdown, state."""

    def set_hide_time_left(self, hide: bool) -> None:
        """The hide_time_left setting: no countdown to watch."""


@runtime_checkable
class FullSessionView(SessionView, Protocol):
    """A view with every control (the player page): previous, extend, mute, volume and motion too."""

    @property
    def previous_requested(self) -> SignalInstance: ...

    @property
    def extend_requested(self) -> SignalInstance: ...

    @property
    def mute_toggled(self) -> SignalInstance: ...

    @property
    def volume_changed(self) -> SignalInstance: ...

    def set_reduced_motion(self, reduced: bool) -> None:
        """The reduced_motion setting: no animation."""

    def set_muted(self, muted: bool) -> None:
        """Sound is muted (from this view, another one, or the settings)."""

    def set_volume(self, percent: int) -> None:
        """The session's volume, as a share of the user's own volumes."""
