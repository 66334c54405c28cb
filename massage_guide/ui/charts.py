"""What the progress page's charts and panels share: sizes, colours, wrapping labels and a base view painted
in the palette."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget

# Fixed minute bands rather than quantiles: a 10-minute day looks the same in every month, so the
# calendar never makes an ordinary day look poor next to an unusually long one.
HEAT_BANDS: Final = (5.0, 15.0, 30.0)  # minutes: below 5, 5-15, 15-30, 30 and more
CELL_GAP: Final = 3  # px between heat-map cells
MIN_CELL: Final = 8.0  # px; smaller squares cannot be told apart or hovered
MAX_CELL: Final = 30.0  # px; larger ones turn a calendar into a chequerboard
HIT_RADIUS: Final = 12  # px around a trend point or bar that shows its tooltip
PAST_WEEK_OPACITY: Final = 0.6  # past weeks' bars a little softer, so this week stands out without shouting
# A wrapping label may narrow to this many average characters: most words of any language still fit on a
# line, and longer text (German, the largest text size) wraps instead of widening the page.
MIN_LINE_CHARS: Final = 12


def blend(low: str, high: str, amount: float) -> QColor:
    a, b = QColor(low), QColor(high)
    t = max(0.0, min(1.0, amount))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def wrapping(label: QLabel) -> QLabel:
    """``label``, made to wrap its words and to narrow with the window (Qt would otherwise ask for its
    current width as its minimum and push the page wider than the screen)."""
    label.setWordWrap(True)
    label.setMinimumWidth(label.fontMetrics().averageCharWidth() * MIN_LINE_CHARS)
    return label


class ChartView(QWidget):
    """Shared set-up: expands sideways, has a minimum height, shows tooltips from ``tooltip_at``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def tooltip_at(self, pos: QPointF) -> str | None:  # pragma: no cover - overridden
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _painter(self) -> QPainter:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        return painter
