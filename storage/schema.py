"""The database schema, generated from the record kinds' descriptions, and the migrations between its versions.

A new database is created at the latest version straight from the descriptions. A database of an older version is
brought up to date after a backup, in one transaction with the version bump (a failure leaves the file as it was):
the hand-written steps in ``MIGRATIONS`` first, then ``drift.follow`` makes its schema what these statements make.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

from .kinds import KINDS, KINDS_BY_NAME, Field, FieldType, Kind

# PRAGMA user_version of a database this code creates. Raise it when a description changes (a field added): the
# migration that follows is generated.
# 2: the index of Aid's duplicate check. 3: the record model of decisions.md (kinds of transfer, value ranges,
# how the EUR value was obtained, condition, vague dates, delivery years, TIV, a package's own value). 4: extra
# values (the columns of an imported file that no field takes), in every kind. 5: the qualifier and text of an
# expected delivery ("by summer 2025"). 6: the package an event announced.
SCHEMA_VERSION = 6

# version N -> a step that moves data on the way from N to N + 1 (a field split in two), run before the schema is
# brought to the descriptions. Most versions need none.
Migration = Callable[[sqlite3.Connection], None]


def _kinds_of_transfer(conn: sqlite3.Connection) -> None:
    """Version 2 to 3: the one kind "aid" becomes "military aid", in the records and in their history.

    The history too, so that undoing an older change writes a value the vocabulary holds.
    """
    conn.execute("UPDATE aid SET kind = 'military aid' WHERE kind = 'aid'")
    conn.execute(
        "UPDATE history SET old = '\"military aid\"' WHERE kind = 'aid' AND field = 'kind' AND old = '\"aid\"'"
    )
    conn.execute(
        "UPDATE history SET new = '\"military aid\"' WHERE kind = 'aid' AND field = 'kind' AND new = '\"aid\"'"
    )
    for column in ("old", "new"):  # whole records, kept when one was added or deleted
        conn.execute(
            f"UPDATE history SET {column} = json_set({column}, '$.kind', 'military aid')"
            f" WHERE kind = 'aid' AND field IS NULL AND json_valid({column}) AND {column} ->> '$.kind' = 'aid'"
        )


MIGRATIONS: dict[int, Migration] = {2: _kinds_of_transfer}

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
_DATE_CHECK = (
    "{c} IS NULL OR {c} GLOB '[12][0-9][0-9][0-9]' OR {c} GLOB '[12][0-9][0-9][0-9]-[01][0-9]'"
    " OR {c} GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
)
_SQL_TYPES = {
    FieldType.TEXT: "TEXT",
    FieldType.LONG_TEXT: "TEXT",
    FieldType.CHOICE: "TEXT",
    FieldType.DATE: "TEXT",
    FieldType.CURRENCY: "TEXT",
    FieldType.URL: "TEXT",
    FieldType.AMOUNT: "NUMERIC",
    FieldType.NUMBER: "NUMERIC",
    FieldType.INTEGER: "INTEGER",
    FieldType.BOOL: "INTEGER",
    FieldType.REF: "INTEGER",
    FieldType.EXTRA: "TEXT",
}


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _column_sql(f: Field) -> str:
    col = q(f.column)
    sql = f"{col} {_SQL_TYPES[f.type]}"
    if f.type is FieldType.BOOL:
        sql += " NOT NULL DEFAULT 0 CHECK (" + col + " IN (0, 1))"
    elif f.required:
        sql += " NOT NULL"
    if f.type is FieldType.DATE:
        sql += " CHECK (" + _DATE_CHECK.format(c=col) + ")"
    if f.type is FieldType.EXTRA:  # the search index reads it with json_each, which a malformed text would stop
        sql += f" CHECK ({col} IS NULL OR (json_valid({col}) AND json_type({col}) = 'object'))"
    if f.type is FieldType.REF:
        sql += f" REFERENCES {q(f.ref or '')}(id) ON DELETE RESTRICT"
    if f.type in (FieldType.TEXT, FieldType.CHOICE) and f.required:
        sql += f" CHECK (trim({col}) <> '')"
    return sql


def _link_extras_sql(f: Field) -> list[str]:
    assert f.link is not None
    return [_column_sql(extra) for extra in f.link.extras]


def table_sql(kind: Kind) -> Iterator[str]:
    """CREATE statements for a kind's table, its indexes and its link tables."""
    columns = ["id INTEGER PRIMARY KEY", "uid TEXT NOT NULL UNIQUE"]
    columns += [_column_sql(f) for f in kind.stored_fields]
    columns += ["created_at TEXT NOT NULL", "updated_at TEXT NOT NULL"]
    yield f"CREATE TABLE {q(kind.name)} (\n  " + ",\n  ".join(columns) + "\n)"
    for f in kind.stored_fields:
        if f.type in (FieldType.REF, FieldType.DATE, FieldType.CHOICE, FieldType.AMOUNT) or f.name == kind.title_field:
            yield f"CREATE INDEX {q(f'{kind.name}_{f.column}')} ON {q(kind.name)}({q(f.column)})"
    yield f"CREATE INDEX {q(kind.name + '_updated_at')} ON {q(kind.name)}(updated_at)"
    if kind.duplicate_bucket:  # the import looks a new row's likely duplicates up by these, bucket by bucket
        bucket = ", ".join(q(kind.field(name).column) for name in kind.duplicate_bucket)
        yield f"CREATE INDEX {q(kind.name + '_duplicates')} ON {q(kind.name)}({bucket})"
    if kind.unique_titles:
        title = kind.field(kind.title_field).column  # unquoted, as the first release wrote it
        yield f"CREATE UNIQUE INDEX {kind.name}_{title}_unique ON {kind.name}({title} COLLATE NOCASE)"
    for f in kind.link_fields:
        assert f.link is not None
        if f.link.polymorphic:
            continue  # one shared table, created once below
        cols = [
            "id INTEGER PRIMARY KEY",
            f"owner_id INTEGER NOT NULL REFERENCES {q(kind.name)}(id) ON DELETE CASCADE",
            f"target_id INTEGER NOT NULL REFERENCES {q(f.link.target)}(id) ON DELETE RESTRICT",
            "position INTEGER NOT NULL DEFAULT 0",
            *_link_extras_sql(f),
        ]
        yield f"CREATE TABLE {q(f.link.table)} (\n  " + ",\n  ".join(cols) + "\n)"
        yield f"CREATE INDEX {q(f.link.table + '_owner')} ON {q(f.link.table)}(owner_id, position)"
        yield f"CREATE INDEX {q(f.link.table + '_target')} ON {q(f.link.table)}(target_id)"


def _citation_tables() -> Iterator[str]:
    """The citations table, shared by every kind that cites sources."""
    seen: set[str] = set()
    for kind in KINDS:
        for f in kind.link_fields:
            assert f.link is not None
            if not f.link.polymorphic or f.link.table in seen:
                continue
            seen.add(f.link.table)
            cols = [
                "id INTEGER PRIMARY KEY",
                "record_kind TEXT NOT NULL",
                "owner_id INTEGER NOT NULL",
                f"target_id INTEGER NOT NULL REFERENCES {q(f.link.target)}(id) ON DELETE RESTRICT",
                "position INTEGER NOT NULL DEFAULT 0",
                *_link_extras_sql(f),
            ]
            yield f"CREATE TABLE {q(f.link.table)} (\n  " + ",\n  ".join(cols) + "\n)"
            yield f"CREATE INDEX {q(f.link.table + '_owner')} ON {q(f.link.table)}(record_kind, owner_id, position)"
            yield f"CREATE INDEX {q(f.link.table + '_target')} ON {q(f.link.table)}(target_id)"


def _name_expr(target: Kind, alias: str) -> str:
    """SQL for the text that names a record of ``target`` in another record's search text."""
    expr = f"coalesce({alias}.{q(target.title_field)}, '')"
    if target.aliases:
        expr += f" || ' ' || coalesce({alias}.{target.aliases}, '')"
    return expr


def _link_where(f: Field, kind: Kind, owner: str) -> str:
    assert f.link is not None
    where = f"l.owner_id = {owner}"
    if f.link.polymorphic:
        where += f" AND l.record_kind = '{kind.name}'"
    return where


def search_text_sql(kind: Kind) -> str:
    """The view whose ``body`` is the text the full-text index holds for each record of ``kind``."""
    parts = []
    for name in kind.search:
        f = kind.field(name)
        if f.type is FieldType.REF:
            target = KINDS_BY_NAME[f.ref or ""]
            parts.append(
                f"coalesce((SELECT {_name_expr(target, 't')} FROM {q(target.name)} t WHERE t.id = r.{q(f.column)}), '')"
            )
        elif f.type is FieldType.LINKS:
            assert f.link is not None
            target = KINDS_BY_NAME[f.link.target]
            text = _name_expr(target, "t")
            for extra in f.link.extras:
                if extra.type in (FieldType.TEXT, FieldType.CHOICE):
                    text += f" || ' ' || coalesce(l.{q(extra.name)}, '')"
            parts.append(
                f"coalesce((SELECT group_concat({text}, ' ') FROM {q(f.link.table)} l"
                f" JOIN {q(target.name)} t ON t.id = l.target_id WHERE {_link_where(f, kind, 'r.id')}), '')"
            )
        else:
            parts.append(f"coalesce(r.{q(f.column)}, '')")
    body = " || ' ' || ".join(parts)
    for f in kind.stored_fields:
        if f.type is FieldType.EXTRA:
            # the values only, and their words, not a tracker's 0/1 dummies and figures (the index would be mostly
            # those); with no extra values, the text is as it was without them
            values = f"(SELECT group_concat(j.value, ' ') FROM json_each(r.{q(f.column)}) j WHERE j.type = 'text')"
            body += f" || coalesce(' ' || {values}, '')"
    return f"CREATE VIEW {q(kind.name + '_search_text')} AS SELECT r.id AS id, {body} AS body FROM {q(kind.name)} r"


def _refresh_fts(kind: Kind, ids_sql: str) -> str:
    """Statements that rebuild the index rows of the records of ``kind`` whose ids ``ids_sql`` selects."""
    fts, view = q(kind.name + "_fts"), q(kind.name + "_search_text")
    return (
        f"DELETE FROM {fts} WHERE rowid IN ({ids_sql});\n"
        f"  INSERT INTO {fts}(rowid, body) SELECT id, body FROM {view} WHERE id IN ({ids_sql});"
    )


def fts_sql(kind: Kind) -> Iterator[str]:
    """The kind's full-text index, accent-insensitive, and the triggers that keep it in step with the records."""
    name, fts = kind.name, q(kind.name + "_fts")
    yield search_text_sql(kind)
    yield f"CREATE VIRTUAL TABLE {fts} USING fts5(body, tokenize = '{FTS_TOKENIZER}')"
    yield f"CREATE TRIGGER {q(name + '_fts_ai')} AFTER INSERT ON {q(name)} BEGIN\n  {_refresh_fts(kind, 'new.id')}\nEND"
    yield f"CREATE TRIGGER {q(name + '_fts_au')} AFTER UPDATE ON {q(name)} BEGIN\n  {_refresh_fts(kind, 'new.id')}\nEND"
    delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
    yield f"CREATE TRIGGER {q(name + '_fts_ad')} AFTER DELETE ON {q(name)} BEGIN\n  {delete}\nEND"
    for fname in kind.search:
        f = kind.field(fname)
        if f.type is FieldType.LINKS:
            assert f.link is not None
            when = f" WHEN {{row}}.record_kind = '{name}'" if f.link.polymorphic else ""
            for event, row in (("INSERT", "new"), ("DELETE", "old"), ("UPDATE", "new")):
                trigger = q(f"{name}_fts_{f.link.table}_{event.lower()}")
                yield (
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {q(f.link.table)}{when.format(row=row)} BEGIN\n"
                    f"  {_refresh_fts(kind, f'{row}.owner_id')}\nEND"
                )
            target = KINDS_BY_NAME[f.link.target]
            ids = f"SELECT l.owner_id FROM {q(f.link.table)} l WHERE l.target_id = new.id"
            if f.link.polymorphic:
                ids += f" AND l.record_kind = '{name}'"
            yield _rename_trigger(kind, target, f"{name}_fts_{fname}_renamed", ids)
        elif f.type is FieldType.REF:
            target = KINDS_BY_NAME[f.ref or ""]
            ids = f"SELECT id FROM {q(name)} WHERE {q(f.column)} = new.id"
            yield _rename_trigger(kind, target, f"{name}_fts_{fname}_renamed", ids)


def _rename_trigger(kind: Kind, target: Kind, trigger: str, ids_sql: str) -> str:
    """A trigger that re-indexes the records of ``kind`` naming a ``target`` record when that record's name changes."""
    of = ", ".join(q(c) for c in target.name_fields)
    return (
        f"CREATE TRIGGER {q(trigger)} AFTER UPDATE OF {of} ON {q(target.name)} BEGIN\n"
        f"  {_refresh_fts(kind, ids_sql)}\nEND"
    )


def _cleanup_citations_sql() -> Iterator[str]:
    """Citations are shared by every kind, so a deleted record's citations are removed by a trigger, not a key."""
    for kind in KINDS:
        for f in kind.link_fields:
            assert f.link is not None
            if f.link.polymorphic:
                yield (
                    f"CREATE TRIGGER {q(kind.name + '_delete_' + f.link.table)} AFTER DELETE ON {q(kind.name)} BEGIN\n"
                    f"  DELETE FROM {q(f.link.table)} WHERE record_kind = '{kind.name}' AND owner_id = old.id;\nEND"
                )


HISTORY_SQL = (
    """CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  label TEXT NOT NULL
)""",
    """CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  kind TEXT NOT NULL,
  record_id INTEGER NOT NULL,
  record_uid TEXT NOT NULL,
  field TEXT,
  old TEXT,
  new TEXT
)""",
    "CREATE INDEX history_record ON history(kind, record_id)",
    "CREATE INDEX history_batch ON history(batch_id)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE import_mappings (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  mapping TEXT NOT NULL,
  saved_at TEXT NOT NULL
)""",
)


def schema_statements() -> list[str]:
    """Every statement that creates a database at ``SCHEMA_VERSION``."""
    statements: list[str] = []
    for kind in KINDS:
        statements += table_sql(kind)
    statements += _citation_tables()
    statements += _cleanup_citations_sql()
    for kind in KINDS:
        statements += fts_sql(kind)
    statements += HISTORY_SQL
    return statements


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index, view and trigger of the current version, inside the caller's transaction."""
    for statement in schema_statements():
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
