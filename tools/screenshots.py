"""Make the README's screenshots: run the real app under Xvfb with sample data and capture the screen.

Needs Debian's xvfb, xdotool and imagemagick (``apt-get install xvfb xdotool imagemagick``). Writes
docs/screenshots/{library,player,night,progress,settings}.png. Sample history is generated and imported
through ``massage-guide history import`` into a temporary MASSAGE_GUIDE_HOME; your own data is never touched."""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 820)
COLUMNS = [
    "id",
    "routine_id",
    "routine_title",
    "started_at",
    "ended_at",
    "status",
    "planned_seconds",
    "active_seconds",
    "steps_completed",
    "steps_total",
    "tension_before",
    "tension_after",
    "note",
]
SAMPLE_ROUTINES = (
    ("neck-tension-release", "Neck tension release", 495),
    ("desk-break-3-minutes", "A 3-minute desk break", 205),
    ("sleep-wind-down", "Full-body wind-down before sleep", 1065),
    ("post-workout-legs", "Post-workout legs", 795),
    ("calm-in-4-minutes", "Calm in 4 minutes", 240),
)


def sample_history(path: Path, days: int = 170) -> None:
    """A plausible half-year: most days one or two sessions, some rest days, tension easing over time."""
    rng = random.Random(7)
    now = datetime.now().astimezone()
    rows = []
    for back in range(days, -1, -1):
        if rng.random() < 0.28:
            continue
        for _ in range(rng.choice((1, 1, 1, 2))):
            routine_id, title, planned = rng.choice(SAMPLE_ROUTINES)
            start = (now - timedelta(days=back)).replace(
                hour=rng.choice((8, 12, 18, 22)), minute=rng.randrange(60)
            )
            start = min(start, now - timedelta(hours=1))
            before = rng.randint(4, 8) if rng.random() < 0.7 else None
            after = max(0, before - rng.randint(1, 4)) if before is not None else None
            rows.append({
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "routine_id": routine_id,
                "routine_title": title, "started_at": start.isoformat(timespec="seconds"),
                "ended_at": (start + timedelta(seconds=planned + 20)).isoformat(timespec="seconds"),
                "status": "completed", "planned_seconds": planned, "active_seconds": planned,
                "steps_completed": 8, "steps_total": 8, "tension_before": "" if before is None else before,
                "tension_after": "" if after is None else after, "note": "",
            })  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, COLUMNS)
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: str(r["started_at"])))


def shoot(display: str, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{name}.png"
    subprocess.run(["import", "-display", display, "-window", "root", str(target)], check=True)
    print(f"wrote {target.relative_to(ROOT)}")


def xdotool(display: str, *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=False)


def wait_for_window(display: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = subprocess.run(
            ["xdotool", "search", "--name", "Massage Guide"],
            env={**os.environ, "DISPLAY": display}, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if found.stdout.strip():
            time.sleep(1.5)  # let it finish painting
            return
        time.sleep(0.2)
    raise SystemExit("the app window did not appear")


def launch(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "massage_guide", *args], env=env)


def session(display: str, env: dict[str, str], name: str, routine: str, settle: float) -> None:
    app = launch(env)
    try:
        wait_for_window(display)
        # A second launch hands --start to the running window, as a user's shortcut would.
        subprocess.run(
            [sys.executable, "-m", "massage_guide", "--start", routine], env=env, check=True, timeout=20
        )
        time.sleep(settle)
        shoot(display, name)
    finally:
        app.terminate()
        app.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--display", default=":87")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb xdotool imagemagick")
    display = args.display
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"])
    time.sleep(1.0)
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {
                **os.environ, "DISPLAY": display, "MASSAGE_GUIDE_HOME": home, "QT_QPA_PLATFORM": "xcb",
                "SDL_AUDIODRIVER": "dummy",
            }  # fmt: skip
            env.pop("WAYLAND_DISPLAY", None)
            history_csv = Path(home) / "sample.csv"
            sample_history(history_csv)
            subprocess.run(
                [sys.executable, "-m", "massage_guide", "history", "import", str(history_csv)],
                env=env,
                check=True,
            )
            settings = Path(home) / "settings.yaml"
            settings.write_text(
                "theme: light\nsafety_notice_seen: true\nfavourites: [neck-tension-release, calm-in-4-minutes]\n"
            )

            app = launch(env)
            try:
                wait_for_window(display)
                xdotool(
                    display, "search", "--name", "Massage Guide", "windowsize", str(SIZE[0]), str(SIZE[1])
                )
                xdotool(display, "search", "--name", "Massage Guide", "windowmove", "0", "0")
                time.sleep(1.0)
                shoot(display, "library")
                # No window manager under Xvfb: give the window the keyboard before sending keys.
                xdotool(display, "search", "--name", "Massage Guide", "windowfocus", "--sync")
                xdotool(display, "key", "ctrl+2")
                time.sleep(1.5)
                shoot(display, "progress")
                xdotool(display, "search", "--name", "Massage Guide", "windowfocus", "--sync")
                xdotool(display, "key", "ctrl+3")
                time.sleep(1.0)
                shoot(display, "settings")
            finally:
                app.terminate()
                app.wait(10)

            session(display, env, "player", "post-workout-legs", settle=9)
            settings.write_text("theme: night\nsafety_notice_seen: true\n")
            session(display, env, "night", "sleep-wind-down", settle=12)
    finally:
        xvfb.terminate()
        xvfb.wait(5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
