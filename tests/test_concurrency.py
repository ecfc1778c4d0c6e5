"""Two commands at once on one file, as real processes, several rounds each.

Two imports of one file give its records once, two edited exports never overwrite each other's edit unseen, two
imports making the same new actor both land, and an export run beside a writer holds exactly what it says it holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from exporters import xlsx
from storage import Ledger
from storage import records as rec
from storage.sample import load_sample
from tests.conftest import FULL

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 12 if FULL else 2


def _cli(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _together(*runs: subprocess.Popen[str]) -> list[tuple[int, str]]:
    return [(p.wait(timeout=300), p.communicate()[0]) for p in runs]


def _csv(path: Path, donor: str, items: list[str]) -> Path:
    lines = ["donor,recipient,category,item,status"] + [f"{donor},Ukraine,other,{item},delivered" for item in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("rows", [5, 400])  # one by one, and the bulk path
def test_two_imports_of_one_file_at_once_give_its_records_once(tmp_path: Path, rows: int) -> None:
    for n in range(ROUNDS):
        db = tmp_path / f"r{n}-{rows}.db"
        with Ledger.open(db) as ledger:
            load_sample(ledger)
            before = ledger.db["aid"].count
        source = _csv(tmp_path / "same.csv", "Lithuania", [f"Item {n}-{i}" for i in range(rows)])
        results = _together(*(_cli(db, "import", str(source), "--type", "aid") for _ in range(2)))
        assert [code for code, _ in results] == [0, 0], results
        with Ledger.open(db) as ledger:
            assert ledger.db["aid"].count == before + rows, results


@pytest.mark.slow
def test_two_edited_exports_at_once_never_overwrite_each_others_edit(tmp_path: Path) -> None:
    for n in range(ROUNDS):
        db = tmp_path / f"r{n}.db"
        with Ledger.open(db) as ledger:
            load_sample(ledger)
            xlsx.run(ledger, tmp_path / "export.xlsx")
        book = openpyxl.load_workbook(tmp_path / "export.xlsx")
        header = [c.value for c in book["Aid"][1]]
        uid = book["Aid"].cell(2, 1).value
        edited = []
        for who in ("Ann", "Bo"):
            book["Aid"].cell(2, header.index("Notes") + 1).value = f"notes by {who}"
            book.save(tmp_path / f"{who}.xlsx")
            edited.append(tmp_path / f"{who}.xlsx")
        results = _together(*(_cli(db, "import", str(path)) for path in edited))
        assert [code for code, _ in results] == [0, 0], results
        with Ledger.open(db) as ledger:
            notes = rec.get(ledger, "aid", rec.id_for_uid(ledger, "aid", uid) or 0)["notes"]
        assert notes in ("notes by Ann", "notes by Bo")
        lost = results[1] if notes == "notes by Ann" else results[0]
        assert "1 conflict (" in lost[1], results  # the edit that did not land is shown as a conflict, not lost


@pytest.mark.slow
def test_two_imports_that_make_the_same_new_actor_both_land(tmp_path: Path) -> None:
    for n in range(ROUNDS):
        db = tmp_path / f"r{n}.db"
        with Ledger.open(db) as ledger:
            load_sample(ledger)
        files = [_csv(tmp_path / f"{who}.csv", "Newlandia", [f"Item of {who}"]) for who in ("ann", "bo")]
        results = _together(*(_cli(db, "import", str(path), "--type", "aid") for path in files))
        assert [code for code, _ in results] == [0, 0], results
        with Ledger.open(db) as ledger:
            assert len(rec.find_ids(ledger, "actors", "Newlandia")) == 1
            newlandia = rec.find_ids(ledger, "actors", "Newlandia")[0]
            count = ledger.conn.execute("SELECT count(*) FROM aid WHERE donor_id = ?", (newlandia,)).fetchone()[0]
            assert count == 2


DELETER = """
import sys
from storage import Ledger
from storage import records as rec
ledger = Ledger.open(sys.argv[1])
ids = [r[0] for r in ledger.conn.execute("SELECT id FROM aid ORDER BY id DESC")]
print("started", flush=True)
for start in range(0, len(ids) - 100, 50):
    with ledger.batch("delete some"):
        for rid in ids[start : start + 50]:
            rec.delete(ledger, "aid", rid)
"""


@pytest.mark.slow
def test_an_export_beside_a_writer_holds_exactly_what_it_reports(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    with Ledger.open(db) as ledger:
        load_sample(ledger)
        lithuania = rec.resolve(ledger, "actors", "Lithuania")
        with ledger.batch("many"):
            for i in range(3000):
                rec.insert(ledger, "aid", {"donor": lithuania, "recipient": "Ukraine", "item": f"Item {i}"})
    for n in range(ROUNDS):
        out = tmp_path / f"export{n}.xlsx"
        deleter = subprocess.Popen(
            [sys.executable, "-c", DELETER, str(db)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert deleter.stdout is not None and deleter.stdout.readline().strip() == "started"
        code, output = _together(_cli(db, "export", str(out), "--type", "aid"))[0]
        deleter.wait(timeout=300)
        assert code == 0, output
        reported = int(output.split("Exported ")[1].split(" ")[0].replace(",", ""))
        rows = sum(
            1
            for s in openpyxl.load_workbook(out, read_only=True)
            if s.title == "Aid" or s.title.startswith("Aid (")
            for _ in s.iter_rows(min_row=2)
        )
        assert rows == reported, output
        with Ledger.open(db) as ledger:  # the next round deletes again from what is left
            lithuania = rec.resolve(ledger, "actors", "Lithuania")
            with ledger.batch("more"):
                for i in range(3000 - ledger.db["aid"].count):
                    rec.insert(ledger, "aid", {"donor": lithuania, "recipient": "Ukraine", "item": f"More {n}-{i}"})
