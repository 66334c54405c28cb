"""Per-user folders: MASSAGE_GUIDE_HOME holds everything; without it, platformdirs' folders are used."""

from __future__ import annotations

from pathlib import Path

from massage_guide.paths import resolve


def test_home_variable_holds_all_state(tmp_path: Path) -> None:
    """With MASSAGE_GUIDE_HOME set, settings, routines, history and cache all live inside it."""
    paths = resolve({"MASSAGE_GUIDE_HOME": str(tmp_path)})
    assert paths.settings_file == tmp_path / "settings.yaml"
    assert paths.user_routines_dir == tmp_path / "routines"
    assert paths.history_file == tmp_path / "history.sqlite3"
    assert paths.cache_dir == tmp_path / "cache"
    assert paths.speech_cache_dir.is_relative_to(tmp_path / "cache")


def test_without_home_variable_platform_folders_are_used() -> None:
    """Without the variable (or with it empty), user routines live in <data>/routines."""
    paths = resolve({"MASSAGE_GUIDE_HOME": "  "})
    assert paths.user_routines_dir == paths.data_dir / "routines"
    assert "massage-guide" in str(paths.data_dir)
    assert "massage-guide" in str(paths.config_dir) and "massage-guide" in str(paths.cache_dir)
