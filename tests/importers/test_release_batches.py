"""A newer release of a tracker over an older one is matched and compared a chunk of rows at a time.

Row by row, each row the key matched cost seven queries (its package's records, the record, when it last came in,
the references it names): 18,828 statements for the 3,000 rows here, against 29 a chunk at a time.
"""

from __future__ import annotations

import csv
from pathlib import Path

import importers
from importers.foreign import plan_foreign
from importers.mapping import guess
from importers.reading import Sheet
from storage import KINDS_BY_NAME, Ledger
from storage import records as rec
from tests.importers import trackers

ROWS = 3000


def _rewrite(path: Path, changes: dict[int, str]) -> None:
    """The release again, with the Explanation of some data rows (counted from 0) changed."""
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    notes = rows[0].index("Explanation")
    for row, text in changes.items():
        rows[row + 1][notes] = text
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)


def test_a_newer_release_is_planned_in_a_few_statements_per_thousand_rows(tmp_path: Path) -> None:
    path, expect = trackers.kiel_csv(tmp_path, rows=ROWS)
    ledger = Ledger.open(tmp_path / "kiel.db")
    importers.run(ledger, path)
    ids = [rid for (rid,) in ledger.conn.execute("SELECT id FROM aid ORDER BY id")]
    assert len(ids) == expect.rows == ROWS
    # changed in the release: rows in the first, second and last chunk; the second also edited here since
    _rewrite(path, {0: "Changed in the release", 1500: "Changed too", 1501: "Changed there", ROWS - 1: "Last one"})
    rec.update(ledger, "aid", ids[1501], {"notes": "corrected by an analyst"})
    rec.update(ledger, "aid", ids[7], {"notes": "edited here only"})  # the release still has the old text
    statements: list[str] = []
    ledger.conn.set_trace_callback(statements.append)
    plan, _ = importers.run(ledger, path, dry_run=True)
    ledger.conn.set_trace_callback(None)
    # the name cache asks whether another program wrote, once per name the reader resolves: no table is read
    queries = [s for s in statements if s != "PRAGMA data_version"]
    assert len(queries) < ROWS / 10, f"{len(queries)} statements for {ROWS} rows"
    assert not plan.adds
    updated = {u.rid: u.changes for u in plan.updates}
    assert updated == {
        ids[0]: {"notes": (rec.get(ledger, "aid", ids[0])["notes"], "Changed in the release")},
        ids[1500]: {"notes": (rec.get(ledger, "aid", ids[1500])["notes"], "Changed too")},
        ids[ROWS - 1]: {"notes": (rec.get(ledger, "aid", ids[ROWS - 1])["notes"], "Last one")},
    }
    assert [(c.rid, c.field, c.ours, c.theirs) for c in plan.conflicts] == [
        (ids[1501], "notes", "corrected by an analyst", "Changed there")
    ]
    assert plan.matched_by_key == ROWS - 4 and plan.unchanged == 0  # the analyst's own edit stays, unchanged


def test_a_problem_found_in_comparing_a_row_is_listed_among_its_rows_problems(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path / "actors.db")
    actors = KINDS_BY_NAME["actors"]
    alpha = rec.insert(ledger, actors, {"name": "Alpha", "aliases": "AL"})
    rec.insert(ledger, actors, {"name": "Beta", "aliases": "BE"})
    rows: list[list[object]] = [
        ["Name", "Aliases", "Type"],
        ["Beta", "AL", "country"],  # Alpha's, renamed to a name another actor has
        ["Gamma", "GA", "spaceship"],  # a type that is none
    ]
    sheet = Sheet("Actors", rows)
    plan = plan_foreign(ledger, tmp_path / "actors.csv", sheet, actors, guess(actors, rows), key=("aliases",))
    assert [(i.row, i.message.split(":")[0]) for i in plan.issues] == [
        (2, "another actor is named 'Beta'"),
        (3, "Type"),
    ]
    assert plan.matched_by_key == 1 and not plan.updates and rec.get(ledger, actors, alpha)["name"] == "Alpha"
