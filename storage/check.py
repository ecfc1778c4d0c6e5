"""``check``: SQLite's own integrity check, the schema against the descriptions, and the stored values, one line each.

Every problem names what is wrong and the repair to make. ``repair`` rebuilds what derives from the descriptions.
"""

from __future__ import annotations

import sqlite3

from . import drift, schema
from .database import Ledger, sqlite_error_message
from .kinds import KINDS, Field, FieldType, Kind
from .schema import q
from .values import MAX_YEAR, MIN_YEAR, counted

# How many record numbers a problem with many records names before it says "and N more".
_EXAMPLES = 5


def check(ledger: Ledger) -> list[str]:
    """Every problem found in the database; an empty list when it is sound."""
    conn = ledger.conn
    problems = [f"SQLite integrity: {row[0]}" for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    if problems:
        return problems  # the rest reads the file and would only repeat the damage
    if ledger.user_version != schema.SCHEMA_VERSION:
        problems.append(f"schema version {ledger.user_version}, expected {schema.SCHEMA_VERSION}")
    differences = drift.differences(conn)
    problems += [d.describe() for d in differences]
    missing = {d.name for d in differences if d.what in ("table", "column") and d.problem == "missing"}
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points to a missing {parent} record")
    problems += _full_text(ledger, [k for k in KINDS if k.name not in missing and k.name + "_fts" not in missing])
    for kind in KINDS:
        if kind.name not in missing:
            problems += _check_kind(conn, kind, missing)
    problems += _shared_uids(conn, [k for k in KINDS if k.name not in missing])
    return problems


def stale_full_text(ledger: Ledger) -> list[str]:
    """The kinds whose full-text index does not hold what their records say (damaged, or missed changes)."""
    stale = []
    for kind in KINDS:
        try:
            _fts_integrity(ledger.conn, kind)
        except sqlite3.Error:
            stale.append(kind.name)
    return stale


def repair(ledger: Ledger) -> list[str]:
    """Rebuild the indexes, views, triggers and full-text indexes that differ from the descriptions, after a backup.

    Returns:
        What was done, one line each.

    Raises:
        UserError: the file is read-only or locked.
    """
    tables = set(ledger.db.table_names())
    refill = (
        [k for k in stale_full_text(ledger) if k in tables] if all(k.name + "_fts" in tables for k in KINDS) else []
    )
    return ledger.repair(refill=refill)


def _fts_integrity(conn: sqlite3.Connection, kind: Kind) -> None:
    fts = q(kind.name + "_fts")
    # rank 1: compare the index with the text of the records too, not only its own structure
    conn.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
    records = conn.execute(f"SELECT count(*) FROM {q(kind.name)}").fetchone()[0]
    indexed = conn.execute(f"SELECT count(*) FROM {fts}").fetchone()[0]
    if records != indexed:
        raise sqlite3.DatabaseError(f"{records} records but {indexed} in the index")
    # The index holds the text each record had when it was last indexed: a change made while a trigger was
    # missing left it stale, and search misses the record.
    view = q(kind.name + "_search_text")
    stale = conn.execute(
        f"SELECT count(*) FROM {view} v LEFT JOIN {fts} f ON f.rowid = v.id WHERE f.body IS NOT v.body"
    ).fetchone()[0]
    if stale:
        raise sqlite3.DatabaseError(f"{stale} records are indexed with text they no longer hold")


def _full_text(ledger: Ledger, kinds: list[Kind]) -> list[str]:
    problems: list[str] = []
    for kind in kinds:
        try:
            _fts_integrity(ledger.conn, kind)
        except sqlite3.Error as exc:
            environment = sqlite_error_message(exc, ledger.path)
            if environment is not None and "not an Aid Ledger" not in environment:
                # read-only or locked: the same for every index, so said once
                return [*problems, f"the full-text indexes were not checked: {environment}"]
            problems.append(
                f"{kind.name}: the full-text index does not match the records ({exc}); `check --repair` rebuilds it"
            )
    return problems


def _bad_value_sql(f: Field, col: str) -> str | None:
    """An SQL condition true for a stored value of ``f`` that the app never writes; None when any value will do."""
    text = f"typeof({col}) <> 'text'"
    year = f"CAST(substr({col}, 1, 4) AS INTEGER) NOT BETWEEN {MIN_YEAR} AND {MAX_YEAR}"
    match f.type:
        case FieldType.DATE:
            day = f"coalesce(date({col}, '+0 days') <> {col}, 1)"  # '+0 days' rolls 2024-02-30 over: not the same
            month = f"coalesce(date({col} || '-01', '+0 days') <> {col} || '-01', 1)"
            return (
                f"{text} OR {year} OR CASE length({col}) WHEN 4 THEN {col} NOT GLOB '[0-9][0-9][0-9][0-9]'"
                f" WHEN 7 THEN {month} WHEN 10 THEN {day} ELSE 1 END"
            )
        case FieldType.AMOUNT | FieldType.NUMBER:
            # 1e400 is stored as infinity: abs() of it is larger than any finite number
            return f"typeof({col}) NOT IN ('integer', 'real') OR abs({col}) > 1.7976931348623157e308"
        case FieldType.INTEGER | FieldType.REF:
            return f"typeof({col}) <> 'integer'"
        case FieldType.BOOL:
            return f"typeof({col}) <> 'integer' OR {col} NOT IN (0, 1)"
        case FieldType.CURRENCY:
            return f"{text} OR {col} NOT GLOB '[A-Z][A-Z][A-Z]'"
        case FieldType.EXTRA:  # a JSON object of header: value
            return f"{text} OR CASE WHEN json_valid({col}) THEN json_type({col}) <> 'object' ELSE 1 END"
        case _:
            return text


def _check_kind(conn: sqlite3.Connection, kind: Kind, missing: set[str]) -> list[str]:
    problems: list[str] = []
    table = q(kind.name)

    def some(where: str, params: tuple | list = ()) -> tuple[int, list[str]]:
        n = conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
        shown = [
            f"#{rid}" for (rid,) in conn.execute(f"SELECT id FROM {table} WHERE {where} LIMIT {_EXAMPLES}", params)
        ]
        return n, shown

    def named(n: int, shown: list[str]) -> str:
        return ", ".join(shown) + (f" and {n - len(shown)} more" if n > len(shown) else "")

    n, shown = some("typeof(uid) <> 'text' OR length(uid) <> 26 OR upper(uid) GLOB '*[^0-9A-HJKMNP-TV-Z]*'")
    if n:
        problems.append(f"{kind.name}: {counted(n, 'record')} whose stable ID is not a ULID ({named(n, shown)})")
    for f in kind.stored_fields:
        if f"{kind.name}.{f.column}" in missing:
            continue
        col = q(f.column)
        if f.required:
            n, shown = some(f"{col} IS NULL OR {col} = ''")
            if n:
                problems.append(
                    f"{kind.name}: {counted(n, 'record')} without {f.label} ({named(n, shown)}); give it in the form"
                )
        bad = _bad_value_sql(f, col)
        if bad is not None:
            n, shown = some(f"{col} IS NOT NULL AND ({bad})")
            if n:
                examples = [
                    repr(v)
                    for (v,) in conn.execute(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL AND ({bad}) LIMIT 3")
                ]
                problems.append(
                    f"{kind.name}: {f.label}: {counted(n, 'value')} that Aid Ledger never writes"
                    f" ({', '.join(examples)}: {named(n, shown)}); correct it in the form"
                )
        if f.type is FieldType.CHOICE and f.vocab:
            marks = ", ".join("?" * len(f.vocab))
            for rid, value in conn.execute(
                f"SELECT id, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} NOT IN ({marks}) LIMIT 20", f.vocab
            ):
                problems.append(f"{kind.name} #{rid}: {f.label} '{value}' is not in its vocabulary")
    for f in kind.link_fields:
        assert f.link is not None
        if f.link.polymorphic and f.link.table not in missing:
            n = conn.execute(
                f"SELECT count(*) FROM {q(f.link.table)} l WHERE l.record_kind = ?"
                f" AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.id = l.owner_id)",
                (kind.name,),
            ).fetchone()[0]
            if n:
                problems.append(f"{f.link.table}: {n} rows point to missing {kind.name} records")
    return problems


def _shared_uids(conn: sqlite3.Connection, kinds: list[Kind]) -> list[str]:
    """Two records of different kinds with one stable ID: an edited export could not tell them apart."""
    if len(kinds) < 2:
        return []
    union = " UNION ALL ".join(f"SELECT uid, '{k.name}' AS kind, id FROM {q(k.name)}" for k in kinds)
    rows = conn.execute(
        f"SELECT uid, group_concat(kind || ' #' || id, ', ') FROM ({union}) GROUP BY uid"
        " HAVING count(DISTINCT kind) > 1 LIMIT 20"
    )
    return [
        f"stable ID {uid} is shared by {records}: duplicate one of them (Ctrl+D gives the copy a new ID)"
        " and delete the original"
        for uid, records in rows
    ]
