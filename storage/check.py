"""``check``: SQLite's own integrity check, then the app's consistency rules, each problem in one line."""

from __future__ import annotations

from .database import Ledger
from .ids import is_uid
from .kinds import KINDS, FieldType
from .schema import SCHEMA_VERSION, q


def check(ledger: Ledger) -> list[str]:
    """Every problem found in the database; an empty list when it is sound."""
    problems = [
        f"SQLite integrity: {row[0]}" for row in ledger.conn.execute("PRAGMA integrity_check") if row[0] != "ok"
    ]
    if problems:
        return problems  # the rest reads the file and would only repeat the damage
    for table, rowid, parent, _ in ledger.conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points to a missing {parent} record")
    if ledger.user_version != SCHEMA_VERSION:
        problems.append(f"schema version {ledger.user_version}, expected {SCHEMA_VERSION}")
    for kind in KINDS:
        problems += _check_kind(ledger, kind)
    return problems


def _check_kind(ledger: Ledger, kind) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    table, fts = q(kind.name), q(kind.name + "_fts")
    try:
        ledger.conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
    except Exception as exc:  # noqa: BLE001 - FTS5 reports a damaged index as an error
        problems.append(f"{kind.name}: full-text index damaged ({exc}); it can be rebuilt")
    records = ledger.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    indexed = ledger.conn.execute(f"SELECT count(*) FROM {fts}").fetchone()[0]
    if records != indexed:
        problems.append(f"{kind.name}: {records} records but {indexed} in the full-text index")
    for rid, uid in ledger.conn.execute(f"SELECT id, uid FROM {table}"):
        if not is_uid(uid or ""):
            problems.append(f"{kind.name} #{rid}: stable ID '{uid}' is not a ULID")
    for f in kind.stored_fields:
        col = q(f.column)
        if f.required:
            n = ledger.conn.execute(f"SELECT count(*) FROM {table} WHERE {col} IS NULL OR {col} = ''").fetchone()[0]
            if n:
                problems.append(f"{kind.name}: {n} records without {f.label}")
        if f.type is FieldType.CHOICE and f.vocab:
            marks = ", ".join("?" * len(f.vocab))
            for rid, value in ledger.conn.execute(
                f"SELECT id, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} NOT IN ({marks})", f.vocab
            ):
                problems.append(f"{kind.name} #{rid}: {f.label} '{value}' is not in its vocabulary")
    for f in kind.link_fields:
        assert f.link is not None
        if f.link.polymorphic:
            n = ledger.conn.execute(
                f"SELECT count(*) FROM {q(f.link.table)} l WHERE l.record_kind = ?"
                f" AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = l.owner_id)",
                (kind.name,),
            ).fetchone()[0]
            if n:
                problems.append(f"{f.link.table}: {n} rows point to missing {kind.name} records")
    return problems
