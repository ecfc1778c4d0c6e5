"""The record model of decisions.md (schema version 3): kinds of transfer, and what counts as aid to others."""

from __future__ import annotations

from pathlib import Path

import openpyxl

import importers
from exporters import xlsx
from storage import Ledger
from storage import records as rec
from storage.stats import eur_totals


def test_sales_and_own_procurement_are_not_aid_to_others(sample_ledger: Ledger) -> None:
    before = eur_totals(sample_ledger)
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    for kind in ("sale", "licensed production", "humanitarian aid"):
        rec.insert(
            sample_ledger,
            "aid",
            {"kind": kind, "donor": lithuania, "recipient": "Ukraine", "item": f"A {kind}", "value_eur": 1_000_000},
        )
    after = eur_totals(sample_ledger)
    assert after["to_others"] == before["to_others"] + 1_000_000  # the humanitarian aid only
    assert after["by_kind"]["sale"] == 1_000_000 and after["by_kind"]["licensed production"] == 1_000_000


def test_an_older_export_saying_aid_comes_back_as_military_aid_unchanged(sample_ledger: Ledger, tmp_path: Path) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx", kinds=["aid"])
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = book["Aid"]
    kind = [c.value for c in sheet[1]].index("Kind") + 1
    changed = 0
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, kind).value == "Military aid":
            sheet.cell(r, kind).value = "Aid"  # as the first release wrote it
            changed += 1
    assert changed
    book.save(tmp_path / "old.xlsx")
    plan, _ = importers.run(sample_ledger, tmp_path / "old.xlsx", dry_run=True)
    assert plan.counts()["update"] == 0 and not plan.issues


def test_a_packages_own_value_counts_once_and_only_where_its_items_have_none(sample_ledger: Ledger) -> None:
    before = eur_totals(sample_ledger)
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    bare = rec.insert(sample_ledger, "packages", {"name": "P1", "value_eur": 9_000_000})
    priced = rec.insert(sample_ledger, "packages", {"name": "P2", "value_eur": 5_000_000})
    base = {"donor": lithuania, "recipient": "Ukraine"}
    for n in range(3):  # three items, none with a value: the package's value, once
        rec.insert(sample_ledger, "aid", {**base, "item": f"Bare {n}", "package": bare})
    rec.insert(sample_ledger, "aid", {**base, "item": "Priced", "package": priced, "value_eur": 1_000_000})
    rec.insert(sample_ledger, "aid", {**base, "item": "Unpriced", "package": priced})
    after = eur_totals(sample_ledger)
    assert after["to_others"] == before["to_others"] + 9_000_000 + 1_000_000
    assert after["not_itemised"] == before["not_itemised"] + 9_000_000
    # the package's other items are covered by its value; only the unpriced item of the priced package is not
    assert after["items_without_value"] == before["items_without_value"] + 1
