"""The reminders group and the other office-break settings in settings.yaml."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from massage_guide.core.reminders import ReminderSettings
from massage_guide.core.settings import SettingsStore


def test_defaults_match_the_issue(tmp_path: Path) -> None:
    """Reminders start off, every 50 minutes, 09:00-17:30, Monday to Friday, the desk break."""
    settings = SettingsStore(tmp_path / "settings.yaml").settings
    assert settings.reminders == ReminderSettings(
        enabled=False,
        every_minutes=50,
        work_hours="09:00-17:30",
        weekdays=("mon", "tue", "wed", "thu", "fri"),
        routine="desk-break-3-minutes",
    )
    assert settings.night_from is None
    assert settings.start_at_login is False
    assert settings.mini_player_for_breaks is True


def test_group_round_trips_through_the_file(tmp_path: Path) -> None:
    """A saved group reads back the same, written as a nested YAML mapping."""
    path = tmp_path / "settings.yaml"
    store = SettingsStore(path)
    group = replace(store.settings.reminders, enabled=True, every_minutes=30, weekdays=("mon", "sat"))
    store.update(reminders=group, night_from="21:30")
    text = path.read_text(encoding="utf-8")
    assert "reminders:\n  enabled: true\n  every_minutes: 30\n" in text
    assert 'night_from: "21:30"' in text  # quoted, so a YAML 1.1 tool never reads a number
    again = SettingsStore(path).settings
    assert again.reminders == group
    assert again.night_from == "21:30"


def test_partial_group_keeps_defaults_and_names_bad_keys_by_line(tmp_path: Path) -> None:
    """Only the bad key falls back, and the message gives its own line."""
    path = tmp_path / "settings.yaml"
    path.write_text(
        "theme: dark\nreminders:\n  enabled: true\n  work_hours: 9 to 5\n  weekdays: [mon, tues]\n",
        encoding="utf-8",
    )
    store = SettingsStore(path)
    assert store.settings.reminders.enabled is True
    assert store.settings.reminders.work_hours == "09:00-17:30"
    assert store.settings.reminders.weekdays == ReminderSettings().weekdays
    assert any(f"{path}:4:" in p and "reminders.work_hours" in p for p in store.problems)
    assert any(f"{path}:5:" in p and "reminders.weekdays" in p for p in store.problems)


def test_bad_night_from_and_group_type_are_refused(tmp_path: Path) -> None:
    """night_from must be HH:MM or null; reminders must be a group."""
    path = tmp_path / "settings.yaml"
    path.write_text("night_from: '25:00'\nreminders: yes\n", encoding="utf-8")
    store = SettingsStore(path)
    assert store.settings.night_from is None
    assert store.settings.reminders == ReminderSettings()
    assert any(":1:" in p and "night_from" in p for p in store.problems)
    assert any(":2:" in p and "reminders" in p for p in store.problems)
    with pytest.raises(ValueError, match="every_minutes"):
        store.update(reminders={"every_minutes": 0})


def test_group_survives_the_parse_cache(tmp_path: Path) -> None:
    """A second start reads the group from the JSON parse cache as the same settings, not a bare mapping."""
    path, cache = tmp_path / "settings.yaml", tmp_path / "cache" / "settings"
    path.write_text("reminders:\n  enabled: true\n  every_minutes: 25\n", encoding="utf-8")
    first = SettingsStore(path, cache_file=cache).settings
    assert cache.with_suffix(".json").exists()
    again = SettingsStore(path, cache_file=cache).settings
    assert isinstance(again.reminders, ReminderSettings)
    assert again.reminders == first.reminders == replace(ReminderSettings(), enabled=True, every_minutes=25)


def test_a_group_that_is_not_a_mapping_names_its_keys(tmp_path: Path) -> None:
    """``reminders: yes`` says which keys the group takes and that the defaults apply."""
    path = tmp_path / "settings.yaml"
    path.write_text("reminders: yes\n", encoding="utf-8")
    assert SettingsStore(path).problems == [
        f"{path}:1:12: reminders: expected a group of keys (enabled, every_minutes, work_hours, weekdays, "
        "routine); using the defaults."
    ]
