"""Cue, then words: how long after a step's cue has sounded its words start, on SDL's disk driver.

Run: ``python bench/cue_words_gap.py [--no-write]``. For each cue a step change plays, a fresh
interpreter records the cue alone, then the cue with its words asked for at the same moment (as
core/session.py does), ticking the service every 20 ms of sound as its worker does. The words are a real
espeak-ng rendering (its own leading silence included) when espeak-ng is installed, else a tone. The mixer
adds its channels, so the words are what the second recording has beyond the first; the cue's end is where
it falls 40 dB under its peak for good (services/audio.py, CUE_BODY_FLOOR_DB).

A negative gap is overlap. The result goes to docs/performance.md under "## Cue, then words" (that section only).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from perf_doc import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADING = "## Cue, then words"
CUES = (
    ("NEXT_STEP", None, 1.5, "next step: `wood` knock"),
    ("NEXT_STEP", "soft-tick", 1.5, "a step's own `soft-tick`"),
    ("SWITCH_SIDE", None, 3.5, "switch side: `chime`"),
    ("SESSION_START", None, 4.0, "session start: `bowl`"),
)
WORDS = "Rest your hands on your shoulders."
# The same run on the code before the words waited for the cue (main at 93d7247, espeak-ng words): they
# started with the cue's first sample.
BEFORE = (
    "Before: the words started with the cue (0.00-0.02 s), over 0.27 s of the knock, 0.14 s of a tick, "
    "2.20 s of the chime and 5.38 s of the bowl."
)


def words_wav(folder: Path) -> tuple[Path, str]:
    """A rendering of WORDS by espeak-ng when installed (what the user hears), else a 0.6 s tone."""
    from tests.services.disk_driver import write_tone

    espeak = shutil.which("espeak-ng")
    if espeak:
        path = folder / "words.wav"
        subprocess.run([espeak, "-v", "en-us", "-w", str(path), WORDS], check=True, capture_output=True)
        return path, "espeak-ng en-us"
    return write_tone(folder / "words.wav", 0.6), "a 0.6 s tone (no espeak-ng)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gap between a step's cue and its words")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from tests.services import test_words_after_cue as scene

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        wav, source = words_wav(Path(folder))
        for cue, sound_id, seconds, label in CUES:
            run = Path(folder) / cue / (sound_id or "default")
            run.mkdir(parents=True)
            (run / "words.wav").write_bytes(wav.read_bytes())
            rec = scene.cue_then_words(run, cue, sound_id, seconds, words=run / "words.wav")
            cue_end, words_start = scene.cue_end_and_words_start(rec)
            rows.append(
                f"| {label} | {cue_end:.2f} s | {words_start:.2f} s | {words_start - cue_end:+.2f} s |"
            )
            print(rows[-1])
    if args.no_write:
        return 0
    write_section(
        HEADING,
        [
            f"`python bench/cue_words_gap.py` ({datetime.date.today()}), words by {source}, on SDL's disk driver; "
            "gap = words' first sample minus the cue's end (negative: they overlap).",
            "",
            "| cue | cue ends | words start | gap |",
            "|---|---|---|---|",
            *rows,
            "",
            "The bowl that opens a session rings for 7 s under the words by design; they wait for at most "
            "2.5 s of it (CUE_WORDS_WAIT_MAX_SECONDS). The step's clock does not wait: only its words start later.",
            "",
            BEFORE,
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
