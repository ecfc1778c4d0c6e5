"""The Kiel-layout import's side of ``make bench``, one measurement per process.

python -m tests.bench.kiel app|bare CSV DB          prints {"seconds": s, "peak_mb": m, "rows": n}
python -m tests.bench.kiel same CSV DB MADE_DB

"app" imports a CSV in the Kiel tracker's 2023 layout out of the box (the layout recognised, its derived columns,
packages with their own values, sources by URL, the key matched, one transaction with history); "bare" reads the
same file with Python's csv module and inserts its rows with sqlite-utils into a table with no index. "same" does
the app's writes with the bare libraries: it reads the file with csv, then inserts with sqlite3's ``executemany`` the
rows the app wrote (taken, untimed, from MADE_DB, a database the app made from the same file) into Aid Ledger's own
schema, in one transaction, with its indexes and full-text index built once at the end.
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
    elif mode == "same":
        start, rows = _same_writes(source, db, Path(sys.argv[4]))
        seconds = time.perf_counter() - start
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


# What the app writes for a tracker's file, in the order it writes them (a table's rows name the earlier ones).
WRITTEN = ("batches", "actors", "sources", "packages", "aid", "citations", "history")


def _same_writes(source: Path, db: Path, made: Path) -> tuple[float, int]:
    """The "same" side: returns when it started (after the untimed preparation) and how many Aid rows it wrote."""
    import sqlite3

    from storage import Ledger

    with Ledger.open(db):  # the schema, with its built-in actors: not timed
        pass
    built_in = {r[0] for r in sqlite3.connect(db).execute("SELECT id FROM actors")}
    app = sqlite3.connect(made)
    data = {}
    for table in WRITTEN:
        columns = [r[1] for r in app.execute(f'PRAGMA table_info("{table}")')]
        rows = app.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
        data[table] = (columns, [r for r in rows if table != "actors" or r[0] not in built_in])
    start = time.perf_counter()
    with source.open(encoding="utf-8-sig", newline="") as text:
        cells = list(csv.reader(text))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("BEGIN IMMEDIATE")
    kept = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
        f" AND tbl_name IN ({', '.join('?' * len(WRITTEN))})",
        WRITTEN,
    ).fetchall()
    for kind, name, _ in kept:  # as a bulk insert is done: no trigger or index while the rows go in
        conn.execute(f'DROP {kind.upper()} "{name}"')
    for table, (columns, rows) in data.items():
        names = ", ".join(f'"{c}"' for c in columns)
        conn.executemany(f'INSERT INTO "{table}"({names}) VALUES ({", ".join("?" * len(columns))})', rows)
    for kind_name in ("aid", "sources", "packages"):
        conn.execute(f'INSERT INTO "{kind_name}_fts"(rowid, body) SELECT id, body FROM "{kind_name}_search_text"')
    for _, _, sql in kept:
        conn.execute(sql)
    conn.execute("COMMIT")
    assert len(cells) > len(data["aid"][1])
    return start, len(data["aid"][1])


if __name__ == "__main__":
    sys.exit(main())
