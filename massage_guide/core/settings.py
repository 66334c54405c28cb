"""User settings in settings.yaml: declared key by key (core/setting_specs.py), validated, saved atomically
keeping the user's comments and order, a bad file never lost."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from massage_guide.core.settings_writer import Parsed
    from massage_guide.core.yamlread import Mark, Node

from massage_guide.core.i18n import N_, _, active_language
from massage_guide.core.model import ID_PATTERN
from massage_guide.core.ports import AudioSettings
from massage_guide.core.problems import suggest
from massage_guide.core.reminders import BREAKS, ReminderSettings, parse_hhmm
from massage_guide.core.setting_specs import (
    Choice,
    Flag,
    Group,
    Items,
    Text,
    Whole,
    setting,
    spec_map,
    to_yaml,
)
from massage_guide.core.sounds import is_sound_id

log = logging.getLogger(__name__)

THEMES = ("system", "light", "dark", "night")
# Bump when Settings changes shape, so an older cached parse is not reused.
CACHE_FORMAT = 4  # 4: specs; problems in the active language; unknown keys live in the file only
TEXT_SIZES = ("small", "medium", "large", "extra_large")
VOICE_ENGINES = ("auto", "natural", "espeak")
VOICE_RATE_RANGE = (80, 260)
# A settings file is a few hundred bytes; anything past this is not one (and /dev/zero never ends).
SETTINGS_MAX_BYTES = 64 * 1024


def _ambience(value: str) -> bool:
    return value in ("routine", "none") or is_sound_id(value)


def _language(value: str) -> bool:
    return value == "system" or (2 <= len(value) <= 12 and value.replace("_", "").replace("-", "").isalnum())


def _routine_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def _time(value: str) -> bool:
    return parse_hhmm(value) is not None


# The Settings page's groups, in the order the page and docs/settings.md show them.
APPEARANCE: Final = N_("Appearance")
SOUND: Final = N_("Sound")
VOICE: Final = N_("Voice")
SESSION: Final = N_("Session")
PROGRESS: Final = N_("Progress")
SAFETY: Final = N_("Safety")
BEDTIME: Final = N_("Bedtime")
ON_OFF: Final = Flag()
PERCENT: Final = Whole(0, 100)


@dataclass(frozen=True)
class Settings:
    """Every setting: its type, default, values and doc line in one declaration (docs/settings.md is made
    from these)."""

    theme: str = setting(
        "system",
        Choice(THEMES, (N_("Follow the system"), N_("Light"), N_("Dark"), N_("Night (dim and warm)"))),
        doc="Colours of the app. `system` follows your desktop's light or dark choice; `night` is dim and "
        "warm for bedtime, with no bright whites.",
        page=APPEARANCE,
        label=N_("Theme"),
    )
    text_size: str = setting(
        "medium",
        Choice(TEXT_SIZES, (N_("Small"), N_("Medium"), N_("Large"), N_("Extra large"))),
        doc="Size of all text (0.9×, 1×, 1.2×, 1.45×).",
        page=APPEARANCE,
        label=N_("Text size"),
    )
    reduced_motion: bool = setting(
        False,
        ON_OFF,
        doc="Replaces the moving breathing guide with a still, written cue for each breath, and keeps other "
        "animation to a minimum.",
        page=APPEARANCE,
        label=N_("Reduce motion"),
        tooltip=N_("The breathing guide shows words instead of moving."),
    )
    language: str = setting(
        "system",
        Text(
            _language,
            N_("expected 'system' or a language code such as 'en' or 'de'"),
            "`system`, or a language code such as `en`, `de`, `pt_BR`",
        ),
        doc="The language of the app, the command line, the spoken safety line and side announcements, and "
        "routine texts where a routine has a translation (English and German today). `system` uses your "
        "computer's language (`LANG`, `LC_ALL`, `LANGUAGE`; `C` and `POSIX` mean English). What has no "
        "translation shows in English. A change made on the Settings page applies at once (during a "
        "session, when it ends).",
        page=APPEARANCE,
        label=N_("Language"),
        tooltip=N_("The language of the app's words and of the spoken guidance"),
    )
    ambience: str = setting(
        "routine",
        Text(
            _ambience,
            N_("expected 'routine', 'none' or a sound id such as 'soft-rain'"),
            "`routine`, `none`, or a sound id such as `soft-rain`",
        ),
        doc="Background sound during a session. `routine` plays the one the routine suggests; `none` plays "
        "none; a sound id always plays that sound (the bundled ones are `brown-noise`, `forest-stream`, "
        "`ocean-waves`, `soft-rain`, `warm-drone`, plus any you add to your `audio/ambience/` folder).",
        page=SOUND,
        label=N_("Ambience"),
        tooltip=N_("The background sound during a session"),
    )
    ambience_volume: int = setting(
        50,
        PERCENT,
        doc="Loudness of the background sound, in percent.",
        page=SOUND,
        label=N_("Ambience volume"),
    )
    cue_volume: int = setting(
        70,
        PERCENT,
        doc="Loudness of the soft cues between steps and on breathing steps, in percent.",
        page=SOUND,
        label=N_("Cue volume"),
    )
    voice_volume: int = setting(
        90,
        PERCENT,
        doc="Loudness of the spoken instructions, in percent.",
        page=SOUND,
        label=N_("Voice volume"),
    )
    muted: bool = setting(
        False,
        ON_OFF,
        doc="Silences everything at once, keeping the volumes above for when you unmute.",
        page=SOUND,
        label=N_("Mute all sound"),
    )
    cues_enabled: bool = setting(
        True,
        ON_OFF,
        doc="Plays a soft sound when a step starts and ends.",
        page=SOUND,
        label=N_("Soft cues between steps"),
    )
    breathing_tones: bool = setting(
        True,
        ON_OFF,
        doc="Plays a gentle tone at each breath in and out on breathing steps.",
        page=SOUND,
        label=N_("Tones on breathing steps"),
    )
    voice_enabled: bool = setting(
        True,
        ON_OFF,
        doc="Reads each step's instruction aloud (text to speech, on your computer).",
        page=VOICE,
        label=N_("Read the steps aloud"),
    )
    voice_rate: int = setting(
        140,
        Whole(*VOICE_RATE_RANGE),
        doc="Speed of the voice, in words per minute, as measured on the built-in texts (each engine is "
        "calibrated to it).",
        page=VOICE,
        label=N_("Speed"),
        tooltip=N_("Voice speed in words per minute"),
    )
    voice_engine: str = setting(
        "auto",
        Choice(
            VOICE_ENGINES,
            (N_("Automatic"), N_("Natural voice (Piper)"), N_("eSpeak NG")),
        ),
        doc="Which voice speaks. `auto` uses the natural voice (Piper, `en_US-joe-medium`) where it is "
        "installed and the language is English, and espeak-ng otherwise; `natural` asks for the natural "
        "voice and tells you when it falls back; `espeak` always uses espeak-ng. `massage-guide voice` "
        "prints which one is in use and why.",
        page=VOICE,
        label=N_("Which voice"),
        tooltip=N_("Automatic uses the natural voice (Piper) where it is installed, and eSpeak NG otherwise"),
    )
    hide_time_left: bool = setting(
        False,
        ON_OFF,
        doc="Hides the countdown during a session, for when watching the clock gets in the way of relaxing.",
        page=SESSION,
        label=N_("Hide the time left"),
        tooltip=N_("Nice at bedtime: no countdown to watch."),
    )
    sleep_fade_minutes: int = setting(
        0,
        Whole(0, 60),
        doc="The sleep timer: after the routine ends, the ambience plays on and fades out slowly over this "
        'many minutes, in the app and in `massage-guide play`. "Stop the sound now", the tray, or in `play` '
        "any key or Ctrl+C end it sooner. `0` stops the sound with the routine.",
        page=SESSION,
        label=N_("After the routine"),
        tooltip=N_("Keep ambience playing after the routine"),
    )
    safety_notice_seen: bool = setting(
        False,
        ON_OFF,
        doc="Whether you have acknowledged the safety notice. While `false` it is shown before your next "
        'session. "Show the safety notice again" on the Settings page sets it back to `false`.',
    )
    show_streaks: bool = setting(
        True,
        ON_OFF,
        doc="Shows your streak on the Progress page and in `massage-guide stats`. Set to `false` to hide "
        "streaks everywhere.",
        page=PROGRESS,
        label=N_("Show streaks"),
    )
    streak_rest_days_per_week: int = setting(
        1,
        Whole(0, 6),
        doc="Days in each week (Monday to Sunday) you can skip without ending a streak. `0` means every day "
        "counts. Today never ends a streak: it is not over yet.",
        page=PROGRESS,
        label=N_("Rest days a week"),
        tooltip=N_("Rest days a week that keep a streak going"),
    )
    favourites: tuple[str, ...] = setting(
        (),
        Items(_routine_id, N_("expected a list of routine ids"), "a list of routine ids"),
        doc="Routines marked with the heart; they are listed first in the library.",
    )
    # Office breaks (issue 12): the reminders group, the night theme's start time, start at login.
    reminders: ReminderSettings = setting(  # noqa: RUF009 - a frozen group, shared safely
        ReminderSettings(),
        Group(ReminderSettings),
        doc="Gentle reminders to take a break during work hours (see [Break reminders](#break-reminders)).",
        default_doc="off",
    )
    night_from: str | None = setting(
        None,
        Text(
            _time,
            N_('expected a time such as "21:30", or null for never'),
            'a time such as `"21:30"`, or `null`',
            nullable=True,
            quoted=True,
        ),
        doc="From this time until 06:00 the app switches to the night theme by itself, whatever `theme` "
        "says; `null` never switches.",
        page=BEDTIME,
        label=N_("Night theme"),
        tooltip=N_("Night theme by the clock"),
    )
    start_at_login: bool = setting(
        False,
        ON_OFF,
        doc="Starts Massage Guide in the tray when you log in (writes `~/.config/autostart/"
        "massage-guide.desktop`, which runs `massage-guide --background`; `false` removes it). Where the "
        "desktop has no tray it starts minimised instead.",
        page=BREAKS,
        label=N_("Start at login, in the tray"),
    )
    mini_player_for_breaks: bool = setting(
        True,
        ON_OFF,
        doc="A break started from a reminder (or the tray's quick break) opens in the small always-on-top "
        "player instead of the full window.",
        page=BREAKS,
        label=N_("Open breaks in the small player"),
    )

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


SPECS: Final = spec_map(Settings)


def language_choices() -> tuple[str, ...]:
    """What the Settings page offers for ``language``: the system's, English (the source text) and every
    language with a compiled catalogue (the pseudo-locale is for tests, not people)."""
    from massage_guide.core.i18n import DOMAIN, LOCALE_DIR, PSEUDO_LANGUAGE

    found = sorted(
        folder.name
        for folder in LOCALE_DIR.iterdir()
        if folder.name != PSEUDO_LANGUAGE and (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    )
    return ("system", *dict.fromkeys(["en", *found]))


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
    Saving changes only the keys that changed (ruamel.yaml round-trip), so comments, key order and unknown
    keys stay; it writes through a symbolic link, so a settings file kept with one's dotfiles stays a link."""

    def __init__(self, path: Path, *, cache_file: Path | None = None) -> None:
        self.path = path
        self.problems: list[str] = []
        self._unreadable = False
        # The parse cache is JSON (data only, checked on load); an older pickle cache is never read.
        self._cache_file = cache_file.with_suffix(".json") if cache_file is not None else None
        self.settings = self._load_cached()
        # What the file says as last read or written: a save writes only the keys that differ from it.
        self._saved = self.settings
        self._parsed: Parsed | None = None
        from massage_guide.core.files import one_line

        # A key or value with a line break in it must not split a message in two.
        self.problems = [one_line(problem) for problem in self.problems]

    def _where(self, mark: Mark) -> str:
        return f"{self.path}:{mark.line}:{mark.column}"

    def _load_cached(self) -> Settings:
        """Parse settings.yaml, or reuse the last parse of the same bytes: PyYAML costs ~25 ms at start-up."""
        from massage_guide.core.files import FileReadError, one_line, read_regular
        from massage_guide.core.os_errors import os_reason

        try:
            data = read_regular(self.path, SETTINGS_MAX_BYTES)
        except FileNotFoundError:
            return Settings()
        except (FileReadError, OSError) as exc:
            self._unreadable = True
            reason = exc.reason if isinstance(exc, FileReadError) else os_reason(exc)
            self.problems.append(
                _(
                    "{path}: cannot read your settings ({reason}); using the defaults for now. The file is "
                    "left as it is and will not be overwritten; make it a readable file of yours to use it "
                    "again."
                ).format(path=one_line(str(self.path)), reason=one_line(reason))
            )
            return Settings()
        if self._cache_file is None:
            return self._load_capped(data)
        # The problems are kept in the words of the language they were made in.
        key = f"{CACHE_FORMAT}:{active_language()}:{self.path}:{hashlib.sha256(data).hexdigest()}"
        cached = self._read_cache(key)
        if cached is not None:
            return cached
        settings = self._load_capped(data)
        self._write_cache(key, settings)
        return settings

    def _load_capped(self, data: bytes) -> Settings:
        """Parse, with at most MAX_PROBLEMS_PER_FILE problems (and hints) and "… and N more" after them."""
        from massage_guide.core.formatting import number
        from massage_guide.core.problems import MAX_PROBLEMS_PER_FILE, suggestion_budget

        with suggestion_budget(MAX_PROBLEMS_PER_FILE):
            settings = self._load(data)
        extra = len(self.problems) - MAX_PROBLEMS_PER_FILE
        if extra > 0:
            more = _("… and {count} more").format(count=number(extra))
            self.problems[MAX_PROBLEMS_PER_FILE:] = [f"{self.path}: {more}"]
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
        values, problems = stored.get("values"), stored.get("problems")
        if (
            not isinstance(values, dict)
            or not isinstance(problems, list)
            or not all(isinstance(problem, str) for problem in problems)
            or not all(name in SPECS and SPECS[name].check(value) is None for name, value in values.items())
        ):
            return None
        self.problems = problems
        return Settings(**{name: SPECS[name].kind.to_python(value) for name, value in values.items()})

    def _write_cache(self, key: str, settings: Settings) -> None:
        import json

        from massage_guide.core.files import write_private

        assert self._cache_file is not None
        defaults, current = to_yaml(Settings()), to_yaml(settings)
        values = {name: value for name, value in current.items() if value != defaults[name]}
        document = {"key": key, "values": values, "problems": self.problems}
        try:
            write_private(self._cache_file, json.dumps(document, ensure_ascii=False).encode("utf-8"))
        except (OSError, ValueError) as exc:
            log.info("settings cache not written: %s", exc)

    def _load(self, data: bytes) -> Settings:
        from massage_guide.core.yamlread import YamlError, read_yaml

        try:
            root = read_yaml(data)
        except YamlError as exc:
            self.problems.append(
                _(
                    "{where}: {message}. Using the default settings; your file is kept and will be saved aside "
                    "before anything is written."
                ).format(where=self._where(exc.mark), message=exc.message)
            )
            return Settings()
        if root is None:
            return Settings()
        if root.kind != "mapping":
            self.problems.append(
                _("{where}: settings must be a mapping of keys; using the defaults.").format(
                    where=self._where(root.mark)
                )
            )
            return Settings()
        settings: Settings = self._read_group(Settings, root, "")
        return settings

    def _read_group(self, cls: type[Any], node: Node, prefix: str) -> Any:
        """One mapping of the file, key by key: a bad value falls back to its default, the rest are kept; a
        key not known is reported and left in the file as written (a newer version may know it)."""
        known = spec_map(cls)
        values: dict[str, Any] = {}
        for key, child in node.value.items():
            name = f"{prefix}{key}"
            spec = known.get(key)
            if spec is None:
                self.problems.append(
                    f"{self._where(node.key_marks[key])}: "
                    + _("unknown setting '{name}' is kept but not used.").format(name=name)
                    + suggest(key, known)
                )
                continue
            if isinstance(spec.kind, Group) and child.kind == "mapping":
                values[key] = self._read_group(spec.kind.cls, child, f"{name}.")
                continue
            value = _plain(child)
            error = spec.check(value)
            if error:
                fallback = (
                    _("using the defaults.")
                    if isinstance(spec.kind, Group)
                    else _("using the default ({default}).").format(default=spec.kind.shown(spec.default))
                )
                self.problems.append(f"{self._where(child.mark)}: {name}: {error}; {fallback}")
                continue
            values[key] = spec.kind.to_python(value)
        return cls(**values)

    def update(self, **changes: Any) -> Settings:
        """Change some settings and save them."""
        converted: dict[str, Any] = {}
        for key, value in changes.items():
            spec = SPECS.get(key)
            if spec is None:
                raise KeyError(key)
            error = spec.check(value)
            if error:
                raise ValueError(f"{key}: {error}")
            converted[key] = spec.kind.to_python(value)
        self.settings = replace(self.settings, **converted)
        self.save()
        return self.settings

    def save(self) -> None:
        """Write the changed keys into the file as it is now, atomically and through a symbolic link; a file
        that does not read as settings is first copied aside, never lost; a file that could not be read is
        never overwritten (the change lasts until the app closes)."""
        from massage_guide.core.files import FileReadError, one_line, read_regular, write_private
        from massage_guide.core.settings_writer import NotAMappingError, fresh_text, updated_text

        current: bytes | None = None
        if not self._unreadable:
            try:
                current = read_regular(self.path, SETTINGS_MAX_BYTES)
            except FileNotFoundError:
                current = None
            except (FileReadError, OSError):
                self._unreadable = True
        if self._unreadable:
            message = _(
                "{path}: your settings file could not be read, so this change was not saved to it (it is kept "
                "as it is). The change lasts until you close the app."
            ).format(path=one_line(str(self.path)))
            if message not in self.problems:
                self.problems.append(message)
            return
        text = ""
        if current is not None and current.strip():
            try:
                text, self._parsed = updated_text(
                    current.decode("utf-8"), self._saved, self.settings, parsed=self._parsed
                )
            except (NotAMappingError, UnicodeDecodeError):
                self._parsed = None
                aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
                write_private(aside, current)
                self.problems.append(_("Your previous settings file was kept as {path}.").format(path=aside))
        try:
            write_private(self.path, (text or fresh_text(self.settings)).encode("utf-8"))
        except OSError:
            self._parsed = None  # the tree holds a change the file did not get
            raise
        self._saved = self.settings


def load_settings(path: Path) -> tuple[Settings, list[str]]:
    """Settings from ``path`` (defaults where missing or wrong) and the problems found."""
    store = SettingsStore(path)
    return store.settings, store.problems
