"""Locale codes map to voices the engines have, and words a minute map to each engine's speed."""

from __future__ import annotations

import pytest

from massage_guide.core.voices import (
    espeak_speed,
    espeak_voice,
    normalise_locale,
    piper_length_scale,
    speaks_natural,
)


@pytest.mark.parametrize(
    ("code", "voice"),
    [
        ("en_US", "en-us"),
        ("en_US.UTF-8", "en-us"),
        ("en_GB", "en-gb"),
        ("en_AU.UTF-8", "en-gb"),
        ("en", "en-us"),
        ("pt_BR.UTF-8", "pt-br"),
        ("pt_PT", "pt"),
        ("fr_FR", "fr-fr"),
        ("fr_CA.UTF-8", "fr-fr"),
        ("de_DE.UTF-8@euro", "de"),
        ("de_AT", "de"),
        ("es_MX", "es-419"),
        ("zh_CN.UTF-8", "cmn"),
        ("nb_NO", "nb"),
        ("C", "en-us"),
        ("POSIX", "en-us"),
        ("C.UTF-8", "en-us"),
        ("", "en-us"),
        ("system", "en-us"),
    ],
)
def test_every_locale_code_maps_to_a_voice_espeak_has(code: str, voice: str) -> None:
    """Locale names (en_US, pt_BR, C, POSIX...) become espeak-ng voice names, never one it lacks."""
    assert espeak_voice(code).name == voice
    assert espeak_voice(code).fallback_reason is None


def test_an_unknown_language_falls_back_to_english_and_says_why() -> None:
    """A language espeak-ng cannot speak gets English, with the reason kept for the voice command."""
    found = espeak_voice("tlh_KL")
    assert found.name == "en-us"
    assert found.fallback_reason is not None
    assert "tlh_KL" in found.fallback_reason


def test_locale_values_are_normalised() -> None:
    """Encodings, modifiers and priority lists are not part of the language."""
    assert normalise_locale("pt_BR.UTF-8@euro") == "pt-br"
    assert normalise_locale("de:en") == "de"
    assert normalise_locale("POSIX") == ""


@pytest.mark.parametrize(
    ("code", "natural"), [("en_US", True), ("en_GB.UTF-8", True), ("C", True), ("de_DE", False)]
)
def test_the_natural_voice_speaks_english_only(code: str, natural: bool) -> None:
    """The bundled natural voice is US English: other languages go to espeak-ng."""
    assert speaks_natural(code) is natural


def test_a_slower_pace_asks_each_engine_for_slower_speech() -> None:
    """Fewer words a minute give espeak-ng a lower -s and Piper a longer length scale, within their ranges."""
    assert espeak_speed(80) < espeak_speed(140) < espeak_speed(260)
    assert piper_length_scale(80) > piper_length_scale(140) > piper_length_scale(260)
    assert espeak_speed(140) < 140  # espeak-ng reads faster than its -s says
    assert 1.5 < piper_length_scale(140) < 2.0  # joe-medium reads ~239 wpm at 1.0
