"""Colleagues' workbooks come back whole.

Blank optional cells, actors this database lacks, preview and import that agree, --delete-missing that never
deletes for what it could not read, conflicts without a "Last updated" column, retyped headers and a tampered
hidden sheet.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import importers
from exporters import csv_export, xlsx
from importers.report import write_report
from storage import DISPLAY_ORDER, Ledger, UserError
from storage import records as rec
from storage.check import check
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


def test_a_retyped_header_is_reported_and_its_values_are_kept_apart(sample_ledger: Ledger, tmp_path: Path) -> None:
    def retype(sheet: Any, header: list[str]) -> None:
        sheet.cell(1, _col(header, "Recipient")).value = "Donor"
        sheet.cell(1, _col(header, "Notes")).value = "My own notes"

    edited = _export_and_edit(sample_ledger, tmp_path, retype)
    plan = importers.run(sample_ledger, edited, dry_run=True)[0]
    assert any("both headed 'Donor'" in i.message for i in plan.issues)
    # a header that names no field: its cells are kept with the records under it, never read into Notes
    summary = plan.summary()
    assert "Aid: columns no field takes, kept with each record (Other columns): " in summary
    assert "'My own notes'" in summary
    noted = [u for u in plan.updates if "extra" in u.changes]
    assert noted and all("notes" not in u.changes for u in noted)
    assert all(json.loads(u.changes["extra"][1]).keys() == {"My own notes"} for u in noted)
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


def test_a_whole_export_goes_into_an_empty_database(sample_ledger: Ledger, tmp_path: Path) -> None:
    """Actors name others on later rows (a coalition, their roles): every record comes in, pointing right."""
    xlsx.run(sample_ledger, tmp_path / "all.xlsx")
    with Ledger.open(tmp_path / "empty.db") as empty:
        plan, done = importers.run(empty, tmp_path / "all.xlsx")
        assert not plan.issues and done["added"] == sum(sample_ledger.db[k].count for k in DISPLAY_ORDER)
        for kind in DISPLAY_ORDER:
            assert empty.db[kind].count == sample_ledger.db[kind].count, kind
        relations = "SELECT count(*) FROM actor_relations"
        assert empty.conn.execute(relations).fetchone() == sample_ledger.conn.execute(relations).fetchone()
        assert check(empty) == []


def test_an_edited_row_naming_an_actor_not_here_makes_it_as_the_preview_said(
    sample_ledger: Ledger, tmp_path: Path
) -> None:
    def rename(sheet: Any, header: list[str]) -> None:
        sheet.cell(2, _col(header, "Recipient")).value = "Nowhereland"

    edited = _export_and_edit(sample_ledger, tmp_path, rename)
    plan, _ = importers.run(sample_ledger, edited, dry_run=True)
    assert plan.counts()["update"] == 1 and plan.new_targets["actors"]
    _, done = importers.run(sample_ledger, edited, plan=plan)
    assert done == {"added": 0, "updated": 1, "deleted": 0, "created": 1}
    assert rec.find_ids(sample_ledger, "actors", "Nowhereland")


def test_a_row_with_another_kinds_id_is_refused(sample_ledger: Ledger, tmp_path: Path) -> None:
    event_uid = sample_ledger.conn.execute("SELECT uid FROM events LIMIT 1").fetchone()[0]

    def borrow(sheet: Any, header: list[str]) -> None:
        sheet.cell(2, 1).value = event_uid

    plan, _ = importers.run(sample_ledger, _export_and_edit(sample_ledger, tmp_path, borrow), dry_run=True)
    assert any(f"the ID {event_uid} is an event's" in i.message for i in plan.issues)
    assert plan.counts()["add"] == 0


def test_a_csv_export_whose_last_updated_cannot_be_read_never_overwrites(sample_ledger: Ledger, tmp_path: Path) -> None:
    csv_export.run(sample_ledger, tmp_path / "aid.csv", kind="aid")
    rows = list(csv.reader((tmp_path / "aid.csv").open(encoding="utf-8-sig")))
    notes, stamp = rows[0].index("Notes"), rows[0].index("Last updated")
    rid = rec.id_for_uid(sample_ledger, "aid", rows[1][0])
    assert rid is not None
    rows[1][notes] = "their notes"
    for row in rows[1:]:
        row[stamp] = "yesterday"
    with (tmp_path / "edited.csv").open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    rec.update(sample_ledger, "aid", rid, {"notes": "our notes"})
    plan, done = importers.run(sample_ledger, tmp_path / "edited.csv", kind="aid")
    assert [c.field for c in plan.conflicts] == ["notes"] and done["updated"] == 0
    assert rec.get(sample_ledger, "aid", rid)["notes"] == "our notes"


def test_records_an_export_could_not_see_are_never_missing_from_it(sample_ledger: Ledger, tmp_path: Path) -> None:
    """An import committed while the export read its snapshot.

    Its records are older than the export's time, but not in it, and --delete-missing must not take them for
    deleted.
    """
    xlsx.run(sample_ledger, tmp_path / "export.xlsx")
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    rid = rec.insert(sample_ledger, "aid", {"donor": lithuania, "recipient": "Ukraine", "item": "Made meanwhile"})
    sample_ledger.conn.execute("UPDATE aid SET created_at = '2000-01-01T00:00:00.000Z' WHERE id = ?", (rid,))
    plan, _ = importers.run(sample_ledger, tmp_path / "export.xlsx", dry_run=True, delete_missing=True)
    assert plan.missing == []


def test_a_formula_never_calculated_is_a_problem_not_an_empty_cell(sample_ledger: Ledger, tmp_path: Path) -> None:
    def formula(sheet: Any, header: list[str]) -> None:
        sheet.cell(2, _col(header, "Notes")).value = '=CONCATENATE("a", "b")'  # openpyxl stores no value

    edited = _export_and_edit(sample_ledger, tmp_path, formula)
    uid = openpyxl.load_workbook(edited)["Aid"].cell(2, 1).value
    notes = rec.get(sample_ledger, "aid", rec.id_for_uid(sample_ledger, "aid", uid) or 0)["notes"]
    plan, _ = importers.run(sample_ledger, edited, dry_run=True)
    assert any("never calculated" in i.message and i.row == 2 for i in plan.issues)
    importers.run(sample_ledger, edited, plan=plan)
    assert rec.get(sample_ledger, "aid", rec.id_for_uid(sample_ledger, "aid", uid) or 0)["notes"] == notes


def test_the_report_takes_control_characters(sample_ledger: Ledger, tmp_path: Path) -> None:
    source = _csv_file(tmp_path / "esc.csv", "Aid\x1b]0;pwned\x07")
    plan, _ = importers.run(sample_ledger, source, dry_run=True, kind="aid")
    assert plan.issues
    write_report(plan, tmp_path / "report.xlsx")
    reasons = [
        r[3].value for r in openpyxl.load_workbook(tmp_path / "report.xlsx")["Cannot import"].iter_rows(min_row=2)
    ]
    assert any("\\x1b" in str(r) for r in reasons)


def test_an_import_onto_a_full_disk_is_a_clear_error_and_writes_nothing(sample_ledger: Ledger, tmp_path: Path) -> None:
    source = tmp_path / "many.csv"
    lines = ["donor,recipient,category,item,status"]
    lines += [f"Lithuania,Ukraine,other,Item {n} {'x' * 200},delivered" for n in range(3000)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sample_ledger.db["aid"].count
    pages = sample_ledger.conn.execute("PRAGMA page_count").fetchone()[0]
    sample_ledger.conn.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk fills during the import
    with pytest.raises(UserError, match="disk is full"):
        importers.run(sample_ledger, source, kind="aid")
    assert sample_ledger.db["aid"].count == before


def _csv_file(path: Path, kind_cell: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["kind", "donor", "recipient", "item"], [kind_cell, "Lithuania", "Ukraine", "X"]])
    return path


def test_another_teams_blank_cells_take_their_fields_defaults(sample_ledger: Ledger, tmp_path: Path) -> None:
    source = tmp_path / "blanks.csv"
    source.write_text(
        "donor,recipient,item,status,currency,uncertain\n"
        "Lithuania,Ukraine,Helmets,,,\n"
        "Lithuania,Ukraine,Fuel,delivered,USD,yes\n",
        encoding="utf-8",
    )
    plan, done = importers.run(sample_ledger, source, kind="aid")
    assert done["added"] == 2 and not plan.issues
    helmets = next(sample_ledger.db["aid"].rows_where("item = ?", ["Helmets"]))
    assert (helmets["status"], helmets["currency"], helmets["uncertain"]) == ("announced", "EUR", 0)
    fuel = next(sample_ledger.db["aid"].rows_where("item = ?", ["Fuel"]))
    assert (fuel["status"], fuel["currency"], fuel["uncertain"]) == ("delivered", "USD", 1)
