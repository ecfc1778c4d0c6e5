"""Adding many records at once without per-field history: a tracker's file, and big databases (the benchmark, tests).

The rows are already in stored form (references as row ids). The full-text index is filled by one statement at the
end instead of a trigger per row; everything happens in one transaction, so a failure leaves nothing behind.

SQLite writes on a thread of its own (``_Writer``) while Python makes the next rows: sqlite3 lets go of the
interpreter while a statement runs, so the two share the machine's cores instead of taking turns.
"""

from __future__ import annotations

import operator
import queue
import sqlite3
import threading
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
    meanwhile: Callable[[], None] | None = None,
) -> int:
    """Insert rows of stored values, by column name or, with ``by_field``, by field name.

    A row's "uid" is kept when it has one.

    With ``history``, each record gets one history row (an insert) in the current batch, as a record added one by
    one does, so that undo removes it. With ``rebuild_indexes``, the table's own indexes are
    dropped first and built again at the end: much faster when the rows added outnumber the rows there (100,000
    rows: 1.2 s instead of 3 s), slower when the table is already big. ``meanwhile`` is called while the indexes
    are built (the caller's own work on the rows added, say); it must not write to the database.

    Returns:
        How many were added; their row ids follow the largest one there was before, in order.
    """
    kind = kind_of(kind)
    columns = [f.column for f in kind.stored_fields]
    fallback = [0 if f.type is FieldType.BOOL else None for f in kind.stored_fields]  # by column, in order
    keys = [f.name for f in kind.stored_fields] if by_field else columns
    names = ["uid", *columns, "created_at", "updated_at"]
    trigger = f"{kind.name}_fts_ai"
    create_trigger = next(s for s in fts_sql(kind) if s.startswith(f'CREATE TRIGGER "{trigger}"'))
    added = 0
    with ledger.transaction(), _Writer(ledger.conn) as writer:
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
        # The columns that a batch leaves out when none of its rows fills them: those without a default (NULL).
        table = ledger.conn.execute(f"PRAGMA table_info({q(kind.name)})").fetchall()
        optional = {name for _, name, _, _, default, _ in table if default is None}
        may_skip = [i for i, n in enumerate(names) if n in optional and n in columns]

        def flush() -> None:
            nonlocal added, batch
            writer.write_rows(*_filled_only(kind.name, names, may_skip, batch))
            added += len(batch)
            batch = []

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
            writer.run(
                "INSERT INTO history(batch_id, at, who, op, kind, record_id, record_uid, field, old, new)"
                " SELECT ?, ?, ?, 'insert', ?, id, uid, NULL, NULL, NULL"
                f" FROM {q(kind.name)} WHERE id > ? ORDER BY id",
                (ledger.batch_id, stamp, ledger.who, kind.name, first),
            )
        writer.run(
            f"INSERT INTO {q(kind.name + '_fts')}(rowid, body)"
            f" SELECT id, body FROM {q(kind.name + '_search_text')} WHERE id > ?",
            (first,),
        )
        for _, index_sql in indexes:  # within the transaction: a failure leaves the indexes as they were
            writer.run(index_sql)
        writer.run(create_trigger)
        if meanwhile is not None:
            writer.rows_written()  # binding the rows' values takes the interpreter: Python's work would slow it
            meanwhile()
    if progress:
        progress(added)
    return added


def _filled_only(
    table: str, names: list[str], may_skip: list[int], batch: list[tuple[Any, ...]]
) -> tuple[str, list[tuple[Any, ...]]]:
    """The INSERT for a batch of rows, and the rows, without the columns that none of them fills.

    A tracker fills half of a record's fields; binding the others' NULLs row by row took SQLite's writer a third
    longer (100,000 Aid rows: 1.4 s instead of 0.8 s).
    """
    empty = {i for i in may_skip if list(map(operator.itemgetter(i), batch)).count(None) == len(batch)}
    if empty:
        kept = [i for i in range(len(names)) if i not in empty]
        batch = list(map(operator.itemgetter(*kept), batch))
        names = [names[i] for i in kept]
    return f"INSERT INTO {q(table)}({', '.join(map(q, names))}) VALUES ({', '.join('?' * len(names))})", batch


class _Writer:
    """Runs statements on a connection, in order, on a thread of its own; the caller goes on meanwhile.

    Leaving the ``with`` block waits for every statement; the first that failed raises there, and those after it
    are not run. A caller that fails meanwhile (a cancel) still waits, so that the transaction is rolled back only
    once nothing runs in it.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._todo: queue.Queue[tuple[str, Any, bool] | None] = queue.Queue()
        self._rows_queued = threading.Semaphore(2)  # batches of rows made but not yet written: memory stays bounded
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="bulk insert", daemon=True)

    def __enter__(self) -> _Writer:
        self._thread.start()
        return self

    def run(self, sql: str, params: Any = ()) -> None:
        """Queue one statement.

        Raises:
            BaseException: what a statement queued before raised.
        """
        self._put(sql, params, False)

    def write_rows(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Queue the insert of a batch of rows; it waits while two are queued already (not made faster than written).

        Raises:
            BaseException: what a statement queued before raised.
        """
        self._rows_queued.acquire()
        self._put(sql, rows, True)

    def rows_written(self) -> None:
        """Wait until every batch of rows queued is written (the statements after them may still run).

        Raises:
            BaseException: what a statement queued before raised.
        """
        for _ in range(2):
            self._rows_queued.acquire()
        for _ in range(2):
            self._rows_queued.release()
        if self._failed is not None:
            raise self._failed

    def _put(self, sql: str, params: Any, many: bool) -> None:
        if self._failed is not None:
            if many:
                self._rows_queued.release()
            raise self._failed
        self._todo.put((sql, params, many))

    def _work(self) -> None:
        while (job := self._todo.get()) is not None:
            sql, params, many = job
            try:
                if self._failed is None:  # after a failure the rest is skipped: the transaction is rolled back
                    (self._conn.executemany if many else self._conn.execute)(sql, params)
            except BaseException as exc:  # raised in the caller's thread, where the transaction is
                self._failed = exc
            finally:
                if many:  # a skipped batch is done with too: nobody waits for it forever
                    self._rows_queued.release()

    def __exit__(self, *exc: object) -> None:
        self._todo.put(None)
        self._thread.join()
        if self._failed is not None and exc[0] is None:
            raise self._failed
