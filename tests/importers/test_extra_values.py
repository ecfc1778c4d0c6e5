"""Extra values: a column of another team's file that no field takes is kept with each record, under its header.

Stored in the record's one JSON column, searched, checked, shown in the form (tests/gui), and exported back in its
own column, so that the file's every column survives a round trip through Aid Ledger (decisions.md, "Extra values").
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import importers
from exporters import csv_export, xlsx
from importers.reading import read
from storage import Ledger, extra
from storage.check import check
from storage.query import Filters, ids
from tests.cli.test_cli import run
from tests.importers import trackers
from tests.importers.trackers import Expect


@pytest.fixture
def kiel_ledger(tmp_path: Path, kiel_book: tuple[Path, Expect]) -> Ledger:
    """A database with a generated Kiel workbook imported."""
    ledger = Ledger.open(tmp_path / "kiel.db")
    importers.run(ledger, kiel_book[0])
    return ledger


def _extras(ledger: Ledger, kind: str = "aid") -> list[dict[str, Any]]:
    return [json.loads(e) for (e,) in ledger.conn.execute(f"SELECT extra FROM {kind} ORDER BY id") if e]


def _column(path: Path, sheet: str, header: str) -> Counter[Any]:
    """The non-blank cells of a file's column, as the file has them (but for stray spaces around a text)."""
    rows = next(s for s in read(path) if s.name == sheet).rows
    index = [str(h or "") for h in rows[0]].index(header)
    cells = [r[index] for r in rows[1:] if index < len(r)]
    return Counter(c.strip() if isinstance(c, str) else c for c in cells if c not in (None, ""))


def test_every_column_of_the_kiel_workbook_is_kept(kiel_ledger: Ledger, kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    extras = _extras(kiel_ledger)
    assert len(extras) == expect.rows
    # the columns that fill no field, each value as the file has it (numbers stay numbers)
    usd = "Value committed (own estimate, in USD)"
    for header in ("Type of Aid Specific", "Type of item", "Unit Price in USD", usd):
        kept = Counter(e[header] for e in extras if header in e)
        written = _column(path, expect.sheet, header)
        written = Counter({v: n for v, n in written.items() if v not in (".", "Not given")})  # null markers: unknown
        assert kept == written, header
    # the item's own column is not kept twice: the record's item holds it
    assert not any("Items" in e or "column 9" in e for e in extras)
    # a header written twice ("Sub-type of item") is told apart by its count, which a column less elsewhere keeps
    assert any("Sub-type of item (2)" in e for e in extras)


def test_extra_values_are_searched_and_checked(kiel_ledger: Ledger) -> None:
    assert ids(kiel_ledger, "aid", Filters(search="Heavy weapon"))  # "Type of item", in no field
    assert check(kiel_ledger) == []
    kiel_ledger.conn.execute("PRAGMA ignore_check_constraints = ON")  # as another program could write it
    with kiel_ledger.transaction():
        kiel_ledger.conn.execute("UPDATE aid SET extra = '[1, 2]' WHERE id = 1")
    assert any("Other columns" in p and "[1, 2]" in p for p in check(kiel_ledger))


def test_an_export_writes_them_back_in_their_own_columns_and_reads_back_unchanged(
    kiel_ledger: Ledger, tmp_path: Path
) -> None:
    exported = tmp_path / "export.xlsx"
    xlsx.run(kiel_ledger, exported)
    sheet = openpyxl.load_workbook(exported, read_only=True)["Aid"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[0] == "ID" and header[-1] == "Last updated"
    assert {"Type of Aid Specific", "Unit Price in USD", "Type of item"} <= set(header)
    assert "Other columns" not in header
    plan = importers.run(kiel_ledger, exported, dry_run=True)[0]
    assert plan.counts()["update"] == 0 and not plan.issues, plan.summary()


def test_an_edited_extra_value_comes_back_and_a_deleted_column_loses_nothing(
    kiel_ledger: Ledger, tmp_path: Path
) -> None:
    exported, edited = tmp_path / "export.xlsx", tmp_path / "edited.xlsx"
    xlsx.run(kiel_ledger, exported)
    book = openpyxl.load_workbook(exported)
    sheet = book["Aid"]
    header = [str(c.value or "") for c in sheet[1]]
    price, specific = header.index("Unit Price in USD") + 1, header.index("Type of Aid Specific") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, price).value is not None)
    uid = sheet.cell(row, 1).value
    sheet.cell(row, price).value = 1234
    sheet.delete_cols(specific)  # the colleague dropped a column: the values here stay
    book.save(edited)
    before = dict(kiel_ledger.conn.execute("SELECT uid, extra FROM aid").fetchall())
    plan, counts = importers.run(kiel_ledger, edited)
    assert counts["updated"] == 1, plan.summary()
    after = dict(kiel_ledger.conn.execute("SELECT uid, extra FROM aid").fetchall())
    changed = {u for u in after if after[u] != before[u]}
    assert changed == {uid}
    old, new = json.loads(before[uid]), json.loads(after[uid])
    assert new == {**old, "Unit Price in USD": 1234}


def test_a_csv_export_with_extra_values_is_still_its_own_export(kiel_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "aid.csv"
    csv_export.run(kiel_ledger, path, kind="aid")
    with open(path, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert "Type of item" in header
    plan = importers.run(kiel_ledger, path, dry_run=True)[0]
    assert plan.from_export and plan.counts()["update"] == 0, plan.summary()


def test_a_column_the_user_leaves_out_is_not_kept(tmp_path: Path) -> None:
    path, _ = trackers.sipri_register(tmp_path, rows=200)
    db = tmp_path / "s.db"
    out = run("--db", str(db), "import", str(path), "--map", "Weapon description=-")
    assert out.returncode == 0, out.stderr
    assert "left out: Weapon description" in out.stdout
    with Ledger.open(db) as ledger:
        assert _extras(ledger) == []
    kept = tmp_path / "k.db"
    out = run("--db", str(kept), "import", str(path))
    said = [line for line in out.stdout.splitlines() if "read by the layout to work out other fields, and kept" in line]
    assert said and "Weapon description" in said[0]  # it gives the category, and is kept as written
    with Ledger.open(kept) as ledger:
        assert {k for e in _extras(ledger) for k in e} == {"Weapon description"}  # "The description is kept"


def test_another_teams_sheet_keeps_a_column_no_field_takes(tmp_path: Path) -> None:
    path = tmp_path / "theirs.csv"
    path.write_text(
        "Donor,Recipient,Item,Our reference,Checked by\n"
        "Lithuania,Ukraine,Generators,LT-2024-17,AK\n"
        "Latvia,Ukraine,Drones,,n/a\n",
        encoding="utf-8",
    )
    ledger = Ledger.open(tmp_path / "t.db")
    plan, counts = importers.run(ledger, path, kind="aid")
    assert counts["added"] == 2, plan.summary()
    assert _extras(ledger) == [{"Our reference": "LT-2024-17", "Checked by": "AK"}]  # blank and "n/a": nothing


def test_a_newer_release_without_a_column_keeps_its_values_here(tmp_path: Path) -> None:
    path, expect = trackers.kiel_csv(tmp_path, rows=300)
    ledger = Ledger.open(tmp_path / "k.db")
    importers.run(ledger, path)
    before = dict(ledger.conn.execute("SELECT id, extra FROM aid").fetchall())
    assert any("Unit Price in USD" in json.loads(e) for e in before.values() if e)
    with open(path, encoding=expect.encoding, newline="") as f:
        rows = list(csv.reader(f))
    at = rows[expect.header_line - 1].index("Unit Price in USD")
    (tmp_path / "newer").mkdir()
    newer = tmp_path / "newer" / path.name  # the same name: the notes that name a cell name its sheet
    with open(newer, "w", encoding=expect.encoding, newline="") as f:
        csv.writer(f).writerows([r[:at] + r[at + 1 :] if len(r) > at else r for r in rows])
    plan, counts = importers.run(ledger, newer)
    assert counts["added"] == 0 and counts["updated"] == 0, [u.changes for u in plan.updates[:3]]
    assert dict(ledger.conn.execute("SELECT id, extra FROM aid").fetchall()) == before


@pytest.mark.parametrize(
    "values",
    [
        {"Type of Aid Specific": "Weapons and equipment", "Unit Price in USD": 4000, "Share": 0.25},
        {'Quote "as given"': "ÄÖ café — 1/2", "Flag": True, "Big": 2**60, "Tab\there": "line\nbreak"},
        {"Only": "one"},
    ],
)
def test_extra_values_written_a_pair_at_a_time_are_the_stored_object(values: dict[str, Any]) -> None:
    # a big import writes each distinct header and value once, then joins them: the text must be the object's own
    pairs = [extra.key_text(k) + extra.value_text(v) for k, v in values.items()]
    assert extra.joined(pairs) == extra.to_text(values)
    assert extra.from_text(extra.joined([None, *pairs])) == values
    assert extra.joined([None, None]) is None


def test_a_header_named_like_a_repeated_ones_count_loses_neither(tmp_path: Path) -> None:
    # "Lot (2)" is a header of the file, and the name the second "Lot" column would get: that one is "Lot (3)"
    path = tmp_path / "repeated.csv"
    path.write_text(
        "Donor,Recipient,Item,Lot,Lot (2),Lot,Lot\nPoland,Ukraine,Helmets,first,own,second,third\n", encoding="utf-8"
    )
    with Ledger.open(tmp_path / "r.db") as ledger:
        importers.run(ledger, path)
        (text,) = ledger.conn.execute("SELECT extra FROM aid").fetchone()
    assert json.loads(text) == {"Lot": "first", "Lot (2)": "own", "Lot (3)": "second", "Lot (4)": "third"}
