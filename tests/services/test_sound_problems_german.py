"""A sound file that is missing or will not play is named in the user's language, without SDL's English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.disk_driver import is_silent, run_on_disk_driver

pytestmark = pytest.mark.slow


def test_missing_and_broken_sounds_are_told_in_german(tmp_path: Path) -> None:
    """A missing or broken background sound or cue gets one German message each, saying what to do, and
    none of SDL's own English such as "Unrecognized audio format"."""
    user = tmp_path / "user-audio"
    (user / "ambience").mkdir(parents=True)
    (user / "cues").mkdir()
    (user / "ambience" / "broken.ogg").write_bytes(b"OggS but not really" * 50)
    (user / "cues" / "cracked.ogg").write_bytes(b"\x00\x01garbage" * 50)
    rec = run_on_disk_driver(
        tmp_path,
        f"""
        from massage_guide.core import i18n
        i18n.activate("de")
        audio = service(dirs=[Path({str(user)!r}), audio_dir()])
        audio.start_ambience("no-such-bed")
        audio.play_cue(Cue.NEXT_STEP, "no-such-cue")
        audio.start_ambience("broken")
        audio.play_cue(Cue.NEXT_STEP, "cracked")
        play_for(0.5)
        finish(audio)
        """,
    )
    assert is_silent(rec.samples)
    broken = user / "ambience" / "broken.ogg"
    cracked = user / "cues" / "cracked.ogg"
    assert rec.problems == [
        "Der Hintergrundklang „no-such-bed“ fehlt, daher hat diese Sitzung keinen. Wähle in den Einstellungen "
        "einen anderen oder leg die Datei in deinen Ordner audio/ambience.",
        "Der Signalton „no-such-cue“ fehlt, daher bleibt dieses Signal stumm. Leg die Datei in deinen Ordner "
        "audio/cues oder wähle ein anderes Signal.",
        f"Der Hintergrundklang {broken} ließ sich nicht abspielen (das ist kein Ton, den Massage Guide "
        "abspielen kann; nimm eine WAV- oder OGG-Datei); die Sitzung läuft ohne ihn weiter. Ersetze die Datei "
        "oder wähle einen anderen Klang.",
        f"Der Signalton {cracked} ließ sich nicht lesen (das ist kein Ton, den Massage Guide abspielen kann; "
        "nimm eine WAV- oder OGG-Datei), daher bleibt dieses Signal stumm. Ersetze die Datei oder wähle ein "
        "anderes Signal.",
    ]


def test_a_mixer_that_will_not_open_is_told_in_german(tmp_path: Path) -> None:
    """When SDL cannot open any sound output the one message about it is German in a German session."""
    rec = run_on_disk_driver(
        tmp_path,
        """
        from massage_guide.core import i18n
        i18n.activate("de")
        audio = AudioService([audio_dir()], speech=None, settings=AudioSettings(), autotick=False, clock=audio_clock)
        assert not audio.open()
        audio.play_cue(Cue.SESSION_START)
        finish(audio)
        """,
        driver="no-such-driver",
    )
    assert rec.problems == [
        "Der Ton ließ sich nicht starten (die Tonausgabe no-such-driver ist nicht verfügbar; prüfe "
        "SDL_AUDIODRIVER), die Sitzung bleibt also still."
    ]
