"""The break prompt: a small "Time for a break" window that never takes the keyboard from someone typing."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication, QKeyEvent, QWindow
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from massage_guide.core import formatting
from massage_guide.core.i18n import N_, _
from massage_guide.ui import app_icon, theme

# The title issue 12 names: the English stays exactly this; other languages show their own.
WINDOW_TITLE: Final = N_("Time for a break")
# Untouched for this long, the prompt steps aside on its own (recorded as missed): someone in a call or
# away from the desk should not come back to a window waiting for them.
MISS_AFTER_MS: Final = 2 * 60 * 1000
# Distance from the screen's corner, so the prompt clears panels and docks.
SCREEN_MARGIN: Final = 24
# Room for the window manager's title bar and borders before the window has been mapped and measured.
DECORATION_ALLOWANCE: Final = 32


def place_in_corner(window: QWidget) -> None:
    """Move ``window`` to the bottom-right corner of the screen that holds the mouse pointer, frame included."""
    screen = QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    window.resize(_natural_size(window, area))
    frame, inner = window.frameGeometry(), window.geometry()
    extra_width = frame.width() - inner.width()
    extra_height = frame.height() - inner.height()
    if window.isVisible() and extra_height > 0:
        width, height = window.width() + extra_width, window.height() + extra_height
    else:
        width, height = window.width(), window.height() + DECORATION_ALLOWANCE
    window.move(QPoint(area.right() - width - SCREEN_MARGIN, area.bottom() - height - SCREEN_MARGIN))


def _natural_size(window: QWidget, area: QRect) -> QSize:
    """The window's size hint, never below its minimum nor beyond the screen. (adjustSize caps a window at two
    thirds of the screen's width, which cut the buttons of a longer language at a large text size.)"""
    hint = window.sizeHint().expandedTo(window.minimumSizeHint())
    width = min(hint.width(), area.width() - 2 * SCREEN_MARGIN)
    layout = window.layout()
    wraps = layout is not None and layout.hasHeightForWidth()
    height = layout.totalHeightForWidth(width) if layout is not None and wraps else hint.height()
    return QSize(width, min(height, area.height() - 2 * SCREEN_MARGIN))


def place_when_shown(window: QWidget) -> None:
    """Place now, and again once the window manager has framed it (the frame's size is known only then)."""
    place_in_corner(window)
    QTimer.singleShot(0, window, lambda: place_in_corner(window))


def length_text(seconds: int) -> str:
    """``185`` -> ``"3 min"`` (``3 Min.`` in German): the length rounded to whole minutes, never below one."""
    minutes = max(1, round(seconds / formatting.SECONDS_PER_MINUTE))
    return formatting.duration(minutes * formatting.SECONDS_PER_MINUTE)


class BreakPromptWindow(QWidget):
    """Names the break and offers Start, Snooze 10 min and Skip.

    It is shown without activation and does not accept focus, so whoever is typing keeps typing. A
    click on it makes it accept focus and activates it; then Enter starts the break.

    Signals: ``start_requested()``, ``snooze_requested()``, ``skip_requested()``, ``missed()`` (hidden
    after MISS_AFTER_MS untouched)."""

    start_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()
    missed = Signal()

    def __init__(self, *, miss_after_ms: int = MISS_AFTER_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_(WINDOW_TITLE))
        self.setWindowIcon(app_icon.icon())
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowCloseButtonHint
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAccessibleName(_(WINDOW_TITLE))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE * 2, theme.SPACE * 2, theme.SPACE * 2, theme.SPACE * 2)
        layout.setSpacing(theme.SPACE)
        heading = QLabel(_(WINDOW_TITLE))
        heading.setWordWrap(True)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.routine_label = QLabel()
        self.routine_label.setWordWrap(True)
        layout.addWidget(self.routine_label)
        row = QHBoxLayout()
        self.start_button = QPushButton(_("Start"))
        self.start_button.setProperty("role", "primary")
        self.snooze_button = QPushButton(_("Snooze 10 min"))
        self.skip_button = QPushButton(_("Skip"))
        for button in (self.start_button, self.snooze_button, self.skip_button):
            button.setMinimumHeight(theme.MIN_TARGET)
            # Buttons take no focus either: a click answers, it does not pull the keyboard over.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(button)
        layout.addLayout(row)
        self.start_button.clicked.connect(lambda: self._answer(self.start_requested))
        self.snooze_button.clicked.connect(lambda: self._answer(self.snooze_requested))
        self.skip_button.clicked.connect(lambda: self._answer(self.skip_requested))
        self._miss_timer = QTimer(self)
        self._miss_timer.setSingleShot(True)
        self._miss_timer.setInterval(miss_after_ms)
        self._miss_timer.timeout.connect(self._miss)
        self.installEventFilter(self)

    def show_break(self, routine_title: str, seconds: int) -> None:
        """Show the prompt for a routine on the screen that holds the mouse pointer."""
        self.routine_label.setText(
            _("{routine}, {length}. A few minutes for yourself.").format(
                routine=routine_title, length=length_text(seconds)
            )
        )
        self._set_accepts_focus(False)
        self.show()
        place_when_shown(self)
        self._miss_timer.start()

    def is_waiting(self) -> bool:
        return self.isVisible()

    def _answer(self, signal: SignalInstance) -> None:
        self._miss_timer.stop()
        self.hide()
        signal.emit()

    def _miss(self) -> None:
        if self.isVisible():
            self.hide()
            self.missed.emit()

    def withdraw(self) -> None:
        """Hide without an answer (a session began some other way); nothing is emitted."""
        self._miss_timer.stop()
        self.hide()

    def _set_accepts_focus(self, accepts: bool) -> None:
        # Through the QWindow, so a visible prompt changes its hint in place instead of being re-shown.
        handle: QWindow | None = self.windowHandle()  # None until first shown, whatever the stubs say
        if handle is not None:
            handle.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, not accepts)
        else:
            self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus, not accepts)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonPress:
            # The person reached for the prompt: it is touched (no longer missed) and may take the keyboard.
            self._miss_timer.stop()
            self._set_accepts_focus(True)
            self.activateWindow()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._answer(self.start_requested)
            return
        if event.key() == Qt.Key.Key_Escape:
            self._answer(self.skip_requested)
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing it by its title bar is a skip: the person saw it and said no."""
        if self._miss_timer.isActive():
            self._miss_timer.stop()
            self.skip_requested.emit()
        super().closeEvent(event)
