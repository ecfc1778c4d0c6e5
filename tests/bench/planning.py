"""The planning side of ``make bench``, one measurement per process (so peak memory is its own).

python -m tests.bench.planning MODE SOURCE OUT [DB]   prints {"seconds": s, "peak_mb": m, "rows": n}

- "preview" plans another team's file against the database DB and writes nothing (``importers.run(...,
  dry_run=True)``: mapping, parsing, validation, the duplicate check); "preview-bare" reads the same file with
  python-calamine and runs one indexed SELECT per row, of the records sharing its donor, recipient and date.
- "bucket" is "preview" on a file whose rows all share one bucket; "bucket-bare" reads it with calamine, SELECTs
  that bucket's titles once, and gives each row's title to rapidfuzz's ``process.extractOne`` (the same scorer and
  cutoff) against the bucket's titles and every earlier row's: the fuzzy work, done bare.
- "unchanged" imports an Aid Ledger export into a copy of the database it was exported from (nothing to write);
  "new" imports the same workbook into a new database: the same records, added.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    """The process's highest resident memory so far, in MB."""
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024


def _cells(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    cells: list[list[Any]] = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    return cells


_BUCKET_SQL = (
    "SELECT a.id, a.item FROM aid a WHERE a.donor_id = (SELECT id FROM actors WHERE name = ?)"
    " AND a.recipient_id = (SELECT id FROM actors WHERE name = ?) AND a.announced_on = ?"
)


def preview_bare(path: Path, db: Path) -> int:
    """Read the file with calamine and SELECT, per row, the records sharing its bucket; returns the rows read."""
    import sqlite3

    conn = sqlite3.connect(db)
    cells = _cells(path)
    column = {str(h): i for i, h in enumerate(cells[0])}
    donor, recipient, date = column["Donor"], column["Recipient"], column["Announced on"]
    for row in cells[1:]:
        conn.execute(_BUCKET_SQL, (row[donor], row[recipient], str(row[date]))).fetchall()
    return len(cells) - 1


def bucket_bare(path: Path, db: Path) -> int:
    """Read the file, SELECT its one bucket, and match each title against it and the earlier rows'.

    Returns:
        The rows read.
    """
    import sqlite3

    from rapidfuzz import fuzz, process

    from importers.duplicates import FUZZY_DUPLICATE

    conn = sqlite3.connect(db)
    cells = _cells(path)
    column = {str(h): i for i, h in enumerate(cells[0])}
    first = cells[1]
    key = (first[column["Donor"]], first[column["Recipient"]], str(first[column["Announced on"]]))
    titles = [str(item or "").casefold() for _, item in conn.execute(_BUCKET_SQL, key)]
    item = column["Item"]
    for row in cells[1:]:
        title = str(row[item] or "").casefold()
        process.extractOne(title, titles, scorer=fuzz.ratio, score_cutoff=FUZZY_DUPLICATE)
        titles.append(title)
    return len(cells) - 1


def main() -> int:
    """Measure the mode the command line names and print its figures as JSON."""
    mode, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    db = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    if mode in ("preview", "bucket"):
        import importers
        from storage import Ledger

        assert db is not None
        with Ledger.open(db, create=False) as ledger:
            start = time.perf_counter()
            plan, _ = importers.run(ledger, source, dry_run=True)
            seconds = time.perf_counter() - start
            rows = plan.rows_read
    elif mode in ("preview-bare", "bucket-bare"):
        assert db is not None
        start = time.perf_counter()
        rows = (preview_bare if mode == "preview-bare" else bucket_bare)(source, db)
        seconds = time.perf_counter() - start
    else:  # "unchanged", "new": SOURCE is the export; the database it was exported from sits beside it
        import importers
        from storage import Ledger
        from tests.bench.synthetic import actors

        if mode == "unchanged":
            shutil.copyfile(source.with_suffix(".db"), out)
        with Ledger.open(out) as ledger:
            if mode == "new":
                actors(ledger)
            start = time.perf_counter()
            plan, done = importers.run(ledger, source)
            seconds = time.perf_counter() - start
            rows = plan.unchanged if mode == "unchanged" else done["added"]
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
