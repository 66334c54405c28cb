"""The settings page: appearance, sound, voice, session, progress and safety; each edit is a request.

Its rows come from the settings specs (core/settings.py): a key's page group, label, tooltip, range and
choices are declared once there. This page only decides how a kind of value is shown (a check box, a slider,
a list of presets) and adds what is not a setting (the voice preview, the safety notice button)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core import i18n
from massage_guide.core.formatting import duration, language_name, number
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.core.setting_specs import Choice, Flag, SettingSpec, Whole
from massage_guide.core.settings import (
    APPEARANCE,
    PROGRESS,
    SAFETY,
    SESSION,
    SOUND,
    SPECS,
    VOICE,
    Settings,
    language_choices,
)
from massage_guide.ui import theme
from massage_guide.ui.reminders_settings import RemindersGroup
from massage_guide.ui.scrolling import vertical_scroll
from massage_guide.ui.settings_panel import FIELD_WIDTH, FieldCombo, LabelColumn, settings_panel
from massage_guide.ui.sound_names import sound_name
from massage_guide.ui.wheel_guard import wheel_only_when_focused

# The groups this page draws, in order; Breaks and Bedtime follow in their own module.
GROUPS: Final = (APPEARANCE, SOUND, VOICE, SESSION, PROGRESS, SAFETY)
VOLUME_KEYS: Final = ("ambience_volume", "cue_volume", "voice_volume")
# Sliders, with the unit shown beside the value and the step of one key press.
SLIDERS: Final = {
    **{key: (N_("{value}%"), 5) for key in VOLUME_KEYS},
    "voice_rate": (N_("{value} wpm"), 10),
}
SLIDER_WIDTH: Final = FIELD_WIDTH  # as wide as a drop-down list where the row has room
# Where it has not (long words, the largest text), a slider may shrink to this before its label goes above
# it: twenty steps of 8 px each, still easy to place with a mouse, and the keys step it anyway.
SLIDER_MIN_WIDTH: Final = 160
SLEEP_FADE_CHOICES: Final = (0, 5, 10, 15, 20, 30, 45, 60)  # minutes; any 0-60 in the file is shown too
# While a session runs it keeps its language (no session half in one, half in another).
LANGUAGE_NOTE: Final = N_("A session is running. A new language starts when it ends.")
SAFETY_PENDING: Final = N_("It will be shown before your next session.")
SAFETY_READ: Final = N_("You have read it. You can read it again at any time.")


def _fade_label(minutes: int) -> str:
    if minutes == 0:
        return _("No, stop with the routine")
    return _("{minutes}, then fade out").format(minutes=duration(minutes * 60))


def _rest_label(days: int) -> str:
    if days == 0:
        return _("None: every day counts")
    return ngettext("{count} day", "{count} days", days).format(count=number(days))


def _language_label(code: str) -> str:
    if code == "system":
        return _("Same as the system ({language})").format(language=language_name(i18n.user_language(None)))
    return language_name(code)


# Keys shown as a list of presets rather than a slider: (value, label) pairs, made when shown.
PRESETS: Final[dict[str, Callable[[], list[tuple[object, str]]]]] = {
    "sleep_fade_minutes": lambda: [(minutes, _fade_label(minutes)) for minutes in SLEEP_FADE_CHOICES],
    "streak_rest_days_per_week": lambda: [(days, _rest_label(days)) for days in range(7)],
    "language": lambda: [(code, _language_label(code)) for code in language_choices()],
    "ambience": lambda: [("routine", _("The routine's choice")), ("none", _("None"))],
}
PRESET_LABELS: Final[dict[str, Callable[[object], str]]] = {
    "sleep_fade_minutes": lambda value: _fade_label(value) if isinstance(value, int) else str(value),
    "language": lambda value: _language_label(str(value)),
    "ambience": lambda value: sound_name(str(value)),
}


class _Slider(QWidget):
    """A slider with its value beside it; reports a value once the handle is let go (or per key press)."""

    committed = Signal(int)

    def __init__(self, low: int, high: int, unit: str, name: str, step: int = 5) -> None:
        super().__init__()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(low, high)
        self.slider.setSingleStep(step)
        self.slider.setPageStep(step * 2)
        self.slider.setMinimumWidth(SLIDER_MIN_WIDTH)
        self.slider.setMinimumHeight(theme.MIN_TARGET)
        self.slider.setAccessibleName(name)
        wheel_only_when_focused(self.slider)
        self._unit = unit
        self.label = QLabel()
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(self._text(high)) + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE * 3 // 2)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.setFocusProxy(self.slider)
        self.slider.valueChanged.connect(self._changed)
        self.slider.sliderReleased.connect(lambda: self.committed.emit(self.slider.value()))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        wide = SLIDER_WIDTH - self.slider.minimumWidth()  # the room a slider takes beyond its minimum
        return QSize(max(hint.width(), self.minimumSizeHint().width() + wide), hint.height())

    def _text(self, value: int) -> str:
        return _(self._unit).format(value=number(value))

    def _changed(self, value: int) -> None:
        self.label.setText(self._text(value))
        # While dragging only the label follows; the setting is saved once, when the handle is let go.
        if not self.slider.isSliderDown():
            self.committed.emit(value)

    def set_value(self, value: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(False)
        self.label.setText(self._text(value))


class SettingsPage(QWidget):
    """Shows the settings and asks for changes; the controller saves them and applies them.

    Signals: ``change_requested(str, object)`` — a Settings key and its new value, once per edit;
    ``preview_voice_requested()`` — the user wants to hear the voice as set."""

    change_requested = Signal(str, object)
    preview_voice_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._settings = Settings()

        title = QLabel(_("Settings"))
        title.setProperty("role", "title")
        intro = QLabel(_("Changes are saved as you make them."))
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)

        # One field per setting the page shows, built from its spec.
        self.fields: dict[str, QWidget] = {
            spec.name: self._field(spec) for spec in SPECS.values() if spec.page in GROUPS
        }
        self.theme_choice = self._combo_of("theme")
        self.text_size = self._combo_of("text_size")
        self.language = self._combo_of("language")
        self.voice_engine = self._combo_of("voice_engine")
        self.ambience = self._combo_of("ambience")
        self.sleep_fade = self._combo_of("sleep_fade_minutes")
        self.rest_days = self._combo_of("streak_rest_days_per_week")
        self.reduced_motion = self._check_of("reduced_motion")
        self.muted = self._check_of("muted")
        self.cues = self._check_of("cues_enabled")
        self.breathing_tones = self._check_of("breathing_tones")
        self.voice = self._check_of("voice_enabled")
        self.hide_time_left = self._check_of("hide_time_left")
        self.show_streaks = self._check_of("show_streaks")
        self.volumes: dict[str, _Slider] = {key: self._slider_of(key) for key in VOLUME_KEYS}
        self.voice_rate = self._slider_of("voice_rate")
        self.language_note = self._note()
        self.language_note.hide()  # shown only while a session runs (show_session_running)

        # What is not a setting: hearing the voice, and reading the safety notice again.
        self.preview_voice = self._button(
            _("Preview voice"), _("Hear a sentence in the voice and speed set here")
        )
        self.preview_voice.clicked.connect(self.preview_voice_requested)
        self.safety_button = self._button(
            _("Show the safety notice again"), _("It will be shown before your next session")
        )
        self.safety_button.clicked.connect(self._reset_safety)
        self.safety_note = self._note()
        extras: dict[str, list[tuple[str, QWidget]]] = {
            APPEARANCE: [("", self.language_note)],
            VOICE: [("", self.preview_voice)],
            SAFETY: [("", self.safety_button), ("", self.safety_note)],
        }

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE)
        column.setSpacing(2 * theme.SPACE)
        column.addWidget(title)
        column.addWidget(intro)
        self.group_frames: dict[str, QFrame] = {}
        # One label column for every group, so the fields line up down the whole page.
        self.label_column = LabelColumn()
        for group in GROUPS:
            rows = [
                ("" if isinstance(spec.kind, Flag) else _(spec.label), self.fields[spec.name])
                for spec in SPECS.values()
                if spec.page == group
            ]
            frame = settings_panel(_(group), [*rows, *extras.get(group, [])], self.label_column)
            column.addWidget(frame)
            self.group_frames[group] = frame
        # Breaks and Bedtime (issue 12) live in their own module.
        self.reminders_group = RemindersGroup(labels=self.label_column)
        self.reminders_group.change_requested.connect(self.change_requested)
        column.addWidget(self.reminders_group)
        column.addStretch(1)
        self.label_column.refresh()  # the panels built first measured before the later labels existed

        scroll = vertical_scroll(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # -- builders

    def _field(self, spec: SettingSpec) -> QWidget:
        """The control for one setting: a check box, a slider, or a list of its choices or presets."""
        if isinstance(spec.kind, Flag):
            return self._check(spec)
        if spec.name in SLIDERS and isinstance(spec.kind, Whole):
            unit, step = SLIDERS[spec.name]
            slider = _Slider(spec.kind.low, spec.kind.high, unit, _(spec.tooltip or spec.label), step)
            slider.committed.connect(lambda value, key=spec.name: self._request(key, value))
            return slider
        if isinstance(spec.kind, Choice):
            return self._combo(spec, spec.kind.choices())
        if spec.name in PRESETS:
            return self._combo(spec, PRESETS[spec.name]())
        raise TypeError(f"no control for the setting {spec.name}")

    def _combo(self, spec: SettingSpec, choices: Sequence[tuple[object, str]]) -> QComboBox:
        combo = FieldCombo()
        combo.setAccessibleName(_(spec.label))
        if spec.tooltip:
            combo.setToolTip(_(spec.tooltip))
        combo.setMinimumHeight(theme.MIN_TARGET)
        wheel_only_when_focused(combo)
        for value, label in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _index: self._request(spec.name, combo.currentData()))
        return combo

    def _check(self, spec: SettingSpec) -> QCheckBox:
        box = QCheckBox(_(spec.label))
        box.setAccessibleName(_(spec.label))
        box.setMinimumHeight(theme.MIN_TARGET)
        if spec.tooltip:
            box.setToolTip(_(spec.tooltip))
        box.toggled.connect(lambda on: self._request(spec.name, bool(on)))
        return box

    @staticmethod
    def _button(text: str, tooltip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text)
        button.setToolTip(tooltip)
        button.setMinimumHeight(theme.MIN_TARGET)
        return button

    @staticmethod
    def _note() -> QLabel:
        note = QLabel()
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        return note

    def _combo_of(self, key: str) -> QComboBox:
        field = self.fields[key]
        assert isinstance(field, QComboBox)
        return field

    def _check_of(self, key: str) -> QCheckBox:
        field = self.fields[key]
        assert isinstance(field, QCheckBox)
        return field

    def _slider_of(self, key: str) -> _Slider:
        field = self.fields[key]
        assert isinstance(field, _Slider)
        return field

    # -- state in, requests out

    def show_settings(self, settings: Settings, ambience_ids: Sequence[str]) -> None:
        """Show ``settings``; ``ambience_ids`` are the ambience sounds the user can pick."""
        self._loading = True
        try:
            self._settings = settings
            self.ambience.clear()
            for value, label in PRESETS["ambience"]():
                self.ambience.addItem(label, value)
            for sound_id in sorted(set(ambience_ids)):
                self.ambience.addItem(sound_name(sound_id), sound_id)
            for key, field in self.fields.items():
                value = getattr(settings, key)
                if isinstance(field, QCheckBox):
                    field.setChecked(bool(value))
                elif isinstance(field, _Slider):
                    field.set_value(int(value))
                elif isinstance(field, QComboBox):
                    if field.findData(value) < 0 and key in PRESET_LABELS:
                        # A value set in the file (or a sound since removed) stays visible and chosen.
                        field.addItem(PRESET_LABELS[key](value), value)
                    self._select(field, value)
            self._enable_voice_controls(settings.voice_enabled)
            self.rest_days.setEnabled(settings.show_streaks)
            self.safety_note.setText(_(SAFETY_READ if settings.safety_notice_seen else SAFETY_PENDING))
        finally:
            self._loading = False

    def show_reminders(
        self, settings: Settings, routines: Sequence[tuple[str, str]], *, tray_available: bool
    ) -> None:
        """Show the Breaks and Bedtime groups; ``routines`` are (id, title) pairs for the break routine."""
        self.reminders_group.show_settings(settings, routines, tray_available=tray_available)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def show_session_running(self, running: bool) -> None:
        """Say, while a session runs, that a language chosen now waits for its end (otherwise it applies at
        once and the page shows itself again in it)."""
        self.language_note.setText(_(LANGUAGE_NOTE))
        self.language_note.setVisible(running)

    def _request(self, key: str, value: object) -> None:
        if self._loading:
            return
        dependants: dict[str, Callable[[bool], None]] = {
            "voice_enabled": self._enable_voice_controls,
            "show_streaks": self.rest_days.setEnabled,
        }
        if key in dependants and isinstance(value, bool):
            dependants[key](value)
        self.change_requested.emit(key, value)

    def _enable_voice_controls(self, on: bool) -> None:
        self.voice_rate.setEnabled(on)
        self.voice_engine.setEnabled(on)
        self.preview_voice.setEnabled(on)

    def _reset_safety(self) -> None:
        self.safety_note.setText(_(SAFETY_PENDING))
        self._request("safety_notice_seen", False)
