"""The main window: a sidebar, a stack of pages created when first shown, full screen and search shortcuts."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from massage_guide.core.i18n import N_, _
from massage_guide.ui import icons, theme

WINDOW_TITLE = "Massage Guide"  # the product's name: a contract, the same in every language
SIDEBAR_WIDTH = 216  # px at the default text size; longer words (German, large text) widen it
DEFAULT_SIZE = (1180, 780)
MINIMUM_SIZE = (720, 520)
# Pages that fill the window: the sidebar steps aside so the session reads from across the room.
FOCUSED_PAGES = frozenset({"player"})
NAV_PAGES: tuple[tuple[str, str, str], ...] = (
    ("library", N_("Library"), "library"),
    ("progress", N_("Progress"), "progress"),
    ("settings", N_("Settings"), "settings"),
)


class MainWindow(QMainWindow):
    """Hosts the pages, each built the first time it is shown.

    Until the library is shown, a light page with its heading stands in: the window paints at once and
    the library (cards, filters, body map) fills in on the next turn of the event loop.

    Signals: ``page_changed(str)``, ``search_requested()`` (Ctrl+F), ``close_requested()`` (before closing;
    app.py's quit policy stops a running session, saves state, and keeps the app in the tray or lets it quit)."""

    page_changed = Signal(str)
    search_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*DEFAULT_SIZE)
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}
        self._current = ""
        # The state to go back to when full screen ends (maximised stays maximised).
        self._before_full_screen = Qt.WindowState.WindowNoState

        central = QWidget()
        outer = QHBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.sidebar = self._build_sidebar()
        outer.addWidget(self.sidebar)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.add_page("welcome", self._welcome_page)
        self.show_page("welcome")

        QShortcut(QKeySequence.StandardKey.Find, self, self.search_requested.emit)
        QShortcut(QKeySequence("F11"), self, self.toggle_full_screen)
        # Ctrl+1/2/3 reach the sidebar's pages from the keyboard (not during a session: the sidebar is hidden).
        for number, (name, _label, _icon) in enumerate(NAV_PAGES, start=1):
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda page=name: self._navigate(page))

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(theme.SPACE * 3, theme.SPACE * 3, theme.SPACE * 3, theme.SPACE * 3)
        title = QLabel(_("Library"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        hint = QLabel(_("Getting your routines ready…"))
        hint.setProperty("role", "muted")
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _build_sidebar(self) -> QFrame:
        sidebar = QFrame()
        sidebar.setProperty("role", "sidebar")
        sidebar.setFixedWidth(SIDEBAR_WIDTH)
        layout = QVBoxLayout(sidebar)
        layout.setContentsMargins(12, theme.SPACE * 3, 12, theme.SPACE * 2)
        layout.setSpacing(theme.SPACE // 2)
        brand = QLabel(WINDOW_TITLE)
        brand.setProperty("role", "heading")
        brand.setWordWrap(True)  # at the largest text size the name takes two lines, never a cut word
        brand.setContentsMargins(theme.SPACE, 0, 0, theme.SPACE * 2)
        layout.addWidget(brand)
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        self.nav_buttons: dict[str, QPushButton] = {}
        for name, _english, icon_name in NAV_PAGES:
            button = QPushButton()
            button.setProperty("role", "nav")
            button.setCheckable(True)
            button.setIcon(icons.icon(icon_name))
            button.setIconSize(icons.icon_size())
            button.setMinimumHeight(theme.MIN_TARGET + 8)
            button.clicked.connect(lambda _checked=False, page=name: self.show_page(page))
            self.nav_group.addButton(button)
            self.nav_buttons[name] = button
            layout.addWidget(button)
        self._sidebar = sidebar
        self._name_pages()
        layout.addStretch(1)
        self.status_label = QLabel("")
        self.status_label.setProperty("role", "muted")
        self.status_label.setWordWrap(True)
        self.status_label.setContentsMargins(theme.SPACE, 0, theme.SPACE, 0)
        layout.addWidget(self.status_label)
        return sidebar

    def _name_pages(self) -> None:
        """The sidebar's page names in the active language."""
        for number, (name, english, _icon) in enumerate(NAV_PAGES, start=1):
            label = _(english)
            button = self.nav_buttons[name]
            button.setText(label)
            button.setAccessibleName(label)
            button.setToolTip(_("{page} (Ctrl+{number})").format(page=label, number=number))
        # As wide as the longest page name needs (a longer language, large text), never narrower than usual.
        widest = max(button.sizeHint().width() for button in self.nav_buttons.values())
        self._sidebar.setFixedWidth(max(SIDEBAR_WIDTH, widest + 2 * 12 + theme.SPACE))

    def retranslate(self) -> None:
        """The sidebar in the language now active (a new language chosen); the pages are rebuilt by their
        controllers with ``rebuild_pages``."""
        self._name_pages()

    # -- pages --------------------------------------------------------------------------------------------
    def add_page(self, name: str, factory: Callable[[], QWidget]) -> None:
        """Register a page; ``factory`` runs the first time the page is needed."""
        self._factories[name] = factory

    def page(self, name: str) -> QWidget:
        """The page called ``name``, built now if it was not yet."""
        page = self._pages.get(name)
        if page is None:
            page = self._factories[name]()
            self._pages[name] = page
            self.stack.addWidget(page)
        return page

    def discard_pages(self, keep: Iterable[str]) -> None:
        """Forget built pages (except ``keep``) so they are rebuilt, e.g. in a new theme or text size."""
        for name in [n for n in self._pages if n not in keep and n != self._current]:
            page = self._pages.pop(name)
            self.stack.removeWidget(page)
            page.deleteLater()

    def rebuild_pages(self) -> None:
        """Build every page again (a new language): the current one now, in its place (``page_changed`` is
        emitted for it again), the others when next shown."""
        current = self._current
        self.discard_pages(keep=())
        old = self._pages.pop(current, None)
        if old is None:
            return
        self.show_page(current)
        self.stack.removeWidget(old)
        old.deleteLater()

    def refresh_icons(self) -> None:
        """Tint the sidebar's icons for the palette now in use."""
        for name, _label, icon_name in NAV_PAGES:
            self.nav_buttons[name].setIcon(icons.icon(icon_name))

    def has_page(self, name: str) -> bool:
        return name in self._pages

    def current_page_name(self) -> str:
        return self._current

    def show_page(self, name: str) -> QWidget:
        page = self.page(name)
        self.stack.setCurrentWidget(page)
        self._current = name
        self.sidebar.setVisible(name not in FOCUSED_PAGES)
        button = self.nav_buttons.get(name)
        if button is not None:
            button.setChecked(True)
        else:
            # Detail, player and completion belong to the library journey.
            self.nav_buttons["library"].setChecked(True)
        self.page_changed.emit(name)
        return page

    def _navigate(self, name: str) -> None:
        if self._current not in FOCUSED_PAGES:
            self.show_page(name)

    def set_status(self, text: str) -> None:
        """A quiet line at the bottom of the sidebar (e.g. a sound problem)."""
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    # -- window -------------------------------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        """F11: full screen, and back to exactly the state before it (maximised or a normal window)."""
        if self.isFullScreen():
            if self._before_full_screen & Qt.WindowState.WindowMaximized:
                self.showMaximized()
            else:
                self.showNormal()
        else:
            self._before_full_screen = self.windowState()
            self.showFullScreen()

    def show_fitted(self) -> None:
        """Show the window so it fits its screen: maximised when the screen is smaller than the default
        size (a 1280x720 or 1024x600 laptop), else as it was last left (or at the default size)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if self.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
            self.show()
            return
        if screen is not None:
            room = screen.availableGeometry()
            if room.width() < DEFAULT_SIZE[0] or room.height() < DEFAULT_SIZE[1]:
                self.showMaximized()
                return
            # A size remembered from a bigger screen is cut to this one, and kept on it.
            width, height = min(self.width(), room.width()), min(self.height(), room.height())
            if (width, height) != (self.width(), self.height()):
                self.resize(width, height)
            if not room.contains(self.frameGeometry()):
                self.move(room.topLeft())
        self.show()

    def restore_geometry_bytes(self, data: bytes) -> None:
        if data:
            self.restoreGeometry(QByteArray(data))

    def geometry_bytes(self) -> bytes:
        return bytes(self.saveGeometry().data())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.close_requested.emit()
        super().closeEvent(event)
