"""Routine cards at every text size and language: a title that wraps never runs into the lines below it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from massage_guide.core import i18n
from massage_guide.core.library import load_library
from massage_guide.ui import theme
from massage_guide.ui.card_view import CardGridView
from massage_guide.ui.library_model import RoutineListModel
from massage_guide.ui.routine_card import CARD_GAP, CARD_WIDTH, RoutineCardDelegate


@pytest.fixture
def text_size(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    theme.apply(qapp, "light", request.param)
    yield request.param
    theme.apply(qapp, "light", "medium")


@pytest.mark.parametrize("text_size", ["medium", "extra_large"], indirect=True)
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_wrapped_title_ends_above_the_length_line(qtbot: QtBot, text_size: str, language: str) -> None:
    """Each built-in routine's card, at its narrowest, keeps its whole title clear of the length line
    (at the largest text size in German, "Nackenverspannung lösen" used to overlap "7:45 Min.")."""
    i18n.activate(language)
    try:
        routines = list(load_library(use_cache=False).summaries.values())
        delegate = RoutineCardDelegate(language=language)
        view = CardGridView(RoutineListModel(), delegate, name="cards")
        qtbot.addWidget(view)
        view.resize(CARD_WIDTH + CARD_GAP, 400)
        cell = QRect(0, 0, CARD_WIDTH + CARD_GAP, view.cell_size().height())
        card = delegate.card_rect(cell)
        title_box, (meta_box, _areas, _equipment) = delegate.layout(card)
        metrics = QFontMetrics(delegate.title_font)
        wrapped = 0
        for routine in routines:
            title = delegate.texts(routine, int(card.width()))[0]
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
            drawn = QRectF(metrics.boundingRect(title_box.toRect(), flags, title))
            wrapped += drawn.height() > metrics.lineSpacing()
            assert drawn.bottom() <= meta_box.top(), (routine.id, title)
        assert wrapped, "no title wrapped: the test would not see an overlap"
    finally:
        i18n.activate("en")
