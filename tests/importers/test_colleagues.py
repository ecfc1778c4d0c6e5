"""Colleagues' workbooks come back whole: blank optional cells, actors this database lacks, preview and import that
agree, --delete-missing that never deletes for what it could not read, conflicts without a "Last updated" column,
retyped headers and a tampered hidden sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import importers
from exporters import xlsx
from storage import Ledger, UserError
from storage import records as rec
from storage.sample import load_sample


def _export_and_edit(ledger: Ledger, tmp_path: Path, edit: Callable[[Any, list[str]], None], **options: Any) -> Path:
    """Export the database, let ``edit`` change the Aid sheet (given the sheet and its headers), save a copy."""
    exported, edited = tmp_path / "export.xlsx", tmp_path / "edited.xlsx"
    xlsx.run(ledger, exported, **options)
    book = openpyxl.load_workbook(exported)
    sheet = book["Aid"]
    edit(sheet, [str(c.value or "") for c in sheet[1]])
    book.save(edited)
    return edited


def _col(header: list[str], name: str) -> int:
    return header.index(name) + 1


def test_a_new_row_with_its_optional_cells_blank_takes_the_defaults(sample_ledger: Ledger, tmp_path: Path) -> None:
    def add_row(sheet: Any, header: list[str]) -> None:
        row = [
            c.value if h in {"Kind", "Donor", "Recipient", "Category", "Status"} else None
            for h, c in zip(header, sheet[2], strict=True)
        ]
        row[header.index("Item")] = "A colleague's new item"
        sheet.append(row)

    edited = _export_and_edit(sample_ledger, tmp_path, add_row)
    plan = importers.run(sample_ledger, edited, dry_run=True)[0]
    assert plan.counts()["add"] == 1 and not plan.issues
    importers.run(sample_ledger, plan.source, plan=plan)[1]
    rid = rec.find_ids(sample_ledger, "aid", "A colleague's new item")[0]
    record = rec.get(sample_ledger, "aid", rid)
    assert record["uncertain"] is False or record["uncertain"] == 0
    assert record["currency"] == "EUR"  # the field's default


def test_actors_this_database_lacks_come_in_with_the_rows_that_name_them(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "colleague.db") as theirs:
        load_sample(theirs)
        newland = rec.insert(theirs, "actors", {"name": "Newland", "type": "country"})
        donor = rec.get(
            theirs, "aid", rec.find_ids(theirs, "aid", "Javelin")[0] if rec.find_ids(theirs, "aid", "Javelin") else 1
        )
        for n in range(3):
            rec.insert(
                theirs,
                "aid",
                {
                    "kind": "military aid",
                    "donor": newland,
                    "recipient": donor["recipient"],
                    "category": "other",
                    "item": f"Newland item {n}",
                    "status": "announced",
                },
            )
        rec.insert(theirs, "actors", {"name": "Lithuania (their copy)", "type": "country"})
        xlsx.run(theirs, tmp_path / "theirs.xlsx")
    with Ledger.open(tmp_path / "ours.db") as ours:
        load_sample(ours)
        rec.insert(ours, "actors", {"name": "Lithuania (their copy)", "type": "country"})  # here under another ID
        plan = importers.run(ours, tmp_path / "theirs.xlsx", dry_run=True)[0]
        assert not plan.issues, plan.summary()
        assert plan.counts()["add"] == 4  # Newland and its three items
        assert plan.matched_by_name == 1
        done = importers.run(ours, plan.source, plan=plan)[1]
        assert done["added"] == 4
        newland_here = rec.find_ids(ours, "actors", "Newland")
        assert len(newland_here) == 1
        items = ours.conn.execute("SELECT count(*) FROM aid WHERE donor_id = ?", (newland_here[0],)).fetchone()[0]
        assert items == 3
        assert len(rec.find_ids(ours, "actors", "Lithuania (their copy)")) == 1


def test_a_blank_required_cell_in_an_update_is_a_problem_in_the_preview_and_the_import_agrees(
    sample_ledger: Ledger, tmp_path: Path
) -> None:
    def blank_item(sheet: Any, header: list[str]) -> None:
        sheet.cell(2, _col(header, "Item")).value = None
        sheet.cell(2, _col(header, "Notes")).value = "changed with the item left blank"

    edited = _export_and_edit(sample_ledger, tmp_path, blank_item)
    uid = openpyxl.load_workbook(edited)["Aid"].cell(2, 1).value
    rid = rec.id_for_uid(sample_ledger, "aid", uid)
    assert rid is not None
    item = rec.get(sample_ledger, "aid", rid)["item"]
    plan = importers.run(sample_ledger, edited, dry_run=True)[0]
    assert any("Item is required" in i.message and i.column for i in plan.issues)
    assert plan.counts()["update"] == 1
    done = importers.run(sample_ledger, plan.source, plan=plan)[1]  # what the preview showed, no more, no less
    assert done["updated"] == 1
    record = rec.get(sample_ledger, "aid", rid)
    assert record["item"] == item and record["notes"] == "changed with the item left blank"


@pytest.mark.parametrize("header", ["id", None])
def test_delete_missing_refuses_without_a_readable_id_column(
    sample_ledger: Ledger, tmp_path: Path, header: str | None
) -> None:
    def lose_ids(sheet: Any, _: list[str]) -> None:
        sheet.cell(1, 1).value = header
        if header is None:
            sheet.delete_cols(1)

    edited = _export_and_edit(sample_ledger, tmp_path, lose_ids)
    before = sample_ledger.db["aid"].count
    with pytest.raises(UserError, match="--delete-missing refused"):
        importers.run(sample_ledger, edited, delete_missing=True, dry_run=True)[0]
    plan = importers.run(sample_ledger, edited, dry_run=True)[
        0
    ]  # without it: nothing missing is listed for the unreadable
    assert not any(kind == "aid" for kind, _, _ in plan.missing)
    importers.run(sample_ledger, plan.source, plan=plan)[1]
    assert sample_ledger.db["aid"].count == before


def test_delete_missing_keeps_the_record_of_a_refused_row(sample_ledger: Ledger, tmp_path: Path) -> None:
    def spoil(sheet: Any, header: list[str]) -> None:
        sheet.cell(2, _col(header, "Value")).value = "a lot"  # this row is refused
        sheet.cell(3, 1).value = "NOT-AN-ID"  # and this one names no record it can be matched to
        sheet.delete_rows(4)  # this one is really gone

    edited = _export_and_edit(sample_ledger, tmp_path, spoil)
    with pytest.raises(UserError, match="cannot be read"):
        importers.run(sample_ledger, edited, delete_missing=True, dry_run=True)[0]

    def spoil_value(sheet: Any, header: list[str]) -> None:
        sheet.cell(2, _col(header, "Value")).value = "a lot"
        sheet.delete_rows(4)

    edited = _export_and_edit(sample_ledger, tmp_path, spoil_value)
    refused_uid = openpyxl.load_workbook(edited)["Aid"].cell(2, 1).value
    plan = importers.run(sample_ledger, edited, delete_missing=True, dry_run=True)[0]
    assert [kind for kind, _, _ in plan.missing] == ["aid"]
    importers.run(sample_ledger, plan.source, plan=plan)[1]
    assert rec.id_for_uid(sample_ledger, "aid", refused_uid) is not None


def test_without_last_updated_a_field_changed_here_is_never_overwritten(sample_ledger: Ledger, tmp_path: Path) -> None:
    exported = tmp_path / "export.xlsx"
    xlsx.run(sample_ledger, exported)
    book = openpyxl.load_workbook(exported)
    sheet = book["Aid"]
    header = [str(c.value or "") for c in sheet[1]]
    both, here_only, there_only = (rec.id_for_uid(sample_ledger, "aid", sheet.cell(r, 1).value) for r in (2, 3, 4))
    assert both and here_only and there_only
    notes = _col(header, "Notes")
    sheet.cell(2, notes).value = "their notes"
    sheet.cell(4, notes).value = "only they changed this"
    sheet.delete_cols(_col(header, "Last updated"))
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    rec.update(sample_ledger, "aid", both, {"notes": "our notes"})
    rec.update(sample_ledger, "aid", here_only, {"notes": "only we changed this"})
    plan = importers.run(sample_ledger, edited, dry_run=True)[0]
    assert [(c.rid, c.field, c.theirs) for c in plan.conflicts] == [(both, "notes", "their notes")]
    assert {u.rid: u.changes["notes"][1] for u in plan.updates} == {there_only: "only they changed this"}
    importers.run(sample_ledger, plan.source, plan=plan)[1]
    assert rec.get(sample_ledger, "aid", both)["notes"] == "our notes"
    assert rec.get(sample_ledger, "aid", here_only)["notes"] == "only we changed this"
    assert rec.get(sample_ledger, "aid", there_only)["notes"] == "only they changed this"


def test_a_retyped_header_is_reported_and_its_values_go_nowhere(sample_ledger: Ledger, tmp_path: Path) -> None:
    def retype(sheet: Any, header: list[str]) -> None:
        sheet.cell(1, _col(header, "Recipient")).value = "Donor"
        sheet.cell(1, _col(header, "Notes")).value = "My own notes"

    edited = _export_and_edit(sample_ledger, tmp_path, retype)
    plan = importers.run(sample_ledger, edited, dry_run=True)[0]
    assert any("both headed 'Donor'" in i.message for i in plan.issues)
    assert any("My own notes" in c for c in plan.unread_columns)
    assert "columns not read" in plan.summary()
    assert not any("donor" in u.changes or "recipient" in u.changes for u in plan.updates)


@pytest.mark.parametrize(("key", "value"), [("kinds", "not json ["), ("filtered", "[1, 2]")])
def test_a_tampered_hidden_sheet_is_reported_and_read_as_a_plain_workbook(
    sample_ledger: Ledger, tmp_path: Path, key: str, value: str
) -> None:
    exported = tmp_path / "export.xlsx"
    xlsx.run(sample_ledger, exported)
    book = openpyxl.load_workbook(exported)
    meta = book[xlsx.META_SHEET]
    for row in meta.iter_rows():
        if row[0].value == key:
            row[1].value = value
    book.save(tmp_path / "tampered.xlsx")
    plan = importers.run(sample_ledger, tmp_path / "tampered.xlsx", dry_run=True)[0]
    assert not plan.from_export
    assert "damaged" in plan.issues[0].message and key in plan.issues[0].message
    assert plan.mappings and next(iter(plan.mappings)) == "Aid"
