"""Every screen at every size: the player lays itself out for the space it has, type grows with the window,
the first window fits the screen, and the pages keep their words inside their boxes at the largest text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFontMetrics, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from massage_guide.core.engine import SessionEngine
from massage_guide.core.library import Library, load_library
from massage_guide.core.model import Routine
from massage_guide.ui import theme
from massage_guide.ui.completion_page import CompletionPage
from massage_guide.ui.detail_page import RoutineDetailPage
from massage_guide.ui.main_window import DEFAULT_SIZE, MainWindow
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.session_controller import SessionSummary
from massage_guide.ui.settings_page import SettingsPage
from tests.conftest import FakeClock

# A 1024x600 screen less a window manager's title bar: the smallest screen the app promises to fit.
SMALL_PAGE = (1024, 570)
FULL_HD = (1920, 1080)


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(use_cache=False)


@pytest.fixture
def largest_text(qapp: QApplication) -> Iterator[None]:
    theme.apply(qapp, "light", "extra_large")
    yield
    theme.apply(qapp, "light", "medium")


def settle() -> None:
    """Let Qt run its pending layout requests (no waiting on time)."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def player_at(qtbot: QtBot, size: tuple[int, int]) -> PlayerPage:
    page = PlayerPage()
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    return page


def layout_problems(page: PlayerPage, where: str) -> list[str]:
    """What a person would see wrong: the instruction cut, boxes outside the page, or boxes overlapping."""
    problems = []
    if not page.instruction_fits():
        problems.append(f"{where}: the instruction does not fit its box")
    if not page.controls_fit():
        problems.append(f"{where}: a control's words are cut")
    text = [page._title, page._instruction, page._next_label]
    side = [w for w in (page._ring, page._pacer, page._body_map) if w.isVisible()]
    boxes = {w: rect_in(w, page) for w in [*text, *side, page._controls_frame]}
    for widget, box in boxes.items():
        if not page.rect().contains(box):
            problems.append(f"{where}: {widget.accessibleName() or type(widget).__name__} leaves the page")
    for first in text + side:
        for second in [*side, page._controls_frame]:
            if first is not second and boxes[first].intersects(boxes[second]):
                problems.append(f"{where}: {type(first).__name__} overlaps {type(second).__name__}")
    for upper, lower in ((page._title, page._instruction), (page._instruction, page._next_label)):
        if boxes[upper].bottom() > boxes[lower].top():
            problems.append(f"{where}: {type(upper).__name__} runs into the line below it")
    return problems


def walk_every_step(page: PlayerPage, routine: Routine, clock: FakeClock) -> list[str]:
    engine = SessionEngine(routine.steps, clock)
    page.show_routine(routine)
    engine.start()
    problems = []
    for index in range(len(routine.steps)):
        page.show_snapshot(engine.snapshot())
        settle()
        problems += layout_problems(page, f"{routine.id} step {index + 1}")
        engine.next()
    return problems


@pytest.mark.usefixtures("largest_text")
def test_every_builtin_step_fits_a_small_screen_at_the_largest_text(
    qtbot: QtBot, library: Library, clock: FakeClock
) -> None:
    """On 1024x600 with extra-large text no instruction is cut and nothing overlaps, on any built-in step."""
    page = player_at(qtbot, SMALL_PAGE)
    problems: list[str] = []
    for routine in library.routines.values():
        problems += walk_every_step(page, routine, clock)
    assert problems == []


@pytest.mark.parametrize("text_size", ["medium", "extra_large"])
@pytest.mark.parametrize("size", [(1280, 690), (1440, 870), FULL_HD])
def test_larger_windows_fit_too(  # noqa: PLR0917 - pytest fixtures and parameters
    qtbot: QtBot,
    qapp: QApplication,
    library: Library,
    clock: FakeClock,
    size: tuple[int, int],
    text_size: str,
) -> None:
    """At 1280x720, 1440x900 and full HD, medium and extra-large text, the longest routine fits on each step."""
    theme.apply(qapp, "dark", text_size)
    try:
        page = player_at(qtbot, size)
        longest = max(
            library.routines.values(), key=lambda r: max(len(s.instruction.get("en")) for s in r.steps)
        )
        assert walk_every_step(page, longest, clock) == []
    finally:
        theme.apply(qapp, "light", "medium")


def test_type_grows_with_the_window(qtbot: QtBot, library: Library, clock: FakeClock) -> None:
    """Full screen on 1920x1080 gives instruction capitals of at least 30 px (and bigger than a small window)."""
    routine = library.routines["neck-tension-release"]
    page = player_at(qtbot, (1180, 740))
    walk = SessionEngine(routine.steps, clock)
    page.show_routine(routine)
    walk.start()
    page.show_snapshot(walk.snapshot())
    settle()
    small = QFontMetrics(page._instruction.font()).capHeight()
    page.resize(*FULL_HD)
    settle()
    big = QFontMetrics(page._instruction.font()).capHeight()
    assert big >= 30
    assert big > small
    assert page.instruction_fits()


def test_first_window_fits_a_small_screen(qtbot: QtBot) -> None:
    """On a screen smaller than the default size (the offscreen one is 800x800) the window opens maximised."""
    window = MainWindow()
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    assert screen.width() < DEFAULT_SIZE[0] or screen.height() < DEFAULT_SIZE[1]
    window.show_fitted()
    qtbot.waitExposed(window)
    # Maximised is the window manager's to size (tools/screenshots.py --small shows it under openbox).
    assert window.isMaximized()


def test_leaving_full_screen_restores_the_state_before(qtbot: QtBot) -> None:
    """F11 twice from a maximised window comes back maximised, not at the default size."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show_fitted()
    qtbot.waitExposed(window)
    window.toggle_full_screen()
    qtbot.waitUntil(window.isFullScreen)
    window.toggle_full_screen()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.isMaximized()


def wheel(widget: QWidget, up: bool = False) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre, widget.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120 if up else -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_drop_down_lists_take_the_wheel_only_with_focus(qtbot: QtBot) -> None:
    """Scrolling past a drop-down list leaves its value alone; once focused, the wheel changes it."""
    page = SettingsPage()
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    combo = page.text_size
    assert isinstance(combo, QComboBox)
    before = combo.currentIndex()
    changes: list[tuple[str, object]] = []
    page.change_requested.connect(lambda key, value: changes.append((key, value)))
    wheel(combo)
    assert combo.currentIndex() == before and changes == []
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo)
    assert combo.currentIndex() != before
    assert changes and changes[-1][0] == "text_size"


def cut_labels(page: QWidget) -> list[str]:
    """Visible labels whose words do not all fit their box (wrapped where the label wraps)."""
    cut = []
    for label in page.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.textFormat() == Qt.TextFormat.RichText:
            continue
        box = label.contentsRect()
        metrics = QFontMetrics(label.font())
        flags = int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0
        need = metrics.boundingRect(0, 0, box.width(), 100_000, flags, label.text())
        if need.height() > box.height() + 1 or need.width() > box.width() + 1:
            cut.append(
                f"{label.text()[:40]!r}: needs {need.width()}x{need.height()}, has {box.width()}x{box.height()}"
            )
    return cut


def shown_at_small_size(qtbot: QtBot, page: QWidget) -> None:
    qtbot.addWidget(page)
    page.resize(SMALL_PAGE[0] - 216, SMALL_PAGE[1])  # the sidebar takes 216 px of the window
    page.show()
    qtbot.waitExposed(page)
    settle()


@pytest.mark.usefixtures("largest_text")
def test_settings_labels_are_not_cut_at_the_largest_text(qtbot: QtBot) -> None:
    """Every settings label shows all of its words at extra-large text (it wraps, it is not cut)."""
    page = SettingsPage()
    shown_at_small_size(qtbot, page)
    assert cut_labels(page) == []


@pytest.mark.usefixtures("largest_text")
def test_detail_completion_and_before_step_are_not_cut_at_the_largest_text(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    """The detail page (reflowed), the completion page and the "before" step keep every word at 1024x600."""
    routine = library.routines["post-workout-legs"]
    detail = RoutineDetailPage()
    shown_at_small_size(qtbot, detail)
    detail.show_routine(routine)
    settle()
    completion = CompletionPage()
    shown_at_small_size(qtbot, completion)
    completion.show_summary(
        SessionSummary("id", routine, "stopped", 75, 1, len(routine.steps), tension_before=4)
    )
    settle()
    player = player_at(qtbot, SMALL_PAGE)
    player.show_before(routine)
    settle()
    assert cut_labels(detail) + cut_labels(completion) + cut_labels(player) == []


@pytest.mark.usefixtures("largest_text")
def test_library_labels_are_not_cut_at_the_largest_text(qtbot: QtBot, library: Library) -> None:
    """The library's intro line and the body map's question keep every word at 1024x600 (they wrap)."""
    from massage_guide.ui.library_page import LibraryPage

    page = LibraryPage(library)
    shown_at_small_size(qtbot, page)
    assert cut_labels(page) == []
