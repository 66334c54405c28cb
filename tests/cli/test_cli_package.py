"""The command line's entry points and every command's help, found from the parser itself so that a new
command is covered the day it is added."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# Prints every command path the parser knows (sub-actions such as ``history import`` included) as JSON.
LIST_COMMANDS = """
import argparse, json
from massage_guide.cli.parser import build_parser

def walk(parser, path):
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from walk(child, [*path, name])

print(json.dumps(list(walk(build_parser(), []))))
"""
# Runs ``COMMAND --help`` for each command path in one process, as the entry point would, and prints each
# one's exit status and first line.
RUN_HELPS = """
import contextlib, io, json, sys
from massage_guide.cli import main

answers = []
for path in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            status = main([*path, "--help"])
        except SystemExit as leaving:
            status = leaving.code
    answers.append([path, status, out.getvalue().splitlines()[0]])
print(json.dumps(answers))
"""
USAGE = {
    "C": "usage: massage-guide",
    "de_DE.UTF-8": "Aufruf: massage-guide",
    "xx": "⟦usage:~~⟧ massage-guide",
}


def _env(lang: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    env["LANG"] = lang
    return env


def _python(code: str, *args: str, lang: str = "C") -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=_env(lang),
        timeout=60,
        check=True,
    )
    return result.stdout


def command_paths() -> list[list[str]]:
    """Every command path of the real parser: ``[]`` for the top level, ``["history", "import"]`` and so on."""
    paths: list[list[str]] = json.loads(_python(LIST_COMMANDS))
    return paths


def test_the_parser_knows_every_command_group(mg_home: Path) -> None:
    """Each command group's module registers its commands: none is lost when the parser is assembled."""
    names = {" ".join(path) for path in command_paths()}
    assert names >= {
        "", "list", "validate", "schema", "play", "history", "history export", "history import", "stats",
        "voice", "import", "export",
    }  # fmt: skip


@pytest.mark.parametrize("lang", sorted(USAGE))
def test_every_command_answers_help_in_each_language(mg_home: Path, lang: str) -> None:
    """``COMMAND --help`` exits 0 for every command in English, German and the pseudo-locale, in that
    language."""
    paths = command_paths()
    answers = json.loads(_python(RUN_HELPS, json.dumps(paths), lang=lang))
    assert [path for path, _status, _first in answers] == paths
    for path, status, first in answers:
        assert status == 0, path
        assert first.startswith(" ".join([USAGE[lang], *path])), (path, first)


def test_console_script_and_module_run_the_same_command_line(mg_home: Path) -> None:
    """The installed ``massage-guide`` command and ``python -m massage_guide`` give the same answers."""
    script = Path(sys.executable).with_name("massage-guide" + (".exe" if os.name == "nt" else ""))
    assert script.is_file(), "the project is installed into the test environment (tools/dev.py test)"
    for args in (["--version"], ["list"], ["history"]):
        by_script = subprocess.run(
            [str(script), *args], capture_output=True, text=True, env=_env("C"), timeout=60, check=False
        )
        by_module = subprocess.run(
            [sys.executable, "-m", "massage_guide", *args],
            capture_output=True,
            text=True,
            env=_env("C"),
            timeout=60,
            check=False,
        )
        assert by_script.returncode == by_module.returncode == 0, args
        assert by_script.stdout == by_module.stdout != "", args
