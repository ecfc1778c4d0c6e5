"""The export's analysis: the Summary's figures and native charts, and the Reconciliation sheet."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from exporters import xlsx
from storage import Ledger
from storage import records as rec
from storage.reconcile import reconcile


def _valued(ledger: Ledger) -> None:
    item = {"donor": "Lithuania", "recipient": "Ukraine", "currency": "EUR", "status": "delivered"}
    rec.insert(ledger, "aid", {**item, "item": "Shells", "category": "ammunition", "value": 40_000_000,
                               "announced_on": "2024-03-01"})  # fmt: skip
    rec.insert(ledger, "aid", {**item, "item": "Trucks", "category": "logistics vehicles", "value": 2_000_000,
                               "announced_on": "2023-05", "status": "committed"})  # fmt: skip


def _rows_after(sheet: object, title: str) -> list[tuple[object, ...]]:
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    found = []
    for r in rows[start + 2 :]:
        if r[0] is None:
            break
        found.append(r)
    return found


def test_the_summary_has_the_analysis_figures_as_native_charts(sample_ledger: Ledger, tmp_path: Path) -> None:
    _valued(sample_ledger)
    xlsx.run(sample_ledger, tmp_path / "a.xlsx")
    summary = openpyxl.load_workbook(tmp_path / "a.xlsx")["Summary"]
    assert len(summary._charts) >= 5  # the year chart, and the four of the Analysis page
    by_status = {r[0]: r[1] for r in _rows_after(summary, "Committed against delivered: EUR by status")}
    assert by_status["Delivered"] == 40_000_000 and by_status["Committed"] == 2_000_000
    sql = sample_ledger.conn.execute(
        "SELECT sum(value_eur) FROM aid WHERE kind NOT IN ('procurement for own forces', 'sale', 'licensed production')"
    ).fetchone()[0]
    assert sum(r[1] for r in _rows_after(summary, "EUR by donor")) == sql == 42_000_000
    timeline = {r[0]: r for r in _rows_after(summary, "Timeline: aid announced, events and agreements by month")}
    assert timeline["2024-03"][1] == 40_000_000 and timeline["2024-08"][2] >= 1  # events of August 2024


def test_the_reconciliation_sheet_has_each_exported_total_and_its_gap(sample_ledger: Ledger, tmp_path: Path) -> None:
    _valued(sample_ledger)
    xlsx.run(sample_ledger, tmp_path / "a.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Reconciliation"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("Subject", "Recipient", "Measure", "As of", "Reported")
    expected = {(r.amount, r.items_eur, r.gap_eur) for r in reconcile(sample_ledger)}
    got = {(r[4], r[8] or 0, r[11]) for r in body}
    assert got == expected
    assert any(r[4] == 641_000_000 and r[8] == 42_000_000 and r[11] == 599_000_000 for r in body)


def test_no_totals_exported_means_no_reconciliation_sheet(sample_ledger: Ledger, tmp_path: Path) -> None:
    xlsx.run(sample_ledger, tmp_path / "a.xlsx", kinds=["aid"])
    assert "Reconciliation" not in openpyxl.load_workbook(tmp_path / "a.xlsx").sheetnames
