"""One routine before it starts: summary, what you need, cautions, every step with its time, and Start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import formatting
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.model import (
    Routine,
    area_label,
    equipment_label,
    goal_label,
    level_label,
    pressure_label,
    side_label,
    technique_name,
)
from massage_guide.ui import icons, theme
from massage_guide.ui.routine_card import FavouriteButton
from massage_guide.ui.scrolling import vertical_scroll
from massage_guide.ui.sound_names import sound_name

SIDE_PANEL_WIDTH = 340
# Narrower than this (px, at the default text size) and the left column cannot hold the title and the
# step list beside the side panel: the columns stack instead, and the page scrolls.
LEFT_COLUMN_MIN = 420
SUMMARY_POSITION = 2  # title, meta, summary: the one-column layout puts the side panel after these
NO_SOUND_NOTE = N_("No sound device: this session will be silent, so follow the words on screen.")


def _wrapped(text: str = "", role: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        label.setProperty("role", role)
    return label


class RoutineDetailPage(QWidget):
    """The routine's details and the Start button.

    Signals: ``start_requested(str, bool, bool)`` routine id, voice on, ambience on; ``back_requested()``;
    ``favourite_toggled(str, bool)``.
    """

    start_requested = Signal(str, bool, bool)
    back_requested = Signal()
    favourite_toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._routine: Routine | None = None
        self._language = "en"

        self.back_button = QPushButton(_("Library"))
        self.back_button.setIcon(icons.icon("back"))
        self.back_button.setAccessibleName(_("Back to the library"))
        self.back_button.setToolTip(_("Back to the library (Esc)"))
        self.back_button.clicked.connect(self.back_requested)
        self.heart = FavouriteButton(self)
        self.heart.toggled.connect(self._heart_toggled)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.heart)

        self.title_label = _wrapped(role="title")
        self.title_label.setAccessibleName(_("Routine title"))
        self.meta_label = _wrapped(role="muted")
        self.summary_label = _wrapped()
        self.summary_label.setFont(theme.font(1.1))

        self.steps = QTreeWidget()
        self.steps.setAccessibleName(_("Steps"))
        self.steps.setColumnCount(4)
        self.steps.setHeaderLabels([_("Starts"), _("Step"), _("Side"), _("Length")])
        self.steps.setRootIsDecorated(False)
        self.steps.setUniformRowHeights(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps.setWordWrap(False)
        header = self.steps.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.setStyleSheet("QTreeView::item { padding: 6px 4px; }")
        # The whole list is shown (the page scrolls, not the list): no scroll inside a scroll.
        self.steps.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        left = QVBoxLayout()
        self._left = left
        left.setSpacing(theme.SPACE)
        left.addWidget(self.title_label)
        left.addWidget(self.meta_label)
        left.addWidget(self.summary_label)
        steps_heading = QLabel(_("Steps"))
        steps_heading.setProperty("role", "heading")
        steps_heading.setContentsMargins(0, theme.SPACE, 0, 0)
        left.addWidget(steps_heading)
        left.addWidget(self.steps)
        left.addStretch(1)

        left.setContentsMargins(0, 0, 0, 0)
        self.side_panel = self._side_panel()
        content = QWidget()
        self._body = QHBoxLayout(content)
        self._body.setContentsMargins(3 * theme.SPACE, 0, 3 * theme.SPACE, 3 * theme.SPACE)
        self._body.setSpacing(3 * theme.SPACE)
        self._body.addLayout(left, 1)
        self._body.addWidget(self.side_panel)
        self.page_scroll = vertical_scroll(content)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2 * theme.SPACE, 0, 0)
        layout.setSpacing(2 * theme.SPACE)
        top.setContentsMargins(3 * theme.SPACE, 0, 3 * theme.SPACE, 0)
        layout.addLayout(top)
        layout.addWidget(self.page_scroll, 1)

        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Back)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.back_requested)
        self.setTabOrder(self.back_button, self.heart)
        self.setTabOrder(self.heart, self.start_button)
        self.setTabOrder(self.start_button, self.voice_box)
        self.setTabOrder(self.voice_box, self.ambience_box)
        self.setTabOrder(self.ambience_box, self.steps)

    def _side_panel(self) -> QWidget:
        start_panel = QFrame()
        start_panel.setProperty("role", "panel")
        start_layout = QVBoxLayout(start_panel)
        start_layout.setContentsMargins(2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE)
        start_layout.setSpacing(theme.SPACE)
        self.total_label = QLabel()
        self.total_label.setFont(theme.font(1.6, bold=True))
        self.total_label.setAccessibleName(_("Total length"))
        self.steps_count_label = QLabel()
        self.steps_count_label.setProperty("role", "muted")
        self.voice_box = QCheckBox(_("Spoken guidance"))
        self.voice_box.setAccessibleName(_("Spoken guidance"))
        self.voice_box.setToolTip(_("A calm voice reads each step aloud"))
        self.ambience_box = QCheckBox(_("Background sound"))
        self.ambience_box.setAccessibleName(_("Background sound"))
        self.start_button = QPushButton(_("Start"))
        self.start_button.setProperty("role", "primary")
        self.start_button.setIcon(icons.icon("play", theme.current().accent_text, filled=True))
        self.start_button.setAccessibleName(_("Start the routine"))
        self.start_button.setMinimumHeight(52)
        self.start_button.setFont(theme.font(1.25, bold=True))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self._start_clicked)
        start_layout.addWidget(self.total_label)
        start_layout.addWidget(self.steps_count_label)
        start_layout.addWidget(self.voice_box)
        start_layout.addWidget(self.ambience_box)
        start_layout.addSpacing(theme.SPACE)
        start_layout.addWidget(self.start_button)
        self.sound_note = _wrapped(_(NO_SOUND_NOTE), role="muted")
        self.sound_note.setAccessibleName(_(NO_SOUND_NOTE))
        self.sound_note.hide()
        start_layout.addWidget(self.sound_note)

        needs_heading = QLabel(_("What you need"))
        needs_heading.setProperty("role", "heading")
        self.needs_label = _wrapped()
        self.cautions_panel = QFrame()
        self.cautions_panel.setObjectName("cautions")
        self.cautions_panel.setAccessibleName(_("Take care"))
        cautions_layout = QVBoxLayout(self.cautions_panel)
        cautions_layout.setContentsMargins(2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE, 2 * theme.SPACE)
        cautions_title = QHBoxLayout()
        self.cautions_icon = QLabel()
        self.cautions_icon.setPixmap(icons.icon("info", theme.current().warm).pixmap(22, 22))
        cautions_heading = QLabel(_("Take care"))
        cautions_heading.setProperty("role", "heading")
        cautions_title.addWidget(self.cautions_icon)
        cautions_title.addWidget(cautions_heading, 1)
        self.cautions_label = _wrapped()
        cautions_layout.addLayout(cautions_title)
        cautions_layout.addWidget(self.cautions_label)

        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(theme.SPACE)
        column.addWidget(start_panel)
        column.addSpacing(theme.SPACE)
        column.addWidget(needs_heading)
        column.addWidget(self.needs_label)
        column.addSpacing(theme.SPACE)
        column.addWidget(self.cautions_panel)
        column.addStretch(1)
        return side

    def _side_width(self) -> int:
        """The side panel's width: the usual, or wider when large text makes its longest line wider."""
        longest = max(box.sizeHint().width() for box in (self.voice_box, self.ambience_box))
        return max(round(SIDE_PANEL_WIDTH * theme.text_scale()), longest + 6 * theme.SPACE)

    def _reflow(self) -> None:
        """Side by side when there is room for both columns, else one column that scrolls."""
        side = self._side_width()
        room = self.page_scroll.viewport().width() - 9 * theme.SPACE
        if room - side >= LEFT_COLUMN_MIN * theme.text_scale():
            if self._left.indexOf(self.side_panel) >= 0:
                self._left.removeWidget(self.side_panel)
                self._body.addWidget(self.side_panel)
            self.side_panel.setFixedWidth(side)
        else:
            # One column: Start and the cautions come right after the summary, before the long step list.
            if self._body.indexOf(self.side_panel) >= 0:
                self._body.removeWidget(self.side_panel)
                self._left.insertWidget(SUMMARY_POSITION + 1, self.side_panel)
            self.side_panel.setMinimumWidth(0)
            self.side_panel.setMaximumWidth(16_777_215)

    def _fit_steps(self) -> None:
        """The step list as tall as its rows, so the page (not the list) scrolls."""
        rows = self.steps.topLevelItemCount()
        row = self.steps.sizeHintForRow(0) if rows else 0
        header = self.steps.header().sizeHint().height()
        self.steps.setFixedHeight(header + rows * row + 2 * self.steps.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()

    # -- public API ---------------------------------------------------------------------------------
    def show_routine(
        self,
        routine: Routine,
        *,
        language: str = "en",
        voice_on: bool = True,
        ambience_on: bool = True,
        favourite: bool = False,
    ) -> None:
        """Fill the page with one routine and the person's current voice and ambience choices."""
        self._routine = routine
        self._language = language
        title = routine.title.get(language)
        self.title_label.setText(title)
        areas = ", ".join(area_label(a) for a in routine.areas)
        goals = ", ".join(goal_label(g) for g in routine.goals)
        self.meta_label.setText(f"{level_label(routine.level)}  ·  {areas}  ·  {goals}")
        self.summary_label.setText(routine.summary.get(language))

        self.heart.blockSignals(True)
        self.heart.setChecked(favourite)
        self.heart.blockSignals(False)
        self.heart._refresh(favourite)

        total = routine.duration_seconds
        self.total_label.setText(formatting.duration(total))
        in_all = _("{time} in all").format(time=formatting.long_clock(total))
        self.total_label.setToolTip(in_all)
        count = len(routine.steps)
        steps = ngettext("{count} step", "{count} steps", count).format(count=formatting.number(count))
        # The length is the big figure above; saying it again here made people read it twice.
        self.steps_count_label.setText(steps)
        self.voice_box.setChecked(voice_on)
        if routine.ambience:
            self.ambience_box.setEnabled(True)
            self.ambience_box.setText(
                _("Background sound: {sound}").format(sound=sound_name(routine.ambience))
            )
            self.ambience_box.setChecked(ambience_on)
            self.ambience_box.setToolTip(_("Plays softly under the guidance"))
        else:
            self.ambience_box.setChecked(False)
            self.ambience_box.setEnabled(False)
            self.ambience_box.setText(_("No background sound"))
            self.ambience_box.setToolTip(_("This routine is meant to be done in quiet"))
        self.ambience_box.setAccessibleName(self.ambience_box.text())

        if routine.equipment:
            self.needs_label.setText("\n".join(f"•  {equipment_label(e)}" for e in routine.equipment))
        else:
            self.needs_label.setText(_("Just your hands and a comfortable place."))
        cautions = [caution.get(language) for caution in routine.cautions]
        self.cautions_label.setText("\n\n".join(cautions))
        self.cautions_panel.setVisible(bool(cautions))
        palette = theme.current()
        # Calm, not alarming: the warm accent as a side stripe, read at show time so theme switches apply.
        self.cautions_panel.setStyleSheet(
            f"QFrame#cautions {{ background: {palette.surface}; border: 1px solid {palette.border}; "
            f"border-left: 5px solid {palette.warm}; border-radius: {theme.RADIUS}px; }}"
        )
        self.cautions_icon.setPixmap(icons.icon("info", palette.warm).pixmap(22, 22))

        self._fill_steps(routine, language)
        self.start_button.setAccessibleName(_("Start {title}").format(title=title))
        self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_sound_missing(self, missing: bool) -> None:
        """Say under Start that there is no sound device, before the person relies on the voice."""
        self.sound_note.setVisible(missing)

    def routine(self) -> Routine | None:
        return self._routine

    def step_rows(self) -> list[tuple[str, str, str, str]]:
        """The step list as shown: (starts, title, side, length) per row."""
        rows = []
        for index in range(self.steps.topLevelItemCount()):
            item = self.steps.topLevelItem(index)
            assert item is not None
            rows.append((item.text(0), item.text(1), item.text(2), item.text(3)))
        return rows

    # -- behaviour ----------------------------------------------------------------------------------
    def _fill_steps(self, routine: Routine, language: str) -> None:
        self.steps.clear()
        items = []
        start = 0
        named: set[str] = set()
        for step in routine.steps:
            how = [
                technique_name(step.technique) if step.technique else "",
                pressure_label(step.pressure) if step.pressure else "",
            ]
            detail = ", ".join(part for part in how if part)
            title = step.title.get(language)
            muscle = step.muscle.get(language) if step.muscle else ""
            if muscle and muscle.lower() not in named:  # each muscle named once, where it is first worked
                named.add(muscle.lower())
                title = f"{title} · {muscle}"
            item = QTreeWidgetItem(
                [
                    formatting.long_clock(start),
                    title,
                    side_label(step.side),
                    formatting.long_clock(step.duration_seconds),
                ]
            )
            tip = step.instruction.get(language)
            item.setToolTip(1, f"{detail[:1].upper()}{detail[1:]}. {tip}" if detail else tip)
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
            start += step.duration_seconds
        self.steps.addTopLevelItems(items)
        self._fit_steps()
        self._reflow()

    def _heart_toggled(self, on: bool) -> None:
        if self._routine is not None:
            self.favourite_toggled.emit(self._routine.id, on)

    def _start_clicked(self) -> None:
        if self._routine is None:
            return
        ambience = self.ambience_box.isEnabled() and self.ambience_box.isChecked()
        self.start_requested.emit(self._routine.id, self.voice_box.isChecked(), ambience)
