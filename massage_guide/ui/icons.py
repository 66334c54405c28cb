"""The app's one icon set: simple 24 px line icons drawn here as SVG, tinted to the current palette."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from massage_guide.ui import theme

# Stroke-only shapes on a 24x24 grid, 1.8 px lines with round caps: calm, legible at 16-32 px.
_SHAPES: dict[str, str] = {
    "play": '<path d="M7 4.5v15l12-7.5z"/>',
    "pause": '<path d="M8 5v14M16 5v14"/>',
    "next": '<path d="M6 5l9 7-9 7zM18 5v14"/>',
    "previous": '<path d="M18 5l-9 7 9 7zM6 5v14"/>',
    "stop": '<rect x="6" y="6" width="12" height="12" rx="2"/>',
    "plus15": '<circle cx="12" cy="13" r="8"/><path d="M12 9v4l2.5 2M10 2h4"/>',
    "restart": '<path d="M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4"/>',
    "volume": '<path d="M4 9h4l5-4v14l-5-4H4zM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12"/>',
    "mute": '<path d="M4 9h4l5-4v14l-5-4H4zM16 9l5 6M21 9l-5 6"/>',
    "search": '<circle cx="11" cy="11" r="6.5"/><path d="M16 16l4.5 4.5"/>',
    "heart": '<path d="M12 20s-7.5-4.6-7.5-10A4.2 4.2 0 0 1 12 7.6 4.2 4.2 0 0 1 19.5 10c0 5.4-7.5 10-7.5 10z"/>',
    "back": '<path d="M15 5l-7 7 7 7"/>',
    "library": '<rect x="4" y="4" width="7" height="7" rx="1.5"/><rect x="13" y="4" width="7" height="7" rx="1.5"/><rect x="4" y="13" width="7" height="7" rx="1.5"/><rect x="13" y="13" width="7" height="7" rx="1.5"/>',
    "progress": '<path d="M4 20h16M7 16v-4M12 16V7M17 16v-6"/>',
    "settings": '<circle cx="12" cy="12" r="3"/><path d="M12 3v2.5M12 18.5V21M3 12h2.5M18.5 12H21M5.6 5.6l1.8 1.8M16.6 16.6l1.8 1.8M5.6 18.4l1.8-1.8M16.6 7.4l1.8-1.8"/>',
    "fullscreen": '<path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/>',
    "warning": '<path d="M12 4l9 16H3zM12 10v4M12 17v.5"/>',
    "check": '<path d="M5 12.5l4.5 4.5L19 7.5"/>',
    "clock": '<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>',
    "body": '<circle cx="12" cy="4.8" r="2.3"/><path d="M12 8v7M7 10.5l5-1.5 5 1.5M9 21l3-6 3 6"/>',
    "breath": '<path d="M4 9c3 0 4-3 8-3s5 3 8 3M4 15c3 0 4 3 8 3s5-3 8-3"/>',
    "moon": '<path d="M19 14.5A7.5 7.5 0 0 1 9.5 5 7.5 7.5 0 1 0 19 14.5z"/>',
    "close": '<path d="M6 6l12 12M18 6L6 18"/>',
    "export": '<path d="M12 4v11M7.5 8.5 12 4l4.5 4.5M5 15v4h14v-4"/>',
    "info": '<circle cx="12" cy="12" r="8.5"/><path d="M12 11v5.5M12 7.5v.5"/>',
}
NAMES = tuple(_SHAPES)


def svg(name: str, colour: str, *, filled: bool = False) -> bytes:
    """The SVG document for one icon in ``colour``."""
    fill = colour if filled else "none"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="{fill}" stroke="{colour}" '
        f'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">{_SHAPES[name]}</svg>'
    ).encode()


@cache
def _pixmap(name: str, colour: str, size: int, filled: bool, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg(name, colour, filled=filled)))
    pixels = round(size * ratio)
    # Start from zeroed (transparent) bytes rather than fill(): every fill() overload makes PySide create
    # the whole Qt namespace (~100 enums, ~25 ms), which would sit on the way to the first window.
    image = QImage(
        bytes(pixels * pixels * 4), pixels, pixels, pixels * 4, QImage.Format.Format_ARGB32_Premultiplied
    )
    image = image.copy()  # own the pixels instead of borrowing the temporary bytes
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def icon(name: str, colour: str | None = None, *, filled: bool = False, size: int = 24) -> QIcon:
    """An icon tinted ``colour`` (default: the palette's text colour)."""
    tint = colour or theme.current().text
    result = QIcon()
    for ratio in _pixel_ratios():
        result.addPixmap(_pixmap(name, tint, size, filled, ratio))
    return result


@cache
def _pixel_ratios() -> tuple[float, ...]:
    """1x always, plus the sharper ratio of any high-density screen (rendering both costs start-up time)."""
    screens = QGuiApplication.screens()
    return tuple(sorted({1.0, *(screen.devicePixelRatio() for screen in screens)}))


def icon_size(scale: float = 1.0) -> QSize:
    side = round(22 * scale)
    return QSize(side, side)
