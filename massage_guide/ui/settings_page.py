"""The settings page: appearance, sound, voice, session, progress and safety; each edit is a request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from PySide6.QtCore import Qt, Signal
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

from massage_guide.core.settings import VOICE_RATE_RANGE, Settings
from massage_guide.ui import theme
from massage_guide.ui.reminders_settings import RemindersGroup
from massage_guide.ui.scrolling import vertical_scroll
from massage_guide.ui.settings_panel import settings_panel
from massage_guide.ui.wheel_guard import wheel_only_when_focused

THEME_CHOICES: Final = (
    ("system", "Follow the system"),
    ("light", "Light"),
    ("dark", "Dark"),
    ("night", "Night (dim and warm)"),
)
TEXT_SIZE_CHOICES: Final = (
    ("small", "Small"),
    ("medium", "Medium"),
    ("large", "Large"),
    ("extra_large", "Extra large"),
)
VOLUME_KEYS: Final = (
    ("ambience_volume", "Ambience volume"),
    ("cue_volume", "Cue volume"),
    ("voice_volume", "Voice volume"),
)
SLIDER_WIDTH: Final = 260
SLEEP_FADE_CHOICES: Final = (0, 5, 10, 15, 20, 30, 45, 60)  # minutes; any 0-60 in the file is shown too


def sound_label(sound_id: str) -> str:
    """``soft-rain`` -> ``Soft rain``."""
    return sound_id.replace("-", " ").capitalize()


def _fade_label(minutes: int) -> str:
    return "No, stop with the routine" if minutes == 0 else f"{minutes} min, then fade out"


def _rest_label(days: int) -> str:
    if days == 0:
        return "None: every day counts"
    return "1 day" if days == 1 else f"{days} days"


class _Slider(QWidget):
    """A slider with its value beside it; reports a value once the handle is let go (or per key press)."""

    committed = Signal(int)

    def __init__(self, low: int, high: int, unit: str, name: str, step: int = 5) -> None:
        super().__init__()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(low, high)
        self.slider.setSingleStep(step)
        self.slider.setPageStep(step * 2)
        self.slider.setMinimumWidth(SLIDER_WIDTH)
        self.slider.setMinimumHeight(theme.MIN_TARGET)
        self.slider.setAccessibleName(name)
        wheel_only_when_focused(self.slider)
        self._unit = unit
        self.label = QLabel()
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(f"{high}{unit}") + 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE * 3 // 2)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.setFocusProxy(self.slider)
        self.slider.valueChanged.connect(self._changed)
        self.slider.sliderReleased.connect(lambda: self.committed.emit(self.slider.value()))

    def _changed(self, value: int) -> None:
        self.label.setText(f"{value}{self._unit}")
        # While dragging only the label follows; the setting is saved once, when the handle is let go.
        if not self.slider.isSliderDown():
            self.committed.emit(value)

    def set_value(self, value: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(value)
        self.slider.blockSignals(False)
        self.label.setText(f"{value}{self._unit}")


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

        title = QLabel("Settings")
        title.setProperty("role", "title")
        intro = QLabel("Changes are saved as you make them.")
        intro.setProperty("role", "muted")

        # Appearance
        self.theme_choice = self._combo("Theme", "theme", THEME_CHOICES)
        self.text_size = self._combo("Text size", "text_size", TEXT_SIZE_CHOICES)
        self.reduced_motion = self._check(
            "Reduce motion", "reduced_motion", "The breathing guide shows words instead of moving."
        )

        # Sound
        self.ambience = QComboBox()
        self.ambience.setAccessibleName("Ambience")
        self.ambience.setMinimumWidth(SLIDER_WIDTH)
        self.ambience.setMinimumHeight(theme.MIN_TARGET)
        self.ambience.setToolTip("The background sound during a session")
        wheel_only_when_focused(self.ambience)
        self.ambience.currentIndexChanged.connect(
            lambda _: self._request("ambience", self.ambience.currentData())
        )
        self.volumes: dict[str, _Slider] = {}
        for key, name in VOLUME_KEYS:
            slider = _Slider(0, 100, "%", name)
            slider.committed.connect(lambda value, key=key: self._request(key, value))
            self.volumes[key] = slider
        self.muted = self._check("Mute all sound", "muted")
        self.cues = self._check("Soft cues between steps", "cues_enabled")
        self.breathing_tones = self._check("Tones on breathing steps", "breathing_tones")

        # Voice
        self.voice = self._check("Read the steps aloud", "voice_enabled")
        self.voice_rate = _Slider(*VOICE_RATE_RANGE, " wpm", "Voice speed in words per minute", step=10)
        self.voice_rate.committed.connect(lambda value: self._request("voice_rate", value))
        self.preview_voice = QPushButton("Preview voice")
        self.preview_voice.setAccessibleName("Preview voice")
        self.preview_voice.setToolTip("Hear a sentence in the voice and speed set here")
        self.preview_voice.setMinimumHeight(theme.MIN_TARGET)
        self.preview_voice.clicked.connect(self.preview_voice_requested)

        # Session
        self.hide_time_left = self._check(
            "Hide the time left", "hide_time_left", "Nice at bedtime: no countdown to watch."
        )
        self.sleep_fade = self._combo(
            "Keep ambience playing after the routine",
            "sleep_fade_minutes",
            [(minutes, _fade_label(minutes)) for minutes in SLEEP_FADE_CHOICES],
        )

        # Progress
        self.show_streaks = self._check("Show streaks", "show_streaks")
        self.rest_days = self._combo(
            "Rest days a week that keep a streak going",
            "streak_rest_days_per_week",
            [(days, _rest_label(days)) for days in range(7)],
        )

        # Safety
        self.safety_button = QPushButton("Show the safety notice again")
        self.safety_button.setAccessibleName("Show the safety notice again")
        self.safety_button.setToolTip("It will be shown before your next session")
        self.safety_button.setMinimumHeight(theme.MIN_TARGET)
        self.safety_button.clicked.connect(self._reset_safety)
        self.safety_note = QLabel()
        self.safety_note.setProperty("role", "muted")
        self.safety_note.setWordWrap(True)

        groups = (
            (
                "Appearance",
                [("Theme", self.theme_choice), ("Text size", self.text_size), ("", self.reduced_motion)],
            ),
            (
                "Sound",
                [
                    ("Ambience", self.ambience),
                    *[(name, self.volumes[key]) for key, name in VOLUME_KEYS],
                    ("", self.muted),
                    ("", self.cues),
                    ("", self.breathing_tones),
                ],
            ),
            ("Voice", [("", self.voice), ("Speed", self.voice_rate), ("", self.preview_voice)]),
            ("Session", [("", self.hide_time_left), ("After the routine", self.sleep_fade)]),
            ("Progress", [("", self.show_streaks), ("Rest days a week", self.rest_days)]),
            ("Safety", [("", self.safety_button), ("", self.safety_note)]),
        )

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE, 3 * theme.SPACE)
        column.setSpacing(2 * theme.SPACE)
        column.addWidget(title)
        column.addWidget(intro)
        self.group_frames: dict[str, QFrame] = {}
        for heading, rows in groups:
            frame = settings_panel(heading, rows)
            column.addWidget(frame)
            self.group_frames[heading] = frame
        # Breaks and Bedtime (issue 12) live in their own module.
        self.reminders_group = RemindersGroup()
        self.reminders_group.change_requested.connect(self.change_requested)
        column.addWidget(self.reminders_group)
        column.addStretch(1)

        scroll = vertical_scroll(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # -- builders

    def _combo(self, name: str, key: str, choices: Sequence[tuple[object, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setMinimumHeight(theme.MIN_TARGET)
        combo.setMinimumWidth(SLIDER_WIDTH)
        wheel_only_when_focused(combo)
        for value, label in choices:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(lambda _: self._request(key, combo.currentData()))
        return combo

    def _check(self, text: str, key: str, tooltip: str = "") -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        box.setMinimumHeight(theme.MIN_TARGET)
        if tooltip:
            box.setToolTip(tooltip)
        box.toggled.connect(lambda on: self._request(key, bool(on)))
        return box

    # -- state in, requests out

    def show_settings(self, settings: Settings, ambience_ids: Sequence[str]) -> None:
        """Show ``settings``; ``ambience_ids`` are the ambience sounds the user can pick."""
        self._loading = True
        try:
            self._settings = settings
            self._select(self.theme_choice, settings.theme)
            self._select(self.text_size, settings.text_size)
            self.reduced_motion.setChecked(settings.reduced_motion)
            self.ambience.clear()
            self.ambience.addItem("The routine's choice", "routine")
            self.ambience.addItem("None", "none")
            ids = list(dict.fromkeys(ambience_ids))
            if settings.ambience not in ("routine", "none") and settings.ambience not in ids:
                ids.append(settings.ambience)  # a sound chosen earlier and since removed stays visible
            for sound_id in sorted(ids):
                self.ambience.addItem(sound_label(sound_id), sound_id)
            self._select(self.ambience, settings.ambience)
            for key, slider in self.volumes.items():
                slider.set_value(int(getattr(settings, key)))
            self.muted.setChecked(settings.muted)
            self.cues.setChecked(settings.cues_enabled)
            self.breathing_tones.setChecked(settings.breathing_tones)
            self.voice.setChecked(settings.voice_enabled)
            self.voice_rate.set_value(settings.voice_rate)
            self.voice_rate.setEnabled(settings.voice_enabled)
            self.preview_voice.setEnabled(settings.voice_enabled)
            self.hide_time_left.setChecked(settings.hide_time_left)
            if self.sleep_fade.findData(settings.sleep_fade_minutes) < 0:
                self.sleep_fade.addItem(_fade_label(settings.sleep_fade_minutes), settings.sleep_fade_minutes)
            self._select(self.sleep_fade, settings.sleep_fade_minutes)
            self.show_streaks.setChecked(settings.show_streaks)
            self._select(self.rest_days, settings.streak_rest_days_per_week)
            self.rest_days.setEnabled(settings.show_streaks)
            self.safety_note.setText(
                "It will be shown before your next session."
                if not settings.safety_notice_seen
                else "You have read it. You can read it again at any time."
            )
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
        self.preview_voice.setEnabled(on)

    def _reset_safety(self) -> None:
        self.safety_note.setText("It will be shown before your next session.")
        self._request("safety_notice_seen", False)
