"""Adding many records at once without per-field history: for building big databases (the benchmark, tests).

The rows are already in stored form (references as row ids). The full-text index is filled by one statement at the
end instead of a trigger per row; everything happens in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .database import Ledger, now_iso
from .ids import new_uid
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
) -> int:
    """Insert rows of stored values (by column name); returns how many were added."""
    kind = kind_of(kind)
    columns = [f.column for f in kind.stored_fields]
    defaults = {f.column: 0 if f.type is FieldType.BOOL else None for f in kind.stored_fields}
    names = ["uid", *columns, "created_at", "updated_at"]
    sql = f"INSERT INTO {q(kind.name)}({', '.join(q(n) for n in names)}) VALUES ({', '.join('?' * len(names))})"
    trigger = f"{kind.name}_fts_ai"
    create_trigger = next(s for s in fts_sql(kind) if s.startswith(f'CREATE TRIGGER "{trigger}"'))
    added = 0
    with ledger.transaction():
        first = ledger.conn.execute(f"SELECT coalesce(max(id), 0) FROM {q(kind.name)}").fetchone()[0]
        ledger.conn.execute(f"DROP TRIGGER {q(trigger)}")
        stamp = now_iso()
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append((new_uid(), *(row.get(c, defaults[c]) for c in columns), stamp, stamp))
            if len(batch) >= chunk:
                ledger.conn.executemany(sql, batch)
                added += len(batch)
                batch.clear()
                if progress:
                    progress(added)
        if batch:
            ledger.conn.executemany(sql, batch)
            added += len(batch)
        ledger.conn.execute(
            f"INSERT INTO {q(kind.name + '_fts')}(rowid, body)"
            f" SELECT id, body FROM {q(kind.name + '_search_text')} WHERE id > ?",
            (first,),
        )
        ledger.conn.execute(create_trigger)
    if progress:
        progress(added)
    return added
