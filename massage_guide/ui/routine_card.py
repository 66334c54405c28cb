"""One routine as a rounded card: title, length, level, areas, equipment and a favourite heart."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPen, QPixmap, QPixmapCache
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QToolTip,
    QWidget,
)

from massage_guide.core import formatting, i18n
from massage_guide.core.i18n import _
from massage_guide.core.library import RoutineInfo
from massage_guide.core.model import area_label, equipment_label, level_label
from massage_guide.ui import icons, theme

CARD_WIDTH: Final = 256  # the narrowest card: two across beside the body map in a 900 px page
CARD_HEIGHT: Final = 160  # the least: larger text makes cards taller (card_height)
CARD_GAP: Final = 2 * theme.SPACE  # air between cards
HEART_SIZE: Final = theme.MIN_TARGET + 4  # the heart's click target
TEXT_CACHE_LIMIT: Final = 4096  # fitted card texts kept: a few screens' worth, a few hundred KB
_TITLE_LINES: Final = 2
_WRAP: Final = int(Qt.TextFlag.TextWordWrap)

AnyIndex = QModelIndex | QPersistentModelIndex
ROUTINE_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 1  # the RoutineInfo itself
ID_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 2
FAVOURITE_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 3


def areas_text(routine: RoutineInfo) -> str:
    return ", ".join(area_label(area) for area in routine.areas)


def equipment_text(routine: RoutineInfo) -> str:
    if not routine.equipment:
        return _("No equipment")
    # Names keep their capitals: German nouns are always capitalised.
    return ", ".join(equipment_label(item) for item in routine.equipment)


def meta_text(routine: RoutineInfo) -> str:
    """The card's length and level line: ``7:30 min  ·  Beginner``."""
    return f"{formatting.duration(routine.duration_seconds)}  ·  {level_label(routine.level)}"


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


def short_areas_text(routine: RoutineInfo, font: QFont, width: int) -> str:
    """The areas on one line: as many as fit, then ``+N more``."""
    metrics = QFontMetrics(font)
    names = [area_label(area) for area in routine.areas]
    for count in range(len(names), 0, -1):
        rest = len(names) - count
        more = " " + _("+{count} more").format(count=formatting.number(rest)) if rest else ""
        text = ", ".join(names[:count]) + more
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
        text = _("Remove from favourites") if on else _("Add to favourites")
        self.setToolTip(text)
        self.setAccessibleName(text)


class RoutineCardDelegate(QStyledItemDelegate):
    """Paints a routine as a rounded card (title, length and level, areas, equipment, a heart) in a list
    view's cell; a click on the heart toggles the favourite. Cards are painted, not widgets, so a library
    of 10,000 costs only the ones on screen. The view asks ``on_heart`` where a click landed."""

    def __init__(self, parent: QObject | None = None, *, language: str = "en") -> None:
        super().__init__(parent)
        self._language = language
        self.title_font = theme.font(1.15, bold=True)
        self.text_font = theme.font()
        self._line = QFontMetrics(self.text_font).lineSpacing()
        self._texts: dict[tuple[str, int], tuple[str, str, str, str]] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        # The view's grid cell: the view sets it so the cards share out the width it has.
        view = option.widget
        if isinstance(view, QListView) and view.gridSize().isValid():
            return view.gridSize()
        return QSize(CARD_WIDTH + CARD_GAP, self.card_height() + CARD_GAP)

    def card_height(self) -> int:
        """A card's height at the fonts in use: its padding, two title lines, a gap and the three lines
        below. CARD_HEIGHT alone let a two-line title run into the length line at the largest text size."""
        title = QFontMetrics(self.title_font).lineSpacing() * _TITLE_LINES
        lines = 3 * self._line + 2 * (theme.SPACE // 2)
        return max(CARD_HEIGHT, 2 * theme.SPACE + title + theme.SPACE + lines + 2 * theme.SPACE)

    def layout(self, card: QRectF) -> tuple[QRectF, tuple[QRectF, QRectF, QRectF]]:
        """Where a card's texts go: the title's box (it wraps from the top) and the length and level,
        areas and equipment lines, from the bottom up."""
        left = card.left() + 2 * theme.SPACE
        width = card.width() - 3 * theme.SPACE
        title = QRectF(left, card.top() + 2 * theme.SPACE, width - HEART_SIZE - theme.SPACE, card.height())
        bottom = card.bottom() - 2 * theme.SPACE
        gap = theme.SPACE // 2

        def line(row: int) -> QRectF:
            return QRectF(left, bottom - (row + 1) * self._line - row * gap, width, self._line)

        return title, (line(2), line(1), line(0))

    @staticmethod
    def card_rect(cell: QRect) -> QRectF:
        """The card inside its grid cell: half a gap of air on every side."""
        half = CARD_GAP / 2
        return QRectF(cell).adjusted(half, half, -half, -half)

    def _heart(self, card: QRectF) -> QRectF:
        return QRectF(
            card.right() - theme.SPACE - HEART_SIZE, card.top() + theme.SPACE, HEART_SIZE, HEART_SIZE
        )

    def texts(self, routine: RoutineInfo, width: int) -> tuple[str, str, str, str]:
        """Title (two lines at most), length and level, areas, equipment: fitted to a card ``width`` wide."""
        key = (routine.id, width)
        found = self._texts.get(key)
        if found is None:
            if len(self._texts) > TEXT_CACHE_LIMIT:
                self._texts.clear()
            line_width = width - 4 * theme.SPACE
            title_width = width - 3 * theme.SPACE - HEART_SIZE - theme.SPACE
            metrics = QFontMetrics(self.text_font)
            found = (
                fit_lines(routine.title.get(self._language), self.title_font, title_width, _TITLE_LINES),
                meta_text(routine),
                short_areas_text(routine, self.text_font, line_width),
                metrics.elidedText(equipment_text(routine), Qt.TextElideMode.ElideRight, line_width),
            )
            self._texts[key] = found
        return found

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        routine = index.data(ROUTINE_ROLE)
        cell: QRect = option.rect
        if routine is None or cell.width() < 1 or cell.height() < 1:  # not placed yet (batched layout)
            return
        state = option.state
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        favourite = bool(index.data(FAVOURITE_ROLE))
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        # A card is drawn once into a pixmap and then copied: scrolling repaints the whole visible page,
        # and copying a dozen pixmaps costs a tenth of drawing a dozen cards.
        key = (
            f"routine-card:{theme.current().name}:{i18n.active_language()}:{routine.id}:"
            f"{cell.width()}x{cell.height()}@{ratio}:"
            f"{int(favourite)}{int(hovered)}{int(focused)}"
        )
        pixmap = QPixmap()
        if not QPixmapCache.find(key, pixmap):
            pixmap = QPixmap(cell.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            # Opaque, on the page's own colour: copying it is a plain copy, blending would cost 5x more.
            pixmap.fill(QColor(theme.current().window))
            card_painter = QPainter(pixmap)
            self._draw(
                card_painter,
                routine,
                QRect(QPoint(0, 0), cell.size()),
                favourite=favourite,
                hovered=hovered,
                focused=focused,
            )
            card_painter.end()
            QPixmapCache.insert(key, pixmap)
        painter.drawPixmap(cell.topLeft(), pixmap)

    def _draw(
        self,
        painter: QPainter,
        routine: RoutineInfo,
        cell: QRect,
        *,
        favourite: bool,
        hovered: bool,
        focused: bool,
    ) -> None:
        palette = theme.current()
        card = self.card_rect(cell)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(palette.surface))
        painter.setPen(QPen(QColor(palette.accent if hovered else palette.border), 1.0))
        painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), theme.RADIUS, theme.RADIUS)
        if focused:
            # A calm accent ring shows where the keyboard is.
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(palette.accent), 2.0))
            painter.drawRoundedRect(card.adjusted(1, 1, -1, -1), theme.RADIUS, theme.RADIUS)
        title, meta, areas, equipment = self.texts(routine, int(card.width()))
        title_rect, (meta_rect, areas_rect, equipment_rect) = self.layout(card)
        painter.setPen(QColor(palette.text))
        painter.setFont(self.title_font)
        painter.drawText(
            title_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | _WRAP, title
        )
        painter.setFont(self.text_font)
        for text, muted, rect in (
            (equipment, True, equipment_rect),
            (areas, False, areas_rect),
            (meta, True, meta_rect),
        ):
            painter.setPen(QColor(palette.muted if muted else palette.text))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft), text)
        colour = palette.warm if favourite else palette.muted
        heart = self._heart(card)
        icon = icons.icon("heart", colour, filled=favourite)
        icon.paint(painter, heart.adjusted(8, 8, -8, -8).toRect())

    def on_heart(self, cell: QRect, position: QPointF) -> bool:
        """Whether a point of the view falls on the heart of the card in ``cell``."""
        return self._heart(self.card_rect(cell)).contains(position)

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: AnyIndex
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.on_heart(option.rect, QPointF(event.pos())):
            text = _("Remove from favourites") if index.data(FAVOURITE_ROLE) else _("Add to favourites")
            QToolTip.showText(event.globalPos(), text, view)
            return True
        return super().helpEvent(event, view, option, index)
