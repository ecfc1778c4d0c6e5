"""The export's side of ``make bench``, one measurement per process (so peak memory is its own).

python -m tests.bench.export app|xlsxwriter|openpyxl DB OUT   prints {"seconds": s, "peak_mb": m, "rows": n}

"app" is Aid Ledger's export of the Aid sheet; the bare writers write the same cells, streamed from the same query,
with nothing else: no formats, no summary, no validation lists.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import time
from pathlib import Path


def bare_rows(db: Path):  # type: ignore[no-untyped-def]
    from storage.query import rows_sql

    conn = sqlite3.connect(db)
    count = conn.execute("SELECT count(*) FROM aid").fetchone()[0]
    sql = rows_sql("aid", 1).replace("WHERE r.id IN (?)", "ORDER BY r.id")
    return count, conn.execute(sql)


def main() -> int:
    mode, db, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    start = time.perf_counter()
    if mode == "app":
        from exporters import xlsx
        from storage import Ledger

        with Ledger.open(db, create=False) as ledger:
            report = xlsx.run(ledger, out, kinds=["aid"])
        rows = report.counts["aid"]
    elif mode == "xlsxwriter":
        import xlsxwriter

        rows, cursor = bare_rows(db)
        book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
        sheet = book.add_worksheet("Aid")
        for r, row in enumerate(cursor):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        book.close()
    else:
        import openpyxl

        rows, cursor = bare_rows(db)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Aid")
        for row in cursor:
            sheet.append(row)
        book.save(out)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
