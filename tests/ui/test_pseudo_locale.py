"""The pseudo-locale ``xx`` (every string bracketed ⟦…⟧ and 30 % longer) on every page: no page shows an
untranslated string, and no label or button cuts its words, at 1024x600 and at the largest text size; nor
in German."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyleOptionComboBox,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide.app import App, build
from massage_guide.core.i18n import PSEUDO_LANGUAGE
from massage_guide.core.model import Routine
from massage_guide.core.settings import TEXT_SIZES as ALL_TEXT_SIZES
from massage_guide.services.audio import SilentAudio
from massage_guide.ui import theme
from massage_guide.ui.editor.launcher import Prompts
from massage_guide.ui.editor.window import DEFAULT_SIZE as EDITOR_DEFAULT_SIZE
from massage_guide.ui.editor.window import EditorWindow
from massage_guide.ui.main_window import WINDOW_TITLE
from massage_guide.ui.player_page import PlayerPage
from massage_guide.ui.progress_page import EMPTY_TEXT
from tests.conftest import FakeClock

ROUTINE = "neck-tension-release"
# A 1024x600 screen less a window manager's title bar: the smallest screen the app promises to fit.
WINDOW = (1024, 570)
TEXT_SIZES = ("medium", "extra_large")
DEFAULT_EDITOR_WIDTH = EDITOR_DEFAULT_SIZE[0]
# Words that are the same in every language: window titles an issue names (contracts): the product's name,
# and the break prompt's "Time for a break" (issue 12).
NAMES = (WINDOW_TITLE, "Time for a break")
# The marker of unsaved changes before a window's title ("*Edit routine: … – Massage Guide"), as desktops
# write it in every language.
MODIFIED_MARKER = "*"
LONG_WORD = 20  # characters: longer than any word of ours, shorter than the unbroken pad the check once had
# What is left of a text once the translated (bracketed) parts and the data are taken out may only be
# numbers, clock times, Babel's units and punctuation.
_BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
_ELIDED = re.compile(r"⟦[^⟦⟧]*…$")  # a translated text cut short on purpose (a card's last line)
_FIGURES = re.compile(r"\d[\d:.,]*(?:\s*(?:min|sec|hr|h|s)\b\.?)?")
_PUNCTUATION = re.compile(r"[\s·•,.:;()+\-–/%…|]*")

PAGES = (
    "library", "detail", "before", "player", "stop", "completion", "safety",
    "progress", "settings", "editor", "break_prompt", "mini_player", "unsaved", "import_report",
    "replace_question",
)  # fmt: skip
# Pages whose strings are wrapped on other branches, running at the same time as this one.
PENDING: dict[str, str] = {}

# Widgets other branches put on these pages, by object name: the routine editor's tool bar (and its
# buttons) over the library and detail pages.
PENDING_WIDGETS: dict[str, str] = {}


def _pending(widget: QWidget) -> bool:
    """Whether ``widget`` is, or sits inside, a widget named in PENDING_WIDGETS."""
    item: QWidget | None = widget
    while item is not None:
        if item.objectName() in PENDING_WIDGETS:
            return True
        item = item.parentWidget()
    return False


@dataclass
class Shown:
    """What a page shows: its widgets (top-level windows included) and the data texts it may show as is."""

    widgets: list[QWidget]
    data: tuple[str, ...]
    painted: tuple[str, ...] = ()  # texts drawn without a widget of their own (the library's cards)


def routine_texts(routine: Routine) -> tuple[str, ...]:
    """Everything of a routine the app shows as written in the routine file (its own language)."""
    texts = [routine.title.get(PSEUDO_LANGUAGE), routine.summary.get(PSEUDO_LANGUAGE)]
    texts += [caution.get(PSEUDO_LANGUAGE) for caution in routine.cautions]
    for step in routine.steps:
        texts += [step.title.get(PSEUDO_LANGUAGE), step.instruction.get(PSEUDO_LANGUAGE)]
        if step.muscle:
            texts.append(step.muscle.get(PSEUDO_LANGUAGE))
    return tuple(text for text in texts if text)


def locale_words() -> tuple[str, ...]:
    """Words that come from Babel's locale data, not from our catalogue: weekday names."""
    from massage_guide.core import formatting

    widths: tuple[formatting.DayWidth, ...] = ("abbreviated", "narrow", "short", "wide")
    return tuple(name for width in widths for name in formatting.weekday_names(width))


def language_names() -> tuple[str, ...]:
    """The languages the app and the routine editor offer, each named in its own language by Babel."""
    from massage_guide.core import formatting
    from massage_guide.ui.editor.window import TEXT_LANGUAGES

    return tuple(formatting.language_name(code) for code in (*TEXT_LANGUAGES, "en", "de"))


def leftover(text: str, data: tuple[str, ...]) -> str:
    """``text`` without its translated parts, data, numbers and punctuation: empty when all is accounted for."""
    rest = text
    while _BRACKETED.search(rest):  # innermost first: a translated sentence may hold a translated word
        rest = _BRACKETED.sub(" ", rest)
    rest = _ELIDED.sub(" ", rest)
    for known in sorted((*data, *NAMES), key=len, reverse=True):
        rest = rest.replace(known, " ")
    rest = rest.replace(MODIFIED_MARKER, " ")
    # A language's own name, as Babel writes it for a language picker ("Português (Brasil)"): locale data.
    for name in sorted(language_names(), key=len, reverse=True):
        rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
    rest = _FIGURES.sub(" ", rest)
    if _PUNCTUATION.fullmatch(rest):
        return ""
    # Whole words of locale data (a weekday, a language's own name) are not ours to translate.
    words = set(locale_words())
    rest = " ".join(word for word in re.split(r"[\s,·]+", rest) if word and word not in words)
    return "" if _PUNCTUATION.fullmatch(rest) else rest.strip()


def visible_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a person can see or hover on ``widget`` and its visible children."""
    widgets = [widget, *widget.findChildren(QWidget)]
    for item in widgets:
        if not item.isVisible() or _pending(item):
            continue
        name = f"{type(item).__name__} {item.objectName() or item.accessibleName()!r}"
        if item.isWindow() and item.windowTitle():
            yield f"{name} title", item.windowTitle()
        if item.toolTip():
            yield f"{name} tooltip", item.toolTip()
        # What a screen reader says is read too.
        if item.accessibleName():
            yield f"{name} accessible name", item.accessibleName()
        if item.accessibleDescription():
            yield f"{name} accessible description", item.accessibleDescription()
        if (isinstance(item, QLabel) and item.text() and item.textFormat() != Qt.TextFormat.RichText) or (
            isinstance(item, QAbstractButton) and item.text()
        ):
            yield name, item.text()
        elif isinstance(item, QLineEdit | QPlainTextEdit) and item.placeholderText():
            yield f"{name} placeholder", item.placeholderText()
        elif isinstance(item, QComboBox):
            for index in range(item.count()):
                yield f"{name} item {index}", item.itemText(index)
        elif isinstance(item, QTreeWidget):
            header = item.headerItem()
            for column in range(item.columnCount()):
                yield f"{name} header {column}", header.text(column)


def untranslated(shown: Shown) -> list[str]:
    found = []
    for widget in shown.widgets:
        for where, text in visible_texts(widget):
            if rest := leftover(text, shown.data):
                found.append(f"{where}: {text!r} (left: {rest!r})")
    for text in shown.painted:
        if rest := leftover(text, shown.data):
            found.append(f"painted: {text!r} (left: {rest!r})")
    return sorted(set(found))


def outside(item: QWidget) -> bool:
    """Whether ``item`` reaches past the right or bottom edge of its window (cut off there). Inside a
    scroll area it is the scrolled content's edge: scrolling reaches the rest."""
    window = item.window()
    box = QRect(item.mapTo(window, QPoint(0, 0)), item.size())
    return box.right() > window.width() + 1


def _combo_width(box: QComboBox) -> int:
    """How wide ``box`` must be to show its current choice whole, as its style draws it."""
    option = QStyleOptionComboBox()
    box.initStyleOption(option)
    metrics = QFontMetrics(box.font())
    text = QSize(metrics.horizontalAdvance(box.currentText()), metrics.height())
    return box.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, box).width()


def clipped(shown: Shown) -> list[str]:
    """Visible labels and buttons whose words do not fit their box (a wrapping label may grow in height),
    or that reach past the window's right edge."""
    cut = []
    for top in shown.widgets:
        for item in [top, *top.findChildren(QWidget)]:
            if not item.isVisible():
                continue
            if isinstance(item, QLabel | QAbstractButton | QComboBox) and outside(item):
                cut.append(
                    f"{type(item).__name__} {item.accessibleName() or getattr(item, 'text', str)()!r} reaches past the window's edge"
                )
            if isinstance(item, QLabel) and item.text() and item.textFormat() != Qt.TextFormat.RichText:
                box = item.contentsRect()
                flags = int(Qt.TextFlag.TextWordWrap) if item.wordWrap() else 0
                need = QFontMetrics(item.font()).boundingRect(0, 0, box.width(), 100_000, flags, item.text())
                if need.width() > box.width() + 1 or need.height() > box.height() + 1:
                    cut.append(
                        f"label {item.text()[:50]!r}: needs {need.size().toTuple()}, has {box.size().toTuple()}"
                    )
            elif isinstance(item, QAbstractButton | QComboBox) and (
                text := item.text() if isinstance(item, QAbstractButton) else item.currentText()
            ):
                # Across, the size the button asks for is its words (with icon and padding); down, a
                # style's minimum height pads it, so the words need only a line of the font.
                # A drop-down list needs room for the choice it shows; its open list shows the others.
                across = item.sizeHint().width()
                if isinstance(item, QComboBox):
                    across = min(across, _combo_width(item))
                words = (across, QFontMetrics(item.font()).height())
                if words[0] > item.width() + 1 or words[1] > item.contentsRect().height() + 1:
                    cut.append(
                        f"{type(item).__name__} {text[:50]!r}: needs {words}, has {item.size().toTuple()}"
                    )
    return cut


def settle() -> None:
    """Let Qt run its pending layout requests (no waiting on time)."""
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


LANGUAGES_AND_SIZES = [(language, size) for language in (PSEUDO_LANGUAGE, "de") for size in TEXT_SIZES]


def _built(
    qtbot: QtBot,
    mg_home: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    *,
    language_code: str,
    text_size: str,
) -> Iterator[App]:
    """The app as main() builds it, in a 1024x600 window, speaking ``language_code`` at ``text_size``."""
    from massage_guide.ui import language

    monkeypatch.setenv("LANGUAGE", language_code)
    (mg_home / "settings.yaml").write_text(
        f"safety_notice_seen: true\ntheme: light\ntext_size: {text_size}\n", encoding="utf-8"
    )
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=SilentAudio(), clock=clock)
    qtbot.addWidget(built.window)
    built.window.resize(*WINDOW)
    built.window.show()
    qtbot.waitExposed(built.window)
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    yield built
    if built.controller.session_running():
        built.session.stop()
    for editor in list(built.editing.editors):
        editor.controller.discard()
        editor.close()
    built.close()
    language.install(qt, "en")
    theme.apply(qt, "light", "medium")


@pytest.fixture(params=LANGUAGES_AND_SIZES, ids=["-".join(pair) for pair in LANGUAGES_AND_SIZES])
def app(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    mg_home: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[App]:
    """The app as main() builds it, in a 1024x600 window, speaking the pseudo-locale (or German) at a text
    size."""
    language_code, text_size = cast(tuple[str, str], request.param)
    yield from _built(qtbot, mg_home, clock, monkeypatch, language_code=language_code, text_size=text_size)


def _player(app: App) -> PlayerPage:
    return cast(PlayerPage, app.window.page("player"))


def _routine(app: App) -> Routine:
    routine = app.library.get(ROUTINE)
    assert routine is not None
    return routine


def _library_data(app: App) -> tuple[str, ...]:
    return tuple(info.title.get(PSEUDO_LANGUAGE) for info in app.library.summaries.values())


def open_library(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    app.window.show_page("library")
    page = app.controller.library_page
    # The cards are painted, not widgets: their lines are checked as the delegate writes them.
    painted = []
    for row in range(page.all_model.rowCount()):
        _title, *lines = page.delegate.texts(page.all_model.routine_at(row), 300)
        painted += lines
    return Shown([app.window], _library_data(app), tuple(painted))


def open_detail(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    app.controller.open_routine(ROUTINE)
    return Shown([app.window], routine_texts(_routine(app)))


def open_before(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    assert app.controller.start_routine(ROUTINE, ask_tension=True)
    assert _player(app).showing_before()
    return Shown([app.window], routine_texts(_routine(app)))


def open_player(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    assert app.controller.start_routine(ROUTINE)
    clock.advance(5)  # past the 3-2-1 lead-in: a step running, its countdown and the next step shown
    app.session.refresh()
    return Shown([app.window], routine_texts(_routine(app)))


def open_stop(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    shown = open_player(app, qtbot, clock)
    _player(app).ask_stop()
    box = _player(app).stop_box()
    assert box is not None
    qtbot.waitExposed(box)
    return Shown([*shown.widgets, box], shown.data)


def open_completion(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    open_player(app, qtbot, clock)
    clock.advance(20)
    with qtbot.waitSignal(app.session.session_stopped):
        app.session.stop()
    assert app.window.current_page_name() == "completion"
    return Shown([app.window], routine_texts(_routine(app)))


def open_safety(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    from massage_guide.ui.safety_dialog import SafetyNoticeDialog

    dialog = SafetyNoticeDialog("# Safety\n\nThe notice itself is docs/safety.md.", app.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return Shown([dialog], ())


def open_progress(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    app.window.show_page("progress")
    return Shown([app.window], _library_data(app))


def open_settings(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    app.window.show_page("settings")
    return Shown([app.window], _library_data(app))


def open_editor(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    editor = app.editing.edit(ROUTINE)
    assert editor is not None
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return Shown([editor], routine_texts(_routine(app)))


class KeptPrompts(Prompts):
    """The editing flow's questions and messages built as the app builds them, kept open instead of waiting
    for an answer (the answer to a question is no)."""

    def __init__(self) -> None:
        super().__init__()
        self.boxes: list[QDialog] = []

    def confirm(self, title: str, text: str, yes: str, no: str) -> bool:
        self.boxes.append(self.confirm_box(title, text, yes, no)[0])
        return False

    def tell(self, title: str, text: str) -> None:
        self.boxes.append(self.tell_box(title, text))


def _show_boxes(boxes: Sequence[QDialog], qtbot: QtBot) -> list[QWidget]:
    for box in boxes:
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
    return list(boxes)


# Routine files with mistakes, as people share them: the import report lists every problem of each.
BAD_ROUTINE = """\
schema_version: 1
id: {id}
title: ""
areas: [neck, elbow]
goals: [calm]
level: expert
steps:
  - title: Press
    duration: soon
    pressure: hard
  - instruction: Rest.
    duration: -5
"""


def open_unsaved(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    shown = open_editor(app, qtbot, clock)
    editor = cast(EditorWindow, shown.widgets[0])
    box = editor.unsaved_box(editor.form.title_edit.text())[0]
    return Shown([*shown.widgets, *_show_boxes([box], qtbot)], shown.data)


def open_import_report(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    kept = KeptPrompts()
    app.editing.prompts = kept
    folder = app.paths.cache_dir / "shared"
    folder.mkdir(parents=True)
    files = []
    for name in ("from-my-physio", "evening-feet", "neck-tension-release"):
        file = folder / f"{name}.yaml"
        file.write_text(BAD_ROUTINE.format(id=name), encoding="utf-8")
        files.append(file)
    app.editing.import_files(files)
    assert kept.boxes
    # The files' places and the keys of the file format are data, as the file writes them.
    keys: tuple[str, ...] = (
        "title",
        "areas[1]",
        "goals[0]",
        "level",
        "steps[0].duration",
        "steps[0].pressure",
    )
    keys += ("steps[1].duration", "steps[0]", "steps[1]")
    return Shown(_show_boxes(kept.boxes, qtbot), (*(str(file) for file in files), *keys))


def open_replace_question(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    kept = KeptPrompts()
    app.editing.prompts = kept
    mine = app.paths.user_routines_dir
    mine.mkdir(parents=True, exist_ok=True)
    routine = "id: my-neck\ntitle: My neck\nsummary: Short.\nareas: [neck]\ngoals: [tension_relief]\n"
    routine += "steps:\n  - title: Rest\n    instruction: Let the hands rest.\n    duration: 20s\n"
    (mine / "my-neck.yaml").write_text("schema_version: 1\n" + routine, encoding="utf-8")
    app.editing.reload()
    shared = app.paths.cache_dir / "my-neck-from-a-friend.yaml"
    shared.write_text("schema_version: 1\n" + routine, encoding="utf-8")
    app.editing.import_files([shared])
    return Shown(_show_boxes(kept.boxes, qtbot), ("my-neck", shared.name, "My neck"))


def open_break_prompt(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    from massage_guide.ui.break_prompt import BreakPromptWindow

    prompt = BreakPromptWindow()
    qtbot.addWidget(prompt)
    routine = _routine(app)
    prompt.show_break(routine.title.get(PSEUDO_LANGUAGE), routine.duration_seconds)
    qtbot.waitExposed(prompt)
    return Shown([prompt], routine_texts(routine))


def open_mini_player(app: App, qtbot: QtBot, clock: FakeClock) -> Shown:
    from massage_guide.ui.mini_player import MiniPlayerWindow

    assert app.office is not None
    assert app.office.start_break(ROUTINE, mini=True)
    clock.advance(5)
    app.session.refresh()
    minis: list[QWidget] = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MiniPlayerWindow) and w.isVisible()
    ]
    assert minis
    return Shown(minis, routine_texts(_routine(app)))


OPENERS: dict[str, Callable[[App, QtBot, FakeClock], Shown]] = {
    "library": open_library, "detail": open_detail, "before": open_before, "player": open_player,
    "stop": open_stop, "completion": open_completion, "safety": open_safety, "progress": open_progress,
    "settings": open_settings, "editor": open_editor, "break_prompt": open_break_prompt,
    "mini_player": open_mini_player, "unsaved": open_unsaved, "import_report": open_import_report,
    "replace_question": open_replace_question,
}  # fmt: skip


def test_the_pseudo_locale_marks_every_string() -> None:
    """The pseudo-locale this test relies on brackets and lengthens text, so an untranslated one shows."""
    from massage_guide.core import i18n

    i18n.activate(PSEUDO_LANGUAGE)
    try:
        assert i18n._("Library") == "⟦Library~~~⟧"
        assert leftover("⟦Library~~~⟧", ()) == ""
        assert leftover("Library", ()) == "Library"
        assert leftover("⟦Next: Roll (⟦left side~~~⟧)~~⟧", ()) == ""
        assert leftover("7:30 min  ·  ⟦Beginner~~⟧", ()) == ""
        assert leftover("Calm neck", ("Calm neck",)) == ""
        assert leftover("Mon", ()) == ""  # Babel's weekday names are locale data
        assert leftover("Monkey", ()) == "Monkey"
        assert leftover("Português (Brasil)", ()) == ""  # a language's own name is locale data
        assert leftover("*⟦Edit~~⟧ – Massage Guide", ()) == ""
        assert leftover("Bowl", ()) == "Bowl"
        # A long text's padding breaks into word-length runs, as a real language's words wrap.
        # The longest word of the progress page's empty state is "short." with its first run of marks.
        assert max(len(word) for word in i18n._(EMPTY_TEXT).split()) < LONG_WORD
    finally:
        i18n.activate("en")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_translated_and_nothing_is_cut(
    app: App, qtbot: QtBot, clock: FakeClock, page: str
) -> None:
    """Every text on the page is translated (bracketed) or comes from the routine or the user, and every
    label and button shows all of its words (in the pseudo-locale and in German), at 1024x600, at the normal
    and the largest text size."""
    if page in PENDING:
        pytest.skip(PENDING[page])
    shown = OPENERS[page](app, qtbot, clock)
    settle()
    if app.language == PSEUDO_LANGUAGE:
        problems = untranslated(shown)
        assert problems == [], "\n".join(problems)
    else:  # German, as a German reader gets it: the words run longer than English, and none is cut
        assert app.window.nav_buttons["settings"].text() == "Einstellungen"
    cut = clipped(shown)
    assert cut == [], "\n".join(cut)
    big = too_big(app, shown)
    assert big == [], "\n".join(big)


def too_big(app: App, shown: Shown) -> list[str]:
    """Windows and dialogs of the page whose minimum size does not fit the small screen, or whose own size
    does not fit the screen they are on (the main window is set to the small screen's size)."""
    found = []
    for window in shown.widgets:
        if window is app.window:
            continue
        need = window.minimumSizeHint().expandedTo(window.minimumSize())
        if need.width() > WINDOW[0] or need.height() > WINDOW[1]:
            found.append(f"{type(window).__name__} {window.windowTitle()!r} needs {need.toTuple()}")
        room = window.screen().availableGeometry().size()
        if window.width() > room.width() or window.height() > room.height():
            found.append(f"{type(window).__name__} {window.windowTitle()!r} is {window.size().toTuple()}")
    return found


# The editor on a small screen: every language the app ships (and the pseudo-locale) at every text size.
EDITOR_LANGUAGES_AND_SIZES = [
    (language, size) for language in ("en", "de", PSEUDO_LANGUAGE) for size in ALL_TEXT_SIZES
]


@pytest.fixture(
    params=EDITOR_LANGUAGES_AND_SIZES, ids=["-".join(pair) for pair in EDITOR_LANGUAGES_AND_SIZES]
)
def small_screen_app(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    mg_home: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[App]:
    """The app in a language at a text size, for the routine editor on a 1024x600 screen."""
    language_code, text_size = cast(tuple[str, str], request.param)
    yield from _built(qtbot, mg_home, clock, monkeypatch, language_code=language_code, text_size=text_size)


def below(window: QWidget) -> list[str]:
    """Visible widgets of ``window`` that reach past its bottom edge where no scrolling reaches them."""
    found = []
    for item in window.findChildren(QWidget):
        if not item.isVisible() or _scrolled(item):
            continue
        box = QRect(item.mapTo(window, QPoint(0, 0)), item.size())
        if box.bottom() > window.height() + 1:
            found.append(f"{type(item).__name__} {item.accessibleName()!r} ends at {box.bottom()} px")
    return found


def _scrolled(item: QWidget) -> bool:
    """Whether ``item`` sits inside a scroll area (or a list), whose scrolling brings it into view."""
    parent = item.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def test_the_editor_fits_a_small_screen_in_every_view(
    small_screen_app: App, qtbot: QtBot, clock: FakeClock
) -> None:
    """On a 1024x600 screen less a panel, in English, German and the pseudo-locale at every text size, the
    routine editor's minimum size fits, and each of its views (the routine; the steps with a step, its
    breathing and a block chosen; the preview running) shows every label and button whole, inside the window
    and translated."""
    app = small_screen_app
    editor = app.editing.edit(ROUTINE)
    assert editor is not None
    editor.showNormal()  # the 800x800 test screen is smaller than the editor's first size: it opened maximised
    editor.resize(*WINDOW)
    qtbot.waitExposed(editor)
    minimum = editor.minimumSizeHint()
    assert minimum.width() <= WINDOW[0] and minimum.height() <= WINDOW[1], minimum.toTuple()
    settle()
    assert editor.size().toTuple() == WINDOW
    data = (*routine_texts(_routine(app)), editor.controller.document.id)
    problems: list[str] = []

    def look(view: str) -> None:
        settle()
        shown = Shown([editor], data)
        found = clipped(shown) + below(editor)
        if editor.size().toTuple() != WINDOW:  # grown past the screen to fit what it shows
            found.append(f"the window grew to {editor.size().toTuple()}")
        if app.language == PSEUDO_LANGUAGE:
            found += untranslated(shown)
        problems.extend(f"{view}: {problem}" for problem in found)

    editor.panes.show_routine()
    assert editor.form.title_edit.isVisible()
    look("routine")
    editor.panes.show_steps()
    assert editor.steps.isVisible() and editor.step_form.isVisible()
    look("step")
    editor.step_form.breathing_check.setChecked(True)
    look("breathing")
    qtbot.mouseClick(editor.add_repeat_button, Qt.MouseButton.LeftButton)
    look("repeat block")
    editor.start_preview()
    editor.preview_controller.play_fast()
    look("preview running")
    assert problems == [], "\n".join(problems)


def test_the_editor_sits_side_by_side_where_it_fits(
    small_screen_app: App, qtbot: QtBot, clock: FakeClock
) -> None:
    """The editor shows its three panes side by side whenever they fit the window, else one view at a time
    with the switch to the other view in reach; the steps sit beside the step when those two fit."""
    from massage_guide.ui.editor.panes import Arrangement

    app = small_screen_app
    editor = app.editing.edit(ROUTINE)
    assert editor is not None
    editor.showNormal()
    qtbot.waitExposed(editor)
    panes = editor.panes
    for width in (WINDOW[0], DEFAULT_EDITOR_WIDTH, editor.minimumSizeHint().width()):
        editor.resize(width, WINDOW[1])
        settle()
        arrangement = panes.arrangement
        assert arrangement is panes.arrangement_for(panes.width())
        wide = arrangement is Arrangement.WIDE
        assert panes.switch.isVisible() is not wide
        assert editor.form.isVisible() is (wide or panes.routine_button.isChecked())
        if not wide:
            beside = arrangement is Arrangement.STEPS_BESIDE
            vertical = panes.inner.orientation() is Qt.Orientation.Vertical
            assert vertical is not beside
    if app.language == "en" and theme.text_scale() <= 1:
        # English at the usual text size: all three panes side by side on a 1024 px screen.
        editor.resize(*WINDOW)
        settle()
        assert panes.arrangement is Arrangement.WIDE
