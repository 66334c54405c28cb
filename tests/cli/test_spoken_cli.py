"""The spoken words on the command line: `list --json` shows them, `validate` warns when they outlast a step."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from massage_guide.core.spoken import STOP_RULE
from tests.cli.test_cli import run
from tests.cli.test_play import PROCESS_TIMEOUT, play

SIDES_ROUTINE = """\
schema_version: 1
id: my-calves
title: My calves
summary: Calves, one side at a time.
areas: [calves]
goals: [tension_relief]
cautions:
  - Skip a calf that is swollen, warm or red.
  - Stop if you feel sharp pain, numbness or tingling.
steps:
  - title: Settle
    instruction: Sit on the floor with your legs long and breathe slowly.
    duration: 40s
  - sides: [right, left]
    steps:
      - title: Roll the calf
        instruction: Roll the calf slowly over the ball from ankle to knee.
        duration: 1m
      - title: Hold
        instruction: Rest the calf on the ball and hold still.
        duration: 45s
  - title: Rest
    instruction: Lie back and rest.
    duration: 30s
"""


def test_list_json_gives_every_step_its_spoken_words(mg_home: Path) -> None:
    """Each step carries the exact words the voice says: safety first, then each side where it begins."""
    user = mg_home / "routines"
    user.mkdir()
    (user / "calves.yaml").write_text(SIDES_ROUTINE, encoding="utf-8")
    result = run("list", "--json")
    assert result.returncode == 0, result.stderr
    mine = next(r for r in json.loads(result.stdout)["routines"] if r["id"] == "my-calves")
    assert [(s["side"], s["spoken"]) for s in mine["steps"]] == [
        (
            None,
            f"Skip a calf that is swollen, warm or red. {STOP_RULE} "
            "Settle. Sit on the floor with your legs long and breathe slowly.",
        ),
        ("right", "Right side. Roll the calf. Roll the calf slowly over the ball from ankle to knee."),
        ("right", "Hold. Rest the calf on the ball and hold still."),
        (
            "left",
            "Switch to the left side. Roll the calf. Roll the calf slowly over the ball from ankle to knee.",
        ),
        ("left", "Hold. Rest the calf on the ball and hold still."),
        (None, "Rest. Lie back and rest."),
    ]
    builtin = [r for r in json.loads(result.stdout)["routines"] if r["source"] == "builtin"]
    assert builtin and all(step["spoken"] for r in builtin for step in r["steps"])


def test_validate_warns_when_words_outlast_a_step_but_passes_the_file(tmp_path: Path) -> None:
    """A step too short for its words gets a located warning; the file is still valid (exit 0)."""
    crowded = SIDES_ROUTINE.replace(
        "Lie back and rest.\n    duration: 30s", "Lie back and rest.\n    duration: 1s"
    )
    path = tmp_path / "crowded.yaml"
    path.write_text(crowded, encoding="utf-8")
    result = run("validate", str(path))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:22:5: steps[2]: warning: the voice needs about 2s to say this step")
    assert "the step lasts 1s" in lines[0]
    assert "all valid" in result.stderr


def test_play_says_what_comes_next_across_a_sides_block(mg_home: Path) -> None:
    """The terminal opens with the key caution, and names the block's first step before the other side."""
    user = mg_home / "routines"
    user.mkdir()
    short = SIDES_ROUTINE.replace("duration: 1m", "duration: 4s").replace("duration: 45s", "duration: 4s")
    short = short.replace("duration: 40s", "duration: 4s").replace("duration: 30s", "duration: 4s")
    (user / "calves.yaml").write_text(short, encoding="utf-8")
    process = play("my-calves", "--no-voice", scale=20, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    out, _ = process.communicate(timeout=PROCESS_TIMEOUT)
    text = out.decode()
    assert process.returncode == 0, text
    assert f"Take care: Skip a calf that is swollen, warm or red. {STOP_RULE}" in text
    assert "Next: Roll the calf, on the other side" in text
    assert "Next: the same on the other side" not in text
