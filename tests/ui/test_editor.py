"""The routine editor driven as a person would: edit, see problems, save, preview, recover a draft, import."""

from __future__ import annotations

import stat
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPersistentModelIndex, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QToolBar
from pytestqt.qtbot import QtBot

from massage_guide import paths as paths_module
from massage_guide import resources
from massage_guide.app import App, build
from massage_guide.core import i18n
from massage_guide.core.document import StepItem
from massage_guide.core.drafts import find_drafts
from massage_guide.core.history import HistoryStore
from massage_guide.core.loader import load_routine_file
from massage_guide.core.model import Text
from massage_guide.services.audio import SilentAudio
from massage_guide.ui.body_map import BodyMapView
from massage_guide.ui.editor.launcher import Prompts, RoutineEditing
from massage_guide.ui.editor.window import CANCEL, DEFAULT_SIZE, DISCARD, SAVE, EditorWindow
from tests.conftest import FakeClock
from tests.ui.pseudo_locale import clipped, pseudo_locale, shown_texts, untranslated

MINE = """\
# My own neck routine; my physio's notes are in the comments.
schema_version: 1
id: my-neck
title: My neck
summary: A short one for the evening.
areas: [neck]
goals: [tension_relief]
steps:
  - title: Warm up
    instruction: Stroke the back of the neck slowly.
    duration: 30s   # keep this one short
    technique: stroking
  - title: Squeeze
    instruction:
      en: Squeeze the shoulder ridge.
      de: Drücke den Schulterkamm.
    duration: 45s
    side: left
    mirror: true
  - title: Rest
    instruction: Let the hands rest.
    duration: 20s
"""


class Answers(Prompts):
    """Prompts with the person's answers given in advance; what they were told is kept."""

    def __init__(self, confirm: bool = True) -> None:
        super().__init__()
        self.answer = confirm
        self.told: list[str] = []
        self.asked: list[str] = []

    def confirm(self, title: str, text: str, yes: str, no: str) -> bool:
        self.asked.append(text)
        return self.answer

    def tell(self, title: str, text: str) -> None:
        self.told.append(text)

    def choose_export(self, suggested: str) -> Path | None:
        return None


class Voice(SilentAudio):
    """Silent, but remembers what it was asked to say and play."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []
        self.ambience: list[str | None] = []
        self.stops: list[float] = []

    def speak(self, text: str) -> None:
        self.said.append(text)

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        self.ambience.append(sound_id)

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        self.stops.append(fade_out_seconds)


@pytest.fixture
def mine(mg_home: Path) -> Path:
    folder = mg_home / "routines"
    folder.mkdir()
    file = folder / "my-neck.yaml"
    file.write_text(MINE, encoding="utf-8")
    return file


def _running_app(qtbot: QtBot, mg_home: Path, clock: FakeClock, settings: str = "") -> Generator[App]:
    (mg_home / "settings.yaml").write_text("safety_notice_seen: true\n" + settings, encoding="utf-8")
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    built = build(qt, paths=paths_module.resolve(), audio=Voice(), clock=clock)
    built.editing.prompts = Answers()
    qtbot.addWidget(built.window)
    built.window.show()
    built.finish_start()
    qtbot.waitUntil(lambda: built.history is not None, timeout=5000)
    yield built
    for window in list(built.editing.editors):
        window.controller.discard()
        window.close_by_person()
    built.close()


@pytest.fixture
def app(qtbot: QtBot, mg_home: Path, clock: FakeClock) -> Iterator[App]:
    yield from _running_app(qtbot, mg_home, clock)


@pytest.fixture
def pseudo() -> Iterator[None]:
    """The process speaks the pseudo-locale ``xx`` for the test (English again after it)."""
    with pseudo_locale():
        yield


@pytest.fixture
def pseudo_app(
    pseudo: None, qtbot: QtBot, mg_home: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[App]:
    """The app built and run under the pseudo-locale (the app takes its language from the locale)."""
    monkeypatch.setenv("LANGUAGE", i18n.PSEUDO_LANGUAGE)
    yield from _running_app(qtbot, mg_home, clock)


def _editor(app: App, qtbot: QtBot, routine_id: str) -> EditorWindow:
    app.editing.reload()  # the routine file was written after the app started
    window: EditorWindow | None = app.editing.edit(routine_id)
    assert window is not None  # the app fixture closes it (the window deletes itself once closed)
    window._ask_unsaved = lambda _title: DISCARD
    return window


def test_edit_reorder_and_save_keeps_comments_and_translations(app: App, qtbot: QtBot, mine: Path) -> None:
    """Typing a new title, moving a step with Ctrl+Down and saving keeps comments and the German text."""
    window = _editor(app, qtbot, "my-neck")
    app.controller.open_routine("my-neck")
    window.form.title_edit.selectAll()
    qtbot.keyClicks(window.form.title_edit, "My evening neck")
    window.steps.setFocus()
    window.steps.select_path("steps[0]")
    qtbot.keyClick(window.steps, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.current_path() == "steps[1]"
    assert window.controller.check_now().ok
    assert window.save_button.isEnabled()
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)

    written = mine.read_text(encoding="utf-8")
    assert "# My own neck routine; my physio's notes are in the comments." in written
    assert "duration: 30s   # keep this one short" in written
    assert "de: Drücke den Schulterkamm." in written
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600
    routine, problems = load_routine_file(mine)
    assert problems == [] and routine is not None
    assert routine.title == Text.of("My evening neck")
    assert [s.title.get() for s in routine.steps] == ["Squeeze", "Squeeze", "Warm up", "Rest"]
    # The library shows the change at once.
    assert app.controller.library.get("my-neck") is not None
    assert str(app.controller.library.routines["my-neck"].title) == "My evening neck"
    detail = app.window.page("detail")
    assert detail.routine() is not None and str(detail.routine().title) == "My evening neck"  # type: ignore[attr-defined]
    assert find_drafts(mine.parent) == []


def test_problems_show_beside_the_field_and_block_save(app: App, qtbot: QtBot, mine: Path) -> None:
    """A bad duration shows validate's message under the duration, marks the step and disables Save."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[1]")
    window.step_form.duration_edit.clear()
    qtbot.keyClicks(window.step_form.duration_edit, "soon")
    check = window.controller.check_now()
    assert not check.ok
    message = "'soon' is not a duration; write it like 45s, 2m, 1m30s, 1h or a number of seconds"
    assert window.step_form.problem_labels["duration"].text() == message
    assert window.step_form.problem_labels["duration"].isVisibleTo(window)
    assert not window.save_button.isEnabled()
    assert window.reason_label.text() == f"Not ready to save: Step 2, duration: {message}"
    assert not window.steps.topLevelItem(1).icon(0).isNull()  # type: ignore[union-attr]
    assert window.form.problem_labels["steps"].text() == "A step has a problem (marked in the list)."
    # The same message validate prints for the same file.
    assert any(p.where == "steps[1].duration" and p.message == message for p in check.problems)

    window.form.title_edit.clear()
    window.controller.check_now()
    assert window.form.problem_labels["title"].text() == "is empty; write something here"

    window.step_form.duration_edit.setText("1m")
    window.form.title_edit.setText("My neck")
    assert window.controller.check_now().ok
    assert window.save_button.isEnabled()
    assert not window.form.problem_labels["title"].isVisibleTo(window)


def test_a_builtin_opens_as_a_copy_with_a_new_id(app: App, qtbot: QtBot, mg_home: Path) -> None:
    """Editing a built-in says it is a copy; saving adds a routine of one's own and leaves the built-in."""
    builtin = resources.routines_dir() / "neck-tension-release.yaml"
    before = builtin.read_bytes()
    window = _editor(app, qtbot, "neck-tension-release")
    assert "your own copy" in window.note_label.text()
    assert window.note_label.isVisibleTo(window)
    assert window.form.id_edit.text() == "neck-tension-release-copy"
    assert window.save()
    saved = mg_home / "routines" / "neck-tension-release-copy.yaml"
    routine, problems = load_routine_file(saved)
    assert problems == [] and routine is not None
    assert routine.title.get() == "Neck tension release (my copy)"
    assert "# yaml-language-server" in saved.read_text(encoding="utf-8")
    assert builtin.read_bytes() == before
    assert app.controller.library.routines["neck-tension-release-copy"].source == "user"
    assert app.controller.library.routines["neck-tension-release"].source == "builtin"


def test_new_routine_takes_its_id_from_the_title_and_refuses_a_taken_id(app: App, qtbot: QtBot) -> None:
    """A new routine's id follows its title; an id already in the library is named beside the id box."""
    window = app.editing.new_routine()
    window._ask_unsaved = lambda _title: DISCARD
    qtbot.keyClicks(window.form.title_edit, "Desk break, 3 minutes")
    assert window.form.id_edit.text() == "desk-break-3-minutes"
    window.controller.check_now()
    assert window.form.problem_labels["id"].text() == (
        "a built-in routine has the id 'desk-break-3-minutes'; choose another id so both stay"
    )
    window.form.id_edit.selectAll()
    qtbot.keyClicks(window.form.id_edit, "my-desk-break")
    window.form.area_checks[1]["neck"].setChecked(True)
    window.form.goal_checks[1]["desk_break"].setChecked(True)
    window.form.summary_edit.setPlainText("Three calm minutes.")
    window.step_form.title_edit.setText("Shrug")
    window.step_form.instruction_edit.setPlainText("Lift and drop the shoulders.")
    assert window.controller.check_now().ok, window.reason_label.text()
    assert window.save()
    assert app.controller.library.routines["my-desk-break"].source == "user"


def test_step_fields_focus_breathing_blocks_and_hear_it(app: App, qtbot: QtBot, mine: Path) -> None:
    """Focus from the body map, breathing, a repeat block and the spoken text all reach the saved file."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[2]")
    window.step_form._area_clicked("shoulders")
    window.step_form.breathing_check.setChecked(True)
    qtbot.keyClicks(window.step_form.say_edit, "Rest now.")
    qtbot.mouseClick(window.step_form.hear_button, Qt.MouseButton.LeftButton)
    assert app.audio.said == ["Rest now."]  # type: ignore[attr-defined]
    qtbot.mouseClick(window.add_repeat_button, Qt.MouseButton.LeftButton)
    window.steps.select_path("steps[3]")
    window.step_form.repeat_spin.setValue(3)
    window.steps.select_path("steps[3].steps[0]")
    window.step_form.title_edit.setText("Breathe")
    window.step_form.instruction_edit.setPlainText("Slow breaths.")
    assert window.save(), window.reason_label.text()
    routine, problems = load_routine_file(mine)
    assert problems == [] and routine is not None
    rest = routine.steps[3]
    assert (rest.title.get(), rest.focus, rest.say) == ("Rest", "shoulders", Text.of("Rest now."))
    assert rest.breathing is not None and (rest.breathing.inhale, rest.breathing.exhale) == (4, 6)
    assert [s.title.get() for s in routine.steps[4:]] == ["Breathe"] * 3
    assert "repeat: 3" in mine.read_text(encoding="utf-8")


def test_ambience_preview_plays_and_stops(app: App, qtbot: QtBot, mine: Path) -> None:
    """Listen plays the chosen ambience; pressing it again stops it."""
    window = _editor(app, qtbot, "my-neck")
    index = window.form.ambience_box.findData("soft-rain")
    window.form.ambience_box.setCurrentIndex(index)
    qtbot.mouseClick(window.form.listen_button, Qt.MouseButton.LeftButton)
    assert app.audio.ambience == ["soft-rain"]  # type: ignore[attr-defined]
    assert window.form.listen_button.text() == "Stop listening"
    qtbot.mouseClick(window.form.listen_button, Qt.MouseButton.LeftButton)
    assert window.form.listen_button.text() == "Listen"


def test_preview_steps_through_and_plays_ten_times_faster_without_history(
    app: App, qtbot: QtBot, mine: Path, clock: FakeClock, mg_home: Path
) -> None:
    """Preview walks the steps, plays at 10x on the injected clock, and nothing is put on record."""
    window = _editor(app, qtbot, "my-neck")
    qtbot.mouseClick(window.preview.start_button, Qt.MouseButton.LeftButton)
    assert window.preview.step_label.text().startswith("Step 1 of 4: Warm up")
    qtbot.mouseClick(window.preview.next_button, Qt.MouseButton.LeftButton)
    assert window.preview.step_label.text() == "Step 2 of 4: Squeeze (left side)  ·  0:45"
    qtbot.mouseClick(window.preview.fast_button, Qt.MouseButton.LeftButton)
    clock.advance(2.0)  # two real seconds are twenty in the preview
    window.preview_controller.refresh()
    assert window.preview.step_label.text() == "Step 2 of 4: Squeeze (left side)  ·  0:25"
    clock.advance(3.0)
    window.preview_controller.refresh()
    assert window.preview.step_label.text().startswith("Step 3 of 4: Squeeze (right side)")
    qtbot.mouseClick(window.preview.hold_button, Qt.MouseButton.LeftButton)
    clock.advance(60.0)
    window.preview_controller.refresh()
    assert window.preview.step_label.text().startswith("Step 3 of 4: Squeeze (right side)")
    qtbot.mouseClick(window.preview.close_button, Qt.MouseButton.LeftButton)
    assert app.history is not None
    assert app.history.list_sessions() == []


def test_unsaved_work_survives_a_crash_and_is_offered_back(
    app: App, qtbot: QtBot, mine: Path, mg_home: Path
) -> None:
    """An edit not saved is kept as a draft; the next start offers it, and saving it writes the file."""
    window = _editor(app, qtbot, "my-neck")
    window.form.title_edit.setText("Half-way through")
    window.controller.check_now()
    # The app dies here: no close, no save. The file is untouched, the draft holds the edit.
    assert "title: My neck\n" in mine.read_text(encoding="utf-8")
    drafts = find_drafts(mine.parent)
    assert [d.target for d in drafts] == [mine]
    assert stat.S_IMODE(drafts[0].draft_file.stat().st_mode) == 0o600
    window.close()  # as the app closes its windows when it quits: no question, the draft stays
    assert find_drafts(mine.parent) != []

    answers = Answers(confirm=True)
    editing = RoutineEditing(paths=app.paths, library=lambda: app.controller.library, prompts=answers)
    editing.offer_drafts()
    assert answers.asked == [
        "Your changes to Half-way through were not saved last time. Open them in the editor?"
    ]
    assert len(editing.editors) == 1
    restored = editing.editors[0]
    assert restored.form.title_edit.text() == "Half-way through"
    assert restored.save()
    text = mine.read_text(encoding="utf-8")
    assert "title: Half-way through\n" in text and "# keep this one short" in text
    assert find_drafts(mine.parent) == []
    restored.close_by_person()


def test_dropping_a_routine_file_on_the_window_imports_it(app: App, qtbot: QtBot, tmp_path: Path) -> None:
    """A .yaml dropped on the main window is checked, copied, and appears in the library."""
    shared = tmp_path / "shared.yaml"
    shared.write_text(MINE.replace("my-neck", "shared-neck"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINE.replace("duration: 45s", "duration: soon"), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shared)), QUrl.fromLocalFile(str(bad))])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # As the platform does: the drag enters (and is accepted), then it is dropped.
    enter = QDragEnterEvent(QPoint(200, 200), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(app.window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(app.window, drop)
    assert drop.isAccepted()
    assert app.controller.library.routines["shared-neck"].source == "user"
    assert "shared-neck" in app.controller.library_page.visible_routine_ids()
    told = "\n".join(app.editing.prompts.told)
    assert "Imported 'My neck'." in told
    assert f"  {bad}:17:15: steps[1].duration: 'soon' is not a duration" in told


def test_toolbar_edits_duplicates_and_exports_the_routine_shown(
    app: App, qtbot: QtBot, tmp_path: Path, mg_home: Path
) -> None:
    """On a routine's page the tool bar offers Edit, Duplicate and Export; Export writes a valid file."""
    app.controller.open_routine("calm-in-4-minutes")
    toolbar = app.window.findChild(type(app.window.addToolBar("probe")), "routine-tools")
    assert toolbar is not None and toolbar.isVisible()
    labels = [a.text() for a in toolbar.actions() if a.isVisible() and a.text()]
    assert labels == ["New routine", "Import…", "Edit a copy", "Duplicate", "Export…"]
    out = app.editing.export("calm-in-4-minutes", tmp_path / "calm.yaml")
    assert out == tmp_path / "calm.yaml"
    routine, problems = load_routine_file(out)
    assert problems == [] and routine is not None and routine.id == "calm-in-4-minutes"
    window = app.editing.duplicate("calm-in-4-minutes")
    assert window is not None
    assert window.form.id_edit.text() == "calm-in-4-minutes-copy"
    app.window.show_page("player")
    assert not toolbar.isVisible()
    app.paths.user_routines_dir.mkdir(exist_ok=True)
    (app.paths.user_routines_dir / "mine.yaml").write_text(MINE, encoding="utf-8")
    app.editing.reload()
    app.controller.open_routine("my-neck")
    assert [a.text() for a in toolbar.actions() if a.isVisible() and a.text()][2] == "Edit"


def test_history_is_untouched_by_editing(app: App, mine: Path, mg_home: Path) -> None:
    """Opening, checking and saving in the editor records no session."""
    store, _messages = HistoryStore.open(mg_home / "history.sqlite3")
    assert store.list_sessions() == []
    store.close()


def test_closing_with_unsaved_changes_asks_first(app: App, qtbot: QtBot, mine: Path) -> None:
    """Close asks about unsaved changes: keep editing leaves the window open, save writes the file."""
    window = _editor(app, qtbot, "my-neck")
    asked: list[str] = []

    def keep_editing(title: str) -> str:
        asked.append(title)
        return CANCEL

    window._ask_unsaved = keep_editing
    window.form.title_edit.setText("Changed my mind")
    assert window.windowTitle().startswith("*")
    qtbot.mouseClick(window.close_button, Qt.MouseButton.LeftButton)
    assert asked == ["Changed my mind"]
    assert window.isVisible()
    window._ask_unsaved = lambda _title: SAVE
    qtbot.mouseClick(window.close_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert "title: Changed my mind\n" in mine.read_text(encoding="utf-8")


def test_an_each_side_block_and_a_muscle_are_saved(app: App, qtbot: QtBot, mine: Path) -> None:
    """ "Add each side" makes a sides block whose steps run on the chosen side first, then the other."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[2]")
    qtbot.mouseClick(window.add_sides_button, Qt.MouseButton.LeftButton)
    assert window.steps.current_path() == "steps[3]"
    window.step_form.first_side_box.setCurrentIndex(window.step_form.first_side_box.findData("right"))
    window.steps.select_path("steps[3].steps[0]")
    window.step_form.title_edit.setText("Press the shoulder")
    window.step_form.instruction_edit.setPlainText("Press this shoulder gently.")
    qtbot.keyClicks(window.step_form.muscle_edit, "upper trapezius")
    assert window.save(), window.reason_label.text()
    routine, problems = load_routine_file(mine)
    assert problems == [] and routine is not None
    assert [(s.title.get(), s.side) for s in routine.steps[4:]] == [
        ("Press the shoulder", "right"),
        ("Press the shoulder", "left"),
    ]
    assert routine.steps[4].muscle == Text.of("upper trapezius")
    assert "sides: [right, left]" in mine.read_text(encoding="utf-8")


def test_words_that_outlast_their_step_are_a_warning_not_a_block(app: App, qtbot: QtBot, mine: Path) -> None:
    """A step too short for its words gets validate's timing warning by the spoken text; Save still works."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[0]")
    window.step_form.duration_edit.setText("3s")
    check = window.controller.check_now()
    assert check.ok and window.save_button.isEnabled()
    label = window.step_form.problem_labels["say"]
    assert label.isVisibleTo(window)
    assert label.text().startswith("warning: the voice needs about")
    assert [w.where for w in check.warnings] == ["steps[0]"]


def test_every_editor_control_is_named_and_big_enough(app: App, qtbot: QtBot, mine: Path) -> None:
    """The editor, on a step and on a block, passes the same sweep as the app's pages: named, 32 px."""
    from PySide6.QtWidgets import QAbstractSpinBox, QWidget

    from tests.ui.test_accessibility import MIN_TARGET, spoken_name, visible_controls

    def check_page(page: QWidget) -> list[str]:
        problems = []
        spins = [w for w in page.findChildren(QAbstractSpinBox) if w.isVisible()]
        # A spin box's text field belongs to it and is named through it, as a line edit's buttons are.
        controls = [w for w in visible_controls(page) if not isinstance(w.parentWidget(), QAbstractSpinBox)]
        for widget in controls + spins:
            label = f"{type(widget).__name__} {spoken_name(widget)!r}"
            if not spoken_name(widget).strip():
                problems.append(f"{label} has no accessible name")
            if widget.height() < MIN_TARGET or widget.width() < MIN_TARGET:
                problems.append(f"{label} is {widget.width()}x{widget.height()} px")
        return problems

    window = _editor(app, qtbot, "my-neck")
    window.resize(1280, 800)
    window.show()
    problems = check_page(window)
    qtbot.mouseClick(window.add_repeat_button, Qt.MouseButton.LeftButton)
    window.steps.select_path("steps[1]")
    problems += check_page(window)
    qtbot.mouseClick(window.preview.start_button, Qt.MouseButton.LeftButton)
    problems += check_page(window)
    assert problems == [], "\n".join(problems)
    assert window.width() >= window.minimumSizeHint().width()


def test_texts_can_be_written_in_another_language(app: App, qtbot: QtBot, mine: Path) -> None:
    """Choosing Deutsch edits the German texts, English showing through; both are saved side by side."""
    window = _editor(app, qtbot, "my-neck")
    window.language_box.setCurrentIndex(window.language_box.findData("de"))
    assert window.form.title_edit.text() == ""
    assert window.form.title_edit.placeholderText() == "My neck"
    qtbot.keyClicks(window.form.title_edit, "Mein Nacken")
    window.steps.select_path("steps[1]")
    assert window.step_form.instruction_edit.toPlainText() == "Drücke den Schulterkamm."
    window.steps.select_path("steps[0]")
    qtbot.keyClicks(window.step_form.title_edit, "Lockern")
    assert window.save(), window.reason_label.text()
    routine, problems = load_routine_file(mine)
    assert problems == [] and routine is not None
    assert routine.title.get("de") == "Mein Nacken" and routine.title.get("en") == "My neck"
    assert routine.steps[0].title.get("de") == "Lockern"
    assert routine.steps[1].instruction.get("de") == "Drücke den Schulterkamm."
    assert "de" in routine.languages


def test_importing_over_ones_own_routine_asks_first(
    app: App, qtbot: QtBot, mine: Path, tmp_path: Path
) -> None:
    """Import of a routine whose id one already has asks; "keep mine" leaves it, "replace" replaces it."""
    app.editing.reload()
    newer = tmp_path / "newer.yaml"
    newer.write_text(MINE.replace("title: My neck", "title: My neck, from the physio"), encoding="utf-8")
    answers = Answers(confirm=False)
    app.editing.prompts = answers
    app.editing.import_files([newer])
    assert answers.asked == [
        "You already have a routine with the id 'my-neck'. Replace it with the one in newer.yaml?"
    ]
    assert "title: My neck\n" in mine.read_text(encoding="utf-8")
    assert answers.told == ["newer.yaml: not imported; your own routine stays."]
    answers.answer = True
    app.editing.import_files([newer])
    assert mine.read_bytes() == newer.read_bytes()
    assert str(app.controller.library.routines["my-neck"].title) == "My neck, from the physio"


def test_checking_happens_by_itself_after_a_pause_in_typing(app: App, qtbot: QtBot, mine: Path) -> None:
    """Without asking, a check follows the typing: the problem appears beside the field and Save goes off."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[0]")
    assert window.save_button.isEnabled()
    with qtbot.waitSignal(window.controller.checked, timeout=5000):
        window.step_form.duration_edit.clear()
        qtbot.keyClicks(window.step_form.duration_edit, "0s")
    assert not window.save_button.isEnabled()
    assert window.step_form.problem_labels["duration"].text() == "a step lasts from 1s to 30m; got 0s"


def test_keyboard_moves_a_step_into_and_out_of_a_block(app: App, qtbot: QtBot, mine: Path) -> None:
    """Ctrl+Right puts a step into the block above it and Ctrl+Left takes it out, as dragging would."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[0]")
    qtbot.mouseClick(window.add_repeat_button, Qt.MouseButton.LeftButton)  # steps[1], with one new step
    window.steps.select_path("steps[1].steps[0]")
    window.step_form.title_edit.setText("Breathe")
    window.step_form.instruction_edit.setPlainText("Slow breaths.")
    window.steps.select_path("steps[2]")  # Squeeze
    window.steps.setFocus()
    qtbot.keyClick(window.steps, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.current_path() == "steps[1].steps[1]"
    assert window.save(), window.reason_label.text()
    routine, _problems = load_routine_file(mine)
    assert routine is not None
    assert [s.title.get() for s in routine.steps] == [
        "Warm up",
        *["Breathe", "Squeeze", "Squeeze"] * 2,
        "Rest",
    ]
    qtbot.keyClick(window.steps, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.current_path() == "steps[2]"
    assert window.save()
    routine, _problems = load_routine_file(mine)
    assert routine is not None
    assert [s.title.get() for s in routine.steps] == [
        "Warm up",
        "Breathe",
        "Breathe",
        "Squeeze",
        "Squeeze",
        "Rest",
    ]


def test_the_editor_stays_off_the_start_up_path() -> None:
    """Building the app (tool bar and drop target included) imports no editor window, document or ruamel."""
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT

    code = (
        "import os, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from massage_guide.app import build\n"
        "from massage_guide.services.audio import SilentAudio\n"
        "qt = QApplication([])\n"
        "app = build(qt, audio=SilentAudio())\n"
        "assert app.editing is not None\n"
        "late = ('ruamel', 'massage_guide.ui.editor.window', 'massage_guide.ui.editor.controller',\n"
        "        'massage_guide.core.document', 'massage_guide.core.routine_writer')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in late or m in late))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout


def test_a_running_session_keeps_its_sound(app: App, qtbot: QtBot, mine: Path) -> None:
    """While a session plays, Hear it and Listen stay quiet, and closing the editor leaves the session's sound."""
    window = _editor(app, qtbot, "my-neck")
    assert app.controller.start_routine("my-neck")
    voice = app.audio
    assert isinstance(voice, Voice)
    said, ambience = list(voice.said), list(voice.ambience)
    window.steps.select_path("steps[0]")
    qtbot.mouseClick(window.step_form.hear_button, Qt.MouseButton.LeftButton)
    window.form.ambience_box.setCurrentIndex(window.form.ambience_box.findData("soft-rain"))
    qtbot.mouseClick(window.form.listen_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.form.listen_button, Qt.MouseButton.LeftButton)
    window.close_by_person()
    assert (voice.said, voice.ambience, voice.stops) == (said, ambience, [])
    assert app.controller.session_running()
    app.session.stop()


def test_timing_warnings_follow_the_voice_speed_setting(
    qtbot: QtBot, mg_home: Path, clock: FakeClock
) -> None:
    """A slow voice_rate makes words outlast a step that the default pace still fits, and the warning says
    the rate the person chose."""
    file = mg_home / "routines" / "my-neck.yaml"
    file.parent.mkdir()
    # The first step speaks 17 words (the stop rule, its title and instruction): 7.3 s at the default 140
    # words a minute, 12.75 s at 80.
    file.write_text(MINE.replace("duration: 30s", "duration: 10s"), encoding="utf-8")
    steps = ("steps[0]",)
    for rate, warned in ((140, ()), (80, steps)):
        running = _running_app(qtbot, mg_home, clock, f"voice_rate: {rate}\n")
        app = next(running)
        window = _editor(app, qtbot, "my-neck")
        check = window.controller.check_now()
        assert tuple(w.where for w in check.warnings) == warned, rate
        if warned:
            assert "at 80 words a minute" in check.warnings[0].message
            window.steps.select_path("steps[0]")
            assert "at 80 words a minute" in window.step_form.problem_labels["say"].text()
        running.close()


def _titles(window: EditorWindow) -> list[str]:
    return [item.title.get() for item in window.steps.items() if isinstance(item, StepItem)]


def _drop(
    qtbot: QtBot,
    window: EditorWindow,
    source: str,
    target: str,
    where: QAbstractItemView.DropIndicatorPosition,
) -> None:
    """Drag the row at path ``source`` and drop it above or below the row at ``target``, as a mouse drop does:
    Qt hands the dragged rows to the model as mime data, and after a move the drag takes the old rows away.
    (The offscreen platform runs no real drag; the step list follows its model however the rows move.)"""
    steps = window.steps
    steps.select_path(source)
    dragged = steps.currentItem()
    steps.select_path(target)
    anchor = steps.currentItem()
    assert dragged is not None and anchor is not None
    steps.setCurrentItem(dragged)
    model = steps.model()
    index = steps.indexFromItem(dragged)
    data = model.mimeData([index])
    anchor_index = steps.indexFromItem(anchor)
    row = anchor_index.row() + (1 if where is QAbstractItemView.DropIndicatorPosition.BelowItem else 0)
    action = steps.defaultDropAction()
    assert action is Qt.DropAction.MoveAction
    assert model.canDropMimeData(data, action, row, 0, anchor_index.parent())
    old = QPersistentModelIndex(index)
    with qtbot.waitSignal(steps.structure_changed, timeout=2000):
        assert model.dropMimeData(data, action, row, 0, anchor_index.parent())
        # What QAbstractItemView does when a move drag ends: the dragged row leaves its old place.
        assert model.removeRow(old.row(), old.parent())


def test_dragging_a_step_reorders_the_routine_that_is_saved(app: App, qtbot: QtBot, mine: Path) -> None:
    """Dropping a step below another, through the step list's own model as a drag does, moves it there
    (rows, document and file); the moved step keeps its fields."""
    window = _editor(app, qtbot, "my-neck")
    steps = window.steps
    assert steps.dragDropMode() is QAbstractItemView.DragDropMode.InternalMove
    assert _titles(window) == ["Warm up", "Squeeze", "Rest"]
    _drop(qtbot, window, "steps[0]", "steps[2]", QAbstractItemView.DropIndicatorPosition.BelowItem)
    assert _titles(window) == ["Squeeze", "Rest", "Warm up"]
    moved = window.steps.items()[2]
    assert isinstance(moved, StepItem) and moved.technique == "stroking" and str(moved.duration) == "30s"
    assert window.save(), window.reason_label.text()
    routine, _problems = load_routine_file(mine)
    assert routine is not None
    assert [s.title.get() for s in routine.steps] == ["Squeeze", "Squeeze", "Rest", "Warm up"]
    assert "duration: 30s   # keep this one short" in mine.read_text(encoding="utf-8")


def test_a_step_can_be_dropped_into_a_block_but_not_onto_a_step(app: App, qtbot: QtBot, mine: Path) -> None:
    """A block takes dropped steps as its own; a step never takes a drop (it cannot hold steps)."""
    window = _editor(app, qtbot, "my-neck")
    window.steps.select_path("steps[2]")
    qtbot.mouseClick(window.add_repeat_button, Qt.MouseButton.LeftButton)  # steps[3], holding a new step
    window.steps.select_path("steps[3].steps[0]")
    window.step_form.title_edit.setText("Breathe")
    window.step_form.instruction_edit.setPlainText("Slow breaths.")
    steps = window.steps
    block = steps.currentItem().parent()  # type: ignore[union-attr]
    step = steps.topLevelItem(0)
    assert block is not None and step is not None
    assert block.flags() & Qt.ItemFlag.ItemIsDropEnabled
    assert not step.flags() & Qt.ItemFlag.ItemIsDropEnabled
    _drop(qtbot, window, "steps[0]", "steps[3].steps[0]", QAbstractItemView.DropIndicatorPosition.AboveItem)
    assert window.save(), window.reason_label.text()
    routine, _problems = load_routine_file(mine)
    assert routine is not None
    assert [s.title.get() for s in routine.steps] == [
        "Squeeze", "Squeeze", "Rest", *["Warm up", "Breathe"] * 2,
    ]  # fmt: skip


# The body map has its own texts and its own test (the library's); here it is only a part of the form.
BODY_MAP = (BodyMapView,)


def test_pseudo_locale_leaves_no_editor_text_untranslated_or_cut(
    pseudo_app: App, qtbot: QtBot, mine: Path, tmp_path: Path
) -> None:
    """Under the pseudo-locale every text of the editor, its tool bar and its messages is translated, and
    none is cut off at the editor's first size (routine data excepted)."""
    app = pseudo_app
    # The routine's own words and ids, and the languages' names, each written in its own language.
    data = {"My", "neck", "Warm", "up", "Squeeze", "Rest", "s", "m", "my", "English"}
    window = _editor(app, qtbot, "my-neck")
    window.show()
    qtbot.waitExposed(window)
    texts = shown_texts(window, BODY_MAP)
    problems = clipped(window, BODY_MAP)
    window.steps.select_path("steps[1]")  # a mirrored step: its side in the list and the form
    window.step_form.breathing_check.setChecked(True)
    texts += shown_texts(window, BODY_MAP)
    qtbot.mouseClick(window.add_repeat_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.add_sides_button, Qt.MouseButton.LeftButton)
    texts += shown_texts(window, BODY_MAP)
    problems += clipped(window, BODY_MAP)
    window.steps.select_path("steps[0]")
    window.step_form.duration_edit.setText("0s")  # a problem: marked in the list, counted under the steps
    window.controller.check_now()
    texts += [(where, text) for where, text in shown_texts(window, BODY_MAP) if "list row tooltip" in where]
    texts.append(("steps problem", window.form.problem_labels["steps"].text()))
    texts.append(("reason", window.reason_label.text()))
    window.step_form.duration_edit.setText("30s")
    window.controller.check_now()
    qtbot.mouseClick(window.preview.start_button, Qt.MouseButton.LeftButton)
    texts += shown_texts(window, BODY_MAP)
    problems += clipped(window, BODY_MAP)
    toolbar = app.window.findChild(QToolBar, "routine-tools")
    assert toolbar is not None
    texts += shown_texts(toolbar)
    app.controller.open_routine("my-neck")
    texts += shown_texts(toolbar)
    # Longer words still leave every action a button of its own (none pushed into the overflow menu).
    shown = [a for a in toolbar.actions() if a.isVisible()]
    qtbot.waitUntil(lambda: all(toolbar.widgetForAction(a).isVisible() for a in shown), timeout=2000)
    answers = Answers(confirm=False)
    app.editing.prompts = answers
    shared = tmp_path / "shared.yaml"
    shared.write_text(MINE, encoding="utf-8")
    app.editing.import_files([shared])
    app.editing.export("my-neck", tmp_path / "out.yaml")
    texts += [("asked", text) for text in answers.asked] + [("told", text) for text in answers.told]
    assert len(answers.told) == 2
    assert untranslated(texts, data) == [], "\n".join(untranslated(texts, data))
    assert problems == [], "\n".join(problems)


def test_text_boxes_stay_a_few_lines_tall_under_the_app_style(app: App, qtbot: QtBot, mine: Path) -> None:
    """Summary, cautions, instruction and spoken text show three lines, though the app's style sheet gives
    text fields a one-line minimum (it used to squeeze them to a single line)."""
    window = _editor(app, qtbot, "my-neck")
    window.show()
    qtbot.waitExposed(window)
    boxes = (
        window.form.summary_edit, window.form.cautions_edit, window.step_form.instruction_edit,
        window.step_form.say_edit,
    )  # fmt: skip
    for box in boxes:
        lines = box.viewport().height() // box.fontMetrics().lineSpacing()
        assert lines >= 3, (box.accessibleName(), box.viewport().height())


def test_in_german_the_editor_fits_its_first_size(
    qtbot: QtBot, mg_home: Path, clock: FakeClock, mine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """German words are longer, yet the editor opens at its 1280 px first size cut to the screen's free area
    (the test screen is narrower), and nothing in it is cut: the panes rearrange instead of widening the
    window past a laptop's screen."""
    monkeypatch.setenv("LANGUAGE", "de")  # the app takes its language from the locale
    try:
        running = _running_app(qtbot, mg_home, clock)
        app = next(running)
        window = _editor(app, qtbot, "my-neck")
        window.show()
        qtbot.waitExposed(window)
        assert window.add_step_button.text() == "Schritt hinzufügen"
        screen = window.screen().availableGeometry()
        assert window.width() == min(DEFAULT_SIZE[0], screen.width())
        assert window.height() == min(DEFAULT_SIZE[1], screen.height())
        assert window.minimumSizeHint().width() <= window.width()
        assert clipped(window, BODY_MAP) == []
        running.close()
    finally:
        i18n.activate("en")


def test_on_a_small_screen_one_view_shows_and_its_switch_is_marked_and_reached_by_keyboard(
    app: App, qtbot: QtBot, mine: Path
) -> None:
    """In a window too narrow for three panes, the routine and the steps show one at a time; a problem in
    the hidden view puts a warning sign on its switch, and the keyboard reaches the switch (Tab) and changes
    view (Space, the arrow keys)."""
    window = _editor(app, qtbot, "my-neck")
    window.showNormal()  # the test screen is smaller than the first size: the editor opened maximised
    window.resize(window.minimumSizeHint().width(), 570)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panes = window.panes
    assert panes.switch.isVisible()
    assert window.steps.isVisible() and not window.form.title_edit.isVisible()
    assert panes.routine_button.icon().isNull()
    window.form.title_edit.clear()  # a problem in the hidden routine view
    window.controller.check_now()
    assert not panes.routine_button.icon().isNull()
    assert panes.steps_button.icon().isNull()
    window.form.title_edit.setText("My neck")
    window.controller.check_now()
    assert panes.routine_button.icon().isNull()

    window.language_box.setFocus()
    reached = []
    for _press in range(40):  # Shift+Tab from the language box back round to the switch
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        reached.append(QApplication.focusWidget())
        if QApplication.focusWidget() is panes.routine_button:
            break
    assert QApplication.focusWidget() is panes.routine_button, [type(w).__name__ for w in reached]
    qtbot.keyClick(panes.routine_button, Qt.Key.Key_Space)
    assert window.form.title_edit.isVisible() and not window.steps.isVisible()
    # The two switches are one group, as tabs are: an arrow key moves to the other view.
    qtbot.keyClick(panes.routine_button, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is panes.steps_button
    assert window.steps.isVisible() and not window.form.title_edit.isVisible()
