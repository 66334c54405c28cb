"""Per-user folders, resolved in one place: platformdirs, or MASSAGE_GUIDE_HOME for everything."""

from __future__ import annotations

import os
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
