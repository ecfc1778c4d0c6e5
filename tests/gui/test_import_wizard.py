"""The import wizard driven as a user would: file, mapping, preview, import, undo."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from exporters import xlsx
from gui.dialogs.import_wizard import ImportWizard
from gui.main_window import MainWindow
from storage import Ledger
from storage import records as rec
from storage.search import search_ids


def _next(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=15000)
    wizard.button(QWizard.WizardButton.NextButton).click()


def test_an_edited_export_through_the_wizard_then_undo(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    aid = book["Aid"]
    notes = [c.value for c in aid[1]].index("Notes") + 1
    uid = aid.cell(2, 1).value
    aid.cell(2, notes).value = "checked with the ministry"
    book.save(tmp_path / "edited.xlsx")

    wizard = window.import_file(tmp_path / "edited.xlsx")
    qtbot.waitUntil(lambda: wizard.is_export, timeout=15000)
    assert "Aid Ledger export" in wizard.file_page.info.text()
    _next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PREVIEW  # an export needs no mapping step
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    page = wizard.preview_page
    assert page.changes_model.rowCount() == 1
    assert page.changes_model.index(0, 3).data() == "checked with the ministry"
    assert "update 1" in page.summary.text()
    _next(qtbot, wizard)  # Import
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
    rid = rec.id_for_uid(sample_ledger, "aid", uid)
    assert rid is not None and rec.get(sample_ledger, "aid", rid)["notes"] == "checked with the ministry"
    window.undo_action.trigger()  # the whole import is one step
    assert rec.get(sample_ledger, "aid", rid)["notes"] != "checked with the ministry"


def test_a_foreign_file_with_a_mapping_change_and_a_value_for_every_row(
    qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Countries", "Stuff", "Announcement Date", "Converted Value in EUR", "Remarks"])
    sheet.append(["Lithuania", "Thermal sights", "2/24/2022", 125000, "first batch"])
    sheet.append(["Lithuania", "Mortar rounds", "3/16/2022", ".", "value not given"])
    book.save(tmp_path / "other.xlsx")
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    wizard = window.import_file(tmp_path / "other.xlsx")
    qtbot.waitUntil(lambda: bool(wizard.sheets), timeout=15000)
    assert not wizard.is_export
    _next(qtbot, wizard)
    mapping = wizard.mapping_page
    fields = [c.currentData() for c in mapping.combos]
    assert fields == ["donor", None, "announced_on", "value_eur", "notes"]  # "Stuff" means nothing yet
    mapping.combos[1].setCurrentIndex(mapping.combos[1].findData("item"))
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # the recipient is still missing
    mapping.default_edits["recipient"].setText("Ukraine")
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    assert wizard.preview_page.adds_model.rowCount() == 2
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
    sights = rec.get(sample_ledger, "aid", search_ids(sample_ledger, "aid", "thermal sights")[0])
    assert sights["value_eur"] == 125_000 and sights["announced_on"] == "2022-02-24"
    assert rec.display_name(sample_ledger, "actors", sights["recipient"]) == "Ukraine"
    page = window.page("aid")
    assert page.model.row_of(sights["id"]) is not None  # the table shows the new records


def test_a_file_that_is_not_a_spreadsheet_says_why_in_the_wizard(
    qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path
) -> None:
    (tmp_path / "notes.xlsx").write_text("hello")
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    wizard = window.import_file(tmp_path / "notes.xlsx")
    qtbot.waitUntil(lambda: "not a spreadsheet" in wizard.file_page.busy.label.text(), timeout=15000)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_a_saved_mapping_is_offered_and_applied(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    import importers
    from importers.mapping import guess
    from storage import KINDS_BY_NAME

    rows = [["Giver", "Taker", "Thing"], ["Lithuania", "Ukraine", "Fuel"]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "odd.xlsx")
    mapping = guess(KINDS_BY_NAME["aid"], rows)
    for column, name in zip(mapping.columns, ("donor", "recipient", "item"), strict=True):
        column.field = name
    importers.save_mapping(sample_ledger, "odd team", "aid", mapping)
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    wizard = window.import_file(tmp_path / "odd.xlsx")
    qtbot.waitUntil(lambda: bool(wizard.sheets), timeout=15000)
    _next(qtbot, wizard)
    page = wizard.mapping_page
    assert [c.currentData() for c in page.combos] == [None, None, None]
    page._on_saved_box_activated(page.saved_box.findData("odd team"))
    assert [c.currentData() for c in page.combos] == ["donor", "recipient", "item"]
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_the_header_row_is_found_and_can_be_changed(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Support to Ukraine, compiled by the ministry"])
    sheet.append(["Donor", "Recipient", "Item"])  # a line of headers that looks right, and is not
    sheet.append(["Giver", "Taker", "Item", "Value (EUR)"])
    sheet.append(["Lithuania", "Ukraine", "Fuel", 5000])
    book.save(tmp_path / "titled.xlsx")
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    wizard = window.import_file(tmp_path / "titled.xlsx")
    qtbot.waitUntil(lambda: bool(wizard.sheets), timeout=15000)
    _next(qtbot, wizard)
    page = wizard.mapping_page
    found = page.header_spin.value()
    assert found == 2 and "found by reading" in page.header_note.text()
    assert [c.currentData() for c in page.combos] == ["donor", "recipient", "item", None]
    page.header_spin.setValue(3)  # the user knows better
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == [
        "Giver",
        "Taker",
        "Item",
        "Value (EUR)",
    ]
    assert page.table.item(0, 1).text() == "Lithuania" and "found: row 2" in page.header_note.text()
    assert [c.currentData() for c in page.combos] == [None, None, "item", "value_eur"]
    page.combos[0].setCurrentIndex(page.combos[0].findData("donor"))
    page.combos[1].setCurrentIndex(page.combos[1].findData("recipient"))
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    assert wizard.plan.rows_read == 1 and len(wizard.plan.adds) == 1
    assert wizard.plan.adds[0].values["value_eur"] == 5000


def test_a_kiel_workbook_is_recognised_in_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.importers import trackers

    path, expect = trackers.kiel_workbook(tmp_path, rows=120)
    with Ledger.open(tmp_path / "k.db") as ledger:
        window = MainWindow(ledger)
        qtbot.addWidget(window)
        wizard = window.import_file(path)
        qtbot.waitUntil(lambda: bool(wizard.sheets), timeout=15000)
        assert "Recognised: Kiel Institute, Ukraine Support Tracker" in wizard.file_page.info.text()
        assert wizard.file_page.sheet_box.currentData() == "Bilateral assistance, MAIN DATA"  # not the ReadMe
        _next(qtbot, wizard)
        assert wizard.mapping is not None and wizard.mapping.field_columns().get("package") == 0
        _next(qtbot, wizard)  # the recipient is implied: nothing to fill in
        qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
        assert "recognised: Kiel Institute" in wizard.preview_page.summary.text()
        _next(qtbot, wizard)
        qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
        assert ledger.db["aid"].count >= 0.9 * expect.rows
        assert ledger.conn.execute("SELECT count(*) FROM packages WHERE value_eur IS NOT NULL").fetchone()[0] > 0
        wizard.close()


def test_the_wizard_counts_one_in_the_singular(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("Donor,Recipient,Item\nFreedonia,Ukraine,Field kitchen\n")  # a donor not here yet
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    wizard = window.import_file(path)
    qtbot.waitUntil(lambda: bool(wizard.sheets), timeout=15000)
    page = wizard.file_page
    assert page.info.text().startswith("1 sheet. ") and "(s)" not in page.info.text()
    assert page.sheet_box.currentText().endswith("(2 rows)")
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    assert "1 row read" in wizard.preview_page.summary.text()
    _next(qtbot, wizard)  # Import
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
    done = wizard.done_page.text.text()
    assert done.startswith("1 record added, 0 updated, 0 deleted, 1 linked record created.")


def test_the_apps_own_csv_export_comes_back_matched_by_id(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    import csv

    from exporters import csv_export

    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    csv_export.run(sample_ledger, tmp_path / "aid.csv", kind="aid")
    with (tmp_path / "aid.csv").open(encoding="utf-8-sig", newline="") as text:
        rows = list(csv.reader(text))
    notes = rows[0].index("Notes")
    uid = rows[1][0]
    rows[1][notes] = "checked with the ministry"
    with (tmp_path / "edited.csv").open("w", encoding="utf-8-sig", newline="") as text:
        csv.writer(text).writerows(rows)

    wizard = window.import_file(tmp_path / "edited.csv")
    qtbot.waitUntil(lambda: wizard.is_export, timeout=15000)
    assert "Aid Ledger export of Aid" in wizard.file_page.info.text()
    _next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.PREVIEW  # no mapping step: its columns are the app's own
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    assert wizard.plan is not None and not wizard.plan.adds  # matched by ID, not new records
    assert wizard.preview_page.changes_model.rowCount() == 1
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
    rid = rec.id_for_uid(sample_ledger, "aid", uid)
    assert rid is not None and rec.get(sample_ledger, "aid", rid)["notes"] == "checked with the ministry"
