"""The Kiel-layout import's side of ``make bench``, one measurement per process.

python -m tests.bench.kiel app|bare CSV DB   prints {"seconds": s, "peak_mb": m, "rows": n}

"app" imports a CSV in the Kiel tracker's 2023 layout out of the box (the layout recognised, its derived columns,
packages with their own values, sources by URL, the key matched, one transaction with history); "bare" reads the
same file with Python's csv module and inserts its rows with sqlite-utils into a table with no index.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from tests.bench.importing import peak_mb


def main() -> int:
    """Measure one side, in this process."""
    mode, source, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if mode == "app":
        import importers
        from storage import Ledger

        with Ledger.open(db) as ledger:
            start = time.perf_counter()
            _, done = importers.run(ledger, source)
            seconds = time.perf_counter() - start
            rows = done["added"]
    else:
        import sqlite_utils

        start = time.perf_counter()
        with source.open(encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text)
            header = [h or f"column {n}" for n, h in enumerate(next(reader))]
            records = [dict(zip(header, row, strict=False)) for row in reader]
        sqlite_utils.Database(db)["kiel"].insert_all(records, batch_size=5000)
        seconds = time.perf_counter() - start
        rows = len(records)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
