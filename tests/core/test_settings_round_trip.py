"""Saving settings.yaml: only the changed keys are written, so the user's comments, key order, quoting and
unknown keys survive; a value the app cannot use stays in the file until that setting is changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from massage_guide.core.reminders import ReminderSettings
from massage_guide.core.settings import Settings, SettingsStore, load_settings

HAND_WRITTEN = """\
# Mine, written by hand.
voice_rate: 150     # a bit faster than the default
theme: dark         # even in the day

# Breaks, the way my physio suggested
reminders:
  work_hours: '08:00-16:00'   # early shift
  enabled: true
  every_minutes: 45
colour: blue        # for a newer version
favourites:
  - neck-tension-release  # the best one
  - sleep-wind-down
# the end
"""


def test_changing_one_value_keeps_comments_order_and_unknown_keys(tmp_path: Path) -> None:
    """A hand-written file with comments and its own key order changes in exactly one line."""
    path = tmp_path / "settings.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    store = SettingsStore(path)
    store.update(voice_rate=170)
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace("voice_rate: 150", "voice_rate: 170")
    assert load_settings(path)[0].voice_rate == 170


def test_a_change_inside_the_group_keeps_the_group_as_written(tmp_path: Path) -> None:
    """Changing one reminder key rewrites that key only; the group's order, quoting and comments stay."""
    path = tmp_path / "settings.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    store = SettingsStore(path)
    store.update(reminders=replace(store.settings.reminders, every_minutes=30))
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace("every_minutes: 45", "every_minutes: 30")


def test_a_new_key_goes_at_the_end_and_lists_keep_their_comments(tmp_path: Path) -> None:
    """A key not yet in the file is added after the others; a list changed in place keeps item comments."""
    path = tmp_path / "settings.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    store = SettingsStore(path)
    store.update(favourites=("sleep-wind-down", "neck-tension-release", "calm-breathing"))
    store.update(night_from="21:30")
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "favourites:\n"
        "  - sleep-wind-down\n"
        "  - neck-tension-release  # the best one\n"
        "  - calm-breathing\n"
        "# the end\n"
        'night_from: "21:30"\n'
    )
    assert text.startswith(HAND_WRITTEN.split("favourites:", maxsplit=1)[0])
    assert SettingsStore(path).settings.favourites == (
        "sleep-wind-down",
        "neck-tension-release",
        "calm-breathing",
    )


def test_emptying_a_list_keeps_the_comment_below_it(tmp_path: Path) -> None:
    """Removing the last favourite writes an empty list and keeps the comment that followed the list."""
    path = tmp_path / "settings.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    SettingsStore(path).update(favourites=())
    text = path.read_text(encoding="utf-8")
    assert "favourites: []" in text and "# the end" in text
    assert load_settings(path) == (
        Settings(
            voice_rate=150,
            theme="dark",
            reminders=ReminderSettings(enabled=True, every_minutes=45, work_hours="08:00-16:00"),
        ),
        [f"{path}:10:1: unknown setting 'colour' is kept but not used. Did you mean 'cue_volume'?"],
    )


def test_a_bad_value_stays_until_that_setting_is_changed(tmp_path: Path) -> None:
    """A value the app cannot use is reported and left in the file, not replaced by its default, when
    another setting changes; nothing is copied aside because nothing is lost."""
    path = tmp_path / "settings.yaml"
    path.write_text("cue_volume: loud   # too loud at 100\ntheme: dark\n", encoding="utf-8")
    store = SettingsStore(path)
    assert store.settings.cue_volume == 70 and "cue_volume" in store.problems[0]
    store.update(theme="light")
    assert path.read_text(encoding="utf-8") == "cue_volume: loud   # too loud at 100\ntheme: light\n"
    store.update(cue_volume=40)
    # The comment keeps its column.
    assert path.read_text(encoding="utf-8") == "cue_volume: 40     # too loud at 100\ntheme: light\n"
    assert list(tmp_path.glob("settings.yaml.bad-*")) == []


def test_an_edit_made_by_hand_while_the_app_runs_is_kept(tmp_path: Path) -> None:
    """The app writes its change into the file as it is now, so a line added by hand meanwhile stays."""
    path = tmp_path / "settings.yaml"
    path.write_text("theme: dark\n", encoding="utf-8")
    store = SettingsStore(path)
    path.write_text("theme: dark\nhide_time_left: true  # added by hand\n", encoding="utf-8")
    store.update(theme="night")
    assert path.read_text(encoding="utf-8") == "theme: night\nhide_time_left: true  # added by hand\n"
    # Again after a save, when the app holds the file it wrote: an edit since then is still seen.
    path.write_text("theme: night\nhide_time_left: false  # changed my mind\n", encoding="utf-8")
    store.update(muted=True)
    assert path.read_text(encoding="utf-8") == (
        "theme: night\nhide_time_left: false  # changed my mind\nmuted: true\n"
    )


def test_a_new_file_has_every_key_in_declared_order(tmp_path: Path) -> None:
    """The first save writes a header and every key, groups nested, days on one line, times quoted."""
    path = tmp_path / "settings.yaml"
    SettingsStore(path).update(theme="night")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Massage Guide settings.")
    assert lines[1:4] == ["theme: night", "text_size: medium", "reduced_motion: false"]
    assert "  weekdays: [mon, tue, wed, thu, fri]" in lines
    assert "night_from: null" in lines
    again = load_settings(path)
    assert again == (Settings(theme="night"), [])


def test_a_file_that_is_not_a_mapping_is_kept_aside_before_a_fresh_one(tmp_path: Path) -> None:
    """A list at the top of the file is reported, copied aside on the first save, and replaced."""
    path = tmp_path / "settings.yaml"
    path.write_text("- theme: dark\n", encoding="utf-8")
    store = SettingsStore(path)
    assert "must be a mapping" in store.problems[0]
    store.update(theme="dark")
    kept = list(tmp_path.glob("settings.yaml.bad-*"))
    assert [aside.read_text(encoding="utf-8") for aside in kept] == ["- theme: dark\n"]
    assert load_settings(path) == (Settings(theme="dark"), [])
