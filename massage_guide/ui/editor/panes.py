"""The editor's three panes (routine, steps, selected step): side by side when the window is wide enough,
else one view at a time with a switch above, so the editor fits a 1024x600 screen at the largest text."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QSplitter, QWidget

from massage_guide.core.i18n import _
from massage_guide.ui import icons, theme
from massage_guide.ui.editor.fields import WordsFit, fit_words

# Pane stretch when side by side: the two forms get more room than the list of steps.
ROUTINE_STRETCH, STEPS_STRETCH, STEP_STRETCH = 3, 2, 3


class Arrangement(Enum):
    """How the panes sit: all three across; or one view at a time, the steps beside or above the step."""

    WIDE = "wide"
    STEPS_BESIDE = "steps_beside"
    STEPS_ABOVE = "steps_above"


class EditorPanes(QWidget):
    """Holds the routine pane, the steps column and the step pane, and arranges them for the width it has.

    Its minimum size is that of the narrowest arrangement (one pane across), so a window never has to be
    wider than its widest pane; the wider arrangements are chosen whenever they fit. ``switch`` (the two
    buttons that choose the view) is for the window to place; it shows only while one view shows.

    Signals: ``arrangement_changed(Arrangement)``."""

    arrangement_changed = Signal(object)

    def __init__(
        self, routine: QWidget, steps: QWidget, step: QWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.routine_pane, self.steps_pane, self.step_pane = routine, steps, step
        self.arrangement = Arrangement.WIDE
        self._fits: dict[QPushButton, WordsFit] = {}
        self.routine_button = self._switch(_("Routine"), _("Show the routine's details"))
        self.steps_button = self._switch(_("Steps"), _("Show the steps and the selected step"))
        self.steps_button.setChecked(True)  # the steps are what a person edits most
        group = QButtonGroup(self)
        group.setExclusive(True)
        for button in (self.routine_button, self.steps_button):
            group.addButton(button)
            button.toggled.connect(lambda _on: self._show_views())
        self.switch = QWidget()
        row = QHBoxLayout(self.switch)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.SPACE)
        row.addWidget(self.routine_button)
        row.addWidget(self.steps_button)
        row.addStretch(1)

        self.inner = QSplitter(Qt.Orientation.Horizontal)
        self.inner.setChildrenCollapsible(False)
        self.inner.addWidget(steps)
        self.inner.addWidget(step)
        self.inner.setStretchFactor(0, STEPS_STRETCH)
        self.inner.setStretchFactor(1, STEP_STRETCH)
        self.outer = QSplitter(Qt.Orientation.Horizontal, self)
        self.outer.setChildrenCollapsible(False)
        self.outer.addWidget(routine)
        self.outer.addWidget(self.inner)
        self.outer.setStretchFactor(0, ROUTINE_STRETCH)
        self.outer.setStretchFactor(1, STEPS_STRETCH + STEP_STRETCH)
        self._show_views()

    def _switch(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setMinimumHeight(theme.MIN_TARGET)
        self._fits[button] = fit_words(button)
        return button

    # -- sizes ----------------------------------------------------------------------------------------
    def _width(self, pane: QWidget) -> int:
        return max(pane.minimumWidth(), pane.minimumSizeHint().width())

    def _height(self, pane: QWidget) -> int:
        return max(pane.minimumHeight(), pane.minimumSizeHint().height())

    def _wide_width(self) -> int:
        handles = 2 * self.outer.handleWidth()
        return (
            sum(self._width(pane) for pane in (self.routine_pane, self.steps_pane, self.step_pane)) + handles
        )

    def _beside_width(self) -> int:
        return self._width(self.steps_pane) + self._width(self.step_pane) + self.inner.handleWidth()

    def minimumSizeHint(self) -> QSize:
        panes = (self.routine_pane, self.steps_pane, self.step_pane)
        width = max(self._width(pane) for pane in panes)
        above = self._height(self.steps_pane) + self.inner.handleWidth() + self._height(self.step_pane)
        return QSize(width, max(above, self._height(self.routine_pane)))

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint().expandedTo(QSize(self._wide_width(), self.minimumSizeHint().height()))

    # -- arranging ------------------------------------------------------------------------------------
    def arrangement_for(self, width: int) -> Arrangement:
        """The widest arrangement that fits ``width``."""
        if width >= self._wide_width():
            return Arrangement.WIDE
        return Arrangement.STEPS_BESIDE if width >= self._beside_width() else Arrangement.STEPS_ABOVE

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        arrangement = self.arrangement_for(self.width())
        if arrangement is not self.arrangement:
            self.arrangement = arrangement
            vertical = arrangement is Arrangement.STEPS_ABOVE
            self.inner.setOrientation(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
            self._show_views()
            # Share the room by the panes' stretch again (the splitters scale these to their width); the
            # list above the step gets the step's share too, as the step's form is the longer one.
            self.outer.setSizes([ROUTINE_STRETCH, STEPS_STRETCH + STEP_STRETCH])
            self.inner.setSizes([STEPS_STRETCH, STEP_STRETCH])
            self.arrangement_changed.emit(arrangement)
        self.outer.setGeometry(QRect(0, 0, self.width(), self.height()))

    def _show_views(self) -> None:
        wide = self.arrangement is Arrangement.WIDE
        self.switch.setVisible(not wide)
        self.routine_pane.setVisible(wide or self.routine_button.isChecked())
        self.inner.setVisible(wide or self.steps_button.isChecked())

    def show_routine(self) -> None:
        """Bring the routine's details into view (a no-op when all panes show)."""
        self.routine_button.setChecked(True)

    def show_steps(self) -> None:
        """Bring the steps into view (a no-op when all panes show)."""
        self.steps_button.setChecked(True)

    def mark_problems(self, routine: bool, steps: bool) -> None:
        """A warning sign on the switch of a view with a problem, so it is found while the other shows."""
        warning = icons.icon("warning", theme.current().danger)
        for button, bad in ((self.routine_button, routine), (self.steps_button, steps)):
            button.setIcon(warning if bad else QIcon())
            self._fits[button].fit()  # the sign takes room beside the words
