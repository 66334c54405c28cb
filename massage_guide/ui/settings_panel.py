"""One settings group as the Settings page draws it: a panel with a heading, labels beside their fields
where the page is wide enough and above them where it is not (long words, large text); notes sit below."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from massage_guide.ui import theme

PANEL_MAX_WIDTH: Final = 760  # beyond this a settings line reads as a table, not a form
LABEL_GAP: Final = 3 * theme.SPACE  # between a label and its field, when they sit side by side
FIELD_WIDTH: Final = 260  # the narrowest a drop-down list gets, so the fields line up down the page


class FieldCombo(QComboBox):
    """A settings drop-down list: at least FIELD_WIDTH wide and never narrower than its longest choice.

    A fixed minimum width would let the form squeeze the list below its words; asking for the choice's
    width instead makes a panel too narrow for label and list put the label above it."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(FIELD_WIDTH, hint.width()), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())


class _RowLabel(QLabel):
    """A form label as wide as the widest label of its panel (of its page, with a LabelColumn).

    QFormLayout decides to put a label above its field by that label's own width, yet lays the rows out
    by the widest label: equal widths keep the two in step, so a field is never squeezed below its words.
    The gap to the field is part of the label (the form's own spacing is left out of that decision)."""

    def __init__(self, text: str, peers: list[_RowLabel]) -> None:
        super().__init__(text)
        self._peers = peers
        peers.append(self)

    def _own_width(self) -> int:
        return super().sizeHint().width()

    def sizeHint(self) -> QSize:
        widest = max(peer._own_width() for peer in self._peers)
        return QSize(widest + LABEL_GAP, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())


class LabelColumn:
    """The row labels of several panels, kept one width so the fields line up from panel to panel down a
    page (each panel had its own column: a field moved from one group to the next)."""

    def __init__(self) -> None:
        self.labels: list[_RowLabel] = []

    def refresh(self) -> None:
        """Lay the panels out again after a label's words changed (another language): the column is as
        wide as the widest label, which may sit in another panel."""
        for label in self.labels:
            label.updateGeometry()


def settings_panel(
    heading: str, rows: Sequence[tuple[str, QWidget]], column: LabelColumn | None = None
) -> QFrame:
    """A panel of (label, field) rows; an empty label lets the field (a check box) span the row; a QLabel
    field is a note, shown under the rows at full width. Panels given one ``column`` share its width.

    A row whose label and field do not fit side by side puts the label above its field (QFormLayout's
    WrapLongRows), so a longer language or a larger text size reflows the panel instead of cutting it."""
    scale = max(1.0, theme.text_scale())  # large text: a wider panel, not cut words
    frame = QFrame()
    frame.setProperty("role", "panel")
    frame.setAccessibleName(heading)
    frame.setMaximumWidth(round(PANEL_MAX_WIDTH * scale))
    box = QVBoxLayout(frame)
    box.setContentsMargins(3 * theme.SPACE, 2 * theme.SPACE, 3 * theme.SPACE, 2 * theme.SPACE)
    box.setSpacing(theme.SPACE)
    title = QLabel(heading)
    title.setProperty("role", "heading")
    title.setWordWrap(True)
    box.addWidget(title)
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setHorizontalSpacing(0)  # the labels hold the gap (_RowLabel)
    form.setVerticalSpacing(theme.SPACE)
    notes: list[QLabel] = []
    labels: list[_RowLabel] = column.labels if column is not None else []
    for text, widget in rows:
        if isinstance(widget, QLabel):
            notes.append(widget)
        elif not text:
            # As wide as its words, as beside a label: a check box that spans the row would take clicks
            # on the empty space, and a button would stretch across the panel.
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, widget.sizePolicy().verticalPolicy())
            form.addRow(widget)
        else:
            label = _RowLabel(text, labels)
            label.setBuddy(widget)
            form.addRow(label, widget)
    box.addLayout(form)
    for note in notes:
        note.setWordWrap(True)
        box.addWidget(note)
    return frame
