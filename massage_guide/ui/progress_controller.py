"""Drives the progress page: reads the history through core and hands the page frozen figures, pages of
sessions and the outcome of exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from massage_guide.core import progress
from massage_guide.core.history import HistoryStore, local_now
from massage_guide.core.i18n import user_language
from massage_guide.core.library import Library
from massage_guide.core.os_errors import os_reason
from massage_guide.core.progress import SessionQuery
from massage_guide.core.settings import Settings
from massage_guide.ui.progress_page import ProgressPage
from massage_guide.ui.session_model import PageRequest


class ProgressController(QObject):
    """The one place the progress page's figures and sessions are read from the history.

    Signals: ``exported(str, int)`` (path, sessions written) after a successful export."""

    exported = Signal(str, int)

    def __init__(
        self,
        page: ProgressPage,
        *,
        today: Callable[[], date] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.page = page
        self._today = today or (lambda: local_now().date())
        self._store: HistoryStore | None = None
        self._library = Library(routines={})
        self._settings = Settings()
        page.sessions.page_requested.connect(self._read_page)
        page.sessions.export_requested.connect(self.export)

    def show_history(self, store: HistoryStore | None, library: Library, settings: Settings) -> None:
        """Take the history (None when it could not be opened), the library for titles and the settings,
        and show what they hold."""
        self._store, self._library, self._settings = store, library, settings
        self.refresh()

    def refresh(self) -> None:
        """Read the figures again (after a session, an import or a settings change)."""
        store = self._store
        if store is None:
            self.page.show_unavailable()
            return
        figures = progress.progress_figures(
            store,
            self._today(),
            rest_days_per_week=self._settings.streak_rest_days_per_week,
            show_streaks=self._settings.show_streaks,
        )
        self.page.show_figures(figures)
        language = user_language(self._settings.language)
        titles = {rid: r.title.get(language) for rid, r in self._library.summaries.items()}
        self.page.sessions.set_routines(titles)  # lists the newest sessions again

    def _read_page(self, request: object) -> None:
        if not isinstance(request, PageRequest) or self._store is None:
            return
        page = progress.session_page(self._store, request.query, request.cursor)
        self.page.sessions.add_page(request, page)

    def export(self, path: object, query: object) -> bool:
        """Write the sessions ``query`` matches to ``path`` and let the list say how it went."""
        if not isinstance(path, Path) or not isinstance(query, SessionQuery) or self._store is None:
            return False
        try:
            count = progress.export_matching(self._store, query, path)
        except OSError as error:
            self.page.sessions.show_export_problem(path, os_reason(error))
            return False
        self.page.sessions.show_exported(path, count)
        self.exported.emit(str(path), count)
        return True
