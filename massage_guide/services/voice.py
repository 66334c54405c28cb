"""Which engine speaks: the ``voice_engine`` setting, the language and what is installed, decided in one place."""

from __future__ import annotations

import logging
from pathlib import Path

from massage_guide.core.i18n import N_, _
from massage_guide.core.voices import NATURAL_VOICE, espeak_speed, espeak_voice, speaks_natural
from massage_guide.services.piper_voice import PiperEngine, PiperUnavailableError, find_model
from massage_guide.services.speech import (
    EngineChoice,
    EspeakEngine,
    RenderingSpeech,
    find_espeak,
)

log = logging.getLogger(__name__)

NATURAL_MISSING_MESSAGE = N_(
    "The natural voice is not available ({why}), so the simpler espeak-ng voice speaks instead."
)


class VoiceChooser:
    """Chooser for RenderingSpeech: ``auto`` prefers the natural voice where it can speak the language,
    ``natural`` asks for it (and says so when it falls back), ``espeak`` always uses espeak-ng."""

    def __init__(self, work_dir: Path, *, verify: bool = False) -> None:
        self._work_dir = work_dir  # where the Piper process writes before files move into the cache
        self._verify = verify  # check the model's sha256 now (the voice command), not at its first use

    def __call__(self, engine: str, language: str, rate: int) -> EngineChoice:
        why = ""
        if engine == "espeak":
            why = _("voice_engine is espeak")
        elif not speaks_natural(language):
            why = _("the natural voice speaks English only, and the language is {language}").format(
                language=language
            )
        else:
            try:
                model = find_model(verify=self._verify)
            except PiperUnavailableError as error:
                why = str(error)
            else:
                stopped = _("the natural voice stopped working")
                broken = self._espeak(engine, language, rate, stopped, tell=False)
                return EngineChoice(
                    PiperEngine(model, rate, self._work_dir),
                    f"piper {NATURAL_VOICE} ({_('natural')})",
                    fallback=broken,
                )
        return self._espeak(engine, language, rate, why)

    def _espeak(self, engine: str, language: str, rate: int, why: str, *, tell: bool = True) -> EngineChoice:
        problem = _(NATURAL_MISSING_MESSAGE).format(why=why) if engine == "natural" and tell else None
        executable = find_espeak()
        if executable is None:
            missing = _("none (espeak-ng is not installed; {why})").format(why=why)
            return EngineChoice(None, missing, problem)
        voice = espeak_voice(language)
        label = _("chosen in settings") if engine == "espeak" else _("fallback: {why}").format(why=why)
        if voice.fallback_reason:
            label = f"{label}; {voice.fallback_reason}"
        return EngineChoice(
            EspeakEngine(executable, voice.name, espeak_speed(rate)),
            f"espeak-ng {voice.name} ({label})",
            problem,
        )


def build_speech(
    cache_dir: Path, *, language: str, rate: int, engine: str = "auto", verify: bool = False
) -> RenderingSpeech:
    """The speech service the app and the player use: renderings cached under ``cache_dir``."""
    chooser = VoiceChooser(cache_dir / "piper-out", verify=verify)
    return RenderingSpeech(cache_dir, chooser, voice=language, rate=rate, engine=engine)
