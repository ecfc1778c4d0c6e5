"""The import's side of ``make bench``, one measurement per process.

python -m tests.bench.importing app|bare WORKBOOK DB   prints {"seconds": s, "peak_mb": m, "rows": n}

"app" imports the workbook's Aid sheet as another team's file (mapping, parsing, validation, duplicate check,
one transaction with history); "bare" reads it with python-calamine and inserts the same rows with sqlite-utils
into a table with no index; "indexed" reads it the same way and inserts the same records, already in stored form,
with sqlite-utils into Aid Ledger's own Aid table (its indexes for sorting any column, and its full-text index).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024


def main() -> int:
    mode, workbook, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if mode == "app":
        import importers
        from storage import Ledger
        from tests.bench.synthetic import actors

        with Ledger.open(db) as ledger:
            actors(ledger)
            start = time.perf_counter()
            plan, done = importers.run(ledger, workbook, kind="aid", sheet="Aid")
            seconds = time.perf_counter() - start
            rows = done["added"]
    elif mode == "indexed":
        import sqlite3

        import sqlite_utils
        from python_calamine import CalamineWorkbook

        from storage import Ledger
        from tests.bench.synthetic import actors

        source = sqlite3.connect(workbook.with_suffix(".db"))
        columns = [r[1] for r in source.execute("PRAGMA table_info(aid)") if r[1] != "id"]
        with Ledger.open(db) as ledger:
            actors(ledger)  # the same countries, made in the same order: the same row ids
        start = time.perf_counter()
        cells = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Aid").to_python()
        stored = (
            dict(zip(columns, row, strict=True)) for row in source.execute(f"SELECT {', '.join(columns)} FROM aid")
        )
        sqlite_utils.Database(db)["aid"].insert_all(stored, batch_size=5000)
        seconds = time.perf_counter() - start
        rows = len(cells) - 1
    else:
        import sqlite_utils
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        cells = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("Aid").to_python()
        header = [str(h) for h in cells[0]]
        records = ({h: v for h, v in zip(header, row, strict=False)} for row in cells[1:])
        sqlite_utils.Database(db)["aid"].insert_all(records, batch_size=5000)
        seconds = time.perf_counter() - start
        rows = len(cells) - 1
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
