"""User settings in settings.yaml: typed, validated key by key, saved atomically, a bad file never lost."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from massage_guide.core.yamlread import Node

from massage_guide.core.model import ID_PATTERN
from massage_guide.core.ports import AudioSettings
from massage_guide.core.problems import suggest
from massage_guide.core.sounds import is_sound_id

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark", "night")
# Bump when Settings changes shape, so an older cached parse is not reused.
CACHE_FORMAT = 2
TEXT_SIZES = ("small", "medium", "large", "extra_large")
VOICE_ENGINES = ("auto", "natural", "espeak")
VOICE_RATE_RANGE = (80, 260)


@dataclass(frozen=True)
class Settings:
    """Every setting with its default; see docs/settings.md for what each one does."""

    theme: str = "system"
    text_size: str = "medium"
    ambience: str = "routine"  # "routine" (the routine's own choice), "none", or a sound id
    ambience_volume: int = 50
    cue_volume: int = 70
    voice_volume: int = 90
    muted: bool = False
    voice_enabled: bool = True
    voice_rate: int = 140
    voice_engine: str = "auto"
    cues_enabled: bool = True
    breathing_tones: bool = True
    reduced_motion: bool = False
    hide_time_left: bool = False
    sleep_fade_minutes: int = 0
    language: str = "system"
    safety_notice_seen: bool = False
    show_streaks: bool = True
    streak_rest_days_per_week: int = 1
    favourites: tuple[str, ...] = field(default=())

    def audio(self, language: str = "en") -> AudioSettings:
        """The sound-related part, as the audio service takes it."""
        return AudioSettings(
            ambience_volume=self.ambience_volume / 100,
            cue_volume=self.cue_volume / 100,
            voice_volume=self.voice_volume / 100,
            muted=self.muted,
            ambience_enabled=self.ambience != "none",
            cues_enabled=self.cues_enabled,
            breathing_tones_enabled=self.breathing_tones,
            voice_enabled=self.voice_enabled,
            voice_rate=self.voice_rate,
            voice_language=language,
            voice_engine=self.voice_engine,
        )

    def ambience_for(self, routine_ambience: str | None) -> str | None:
        """The ambience to play for a routine, honouring the user's override."""
        if self.ambience == "routine":
            return routine_ambience
        if self.ambience == "none":
            return None
        return self.ambience


def _choice(options: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and value in options:
            return None
        hint = suggest(str(value), options) if isinstance(value, str) else ""
        return f"expected one of {', '.join(options)}.{hint}"

    return check


def _int_range(low: int, high: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return None
        return f"expected a whole number from {low} to {high}"

    return check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _ambience(value: Any) -> str | None:
    if isinstance(value, str) and (value in ("routine", "none") or is_sound_id(value)):
        return None
    return "expected 'routine', 'none' or a sound id such as 'soft-rain'"


def _language(value: Any) -> str | None:
    if isinstance(value, str) and (
        value == "system" or (2 <= len(value) <= 12 and value.replace("_", "").replace("-", "").isalnum())
    ):
        return None
    return "expected 'system' or a language code such as 'en' or 'de'"


def _ids(value: Any) -> str | None:
    if isinstance(value, list) and all(
        isinstance(item, str) and ID_PATTERN.fullmatch(item) for item in value
    ):
        return None
    return "expected a list of routine ids"


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "theme": _choice(THEMES),
    "text_size": _choice(TEXT_SIZES),
    "ambience": _ambience,
    "ambience_volume": _int_range(0, 100),
    "cue_volume": _int_range(0, 100),
    "voice_volume": _int_range(0, 100),
    "muted": _boolean,
    "voice_enabled": _boolean,
    "voice_rate": _int_range(*VOICE_RATE_RANGE),
    "voice_engine": _choice(VOICE_ENGINES),
    "cues_enabled": _boolean,
    "breathing_tones": _boolean,
    "reduced_motion": _boolean,
    "hide_time_left": _boolean,
    "sleep_fade_minutes": _int_range(0, 60),
    "language": _language,
    "safety_notice_seen": _boolean,
    "show_streaks": _boolean,
    "streak_rest_days_per_week": _int_range(0, 6),
    "favourites": _ids,
}
assert set(CHECKS) == {f.name for f in fields(Settings)}


def _plain(node: Node) -> Any:
    if node.kind == "sequence":
        return [_plain(child) for child in node.value]
    if node.kind == "mapping":
        return {key: _plain(child) for key, child in node.value.items()}
    return node.value


class SettingsStore:
    """Reads and writes one settings.yaml. Problems are messages naming file:line and what was done."""

    def __init__(self, path: Path, *, cache_file: Path | None = None) -> None:
        self.path = path
        self.problems: list[str] = []
        self._unknown: dict[str, Any] = {}
        self._needs_backup = False
        self._cache_file = cache_file
        self.settings = self._load_cached()

    def _load_cached(self) -> Settings:
        """Parse settings.yaml, or reuse the last parse of the same bytes: PyYAML costs ~25 ms at start-up."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Settings()
        except OSError as exc:
            self.problems.append(f"{self.path}: cannot read settings ({exc.strerror}); using the defaults.")
            return Settings()
        if self._cache_file is None:
            return self._load(data)
        import pickle

        # The file's own bytes are the key: settings files are small, and any edit misses the cache.
        key = (CACHE_FORMAT, str(self.path), data)
        try:
            with self._cache_file.open("rb") as stream:
                stored = pickle.load(stream)
            if stored[0] == key:
                settings, self._unknown, self.problems, self._needs_backup = stored[1]
                return settings  # type: ignore[no-any-return]
        except Exception:  # No cache, or an unusable one: parse the file.
            pass
        settings = self._load(data)
        try:
            self._cache_file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._cache_file.with_name(f".{self._cache_file.name}.{os.getpid()}")
            with temporary.open("wb") as stream:
                pickle.dump((key, (settings, self._unknown, self.problems, self._needs_backup)), stream)
            temporary.replace(self._cache_file)
        except OSError as exc:
            log.info("settings cache not written: %s", exc)
        return settings

    def _load(self, data: bytes) -> Settings:
        from massage_guide.core.yamlread import YamlError, read_yaml

        try:
            root = read_yaml(data)
        except YamlError as exc:
            self._needs_backup = True
            self.problems.append(
                f"{self.path}:{exc.mark.line}:{exc.mark.column}: {exc.message}. Using the default settings; "
                "your file is kept and will be saved aside before anything is written."
            )
            return Settings()
        if root is None:
            return Settings()
        if root.kind != "mapping":
            self._needs_backup = True
            self.problems.append(
                f"{self.path}:{root.mark.line}:{root.mark.column}: settings must be a mapping of keys; using the defaults."
            )
            return Settings()
        values: dict[str, Any] = {}
        for key, node in root.value.items():
            mark = root.key_marks[key]
            check = CHECKS.get(key)
            value = _plain(node)
            if check is None:
                self._unknown[key] = value  # Kept as written: a newer version may know it.
                self.problems.append(
                    f"{self.path}:{mark.line}:{mark.column}: unknown setting '{key}' is kept but not used.{suggest(key, CHECKS)}"
                )
                continue
            error = check(value)
            if error:
                self._needs_backup = True
                default = getattr(Settings(), key)
                self.problems.append(
                    f"{self.path}:{node.mark.line}:{node.mark.column}: {key}: {error}; using the default ({default!r})."
                )
                continue
            values[key] = tuple(value) if key == "favourites" else value
        return Settings(**values)

    def update(self, **changes: Any) -> Settings:
        """Change some settings and save them."""
        for key, value in changes.items():
            check = CHECKS.get(key)
            if check is None:
                raise KeyError(key)
            error = check(list(value) if key == "favourites" else value)
            if error:
                raise ValueError(f"{key}: {error}")
        self.settings = replace(self.settings, **changes)
        self.save()
        return self.settings

    def save(self) -> None:
        """Write atomically; a file that could not be read is first copied aside, never lost."""
        import yaml  # only needed to write; reading goes through yamlread

        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._needs_backup and self.path.exists():
            aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
            self.path.replace(aside)
            self.problems.append(f"Your previous settings file was kept as {aside}.")
            self._needs_backup = False
        data = asdict(self.settings)
        data["favourites"] = list(self.settings.favourites)
        data.update(self._unknown)
        text = "# Massage Guide settings. See docs/settings.md; the app rewrites this file when you change a setting.\n"
        text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(self.path)


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """Settings from ``path`` (defaults where missing or wrong) and the problems found."""
    store = SettingsStore(path)
    return store.settings, store.problems
