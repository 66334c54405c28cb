"""The GUI's language: our gettext catalogue, Qt's own translations and QLocale, set before any widget is built."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

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
