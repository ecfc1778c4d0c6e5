"""Kill the app's process (SIGKILL) at random moments while it saves edits, imports and exports, many times over.

Afterwards the database passes `check`, every edit reported saved is there, a killed import left nothing of
itself, and no half-written export stands where the user asked for one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from storage import Ledger
from storage.check import check
from tests.conftest import FULL

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 40 if FULL else 4

EDITS = """
import sys
from storage import Ledger
from storage import records as rec
ledger = Ledger.open(sys.argv[1])
lithuania = rec.resolve(ledger, "actors", "Lithuania")
for n in range(100_000):
    item = f"crash test edit {sys.argv[2]}-{n}"
    rec.insert(ledger, "aid", {"donor": lithuania, "recipient": "Ukraine", "item": item})
    print(n, flush=True)  # reported saved: the commit returned
"""

IMPORT = """
import sys
import importers
from storage import Ledger
importers.run(Ledger.open(sys.argv[1]), sys.argv[2])
print("done", flush=True)
"""

EXPORT = """
import sys
from exporters import xlsx
from storage import Ledger
xlsx.run(Ledger.open(sys.argv[1]), sys.argv[2])
print("done", flush=True)
"""


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_after(process: subprocess.Popen[str], seconds: float) -> str:
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    out, _ = process.communicate(timeout=30)
    return out


@pytest.mark.slow
def test_edits_reported_saved_survive_a_kill(sample_ledger: Ledger) -> None:
    rng = random.Random(7)
    path = str(sample_ledger.path)
    for round_ in range(ROUNDS):
        out = _kill_after(_start(EDITS, path, str(round_)), rng.uniform(0.3, 1.5))
        saved = [int(line) for line in out.split() if line.isdigit()]
        with Ledger.open(path) as after:  # the app starts normally
            assert check(after) == []
            items = {
                r[0]
                for r in after.conn.execute("SELECT item FROM aid WHERE item LIKE ?", (f"crash test edit {round_}-%",))
            }
            assert {f"crash test edit {round_}-{n}" for n in saved} <= items
            assert len(items) <= len(saved) + 1  # at most the one whose report the kill cut off


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_of_itself(sample_ledger: Ledger, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Donor", "Recipient", "Item", "Value (EUR)"])
    for n in range(20_000):
        book.active.append(["Lithuania", "Ukraine", f"Killed import row {n}", n])
    book.save(tmp_path / "big.xlsx")
    rng = random.Random(11)
    before = sample_ledger.db["aid"].count
    for _ in range(ROUNDS):
        out = _kill_after(_start(IMPORT, str(sample_ledger.path), str(tmp_path / "big.xlsx")), rng.uniform(0.2, 2.5))
        with Ledger.open(sample_ledger.path) as after:
            assert check(after) == []
            count = after.db["aid"].count
            # Killed after its commit returned (a checkpoint, or before "done" was printed), it is all there;
            # else nothing of it is: never a part.
            if "done" in out or count != before:
                assert count == before + 20_000
                after.conn.execute("DELETE FROM aid WHERE item LIKE 'Killed import row %'")
                after.conn.execute(
                    "DELETE FROM packages WHERE id NOT IN (SELECT package_id FROM aid WHERE package_id IS NOT NULL)"
                )


@pytest.mark.slow
def test_a_killed_export_leaves_no_half_written_file(sample_ledger: Ledger, tmp_path: Path) -> None:
    rng = random.Random(13)
    target = tmp_path / "for-a-colleague.xlsx"
    target.write_bytes(b"the colleague's previous workbook")
    for _ in range(ROUNDS):
        out = _kill_after(_start(EXPORT, str(sample_ledger.path), str(target)), rng.uniform(0.2, 1.5))
        content = target.read_bytes()
        if "done" in out:
            assert openpyxl.load_workbook(target).sheetnames[0] == "Summary"
        else:  # the old file stands whole, or the new one does: never a half-written one
            assert content == b"the colleague's previous workbook" or openpyxl.load_workbook(target)
        for part in tmp_path.glob("*.part"):  # the killed process's scratch file; the app's next export ignores it
            part.unlink()
