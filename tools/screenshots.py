"""Make the README's screenshots: run the real app under Xvfb with sample data and capture the screen.

Needs Debian's xvfb, xdotool and imagemagick (``apt-get install xvfb xdotool imagemagick``). Writes
docs/screenshots/{library,player,night,progress,settings}.png. Sample history is generated and imported
through ``massage-guide history import`` into a temporary MASSAGE_GUIDE_HOME; your own data is never touched.

``--small`` instead walks every page (library, detail, the "before" step, the player on a plain and a
breathing step, the stop question, completion, progress, settings) on a small screen with openbox as the
window manager, at the largest text size, and writes docs/screenshots/small/*.png (``--size``, ``--themes``,
``--text-size`` and ``--out`` try other screens; ``--ocr`` also reads each player shot with tesseract and
says whether the whole instruction is there)."""

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
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from massage_guide.app import App
    from massage_guide.ui.player_page import PlayerPage
    from massage_guide.ui.stop_dialog import StopDialog

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


SMALL_OUT = OUT / "small"
SMALL_SIZE = "1024x600"
# (shot name, routine) pairs the walk uses: a plain massage routine and one with breathing steps.
PLAIN_ROUTINE = "post-workout-legs"
BREATHING_ROUTINE = "calm-in-4-minutes"


def compress(path: Path) -> None:
    """Shrink a screenshot: a 256-colour palette (UI flats and anti-aliased text survive) and no metadata."""
    subprocess.run(
        ["convert", str(path), "-strip", "-dither", "None", "-colors", "256",
         "-define", "png:compression-level=9", str(path)],
        check=True,
    )  # fmt: skip


def small_walk(out: Path, prefix: str, ocr: bool) -> int:
    """Run inside the X session: build the app as main() does and visit every page, shooting each."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from massage_guide import paths as paths_module
    from massage_guide.app import build
    from massage_guide.services.audio import SilentAudio

    qt = QApplication(sys.argv[:1])
    app = build(qt, paths=paths_module.resolve(), audio=SilentAudio(), ask_safety=lambda _text: True)
    app.restore_state()
    app.window.show_fitted()
    controller = app.controller
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    def snap(name: str) -> None:
        target = out / f"{prefix}{name}.png"
        subprocess.run(["import", "-window", "root", str(target)], check=True)
        compress(target)
        print(f"wrote {target}", flush=True)
        if ocr and name.startswith("player"):
            problems.extend(_check_instruction(target, app))

    def player() -> PlayerPage:
        return cast("PlayerPage", app.window.page("player"))

    def stop_box() -> StopDialog:
        box = player().stop_box()
        assert box is not None, "the stop question did not open"
        return box

    steps: list[tuple[float, object]] = [
        (2.5, app.finish_start),
        (2.0, lambda: snap("library")),
        (0.1, lambda: controller.open_routine(PLAIN_ROUTINE)),
        (1.0, lambda: snap("detail")),
        (0.1, lambda: controller.start_routine(PLAIN_ROUTINE, ask_tension=True)),
        (0.1, lambda: player().before_rating.set_value(6)),
        (1.0, lambda: snap("before")),
        (0.1, lambda: player().begin_button.click()),  # noqa: PLW0108 - the page is built later
        (2.5, lambda: snap("player")),
        (0.1, lambda: player().ask_stop()),
        (1.0, lambda: snap("stop-question")),
        (0.1, lambda: stop_box().stop_button.click()),  # noqa: PLW0108 - the question opens later
        (1.0, lambda: snap("completion")),
        (0.1, lambda: controller.start_routine(BREATHING_ROUTINE)),
        (0.1, lambda: controller.session.next_step()),  # noqa: PLW0108 - built on first use
        (3.0, lambda: snap("player-breathing")),
        (0.1, lambda: controller.session.stop()),  # noqa: PLW0108 - built on first use
        (0.5, lambda: app.window.show_page("progress")),
        (2.0, lambda: snap("progress")),
        (0.1, lambda: app.window.show_page("settings")),
        (1.0, lambda: snap("settings")),
        (0.1, qt.quit),
    ]

    def run(index: int) -> None:
        # One step after another, each waiting from the end of the last: a slow shot (tesseract) must not
        # make the next steps fire in a burst before the screen has caught up.
        if index >= len(steps):
            return
        wait, action = steps[index]

        def go() -> None:
            action()  # type: ignore[operator]
            run(index + 1)

        QTimer.singleShot(round(wait * 1000), go)

    run(0)
    qt.exec()
    app.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _words(text: str) -> list[str]:
    return [w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 3]


def _check_instruction(shot: Path, app: App) -> list[str]:
    """Read the shot with tesseract: every longer word of the instruction on screen must be found."""
    if shutil.which("tesseract") is None:
        return ["tesseract is missing: apt-get install tesseract-ocr"]
    page = cast("PlayerPage", app.window.page("player"))
    wanted = _words(page.instruction_text())
    read = subprocess.run(
        ["tesseract", str(shot), "-", "--psm", "3"], capture_output=True, text=True, check=False
    )
    seen = set(_words(read.stdout))
    missing = [w for w in wanted if w not in seen]
    # OCR misreads the odd word; a cut line loses a run of them.
    if len(missing) > max(1, len(wanted) // 8):
        return [f"{shot.name}: instruction words not on screen: {' '.join(missing)}"]
    print(f"{shot.name}: all but {len(missing)} of {len(wanted)} instruction words read back", flush=True)
    return []


def small(display: str, size: str, themes: list[str], *, text_size: str, out: Path, ocr: bool) -> int:
    """Xvfb at ``size`` with openbox, then small_walk once per theme, each in a fresh temporary home."""
    for tool in ("Xvfb", "openbox", "import", "convert"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb openbox imagemagick")
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{size}x24", "-nolisten", "tcp"])
    time.sleep(1.0)
    wm = subprocess.Popen(["openbox"], env={**os.environ, "DISPLAY": display})
    time.sleep(1.0)
    code = 0
    try:
        for theme_name in themes:
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
                    env=env, check=True, stdout=subprocess.DEVNULL,
                )  # fmt: skip
                (Path(home) / "settings.yaml").write_text(
                    f"theme: {theme_name}\ntext_size: {text_size}\nsafety_notice_seen: true\n"
                    "favourites: [neck-tension-release, calm-in-4-minutes]\n"
                )
                prefix = "" if len(themes) == 1 else f"{theme_name}-"
                walk = [sys.executable, __file__, "--walk", str(out), "--prefix", prefix]
                code |= subprocess.run([*walk, *(["--ocr"] if ocr else [])], env=env, check=False).returncode
    finally:
        wm.terminate()
        wm.wait(5)
        xvfb.terminate()
        xvfb.wait(5)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--display", default=":87")
    parser.add_argument("--small", action="store_true", help="every page on a small screen, largest text")
    parser.add_argument("--size", default=SMALL_SIZE, help="screen size for --small, e.g. 1280x720")
    parser.add_argument("--themes", default="light", help="comma-separated themes for --small")
    parser.add_argument("--text-size", default="extra_large", help="text size for --small")
    parser.add_argument("--out", type=Path, default=SMALL_OUT, help="folder for --small's shots")
    parser.add_argument("--ocr", action="store_true", help="check the player's instruction with tesseract")
    parser.add_argument("--walk", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prefix", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.walk is not None:
        return small_walk(args.walk, args.prefix, args.ocr)
    if args.small:
        return small(
            args.display,
            args.size,
            args.themes.split(","),
            text_size=args.text_size,
            out=args.out,
            ocr=args.ocr,
        )
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
