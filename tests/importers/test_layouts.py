"""Other trackers' files come in through their layouts, described as data (importers/layouts/*.toml).

Out of the box: the Kiel Institute's Ukraine Support Tracker (workbook and CSV) and SIPRI's trade register,
generated with their real headers and quirks by tests/importers/trackers.py.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

import importers
from importers import layouts
from importers.reading import read
from storage import Ledger
from storage import records as rec
from storage.check import check
from storage.stats import eur_totals
from tests.cli.test_cli import run
from tests.importers import trackers


@pytest.fixture
def empty(tmp_path: Path) -> Ledger:
    """An empty database."""
    return Ledger.open(tmp_path / "empty.db")


def _count(ledger: Ledger, sql: str, *args: object) -> int:
    return int(ledger.conn.execute(sql, args).fetchone()[0])


def test_each_layout_is_a_data_file_that_loads() -> None:
    names = {layout.id: layout.name for layout in layouts.known()}
    assert names == {
        "kiel-ust": "Kiel Institute, Ukraine Support Tracker: bilateral main data",
        "kiel-ust-snake": "Kiel Institute, Ukraine Support Tracker: release with snake_case headers",
        "sipri-trade-register": "SIPRI arms transfers: trade register",
        "sipri-deliveries": "SIPRI arms transfers: deliveries by year",
    }


def test_the_kiel_workbook_is_found_on_its_data_sheet_and_comes_in(empty: Ledger, tmp_path: Path) -> None:
    path, expect = trackers.kiel_workbook(tmp_path, rows=400)
    found = layouts.recognise(read(path))
    assert found is not None and found[1].name == "Bilateral assistance, MAIN DATA"  # not the ReadMe before it
    plan, done = importers.run(empty, path)
    assert "recognised: Kiel Institute, Ukraine Support Tracker" in plan.summary()
    assert done["added"] == expect.rows  # every row: an unreadable cell is kept in the record's note
    _same_as_the_file(empty, expect)
    # the recipient is implied, the item never '.', the blank-headed column read as the item
    assert _count(empty, "SELECT count(DISTINCT recipient_id) FROM aid") == 1
    assert _count(empty, "SELECT count(*) FROM aid a JOIN actors r ON r.id = a.recipient_id WHERE r.name = 'Ukraine'")
    assert _count(empty, "SELECT count(*) FROM aid WHERE item IN ('.', '') OR item IS NULL") == 0
    # each ID a package, its EUR value stored once, on the package
    assert _count(empty, "SELECT count(*) FROM packages") == expect.packages
    assert _count(empty, "SELECT count(*) FROM packages WHERE value_eur IS NOT NULL") > 0
    assert _count(empty, "SELECT count(*) FROM aid WHERE value_eur IS NOT NULL") == 0
    # a name people read (code, donor, date); the rows still find the package by its code
    named = empty.conn.execute(
        "SELECT p.name, p.code, a.name, p.announced_on FROM packages p JOIN actors a ON a.id = p.donor_id"
    ).fetchall()
    assert named and all(name.startswith(f"{code}: {donor}") for name, code, donor, _ in named)
    assert all(rec.find_ids(empty, "packages", code) for _, code, _, _ in named)
    assert check(empty) == []


def test_the_kiel_csv_gives_kinds_categories_sources_and_statuses(empty: Ledger, tmp_path: Path) -> None:
    path, expect = trackers.kiel_csv(tmp_path, rows=600)
    plan, done = importers.run(empty, path)
    assert "recognised: Kiel Institute" in plan.summary()
    assert done["added"] == expect.rows
    _same_as_the_file(empty, expect)
    # a vague date is its partial date, with its qualifier and its text as written, the record uncertain
    until = empty.conn.execute(
        "SELECT announced_on, announced_qualifier, uncertain FROM aid WHERE announced_as_written LIKE 'until %'"
    ).fetchall()
    assert until and all(q == "until" and u == 1 and len(d) == 10 for d, q, u in until)
    assert _count(empty, "SELECT count(*) FROM aid WHERE currency = '.' OR item = '.' OR notes = '.'") == 0
    kinds = dict(empty.conn.execute("SELECT kind, count(*) FROM aid GROUP BY kind").fetchall())
    assert {"military aid", "humanitarian aid", "financial aid"} <= set(kinds)
    categories = {r[0] for r in empty.conn.execute("SELECT DISTINCT category FROM aid")}
    assert {"ammunition", "artillery", "anti-tank weapons", "armoured vehicles"} <= categories
    # one URL cited by many rows is one source, with its address as its URL
    assert _count(empty, "SELECT count(*) FROM sources WHERE url IS NULL") == 0
    assert _count(empty, "SELECT count(*) FROM sources") == _count(empty, "SELECT count(DISTINCT url) FROM sources")
    assert _count(empty, "SELECT count(*) FROM citations") > 0


def test_sipri_suppliers_are_donors_its_status_a_condition_and_tiv_is_kept(empty: Ledger, tmp_path: Path) -> None:
    path, expect = trackers.sipri_register(tmp_path, rows=2000)
    plan, done = importers.run(empty, path)
    assert "recognised: SIPRI arms transfers: trade register" in plan.summary()
    assert done["added"] == expect.rows
    donors = dict(
        empty.conn.execute("SELECT a.name, count(*) FROM aid JOIN actors a ON a.id = aid.donor_id GROUP BY 1")
    )
    assert donors["Unknown"] == expect.donors["unknown supplier(s)"]
    assert _count(empty, "SELECT count(*) FROM actors WHERE name = 'Unknown' AND type = 'unknown'") == 1
    assert _count(empty, "SELECT count(*) FROM aid WHERE status NOT IN ('committed', 'delivered')") == 0
    conditions = {r[0] for r in empty.conn.execute("SELECT DISTINCT condition FROM aid")}
    assert conditions == {"new", "second hand", "second hand, modernised"}
    assert {"sale", "military aid"} <= {r[0] for r in empty.conn.execute("SELECT DISTINCT kind FROM aid")}
    assert _count(empty, "SELECT count(*) FROM aid WHERE tiv_delivered IS NOT NULL") > 0
    assert _count(empty, "SELECT count(*) FROM aid WHERE delivery_years LIKE '%;%'") > 0
    assert _count(empty, "SELECT count(*) FROM aid WHERE length(delivered_on) = 4") > 0
    assert _count(empty, "SELECT count(*) FROM aid WHERE uncertain = 1 AND uncertain_note LIKE '%uncertain%'") > 0
    assert _count(empty, "SELECT count(*) FROM actors WHERE name = 'Libya HoR' AND type = 'organisation'") == 1
    assert _count(empty, "SELECT count(*) FROM aid WHERE item LIKE 'Bü-181%'") > 0  # Latin-1, read right


@pytest.mark.parametrize("make", [trackers.kiel_csv, trackers.sipri_register])
def test_the_same_release_again_adds_nothing(empty: Ledger, tmp_path: Path, make: object) -> None:
    path, _ = make(tmp_path, rows=300)  # type: ignore[operator]
    _, first = importers.run(empty, path)
    plan, again = importers.run(empty, path)
    assert again["added"] == 0 and plan.matched_by_key == first["added"]


def test_the_command_line_leaves_a_column_out_names_one_by_its_letters_and_keeps_some_rows(tmp_path: Path) -> None:
    path, expect = trackers.sipri_register(tmp_path, rows=300)
    db = tmp_path / "s.db"
    out = run("--db", str(db), "import", str(path), "--where", "donor=Poland", "--map", "status=-;H=notes")
    assert out.returncode == 0, out.stderr
    # every column is said, and what became of it
    assert (
        "read by the layout to work out other fields, and kept: column 4; column 6; column 10; Year(s) of delivery"
        in out.stdout
    )
    assert "left out: status" in out.stdout
    with Ledger.open(db) as ledger:
        donors = {r[0] for r in ledger.conn.execute("SELECT a.name FROM aid JOIN actors a ON a.id = aid.donor_id")}
        assert donors == {"Poland"}
        assert _count(ledger, "SELECT count(*) FROM aid") == expect.donors["Poland"]
        assert _count(ledger, "SELECT count(*) FROM aid WHERE condition IS NOT NULL") == 0  # status left out
        # column H is the weapon description, named by its letters
        assert _count(ledger, "SELECT count(*) FROM aid WHERE notes IN ('portable SAM', 'tank', 'APC', 'SAM')") > 0


def test_a_required_field_that_every_row_lacks_is_said_once(tmp_path: Path) -> None:
    source = tmp_path / "items.csv"
    source.write_text("Donor,Item\nLithuania,Helmets\nLithuania,Fuel\n", encoding="utf-8")
    out = run("--db", str(tmp_path / "s.db"), "import", str(source))
    assert out.returncode == 1
    assert "every row lacks Recipient: no column holds it; add --set recipient=NAME" in out.stderr


def _same_as_the_file(ledger: Ledger, expect: trackers.Expect) -> None:
    """The records hold what the file says: each donor its number of rows, and the EUR sum of its packages."""
    donors = dict(
        ledger.conn.execute("SELECT a.name, count(*) FROM aid JOIN actors a ON a.id = aid.donor_id GROUP BY 1")
    )
    assert donors == expect.donors
    totals = eur_totals(ledger)
    assert round(totals["to_others"] + totals["own_procurement"], 2) == round(expect.eur_sum, 2)


def test_the_newest_kiel_releases_snake_case_headers_count_each_euro_once(empty: Ledger, tmp_path: Path) -> None:
    path, expect = trackers.kiel_csv(tmp_path, rows=500, style="snake")
    plan, done = importers.run(empty, path)
    assert "release with snake_case headers" in plan.summary()
    assert done["added"] == expect.rows
    _same_as_the_file(empty, expect)  # the activity's total, repeated on every row, is not summed


def test_a_newer_release_updates_what_it_changed_and_never_overwrites_an_edit_here(
    empty: Ledger, tmp_path: Path
) -> None:
    path, _ = trackers.kiel_csv(tmp_path, rows=200)
    importers.run(empty, path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    header = rows[0]
    notes = header.index("Explanation")
    first, second = rows[1], rows[2]
    first[notes], second[notes] = "Updated in the newer release", "Also updated there"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    # an analyst corrected the second record here after the first release came in
    edited = empty.conn.execute("SELECT id FROM aid ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]
    rec.update(empty, "aid", edited, {"notes": "corrected by an analyst"})
    plan, done = importers.run(empty, path)
    assert done["added"] == 0
    assert [c.field for c in plan.conflicts] == ["notes"] and plan.conflicts[0].rid == edited
    assert done["updated"] == 1
    first_id = empty.conn.execute("SELECT min(id) FROM aid").fetchone()[0]
    assert rec.get(empty, "aid", first_id)["notes"] == "Updated in the newer release"
    assert rec.get(empty, "aid", edited)["notes"] == "corrected by an analyst"


def test_sipri_deliveries_by_year_are_each_a_delivery_of_the_deals_package(empty: Ledger, tmp_path: Path) -> None:
    path, expect = trackers.sipri_per_delivery(tmp_path, deals=300)
    plan, done = importers.run(empty, path)
    assert "recognised: SIPRI arms transfers: deliveries by year" in plan.summary()
    assert done["added"] == expect.rows
    rows = empty.conn.execute(
        "SELECT a.delivered_on, a.status, a.kind, a.category, a.condition, a.tiv_delivered, a.uncertain,"
        " a.uncertain_note, a.extra, p.code FROM aid a JOIN packages p ON p.id = a.package_id"
    ).fetchall()
    assert len(rows) == expect.rows
    assert all(len(d) == 4 and status == "delivered" for d, status, *_ in rows)  # the year of each delivery
    assert {r[2] for r in rows} <= {"sale", "licensed production"}  # never "aid" for a sale
    assert _count(empty, "SELECT count(*) FROM aid WHERE category = 'other'") < expect.rows / 10
    assert {r[4] for r in rows} <= {"new", "second hand", "second hand, modernised"}
    assert math.isclose(sum(r[5] or 0 for r in rows), expect.tiv_delivered_sum, rel_tol=1e-9)  # TIV, not money
    estimated = [r for r in rows if r[6]]
    assert estimated and all("SIPRI's estimate" in r[7] for r in estimated)
    assert all("Description" in json.loads(r[8]) for r in rows)  # SIPRI's words kept with the record
    # a deal's rows are one package, with its supplier, recipient and order date
    assert _count(empty, "SELECT count(*) FROM packages WHERE donor_id IS NULL OR announced_on IS NULL") == 0
    assert _count(empty, "SELECT count(*) FROM packages") == len({r[9] for r in rows}) < expect.rows
    _, again = importers.run(empty, path)
    assert again["added"] == 0  # matched by deal and delivery year
    assert check(empty) == []
