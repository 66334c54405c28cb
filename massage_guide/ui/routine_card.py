"""One routine as a rounded card: title, length, level, areas, equipment and a favourite heart."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from massage_guide.core.model import AREA_LABELS, EQUIPMENT_LABELS, Routine
from massage_guide.ui import icons, theme

CARD_WIDTH = 256  # two across beside the body map in a 900 px page, three in a wider one
CARD_HEIGHT = 160
_TEXT_WIDTH = CARD_WIDTH - 3 * 8 - 36  # card margins and the heart
_TITLE_LINES = 2


def minutes_text(seconds: int) -> str:
    """A routine's length as a person says it: ``under 1 min``, ``9 min``, ``1 h 5 min``."""
    if seconds < 60:
        return "under 1 min"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def areas_text(routine: Routine) -> str:
    return ", ".join(AREA_LABELS.get(area, area) for area in routine.areas)


def equipment_text(routine: Routine) -> str:
    if not routine.equipment:
        return "No equipment"
    names = [EQUIPMENT_LABELS.get(item, item) for item in routine.equipment]
    return ", ".join([names[0], *(name.lower() for name in names[1:])])


def fit_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """``text`` cut at a word and ended with an ellipsis so it wraps into at most ``lines`` lines."""
    metrics = QFontMetrics(font)
    flags = int(Qt.TextFlag.TextWordWrap)
    limit = metrics.lineSpacing() * lines + 1

    def fits(candidate: str) -> bool:
        return metrics.boundingRect(0, 0, width, 10_000, flags, candidate).height() <= limit

    if fits(text):
        return text
    words = text.split()
    while len(words) > 1 and not fits(" ".join(words) + "…"):
        words.pop()
    return " ".join(words).rstrip(",:;") + "…"


def short_areas_text(routine: Routine, font: QFont, width: int) -> str:
    """The areas on one line: as many as fit, then ``+N more``."""
    metrics = QFontMetrics(font)
    names = [AREA_LABELS.get(area, area) for area in routine.areas]
    for count in range(len(names), 0, -1):
        rest = len(names) - count
        text = ", ".join(names[:count]) + (f" +{rest} more" if rest else "")
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(names[0], Qt.TextElideMode.ElideRight, width) if names else ""


class FavouriteButton(QToolButton):
    """A heart that shows and toggles whether a routine is a favourite."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setFixedSize(theme.MIN_TARGET + 4, theme.MIN_TARGET + 4)
        self.setIconSize(QSize(20, 20))
        # The app style sheet's button sizes would otherwise override the fixed size set above.
        side = theme.MIN_TARGET + 4
        self.setStyleSheet(
            f"QToolButton {{ border: none; background: transparent; padding: 0; min-width: {side}px; "
            f"min-height: {side}px; max-width: {side}px; max-height: {side}px; }}"
            # Its own sheet wins over the app's, so the keyboard focus ring is asked for here too.
            f"QToolButton:focus {{ border: 2px solid {theme.current().focus}; border-radius: 8px; }}"
        )
        self.toggled.connect(self._refresh)
        self._refresh(False)

    def _refresh(self, on: bool) -> None:
        palette = theme.current()
        self.setIcon(icons.icon("heart", palette.warm if on else palette.muted, filled=on))
        text = "Remove from favourites" if on else "Add to favourites"
        self.setToolTip(text)
        self.setAccessibleName(text)


class RoutineCard(QFrame):
    """A focusable card; a click, Enter or Space opens the routine.

    Signals: ``activated(str)`` routine id; ``favourite_toggled(str, bool)``.
    """

    activated = Signal(str)
    favourite_toggled = Signal(str, bool)

    def __init__(
        self,
        routine: Routine,
        *,
        language: str = "en",
        favourite: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.routine = routine
        self.setProperty("role", "card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedSize(CARD_WIDTH, CARD_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        title = routine.title.get(language)
        length = minutes_text(routine.duration_seconds)
        title_font = theme.font(1.15, bold=True)
        self.title_label = QLabel(fit_lines(title, title_font, _TEXT_WIDTH, _TITLE_LINES))
        self.title_label.setWordWrap(True)
        self.title_label.setFont(title_font)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.heart = FavouriteButton(self)
        self.heart.setChecked(favourite)
        self.heart.toggled.connect(lambda on: self.favourite_toggled.emit(routine.id, on))
        self.meta_label = QLabel(f"{length}  ·  {routine.level.capitalize()}")
        self.meta_label.setProperty("role", "muted")
        # The text column: the card less its margins (2 + 1 spacing units), its border and a little air.
        line_width = CARD_WIDTH - 4 * theme.SPACE
        self.areas_label = QLabel(short_areas_text(routine, theme.font(), line_width))
        self.equipment_label = QLabel(
            QFontMetrics(theme.font()).elidedText(
                equipment_text(routine), Qt.TextElideMode.ElideRight, line_width
            )
        )
        self.equipment_label.setProperty("role", "muted")

        top = QHBoxLayout()
        top.setSpacing(theme.SPACE)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.heart, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2 * theme.SPACE, 2 * theme.SPACE, theme.SPACE, 2 * theme.SPACE)
        layout.setSpacing(theme.SPACE // 2)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.areas_label)
        layout.addWidget(self.equipment_label)

        self.setAccessibleName(f"{title}, {length}, {routine.level}")
        self.setAccessibleDescription(f"{areas_text(routine)}. {equipment_text(routine)}.")
        self.setToolTip(routine.summary.get(language))

    @property
    def routine_id(self) -> str:
        return self.routine.id

    def set_favourite(self, on: bool) -> None:
        """Show the heart filled or empty without emitting ``favourite_toggled``."""
        self.heart.blockSignals(True)
        self.heart.setChecked(on)
        self.heart.blockSignals(False)
        self.heart._refresh(on)

    def is_favourite(self) -> bool:
        return self.heart.isChecked()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.activated.emit(self.routine.id)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.routine.id)
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            # The style sheet has no focus state for cards; a calm accent ring shows where the keyboard is.
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pen = QPen(QColor(theme.current().accent), 2.0)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), theme.RADIUS, theme.RADIUS)
            painter.end()
