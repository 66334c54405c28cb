"""Palettes, type scale and the application style sheet: one calm palette per theme."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Palette:
    """Named colours (``#rrggbb``) every widget draws with; custom painters read ``current()``."""

    name: str
    window: str  # page background
    surface: str  # cards and panels
    surface_alt: str  # hovered cards, tracks of rings and bars
    text: str
    muted: str  # secondary text
    accent: str  # primary actions, progress, highlighted body region
    accent_text: str  # text on the accent colour
    accent_soft: str  # selected chips, heat-map mid tones
    warm: str  # second accent: breathing pacer, favourites
    border: str
    danger: str  # stop, errors: muted, never alarm-red
    body: str  # body-map figure fill
    body_line: str  # body-map outline
    dark: bool
    # Edges of inputs, check boxes and rating cells: at least 3:1 against window and surface (WCAG 1.4.11).
    control: str = "#000000"
    # The keyboard focus ring: at least 3:1 against window, surface and the soft accent.
    focus: str = "#000000"


# Every pair a person must read or see meets WCAG AA; tests/ui/test_contrast.py computes the ratios.
LIGHT = Palette(
    name="light", window="#f5f1ea", surface="#fffdf9", surface_alt="#ebe4d9", text="#2f2a25",
    muted="#665d55", accent="#4f7f68", accent_text="#ffffff", accent_soft="#cfe0d5", warm="#bb7a42",
    border="#ddd3c5", danger="#965247", body="#e9dfd2", body_line="#9a866c", dark=False,
    control="#957c58", focus="#4f7f68",
)  # fmt: skip
DARK = Palette(
    name="dark", window="#1d2023", surface="#262a2e", surface_alt="#32373c", text="#e6e1da",
    muted="#a7a097", accent="#7fb39a", accent_text="#11201a", accent_soft="#36584a", warm="#d6a173",
    border="#3b4146", danger="#d39185", body="#343a40", body_line="#6c7681", dark=True,
    control="#78848d", focus="#7fb39a",
)  # fmt: skip
# Bedtime: dim, warm and no bright whites (nothing above ~55% luminance), yet still AA: the muted text
# and the edges of controls are as dim as the ratios allow, no brighter.
NIGHT = Palette(
    name="night", window="#120e0b", surface="#1b1511", surface_alt="#261d17", text="#c7a37e",
    muted="#a08265", accent="#a8744a", accent_text="#120e0b", accent_soft="#3a2a1e", warm="#9c6a4a",
    border="#2c221b", danger="#b57868", body="#241b15", body_line="#7b614b", dark=True,
    control="#836550", focus="#a8744a",
)  # fmt: skip
PALETTES = {p.name: p for p in (LIGHT, DARK, NIGHT)}

TEXT_SCALES = {"small": 0.9, "medium": 1.0, "large": 1.2, "extra_large": 1.45}
BASE_POINT_SIZE = 11.0
# Spacing unit in pixels; everything is a multiple so the layout breathes evenly.
SPACE = 8
RADIUS = 14
MIN_TARGET = 32  # smallest clickable size, px


class _Active:
    """The palette and text scale in force; one per process, like the QApplication they style."""

    palette: Palette = LIGHT
    scale: float = 1.0


def current() -> Palette:
    """The palette in use now."""
    return _Active.palette


def text_scale() -> float:
    return _Active.scale


def resolve(theme: str) -> Palette:
    """``system`` follows the desktop's light or dark preference."""
    if theme == "system":
        # The desktop's own palette tells light from dark on every Qt 6 version; it also avoids touching the
        # Qt namespace, whose ~100 enums cost ~25 ms to create on the way to the first window.
        window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
        return DARK if window.lightness() < 128 else LIGHT
    return PALETTES.get(theme, LIGHT)


def font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    """A font ``scale`` times the base size, after the user's text size."""
    result = QFont(QApplication.font())
    result.setPointSizeF(BASE_POINT_SIZE * _Active.scale * scale)
    result.setBold(bold)
    return result


def apply(app: QApplication, theme: str = "system", text_size: str = "medium") -> Palette:
    """Set the palette, font size and style sheet on the whole application."""
    p = _Active.palette = resolve(theme)
    scale = _Active.scale = TEXT_SCALES.get(text_size, 1.0)
    qpal = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, p.window), (QPalette.ColorRole.Base, p.surface),
        (QPalette.ColorRole.AlternateBase, p.surface_alt), (QPalette.ColorRole.Text, p.text),
        (QPalette.ColorRole.WindowText, p.text), (QPalette.ColorRole.Button, p.surface),
        (QPalette.ColorRole.ButtonText, p.text), (QPalette.ColorRole.Highlight, p.accent),
        (QPalette.ColorRole.HighlightedText, p.accent_text), (QPalette.ColorRole.PlaceholderText, p.muted),
        (QPalette.ColorRole.ToolTipBase, p.surface), (QPalette.ColorRole.ToolTipText, p.text),
    ):  # fmt: skip
        qpal.setColor(role, QColor(colour))
    app.setPalette(qpal)
    base = QFont(app.font())
    base.setPointSizeF(BASE_POINT_SIZE * scale)
    app.setFont(base)
    app.setStyleSheet(style_sheet(p, scale))
    return p


def _arrow_file(p: Palette) -> str:
    """A chevron in the palette's muted colour, written once per palette: style sheets take only file URLs."""
    import tempfile
    from pathlib import Path

    path = Path(tempfile.gettempdir()) / f"massage-guide-chevron-{p.muted.lstrip('#')}.svg"
    if not path.exists():
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
            f'stroke="{p.muted}" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round">'
            '<path d="M6 9l6 6 6-6"/></svg>'
        )
        path.write_text(svg, encoding="utf-8")
    return path.as_posix()


def _check_file(p: Palette) -> str:
    """A check mark in the accent text colour, for check boxes drawn in the accent when ticked."""
    import tempfile
    from pathlib import Path

    path = Path(tempfile.gettempdir()) / f"massage-guide-check-{p.accent_text.lstrip('#')}.svg"
    if not path.exists():
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
            f'stroke="{p.accent_text}" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round">'
            '<path d="M5 12.5l4.5 4.5L19 7.5"/></svg>'
        )
        path.write_text(svg, encoding="utf-8")
    return path.as_posix()


def style_sheet(p: Palette, scale: float = 1.0) -> str:
    """The application style sheet. Widgets opt into roles with ``setProperty("role", ...)``."""
    pt = BASE_POINT_SIZE * scale
    return f"""
QWidget {{ color: {p.text}; }}
QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget {{ background: {p.window}; }}
QToolTip {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; padding: 4px; }}
QLabel[role="title"] {{ font-size: {pt * 1.9:.1f}pt; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: {pt * 1.35:.1f}pt; font-weight: 600; }}
QLabel[role="muted"] {{ color: {p.muted}; }}
QLabel[role="chip"] {{ background: {p.surface_alt}; color: {p.text}; border-radius: 10px; padding: 2px 10px; }}
QLabel[role="badge"] {{ background: {p.accent_soft}; color: {p.text}; border-radius: 10px; padding: 4px 12px; font-weight: 600; }}
QFrame[role="card"] {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: {RADIUS}px; }}
QFrame[role="card"]:hover {{ border-color: {p.accent}; }}
QFrame[role="panel"] {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: {RADIUS}px; }}
QFrame[role="sidebar"] {{ background: {p.surface}; border-right: 1px solid {p.border}; }}
QPushButton, QToolButton {{
    background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; border-radius: 10px;
    padding: 6px 14px; min-height: {MIN_TARGET - 14}px; min-width: {MIN_TARGET - 30}px;
}}
QPushButton:hover, QToolButton:hover {{ background: {p.surface_alt}; }}
QPushButton:focus, QToolButton:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QPlainTextEdit:focus,
QTextEdit:focus, QTextBrowser:focus, QTreeView:focus, QTableView:focus, QListView:focus {{ border: 2px solid {p.focus}; }}
QPushButton:checked, QToolButton:checked {{ background: {p.accent_soft}; border-color: {p.accent}; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text}; border: none; font-weight: 600; padding: 8px 22px; }}
QPushButton[role="primary"]:hover {{ background: {p.accent}; }}
QPushButton[role="primary"]:focus {{ border: 3px solid {p.text}; padding: 5px 19px; }}
QPushButton[role="danger"] {{ color: {p.danger}; }}
QPushButton[role="nav"] {{ text-align: left; border: none; background: transparent; padding: 10px 14px; }}
QPushButton[role="nav"]:checked {{ background: {p.accent_soft}; }}
QPushButton[role="nav"]:focus {{ border: 2px solid {p.focus}; padding: 8px 12px; }}
QLineEdit, QComboBox, QSpinBox, QPlainTextEdit, QTextEdit {{
    background: {p.surface}; color: {p.text}; border: 1px solid {p.control}; border-radius: 10px; padding: 6px 10px;
    min-height: {MIN_TARGET - 14}px; selection-background-color: {p.accent}; selection-color: {p.accent_text};
}}
QComboBox {{ padding-right: 30px; }}
QComboBox::drop-down {{ border: none; width: 28px; subcontrol-origin: padding; subcontrol-position: center right; }}
QComboBox::down-arrow {{ image: url("{_arrow_file(p)}"); width: 14px; height: 14px; }}
QSpinBox::up-button, QSpinBox::down-button {{ border: none; width: 18px; }}
QComboBox QAbstractItemView {{ background: {p.surface}; color: {p.text}; selection-background-color: {p.accent_soft}; }}
QCheckBox, QRadioButton {{ spacing: 8px; min-height: {MIN_TARGET}px; border: 2px solid transparent; border-radius: 8px; padding: 0 4px; }}
QCheckBox:focus, QRadioButton:focus {{ border-color: {p.focus}; }}
QCheckBox::indicator {{ width: 16px; height: 16px; border: 2px solid {p.control}; border-radius: 5px; background: {p.surface}; }}
QCheckBox::indicator:checked {{ background: {p.accent}; border-color: {p.accent}; image: url("{_check_file(p)}"); }}
QCheckBox::indicator:disabled {{ border-color: {p.border}; }}
QSlider::groove:horizontal {{ height: 6px; background: {p.surface_alt}; border-radius: 3px; }}
QSlider::sub-page:horizontal {{ background: {p.accent}; border-radius: 3px; }}
QSlider::handle:horizontal {{ background: {p.accent}; width: 18px; height: 18px; margin: -7px 0; border-radius: 9px; }}
QSlider {{ border: 2px solid transparent; border-radius: 8px; }}
QSlider:focus {{ border-color: {p.focus}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; }}
QScrollBar::handle:vertical {{ background: {p.control}; border-radius: 5px; min-height: 30px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; }}
QListWidget, QTableWidget, QTableView {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 10px; gridline-color: {p.border}; }}
QHeaderView::section {{ background: {p.surface_alt}; color: {p.text}; border: none; padding: 6px; }}
"""
