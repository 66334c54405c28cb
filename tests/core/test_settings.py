"""Settings: defaults, validation key by key, atomic saves, and a bad file kept aside rather than lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from massage_guide.core import i18n
from massage_guide.core.settings import Settings, SettingsStore, load_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    """No settings file means default settings and no problems."""
    settings, problems = load_settings(tmp_path / "settings.yaml")
    assert settings == Settings() and problems == []


def test_update_round_trips(tmp_path: Path) -> None:
    """Changed settings are written and read back the same."""
    path = tmp_path / "settings.yaml"
    SettingsStore(path).update(theme="night", safety_notice_seen=True, favourites=("neck-release",))
    settings, problems = load_settings(path)
    assert problems == []
    assert (
        settings.theme == "night" and settings.safety_notice_seen and settings.favourites == ("neck-release",)
    )


def test_bad_values_fall_back_and_are_reported_with_lines(tmp_path: Path) -> None:
    """A wrong value is reported as file:line and replaced by its default; other keys still apply."""
    path = tmp_path / "settings.yaml"
    path.write_text("theme: nite\ncue_volume: 300\nmuted: true\nfavorites: []\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert settings.theme == "system" and settings.cue_volume == 70 and settings.muted is True
    assert (
        problems[0]
        == f"{path}:1:8: theme: expected one of system, light, dark, night. Did you mean 'night'?; using the default ('system')."
    )
    assert problems[1].startswith(f"{path}:2:13: cue_volume: expected a whole number from 0 to 100")
    assert "unknown setting 'favorites' is kept but not used. Did you mean 'favourites'?" in problems[2]


def test_unreadable_file_is_kept_aside_before_saving(tmp_path: Path) -> None:
    """A file that does not parse is never overwritten: it is moved aside before the first save."""
    path = tmp_path / "settings.yaml"
    path.write_text("theme: [dark\n", encoding="utf-8")
    store = SettingsStore(path)
    assert store.settings == Settings()
    assert "YAML syntax error" in store.problems[0]
    assert path.read_text(encoding="utf-8") == "theme: [dark\n"
    store.update(theme="dark")
    kept = list(tmp_path.glob("settings.yaml.bad-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "theme: [dark\n"
    assert load_settings(path)[0].theme == "dark"


def test_update_refuses_bad_values(tmp_path: Path) -> None:
    """The app cannot save a value the loader would refuse."""
    store = SettingsStore(tmp_path / "settings.yaml")
    with pytest.raises(ValueError, match="voice_rate"):
        store.update(voice_rate=10)
    with pytest.raises(KeyError):
        store.update(colour="blue")


def test_problems_are_told_in_the_active_language(tmp_path: Path) -> None:
    """With German active, a wrong value is reported in German, still with its file, line and column."""
    path = tmp_path / "settings.yaml"
    path.write_text("cue_volume: 300\nreminders:\n  every_minutes: 5\n", encoding="utf-8")
    i18n.activate("de")
    try:
        problems = load_settings(path)[1]
    finally:
        i18n.activate("en")
    assert problems == [
        f"{path}:1:13: cue_volume: erwartet eine ganze Zahl von 0 bis 100; es gilt der Standardwert (70).",
        f"{path}:3:18: reminders.every_minutes: erwartet eine ganze Zahl an Minuten von 10 bis 240; es gilt "
        "der Standardwert (50).",
    ]
