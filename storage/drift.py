"""How a database's schema differs from the one the record descriptions make, and bringing it back in line.

The schema a database should have is the one ``schema.create_schema`` makes from the descriptions. ``differences``
names every table, column, index, view and trigger that is missing, extra or defined otherwise. ``follow`` changes
the database until there are none: the migrations run it after a version bump, and ``check --repair`` runs it for
what can be rebuilt without touching the records. Both run inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .kinds import KINDS, Kind
from .schema import q, schema_statements

# The FTS5 tables that SQLite makes beside each full-text index, and drops with it.
_FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


@dataclass(frozen=True)
class SchemaObject:
    """One entry of ``sqlite_master``: a table, index, view or trigger, with the SQL that made it."""

    type: str
    name: str
    table: str
    sql: str

    @property
    def normal(self) -> str:
        """The SQL with its whitespace collapsed, as it is compared."""
        return " ".join(self.sql.split())

    @property
    def virtual(self) -> bool:
        """Whether it is a virtual table (full-text search), whose columns are not compared."""
        return self.sql.upper().startswith("CREATE VIRTUAL TABLE")


@dataclass(frozen=True)
class Difference:
    """One way the database differs from the descriptions' schema.

    Attributes:
        what: "table", "column", "index", "view", "trigger" or "full-text index".
        name: the object's name ("aid.value_max" for a column).
        problem: "missing", "extra" or "changed".
        rebuildable: ``check --repair`` can put it right without losing a record.
    """

    what: str
    name: str
    problem: str
    rebuildable: bool
    table: str = ""

    def describe(self) -> str:
        """One line for the user: what differs, and the repair to make."""
        subject = f"{self.what} '{self.name}'" + (f" on table '{self.table}'" if self.table else "")
        if self.what == "trigger" and self.problem == "extra":
            text = f"{subject} was not made by Aid Ledger: it runs on every change and could alter records unseen"
        elif self.problem == "missing":
            text = f"{subject} is missing"
        elif self.problem == "extra":
            text = f"{subject} is not Aid Ledger's"
        else:
            text = f"{subject} is defined differently from Aid Ledger's"
        if self.what == "table" and self.problem == "missing":
            return (
                f"{text}: what it held is gone; restore a backup (File > Restore from a backup), or run"
                " `check --repair` to make it again, empty"
            )
        if self.rebuildable:
            return f"{text}; `check --repair` " + ("removes it" if self.problem == "extra" else "rebuilds it")
        if self.problem == "extra":
            return f"{text}; remove it with the program that added it, or restore a backup"
        return f"{text}; restore a backup (File > Restore from a backup)"


def _read(conn: sqlite3.Connection) -> dict[str, SchemaObject]:
    rows = conn.execute(
        # only names starting "sqlite_" are SQLite's own (in LIKE, "_" would match any character: "sqliteX" too)
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE substr(name, 1, 7) <> 'sqlite_' AND sql IS NOT NULL"
    )
    return {name: SchemaObject(kind, name, table, sql) for kind, name, table, sql in rows}


@lru_cache(maxsize=4)
def _expected_for(statements: tuple[str, ...]) -> tuple[dict[str, SchemaObject], dict[str, list[tuple]]]:
    conn = sqlite3.connect(":memory:")
    try:
        for statement in statements:
            conn.execute(statement)
        objects = _read(conn)
        columns = {name: _columns(conn, name) for name, o in objects.items() if o.type == "table" and not o.virtual}
    finally:
        conn.close()
    return objects, columns


def expected() -> tuple[dict[str, SchemaObject], dict[str, list[tuple]]]:
    """The schema objects the descriptions make, by name, and the columns of each table."""
    return _expected_for(tuple(schema_statements()))


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """(name, type, not null, default, primary key) of each column, in order."""
    return [tuple(row[1:6]) for row in conn.execute(f"PRAGMA table_xinfo({q(table)})")]


def _shadow_of(name: str, objects: Iterable[SchemaObject]) -> str | None:
    """The full-text index that the table ``name`` belongs to, if it is one of an index's own tables."""
    for o in objects:
        if o.virtual and any(name == o.name + suffix for suffix in _FTS_SHADOWS):
            return o.name
    return None


def differences(conn: sqlite3.Connection) -> list[Difference]:
    """Every way the database's schema differs from the descriptions', tables and columns first."""
    want, want_columns = expected()
    have = _read(conn)
    found: list[Difference] = []
    for name, o in want.items():
        if o.type != "table" or o.virtual or _shadow_of(name, want.values()):
            continue
        if name not in have:
            found.append(Difference("table", name, "missing", True))
        elif have[name].normal != o.normal:
            found += _column_differences(conn, name, want_columns[name])
    for name, o in have.items():
        if o.type == "table" and name not in want and not _shadow_of(name, want.values()):
            found.append(Difference("table", name, "extra", False))
    for name, o in want.items():
        if o.virtual:
            broken = name not in have or have[name].normal != o.normal
            broken = broken or any(
                (name + s) not in have or have[name + s].normal != want[name + s].normal
                for s in _FTS_SHADOWS
                if name + s in want
            )
            if broken:
                found.append(Difference("full-text index", name, "missing" if name not in have else "changed", True))
    for what in ("index", "view", "trigger"):
        for name, o in want.items():
            if o.type == what and (name not in have or have[name].normal != o.normal):
                found.append(Difference(what, name, "missing" if name not in have else "changed", True, _on(o)))
        for name, o in have.items():
            if o.type == what and name not in want:
                found.append(Difference(what, name, "extra", True, _on(o)))
    return found


def _on(o: SchemaObject) -> str:
    return "" if o.type == "view" else o.table


def _column_differences(conn: sqlite3.Connection, table: str, want: list[tuple]) -> list[Difference]:
    have = {c[0]: c for c in _columns(conn, table)}
    wanted = {c[0]: c for c in want}
    found = [Difference("column", f"{table}.{name}", "missing", True) for name in wanted if name not in have]
    found += [Difference("column", f"{table}.{name}", "extra", False) for name in have if name not in wanted]
    found += [
        Difference("column", f"{table}.{name}", "changed", True)
        for name, column in wanted.items()
        if name in have and have[name][1:] != column[1:]
    ]
    # The same columns but another definition: a constraint added or removed.
    return found or [Difference("table", table, "changed", True)]


def follow(conn: sqlite3.Connection, *, drop_extra_columns: bool, refill: Iterable[str] = ()) -> list[str]:
    """Change the schema until it is the descriptions', inside the caller's transaction; returns what was done.

    Tables missing a column, or defined otherwise, are rebuilt with their records (ids kept); the indexes, views,
    triggers and full-text indexes that derive from the descriptions are made again where they differ, and the
    full-text indexes are filled again where their table or search text changed. The caller turns foreign keys off
    before the transaction when a table may be rebuilt, and checks them before committing.

    Args:
        conn: the database, in a transaction.
        drop_extra_columns: a migration drops the columns of fields no longer described; a repair keeps them and
            leaves their table as it is.
        refill: kinds whose full-text index is filled again even if its definition is unchanged (a stale index).
    """
    want, want_columns = expected()
    have = _read(conn)
    done: list[str] = []
    rebuild: list[str] = []
    found = differences(conn)
    extra = {d.name.split(".")[0] for d in found if d.what == "column" and d.problem == "extra"}
    for d in found:
        if d.what == "table" and d.problem == "changed" or d.what == "column":
            table = d.name.split(".")[0]
            if table not in rebuild and (drop_extra_columns or table not in extra):
                rebuild.append(table)
    # A kind whose search text or index triggers differ has an index that may have gone stale: it is filled again.
    text_changed = {
        k.name
        for k in KINDS
        for o in [*want.values(), *have.values()]
        if o.type in ("view", "trigger")
        and (o.name == k.name + "_search_text" or o.name.startswith(k.name + "_fts_"))
        and not (_same(have.get(o.name), o) and _same(want.get(o.name), o))
    }
    derived_changed = any(
        o.type in ("view", "trigger") and (o.name not in have or have[o.name].normal != o.normal) for o in want.values()
    ) or any(o.type in ("view", "trigger") and o.name not in want for o in have.values())
    if rebuild or derived_changed:
        # Views and triggers name the tables: drop them all first, so that tables can be rebuilt, then make them anew.
        for o in have.values():
            if o.type in ("view", "trigger"):
                conn.execute(f"DROP {o.type.upper()} IF EXISTS {q(o.name)}")
        have = _read(conn)
    for o in have.values():
        if o.type == "index" and (o.name not in want or want[o.name].normal != o.normal):
            conn.execute(f"DROP INDEX {q(o.name)}")
            done.append(f"removed index '{o.name}'" if o.name not in want else f"rebuilt index '{o.name}'")
    for name, o in want.items():
        if o.type == "table" and not o.virtual and not _shadow_of(name, want.values()) and name not in have:
            conn.execute(o.sql)
            done.append(f"created table '{name}' (empty)")
    for table in rebuild:
        _rebuild(conn, want[table], want_columns[table], _columns(conn, table))
        done.append(f"rebuilt table '{table}' with its records")
    # A rebuilt table keeps its rows' ids, and so its full-text rows: only a changed search text is indexed anew.
    touched = set(refill)
    have = _read(conn)
    for name, o in want.items():
        if not o.virtual:
            continue
        kind = name.removesuffix("_fts")
        intact = name in have and have[name].normal == o.normal
        intact = intact and all(_same(have.get(name + s), want[name + s]) for s in _FTS_SHADOWS if name + s in want)
        if intact and kind not in touched | text_changed:
            continue
        if name in have:
            conn.execute(f"DROP TABLE {q(name)}")
        conn.execute(o.sql)
        done.append(f"rebuilt the full-text index of {kind}")
        touched.add(kind)
    have = _read(conn)
    for statement in schema_statements():
        name = _created_name(statement)
        o = want[name]
        if o.type in ("index", "view", "trigger") and name not in have:
            conn.execute(statement)
            if o.type == "index" and not any(t.startswith(f"rebuilt table '{o.table}'") for t in done):
                done.append(f"made index '{name}'")
    for k in _kinds(touched):
        fts, view = q(k.name + "_fts"), q(k.name + "_search_text")
        conn.execute(f"DELETE FROM {fts}")
        conn.execute(f"INSERT INTO {fts}(rowid, body) SELECT id, body FROM {view}")
    if derived_changed:
        done.append("made the views and triggers again")
    return done


def _same(have: SchemaObject | None, want: SchemaObject) -> bool:
    return have is not None and have.normal == want.normal


def _kinds(names: Iterable[str]) -> list[Kind]:
    wanted = set(names)
    return [k for k in KINDS if k.name in wanted]


def _created_name(statement: str) -> str:
    """The name a CREATE statement gives: the first quoted or bare word after TABLE/INDEX/VIEW/TRIGGER."""
    words = statement.replace("(", " ( ").split()
    for i, word in enumerate(words):
        if word.upper() in ("TABLE", "INDEX", "VIEW", "TRIGGER"):
            return words[i + 1].strip('"').replace('""', '"')
    raise ValueError(f"not a CREATE statement: {statement[:40]}")


def _rebuild(conn: sqlite3.Connection, table: SchemaObject, want: list[tuple], have: list[tuple]) -> None:
    """Make ``table`` anew from its description and copy its rows over, ids included (SQLite's 12-step way)."""
    temp = f"_rebuild_{table.name}"
    create = table.sql.replace(f"CREATE TABLE {q(table.name)}", f"CREATE TABLE {q(temp)}", 1)
    if create == table.sql:
        raise AssertionError(f"cannot rename the table in {table.sql[:60]}")
    conn.execute(create)
    kept = {c[0] for c in have}
    columns = [c[0] for c in want if c[0] in kept]
    values = [q(c) for c in columns]
    for name, _type, not_null, default, _pk in want:
        if name not in kept and not_null and default is None:  # a new required field: its described default
            columns.append(name)
            values.append(_literal(_field_default(table.name, name)))
    conn.execute(
        f"INSERT INTO {q(temp)} ({', '.join(q(c) for c in columns)}) SELECT {', '.join(values)} FROM {q(table.name)}"
    )
    conn.execute(f"DROP TABLE {q(table.name)}")
    conn.execute(f"ALTER TABLE {q(temp)} RENAME TO {q(table.name)}")


def _field_default(table: str, column: str) -> object:
    for kind in KINDS:
        if kind.name == table:
            for f in kind.stored_fields:
                if f.column == column:
                    return f.default
    return None


def _literal(value: object) -> str:
    """``value`` as an SQL literal (NULL for None, which a NOT NULL column then refuses, failing the migration)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"
