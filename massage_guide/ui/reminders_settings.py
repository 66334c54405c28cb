"""The Breaks and Bedtime groups of the settings page: reminders, the mini player, start at login, night_from.

Labels come from the settings specs (core/reminders.py for the group, core/settings.py for the rest)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.formatting import duration, weekday_names
from massage_guide.core.i18n import N_, _
from massage_guide.core.reminders import BREAKS, WEEKDAYS, ReminderSettings, parse_work_hours
from massage_guide.core.setting_specs import spec_map
from massage_guide.core.settings import BEDTIME, SPECS, Settings
from massage_guide.ui import theme
from massage_guide.ui.settings_panel import FieldCombo, LabelColumn, settings_panel

EVERY_CHOICES: Final = (
    20,
    25,
    30,
    40,
    45,
    50,
    60,
    75,
    90,
    120,
)  # minutes; any other value in the file shows too
HALF_HOURS: Final = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in (0, 30))
NIGHT_CHOICES: Final = (None, "20:00", "20:30", "21:00", "21:30", "22:00", "22:30", "23:00")
NEEDS_RUNNING: Final = N_(
    "Reminders come only while Massage Guide is running. This desktop has no tray to keep it in, so leave "
    "its window open (or minimised), or turn on Start at login."
)
IN_TRAY: Final = N_("Closing the window keeps Massage Guide in the tray, so reminders keep coming.")
GROUP: Final = spec_map(ReminderSettings)


def _label(key: str) -> str:
    """The translated label of a reminders key (``every_minutes``) or a top-level one (``night_from``)."""
    spec = GROUP[key] if key in GROUP else SPECS[key]
    return _(spec.label)


def _night_label(value: str | None) -> str:
    return _("Never") if value is None else _("From {time} until morning").format(time=value)


class RemindersGroup(QWidget):
    """Two panels, Breaks and Bedtime, editing their settings.

    Signals: ``change_requested(str, object)`` (a Settings key and its new value; the reminders group is
    sent whole as a ReminderSettings)."""

    change_requested = Signal(str, object)

    def __init__(self, parent: QWidget | None = None, *, labels: LabelColumn | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._group = ReminderSettings()
        self.enabled = QCheckBox(_label("enabled"))
        self.every = FieldCombo()
        self.every.setAccessibleName(_label("every_minutes"))
        self.start = QComboBox()
        self.start.setAccessibleName(_("Work starts at"))
        self.end = QComboBox()
        self.end.setAccessibleName(_("Work ends at"))
        for combo in (self.start, self.end):
            combo.setMinimumHeight(theme.MIN_TARGET)
            combo.currentIndexChanged.connect(self._hours_changed)
        hours = QWidget()
        hours_row = QHBoxLayout(hours)
        hours_row.setContentsMargins(0, 0, 0, 0)
        hours_row.addWidget(self.start)
        hours_row.addWidget(QLabel(_("to")))
        hours_row.addWidget(self.end)
        hours_row.addStretch(1)
        days = QWidget()
        days_row = QHBoxLayout(days)
        days_row.setContentsMargins(0, 0, 0, 0)
        self.days: dict[str, QCheckBox] = {}
        for day, label in zip(WEEKDAYS, weekday_names("abbreviated"), strict=True):
            box = QCheckBox(label)
            box.setAccessibleName(label)
            # Never squeezed below its words: a panel too narrow for the row puts its label above it.
            box.setSizePolicy(QSizePolicy.Policy.Minimum, box.sizePolicy().verticalPolicy())
            box.toggled.connect(self._days_changed)
            self.days[day] = box
            days_row.addWidget(box)
        days_row.addStretch(1)
        self.routine = FieldCombo()
        self.routine.setAccessibleName(_label("routine"))
        self.mini = QCheckBox(_label("mini_player_for_breaks"))
        self.login = QCheckBox(_label("start_at_login"))
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        self.night = FieldCombo()
        self.night.setAccessibleName(_(SPECS["night_from"].tooltip))
        for value in NIGHT_CHOICES:
            self.night.addItem(_night_label(value), value)
        for widget in (self.enabled, self.every, self.routine, self.mini, self.login, self.night):
            widget.setMinimumHeight(theme.MIN_TARGET)

        self.enabled.toggled.connect(lambda on: self._group_changed(enabled=bool(on)))
        self.every.currentIndexChanged.connect(self._every_changed)
        self.routine.currentIndexChanged.connect(self._routine_changed)
        self.mini.toggled.connect(lambda on: self._request("mini_player_for_breaks", bool(on)))
        self.login.toggled.connect(lambda on: self._request("start_at_login", bool(on)))
        self.night.currentIndexChanged.connect(
            lambda _i: self._request("night_from", self.night.currentData())
        )

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2 * theme.SPACE)
        self.breaks_frame = settings_panel(
            _(BREAKS),
            [
                ("", self.enabled),
                (_label("every_minutes"), self.every),
                (_label("work_hours"), hours),
                (_label("weekdays"), days),
                (_label("routine"), self.routine),
                ("", self.mini),
                ("", self.login),
                ("", self.note),
            ],
            labels,
        )
        self.bedtime_frame = settings_panel(_(BEDTIME), [(_label("night_from"), self.night)], labels)
        column.addWidget(self.breaks_frame)
        column.addWidget(self.bedtime_frame)

    def show_settings(
        self, settings: Settings, routines: Sequence[tuple[str, str]], *, tray_available: bool
    ) -> None:
        """Show the settings; ``routines`` are (id, title) pairs for the break routine choice."""
        self._loading = True
        try:
            group = self._group = settings.reminders
            self.enabled.setChecked(group.enabled)
            self.every.clear()
            for minutes in sorted({*EVERY_CHOICES, group.every_minutes}):
                self.every.addItem(duration(minutes * 60), minutes)
            self.every.setCurrentIndex(self.every.findData(group.every_minutes))
            start, end = (
                group.work_hours.split("-") if parse_work_hours(group.work_hours) else ("09:00", "17:30")
            )
            for combo, value in ((self.start, start.strip()), (self.end, end.strip())):
                combo.clear()
                for choice in sorted({*HALF_HOURS, value}):
                    combo.addItem(choice, choice)
                combo.setCurrentIndex(combo.findData(value))
            for day, box in self.days.items():
                box.setChecked(day in group.weekdays)
            self.routine.clear()
            choices = list(routines)
            if group.routine not in {routine_id for routine_id, _ in choices}:
                choices.append(
                    (group.routine, _("{routine} (not in your library)").format(routine=group.routine))
                )
            for routine_id, title in choices:
                self.routine.addItem(title, routine_id)
            self.routine.setCurrentIndex(max(0, self.routine.findData(group.routine)))
            self.mini.setChecked(settings.mini_player_for_breaks)
            self.login.setChecked(settings.start_at_login)
            if self.night.findData(settings.night_from) < 0:
                self.night.addItem(_night_label(settings.night_from), settings.night_from)
            self.night.setCurrentIndex(max(0, self.night.findData(settings.night_from)))
            self.note.setText(_(IN_TRAY) if tray_available else _(NEEDS_RUNNING))
        finally:
            self._loading = False

    def _group_changed(self, **changes: object) -> None:
        if self._loading:
            return
        self._group = replace(self._group, **changes)  # type: ignore[arg-type]
        self._request("reminders", self._group)

    def _every_changed(self) -> None:
        minutes = self.every.currentData()
        if not self._loading and isinstance(minutes, int):
            self._group_changed(every_minutes=minutes)

    def _routine_changed(self) -> None:
        routine_id = self.routine.currentData()
        if not self._loading and isinstance(routine_id, str):
            self._group_changed(routine=routine_id)

    def _hours_changed(self) -> None:
        start, end = self.start.currentData(), self.end.currentData()
        if not self._loading and isinstance(start, str) and isinstance(end, str) and start != end:
            self._group_changed(work_hours=f"{start}-{end}")

    def _days_changed(self) -> None:
        chosen = tuple(day for day, box in self.days.items() if box.isChecked())
        if chosen:
            self._group_changed(weekdays=chosen)
        elif not self._loading:
            # At least one day: the last one cannot be taken away (turn reminders off instead).
            self._loading = True
            for day in self._group.weekdays:
                self.days[day].setChecked(True)
            self._loading = False

    def _request(self, key: str, value: object) -> None:
        if not self._loading:
            self.change_requested.emit(key, value)
