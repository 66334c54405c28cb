"""The settings specs: one declaration per key gives its type, default, check, doc line and page row; the
docs table is made from them, and list and group keys need no special cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from massage_guide.core.reminders import ReminderSettings, reminder_settings
from massage_guide.core.setting_specs import Group, SettingSpec, build, specs
from massage_guide.core.settings import SPECS, Settings, SettingsStore
from tests.conftest import REPO_ROOT
from tools import settings_doc


def _every_spec(cls: type[Any]) -> list[SettingSpec]:
    found = []
    for spec in specs(cls):
        found.append(spec)
        if isinstance(spec.kind, Group):
            found.extend(_every_spec(spec.kind.cls))
    return found


@pytest.mark.parametrize("spec", _every_spec(Settings), ids=lambda spec: spec.name)
def test_every_default_passes_its_own_check_and_has_a_doc_line(spec: SettingSpec) -> None:
    """A default the loader would refuse, or a key without a doc line, cannot be declared unnoticed."""
    assert spec.check(spec.kind.to_yaml(spec.default)) is None
    assert spec.doc.strip() and "\n" not in spec.doc
    assert spec.page is None or spec.label, f"{spec.name} is on the Settings page without a label"


def test_the_docs_table_matches_the_specs() -> None:
    """docs/settings.md shows every key with the values, default and doc line of its spec."""
    text = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings_doc.rendered(text) == text, "docs/settings.md is stale: run python tools/settings_doc.py"
    for spec in _every_spec(Settings):
        assert f"`{spec.name}`" in text or f".{spec.name}`" in text


def test_the_docs_check_fails_on_a_stale_table(tmp_path: Path) -> None:
    """The check notices a default written by hand that the spec does not have."""
    text = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    stale = text.replace("| `voice_rate` | 80 to 260 | `140` |", "| `voice_rate` | 80 to 260 | `150` |")
    assert stale != text and settings_doc.rendered(stale) == text


def test_a_list_key_is_kept_as_a_tuple_without_repeats(tmp_path: Path) -> None:
    """favourites is a list-typed spec: a list or tuple is checked item by item and kept once each."""
    path = tmp_path / "settings.yaml"
    store = SettingsStore(path)
    store.update(favourites=["neck-release", "calm", "neck-release"])
    assert store.settings.favourites == ("neck-release", "calm")
    assert SettingsStore(path).settings.favourites == ("neck-release", "calm")
    with pytest.raises(ValueError, match="favourites: expected a list of routine ids"):
        store.update(favourites=("../etc",))


def test_a_group_is_built_key_by_key() -> None:
    """A group takes its good keys, names each bad or unknown one, and keeps defaults for the rest."""
    group, problems = build(ReminderSettings, {"every_minutes": 25, "weekdays": [], "snooze": 5})
    assert group == ReminderSettings(every_minutes=25)
    assert [key for key, _problem in problems] == ["weekdays", "snooze"]
    assert reminder_settings({"routine": "calm"}) == (ReminderSettings(routine="calm"), [])
    assert SPECS["reminders"].check("yes") == (
        "expected a group of keys (enabled, every_minutes, work_hours, weekdays, routine)"
    )


@pytest.mark.parametrize(
    ("value", "ok"), [("system", True), ("de", True), ("pt_BR", True), ("Deutsch!", False), (3, False)]
)
def test_language_takes_system_or_a_language_code(value: object, ok: bool) -> None:
    """The language key takes 'system' or a code, and says what it expected otherwise."""
    assert (SPECS["language"].check(value) is None) is ok
