"""Per-user folders, resolved in one place: platformdirs, or MASSAGE_GUIDE_HOME for everything."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "massage-guide"
HOME_ENV = "MASSAGE_GUIDE_HOME"


@dataclass(frozen=True)
class Paths:
    """Where this user's settings, routines, sounds, history and cache live."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.yaml"

    @property
    def user_routines_dir(self) -> Path:
        return self.data_dir / "routines"

    @property
    def user_audio_dir(self) -> Path:
        """The user's own sounds: ``ambience/*.ogg|wav`` and ``cues/*.ogg|wav``."""
        return self.data_dir / "audio"

    @property
    def history_file(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def state_file(self) -> Path:
        """Window geometry and other things the app remembers but the user does not edit."""
        return self.data_dir / "state.json"

    @property
    def speech_cache_dir(self) -> Path:
        return self.cache_dir / "speech"

    @property
    def routine_cache_dir(self) -> Path:
        return self.cache_dir / "routines"


def resolve(environ: dict[str, str] | None = None) -> Paths:
    """Return the user's folders; ``MASSAGE_GUIDE_HOME`` (when set and non-empty) holds them all."""
    env = os.environ if environ is None else environ
    home = env.get(HOME_ENV, "").strip()
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(config_dir=root, data_dir=root, cache_dir=root / "cache")
    import platformdirs

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )


# A Unix socket's path must fit in sun_path (108 bytes on Linux, 104 on macOS), with room for the name.
_SOCKET_DIR_MAX_CHARS = 80


def runtime_dir(data_dir: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """A folder only this user can enter, for the single-instance socket: XDG_RUNTIME_DIR when it is
    private, else our own 0700 folder in the temporary folder, else the data folder; None when none is
    safe. A folder another user made (or could write into) is never used: they could listen there first."""
    env = os.environ if environ is None else environ
    candidates: list[tuple[Path, bool]] = []
    runtime = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        candidates.append((Path(runtime), False))
    if hasattr(os, "getuid"):
        candidates.append((Path(tempfile.gettempdir()) / f"massage-guide-{os.getuid()}", True))
    candidates.append((data_dir, True))
    for folder, create in candidates:
        if create:
            with contextlib.suppress(OSError):
                folder.mkdir(mode=0o700, parents=False)
        if len(str(folder)) <= _SOCKET_DIR_MAX_CHARS and is_private_dir(folder):
            return folder
    return None


def is_private_dir(folder: Path) -> bool:
    """A real folder (not a link) owned by this user that nobody else can write to or enter."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owner_ok and not info.st_mode & 0o077
