"""The settings page: shows the settings without echoing them, and asks for exactly one change per edit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel
from pytestqt.qtbot import QtBot

from massage_guide.core import i18n
from massage_guide.core.settings import SPECS, Settings, SettingsStore
from massage_guide.ui import theme
from massage_guide.ui.settings_page import GROUPS, SettingsPage
from massage_guide.ui.settings_panel import FieldCombo, settings_panel
from tests.ui.test_screens import cut_labels

AMBIENCES = ["soft-rain", "ocean-waves", "brown-noise"]


@pytest.fixture(autouse=True)
def styled(qapp: QApplication) -> None:
    """The app's style sheet is in force, as in the real window (it sets minimum heights too)."""
    theme.apply(qapp, "light")


def make_page(qtbot: QtBot, settings: Settings | None = None) -> SettingsPage:
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(900, 750)
    page.show_settings(settings or Settings(), AMBIENCES)
    page.show()
    return page


def test_showing_settings_requests_nothing_and_shows_the_values(qtbot: QtBot) -> None:
    """Filling the page from settings emits no change and shows every value."""
    page = SettingsPage()
    qtbot.addWidget(page)
    chosen = Settings(theme="night", text_size="large", cue_volume=35, voice_rate=180, sleep_fade_minutes=7)
    with qtbot.assertNotEmitted(page.change_requested):
        page.show_settings(chosen, AMBIENCES)
    assert page.theme_choice.currentText() == "Night (dim and warm)"
    assert page.text_size.currentText() == "Large"
    assert page.volumes["cue_volume"].label.text() == "35%"
    assert page.voice_rate.label.text() == "180 wpm"
    assert page.sleep_fade.currentText() == "7 min, then fade out"  # a value outside the presets is kept
    labels = [page.ambience.itemText(i) for i in range(page.ambience.count())]
    assert labels == ["The routine's choice", "None", "Brown noise", "Ocean waves", "Soft rain"]


def test_keyboard_and_clicks_request_changes(qtbot: QtBot) -> None:
    """Arrow keys on a combo box or slider and a click on a check box each request one change."""
    page = make_page(qtbot)
    page.theme_choice.setFocus()
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.keyClick(page.theme_choice, Qt.Key.Key_Down)
    assert signal.args == ["theme", "light"]

    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.keyClick(page.volumes["cue_volume"].slider, Qt.Key.Key_Right)
    assert signal.args == ["cue_volume", 75]
    assert page.volumes["cue_volume"].label.text() == "75%"

    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(
            page.reduced_motion, Qt.MouseButton.LeftButton, pos=page.reduced_motion.rect().center()
        )
    assert signal.args == ["reduced_motion", True]

    page.ambience.setFocus()
    with qtbot.waitSignal(page.change_requested) as signal:
        page.ambience.setCurrentIndex(page.ambience.findData("soft-rain"))
    assert signal.args == ["ambience", "soft-rain"]


def test_dragging_a_slider_saves_once_when_let_go(qtbot: QtBot) -> None:
    """While the handle is held only the figure moves; letting go requests the final value once."""
    page = make_page(qtbot)
    slider = page.volumes["ambience_volume"].slider
    with qtbot.assertNotEmitted(page.change_requested):
        slider.setSliderDown(True)
        for value in (55, 60, 65):
            slider.setValue(value)
    assert page.volumes["ambience_volume"].label.text() == "65%"
    with qtbot.waitSignal(page.change_requested) as signal:
        slider.setSliderDown(False)
    assert signal.args == ["ambience_volume", 65]


def test_turning_voice_or_streaks_off_disables_their_details(qtbot: QtBot) -> None:
    """Voice speed and rest days are greyed out while voice or streaks are off."""
    page = make_page(qtbot)
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(page.voice, Qt.MouseButton.LeftButton, pos=page.voice.rect().center())
    assert signal.args == ["voice_enabled", False]
    assert not page.voice_rate.isEnabled()
    assert not page.voice_engine.isEnabled()
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(page.show_streaks, Qt.MouseButton.LeftButton, pos=page.show_streaks.rect().center())
    assert signal.args == ["show_streaks", False]
    assert not page.rest_days.isEnabled()
    with qtbot.waitSignal(page.change_requested) as signal:
        page.rest_days.setCurrentIndex(page.rest_days.findData(2))
    assert signal.args == ["streak_rest_days_per_week", 2]


def test_the_voice_engine_is_chosen_on_the_page_and_saved(qtbot: QtBot, tmp_path: Path) -> None:
    """Which voice speaks is a choice in the Voice group, by name, and the choice lands in settings.yaml."""
    store = SettingsStore(tmp_path / "settings.yaml")
    page = make_page(qtbot, store.settings)
    page.change_requested.connect(lambda key, value: store.update(**{key: value}))
    labels = [page.voice_engine.itemText(i) for i in range(page.voice_engine.count())]
    assert labels == ["Automatic", "Natural voice (Piper)", "eSpeak NG"]
    assert page.voice_engine.currentData() == "auto"
    assert page.voice_engine.parentWidget() is page.group_frames["Voice"]
    with qtbot.waitSignal(page.change_requested) as signal:
        page.voice_engine.setCurrentIndex(page.voice_engine.findData("espeak"))
    assert signal.args == ["voice_engine", "espeak"]
    assert "voice_engine: espeak" in (tmp_path / "settings.yaml").read_text(encoding="utf-8")
    assert SettingsStore(tmp_path / "settings.yaml").settings.voice_engine == "espeak"


def test_show_safety_notice_again(qtbot: QtBot) -> None:
    """The safety button asks for safety_notice_seen false and says when the notice will show."""
    page = make_page(qtbot, Settings(safety_notice_seen=True))
    assert "You have read it" in page.safety_note.text()
    with qtbot.waitSignal(page.change_requested) as signal:
        qtbot.mouseClick(page.safety_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["safety_notice_seen", False]
    assert page.safety_note.text() == "It will be shown before your next session."


def test_every_request_is_a_valid_settings_change(qtbot: QtBot, tmp_path: Path) -> None:
    """Requests fed to the real SettingsStore are accepted and land in settings.yaml."""
    store = SettingsStore(tmp_path / "settings.yaml")
    page = make_page(qtbot, store.settings)
    page.change_requested.connect(lambda key, value: store.update(**{key: value}))
    page.theme_choice.setCurrentIndex(page.theme_choice.findData("dark"))
    page.text_size.setCurrentIndex(page.text_size.findData("extra_large"))
    page.sleep_fade.setCurrentIndex(page.sleep_fade.findData(20))
    page.ambience.setCurrentIndex(page.ambience.findData("none"))
    qtbot.keyClick(page.voice_rate.slider, Qt.Key.Key_Left)
    qtbot.mouseClick(page.muted, Qt.MouseButton.LeftButton, pos=page.muted.rect().center())
    qtbot.mouseClick(page.safety_button, Qt.MouseButton.LeftButton)
    again = SettingsStore(tmp_path / "settings.yaml")
    assert again.problems == []
    assert again.settings == Settings(
        theme="dark",
        text_size="extra_large",
        sleep_fade_minutes=20,
        ambience="none",
        voice_rate=130,  # one step down from the default 140
        muted=True,
    )


def test_every_control_is_named_and_big_enough(qtbot: QtBot) -> None:
    """Every control has an accessible name and is at least 32 px tall."""
    page = make_page(qtbot)
    controls = [
        page.theme_choice, page.text_size, page.reduced_motion, page.ambience, page.muted, page.cues,
        page.breathing_tones, page.voice, page.hide_time_left, page.sleep_fade, page.show_streaks,
        page.rest_days, page.safety_button, page.voice_rate.slider,
        *[slider.slider for slider in page.volumes.values()],
    ]  # fmt: skip
    for control in controls:
        assert control.accessibleName(), control
        assert control.height() >= theme.MIN_TARGET, control.accessibleName()
    headings = {label.text() for label in page.findChildren(QLabel) if label.property("role") == "heading"}
    assert headings == {"Appearance", "Sound", "Voice", "Session", "Progress", "Safety", "Breaks", "Bedtime"}


@pytest.fixture
def english_after() -> Iterator[None]:
    """Puts the process's language back to English after a test speaks German."""
    yield
    i18n.activate("en")


def test_every_setting_of_a_page_group_has_its_row(qtbot: QtBot) -> None:
    """Each key the specs place on the page gets a labelled control in its group, with the spec's label."""
    page = make_page(qtbot)
    shown = {label.text() for label in page.findChildren(QLabel)} | {
        box.text() for box in page.findChildren(QCheckBox)
    }
    for spec in SPECS.values():
        if spec.page is not None:
            assert spec.label in shown, spec.name
    assert set(page.fields) == {spec.name for spec in SPECS.values() if spec.page in GROUPS}


def test_language_offers_the_system_and_each_translation_and_says_when_it_applies(qtbot: QtBot) -> None:
    """The language list names each language in its own words; a change is requested with no note (it
    applies at once), and only while a session runs does the page say a new language waits for its end."""
    page = make_page(qtbot)
    labels = [page.language.itemText(i) for i in range(page.language.count())]
    assert labels[1:] == ["English", "Deutsch"] and labels[0].startswith("Same as the system (")
    assert page.language_note.isHidden()
    with qtbot.waitSignal(page.change_requested) as signal:
        page.language.setCurrentIndex(page.language.findData("de"))
    assert signal.args == ["language", "de"]
    assert page.language_note.isHidden()
    page.show_session_running(True)
    assert page.language_note.isVisible()
    assert page.language_note.text() == "A session is running. A new language starts when it ends."
    page.show_session_running(False)
    assert page.language_note.isHidden()


def test_a_language_set_by_hand_stays_visible(qtbot: QtBot) -> None:
    """A language written in the file that has no translation yet is shown by its name, not replaced."""
    page = make_page(qtbot, Settings(language="pt_BR"))
    assert page.language.currentData() == "pt_BR"
    assert page.language.currentText() == "Português (Brasil)"


@pytest.mark.usefixtures("english_after")
def test_the_page_speaks_german(qtbot: QtBot) -> None:
    """With German active, headings, labels, choices, units and weekday names are German."""
    i18n.activate("de")
    page = make_page(qtbot, Settings(sleep_fade_minutes=20, voice_rate=150))
    headings = {label.text() for label in page.findChildren(QLabel) if label.property("role") == "heading"}
    assert {"Aussehen", "Ton", "Stimme", "Pausen", "Schlafenszeit"} <= headings
    assert page.theme_choice.currentText() == "Wie das System"
    assert page.sleep_fade.currentText() == "20 Min., dann ausblenden"
    assert page.volumes["cue_volume"].label.text() == "70 %"
    assert page.reduced_motion.text() == "Weniger Bewegung"
    assert page.voice_engine.currentText() == "Automatisch"
    assert [box.text() for box in page.reminders_group.days.values()][:2] == ["Mo.", "Di."]
    # The bundled sounds by the names the routine page uses, after the two choices that are not sounds.
    sounds = [page.ambience.itemText(i) for i in range(2, page.ambience.count())]
    assert sounds == ["Braunes Rauschen", "Meereswellen", "Sanfter Regen"]


def test_a_row_too_narrow_for_label_and_field_puts_the_label_above(qtbot: QtBot) -> None:
    """In a wide panel a label sits beside its field; in a narrow one it moves above the field, which keeps
    its whole width, instead of the row running past the edge."""
    combo = FieldCombo()
    combo.addItem("Same as the system (a language with a long name)")
    panel = settings_panel("Appearance", [("Language", combo)])
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    label = next(label for label in panel.findChildren(QLabel) if label.buddy() is combo)

    def resized(width: int) -> tuple[QRect, QRect]:
        panel.resize(width, panel.heightForWidth(width))
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        return label.geometry(), combo.geometry()

    text, field = resized(label.sizeHint().width() + combo.sizeHint().width() + 200)
    assert text.right() < field.left() and text.top() < field.bottom()  # beside
    text, field = resized(combo.sizeHint().width() + 80)
    assert text.bottom() <= field.top()  # above
    assert field.width() >= combo.sizeHint().width()
    assert panel.minimumSizeHint().width() <= combo.sizeHint().width() + 80


def test_a_change_on_the_page_keeps_a_hand_written_file(qtbot: QtBot, tmp_path: Path) -> None:
    """Ticking one box on the page changes one line of a hand-written settings.yaml: its comments, key
    order and unknown keys all survive."""
    path = tmp_path / "settings.yaml"
    written = (
        "# My settings\n"
        "voice_rate: 120   # slow, please\n"
        "theme: night\n"
        "muted: false      # the office has headphones\n"
        "my_own_note: keep me\n"
    )
    path.write_text(written, encoding="utf-8")
    store = SettingsStore(path)
    page = make_page(qtbot, store.settings)
    page.change_requested.connect(lambda key, value: store.update(**{key: value}))
    qtbot.mouseClick(page.muted, Qt.MouseButton.LeftButton, pos=page.muted.rect().center())
    assert path.read_text(encoding="utf-8") == written.replace("muted: false ", "muted: true  ")


@pytest.mark.usefixtures("english_after")
@pytest.mark.parametrize("language", ["de", i18n.PSEUDO_LANGUAGE])
def test_longer_words_wrap_and_nothing_is_left_in_english(
    qtbot: QtBot, qapp: QApplication, language: str
) -> None:
    """In German and in the pseudo-locale (30 % longer) at the largest text on a 1024x600 screen, every
    label keeps all its words, and in the pseudo-locale every label and box is translated."""
    i18n.activate(language)
    theme.apply(qapp, "light", "extra_large")
    try:
        page = SettingsPage()
        qtbot.addWidget(page)
        page.show_settings(Settings(), AMBIENCES)
        page.show_reminders(Settings(), [("desk-break-3-minutes", "Desk break")], tray_available=True)
        page.resize(1024 - 216, 570)  # the sidebar takes 216 px of the window
        page.show()
        qtbot.waitExposed(page)
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        assert cut_labels(page) == []
        if language == i18n.PSEUDO_LANGUAGE:
            texts = [label.text() for label in page.findChildren(QLabel) if label.text()]
            texts += [box.text() for box in page.findChildren(QCheckBox)]
            # Weekday names come from Babel, which has no pseudo-locale: they stay as English data.
            weekdays = {box.text() for box in page.reminders_group.days.values()}
            assert [text for text in texts if "⟦" not in text and text not in weekdays] == []
    finally:
        theme.apply(qapp, "light", "medium")


@pytest.mark.usefixtures("english_after")
@pytest.mark.parametrize(
    ("language", "text_size"),
    [("en", "medium"), ("de", "extra_large"), (i18n.PSEUDO_LANGUAGE, "extra_large")],
)
def test_fields_line_up_from_one_group_to_the_next(
    qtbot: QtBot, qapp: QApplication, language: str, text_size: str
) -> None:
    """Every field that sits beside its label starts at the same place in every group of the page (Breaks
    and Bedtime included), in English, and in German and the pseudo-locale at the largest text on a
    1024x600 screen; a label too long for its row goes above its field instead."""
    i18n.activate(language)
    theme.apply(qapp, "light", text_size)
    try:
        page = SettingsPage()
        qtbot.addWidget(page)
        page.show_settings(Settings(), AMBIENCES)
        page.show_reminders(Settings(), [("desk-break-3-minutes", "Desk break")], tray_available=True)
        page.resize(1024 - 216, 570)  # the sidebar takes 216 px of the window
        page.show()
        qtbot.waitExposed(page)
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        beside: dict[str, int] = {}
        above: list[str] = []
        for label in page.findChildren(QLabel):
            field = label.buddy()
            if field is None or not label.isVisible():
                continue
            text = label.geometry()
            box = field.geometry()
            if text.bottom() <= box.top():
                above.append(label.text())
                continue
            assert text.right() < box.left(), label.text()
            beside[label.text()] = field.mapTo(page, field.rect().topLeft()).x()
        groups = {frame.accessibleName() for frame in page.group_frames.values()}
        assert len(beside) >= len(groups), (beside, above)  # most rows sit beside their labels
        assert len(set(beside.values())) == 1, beside
        assert cut_labels(page) == []
    finally:
        theme.apply(qapp, "light", "medium")
