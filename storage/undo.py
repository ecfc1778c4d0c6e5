"""Undo and redo, built on the history table.

Reverting a batch writes the inverse of each of its changes, newest first, as a new batch of its own; so the history
stays complete, and redo is the revert of the undo.
"""

from __future__ import annotations

import json
from typing import Any

from .database import Ledger, now_iso
from .errors import UserError
from .kinds import KINDS_BY_NAME, FieldType, Kind
from .records import get, touch_caches, write_history, write_links
from .schema import q


def _set_field(ledger: Ledger, kind: Kind, rid: int, name: str, value: Any) -> None:
    f = kind.field(name)
    if f.type is FieldType.LINKS:
        write_links(ledger, kind, f, rid, value or [])
        ledger.conn.execute(f"UPDATE {q(kind.name)} SET updated_at = ? WHERE id = ?", (now_iso(), rid))
    else:
        ledger.conn.execute(
            f"UPDATE {q(kind.name)} SET {q(f.column)} = ?, updated_at = ? WHERE id = ?", (value, now_iso(), rid)
        )


def _restore(ledger: Ledger, kind: Kind, rid: int, snapshot: dict[str, Any]) -> None:
    """Put a deleted record back as it was, under its old row id and stable ID."""
    row: dict[str, Any] = {"id": rid, "uid": snapshot["uid"]}
    for f in kind.stored_fields:
        row[f.column] = snapshot.get(f.name)
    row["created_at"] = snapshot.get("created_at") or now_iso()
    row["updated_at"] = now_iso()
    names = ", ".join(q(c) for c in row)
    ledger.conn.execute(f"INSERT INTO {q(kind.name)}({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    for f in kind.link_fields:
        if snapshot.get(f.name):
            write_links(ledger, kind, f, rid, snapshot[f.name])


def revert(ledger: Ledger, batch_id: int, label: str | None = None) -> int:
    """Undo every change of a batch, as a new batch.

    Returns:
        The new batch's id: reverting it redoes the original changes.

    Raises:
        UserError: a change cannot be undone any more (a record it created is now used elsewhere, say); nothing
            was changed.
    """
    row = ledger.conn.execute("SELECT label FROM batches WHERE id = ?", (batch_id,)).fetchone()
    if row is None:
        raise UserError(f"nothing to undo: change #{batch_id} is not in the history")
    changes = ledger.conn.execute(
        "SELECT op, kind, record_id, field, old FROM history WHERE batch_id = ? ORDER BY id DESC", (batch_id,)
    ).fetchall()
    touched: set[str] = set()
    with ledger.batch(label or f"Undo {row[0]}") as new_batch:
        for op, kind_name, rid, field, old_json in changes:
            kind = KINDS_BY_NAME[kind_name]
            touched.add(kind_name)
            old = None if old_json is None else json.loads(old_json)
            if op == "insert":
                snapshot = get(ledger, kind, rid)
                snapshot.pop("id")
                for f in kind.link_fields:
                    write_links(ledger, kind, f, rid, [])
                try:
                    ledger.conn.execute(f"DELETE FROM {q(kind.name)} WHERE id = ?", (rid,))
                except Exception as exc:
                    if "FOREIGN KEY" in str(exc):
                        raise UserError(
                            f"cannot undo '{row[0]}': the {kind.singular.lower()} it added is now used by other records"
                        ) from exc
                    raise
                write_history(ledger, "delete", kind, rid, snapshot["uid"], None, snapshot, None)
            elif op == "delete":
                assert isinstance(old, dict)
                _restore(ledger, kind, rid, old)
                write_history(ledger, "insert", kind, rid, old["uid"], None, None, old)
            else:
                current = get(ledger, kind, rid)
                _set_field(ledger, kind, rid, field, old)
                write_history(ledger, "update", kind, rid, current["uid"], field, current.get(field), old)
    for name in touched:
        touch_caches(ledger, KINDS_BY_NAME[name])
    return new_batch


def last_batch(ledger: Ledger) -> int | None:
    """The id of the latest history batch, or None when there is none."""
    row = ledger.conn.execute("SELECT max(id) FROM batches").fetchone()
    return None if row is None or row[0] is None else int(row[0])
