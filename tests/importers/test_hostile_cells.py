"""Cells no one should have to type, but files carry: each imported exactly, or refused with a reason, fast."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

import importers
from exporters import xlsx
from storage import Ledger
from tests.importers.test_foreign import measured_import, with_sheet

ODD = {
    "long": "x" * 40_000,
    "control": "tab\there, bell\x07, escape\x1b, form\x0cfeed",
    "rtl": "\u202eتبرعات أوكرانيا\u202c and עזרה",
    "zero width": "Kas\u200bči\u200dūnas\ufeff",
    "formula": "=cmd|' /C calc'!A0",
    "plus": "+370 600 12345",
}


def test_odd_text_comes_in_exactly_and_goes_back_out_as_text(sample_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Donor", "Recipient", "Item", "Notes"])
        for name, text in ODD.items():
            writer.writerow(["Lithuania", "Ukraine", f"Odd {name}", text])
    plan, done = importers.run(sample_ledger, path)
    assert done["added"] == len(ODD), [i.message for i in plan.issues]
    notes = {r["item"]: r["notes"] for r in sample_ledger.db["aid"].rows if r["item"].startswith("Odd ")}
    for name, text in ODD.items():  # kept as they were: control, right-to-left and zero-width characters too
        assert notes[f"Odd {name}"] == text, name
    xlsx.run(sample_ledger, tmp_path / "out.xlsx", kinds=["aid"])
    cells = openpyxl.load_workbook(tmp_path / "out.xlsx")["Aid"]
    header = [c.value for c in cells[1]]
    column = header.index("Notes") + 1
    kinds = {cells.cell(r, column).data_type for r in range(2, cells.max_row + 1) if cells.cell(r, column).value}
    assert kinds == {"s"}  # the formula-looking ones included: nothing runs
    again = importers.run(sample_ledger, tmp_path / "out.xlsx", dry_run=True)[0]
    changed = {name for u in again.updates for name in u.changes}
    assert "notes" not in changed  # the 40,000 characters were not shortened: nothing to overwrite either way


def test_a_quadratic_blowup_is_refused_or_read_harmlessly_fast(sample_ledger: Ledger, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Donor", "Item"])
    book.active.append(["Lithuania", "Fuel"])
    book.save(tmp_path / "good.xlsx")
    big = b"a" * 100_000
    blowup = with_sheet(
        tmp_path / "good.xlsx",
        tmp_path / "blowup.xlsx",
        lambda xml: xml.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "' + big + b'">]>', 1).replace(
            b"Fuel", b"&a;" * 50_000
        ),
    )
    count = sample_ledger.db["aid"].count
    result = measured_import(sample_ledger, blowup)
    assert result["seconds"] < 5 and result["peak_mb"] < 200, result
    items = [r["item"] for r in sample_ledger.db["aid"].rows]
    assert all(len(i) < 1_000_000 for i in items) and len(items) <= count + 1


EXCEL_ERRORS = ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]


def test_excel_error_cells_are_named_in_any_field_never_read_as_empty(sample_ledger: Ledger, tmp_path: Path) -> None:
    header = ["Donor", "Recipient", "Item", "Quantity committed", "Value (EUR)", "Status", "Announced on", "Notes"]
    good = ["Lithuania", "Ukraine", "Error row", 10, 1000, "Delivered", "2024-05-01", "fine"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for c in range(len(header)):  # one error per row, in a field of each type (the second row's is a Recipient)
        sheet.append([*good[:2], f"Error in {header[c]}", *good[3:]])
        cell = sheet.cell(c + 2, c + 1 if c != 2 else 2)
        cell.value, cell.data_type = EXCEL_ERRORS[c % len(EXCEL_ERRORS)], "e"  # what Excel writes: t="e"
    sheet.append([*good[:2], "Text that looks like an error", *good[3:-1], "#N/A"])
    sheet.cell(sheet.max_row, len(header)).data_type = "s"  # typed text, not an error cell
    book.save(tmp_path / "errors.xlsx")
    before = sample_ledger.db["aid"].count
    plan, done = importers.run(sample_ledger, tmp_path / "errors.xlsx")
    found = sorted((i.row, i.column, i.message) for i in plan.issues)
    assert [(row, column) for row, column, _ in found] == [(c + 2, "ABBDEFGH"[c]) for c in range(len(header))]
    for c, (_, _, message) in enumerate(found):
        assert f"an Excel error ({EXCEL_ERRORS[c % len(EXCEL_ERRORS)]}), not a value" in message
    # a required field's error refuses its row; an optional one's row comes in, the cell kept in its note
    assert done["added"] == 5 and sample_ledger.db["aid"].count == before + 5
    kept = next(sample_ledger.db["aid"].rows_where("item = ?", ["Error in Value (EUR)"]))
    assert kept["value_eur"] is None and "an Excel error" in kept["uncertain_note"] and kept["uncertain"] == 1
    assert next(sample_ledger.db["aid"].rows_where("item = ?", ["Text that looks like an error"]))["notes"] == "#N/A"


def test_an_error_cell_in_an_edited_export_changes_nothing(sample_ledger: Ledger, tmp_path: Path) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx", kinds=["aid"])
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    aid = book["Aid"]
    header = [c.value for c in aid[1]]
    cell = aid.cell(2, header.index("Value (EUR)") + 1)
    uid = aid.cell(2, header.index("ID") + 1).value
    cell.value, cell.data_type = "#REF!", "e"
    book.save(tmp_path / "edited.xlsx")
    plan = importers.run(sample_ledger, tmp_path / "edited.xlsx", dry_run=True)[0]
    assert [(i.row, i.message) for i in plan.issues] == [
        (2, "Value (EUR): an Excel error (#REF!), not a value: correct the formula or type the value")
    ]
    assert uid not in {u.uid for u in plan.updates}  # not emptied
