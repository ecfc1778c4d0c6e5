"""The Analysis page and the Reconciliation view, driven in the real window: their numbers are SQL's."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gui.analysis import page as page_module
from gui.analysis.page import EUR, ITEMS, AnalysisPage
from gui.analysis.reconciliation import ReconciliationPage
from gui.main_window import MainWindow
from storage import Ledger
from storage import records as rec
from storage.kinds import NOT_AID

VALUED = [  # (donor, item, EUR): aid to others with a value, which the sample's Ukrainian aid has not
    ("Lithuania", "Test drones", 2_500_000),
    ("Lithuania", "Test shells", 1_000_000),
    ("Norway", "Test radios", 750_000),
]


@pytest.fixture
def window(qtbot: QtBot, sample_ledger: Ledger) -> MainWindow:
    win = MainWindow(sample_ledger)
    qtbot.addWidget(win)
    win.show()
    win.show_kind("aid")
    return win


def shown(qtbot: QtBot, page: AnalysisPage | ReconciliationPage) -> None:
    qtbot.waitUntil(lambda: page.job is None and page.status_label.text() != "Summing the items of each total…")


def analysis(qtbot: QtBot, window: MainWindow) -> AnalysisPage:
    page = window.show_analysis()
    qtbot.waitUntil(lambda: page.job is None and page.figures is not None and len(page.panels) == 4)
    return page


def add_valued(ledger: Ledger) -> None:
    with ledger.batch("Valued items"):
        for donor, item, eur in VALUED:
            rec.insert(
                ledger,
                "aid",
                {"donor": donor, "recipient": "Ukraine", "item": item, "value_eur": eur, "announced_on": "2024-05-02"},
            )


def sql_by_status(ledger: Ledger) -> dict[str, int]:
    marks = ", ".join("?" * len(NOT_AID))
    rows = ledger.conn.execute(f"SELECT status, count(*) FROM aid WHERE kind NOT IN ({marks}) GROUP BY 1", NOT_AID)
    return {status or "(unknown)": n for status, n in rows}


def test_page_counts_items_by_status_as_sql_does(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    assert window.stack.currentWidget() is page
    assert page.measure == ITEMS  # the sample's aid has no EUR value: the page counts items, and says so
    assert "none with a EUR value" in page.status_label.text()
    status = page.panels[2]
    table = status.table()
    assert table[0] == ["Status", "EUR", "Items", "Items without a EUR value"]
    assert {row[0]: row[2] for row in table[1:]} == sql_by_status(window.ledger)
    ax = status.figure.axes[0]
    assert ax.get_title(loc="left") == "26 items, none with a EUR value"
    assert ax.get_ylabel() == "Items"


def test_eur_by_donor_is_sqls_sum(qtbot: QtBot, window: MainWindow) -> None:
    add_valued(window.ledger)
    page = analysis(qtbot, window)
    page.set_measure(EUR)
    marks = ", ".join("?" * len(NOT_AID))
    expected = dict(
        window.ledger.conn.execute(
            "SELECT d.name, sum(a.value_eur) FROM aid a JOIN actors d ON d.id = a.donor_id"
            f" WHERE a.kind NOT IN ({marks}) AND a.value_eur IS NOT NULL GROUP BY 1",
            NOT_AID,
        ).fetchall()
    )
    assert expected == {"Lithuania": 3_500_000, "Norway": 750_000}
    donors = page.panels[1]
    assert {row[0]: row[1] for row in donors.table()[1:] if row[1]} == expected
    ax = donors.figure.axes[0]
    assert ax.get_xlabel() == "EUR million"
    assert [t.get_text() for t in ax.get_yticklabels()][-2:] == ["Norway", "Lithuania"]  # the largest on top
    assert " 3.5" in [t.get_text() for t in ax.texts]


def test_changing_the_aid_filter_changes_the_charts(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    before = page.figures
    assert before is not None and before.items == 26
    page.set_measure(ITEMS)
    aid = window.page("aid")
    aid.filter_bar.set_equal("status", "delivered")  # on the Aid page, while the Analysis page shows
    qtbot.waitUntil(lambda: page.job is None and page.figures is not before)
    assert page.figures is not None and page.figures.items == sql_by_status(window.ledger)["delivered"] == 3
    assert "Status: Delivered" in page.filters_label.text()
    assert [row[0] for row in page.panels[2].table()[1:]] == ["delivered"]
    bars = page.panels[0].figure.axes[0].patches
    assert sum(p.get_width() for p in bars) == 3  # the year-and-category bars hold the 3 delivered items


def test_filters_changed_while_hidden_are_followed_when_shown(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    window.show_kind("aid")
    window.page("aid").filter_bar.set_equal("status", "planned")
    assert page.figures is not None and page.figures.items == 26  # not summed while hidden
    window.show_analysis()
    qtbot.waitUntil(lambda: page.job is None and page.figures is not None and page.figures.items == 9)


def test_copy_numbers_puts_a_table_for_excel_on_the_clipboard(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    qtbot.mouseClick(page.panels[2].copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    lines = text.splitlines()
    assert lines[0] == "Status\tEUR\tItems\tItems without a EUR value"
    counts = sql_by_status(window.ledger)
    assert all(line.split("\t")[1] == "0" for line in lines[1:])  # plain numbers: no separators, no "EUR"
    assert {line.split("\t")[0]: int(line.split("\t")[2]) for line in lines[1:]} == counts
    year_category = page.panels[0].copy().splitlines()
    assert year_category[0].split("\t")[0] == "Year (items)"
    assert sum(int(c) for line in year_category[1:] for c in line.split("\t")[1:]) == 26


def test_save_as_png_and_svg_write_the_chart(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = analysis(qtbot, window)
    asked: list[str] = []

    def ask(parent: Any, title: str, start: str, pattern: str) -> str:
        asked.append(title)
        return str(tmp_path / ("chart" if "PNG" in title else "chart.svg"))

    monkeypatch.setattr("gui.analysis.panel.QFileDialog.getSaveFileName", lambda *a: (ask(*a), ""))
    panel = page.panels[3]
    qtbot.mouseClick(panel.png_button, Qt.MouseButton.LeftButton)
    png = tmp_path / "chart.png"  # the suffix is added when the name has none
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    qtbot.mouseClick(panel.svg_button, Qt.MouseButton.LeftButton)
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Events" in svg
    assert asked == ["Save the chart as PNG", "Save the chart as SVG"]


def test_the_context_menu_holds_the_same_actions(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    menu = page.panels[1].context_menu()
    assert [a.text() for a in menu.actions()] == ["Save as PNG…", "Save as SVG…", "Copy numbers"]
    assert all(a.isEnabled() for a in menu.actions())
    menu.actions()[2].trigger()
    assert QGuiApplication.clipboard().text().startswith("Donor\tEUR\tItems")
    assert page.panels[1].canvas.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_view_menu_shortcuts_open_the_pages(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), AnalysisPage)
    assert not window.sidebar.selectedItems()  # no kind highlighted while a chart page shows
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), ReconciliationPage)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is not None and window.current_page().kind.name == "aid"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not window.stack.findChild(AnalysisPage).job)


def test_reconciliation_shows_the_gap_and_the_items_without_value(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_reconciliation()
    shown(qtbot, page)
    assert page.model.rowCount() == 3
    first = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert first[:5] == ["Lithuania", "Ukraine", "military assistance", "10 Nov 2023", "about EUR 500,000,000"]
    assert first[5:] == ["500,000,000", "0", "13", "13", "500,000,000", "100.0"]
    assert page.items.topLevelItemCount() == 13
    assert "All 13 items" in page.items_label.text()
    page.view.selectRow(1)
    assert page.items.topLevelItemCount() == 17


def test_reconciliation_gap_follows_valued_items(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_reconciliation()
    shown(qtbot, page)
    add_valued(window.ledger)  # Lithuania's 3.5 million, announced in May 2024: in the totals as of Aug 2024
    page.refresh()
    shown(qtbot, page)
    second = page.model.rows[1]
    assert second.items_eur == 3_500_000 and second.gap_eur == 641_000_000 - 3_500_000
    assert page.model.index(1, 9).data() == "637,500,000"
    assert page.model.index(1, 10).data() == f"{100 * 637.5 / 641:,.1f}"


def test_an_item_without_value_opens_on_enter(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_reconciliation()
    shown(qtbot, page)
    opened: list[int] = []
    page.open_item = opened.append
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)  # down to the items
    assert page.items.hasFocus() or QApplication.focusWidget() is page.items
    qtbot.keyClick(page.items, Qt.Key.Key_Return)
    assert opened == [page.model.rows[0].unvalued[0][0]]


def test_the_totals_page_leads_to_the_reconciliation(qtbot: QtBot, window: MainWindow) -> None:
    window.show_kind("totals")
    page = window.current_page()
    assert page is not None
    from PySide6.QtWidgets import QToolButton

    button = next(b for b in page.filter_bar.findChildren(QToolButton) if b.text().startswith("Reconcile"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert isinstance(window.stack.currentWidget(), ReconciliationPage)
    shown(qtbot, window.stack.currentWidget())  # type: ignore[arg-type]


def test_reconciliation_model_passes_the_model_tester(qtmodeltester: Any, qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_reconciliation()
    shown(qtbot, page)
    qtmodeltester.check(page.model)


def test_tab_goes_from_the_measure_through_each_charts_buttons(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    assert page.focusProxy() is page.eur_button  # Ctrl+9 puts the keyboard at the measure
    chain = [page.items_button.nextInFocusChain()]
    for _ in range(5):
        chain.append(chain[-1].nextInFocusChain())
    first, second = page.panels[0], page.panels[1]
    assert chain == [first.png_button, first.svg_button, first.copy_button, *(second.png_button, second.svg_button),
                     second.copy_button]  # fmt: skip


def test_cancel_stops_the_sums_and_keeps_the_charts(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = analysis(qtbot, window)
    before = page.figures
    summing, release = threading.Event(), threading.Event()
    real = page_module.figures

    def slow(reader: Ledger, filters: Any) -> Any:  # sums that take long enough to be cancelled
        summing.set()
        release.wait(10)
        return real(reader, filters)

    monkeypatch.setattr(page_module, "figures", slow)
    window.page("aid").filter_bar.set_equal("status", "delivered")
    page.refresh()
    qtbot.waitUntil(summing.is_set)
    assert page.cancel_button.isVisible() and page.busy_bar.isVisible()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: page.job is None)
    assert page.status_label.text() == "Cancelled: the charts are of the filters before"
    assert not page.cancel_button.isVisible() and not page.busy_bar.isVisible()
    assert page.figures is before and before is not None and before.items == 26  # the charts shown stay


def test_the_measure_is_chosen_by_keyboard_without_opening_a_menu(qtbot: QtBot, window: MainWindow) -> None:
    page = analysis(qtbot, window)
    assert page.measure == ITEMS  # the sample has no EUR value: the page counts items
    window.activateWindow()  # a mnemonic is a shortcut of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # a mnemonic clicks its button a moment later, as it animates; Alt+E is the Edit menu's
    qtbot.keyClick(page, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.measure == EUR)
    assert "counting items" not in page.status_label.text()  # what the page chose for itself is not said any more
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.measure == ITEMS)
