"""The library's list model: routine summaries as rows, filtered in place, favourites as a role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QObject, Qt

from massage_guide.core import formatting
from massage_guide.core.i18n import _
from massage_guide.core.library import RoutineInfo
from massage_guide.core.library_search import Filters, SearchIndex
from massage_guide.core.model import level_label
from massage_guide.ui.routine_card import (
    FAVOURITE_ROLE,
    ID_ROLE,
    ROUTINE_ROLE,
    AnyIndex,
    areas_text,
    equipment_text,
)

_DISPLAY: Final = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP: Final = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE_TEXT: Final = int(Qt.ItemDataRole.AccessibleTextRole)
_ACCESSIBLE_DESCRIPTION: Final = int(Qt.ItemDataRole.AccessibleDescriptionRole)


class RoutineListModel(QAbstractListModel):
    """Routines in a given order; ``set_filters`` shows only those that pass, without copying a thing."""

    def __init__(self, parent: QObject | None = None, *, language: str = "en") -> None:
        super().__init__(parent)
        self._language = language
        self._all: list[RoutineInfo] = []
        self._index = SearchIndex(self._all, language)
        self._rows: list[RoutineInfo] = []
        self._favourites: frozenset[str] = frozenset()
        self._filters = Filters()

    # -- content

    def set_routines(self, routines: Iterable[RoutineInfo]) -> None:
        """Show these routines, in this order, through the current filters."""
        self._all = list(routines)
        self._index = SearchIndex(self._all, self._language)
        self.set_filters(self._filters, force=True)

    def set_filters(self, filters: Filters, *, force: bool = False) -> None:
        if filters == self._filters and not force:
            return
        self._filters = filters
        rows = self._index.rows(filters) if filters.active else range(len(self._all))
        self.beginResetModel()
        self._rows = [self._all[row] for row in rows] if filters.active else self._all
        self.endResetModel()

    def prepare_search(self) -> None:
        """Build the search index now (it is otherwise built on the first search)."""
        self._index.prepare()

    def set_favourites(self, ids: Iterable[str]) -> None:
        """Mark these routines as favourites (the hearts repaint; nothing else changes)."""
        self._favourites = frozenset(ids)
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [FAVOURITE_ROLE])

    def routine_ids(self) -> list[str]:
        return [routine.id for routine in self._rows]

    def row_of(self, routine_id: str) -> int:
        """The row showing this routine, or -1."""
        return next((row for row, routine in enumerate(self._rows) if routine.id == routine_id), -1)

    def routine_at(self, row: int) -> RoutineInfo:
        return self._rows[row]

    def total(self) -> int:
        """How many routines there are before filtering."""
        return len(self._all)

    # -- Qt's model interface

    def rowCount(self, parent: AnyIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        routine = self._rows[index.row()]
        if role == ROUTINE_ROLE:
            return routine
        if role == ID_ROLE:
            return routine.id
        if role == FAVOURITE_ROLE:
            return routine.id in self._favourites
        if role == _DISPLAY:
            return routine.title.get(self._language)
        if role == _TOOLTIP:
            return routine.summary.get(self._language)
        if role == _ACCESSIBLE_TEXT:
            length = formatting.duration(routine.duration_seconds)
            return f"{routine.title.get(self._language)}, {length}, {level_label(routine.level)}"
        if role == _ACCESSIBLE_DESCRIPTION:
            heart = (
                _("A favourite; F changes it.")
                if routine.id in self._favourites
                else _("Not a favourite; F changes it.")
            )
            return f"{areas_text(routine)}. {equipment_text(routine)}. {heart}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
