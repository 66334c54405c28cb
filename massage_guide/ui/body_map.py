"""The body map: front and back figures from bundled SVG, each area a clickable, highlightable region."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QPushButton, QSizePolicy, QVBoxLayout, QWidget

from massage_guide.core.i18n import _
from massage_guide.core.model import AREA_LABELS, AREAS, area_label, side_words
from massage_guide.ui import theme

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
VIEWS = ("front", "back")
FULL_BODY = "full_body"
_SVG_NS = "{http://www.w3.org/2000/svg}"
# Space under each figure for its "Front" / "Back" caption, in figure units (the figures are 440 tall).
# "Front" / "Back" under the figures: this share of the base text size, a small gap above it.
CAPTION_SCALE = 0.9
CAPTION_GAP = 2
_GAP_UNITS = 16  # between the two figures: small, so the pair fills its panel
# Every area can be hit on a target at least this many pixels each way, however small it is drawn: a small
# area (the jaw, the neck) gets a box this size around its visible part, and wins it over bigger neighbours.
HIT_MIN = 24
# A small area's box may take points from a big neighbour (the head around the face, the back), never from
# an area this small itself, which would then drop under HIT_MIN.
PROTECTED_SIZE = 1.5 * HIT_MIN
SIDES = ("left", "right")
# The head, face, jaw and neck are drawn within ~70 figure units, above the shoulders. When that column is
# shorter than three targets (face, jaw and neck stacked on the front), their HIT_MIN boxes overlap and eat
# each other. The head and the neck are drawn on both views, the face and the jaw only on the front, so
# then each view gives its head column to two areas, in two bands: the front to the face and the jaw, the
# back to the head and the neck. Every area keeps a target of HIT_MIN px on one of the views.
HEAD_BANDS: dict[str, tuple[str, str]] = {"front": ("face", "jaw"), "back": ("head", "neck")}
HEAD_COLUMN = ("head", "face", "jaw", "neck")
CROWDED_HEAD_TARGETS = 3
COMFORTABLE_SIZE = (360, 520)
# Order the arrow keys walk through the areas: top to bottom, as a person scans a body.
KEY_ORDER = (*(area for area in AREAS if area != FULL_BODY), FULL_BODY)


_HitLayout = tuple["Figure", QTransform, QTransform, dict[str, QRectF], dict[str, QRectF]]


@dataclass(frozen=True)
class Figure:
    """One view of the body: its bounds and its shapes in drawing order (``area`` None = plain body)."""

    view: str
    bounds: QRectF
    parts: tuple[tuple[str | None, QPainterPath], ...]

    @property
    def areas(self) -> frozenset[str]:
        return frozenset(area for area, _path in self.parts if area)

    def area_at(self, point: QPointF) -> str | None:
        """The area under ``point`` (figure units); the body outside any area counts as the full body."""
        for area, path in reversed(self.parts):
            if path.contains(point):
                return area or FULL_BODY
        return None


def _visible_rects(fig: Figure) -> dict[str, QRectF]:
    """Each area's visible part (what later shapes do not cover), as a bounding box in figure units."""
    found: dict[str, QRectF] = {}
    for position, (area, path) in enumerate(fig.parts):
        if area is None:
            continue
        visible = QPainterPath(path)
        for _later_area, later in fig.parts[position + 1 :]:
            if later.intersects(visible):
                visible = visible.subtracted(later)
        box = visible.boundingRect()
        found[area] = found[area].united(box) if area in found else box
    return found


@cache
def visible_rects(view: str) -> dict[str, QRectF]:
    """``_visible_rects`` of the bundled figure, worked out once per process."""
    return _visible_rects(figure(view))


_TOKEN = re.compile(r"[MmLlHhVvCcQqZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "Q": 4, "Z": 0}


def parse_path_data(data: str) -> QPainterPath:
    """SVG path data with M L H V C Q Z (absolute or relative) as a QPainterPath."""
    tokens = _TOKEN.findall(data)
    path = QPainterPath()
    x = y = start_x = start_y = 0.0
    command = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.isalpha():
            command = token
            index += 1
            if command in "Zz":
                path.closeSubpath()
                x, y = start_x, start_y
                continue
        elif not command:
            raise ValueError(f"path data must start with a command: {data[:20]!r}")
        upper = command.upper()
        count = _ARGS[upper]
        numbers = [float(value) for value in tokens[index : index + count]]
        if len(numbers) < count or any(value.isalpha() for value in tokens[index : index + count]):
            raise ValueError(f"path command {command} needs {count} numbers")
        index += count
        relative = command.islower()
        ox, oy = (x, y) if relative else (0.0, 0.0)
        if upper == "M":
            x, y = ox + numbers[0], oy + numbers[1]
            path.moveTo(x, y)
            start_x, start_y = x, y
            command = "l" if relative else "L"  # extra pairs after a move are lines
        elif upper == "L":
            x, y = ox + numbers[0], oy + numbers[1]
            path.lineTo(x, y)
        elif upper == "H":
            x = ox + numbers[0]
            path.lineTo(x, y)
        elif upper == "V":
            y = (y if relative else 0.0) + numbers[0]
            path.lineTo(x, y)
        elif upper == "C":
            c = [value + (ox if i % 2 == 0 else oy) for i, value in enumerate(numbers)]
            path.cubicTo(c[0], c[1], c[2], c[3], c[4], c[5])
            x, y = c[4], c[5]
        elif upper == "Q":
            c = [value + (ox if i % 2 == 0 else oy) for i, value in enumerate(numbers)]
            path.quadTo(c[0], c[1], c[2], c[3])
            x, y = c[2], c[3]
    return path


def _number(element: ET.Element, name: str) -> float:
    return float(element.get(name, "0"))


def _shape(element: ET.Element) -> QPainterPath | None:
    tag = element.tag.removeprefix(_SVG_NS)
    path = QPainterPath()
    if tag == "path":
        return parse_path_data(element.get("d", ""))
    if tag in ("ellipse", "circle"):
        rx = _number(element, "r" if tag == "circle" else "rx")
        ry = _number(element, "r" if tag == "circle" else "ry")
        path.addEllipse(QPointF(_number(element, "cx"), _number(element, "cy")), rx, ry)
        return path
    if tag == "rect":
        rect = QRectF(
            _number(element, "x"),
            _number(element, "y"),
            _number(element, "width"),
            _number(element, "height"),
        )
        radius = _number(element, "rx")
        path.addRoundedRect(rect, radius, radius)
        return path
    if tag == "polygon":
        values = [float(v) for v in _TOKEN.findall(element.get("points", ""))]
        points = [QPointF(values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
        if points:
            path.moveTo(points[0])
            for point in points[1:]:
                path.lineTo(point)
            path.closeSubpath()
        return path
    return None


def parse_figure(data: bytes, view: str) -> Figure:
    """Shapes of an SVG body figure: an element with an area id is that area, any other shape is body."""
    root = ET.fromstring(data)
    parts: list[tuple[str | None, QPainterPath]] = []
    for element in root.iter():
        path = _shape(element)
        if path is None:
            continue
        ident = element.get("id")
        area = ident if ident in AREA_LABELS else None
        path.setFillRule(Qt.FillRule.WindingFill)
        parts.append((area, path))
    box = [float(v) for v in root.get("viewBox", "0 0 200 456").split()]
    return Figure(view, QRectF(*box), tuple(parts))


@cache
def figure(view: str) -> Figure:
    """The bundled figure for ``front`` or ``back``, parsed once per process."""
    return parse_figure((ASSETS_DIR / f"body_{view}.svg").read_bytes(), view)


def _distance(a: QPointF, b: QPointF) -> float:
    return float(((a.x() - b.x()) ** 2 + (a.y() - b.y()) ** 2) ** 0.5)


def _mix(colour: str, other: str, amount: float) -> QColor:
    a, b = QColor(colour), QColor(other)
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


class BodyMapView(QWidget):
    """Front and back figures; hover names an area, a click or Enter asks for it.

    Signals: ``area_clicked(str)`` with an id from ``model.AREAS`` (``full_body`` for the figure itself).
    """

    area_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, interactive: bool = True) -> None:
        super().__init__(parent)
        self._selected: frozenset[str] = frozenset()
        self._highlight: str | None = None
        self._highlight_side: str | None = None
        self._hit_cache: tuple[tuple[int, int, bool], list[_HitLayout]] | None = None
        self._hover: str | None = None
        self._focus_area: str | None = None
        self._interactive = True
        self.setAccessibleName(_("Body map"))
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(140, 180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self._whole = QPushButton(_("Whole body"), self)
        self._whole.setCheckable(True)
        self._whole.setAccessibleName(_("Whole body"))
        self._whole.setToolTip(_("Routines for the whole body"))
        self._whole.clicked.connect(self._whole_clicked)
        layout.addWidget(self._whole, 0, Qt.AlignmentFlag.AlignHCenter)
        self.set_interactive(interactive)

    # -- state shown --------------------------------------------------------------------------------
    def set_selected(self, areas: Iterable[str]) -> None:
        """Areas chosen as a filter, drawn in the soft accent."""
        self._selected = frozenset(areas)
        self._whole.setChecked(FULL_BODY in self._selected)
        self.update()

    def selected(self) -> frozenset[str]:
        return self._selected

    def set_highlight(self, area: str | None, side: str | None = None) -> None:
        """The area a running step works on, drawn in the accent; with ``side`` "left" or "right", only that
        side of the body (the person's own side: on the right of the front view, the left of the back)."""
        self._highlight = area
        self._highlight_side = side if side in SIDES else None
        if area in AREA_LABELS:
            where = area_label(area)
            if self._highlight_side is not None:
                where = f"{where}, {side_words(self._highlight_side)}"
            self.setAccessibleDescription(_("Now: {area}").format(area=where))
        else:
            self.setAccessibleDescription("")
        self.update()

    def highlight_side(self) -> str | None:
        return self._highlight_side

    def highlight(self) -> str | None:
        return self._highlight

    def set_interactive(self, interactive: bool) -> None:
        """Whether hovering and clicking choose areas; the player shows the map read-only."""
        self._interactive = interactive
        self._whole.setVisible(interactive)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if interactive else Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor if interactive else Qt.CursorShape.ArrowCursor)
        if not interactive:
            self._set_hover(None)
        self.setToolTip(_("Choose where it aches") if interactive else "")

    def is_interactive(self) -> bool:
        return self._interactive

    def hovered_area(self) -> str | None:
        return self._hover

    def focused_area(self) -> str | None:
        return self._focus_area

    # -- geometry -----------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        # At this size the figures are drawn at their own scale (1 unit = 1 px), where every area, even the
        # jaw and the neck, gets its HIT_MIN target; smaller, the head's four areas cannot all have one.
        return QSize(*COMFORTABLE_SIZE)

    def target_size(self) -> QSize:
        """The smallest size at which every area still has a HIT_MIN target: the figures drawn at the scale
        where each view's head column holds its two bands (HEAD_BANDS), plus the captions and the button."""
        front, back = self._figures()
        scale = max(2 * HIT_MIN / self._head_column_units(fig) for fig in (front, back))
        width = front.bounds.width() + _GAP_UNITS + back.bounds.width()
        height = max(front.bounds.height(), back.bounds.height())
        caption = QFontMetrics(theme.font(CAPTION_SCALE, bold=True)).height() + CAPTION_GAP
        button = self._whole.sizeHint().height() + theme.SPACE if self._interactive else 0
        # 8: the canvas's 4 px inset on each side (_canvas); the 1 px more absorbs rounding.
        return QSize(math.ceil(width * scale) + 9, math.ceil(height * scale) + caption + button + 9)

    @staticmethod
    def _head_column_units(fig: Figure) -> float:
        """How tall the head column is (figure units): from the top of the figure to the shoulders."""
        shoulders = visible_rects(fig.view).get("shoulders")
        return (shoulders.top() if shoulders else fig.bounds.bottom()) - fig.bounds.top()

    def _figures(self) -> tuple[Figure, Figure]:
        return figure("front"), figure("back")

    def _canvas(self) -> QRectF:
        """The area the figures are drawn in: the widget minus the Whole body button."""
        rect = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        if self._whole.isVisible():
            rect.setBottom(self._whole.geometry().top() - theme.SPACE)
        return rect

    def _transforms(self) -> list[tuple[Figure, QTransform]]:
        """Figure units to widget pixels for each view, both scaled alike and centred, aspect kept."""
        front, back = self._figures()
        width = front.bounds.width() + _GAP_UNITS + back.bounds.width()
        figures_height = max(front.bounds.height(), back.bounds.height())
        canvas = self._canvas()
        # The captions need a line of text in pixels, whatever the figures' scale: reserve it first.
        caption = QFontMetrics(theme.font(CAPTION_SCALE, bold=True)).height() + CAPTION_GAP
        if canvas.width() <= 0 or canvas.height() - caption <= 0:
            return []
        scale = min(canvas.width() / width, (canvas.height() - caption) / figures_height)
        left = canvas.left() + (canvas.width() - width * scale) / 2
        top = canvas.top() + (canvas.height() - caption - figures_height * scale) / 2
        result = []
        for fig in (front, back):
            transform = QTransform()
            transform.translate(left, top)
            transform.scale(scale, scale)
            transform.translate(-fig.bounds.left(), -fig.bounds.top())
            result.append((fig, transform))
            left += (fig.bounds.width() + _GAP_UNITS) * scale
        return result

    def area_at(self, pos: QPointF) -> str | None:
        """The area under a widget position, or None off the figures.

        An area drawn smaller than HIT_MIN px either way also answers in a HIT_MIN box around its visible
        part: its own shape always wins, and where two such boxes meet, the nearer area does. A crowded
        head column answers in two bands (HEAD_BANDS)."""
        for fig, transform, inverse, small, bands in self._hit_layout():
            band = next((area for area, box in bands.items() if box.contains(pos)), None)
            if band is not None:
                return band
            exact = fig.area_at(inverse.map(pos))
            if exact in small or self._keeps_its_shape(fig, transform, exact):
                return exact
            near = [area for area, box in small.items() if box.contains(pos)]
            if near:
                return min(near, key=lambda area: _distance(small[area].center(), pos))
            if exact is not None:
                return exact
        return None

    def _hit_layout(self) -> list[_HitLayout]:
        """Per figure: its transform, the inverse, its small targets and head bands; once per size."""
        key = (self.width(), self.height(), self._whole.isVisible())
        if self._hit_cache is None or self._hit_cache[0] != key:
            found = []
            for fig, transform in self._transforms():
                inverse, ok = transform.inverted()
                if ok:
                    bands = self.head_bands(fig, transform)
                    small = self._small_targets(fig, transform)
                    if bands:
                        small = {area: box for area, box in small.items() if area not in HEAD_COLUMN}
                    found.append((fig, transform, inverse, small, bands))
            self._hit_cache = (key, found)
        return self._hit_cache[1]

    @staticmethod
    def head_bands(fig: Figure, transform: QTransform) -> dict[str, QRectF]:
        """The two bands (widget pixels) that share ``fig``'s head column when it is too short for
        CROWDED_HEAD_TARGETS targets stacked; none when it is tall enough (see HEAD_BANDS)."""
        rects = visible_rects(fig.view)
        upper, lower = HEAD_BANDS.get(fig.view, ("", ""))
        if "head" not in rects or "shoulders" not in rects or lower not in rects:
            return {}
        column = transform.mapRect(
            QRectF(rects["head"].left(), fig.bounds.top(), rects["head"].width(), 0).united(
                QRectF(rects["head"].left(), rects["shoulders"].top(), rects["head"].width(), 0)
            )
        )
        if column.height() >= CROWDED_HEAD_TARGETS * HIT_MIN:
            return {}
        grow = max(0.0, (HIT_MIN - column.width()) / 2)
        column.adjust(-grow, 0, grow, 0)
        # Split where the lower area begins, moved so that each band keeps HIT_MIN px when it can.
        split = transform.map(QPointF(0, rects[lower].top())).y()
        if column.height() >= 2 * HIT_MIN:
            split = min(max(split, column.top() + HIT_MIN), column.bottom() - HIT_MIN)
        else:
            split = column.center().y()
        return {
            upper: QRectF(column.left(), column.top(), column.width(), split - column.top()),
            lower: QRectF(column.left(), split, column.width(), column.bottom() - split),
        }

    @staticmethod
    def _keeps_its_shape(fig: Figure, transform: QTransform, area: str | None) -> bool:
        """A modest area (under PROTECTED_SIZE px) keeps its own shape: a small neighbour's box stops at it."""
        box = visible_rects(fig.view).get(area or "")
        if box is None:
            return False
        shown = transform.mapRect(box)
        return min(shown.width(), shown.height()) < PROTECTED_SIZE

    def _small_targets(self, fig: Figure, transform: QTransform) -> dict[str, QRectF]:
        """Areas drawn under HIT_MIN px either way, each with its HIT_MIN box (widget pixels)."""
        targets = {}
        for area, box in visible_rects(fig.view).items():
            shown = transform.mapRect(box)
            if shown.width() >= HIT_MIN and shown.height() >= HIT_MIN:
                continue
            grow_x = max(0.0, (HIT_MIN - shown.width()) / 2)
            grow_y = max(0.0, (HIT_MIN - shown.height()) / 2)
            targets[area] = shown.adjusted(-grow_x, -grow_y, grow_x, grow_y)
        return targets

    def area_center(self, area: str) -> QPointF | None:
        """A widget point inside ``area`` near the middle of its first shape (tests and tooltips use it)."""
        for fig, transform in self._transforms():
            for part_area, path in fig.parts:
                if part_area != area:
                    continue
                box = path.toSubpathPolygons()[0].boundingRect()
                centre = box.center()
                steps = 8
                candidates = [
                    QPointF(box.left() + box.width() * i / steps, box.top() + box.height() * j / steps)
                    for i in range(1, steps)
                    for j in range(1, steps)
                ]
                candidates.sort(key=lambda c: (c - centre).manhattanLength())
                for candidate in [centre, *candidates]:
                    point = transform.map(candidate)
                    if self.area_at(point) == area:
                        return point
        return None

    # -- painting -----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = QPen(QColor(p.body_line), 3.0)
        outline.setCosmetic(True)
        outline.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        seam_colour = QColor(p.body_line)
        seam_colour.setAlphaF(0.55)
        seam = QPen(seam_colour, 1.0)
        seam.setCosmetic(True)
        focus = QPen(QColor(p.text), 2.5, Qt.PenStyle.DashLine)  # seen on the body and on the accent
        focus.setCosmetic(True)
        hover_fill = _mix(p.body, p.accent_soft, 0.6)
        whole_on = FULL_BODY in self._selected
        for fig, transform in self._transforms():
            painter.setTransform(transform)
            # The outline: every shape stroked wide, then filled over, leaves only the silhouette's edge.
            painter.setPen(outline)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for _area, path in fig.parts:
                painter.drawPath(path)
            for area, path in fig.parts:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(self._fill(area, whole_on, hover_fill))
                painter.drawPath(path)
                if self._is_highlighted(area):
                    # Only the side the step works on: the other side keeps the plain body colour.
                    painter.save()
                    side_rect = self._side_rect(fig)
                    if side_rect is not None:
                        painter.setClipRect(side_rect)
                    painter.setBrush(QColor(p.accent))
                    painter.drawPath(path)
                    painter.restore()
                if area is not None:
                    painter.setPen(seam)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawPath(path)
            if self._focus_area and self.hasFocus():
                painter.setPen(focus)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for area, path in fig.parts:
                    if area == self._focus_area or (self._focus_area == FULL_BODY and area is None):
                        painter.drawPath(path)
            painter.resetTransform()
            self._caption(painter, fig, transform)
        painter.end()

    def _is_highlighted(self, area: str | None) -> bool:
        return self._highlight is not None and self._highlight in (area or FULL_BODY, FULL_BODY)

    def _side_rect(self, fig: Figure) -> QRectF | None:
        """The half of ``fig`` (figure units) on the highlighted side, or None for both sides."""
        if self._highlight_side is None:
            return None
        bounds = fig.bounds
        middle = bounds.center().x()
        # Front view: the person faces us, so their left is on our right. Back view: on our left.
        on_right = (self._highlight_side == "left") == (fig.view == "front")
        if on_right:
            return QRectF(middle, bounds.top(), bounds.right() - middle, bounds.height())
        return QRectF(bounds.left(), bounds.top(), middle - bounds.left(), bounds.height())

    def _fill(self, area: str | None, whole_on: bool, hover_fill: QColor) -> QColor:
        p = theme.current()
        key = area or FULL_BODY
        # Chosen areas are drawn in the accent: at least 3:1 against the plain body in every theme.
        if key in self._selected or whole_on:
            return QColor(p.accent)
        if self._interactive and self._hover is not None and self._hover in (key, FULL_BODY):
            return hover_fill
        return QColor(p.body)

    def _caption(self, painter: QPainter, fig: Figure, transform: QTransform) -> None:
        p = theme.current()
        bottom = transform.map(QPointF(fig.bounds.center().x(), fig.bounds.bottom()))
        label = _("Front") if fig.view == "front" else _("Back")
        hovering = self._hover if self._interactive else None
        if hovering is not None and fig.view == "front":
            label = area_label(hovering)
            painter.setPen(QColor(p.text))
            painter.setFont(theme.font(CAPTION_SCALE, bold=True))
        else:
            if hovering is not None:
                return
            painter.setPen(QColor(p.muted))
            painter.setFont(theme.font(CAPTION_SCALE))
        height = painter.fontMetrics().height()
        if hovering is not None:
            # The hovered name is centred under both figures, so it may be wider than one.
            rect = QRectF(0, bottom.y() + CAPTION_GAP, self.width(), height)
        else:
            # Each caption stays under its own figure; when the figures are drawn too small for the word,
            # it is left out rather than run into the other one ("FrontBack").
            room = (fig.bounds.width() + _GAP_UNITS) * transform.m11()
            if painter.fontMetrics().horizontalAdvance(label) > room:
                return
            rect = QRectF(bottom.x() - room / 2, bottom.y() + CAPTION_GAP, room, height)
        painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)

    # -- input --------------------------------------------------------------------------------------
    def _set_hover(self, area: str | None) -> None:
        if area == self._hover:
            return
        self._hover = area
        self.setToolTip(
            area_label(area) if area else (_("Choose where it aches") if self._interactive else "")
        )
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._interactive:
            self._set_hover(self.area_at(event.position()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: object) -> None:
        self._set_hover(None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._interactive and event.button() == Qt.MouseButton.LeftButton:
            area = self.area_at(event.position())
            if area is not None:
                self._focus_area = area
                self.area_clicked.emit(area)
                event.accept()
                return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if not self._interactive:
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            current = KEY_ORDER.index(self._focus_area) if self._focus_area in KEY_ORDER else -step
            self._focus_area = KEY_ORDER[(current + step) % len(KEY_ORDER)]
            self.setAccessibleDescription(area_label(self._focus_area))
            self.setToolTip(area_label(self._focus_area))
            self.update()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self._focus_area:
            self.area_clicked.emit(self._focus_area)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._focus_area is None:
            self._focus_area = next((a for a in KEY_ORDER if a in self._selected), KEY_ORDER[0])
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _whole_clicked(self) -> None:
        # The button shows the selection; the owner decides and calls set_selected.
        self._whole.setChecked(FULL_BODY in self._selected)
        self.area_clicked.emit(FULL_BODY)
