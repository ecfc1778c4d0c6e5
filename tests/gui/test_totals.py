"""Totals that do not mislead: aid apart from own procurement, unknown is not 0, reported totals beside the items."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel
from pytestqt.qtbot import QtBot

from gui.main_window import OVERVIEW, MainWindow
from storage import Ledger
from storage import records as rec


def _rows(form: QFormLayout) -> list[str]:
    texts = []
    for row in range(form.rowCount()):
        cells = []
        for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
            item = form.itemAt(row, role)
            if item is not None and isinstance(item.widget(), QLabel):
                cells.append(item.widget().text())
        texts.append(" | ".join(cells))
    return texts


def test_each_page_speaks_of_its_own_kind(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    window.show_kind("packages")
    qtbot.waitUntil(lambda: "in packages" in window.total_label.text())
    window.show_kind("sources")
    qtbot.waitUntil(lambda: window.total_label.text() == "")
    window.show_kind("aid")
    qtbot.waitUntil(lambda: "aid to others" in window.total_label.text())


def test_the_overview_keeps_aid_and_own_procurement_apart_and_shows_reported_totals(
    qtbot: QtBot, sample_ledger: Ledger
) -> None:
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    rec.insert(
        sample_ledger,
        "aid",
        {
            "donor": lithuania,
            "recipient": "Ukraine",
            "item": "Javelin missiles",
            "category": "anti-tank weapons",
            "announced_on": "2024-03",
            "value": "EUR 10 million",
        },
    )
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    window.show_kind(OVERVIEW)
    eur = _rows(window.overview.eur_form)
    assert "Military aid | 10,000,000" in eur  # known in part: what is known; the rest counted apart
    assert "Investment | unknown" in eur  # nothing known is not a total of 0
    assert not any(row.startswith("Sale |") for row in eur)  # no item of that kind: no line
    assert "<b>Aid to others, in all</b> | <b>10,000,000</b>" in eur
    assert "<b>Own procurement, apart</b> | <b>606,400,000</b>" in eur
    box = window.overview.totals_form
    totals = [box.itemAt(i).widget().text() for i in range(box.count())]  # type: ignore[union-attr]
    assert len(totals) == 3
    over = next(t for t in totals if "over EUR 641,000,000" in t)
    assert over.startswith("<b>Lithuania to Ukraine</b>, military assistance as of Aug 2024")
    assert "itemised here: EUR 10,000,000 in 19 items, 18 without a value" in over
