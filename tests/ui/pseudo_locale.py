"""Checks for a window shown under the pseudo-locale ``xx``: every text bracketed, none cut off.

Under ``xx`` every translated string reads ``⟦Text~~~⟧``, 30 % longer than the English. A word outside the
brackets was never marked for translation; a label or button narrower than its text would cut it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItemIterator,
    QWidget,
)

from massage_guide.core import i18n

# Names that stay as they are in every language.
NAMES = frozenset({"massage", "guide"})


@contextmanager
def pseudo_locale() -> Iterator[None]:
    """Speak the pseudo-locale inside the block, English again after it."""
    i18n.activate(i18n.PSEUDO_LANGUAGE)
    try:
        yield
    finally:
        i18n.activate("en")


def outside_brackets(text: str, allowed: Collection[str] = ()) -> list[str]:
    """Words of ``text`` outside ⟦brackets⟧ (nested ones too) that are neither names nor in ``allowed``."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z_]+", text)
    known = NAMES | {word.lower() for word in allowed}
    return [word for word in words if word.lower() not in known]


def _inside(widget: QWidget, kinds: tuple[type[QWidget], ...]) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, kinds):
            return True
        current = current.parentWidget()
    return False


def shown_texts(window: QWidget, skip: tuple[type[QWidget], ...] = ()) -> list[tuple[str, str]]:
    """(where, text) for what a person reads or hears of ``window``: its title, labels, buttons, tooltips,
    accessible names, placeholders, the chosen entry of drop-downs, spin box units, menus and list rows.
    What a person typed into a field is data, not ours, and is left out; so are widgets of the ``skip``
    kinds (another part's own widgets, checked by that part's test)."""
    found: list[tuple[str, str]] = [("window title", window.windowTitle())]
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        if (not widget.isVisibleTo(window) and widget is not window) or _inside(widget, skip):
            continue
        kind = type(widget).__name__
        found += [(f"{kind} tooltip", widget.toolTip()), (f"{kind} name", widget.accessibleName())]
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((kind, widget.text()))
        elif (
            isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QAbstractSpinBox)
        ) or isinstance(widget, QPlainTextEdit):
            found.append((f"{kind} placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            found.append((kind, widget.currentText()))
        elif isinstance(widget, QSpinBox | QDoubleSpinBox):
            found.append((f"{kind} unit", widget.suffix()))
        elif isinstance(widget, QToolBar):
            found += [(f"{kind} action", action.text()) for action in widget.actions() if action.isVisible()]
        elif isinstance(widget, QTreeWidget):
            rows = QTreeWidgetItemIterator(widget)
            while rows.value() is not None:
                item = rows.value()
                found += [("list row", item.text(0)), ("list row tooltip", item.toolTip(0))]
                rows += 1
    return [(where, text) for where, text in found if text.strip()]


def menu_texts(menu: QMenu) -> list[tuple[str, str]]:
    """Every entry of ``menu`` and its submenus."""
    found = [("menu", menu.title())] if menu.title() else []
    for action in menu.actions():
        if action.menu() is not None:
            found += menu_texts(action.menu())  # type: ignore[arg-type]
        elif action.text():
            found.append(("menu entry", action.text()))
    return found


def untranslated(texts: list[tuple[str, str]], allowed: Collection[str] = ()) -> list[str]:
    """The texts with words outside the brackets, as ``where: text`` lines for an assertion message."""
    return [f"{where}: {text!r}" for where, text in texts if outside_brackets(text, allowed)]


def clipped(window: QWidget, skip: tuple[type[QWidget], ...] = ()) -> list[str]:
    """Visible one-line labels and buttons narrower than their text (wrapping labels grow instead)."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or _inside(widget, skip):
            continue
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            needed = max(widget.fontMetrics().horizontalAdvance(line) for line in widget.text().splitlines())
            room = widget.contentsRect().width()
        elif isinstance(widget, QAbstractButton) and widget.text():
            needed, room = widget.sizeHint().width(), widget.width()
        else:
            continue
        if room < needed:
            problems.append(f"{type(widget).__name__} {widget.text()!r}: {room} px for {needed} px")
    return problems
