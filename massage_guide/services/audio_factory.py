"""The one way the app, ``play`` and the voice preview get their sound: SDL's environment, then the service."""

from __future__ import annotations

import logging
import os
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Final

from massage_guide.core.i18n import _
from massage_guide.core.ports import AudioPort, AudioSettings, SilentAudio

log = logging.getLogger(__name__)

# Set before pygame initialises, unless the user set them: SDL's own signal handlers would make the
# process ignore SIGTERM (MEASURED.md), and pygame's greeting would land on the terminal.
SDL_ENVIRONMENT: Final = {"SDL_NO_SIGNAL_HANDLERS": "1", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
AMBIENCE_CACHE_FOLDER: Final = "ambience"  # under the cache folder: the ambience as WAV (ambience_cache)


def set_sdl_environment(environ: MutableMapping[str, str] | None = None) -> None:
    """Put SDL_ENVIRONMENT into ``environ`` (the process's), keeping any value already there."""
    target = os.environ if environ is None else environ
    for name, value in SDL_ENVIRONMENT.items():
        target.setdefault(name, value)


def build_audio(
    audio_dirs: Sequence[Path],
    speech_cache_dir: Path,
    settings: AudioSettings,
    *,
    open_now: bool = False,
    autotick: bool = True,
) -> AudioPort:
    """The sound service for ``settings``; never raises.

    With ``open_now`` (the terminal player) the device opens at once, and a SilentAudio carrying the
    reason comes back when it will not; otherwise (the app) the service opens its device with the first
    session and imports pygame no sooner than ``warm_up()`` or that session asks. No voice is built when
    the voice is off or muted."""
    set_sdl_environment()
    try:
        from massage_guide.services.audio import AudioService
        from massage_guide.services.voice import build_speech

        speech = None
        if not open_now or (settings.voice_enabled and not settings.muted):
            # The app can turn the voice on later in Settings; the player's choice holds for its session.
            speech = build_speech(
                speech_cache_dir,
                language=settings.voice_language,
                rate=settings.voice_rate,
                engine=settings.voice_engine,
            )
        service = AudioService(
            audio_dirs,
            speech=speech,
            settings=settings,
            autotick=autotick,
            # The ambience's WAVs sit beside the speech cache, in the user's cache folder.
            ambience_cache_dir=speech_cache_dir.parent / AMBIENCE_CACHE_FOLDER,
        )
    except Exception:
        log.exception("could not start the audio service")
        return SilentAudio([_("Sound could not be started, so this session will be silent.")])
    if not open_now or service.open():
        return service
    problems = service.problems()
    service.close()
    return SilentAudio(problems)
