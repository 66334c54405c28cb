"""Drop-down lists (and other value widgets) that take the mouse wheel only when they have keyboard focus.

Scrolling a page with the wheel must scroll the page: a combo box that happens to pass under the pointer
would otherwise change its value silently (a filter changes, a setting is saved) and stop the scrolling.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class _WheelGuard(QObject):
    """Ignores wheel events on an unfocused widget, so Qt hands them on to its parent (the scroll area)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            # Ignored and filtered: the widget never sees it, and Qt offers it to the parent widget next.
            event.ignore()
            return True
        return False


_GUARD: _WheelGuard | None = None


def wheel_only_when_focused(*widgets: QWidget) -> None:
    """Make each widget take the wheel only once focused (by click or Tab), never just by hovering."""
    global _GUARD  # noqa: PLW0603 - one stateless filter object serves every guarded widget
    if _GUARD is None:
        _GUARD = _WheelGuard()
    for widget in widgets:
        # The default wheel focus policy would let the wheel itself give focus, then change the value.
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(_GUARD)
