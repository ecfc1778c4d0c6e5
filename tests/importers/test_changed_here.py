"""An edited export coming back: a field changed only here since the export is kept, and it is not a conflict.

A cell that shows only part of its field (the Sources cell names the sources, not the quotes) must not read as
changed in the file because the record changed here.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

import importers
from exporters import xlsx
from storage import Ledger
from storage import records as rec


def _edited_export(ledger: Ledger, tmp_path: Path) -> tuple[int, Path]:
    """An export whose first Aid row has new notes in the file (and nothing else changed): its record's id."""
    xlsx.run(ledger, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    aid = book["Aid"]
    head = [c.value for c in aid[1]]
    aid.cell(2, head.index("Notes") + 1).value = "notes from the file"
    rid = rec.id_for_uid(ledger, "aid", aid.cell(2, 1).value)
    assert rid is not None
    book.save(tmp_path / "edited.xlsx")
    return rid, tmp_path / "edited.xlsx"


def test_a_source_removed_here_is_kept_removed_and_is_no_conflict(sample_ledger: Ledger, tmp_path: Path) -> None:
    rid, path = _edited_export(sample_ledger, tmp_path)
    assert rec.get(sample_ledger, "aid", rid)["sources"]  # the export's Sources cell names it
    rec.update(sample_ledger, "aid", rid, {"sources": []})
    plan = importers.make_plan(sample_ledger, path)
    assert plan.conflicts == []
    assert [(u.rid, list(u.changes)) for u in plan.updates] == [(rid, ["notes"])]
    importers.apply(sample_ledger, plan)
    record = rec.get(sample_ledger, "aid", rid)
    assert (record["sources"], record["notes"]) == ([], "notes from the file")


def test_a_field_changed_in_both_is_still_a_conflict(sample_ledger: Ledger, tmp_path: Path) -> None:
    rid, path = _edited_export(sample_ledger, tmp_path)
    rec.update(sample_ledger, "aid", rid, {"notes": "notes from here", "sources": []})
    plan = importers.make_plan(sample_ledger, path)
    assert [(c.rid, c.field, c.ours, c.theirs) for c in plan.conflicts] == [
        (rid, "notes", "notes from here", "notes from the file")
    ]
    assert plan.updates == []
    assert "1 conflict (changed here" in plan.summary()
