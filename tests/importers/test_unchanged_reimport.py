"""An export coming back unchanged costs a few queries per thousand rows, not several per row.

And the rows that did change, wherever they fall among thousands that did not, are still found, links and all.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

import importers
from exporters import xlsx
from storage import Ledger
from storage import records as rec
from storage.bulk import bulk_insert
from storage.sample import load_sample
from tests.bench.synthetic import actors, aid_rows


def _ledger_of(path: Path, synthetic: int) -> Ledger:
    ledger = Ledger.open(path)
    load_sample(ledger)  # every kind, with links (sources cited, participants) to read back
    bulk_insert(ledger, "aid", aid_rows(synthetic, actors(ledger)))
    return ledger


def _statements_while_planning(ledger: Ledger, path: Path) -> tuple[importers.Plan, int]:
    statements: list[str] = []
    ledger.conn.set_trace_callback(statements.append)
    try:
        plan = importers.make_plan(ledger, path)
    finally:
        ledger.conn.set_trace_callback(None)
    return plan, len(statements)


def test_planning_an_unchanged_export_reads_the_records_in_batches(tmp_path: Path) -> None:
    counted = {}
    for synthetic in (1_000, 2_000):
        with _ledger_of(tmp_path / f"{synthetic}.db", synthetic) as ledger:
            records = sum(ledger.db[k].count for k in ("aid", "actors", "sources", "packages", "events"))
            records += sum(ledger.db[k].count for k in ("agreements", "totals"))
            xlsx.run(ledger, tmp_path / f"{synthetic}.xlsx")
            plan, counted[synthetic] = _statements_while_planning(ledger, tmp_path / f"{synthetic}.xlsx")
            counts = plan.counts()
            assert counts["unchanged"] == counts["rows"] == records > synthetic
            assert (counts["add"], counts["update"], counts["conflicts"], counts["errors"]) == (0, 0, 0, 0)
            assert not plan.missing
            assert f"unchanged {records:,}" in plan.summary()
            # one query or more per record would be thousands; a look-up per name the rows give (a donor) stays
            assert counted[synthetic] < records / 5
    # a thousand more records of a kind cost a query or two per batch of them, not one or more per record
    assert counted[2_000] - counted[1_000] < 1_000 / 50


def test_the_changed_rows_among_thousands_unchanged_are_found(tmp_path: Path) -> None:
    with _ledger_of(tmp_path / "db.db", 2_500) as ledger:
        xlsx.run(ledger, tmp_path / "out.xlsx")
        book = openpyxl.load_workbook(tmp_path / "out.xlsx")
        aid = book["Aid"]
        header = [c.value for c in aid[1]]
        col = {name: header.index(name) + 1 for name in ("ID", "Notes", "Sources", "Donor")}
        with_sources = next(r for r in range(2, aid.max_row + 1) if aid.cell(r, col["Sources"]).value)
        # the first row of a batch, the last of one, one in the middle, and a record whose links change
        edited = {1001: ("Notes", "first of the second batch"), 1000: ("Notes", "last of the first batch")}
        edited[1777] = ("Donor", "Latvia" if aid.cell(1777, col["Donor"]).value != "Latvia" else "Estonia")
        edited[with_sources] = ("Sources", "")
        uids = {}
        for r, (name, value) in edited.items():
            aid.cell(r, col[name]).value = value
            uids[aid.cell(r, col["ID"]).value] = name
        book.save(tmp_path / "edited.xlsx")
        plan = importers.make_plan(ledger, tmp_path / "edited.xlsx")
        assert not plan.issues and not plan.conflicts and not plan.adds
        label_of = {"notes": "Notes", "sources": "Sources", "donor": "Donor"}
        assert {u.uid: [label_of[n] for n in u.changes] for u in plan.updates} == {u: [n] for u, n in uids.items()}
        assert plan.unchanged == plan.rows_read - len(edited)
        cited = next(u for u in plan.updates if uids[u.uid] == "Sources")
        assert cited.changes["sources"][0] and cited.changes["sources"][1] == []
        importers.apply(ledger, plan)
        rid = rec.id_for_uid(ledger, "aid", next(u for u, n in uids.items() if n == "Sources"))
        assert rid is not None and rec.get(ledger, "aid", rid)["sources"] == []
        xlsx.run(ledger, tmp_path / "again.xlsx")
        assert importers.make_plan(ledger, tmp_path / "again.xlsx").counts()["update"] == 0
