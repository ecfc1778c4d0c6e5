"""Adding many records at once without per-field history: for building big databases (the benchmark, tests).

The rows are already in stored form (references as row ids). The full-text index is filled by one statement at the
end instead of a trigger per row; everything happens in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .database import Ledger, now_iso
from .ids import new_uids
from .kinds import FieldType, Kind
from .records import kind_of
from .schema import fts_sql, q


def bulk_insert(
    ledger: Ledger,
    kind: Kind | str,
    rows: Iterable[Mapping[str, Any]],
    *,
    progress: Callable[[int], None] | None = None,
    chunk: int = 20_000,
    history: bool = False,
    rebuild_indexes: bool = False,
    by_field: bool = False,
) -> int:
    """Insert rows of stored values, by column name or, with ``by_field``, by field name.

    A row's "uid" is kept when it has one.

    With ``history``, each record gets one history row (an insert) in the current batch, as a record added one by
    one does, so that undo removes it. With ``rebuild_indexes``, the table's own indexes are
    dropped first and built again at the end: much faster when the rows added outnumber the rows there (100,000
    rows: 1.2 s instead of 3 s), slower when the table is already big.

    Returns:
        How many were added; their row ids follow the largest one there was before, in order.
    """
    kind = kind_of(kind)
    columns = [f.column for f in kind.stored_fields]
    fallback = [0 if f.type is FieldType.BOOL else None for f in kind.stored_fields]  # by column, in order
    keys = [f.name for f in kind.stored_fields] if by_field else columns
    names = ["uid", *columns, "created_at", "updated_at"]
    sql = f"INSERT INTO {q(kind.name)}({', '.join(q(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
    trigger = f"{kind.name}_fts_ai"
    create_trigger = next(s for s in fts_sql(kind) if s.startswith(f'CREATE TRIGGER "{trigger}"'))
    added = 0
    with ledger.transaction():
        first = ledger.conn.execute(f"SELECT coalesce(max(id), 0) FROM {q(kind.name)}").fetchone()[0]
        ledger.conn.execute(f"DROP TRIGGER {q(trigger)}")
        indexes = []
        if rebuild_indexes:
            indexes = ledger.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (kind.name,),
            ).fetchall()
            for name, _ in indexes:
                ledger.conn.execute(f"DROP INDEX {q(name)}")
        stamp = now_iso()
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            nonlocal added
            ledger.conn.executemany(sql, batch)
            added += len(batch)
            batch.clear()

        fresh: list[str] = []
        for row in rows:
            uid = row.get("uid")
            if not uid:
                if not fresh:
                    fresh = new_uids(chunk)[::-1]  # made a chunk at a time, taken from the end in order
                uid = fresh.pop()
            batch.append((str(uid).upper(), *map(row.get, keys, fallback), stamp, stamp))
            if len(batch) >= chunk:
                flush()
                if progress:
                    progress(added)
        if batch:
            flush()
        if history:
            # One history row per record, naming it: what undo reads. Its values are the record's own, so they are
            # not copied into the row (nothing reads them back; a tracker's 100,000 rows made a third of the file).
            ledger.conn.execute(
                "INSERT INTO history(batch_id, at, who, op, kind, record_id, record_uid, field, old, new)"
                " SELECT ?, ?, ?, 'insert', ?, id, uid, NULL, NULL, NULL"
                f" FROM {q(kind.name)} WHERE id > ? ORDER BY id",
                (ledger.batch_id, stamp, ledger.who, kind.name, first),
            )
        ledger.conn.execute(
            f"INSERT INTO {q(kind.name + '_fts')}(rowid, body)"
            f" SELECT id, body FROM {q(kind.name + '_search_text')} WHERE id > ?",
            (first,),
        )
        for _, sql in indexes:  # within the transaction: a failure leaves the indexes as they were
            ledger.conn.execute(sql)
        ledger.conn.execute(create_trigger)
    if progress:
        progress(added)
    return added
