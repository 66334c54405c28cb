"""User settings in settings.yaml: typed, validated key by key, saved atomically, a bad file never lost."""

from __future__ import annotations

import hashlib
import logging
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
from massage_guide.core.reminders import ReminderSettings, parse_hhmm, reminder_settings
from massage_guide.core.sounds import is_sound_id

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark", "night")
# Bump when Settings changes shape, so an older cached parse is not reused.
CACHE_FORMAT = 3  # 3: voice_engine (issue 9)
TEXT_SIZES = ("small", "medium", "large", "extra_large")
VOICE_ENGINES = ("auto", "natural", "espeak")
VOICE_RATE_RANGE = (80, 260)
# A settings file is a few hundred bytes; anything past this is not one (and /dev/zero never ends).
SETTINGS_MAX_BYTES = 64 * 1024


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
    # Office breaks (issue 12): the reminders group, the night theme's start time, start at login.
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    night_from: str | None = None  # "21:30": the night theme comes on by itself from then until morning
    start_at_login: bool = False
    mini_player_for_breaks: bool = True  # a break started from the prompt opens in the mini player

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


def _reminders(value: Any) -> str | None:
    if isinstance(value, ReminderSettings):
        value = value.as_yaml()
    if not isinstance(value, dict):
        return "expected a group of keys (enabled, every_minutes, work_hours, weekdays, routine)"
    _settings, problems = reminder_settings(value)
    return "; ".join(f"{key}: {problem}" for key, problem in problems) or None


def _time_or_off(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and parse_hhmm(value)):
        return None
    return 'expected a time such as "21:30", or null for never'


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
    "reminders": _reminders,
    "night_from": _time_or_off,
    "start_at_login": _boolean,
    "mini_player_for_breaks": _boolean,
}
assert set(CHECKS) == {f.name for f in fields(Settings)}


def _plain(node: Node) -> Any:
    if node.kind == "sequence":
        return [_plain(child) for child in node.value]
    if node.kind == "mapping":
        return {key: _plain(child) for key, child in node.value.items()}
    return node.value


class SettingsStore:
    """Reads and writes one settings.yaml. Problems are messages naming file:line and what was done.

    Only a regular file of at most SETTINGS_MAX_BYTES is read (a pipe or a device never hangs the app).
    A file that exists but cannot be read is never overwritten: changes then last until the app closes.
    Saving writes through a symbolic link, so a settings file kept with one's dotfiles stays a link."""

    def __init__(self, path: Path, *, cache_file: Path | None = None) -> None:
        self.path = path
        self.problems: list[str] = []
        self._unknown: dict[str, Any] = {}
        self._needs_backup = False
        self._unreadable = False
        self._raw: bytes | None = None
        # The parse cache is JSON (data only, checked on load); an older pickle cache is never read.
        self._cache_file = cache_file.with_suffix(".json") if cache_file is not None else None
        self.settings = self._load_cached()
        from massage_guide.core.files import one_line

        # A key or value with a line break in it must not split a message in two.
        self.problems = [one_line(problem) for problem in self.problems]

    def _load_cached(self) -> Settings:
        """Parse settings.yaml, or reuse the last parse of the same bytes: PyYAML costs ~25 ms at start-up."""
        from massage_guide.core.files import FileReadError, one_line, read_regular

        try:
            data = read_regular(self.path, SETTINGS_MAX_BYTES)
        except FileNotFoundError:
            return Settings()
        except (FileReadError, OSError) as exc:
            self._unreadable = True
            reason = exc.reason if isinstance(exc, FileReadError) else (exc.strerror or str(exc))
            self.problems.append(
                f"{one_line(str(self.path))}: cannot read your settings ({one_line(reason)}); using the defaults "
                "for now. The file is left as it is and will not be overwritten; make it a readable file of "
                "yours to use it again."
            )
            return Settings()
        self._raw = data
        if self._cache_file is None:
            return self._load_capped(data)
        key = f"{CACHE_FORMAT}:{self.path}:{hashlib.sha256(data).hexdigest()}"
        cached = self._read_cache(key)
        if cached is not None:
            return cached
        settings = self._load_capped(data)
        self._write_cache(key, settings)
        return settings

    def _load_capped(self, data: bytes) -> Settings:
        """Parse, with at most MAX_PROBLEMS_PER_FILE problems (and hints) and "… and N more" after them."""
        from massage_guide.core.problems import MAX_PROBLEMS_PER_FILE, suggestion_budget

        with suggestion_budget(MAX_PROBLEMS_PER_FILE):
            settings = self._load(data)
        extra = len(self.problems) - MAX_PROBLEMS_PER_FILE
        if extra > 0:
            self.problems[MAX_PROBLEMS_PER_FILE:] = [f"{self.path}: … and {extra:,} more"]
        return settings

    def _read_cache(self, key: str) -> Settings | None:
        """The cached parse, if the cache file is ours, for these exact bytes, and every value passes its
        check; anything else (missing, damaged, planted) means parse the file again."""
        import json

        from massage_guide.core.files import FileReadError, read_regular

        assert self._cache_file is not None
        try:
            stored = json.loads(read_regular(self._cache_file, SETTINGS_MAX_BYTES * 4))
        except (OSError, FileReadError, ValueError, RecursionError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != key:
            return None
        values, unknown = stored.get("values"), stored.get("unknown")
        problems, needs_backup = stored.get("problems"), stored.get("needs_backup")
        if (
            not isinstance(values, dict)
            or not isinstance(unknown, dict)
            or not isinstance(problems, list)
            or not all(isinstance(problem, str) for problem in problems)
            or not isinstance(needs_backup, bool)
            or not all(name in CHECKS and CHECKS[name](value) is None for name, value in values.items())
        ):
            return None
        if "favourites" in values:
            values["favourites"] = tuple(values["favourites"])
        if "reminders" in values:
            # JSON keeps the group as a plain mapping; it was checked above, so every key is taken.
            values["reminders"] = reminder_settings(values["reminders"])[0]
        self._unknown, self.problems, self._needs_backup = unknown, problems, needs_backup
        return Settings(**values)

    def _write_cache(self, key: str, settings: Settings) -> None:
        import json

        from massage_guide.core.files import write_private

        assert self._cache_file is not None
        defaults = asdict(Settings())
        values = {name: value for name, value in asdict(settings).items() if value != defaults[name]}
        if "favourites" in values:
            values["favourites"] = list(values["favourites"])
        document = {
            "key": key,
            "values": values,
            "unknown": self._unknown,
            "problems": self.problems,
            "needs_backup": self._needs_backup,
        }
        try:
            write_private(self._cache_file, json.dumps(document, ensure_ascii=False).encode("utf-8"))
        except (OSError, ValueError) as exc:
            log.info("settings cache not written: %s", exc)

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
            if key == "reminders" and node.kind == "mapping":
                values[key] = self._load_reminders(node)
                continue
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

    def _load_reminders(self, node: Node) -> ReminderSettings:
        """The ``reminders:`` group, key by key: a bad key falls back to its default, the rest are kept."""
        group, problems = reminder_settings({key: _plain(child) for key, child in node.value.items()})
        for key, problem in problems:
            child = node.value.get(key)
            mark = child.mark if child is not None else node.mark
            default = getattr(ReminderSettings(), key, None)
            self._needs_backup = True
            fallback = "" if default is None else f"; using the default ({default!r})"
            self.problems.append(
                f"{self.path}:{mark.line}:{mark.column}: reminders.{key}: {problem}{fallback}."
            )
        return group

    def update(self, **changes: Any) -> Settings:
        """Change some settings and save them."""
        for key, value in changes.items():
            check = CHECKS.get(key)
            if check is None:
                raise KeyError(key)
            error = check(list(value) if key == "favourites" else value)
            if error:
                raise ValueError(f"{key}: {error}")
        if isinstance(changes.get("reminders"), dict):
            changes["reminders"] = reminder_settings(changes["reminders"])[0]
        self.settings = replace(self.settings, **changes)
        self.save()
        return self.settings

    def save(self) -> None:
        """Write atomically, through a symbolic link; a file with mistakes is first copied aside, never
        lost; a file that could not be read is never overwritten (the change lasts until the app closes)."""
        import yaml  # only needed to write; reading goes through yamlread

        from massage_guide.core.files import one_line, write_private

        if self._unreadable:
            message = (
                f"{one_line(str(self.path))}: your settings file could not be read, so this change was not "
                "saved to it (it is kept as it is). The change lasts until you close the app."
            )
            if message not in self.problems:
                self.problems.append(message)
            return
        if self._needs_backup and self._raw is not None:
            aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
            write_private(aside, self._raw)
            self.problems.append(f"Your previous settings file was kept as {aside}.")
            self._needs_backup = False
        data = asdict(self.settings)
        data["favourites"] = list(self.settings.favourites)
        data["reminders"] = self.settings.reminders.as_yaml()
        data.update(self._unknown)
        text = "# Massage Guide settings. See docs/settings.md; the app rewrites this file when you change a setting.\n"
        text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        encoded = text.encode("utf-8")
        write_private(self.path, encoded)
        self._raw = encoded


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """Settings from ``path`` (defaults where missing or wrong) and the problems found."""
    store = SettingsStore(path)
    return store.settings, store.problems
