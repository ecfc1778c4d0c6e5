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
    again = importers.make_plan(sample_ledger, tmp_path / "out.xlsx")
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
