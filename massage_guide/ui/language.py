"""The GUI's language: our catalogue, Qt's own translations and QLocale, at start and when Settings change it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal

from massage_guide.core import i18n

log = logging.getLogger(__name__)
# Qt's own words (the buttons of standard dialogs, a line edit's context menu) live in this catalogue.
QT_CATALOGUE = "qtbase"


def install(app: QCoreApplication, preferred: str | None) -> str:
    """Speak the ``language`` setting (``preferred``), else the environment's language, from now on.

    Activates our catalogue, loads Qt's own translation when PySide6 ships one and sets QLocale's default,
    so numbers in Qt's widgets follow too. Returns the language code (``de_DE``, ``en``, ``xx``)."""
    language = i18n.user_language(preferred)
    i18n.activate(language)
    # English (the source text) and the pseudo-locale keep the system's own conventions (en_GB dates).
    untranslated = language.split("_", 1)[0] in ("en", i18n.PSEUDO_LANGUAGE)
    QLocale.setDefault(QLocale.system() if untranslated else QLocale(language))
    install_qt_translator(app, language)
    return language


def install_qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own translation for ``language`` (``de_DE`` finds ``qtbase_de.qm``), installed on ``app``; None
    for English, the pseudo-locale, or a language PySide6 ships no translation for."""
    for old in app.findChildren(QTranslator, QT_CATALOGUE):
        app.removeTranslator(old)
        old.deleteLater()
    if language.split("_", 1)[0] in ("en", i18n.PSEUDO_LANGUAGE):
        return None
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    translator.setObjectName(QT_CATALOGUE)
    if not translator.load(QLocale(language), QT_CATALOGUE, "_", folder):
        log.info("no Qt translation for %s in %s", language, folder)
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    return translator


class LanguageSwitch(QObject):
    """Applies a language chosen on the Settings page at once; while a session runs, when it ends.

    A session keeps the language it began in (its spoken words and its screens), so a change made meanwhile
    waits. Applying is queued to the next turn of the event loop: the request comes from inside a combo
    box's signal, and applying rebuilds the page that holds it.

    Signals: ``language_changed(str)`` once the catalogue, Qt's translator and QLocale speak the new language
    (its code: ``de``, ``en``, ``xx``); ``pending_changed(bool)`` when a change starts or stops waiting for a
    session to end."""

    language_changed = Signal(str)
    pending_changed = Signal(bool)

    def __init__(
        self, language: str, *, session_running: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.language = language
        self._session_running = session_running
        self._wanted: str | None = None  # the ``language`` setting not yet applied

    def choose(self, preferred: str) -> None:
        """The ``language`` setting is now ``preferred`` (``system``, ``en``, ``de``): speak it."""
        self._wanted = preferred
        if self._session_running():
            self.pending_changed.emit(self.pending())
        else:
            QTimer.singleShot(0, self, self._apply)

    def session_ended(self) -> None:
        """The session ended: a language chosen during it applies now."""
        if self._wanted is not None:
            QTimer.singleShot(0, self, self._apply)

    def pending(self) -> bool:
        """A language was chosen that waits for the session to end."""
        return self._wanted is not None and i18n.user_language(self._wanted) != self.language

    def _apply(self) -> None:
        wanted = self._wanted
        if wanted is None:
            return
        if self._session_running():  # a new session began before this turn came: it waits again
            self.pending_changed.emit(self.pending())
            return
        self._wanted = None
        if i18n.user_language(wanted) == self.language:
            self.pending_changed.emit(False)
            return
        app = QCoreApplication.instance()
        assert app is not None
        self.language = install(app, wanted)
        self.pending_changed.emit(False)
        self.language_changed.emit(self.language)
