"""A grid of painted routine cards over a list model: as many columns as fit, cards as wide as they can be."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QScrollArea, QSizePolicy, QWidget

from massage_guide.ui.library_model import RoutineListModel
from massage_guide.ui.routine_card import (
    CARD_GAP,
    CARD_WIDTH,
    FAVOURITE_ROLE,
    ID_ROLE,
    RoutineCardDelegate,
)

# Never stretch a card past this, however wide the window: long lines are hard to read from afar.
CARD_MAX_WIDTH: Final = 420
LAYOUT_BATCH: Final = 120  # cards placed per turn of the event loop: a tall screen's worth, about 4 ms
_OPEN_KEYS: Final = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)


class CardGridView(QListView):
    """Routine cards in rows that wrap, sized to show every row: the page's own scroll area scrolls them,
    and only the cards on screen are painted. Arrow keys move, Enter or Space opens, F toggles the heart.

    Signals: ``open_requested(str)`` routine id; ``favourite_requested(str, bool)`` id and the state asked."""

    open_requested = Signal(str)
    favourite_requested = Signal(str, bool)

    def __init__(
        self,
        model: RoutineListModel,
        delegate: RoutineCardDelegate,
        *,
        name: str,
        scroll_area: QScrollArea | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._scroll_area = scroll_area
        self._delegate = delegate
        self._columns = 1
        self._released_on_heart = False
        self.setModel(model)
        self.setItemDelegate(delegate)
        self.setAccessibleName(name)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        # Every card is the same size: the view places 10,000 without asking each one for its size.
        self.setUniformItemSizes(True)
        # Placing a card still costs a call into the Python model: place the first screens at once and the
        # rest a batch per turn of the event loop, so a keystroke on 10,000 cards stays within a frame.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(LAYOUT_BATCH)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QListView { background: transparent; border: none; }")
        self.viewport().setAutoFillBackground(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.clicked.connect(self._clicked)
        model.modelReset.connect(self._fit)
        self._fit()

    def card_model(self) -> RoutineListModel:
        model = self.model()
        assert isinstance(model, RoutineListModel)
        return model

    # -- size: every row shown, cards as wide as the width allows

    def columns(self) -> int:
        return self._columns

    def cell_size(self) -> QSize:
        return self.gridSize()

    def _fit(self) -> None:
        # One pixel to spare: a row exactly as wide as the view makes QListView wrap before its first card.
        width = max(self.viewport().width() - 1, CARD_WIDTH + CARD_GAP)
        columns = max(1, width // (CARD_WIDTH + CARD_GAP))
        cell_width = min(width // columns, CARD_MAX_WIDTH + CARD_GAP)
        cell = QSize(cell_width, self._delegate.card_height() + CARD_GAP)
        if cell != self.gridSize():
            self.setGridSize(cell)
        self._columns = columns
        rows = -(-self.card_model().rowCount() // columns)
        self.setFixedHeight(rows * cell.height())

    def sizeHint(self) -> QSize:
        return QSize(3 * (CARD_WIDTH + CARD_GAP), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(CARD_WIDTH + CARD_GAP, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()

    # -- behaviour

    def current_routine_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def focus_first(self) -> None:
        """Put the keyboard on the first card."""
        first = self.model().index(0, 0)
        if first.isValid():
            self.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.setFocus(Qt.FocusReason.TabFocusReason)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        self._released_on_heart = index.isValid() and self._delegate.on_heart(
            self.visualRect(index), event.position()
        )
        super().mouseReleaseEvent(event)
        self._released_on_heart = False

    def _clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        if self._released_on_heart:
            self.favourite_requested.emit(index.data(ID_ROLE), not bool(index.data(FAVOURITE_ROLE)))
        else:
            self.open_requested.emit(index.data(ID_ROLE))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if index.isValid() and event.key() in _OPEN_KEYS and not event.modifiers():
            self.open_requested.emit(index.data(ID_ROLE))
            event.accept()
            return
        if index.isValid() and event.key() == Qt.Key.Key_F and not event.modifiers():
            self.favourite_requested.emit(index.data(ID_ROLE), not bool(index.data(FAVOURITE_ROLE)))
            event.accept()
            return
        super().keyPressEvent(event)

    def currentChanged(
        self, current: QModelIndex | QPersistentModelIndex, previous: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().currentChanged(current, previous)
        content = self._scroll_area.widget() if self._scroll_area is not None else None
        if current.isValid() and self._scroll_area is not None and content is not None:
            # This view shows all its rows; the page scrolls, so bring the card into the page's view.
            rect = self.visualRect(current)
            top_left = self.viewport().mapTo(content, rect.topLeft())
            self._scroll_area.ensureVisible(
                top_left.x() + rect.width() // 2, top_left.y() + rect.height() // 2, 0, rect.height() // 2 + 4
            )
