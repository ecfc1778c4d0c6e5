"""An export edited by a colleague comes back.

The preview lists exactly the edits, and apply makes the database equal to the workbook, also after LibreOffice
has opened and re-saved it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import importers
from exporters import xlsx
from storage import Ledger
from storage import records as rec
from storage.ids import new_uid as new_uid_made_elsewhere
from storage.search import search_ids
from storage.undo import last_batch, revert


def _edit(source: Path, target: Path) -> dict[str, str]:
    """Change two cells, add one Aid row (copied from another, new item, no ID); delete nothing."""
    book = openpyxl.load_workbook(source)
    aid = book["Aid"]
    header = [c.value for c in aid[1]]
    col = {name: header.index(name) + 1 for name in ("ID", "Item", "Notes", "Status", "Value (EUR)")}
    edited_id = aid.cell(2, col["ID"]).value
    aid.cell(2, col["Notes"]).value = "edited by a colleague"
    aid.cell(2, col["Status"]).value = "Delivered"
    aid.cell(3, col["Value (EUR)"]).value = 12_500_000
    new = aid.max_row + 1
    for c in range(1, aid.max_column + 1):
        aid.cell(new, c).value = aid.cell(3, c).value
    aid.cell(new, col["ID"]).value = None
    aid.cell(new, col["Item"]).value = "Spare barrels for the howitzers"
    book.save(target)
    return {"edited": edited_id, "valued": aid.cell(3, col["ID"]).value}


def _check_round_trip(ledger: Ledger, edited_file: Path, ids: dict[str, str]) -> None:
    plan = importers.run(ledger, edited_file, dry_run=True)[0]
    assert plan.from_export and not plan.issues and not plan.conflicts
    assert len(plan.adds) == 1 and plan.adds[0].values["item"] == "Spare barrels for the howitzers"
    changes = {(u.uid, name): new for u in plan.updates for name, (_, new) in u.changes.items()}
    assert changes == {
        (ids["edited"], "notes"): "edited by a colleague",
        (ids["edited"], "status"): "delivered",
        (ids["valued"], "value_eur"): 12_500_000,
    }
    assert plan.missing == []
    before = ledger.db["aid"].count
    done = importers.run(ledger, plan.source, plan=plan)[1]
    assert done == {"added": 1, "updated": 2, "deleted": 0, "created": 0}
    assert ledger.db["aid"].count == before + 1
    # The database now equals the edited workbook: exported again, nothing differs.
    again = edited_file.with_name("again.xlsx")
    xlsx.run(ledger, again)
    assert importers.run(ledger, again, dry_run=True)[0].counts()["update"] == 0
    assert search_ids(ledger, "aid", "spare barrels")
    assert rec.get(ledger, "aid", rec.id_for_uid(ledger, "aid", ids["edited"]))["status"] == "delivered"


def test_an_edited_export_comes_back_with_exactly_its_edits(sample_ledger: Ledger, tmp_path: Path) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    ids = _edit(tmp_path / "out.xlsx", tmp_path / "edited.xlsx")
    _check_round_trip(sample_ledger, tmp_path / "edited.xlsx", ids)
    # One import is one undo step.
    revert(sample_ledger, last_batch(sample_ledger) or 0)
    assert not search_ids(sample_ledger, "aid", "spare barrels")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (make test installs it)")
def test_the_same_after_libreoffice_resaves_the_workbook(sample_ledger: Ledger, tmp_path: Path) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    ids = _edit(tmp_path / "out.xlsx", tmp_path / "edited.xlsx")
    resaved = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(resaved),
            str(tmp_path / "edited.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    _check_round_trip(sample_ledger, resaved / "edited.xlsx", ids)


def test_a_record_changed_on_both_sides_is_a_conflict_nothing_is_overwritten(
    sample_ledger: Ledger, tmp_path: Path
) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    ids = _edit(tmp_path / "out.xlsx", tmp_path / "edited.xlsx")
    rid = rec.id_for_uid(sample_ledger, "aid", ids["edited"])
    assert rid is not None
    rec.update(sample_ledger, "aid", rid, {"notes": "changed here meanwhile"})
    plan = importers.run(sample_ledger, tmp_path / "edited.xlsx", dry_run=True)[0]
    assert [(c.field, c.ours, c.theirs) for c in plan.conflicts] == [
        ("notes", "changed here meanwhile", "edited by a colleague")
    ]
    importers.run(sample_ledger, plan.source, plan=plan)[1]  # the default keeps the value here
    record = rec.get(sample_ledger, "aid", rid)
    assert record["notes"] == "changed here meanwhile" and record["status"] == "delivered"


def test_a_colleagues_new_record_keeps_its_id_and_missing_rows_delete_only_when_asked(
    sample_ledger: Ledger, tmp_path: Path
) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    aid = book["Aid"]
    removed_uid = aid.cell(5, 1).value
    aid.delete_rows(5)
    new_uid = new_uid_made_elsewhere()
    aid.cell(aid.max_row, 1).value = new_uid  # the last row becomes a colleague's record of their own
    book.save(tmp_path / "edited.xlsx")
    plan = importers.run(sample_ledger, tmp_path / "edited.xlsx", dry_run=True)[0]
    assert [a.uid for a in plan.adds] == [new_uid]
    assert [m[0] for m in plan.missing].count("aid") == 2  # the deleted row, and the row that became the new one
    importers.run(sample_ledger, plan.source, plan=plan)[1]
    assert rec.id_for_uid(sample_ledger, "aid", removed_uid) is not None  # kept: not asked to delete
    plan = importers.run(sample_ledger, tmp_path / "edited.xlsx", delete_missing=True, dry_run=True)[0]
    importers.run(sample_ledger, plan.source, plan=plan)[1]
    assert rec.id_for_uid(sample_ledger, "aid", removed_uid) is None
    assert rec.id_for_uid(sample_ledger, "aid", new_uid) is not None


def test_a_cancelled_import_leaves_the_database_exactly_as_it_was(sample_ledger: Ledger, tmp_path: Path) -> None:
    xlsx.run(sample_ledger, tmp_path / "out.xlsx")
    _edit(tmp_path / "out.xlsx", tmp_path / "edited.xlsx")
    plan = importers.run(sample_ledger, tmp_path / "edited.xlsx", dry_run=True)[0]
    dump_before = "\n".join(sample_ledger.conn.iterdump())
    # Cancelled at the last check, when every change has been written inside the transaction.
    with pytest.raises(importers.Cancelled):
        importers.run(sample_ledger, plan.source, plan=plan, is_cancelled=lambda: True)[1]
    assert "\n".join(sample_ledger.conn.iterdump()) == dump_before
