"""Navigation: library, a routine's page, progress, the way back, search, "Recently done", a new language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from massage_guide.core.library import Library
from massage_guide.core.library_search import Filters
from massage_guide.core.settings import Settings

if TYPE_CHECKING:
    from massage_guide.core.history import HistoryStore
    from massage_guide.core.model import Routine
    from massage_guide.ui.detail_page import RoutineDetailPage
    from massage_guide.ui.library_page import LibraryPage
    from massage_guide.ui.main_window import MainWindow
    from massage_guide.ui.progress_page import ProgressPage

log = logging.getLogger(__name__)

# How many past sessions to scan for the "Recently done" row.
RECENT_SESSIONS_SCANNED = 60
RECENT_ROUTINES_SHOWN = 6


class NavigationController(QObject):
    """Builds the library, detail and progress pages when first shown and moves between them.

    It never starts a session or saves a setting itself: it asks, and the app controller passes it on.

    Signals: ``start_requested(str, bool, bool)`` (Start on a routine's page: id, voice, ambience),
    ``favourite_toggled(str, bool)``, ``routine_shown(object)`` (a routine's page opened: its Routine)."""

    start_requested = Signal(str, bool, bool)
    favourite_toggled = Signal(str, bool)
    routine_shown = Signal(object)

    def __init__(
        self,
        *,
        window: MainWindow,
        library: Library,
        settings: Callable[[], Settings],
        language: str,
        session_running: Callable[[], bool],
        sound_missing: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.library = library
        self._settings = settings
        self.language = language
        self._session_running = session_running
        self._sound_missing = sound_missing
        self.history: HistoryStore | None = None
        self.recent: list[str] = []
        # The library's search and filters, carried over to the page built in a new language.
        self._kept_filters: Filters | None = None
        window.add_page("library", self._make_library)
        window.add_page("detail", self._make_detail)
        window.add_page("progress", self._make_progress)
        window.search_requested.connect(self.focus_search)
        window.page_changed.connect(self._page_changed)

    # -- pages, built when first shown ---------------------------------------------------------------------
    def _make_library(self) -> QWidget:
        """The library page with the problems panel under it."""
        from massage_guide.ui.library_page import LibraryPage
        from massage_guide.ui.problems_panel import ProblemsPanel

        page = LibraryPage(
            self.library, language=self.language, favourites=self._settings().favourites, recent=self.recent
        )
        page.routine_selected.connect(self.open_routine)
        page.favourite_toggled.connect(self.favourite_toggled)
        problems = ProblemsPanel()
        problems.set_problems(self.library.problems, len(self.library.failed_files))
        container = QWidget()
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page, 1)
        layout.addWidget(problems)
        self._library_page = page
        if self._kept_filters is not None:
            _restore_filters(page, self._kept_filters)
            self._kept_filters = None
        return container

    @property
    def library_page(self) -> LibraryPage:
        self.window.page("library")
        return self._library_page

    def _make_detail(self) -> RoutineDetailPage:
        from massage_guide.ui.detail_page import RoutineDetailPage

        page = RoutineDetailPage()
        page.start_requested.connect(self.start_requested)
        page.back_requested.connect(self.show_library)
        page.favourite_toggled.connect(self.favourite_toggled)
        return page

    def _make_progress(self) -> ProgressPage:
        from massage_guide.ui.progress_controller import ProgressController
        from massage_guide.ui.progress_page import ProgressPage

        page = ProgressPage()
        # Owned by its page: a page let go (the tray, a new look or language) takes its controller with it.
        self.progress_controller = ProgressController(page, parent=page)
        return page

    def _page_changed(self, name: str) -> None:
        if name == "progress":
            self.window.page("progress")  # built, with its controller, the first time it is shown
            self.progress_controller.show_history(self.history, self.library, self._settings())

    # -- moving about --------------------------------------------------------------------------------------
    def show_library(self) -> None:
        self.window.show_page("library")

    def focus_search(self) -> None:
        if self._session_running():
            return
        self.window.show_page("library")
        self.library_page.focus_search()

    def open_routine(self, routine_id: str) -> None:
        routine = self.library.get(routine_id)
        if routine is None:
            return
        self._fill_detail(routine)
        self.window.show_page("detail")
        self.routine_shown.emit(routine)

    def _fill_detail(self, routine: Routine) -> None:
        settings = self._settings()
        detail = cast("RoutineDetailPage", self.window.page("detail"))
        detail.show_routine(
            routine,
            language=self.language,
            voice_on=settings.voice_enabled,
            ambience_on=settings.ambience_for(routine.ambience) is not None,
            favourite=routine.id in settings.favourites,
        )
        detail.set_sound_missing(self._sound_missing())

    def back_to_routine(self, routine_id: str) -> None:
        """Back to a routine's page, or to the library when it is gone."""
        if self.library.get(routine_id) is not None:
            self.open_routine(routine_id)
        else:
            self.show_library()

    def bring_forward(self) -> None:
        """Show the window in front (a second launch, the tray's Open)."""
        window = self.window
        window.showNormal() if window.isMinimized() else window.show()
        window.raise_()
        window.activateWindow()

    def set_favourites(self, favourites: tuple[str, ...]) -> None:
        if self.window.has_page("library"):
            self.library_page.set_favourites(favourites)

    # -- a new language ------------------------------------------------------------------------------------
    def rebuild_pages(self) -> None:
        """A new language is active: every page is built again in it (the one on screen now, the others
        when next shown), the way the window builds them after a stay in the tray. What the person was
        looking at stays: the same page, the library's search text and filters, the routine on its page."""
        window = self.window
        if window.has_page("library"):
            self._kept_filters = self._library_page.filters()
        shown: Routine | None = None
        if window.current_page_name() == "detail":
            shown = cast("RoutineDetailPage", window.page("detail")).routine()
        window.rebuild_pages()
        if shown is not None:
            current = self.library.get(shown.id)
            self._fill_detail(current if current is not None else shown)

    # -- history, once it is open --------------------------------------------------------------------------
    def set_history(self, history: HistoryStore | None) -> None:
        self.history = history
        self.refresh_recent()

    def refresh_recent(self) -> None:
        if self.history is None:
            return
        try:
            sessions = self.history.list_sessions(limit=RECENT_SESSIONS_SCANNED, newest_first=True)
        except Exception as exc:  # A history problem must never block the library.
            log.warning("recent sessions unavailable: %s", exc)
            return
        recent: list[str] = []
        for record in sessions:
            if record.routine_id in self.library.routines and record.routine_id not in recent:
                recent.append(record.routine_id)
        self.recent = recent[:RECENT_ROUTINES_SHOWN]
        if self.window.has_page("library"):
            self.library_page.set_recent(self.recent)


def _restore_filters(page: LibraryPage, filters: Filters) -> None:
    """Choose ``filters`` on a freshly built library page (its boxes list the same values in any language)."""
    boxes = (
        (page.area_box, filters.area),
        (page.goal_box, filters.goal),
        (page.length_box, filters.length),
        (page.equipment_box, filters.equipment),
    )
    for box, value in boxes:
        if value is not None:
            box.setCurrentIndex(max(0, box.findData(value)))
    page.search.setText(filters.text)
