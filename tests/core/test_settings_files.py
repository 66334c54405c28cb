"""The settings file on disk: only regular files are read, nothing unreadable is overwritten, links are kept,
and the parse cache holds data only."""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path

import pytest

from massage_guide.core.settings import SETTINGS_MAX_BYTES, Settings, SettingsStore


def test_a_named_pipe_as_settings_is_refused_at_once_and_never_replaced(tmp_path: Path) -> None:
    """A FIFO named settings.yaml does not hang the app: defaults are used and the pipe is left in place."""
    path = tmp_path / "settings.yaml"
    os.mkfifo(path)
    store = SettingsStore(path)
    assert store.settings == Settings()
    assert len(store.problems) == 1 and "not a regular file" in store.problems[0]
    store.update(theme="night")
    assert store.settings.theme == "night"
    assert stat.S_ISFIFO(path.lstat().st_mode)
    assert "was not saved" in store.problems[-1] and "\n" not in store.problems[-1]


def test_settings_pointing_at_dev_zero_are_refused_without_reading_forever(tmp_path: Path) -> None:
    """A settings.yaml that links to /dev/zero gives one problem, not a MemoryError, and the link stays."""
    path = tmp_path / "settings.yaml"
    path.symlink_to("/dev/zero")
    store = SettingsStore(path)
    assert store.settings == Settings() and "not a regular file" in store.problems[0]
    store.update(muted=True)
    assert path.is_symlink() and path.readlink() == Path("/dev/zero")


def test_an_oversized_settings_file_is_not_read_and_not_overwritten(tmp_path: Path) -> None:
    """A settings file past the size cap is reported and left exactly as it is."""
    path = tmp_path / "settings.yaml"
    content = b"# " + b"x" * SETTINGS_MAX_BYTES + b"\ntheme: dark\n"
    path.write_bytes(content)
    store = SettingsStore(path)
    assert "the limit is" in store.problems[0]
    store.update(theme="light")
    assert path.read_bytes() == content


def test_settings_are_written_through_a_symbolic_link(tmp_path: Path) -> None:
    """A settings.yaml kept in a dotfiles folder as a link stays a link; its target gets the change, private."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "massage-guide.yaml"
    target.write_text("theme: dark\n", encoding="utf-8")
    path = tmp_path / "config" / "settings.yaml"
    path.parent.mkdir()
    path.symlink_to(target)
    store = SettingsStore(path)
    assert store.settings.theme == "dark"
    store.update(text_size="large")
    assert path.is_symlink() and path.resolve() == target
    assert "text_size: large" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o600
    assert SettingsStore(path).settings.text_size == "large"


def test_a_bad_linked_file_is_copied_aside_and_the_link_kept(tmp_path: Path) -> None:
    """A linked settings file with a mistake is saved aside as a copy before the first write; the link stays."""
    target = tmp_path / "real.yaml"
    target.write_text("theme: [unclosed\n", encoding="utf-8")
    path = tmp_path / "settings.yaml"
    path.symlink_to(target)
    store = SettingsStore(path)
    store.update(theme="night")
    asides = list(tmp_path.glob("settings.yaml.bad-*"))
    assert len(asides) == 1 and asides[0].read_text(encoding="utf-8") == "theme: [unclosed\n"
    assert path.is_symlink() and "theme: night" in target.read_text(encoding="utf-8")


def test_the_parse_cache_is_json_and_a_planted_pickle_is_never_read(tmp_path: Path) -> None:
    """The cache is plain data; a pickle planted where the old cache lived runs nothing."""
    path = tmp_path / "settings.yaml"
    path.write_text("theme: dark\n", encoding="utf-8")
    witness = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {witness}",))

    old_cache = tmp_path / "cache" / "settings.pickle"
    old_cache.parent.mkdir()
    old_cache.write_bytes(pickle.dumps(Payload()))
    first = SettingsStore(path, cache_file=old_cache)
    second = SettingsStore(path, cache_file=old_cache)
    assert first.settings.theme == second.settings.theme == "dark"
    assert not witness.exists()
    cache = old_cache.with_suffix(".json")
    assert json.loads(cache.read_text(encoding="utf-8"))["values"] == {"theme": "dark"}
    assert cache.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "planted",
    [
        {"values": {"cue_volume": 10_000}},
        {"values": {"no_such_setting": 1}},
        {"values": {"favourites": ["../../etc"]}},
        {"problems": [1, 2]},
        {"values": {"reminders": {"every_minutes": 1}}},
    ],
)
def test_a_cache_entry_that_fails_its_checks_is_rebuilt(tmp_path: Path, planted: dict[str, object]) -> None:
    """A cache edited by someone else, with the right key but values the file would not give, is not used."""
    path = tmp_path / "settings.yaml"
    path.write_text("cue_volume: 40\n", encoding="utf-8")
    cache = tmp_path / "settings.json"
    SettingsStore(path, cache_file=cache)
    document = json.loads(cache.read_text(encoding="utf-8"))
    document.update(planted)
    cache.write_text(json.dumps(document), encoding="utf-8")
    store = SettingsStore(path, cache_file=cache)
    assert store.settings.cue_volume == 40 and store.settings.favourites == ()
    assert json.loads(cache.read_text(encoding="utf-8"))["values"] == {"cue_volume": 40}


def test_a_key_with_a_line_break_gives_a_one_line_message(tmp_path: Path) -> None:
    """Control characters in a key are shown escaped, so each problem stays on one line."""
    path = tmp_path / "settings.yaml"
    path.write_text('"the\\nme": dark\n', encoding="utf-8")
    problems = SettingsStore(path).problems
    assert len(problems) == 1 and "\n" not in problems[0] and "the\\nme" in problems[0]


def test_a_flood_of_unknown_keys_gives_a_hundred_problems_and_a_count(tmp_path: Path) -> None:
    """Thousands of unknown keys give the first hundred problems and '… and N more', not thousands of lines."""
    path = tmp_path / "settings.yaml"
    path.write_text("".join(f"colour{n}: red\n" for n in range(3000)), encoding="utf-8")
    problems = SettingsStore(path).problems
    assert len(problems) == 101 and problems[-1] == f"{path}: … and 2,900 more"
