"""Queries for the big tables: the ids matching filters in a sort order, then the display rows of a page of ids.

The window never holds all rows: it asks ``ids()`` for the matching ids (8 bytes each) and ``rows_by_ids()`` for
the few hundred it paints. Filtering and sorting run in SQL, on indexed columns where they can.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from . import extra
from .database import Ledger
from .kinds import ID_LABEL, KINDS_BY_NAME, NOT_AID, UPDATED_LABEL, Field, FieldType, Kind
from .records import kind_of
from .schema import q
from .search import fts_query
from .values import format_date, format_number

# Columns a table shows beyond the kind's fields.
ID_COLUMN = "uid"
UPDATED_COLUMN = "updated_at"


@dataclass(frozen=True)
class Column:
    """One column of a record table: a field of the kind, or the stable ID or the last-updated time."""

    name: str
    label: str
    field: Field | None = None

    @property
    def sortable(self) -> bool:
        """Whether the table can sort by it: every column but a list of links."""
        return self.field is None or self.field.type is not FieldType.LINKS


def columns(kind: Kind | str) -> list[Column]:
    """The columns of a kind's table, in order: the kind's fields, then ID and last updated."""
    kind = kind_of(kind)
    cols = [Column(f.name, f.label, f) for f in kind.all_fields]
    cols.append(Column(ID_COLUMN, ID_LABEL))
    cols.append(Column(UPDATED_COLUMN, UPDATED_LABEL))
    return cols


@dataclass(frozen=True)
class Filters:
    """What a table shows: full-text search, fields equal to values, and a date range.

    Attributes:
        search: words that must all appear (as prefixes) in the record's text.
        equals: field name -> stored value (a row id for a reference, the vocabulary value for a choice).
        date_field: the DATE field that ``date_from`` and ``date_to`` bound.
        date_from: ISO text; partial dates compare by their start ("2024-08" includes 2024-08-13).
        date_to: ISO text; "2024-08" includes the whole of August.
    """

    search: str = ""
    equals: tuple[tuple[str, Any], ...] = ()
    date_field: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set, so that the table shows fewer than all records."""
        return bool(self.search.strip() or self.equals or self.date_from or self.date_to)


@dataclass
class Query:
    """SQL pieces for a filtered, sorted select from one kind's table, aliased ``r``."""

    joins: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)


def where_clause(kind: Kind, filters: Filters) -> Query:
    """The joins, conditions and arguments that select the records of ``kind`` that ``filters`` let through."""
    query = Query()
    text = fts_query(filters.search) if filters.search else None
    if text:
        fts = q(kind.name + "_fts")
        query.where.append(f"r.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)")
        query.args.append(text)
    for name, value in filters.equals:
        f = kind.field(name)
        if f.type is FieldType.LINKS:
            assert f.link is not None
            extra = " AND record_kind = ?" if f.link.polymorphic else ""
            query.where.append(f"r.id IN (SELECT owner_id FROM {q(f.link.table)} WHERE target_id = ?{extra})")
            query.args += [value, kind.name] if f.link.polymorphic else [value]
        elif value == "":
            query.where.append(f"r.{q(f.column)} IS NULL")
        else:
            query.where.append(f"r.{q(f.column)} = ?")
            query.args.append(value)
    if filters.date_field and (filters.date_from or filters.date_to):
        col = f"r.{q(kind.field(filters.date_field).column)}"
        if filters.date_from:
            query.where.append(f"{col} >= ?")
            query.args.append(filters.date_from)
        if filters.date_to:
            query.where.append(f"{col} <= ?")
            query.args.append(filters.date_to + "~")  # "~" sorts after digits: "2024-08" covers 2024-08-31
    return query


def _sort_key(kind: Kind, name: str, query: Query) -> str:
    if name in (ID_COLUMN, UPDATED_COLUMN):
        return f"r.{q(name)}"
    f = kind.field(name)
    if f.type is FieldType.REF:
        target = KINDS_BY_NAME[f.ref or ""]
        alias = f"s_{name}"
        query.joins.append(f"LEFT JOIN {q(target.name)} {alias} ON {alias}.id = r.{q(f.column)}")
        return f"{alias}.{q(target.title_field)}"
    if f.type is FieldType.LINKS:
        raise ValueError(f"cannot sort by {f.label}")
    return f"r.{q(f.column)}"


def _blank_last(expr: str, ascending: bool) -> str:
    """A sort key that puts blanks (NULL or '') after every value in either direction.

    SQLite sorts NULL before numbers, numbers before text and text before BLOBs: ascending, a blank becomes an
    empty BLOB (after everything); descending, NULL (after everything).
    """
    return f"coalesce(nullif({expr}, ''), X'')" if ascending else f"nullif({expr}, '')"


@dataclass(frozen=True)
class _Sorted:
    """The pieces of a sorted select of ids: where from, which records, and the keys as SQL with their directions."""

    source: str
    where: list[str]
    args: list[Any]
    first: str  # the first key, bare, so that its column's index can serve it ("" when there is no key)
    direction: str  # the first key's
    rest: list[tuple[str, str]]  # the other keys, blanks last, each with its direction
    last: str  # the id's direction: the last key's

    def select(self, where: list[str], keys: list[str]) -> tuple[str, list[Any]]:
        conditions = [*self.where, *where]
        sql = f"SELECT r.id {self.source}" + (" WHERE " + " AND ".join(conditions) if conditions else "")
        rest = [f"{key} {direction}" for key, direction in self.rest]
        return sql + " ORDER BY " + ", ".join([*keys, *rest, f"r.id {self.last}"]), self.args


def _sorted(kind: Kind | str, filters: Filters, order: Sequence[tuple[str, bool]]) -> _Sorted:
    kind = kind_of(kind)
    query = where_clause(kind, filters)
    keys = [(_sort_key(kind, name, query), ascending) for name, ascending in order]
    return _Sorted(
        source=f"FROM {q(kind.name)} r {' '.join(query.joins)}",
        where=query.where,
        args=query.args,
        first=keys[0][0] if keys else "",
        direction="ASC" if not keys or keys[0][1] else "DESC",
        rest=[(_blank_last(key, up), "ASC" if up else "DESC") for key, up in keys[1:]],
        last="DESC" if order and not order[-1][1] else "ASC",
    )


def shows(ledger: Ledger, kind: Kind | str, filters: Filters, rid: int) -> bool:
    """Whether a table filtered by ``filters`` shows record ``rid`` (a record just saved may be hidden by them)."""
    kind = kind_of(kind)
    query = where_clause(kind, filters)
    sql = f"SELECT 1 FROM {q(kind.name)} r {' '.join(query.joins)} WHERE " + " AND ".join([*query.where, "r.id = ?"])
    return ledger.conn.execute(sql, [*query.args, rid]).fetchone() is not None


def ids_statements(
    kind: Kind | str, filters: Filters = Filters(), order: Sequence[tuple[str, bool]] = ()
) -> list[list[tuple[str, list[Any]]]]:
    """The statements ``ids()`` runs, in groups: a group's ids merged by id, the groups one after the other.

    Blanks (NULL or '') sort last in both directions. Wrapped in ``_blank_last`` a key is an expression that no index
    serves, so the first key stays bare: first the records with a value, sorted by the bare column (an index scan,
    as a plain ORDER BY is), then the blanks. Without a second key those are read as NULL and as '' apart, each then
    already in id order on the column's index, and merged by id.
    """
    s = _sorted(kind, filters, order)
    if not s.first:
        return [[s.select([], [])]]
    valued = s.select([f"{s.first} IS NOT NULL", f"{s.first} <> ''"], [f"{s.first} {s.direction}"])
    if s.rest:
        return [[valued], [s.select([f"({s.first} IS NULL OR {s.first} = '')"], [])]]
    return [[valued], [s.select([f"{s.first} IS NULL"], []), s.select([f"{s.first} = ''"], [])]]


def ids_sql(
    kind: Kind | str, filters: Filters = Filters(), order: Sequence[tuple[str, bool]] = ()
) -> tuple[str, list[Any]]:
    """The ids of ``ids()`` in one statement: a second way to the same ids, which the tests hold ``ids()`` to.

    ``ids()`` runs ``ids_statements`` instead: the same ids without SQLite merging two ordered selects (measured on
    a million records sorted by one indexed column: about 0.3 s instead of 0.5 s); the benchmark times those.
    """
    s = _sorted(kind, filters, order)
    if not s.first:
        return s.select([], [])
    blank = "X''" if s.direction == "ASC" else "NULL"  # as _blank_last makes a blank
    parts = [
        f"SELECT {', '.join(['r.id', value, *(key for key, _ in s.rest)])} {s.source} WHERE "
        + " AND ".join([*s.where, f"({condition})"])
        for condition, value in (
            (f"{s.first} IS NOT NULL AND {s.first} <> ''", s.first),
            (f"{s.first} IS NULL OR {s.first} = ''", blank),
        )
    ]
    directions = [s.direction, *(direction for _, direction in s.rest)]
    terms = [f"{i} {direction}" for i, direction in enumerate(directions, start=2)]
    return " UNION ALL ".join(parts) + " ORDER BY " + ", ".join([*terms, f"1 {s.last}"]), s.args * 2


def ids(
    ledger: Ledger, kind: Kind | str, filters: Filters = Filters(), order: Sequence[tuple[str, bool]] = ()
) -> array[int]:
    """The row ids of the records that match ``filters``, sorted by ``order`` ((field, ascending), ...) then id.

    Blanks (NULL or '') come last, ascending and descending.
    """
    result = array("q")
    for group in ids_statements(kind, filters, order):
        found = [_fetch_ids(ledger, sql, args) for sql, args in group]
        found = [part for part in found if part]
        if len(found) > 1:  # NULL and '' both there: one run of blanks in id order
            descending = bool(order) and not order[-1][1]
            found = [array("q", sorted(chain.from_iterable(found), reverse=descending))]
        for part in found:
            result.extend(part)
    return result


def _fetch_ids(ledger: Ledger, sql: str, args: list[Any]) -> array[int]:
    result = array("q")
    cursor = ledger.conn.execute(sql, args)
    while chunk := cursor.fetchmany(65536):
        result.extend(row[0] for row in chunk)
    return result


def _package_value(alias: str) -> str:
    """SQL for the value a package gives once, carried by its first item, where none of its items has one."""
    return (
        f"CASE WHEN {alias}.id = (SELECT min(x.id) FROM aid x WHERE x.package_id = {alias}.package_id)"
        f" AND NOT EXISTS (SELECT 1 FROM aid y WHERE y.package_id = {alias}.package_id AND y.value_eur IS NOT NULL)"
        f" THEN (SELECT p.value_eur FROM packages p WHERE p.id = {alias}.package_id) END"
    )


def counted_eur(alias: str = "r") -> str:
    """SQL for the EUR value an Aid item counts for in every sum, each euro once.

    Its own value; else, for a package's first item, the package's value where none of its items has one (Kiel
    gives a value once per package).
    """
    return (
        f"(CASE WHEN {alias}.value_eur IS NOT NULL THEN {alias}.value_eur"
        f" WHEN {alias}.package_id IS NULL THEN NULL ELSE ({_package_value(alias)}) END)"
    )


def without_value(alias: str = "r") -> str:
    """SQL true for an Aid item that no sum has a EUR value for: neither its own nor its package's."""
    return (
        f"({alias}.value_eur IS NULL AND ({alias}.package_id IS NULL OR NOT EXISTS (SELECT 1 FROM packages p"
        f" WHERE p.id = {alias}.package_id AND p.value_eur IS NOT NULL AND NOT EXISTS (SELECT 1 FROM aid y"
        f" WHERE y.package_id = p.id AND y.value_eur IS NOT NULL))))"
    )


@dataclass(frozen=True)
class EurTotal:
    """The EUR value of some Aid items: aid to others apart from a country's own buying and trade.

    Attributes:
        to_others: aid to others (every kind but ``NOT_AID``).
        not_aid: procurement for own forces, sales and licensed production.
        without_value: how many of the items have no EUR value (they add nothing; not a zero).
        items: how many items there are.
    """

    to_others: int | float
    not_aid: int | float
    without_value: int
    items: int


def eur_total(ledger: Ledger, filters: Filters = Filters()) -> EurTotal:
    """The EUR value of the Aid items that match ``filters``, aid to others and the rest apart.

    A package's own value counts where none of its items has one (``counted_eur``).
    """
    kind = KINDS_BY_NAME["aid"]
    query = where_clause(kind, filters)
    not_aid = ", ".join("?" * len(NOT_AID))
    sql = (
        f"SELECT coalesce(sum(CASE WHEN r.kind IN ({not_aid}) THEN NULL ELSE {counted_eur()} END), 0),"
        f" coalesce(sum(CASE WHEN r.kind IN ({not_aid}) THEN {counted_eur()} END), 0),"
        f" coalesce(sum({without_value()}), 0), count(*) FROM aid r"
    )
    if query.where:
        sql += " WHERE " + " AND ".join(query.where)
    to_others, rest, missing, items = ledger.conn.execute(sql, [*NOT_AID, *NOT_AID, *query.args]).fetchone()
    return EurTotal(to_others, rest, int(missing), int(items))


def packages_eur(ledger: Ledger, filters: Filters = Filters()) -> EurTotal:
    """The packages' own EUR values (each as announced, whatever its items say), for the Packages page."""
    query = where_clause(KINDS_BY_NAME["packages"], filters)
    sql = "SELECT coalesce(sum(r.value_eur), 0), sum(r.value_eur IS NULL), count(*) FROM packages r"
    if query.where:
        sql += " WHERE " + " AND ".join(query.where)
    total, missing, count = ledger.conn.execute(sql, query.args).fetchone()
    return EurTotal(total, 0, int(missing or 0), int(count))


def _select_expr(kind: Kind, col: Column, joins: list[str]) -> str:
    f = col.field
    if f is None:
        return f"r.{q(col.name)}"
    if f.type is FieldType.REF:
        target = KINDS_BY_NAME[f.ref or ""]
        alias = f"j_{f.name}"
        joins.append(f"LEFT JOIN {q(target.name)} {alias} ON {alias}.id = r.{q(f.column)}")
        return f"{alias}.{q(target.title_field)}"
    if f.type is FieldType.LINKS:
        assert f.link is not None
        target = KINDS_BY_NAME[f.link.target]
        text = f"t.{q(target.title_field)}"
        if f.link.extras and f.link.extras[0].type in (FieldType.TEXT, FieldType.CHOICE):
            extra = f"l.{q(f.link.extras[0].name)}"
            text = f"{text} || CASE WHEN {extra} IS NOT NULL AND {extra} <> '' THEN ' (' || {extra} || ')' ELSE '' END"
        where = "l.owner_id = r.id" + (f" AND l.record_kind = '{kind.name}'" if f.link.polymorphic else "")
        # The ordered inner select keeps the links in their stored order; it reads only this record's links.
        return (
            f"(SELECT group_concat(x, '; ') FROM (SELECT {text} AS x FROM {q(f.link.table)} l"
            f" JOIN {q(target.name)} t ON t.id = l.target_id WHERE {where} ORDER BY l.position, l.id))"
        )
    return f"r.{q(f.column)}"


def rows_by_ids(ledger: Ledger, kind: Kind | str, row_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """The values of ``columns(kind)`` for each of ``row_ids``, as the table shows them.

    References are the names they point to, links "Name (role); Name" text, everything else as stored. Ids that no
    longer exist are left out.
    """
    kind = kind_of(kind)
    wanted = list(row_ids)
    found: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on parameters is far above; 500 keeps plans cheap
        chunk = wanted[start : start + 500]
        for row in ledger.conn.execute(rows_sql(kind, len(chunk)), chunk):
            found[row[0]] = tuple(row[1:])
    return found


def rows_sql(kind: Kind | str, count: int) -> str:
    """The SQL that ``rows_by_ids`` runs for ``count`` ids (the benchmark runs it bare, to compare)."""
    kind = kind_of(kind)
    joins: list[str] = []
    exprs = [_select_expr(kind, col, joins) for col in columns(kind)]
    marks = ", ".join("?" * count)
    return f"SELECT r.id, {', '.join(exprs)} FROM {q(kind.name)} r {' '.join(joins)} WHERE r.id IN ({marks})"


def amount_parts(cols: Sequence[Column]) -> dict[int, tuple[int | str | None, int | None]]:
    """For each amount column of ``cols``: where its currency is (a column index, or "EUR") and its qualifier's index.

    So that a table shows a value as "about EUR 5,000,000", as it was said, not as a bare number.
    """
    index = {c.name: i for i, c in enumerate(cols)}
    parts: dict[int, tuple[int | str | None, int | None]] = {}
    for i, col in enumerate(cols):
        f = col.field
        if f is not None and f.type is FieldType.AMOUNT:
            currency = "EUR" if f.name.endswith("_eur") else index.get("currency")
            parts[i] = (currency, index.get(f.qualifier) if f.qualifier else None)
    return parts


def display_in_row(col: Column, row: Sequence[Any], i: int, parts: tuple[int | str | None, int | None] | None) -> str:
    """How a table shows cell ``i`` of ``row``: as ``display`` does, an amount with its currency and qualifier."""
    text = display(col, row[i])
    if parts is None or not text:
        return text
    currency, qualifier = parts
    words = [
        str(row[qualifier]) if qualifier is not None and row[qualifier] not in (None, "exact", "between") else "",
        currency if isinstance(currency, str) else str(row[currency] or "") if currency is not None else "",
        text,
    ]
    return " ".join(w for w in words if w)


def display(col: Column, value: Any) -> str:
    """How a table cell shows a stored value: partial dates as "Aug 2024", amounts with thousands separators."""
    if value is None:
        return ""
    f = col.field
    if f is None:
        return str(value).replace("T", " ")[:19] if col.name == UPDATED_COLUMN else str(value)
    if f.type is FieldType.DATE:
        return format_date(value)
    if f.type in (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER) and isinstance(value, int | float):
        return format_number(value)
    if f.type is FieldType.BOOL:
        return "yes" if value else ""
    if f.type is FieldType.CHOICE:
        text = str(value)
        return text[:1].upper() + text[1:]
    if f.type is FieldType.LONG_TEXT:
        text = str(value)
        return text.splitlines()[0][:200] if text else ""
    if f.type is FieldType.EXTRA:
        return extra.display(value)[:200]
    return str(value)


def distinct_values(
    ledger: Ledger, kind: Kind | str, name: str, *, limit: int = 5000, recent: int = 20_000
) -> list[str]:
    """The values a text field holds in the most recent records, most used first, for completers ("Kyiv").

    Only the latest ``recent`` records are read, so a completer costs the same over a million records.
    """
    kind = kind_of(kind)
    col = q(kind.field(name).column)
    sql = (
        f"SELECT v FROM (SELECT {col} AS v FROM {q(kind.name)} ORDER BY id DESC LIMIT ?)"
        " WHERE v IS NOT NULL AND v <> '' GROUP BY v ORDER BY count(*) DESC, v LIMIT ?"
    )
    return [row[0] for row in ledger.conn.execute(sql, (recent, limit))]


def names(ledger: Ledger, kind: Kind | str, *, where: str = "", args: Sequence[Any] = ()) -> list[tuple[int, str]]:
    """(row id, name) of a kind's records, by name, for pick lists and completers of references."""
    kind = kind_of(kind)
    title = q(kind.title_field)
    sql = f"SELECT id, {title} FROM {q(kind.name)}" + (f" WHERE {where}" if where else "") + f" ORDER BY {title}"
    return [(row[0], row[1] or "") for row in ledger.conn.execute(sql, args)]
