"""The command line speaks the user's language: German from the locale or the setting, and no string left
untranslated (the pseudo-locale ``xx`` brackets every translated string, so anything outside is a miss)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli_package import command_paths
from tests.cli.test_play import player_env

# A user routine whose every text is one made-up word, so what is left after removing it is the CLI's own.
QQ_ROUTINE = """\
schema_version: 1
id: qq-routine
title: Qq
summary: Qq
areas: [neck]
goals: [desk_break]
cautions:
  - Qq
steps:
  - title: Qq
    instruction: Qq
    duration: 10s
    side: left
    mirror: true
    technique: kneading
    pressure: medium
"""
# Words a translated line may still show: command, option and metavar names, file kinds, Babel's units for
# a language it does not know (the pseudo-locale formats like English), and the pseudo-locale's padding.
ALLOWED = {
    "qq", "massage", "guide", "list", "validate", "schema", "play", "history", "stats", "export", "import",
    "command", "routine_id", "path", "file", "date", "action", "json", "csv", "yaml", "yml", "help",
    "version", "start", "mini", "background", "install", "uninstall", "desktop", "entry", "no", "voice",
    "ambience", "since", "skip", "invalid", "min", "hr", "routine", "id", "nope", "txt", "errors", "routines",
    "edit", "steps",  # an option name; a location inside a routine file (steps[0]), as validate names it
    "areas", "duration",  # more locations inside a routine file, named as the user typed them
    "replace", "say", "out", "text", "wav", "drop",  # voice and import options, metavars, an example file
    "espeak", "ng", "en", "us", "xx", "voice_rate",  # the voice command names the engine, its voice and settings
}  # fmt: skip
# A routine file with two mistakes and a history file with two bad rows (status, id): what a person
# most often gets wrong, each reported with its file and line.
BROKEN_ROUTINE = QQ_ROUTINE.replace("[neck]", "[nek]").replace("duration: 10s", "duration: 2x")
CSV_HEADER = (
    "id,routine_id,routine_title,started_at,ended_at,status,planned_seconds,active_seconds,steps_completed,"
    "steps_total,tension_before,tension_after,note\n"
)
BAD_CSV = (
    CSV_HEADER
    + "6f1c2a52-8f0e-4c56-9a43-0e8b1f0f3a11,qq-routine,Qq,2024-05-01T18:30:00+02:00,,finished,60,60,1,1,,,\n"
    + "nope,qq-routine,Qq,2024-05-01T18:30:00+02:00,,completed,60,60,1,1,,,\n"
)
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def _run(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=60,
        check=False,
    )


def _env(lang: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in player_env(60).items()
        if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    env["LANG"] = lang
    env["COLUMNS"] = "200"  # argparse wraps help at the terminal width; one line per entry is easier to read
    return env


def test_german_locale_gives_german_help(mg_home: Path) -> None:
    """LANG=de_DE.UTF-8 prints the help in German, argparse's own headings included; LANG=C in English."""
    german = _run("--help", env=_env("de_DE.UTF-8"))
    assert german.returncode == 0
    assert "Aufruf: massage-guide" in german.stdout
    assert "Optionen:" in german.stdout
    assert "die Routinen-Bibliothek auflisten" in german.stdout
    english = _run("--help", env=_env("C"))
    assert "usage: massage-guide" in english.stdout and "list the routine library" in english.stdout


def test_language_setting_beats_the_locale(mg_home: Path) -> None:
    """``language: de`` in settings.yaml makes the command line German even under LANG=C."""
    (mg_home / "settings.yaml").write_text("language: de\n", encoding="utf-8")
    result = _run("history", env=_env("C"))
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        == "Noch keine Sitzungen gespeichert. Nach deiner ersten Routine erscheinen sie hier."
    )
    errors = _run("history", "export", "out.txt", env=_env("C"))
    assert "der Dateiname muss auf .csv oder .json enden" in errors.stderr


def test_german_play_prints_german_steps(mg_home: Path) -> None:
    """The terminal player's headers, details, side switches and summary are German."""
    (mg_home / "routines").mkdir()
    (mg_home / "routines" / "qq.yaml").write_text(QQ_ROUTINE, encoding="utf-8")
    result = _run("play", "qq-routine", "--no-voice", "--no-ambience", env=_env("de_DE.UTF-8"))
    assert result.returncode == 0, result.stderr
    assert "Schritt 1 von 2 · Qq (0:10)" in result.stdout
    assert "Kneten · mittlerer Druck · linke Seite" in result.stdout
    assert "Wechsle zur anderen Seite." in result.stdout
    assert "Sitzung geschafft: 0:20 Massage, 2 von 2 Schritten. Gut gemacht." in result.stdout


def _untranslated(text: str) -> list[str]:
    """Words outside the pseudo-locale's ⟦brackets⟧ that are neither data nor names (nested brackets too)."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z_]+", text)
    return [word for word in words if word.lower() not in ALLOWED | MONTHS]


@pytest.mark.slow
def test_pseudo_locale_leaves_no_string_untranslated(mg_home: Path, tmp_path: Path) -> None:
    """Under the pseudo-locale every message, help text, heading and error the CLI prints is translated."""
    (mg_home / "routines").mkdir()
    (mg_home / "routines" / "qq.yaml").write_text(QQ_ROUTINE, encoding="utf-8")
    bad = tmp_path / "qq.yaml"
    bad.write_text(QQ_ROUTINE.replace("duration: 10s", "duration: 1s"), encoding="utf-8")  # a timing warning
    broken = tmp_path / "qq.yml"  # named with allowed words: a path is data, not text to translate
    broken.write_text(BROKEN_ROUTINE, encoding="utf-8")
    bad_csv = tmp_path / "qq.csv"
    bad_csv.write_text(BAD_CSV, encoding="utf-8")
    env = _env("xx")
    exported = tmp_path / "shared.yaml"
    commands = [
        *((*path, "--help") for path in command_paths()),  # every command's help, found from the parser
        ("--bogus",),
        ("--mini",),
        ("history",),
        ("history", "export", str(tmp_path / "qq.txt")),
        ("history", "--since", "yesterday"),
        ("play", "nope"),
        ("play", "qq-routin"),
        ("validate", str(tmp_path / "qq")),
        ("play", "qq-routine", "--no-voice", "--no-ambience"),
        ("history",),
        ("stats",),
        ("history", "export", str(tmp_path / "out.csv")),
        ("history", "import", str(tmp_path / "out.csv")),
        ("list",),
        ("validate", str(bad)),
        ("validate", str(broken)),
        ("history", "import", str(bad_csv)),
        ("voice",),
        ("voice", "--say", "Qq"),
        ("voice", "--say", " ", "--out", str(tmp_path / "qq.wav")),
        ("export", "nope", str(exported)),
        ("export", "qq-routine", str(exported)),
        ("import", str(exported)),
        ("import", str(tmp_path / "nope.yaml")),
        ("import", str(bad)),
    ]
    # The built-in routines' ids and titles are content (translated in their files), not the CLI's text.
    listing = json.loads(_run("list", "--json", env=_env("C")).stdout)["routines"]
    content = sorted((text for r in listing for text in (r["id"], r["title"])), key=len, reverse=True)
    misses: dict[str, list[str]] = {}
    for args in commands:
        result = _run(*args, env=env)
        # Paths and dates are data, not text.
        output = (result.stdout + result.stderr).replace(str(tmp_path), " ").replace(str(mg_home), " ")
        output = re.sub(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?", " ", output)
        for text in content:
            output = output.replace(text, " ")
        if words := _untranslated(output):
            misses[" ".join(args)] = words
    assert misses == {}, misses


def test_validate_in_german_names_file_line_and_fix(mg_home: Path, tmp_path: Path) -> None:
    """Under a German locale `validate` reports a broken routine in German, each problem with its file, line
    and column, the YAML keys as the user typed them; the same file under LANG=C stays English."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN_ROUTINE, encoding="utf-8")
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("schema_version: 1\nid: qq\n  title: [\n", encoding="utf-8")
    result = _run("validate", str(broken), str(syntax), env=_env("de_DE.UTF-8"))
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).splitlines()
    assert f"{broken}:5:9: areas[0]: „nek“ ist kein bekannter Bereich. Meintest du „neck“?" in lines
    assert (
        f"{broken}:12:15: steps[0].duration: '2x' ist keine Dauer; schreib sie wie 45s, 2m, 1m30s, 1h oder als "
        "Zahl von Sekunden"
    ) in lines
    assert any(line.startswith(f"{syntax}:3:8: YAML-Syntaxfehler: ") for line in lines), lines
    english = _run("validate", str(broken), env=_env("C"))
    assert (
        f"{broken}:5:9: areas[0]: 'nek' is not a known area. Did you mean 'neck'?"
        in english.stdout + english.stderr
    )


def test_validate_of_a_missing_path_in_german(mg_home: Path, tmp_path: Path) -> None:
    """Under a German locale a missing path is named, and the summary says it could not be checked."""
    missing = tmp_path / "nonexistent.yaml"
    result = _run("validate", str(missing), env=_env("de_DE.UTF-8"))
    assert result.returncode == 1
    assert result.stdout == f"{missing}:1:1: diese Datei oder diesen Ordner gibt es nicht\n"
    assert result.stderr == "0 Dateien geprüft. 1 oben genannter Pfad ließ sich nicht prüfen.\n"


def test_history_import_in_german_names_each_bad_row(mg_home: Path, tmp_path: Path) -> None:
    """A history file with bad rows gets a German message per row, with its file and line, and nothing is
    imported."""
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text(BAD_CSV, encoding="utf-8")
    result = _run("history", "import", str(bad_csv), env=_env("de_DE.UTF-8"))
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).splitlines()
    assert (
        f"{bad_csv}:2: status 'finished' ist keins von in_progress, completed, stopped, interrupted" in lines
    )
    assert f"{bad_csv}:3: id 'nope' ist keine UUID" in lines
    header = tmp_path / "header.csv"
    header.write_text("id,routine_id\n", encoding="utf-8")
    wrong = _run("history", "import", str(header), env=_env("de_DE.UTF-8"))
    assert f"{header}:1: die erste Zeile muss genau so lauten: {CSV_HEADER.strip()}" in wrong.stderr


def test_unknown_routine_in_german_suggests_the_near_one(mg_home: Path) -> None:
    """A mistyped routine id gets a German message with a German "did you mean" and exit status 2."""
    result = _run("play", "nek-tension-release", env=_env("de_DE.UTF-8"))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Es gibt keine Routine namens „nek-tension-release“. Meintest du „neck-tension-release“? "
        "Mit `massage-guide list` siehst du alle."
    )


def test_list_json_in_german_gives_german_spoken_lines(mg_home: Path) -> None:
    """Under a German locale `list --json` gives a translated routine's text and spoken lines in German,
    its JSON keys unchanged."""
    result = _run("list", "--json", env=_env("de_DE.UTF-8"))
    assert result.returncode == 0, result.stderr
    neck = next(r for r in json.loads(result.stdout)["routines"] if r["id"] == "neck-tension-release")
    assert neck["title"] == "Nackenverspannung lösen"
    spoken = [step["spoken"] for step in neck["steps"]]
    assert spoken[0].startswith("Arbeite nur am hinteren Nacken; lass die Vorderseite")
    assert "Hör auf, wenn sich etwas stechend, taub oder kribbelnd anfühlt." in spoken[0]
    assert any(line.startswith("Wechsle zur rechten Seite.") for line in spoken)
    assert set(neck["steps"][0]) == {
        "title", "instruction", "duration_seconds", "side", "technique", "pressure", "focus", "spoken",
    }  # fmt: skip
    english = _run("list", "--json", env=_env("C"))
    neck_en = next(r for r in json.loads(english.stdout)["routines"] if r["id"] == "neck-tension-release")
    assert not set(spoken) & {step["spoken"] for step in neck_en["steps"]}


def test_help_in_german_does_not_import_babel(mg_home: Path) -> None:
    """Translated help needs only gettext: Babel (tens of milliseconds) loads only where a number is shown."""
    code = (
        "import sys\nfrom massage_guide.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('BABEL', [m for m in sys.modules if m.split('.')[0] == 'babel'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env("de_DE.UTF-8"), capture_output=True, text=True, check=True
    )
    assert "Aufruf:" in result.stdout
    assert result.stdout.strip().endswith("BABEL []")
