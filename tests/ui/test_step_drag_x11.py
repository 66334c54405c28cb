"""Reordering the editor's steps with a real mouse drag, on a real X server (Xvfb), driven by xdotool.

The offscreen platform runs no drag at all, so this is the one place Qt's own internal-move drop (the
tree taking the rows and putting them back) is exercised as a person's mouse does it."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.ui.test_presence_x11 import TEST_DISPLAY, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
    ),
]

# The step list alone, at the screen's top left. It prints where its rows are, says when a drag has begun
# (Qt's drag then runs its own loop until the button is released), and prints the new order once the list
# says its structure changed.
STEP_LIST = """
import sys
from PySide6.QtWidgets import QApplication
from massage_guide.core.document import StepItem, text
from massage_guide.ui.editor.step_list import StepList

class Watched(StepList):
    def startDrag(self, actions):
        print("drag", flush=True)
        super().startDrag(actions)

app = QApplication([])
steps = Watched()
steps.load([StepItem(title=text(name), instruction=text("x"), duration="30s") for name in ("One", "Two", "Three")])
steps.setCurrentItem(steps.topLevelItem(0))
steps.resize(400, 300)
steps.move(0, 0)
steps.show()
steps.structure_changed.connect(
    lambda: (print("order " + ",".join(i.title.get() for i in steps.items()), flush=True), app.quit())
)

def ready():
    rows = []
    for index in range(3):
        rect = steps.visualItemRect(steps.topLevelItem(index))
        centre = steps.viewport().mapToGlobal(rect.center())
        rows.append(f"{centre.x()}:{centre.y()}:{rect.height()}")
    print("rows " + " ".join(rows), flush=True)

from PySide6.QtCore import QTimer
QTimer.singleShot(300, ready)
sys.exit(app.exec())
"""

# How long to wait for the other process to answer; generous for a busy shared machine.
ANSWER_TIMEOUT = 30


@pytest.fixture
def x_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb on TEST_DISPLAY (skipped while that display is in use); no window manager needed."""
    number = TEST_DISPLAY.lstrip(":")
    if os.path.exists(f"/tmp/.X{number}-lock"):  # noqa: PTH110 - the X server's own lock file
        pytest.skip(f"display {TEST_DISPLAY} is in use")
    server = subprocess.Popen(
        ["Xvfb", TEST_DISPLAY, "-screen", "0", "800x600x24", "-nolisten", "tcp"], stderr=subprocess.DEVNULL
    )
    try:
        if not wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{number}"), 10):  # noqa: PTH110
            pytest.skip(f"Xvfb did not start on {TEST_DISPLAY}")
        yield TEST_DISPLAY
    finally:
        server.terminate()
        server.wait(timeout=10)


def _line(process: subprocess.Popen[str], expected: str) -> str:
    """The next line the step list prints, which must start with ``expected``."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], ANSWER_TIMEOUT)
    assert ready, f"no {expected!r} from the step list"
    line = process.stdout.readline().strip()
    assert line.startswith(expected), line
    return line[len(expected) :].strip()


def test_a_mouse_drag_moves_a_step_below_another(x_display: str) -> None:
    """Pressing on the first step, dragging it below the last and letting go makes the order Two, Three, One,
    and the list announces it (so the editor's document and its file follow)."""
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb"}

    def pointer(*arguments: str) -> None:
        subprocess.run(["xdotool", *arguments], env=env, check=True, timeout=ANSWER_TIMEOUT)

    process = subprocess.Popen(
        [sys.executable, "-c", STEP_LIST],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        rows = [tuple(int(n) for n in row.split(":")) for row in _line(process, "rows").split()]
        (x, first_y, height), _second, (_x, last_y, _h) = rows
        pointer("mousemove", str(x), str(first_y))
        pointer("mousedown", "1")
        # Past Qt's drag distance (10 px), a pixel row at a time as a hand moves: the drag begins.
        for step in range(1, 6):
            pointer("mousemove", str(x), str(first_y + 4 * step))
        _line(process, "drag")
        # Over the lower half of the last row, then let go: the step lands below it.
        for y in range(first_y + 20, last_y + height // 3, 4):
            pointer("mousemove", str(x), str(y))
        pointer("mousemove", str(x), str(last_y + height // 3))
        pointer("mouseup", "1")
        assert _line(process, "order") == "Two,Three,One"
        assert process.wait(timeout=ANSWER_TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=ANSWER_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()
