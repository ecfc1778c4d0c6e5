"""The import preview's lazy tables: what they show, their check boxes, and the summary shown as plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

import importers
from exporters import xlsx
from gui.dialogs.import_wizard import ImportWizard
from gui.editing import Editor
from gui.main_window import MainWindow
from gui.models.preview import AddsModel, PreviewModel
from storage import Ledger
from storage import records as rec

CHECK = Qt.ItemDataRole.CheckStateRole


@pytest.fixture
def export_plan(sample_ledger: Ledger, tmp_path: Path) -> importers.Plan:
    """An edited export with a change, a conflict, a record left out and a cell that cannot be read."""
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    aid = book["Aid"]
    head = [c.value for c in aid[1]]
    notes, announced = head.index("Notes") + 1, head.index("Announced on") + 1
    aid.cell(2, notes).value = "checked with the ministry"
    aid.cell(3, notes).value = "the colleague's notes"
    aid.cell(4, announced).value = "31 Feb 2024"
    both = rec.id_for_uid(sample_ledger, "aid", aid.cell(3, 1).value)
    assert both is not None
    aid.delete_rows(6)
    book.save(tmp_path / "edited.xlsx")
    rec.update(sample_ledger, "aid", both, {"notes": "changed here meanwhile"})
    plan = importers.make_plan(sample_ledger, tmp_path / "edited.xlsx")
    assert plan.updates and plan.conflicts and plan.missing and plan.issues
    return plan


@pytest.fixture
def foreign_plan(sample_ledger: Ledger, tmp_path: Path) -> importers.Plan:
    """Another team's rows: two look like records here, one is new."""
    for item in ("Radios", "Generators"):
        rec.insert(
            sample_ledger,
            "aid",
            {"donor": "Lithuania", "recipient": "Ukraine", "item": item, "announced_on": "2021-05-04"},
        )
    path = tmp_path / "dups.csv"
    path.write_text(
        "Donor,Recipient,Item,Announced on\n"
        "Lithuania,Ukraine,Radios,2021-05-04\n"
        "Lithuania,Ukraine,Generators,2021-05-04\n"
        "Lithuania,Ukraine,Field kitchens,2021-05-04\n"
    )
    plan = importers.make_plan(sample_ledger, path)
    assert len(plan.duplicates) == 2 and len(plan.adds) == 1
    return plan


@pytest.fixture
def page_of(qtbot: QtBot, sample_ledger: Ledger) -> Any:
    """The preview page of a wizard, showing the plan given."""

    def show(plan: importers.Plan) -> Any:
        wizard = ImportWizard(Editor(sample_ledger))
        qtbot.addWidget(wizard)
        page = wizard.preview_page
        page.show_plan(plan)
        return page

    return show


def test_every_preview_model_passes_the_model_tester(
    qtmodeltester: Any, page_of: Any, export_plan: importers.Plan, foreign_plan: importers.Plan
) -> None:
    for plan in (export_plan, foreign_plan):
        page = page_of(plan)
        models = [
            page.changes_model,
            page.adds_model,
            page.conflicts_model,
            page.duplicates_model,
            page.problems_model,
            page.missing_model,
        ]
        for model in models:
            assert isinstance(model, PreviewModel)
            qtmodeltester.check(model)
        for model in (page.conflicts_model, page.duplicates_model):
            if model.rowCount():
                model.set_checked(0, True)
                qtmodeltester.check(model)


def test_the_tables_show_the_plan_as_the_record_tables_would(page_of: Any, export_plan: importers.Plan) -> None:
    page = page_of(export_plan)
    changes = page.changes_model
    assert [changes.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Record",
        "Field",
        "Now",
        "In the file",
    ]
    row = next(r for r in range(changes.rowCount()) if changes.index(r, 3).data() == "checked with the ministry")
    assert changes.index(row, 1).data() == "Notes"
    conflicts = page.conflicts_model
    assert conflicts.headerData(0, Qt.Orientation.Horizontal) == "Take the file's"
    assert [conflicts.index(0, c).data() for c in (2, 3, 4)] == [
        "Notes",
        "changed here meanwhile",
        "the colleague's notes",
    ]
    assert page.problems_model.rowCount() == len(export_plan.issues)
    assert page.missing_model.index(0, 0).data() == "Aid"
    counts = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert f"Cannot import ({len(export_plan.issues)})" in counts


def test_the_new_records_tab_shows_the_values_each_row_was_read_as(
    page_of: Any, sample_ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "new.csv"
    path.write_text(
        "Donor,Recipient,Item,Status,Value,Currency,Announced on\n"
        "Lithuania,Ukraine,Field kitchens,Delivered,350000,EUR,until 3/16/2022\n"
        "Estonia,Ukraine,Generators,Announced,,,04/22\n"
    )
    page = page_of(importers.make_plan(sample_ledger, path))
    model = page.adds_model
    assert page.tabs.currentWidget() is page.adds  # the first tab with something in it
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Sheet", "Row", "New record"]
    assert {"Donor", "Recipient", "Status", "Value", "Currency", "Announced on"} <= set(headers)
    assert "Category" not in headers and "Notes" not in headers  # no row gives them
    rows = [dict(zip(headers, (model.index(r, c).data() for c in range(len(headers))), strict=True)) for r in (0, 1)]
    assert {k: rows[0][k] for k in ("New record", "Donor", "Recipient", "Status", "Value", "Announced on")} == {
        "New record": "Field kitchens",
        "Donor": "Lithuania",
        "Recipient": "Ukraine",
        "Status": "Delivered",
        "Value": "350,000",
        "Announced on": "16 Mar 2022",
    }
    assert (rows[1]["Donor"], rows[1]["Value"], rows[1]["Announced on"]) == ("Estonia", "", "Apr 2022")
    qualifier = headers.index("Announced (qualifier)")
    wide = page.adds.horizontalHeader().fontMetrics().horizontalAdvance("Announced (qualifier)")
    assert page.adds.columnWidth(qualifier) > wide  # the label is not cut


def test_conflicts_and_duplicates_are_ticked_in_their_cells(
    qtbot: QtBot, page_of: Any, export_plan: importers.Plan, foreign_plan: importers.Plan
) -> None:
    page = page_of(export_plan)
    model, conflict = page.conflicts_model, export_plan.conflicts[0]
    index = model.index(0, 0)
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert index.data(CHECK) == Qt.CheckState.Unchecked and not conflict.take_theirs
    assert "1 keeps the value here" in page.summary.text()
    assert model.setData(index, Qt.CheckState.Checked.value, CHECK)  # as the view passes it
    assert conflict.take_theirs and index.data(CHECK) == Qt.CheckState.Checked
    assert "0 keep the value here" in page.summary.text()  # the summary follows the tick
    assert model.setData(index, Qt.CheckState.Unchecked, CHECK)
    assert not conflict.take_theirs

    page = page_of(foreign_plan)
    view, model = page.duplicates, page.duplicates_model
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    view.setCurrentIndex(model.index(1, 2))  # the cursor on the row's text, not on its check box
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert [d.import_anyway for d in foreign_plan.duplicates] == [False, True]
    assert "1 skipped" in page.summary.text()
    assert foreign_plan.counts()["add"] == 2
    qtbot.keyClick(view, Qt.Key.Key_Space)  # and back
    assert [d.import_anyway for d in foreign_plan.duplicates] == [False, False]


def test_a_hundred_thousand_new_rows_are_not_all_read_to_show_them(
    qtbot: QtBot, page_of: Any, foreign_plan: importers.Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[int] = []
    cells = AddsModel.cells
    monkeypatch.setattr(AddsModel, "cells", lambda self, item: read.append(1) or cells(self, item))
    foreign_plan.adds = foreign_plan.adds * 100_000
    page = page_of(foreign_plan)
    view = page.adds
    view.setParent(None)  # painted on its own: the wizard is still on its first step
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: bool(read))  # the rows in sight are read when painted
    view.viewport().repaint()
    assert page.adds_model.rowCount() == 100_000
    assert page.adds_model.index(99_999, 2).data() == "Field kitchens"
    assert len(read) < 2_000  # the rows painted, not every row


def test_the_summary_shows_the_files_text_as_text(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "markup.csv"
    path.write_text("Donor,Recipient,Item\n<h1>big</h1>,Ukraine,<img src=x>\n")
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    wizard = window.import_file(path)
    qtbot.waitUntil(lambda: bool(wizard.sheets), timeout=15000)
    for _ in range(2):  # the file, then the columns as guessed
        qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=15000)
        wizard.button(QWizard.WizardButton.NextButton).click()
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    assert wizard.plan is not None
    summary = wizard.preview_page.summary
    assert summary.textFormat() == Qt.TextFormat.PlainText
    assert summary.text() == wizard.plan.summary()  # newlines kept, nothing turned into markup
    assert "<h1>big</h1>" in summary.text() and "\n" in summary.text()
    assert wizard.preview_page.adds_model.index(0, 2).data() == "<img src=x>"


def test_the_file_steps_name_the_file_as_text(qtbot: QtBot, tmp_path: Path) -> None:
    """The export's hidden sheet names the database it came from, and a file's name can hold markup."""
    folder = tmp_path / "<b>odd"
    folder.mkdir()
    with Ledger.open(folder / "<img src=x>.db") as ledger:
        xlsx.run(ledger, folder / "<i>out.xlsx")
        wizard = ImportWizard(Editor(ledger), folder / "<i>out.xlsx")
        qtbot.addWidget(wizard)
        page = wizard.file_page
        assert page.busy.label.textFormat() == Qt.TextFormat.PlainText
        assert "<i>out.xlsx" in page.busy.label.text()
        qtbot.waitUntil(lambda: wizard.is_export, timeout=15000)
        assert "&lt;img src=x&gt;.db" in page.info.text() and "<img" not in page.info.text()
        qtbot.waitUntil(lambda: wizard.job is None)


def test_a_long_summary_scrolls_and_leaves_the_tables_their_room(
    qtbot: QtBot, page_of: Any, sample_ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "bad dates.csv"
    path.write_text("Donor,Recipient,Item,Announced on\n" + "Lithuania,Ukraine,Fuel,31/31/2024\n" * 12)
    plan = importers.make_plan(sample_ledger, path)
    page = page_of(plan)
    lines = plan.summary().count("\n") + 1
    assert lines > 12
    line = page.summary.fontMetrics().lineSpacing()
    assert page.summary.text() == plan.summary()  # all of it, to scroll to
    assert 8 * line <= page.summary_area.height() < 9 * line  # eight whole lines shown
