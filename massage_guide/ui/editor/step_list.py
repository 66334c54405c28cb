"""The editor's step list: steps and blocks as a tree, reordered by drag and drop or by the keyboard."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QDropEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from massage_guide.core.document import Item, RepeatBlock, SidesBlock, StepItem
from massage_guide.core.i18n import N_, _, ngettext
from massage_guide.ui import icons, theme

ITEM_ROLE = Qt.ItemDataRole.UserRole
MOVE_KEYS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
SIDE_NAMES = {"left": N_("left side"), "right": N_("right side"), "both": N_("both sides")}


def _side(side: str) -> str:
    return _(SIDE_NAMES[side]) if side in SIDE_NAMES else side


def item_label(item: Item) -> str:
    """How an item reads in the list: title, length and side, or what a block does."""
    if isinstance(item, RepeatBlock):
        if isinstance(item.repeat, int):
            return ngettext("Repeat {count} time", "Repeat {count} times", item.repeat).format(
                count=item.repeat
            )
        return _("Repeat {count} times").format(count=item.repeat)
    if isinstance(item, SidesBlock):
        return _("Each side: {sides}").format(sides=_(", then ").join(_side(side) for side in item.sides))
    title = item.title.get("en").strip() or _("Untitled step")
    details = [str(item.duration)]  # as the file writes it (45s): the format's own letters
    if item.side:
        side = _side(item.side)
        details.append(_("{side}, then the other side").format(side=side) if item.mirror else side)
    return f"{title}  ·  {'  ·  '.join(details)}"


class StepList(QTreeWidget):
    """Steps and blocks in file order; blocks hold their steps as children.

    Ctrl+Up / Ctrl+Down move the selected item, Ctrl+Right moves it into the block above it and Ctrl+Left
    out of its block; Delete removes it, Insert adds a step after it.

    Signals: ``structure_changed()`` after an add, remove or move; ``current_path_changed(str)`` the
    selected item's place in the file (``steps[2].steps[0]``, or "" for none)."""

    structure_changed = Signal()
    current_path_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName(_("Steps"))
        self.setToolTip(
            _(
                "Drag to reorder, or Ctrl+Up / Ctrl+Down; Ctrl+Right into the block above, Ctrl+Left out of a "
                "block. Delete removes, Insert adds a step."
            )
        )
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setMinimumWidth(280)
        self.setIconSize(icons.icon_size())
        self.currentItemChanged.connect(lambda *_args: self.current_path_changed.emit(self.current_path()))
        # Rows that change by themselves (a drop moves them through the model) are told once they settle:
        # a move is a removal and an insertion, and only the whole of it is a new order.
        self._own_change = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(0)
        self._settle.timeout.connect(self.structure_changed)
        model = self.model()
        model.rowsInserted.connect(self._rows_changed)
        model.rowsRemoved.connect(self._rows_changed)
        model.rowsMoved.connect(self._rows_changed)

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """A change this list makes itself, and announces itself when done."""
        self._own_change = True
        try:
            yield
        finally:
            self._own_change = False

    def _rows_changed(self, *_where: QModelIndex | QPersistentModelIndex | int) -> None:
        if not self._own_change:
            self._settle.start()

    # -- items in and out -----------------------------------------------------------------------------
    def load(self, items: Iterable[Item]) -> None:
        self.blockSignals(True)
        with self._changing():
            self.clear()
            for item in items:
                self.addTopLevelItem(self._row(item))
        self.expandAll()
        self.blockSignals(False)

    def _row(self, item: Item) -> QTreeWidgetItem:
        row = QTreeWidgetItem()
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        if isinstance(item, RepeatBlock | SidesBlock):
            flags |= Qt.ItemFlag.ItemIsDropEnabled  # steps can be dropped into a block, never into a step
            for inner in item.steps:
                row.addChild(self._row(inner))
            item = replace(item, steps=())
        row.setFlags(flags)
        row.setData(0, ITEM_ROLE, item)
        row.setText(0, item_label(item))
        return row

    def items(self) -> tuple[Item, ...]:
        """The list as document items, blocks with their steps."""
        return tuple(self._item(row) for row in self._top_rows())

    def _top_rows(self) -> list[QTreeWidgetItem]:
        rows = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [row for row in rows if row is not None]

    @staticmethod
    def _children(row: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        children = (row.child(i) for i in range(row.childCount()))
        return [child for child in children if child is not None]

    def _item(self, row: QTreeWidgetItem) -> Item:
        item: Item = row.data(0, ITEM_ROLE)
        if isinstance(item, RepeatBlock | SidesBlock):
            return replace(item, steps=tuple(self._item(child) for child in self._children(row)))
        return item

    def current_item_value(self) -> Item | None:
        row = self.currentItem()
        return None if row is None else self._item(row)

    def set_current_value(self, item: Item) -> None:
        """Replace the selected item's own fields (a block keeps its children)."""
        row = self.currentItem()
        if row is None:
            return
        if isinstance(item, RepeatBlock | SidesBlock):
            item = replace(item, steps=())
        row.setData(0, ITEM_ROLE, item)
        row.setText(0, item_label(item))

    def current_path(self) -> str:
        row = self.currentItem()
        return "" if row is None else self.path_of(row)

    def path_of(self, row: QTreeWidgetItem) -> str:
        parts: list[str] = []
        current: QTreeWidgetItem | None = row
        while current is not None:
            parent = current.parent()
            index = parent.indexOfChild(current) if parent is not None else self.indexOfTopLevelItem(current)
            parts.append(f"steps[{index}]")
            current = parent
        return ".".join(reversed(parts))

    def select_path(self, path: str) -> None:
        for row in self._rows():
            if self.path_of(row) == path:
                self.setCurrentItem(row)
                return

    def _rows(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []

        def visit(row: QTreeWidgetItem) -> None:
            found.append(row)
            for child in self._children(row):
                visit(child)

        for row in self._top_rows():
            visit(row)
        return found

    def mark_problems(self, paths: Collection[str]) -> None:
        """Flag the items that have a problem (by their path), so a person finds them in a long list."""
        warning = icons.icon("warning", theme.current().danger)
        for row in self._rows():
            path = self.path_of(row)
            bad = any(p == path or p.startswith(path + ".") for p in paths)
            row.setIcon(0, warning if bad else QIcon())
            row.setToolTip(0, _("This step has a problem: select it to see what") if bad else "")

    # -- editing (each announces itself with structure_changed) --------------------------------------
    def add(self, item: Item) -> None:
        """Add ``item`` after the selected one (inside the selected block when a block is selected)."""
        with self._changing():
            row = self._row(item)
            current = self.currentItem()
            if current is None:
                self.addTopLevelItem(row)
            elif isinstance(current.data(0, ITEM_ROLE), RepeatBlock | SidesBlock) and current.isExpanded():
                current.addChild(row)
            else:
                self._insert_after(current, row)
            row.setExpanded(True)
            self.setCurrentItem(row)
            self.structure_changed.emit()

    def _insert_after(self, anchor: QTreeWidgetItem, row: QTreeWidgetItem) -> None:
        parent = anchor.parent()
        if parent is None:
            self.insertTopLevelItem(self.indexOfTopLevelItem(anchor) + 1, row)
        else:
            parent.insertChild(parent.indexOfChild(anchor) + 1, row)

    def duplicate_current(self) -> None:
        with self._changing():
            row = self.currentItem()
            if row is None:
                return
            copy = self._row(self._item(row))
            self._insert_after(row, copy)
            copy.setExpanded(True)
            self.setCurrentItem(copy)
            self.structure_changed.emit()

    def remove_current(self) -> None:
        with self._changing():
            row = self.currentItem()
            if row is None:
                return
            parent = row.parent()
            if parent is None:
                self.takeTopLevelItem(self.indexOfTopLevelItem(row))
            else:
                parent.removeChild(row)
            self.structure_changed.emit()

    def move_current(self, delta: int) -> None:
        """Move the selected item up (-1) or down (+1) among its neighbours."""
        with self._changing():
            row = self.currentItem()
            if row is None:
                return
            parent = row.parent()
            count = parent.childCount() if parent is not None else self.topLevelItemCount()
            index = parent.indexOfChild(row) if parent is not None else self.indexOfTopLevelItem(row)
            target = index + delta
            if not 0 <= target < count:
                return
            expanded = row.isExpanded()
            if parent is None:
                self.takeTopLevelItem(index)
                self.insertTopLevelItem(target, row)
            else:
                parent.takeChild(index)
                parent.insertChild(target, row)
            row.setExpanded(expanded)
            self.setCurrentItem(row)
            self.structure_changed.emit()

    def move_out_of_block(self) -> None:
        """Move the selected item out of its block, to just after the block."""
        with self._changing():
            row = self.currentItem()
            parent = row.parent() if row is not None else None
            if row is None or parent is None:
                return
            parent.removeChild(row)
            self._insert_after(parent, row)
            row.setExpanded(True)
            self.setCurrentItem(row)
            self.structure_changed.emit()

    def move_into_block(self) -> None:
        """Move the selected item into the block just above it, as that block's last step."""
        with self._changing():
            row = self.currentItem()
            if row is None:
                return
            parent = row.parent()
            index = parent.indexOfChild(row) if parent is not None else self.indexOfTopLevelItem(row)
            above = parent.child(index - 1) if parent is not None else self.topLevelItem(index - 1)
            if (
                index == 0
                or above is None
                or not isinstance(above.data(0, ITEM_ROLE), RepeatBlock | SidesBlock)
            ):
                return
            if parent is None:
                self.takeTopLevelItem(index)
            else:
                parent.takeChild(index)
            above.addChild(row)
            above.setExpanded(True)
            self.setCurrentItem(row)
            self.structure_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and key in MOVE_KEYS:
            self.move_current(MOVE_KEYS[Qt.Key(key)])
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_Left:
            self.move_out_of_block()
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_Right:
            self.move_into_block()
            return
        if key == Qt.Key.Key_Delete:
            self.remove_current()
            return
        if key == Qt.Key.Key_Insert:
            self.add(StepItem())
            return
        super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        moved = self.currentItem()
        super().dropEvent(event)  # moves the rows through the model: structure_changed follows once settled
        if moved is not None:
            self.setCurrentItem(moved)
