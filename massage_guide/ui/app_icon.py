"""The app's own icon (window, tray), from the SVG and PNG sizes shipped in the package."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from massage_guide.desktop import ICON_DIR, ICON_NAME, ICON_SIZES


@cache
def icon() -> QIcon:
    """The icon at every shipped size; the desktop theme's own copy wins when one is installed."""
    shipped = QIcon()
    for size in ICON_SIZES:
        shipped.addFile(str(ICON_DIR / f"{ICON_NAME}-{size}.png"))
    shipped.addFile(str(ICON_DIR / f"{ICON_NAME}.svg"))
    return QIcon.fromTheme(ICON_NAME, shipped)
