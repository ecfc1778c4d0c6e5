"""Other trackers' layouts, described as data: one TOML file each in ``importers/layouts/``.

A layout says how to recognise a sheet by its headers, which column fills which field, how values translate (Kiel's
"Military" to the kind "military aid", SIPRI's "portable SAM" to the category "air defence"), which fixed values
it implies (the recipient Ukraine, for the Kiel tracker), and what a package carries once. The mapping stage asks
``recognise`` for the sheet and ``prepare`` for its columns; adding a tracker is a data file and its test.

The values a layout derives from several columns (a category from the type and sub-type of an item, a delivery
date from a list of years) are added to the sheet as columns of their own, headed "(field, from …)", so that the
rest of the import reads them as it reads any column, and the original columns are kept.
"""

from __future__ import annotations

import itertools
import operator
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from storage import KINDS_BY_NAME, FieldType, Kind
from storage.kinds import UNKNOWN_ACTOR
from storage.values import fold, format_date, parse_date, parse_money

from .cells import EMPTY_WORDS
from .mapping import ColumnMatch, Mapping, normal
from .reading import Sheet

FOLDER = Path(__file__).with_name("layouts")

# How far down a sheet its header row is looked for (SIPRI's notes take 11 lines).
HEADER_SEARCH_ROWS = 40


@dataclass(frozen=True)
class Derived:
    """A field worked out from one or more columns of each row.

    Attributes:
        field: the field it fills.
        sources: the columns it reads, by normal header.
        how: "rules" (the first pattern that matches the columns' text gives the value), "join" (the columns' values
            joined, for an item the tracker leaves as "."), "list" (the columns' values as one list, each once),
            "last" (the last of a ';'-separated list, kept whole in ``keep``), "flag" (a column holding "?", or
            ``value``, marks the record uncertain, naming ``label``), "reached" (``value`` where the second column's
            number reaches the first's).
        rules: (pattern, value) pairs, tried in order; ``default`` when none matches.
        keep: for "last", the field that keeps the whole list.
        label: for "flag", the figure the "?" is about; with a ``value``, the whole note ("the delivery year is
            SIPRI's estimate").
        value: for "reached", the value given; for "flag", the mark ("Yes") where it is not "?".
    """

    field: str
    sources: tuple[tuple[str, ...], ...]  # each source: its normal header, or the headers it may have
    how: str
    rules: tuple[tuple[re.Pattern[str], str], ...] = ()
    default: str | None = None
    keep: str | None = None
    label: str = ""
    value: str = ""


@dataclass(frozen=True)
class Layout:
    """One tracker's published layout.

    Attributes:
        id: the file's name without ".toml".
        name: what the preview says it recognised ("Kiel Institute, Ukraine Support Tracker: bilateral main data").
        kind: the record kind its rows are.
        sheet: the sheet that holds the data, in a workbook of many.
        recognise: normal headers that a header row must all hold.
        columns: normal header (or "" for a blank header) -> field, or "-" to leave the column out.
        fixed: field -> the value every row implies.
        derived: the fields worked out from several columns.
        package: how a package is given once, on its first row: "code", "first_row" (a column that is 1 there),
            and "fields": field -> normal header of the package's own values.
        values: field -> {folded cell text -> value}: how the tracker's words translate ("unknown supplier(s)").
        non_state: the mark after an actor's name that says it is not a state (SIPRI's "*"): an organisation.
        key: the fields that name one record of the tracker, among equal ones by their order in the file; rows
            are matched to records already here by it, not by the near-duplicate check.
        origins: where each term of the app's vocabularies that the layout needs comes from.
    """

    id: str
    name: str
    kind: str
    sheet: str | None
    recognise: tuple[str, ...]
    columns: dict[str, str]
    fixed: dict[str, str] = field(default_factory=dict)
    derived: tuple[Derived, ...] = ()
    package: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    non_state: str = ""
    key: tuple[str, ...] = ()
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def target(self) -> Kind:
        """The kind its rows are."""
        return KINDS_BY_NAME[self.kind]


@dataclass
class Prepared:
    """A sheet read through its layout.

    Attributes:
        layout: the layout recognised.
        sheet: the rows, the derived columns added.
        mapping: how its columns map.
        made: kind -> folded name -> values, for the records its rows make by name (a package's own value, donor
            and date; an organisation's type).
    """

    layout: Layout
    sheet: Sheet
    mapping: Mapping
    made: dict[str, dict[str, dict[str, Any]]]  # kind -> folded name -> {field: value}


def _derived(spec: dict[str, Any]) -> Derived:
    rules = tuple((re.compile(pattern, re.IGNORECASE), value) for pattern, value in spec.get("rules", []))
    return Derived(
        field=spec["field"],
        sources=tuple(tuple(normal(a) for a in ([s] if isinstance(s, str) else s)) for s in spec.get("from", [])),
        how=spec["how"],
        rules=rules,
        default=spec.get("default"),
        keep=spec.get("keep"),
        label=spec.get("label", ""),
        value=spec.get("value", ""),
    )


def _load(path: Path) -> Layout:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Layout(
        id=path.stem,
        name=data["name"],
        kind=data["kind"],
        sheet=data.get("sheet"),
        recognise=tuple(normal(h) for h in data["recognise"]),
        columns={normal(h): f for h, f in data.get("columns", {}).items()},
        fixed=dict(data.get("fixed", {})),
        derived=tuple(_derived(spec) for spec in data.get("derived", [])),
        package=_package_spec(data.get("package", {})),
        values={f: {fold(k): v for k, v in table.items()} for f, table in data.get("values", {}).items()},
        non_state=data.get("non_state", ""),
        key=tuple(data.get("key", ())),
        origins=dict(data.get("origins", {})),
    )


def _package_spec(spec: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {k: normal(v) for k, v in spec.items() if k != "fields"}
    found["fields"] = {f: normal(h) for f, h in spec.get("fields", {}).items()}
    return found if spec else {}


def is_blank(value: Any) -> bool:
    """Whether a cell says nothing: empty, or a null marker of the field's files (".", "Not given", "-")."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    if len(value) > _LONGEST_MARKER:  # most cells: text far longer than any marker, not folded for nothing
        return False
    found = _BLANKS.get(value)
    if found is None:
        if len(_BLANKS) > 200_000:  # bounded: a window that imports all day keeps no more than this
            _BLANKS.clear()
        key = fold(value).strip(" .")
        found = _BLANKS[value] = not key or key in EMPTY_WORDS
    return found


_LONGEST_MARKER = max(len(w) for w in EMPTY_WORDS) + 4  # room for stray spaces and a full stop
_BLANKS: dict[str, bool] = {}  # cell text -> blank, for the short texts a tracker repeats


@cache
def known() -> tuple[Layout, ...]:
    """Every layout Aid Ledger knows, from its data files."""
    return tuple(_load(path) for path in sorted(FOLDER.glob("*.toml")))


def _header_row(layout: Layout, rows: Sequence[Sequence[Any]]) -> int | None:
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = {normal(c) for c in row if c not in (None, "")}
        if all(h in headers for h in layout.recognise):
            return r
    return None


def recognise(sheets: Sequence[Sheet]) -> tuple[Layout, Sheet, int] | None:
    """The layout, sheet and header row of a file in a known layout; its data sheet first where it names one."""
    for layout in known():
        ordered = sorted(sheets, key=lambda s: s.name != layout.sheet)
        for sheet in ordered:
            if sheet.hidden:
                continue
            r = _header_row(layout, sheet.rows)
            if r is not None:
                return layout, sheet, r
    return None


def _text(value: Any) -> str:
    return "" if is_blank(value) else " ".join(str(value).split())


def _derive(d: Derived, cells: list[Any]) -> tuple[Any, Any]:
    """The derived value of one row, and what the "keep" field keeps (a list of years), from the sources' cells."""
    if d.how == "rules":
        text = " ".join(_text(c) for c in cells)
        for pattern, value in d.rules:
            if pattern.search(text):
                return value, None
        return (d.default if text or d.default else None), None
    if d.how == "join":
        first, *rest = cells
        if not is_blank(first):  # the tracker's own value stands
            return first, None
        words = [_text(c) for c in rest if not is_blank(c)]
        if not words:
            return d.default, None
        text = " ".join(words)
        return text[:1].upper() + text[1:].lower(), None
    if d.how == "list":  # several columns of one kind of thing (Sources of Aid 1-4): one list, each once
        items = list(dict.fromkeys(_text(c) for c in cells if not is_blank(c)))
        return ("; ".join(items) if items else None), None
    if d.how == "last":
        items = [p.strip() for p in _text(cells[0]).split(";") if p.strip()]
        return (items[-1] if items else None), ("; ".join(items) if len(items) > 1 else None)
    if d.how == "flag":  # a mark that a figure is uncertain: SIPRI's "?" (a null marker elsewhere), or its "Yes"
        marker = d.value or "?"
        flagged = any(isinstance(c, str) and c.strip().lower() == marker.lower() for c in cells)
        note = f"{d.label} uncertain in the source ('?')" if marker == "?" else d.label
        return ("yes" if flagged else None), (note if flagged else None)
    if d.how == "reached":
        try:
            wanted, done = (float(str(c).replace(",", "")) for c in cells[:2])
        except (TypeError, ValueError):
            return None, None
        return (d.value if wanted > 0 and done >= wanted else None), None
    raise ValueError(f"layout: no way '{d.how}' to derive {d.field}")


def prepare(layout: Layout, sheet: Sheet, header_row: int) -> Prepared:
    """The sheet as its layout reads it: derived columns added, every column mapped, packages' own values found."""
    width = max((len(r) for r in sheet.rows[header_row:]), default=0)
    # Each row copied once, padded to the widest (the sheet read stays as it was): what the layout derives goes on
    # its end, and the values it translates replace the cells read.
    rows = [list(r) for r in sheet.rows[: header_row + 1]]
    rows += [[*r, *([None] * (width - len(r)))] for r in sheet.rows[header_row + 1 :]]  # (a row may be a tuple)
    header = [normal(c) for c in rows[header_row]]
    header += [""] * (width - len(header))

    def at(names: tuple[str, ...]) -> int | None:
        for name in names:
            if name.startswith("next to "):  # SIPRI's "?" columns have no header: the one right after a figure
                other = name.removeprefix("next to ")
                if other in header:
                    return header.index(other) + 1
            elif name in header:
                return header.index(name)
        return None

    derived = [(d, [at(s) for s in d.sources]) for d in layout.derived]
    derived = [(d, where) for d, where in derived if all(i is not None for i in where)]
    added_fields: list[str] = []
    for d, _ in derived:
        added_fields.append(d.field)
        if d.keep:
            added_fields.append(d.keep)
        if d.how == "flag":
            added_fields.append("uncertain_note")
    # several flags fill one note: joined
    added_fields = list(dict.fromkeys(added_fields))
    rows[header_row] = list(rows[header_row]) + [""] * (width - len(rows[header_row]))
    rows[header_row] += [f"({name}, from the layout)" for name in added_fields]
    body = rows[header_row + 1 :]
    by_derived = []  # each derived field's (value, kept) on every row: worked out once per distinct cells
    for d, where in derived:
        columns = [list(map(operator.itemgetter(i), body)) for i in where]
        cells = list(zip(*columns, strict=True)) if columns else [()] * len(body)
        found = {c: _derive(d, list(c)) for c in set(cells)}  # a tracker repeats its cells
        by_derived.append(list(map(found.__getitem__, cells)))
    each_row = zip(*by_derived, strict=True) if by_derived else itertools.repeat(())
    for row, results in zip(body, each_row, strict=False):
        values: dict[str, Any] = {}
        for (d, _), (value, kept) in zip(derived, results, strict=True):
            if d.how == "flag":
                if value:
                    values["uncertain"] = "yes"
                    note = values.get("uncertain_note")
                    values["uncertain_note"] = f"{note}; {kept}" if note else kept
                continue
            if value is not None:
                values[d.field] = value
            if d.keep and kept is not None:
                values[d.keep] = kept
        row.extend([values.get(name) for name in added_fields])
    kind = layout.target
    made: dict[str, dict[str, dict[str, Any]]] = {}
    mapped = {i: layout.columns[name] for i, name in enumerate(header) if layout.columns.get(name, "-") != "-"}
    for index, target in mapped.items():
        f = kind.field(target)
        table = layout.values.get(target, {})
        marks = layout.non_state and f.type is FieldType.REF and f.ref == "actors"
        if not table and not marks:
            continue
        folded: dict[str, str] = {}  # each distinct cell folded once
        for r in range(header_row + 1, len(rows)):
            cell = rows[r][index] if index < len(rows[r]) else None
            if not isinstance(cell, str):
                continue
            key = folded.get(cell)
            if key is None:
                key = folded[cell] = fold(cell)
            text = table.get(key, cell)
            if text == UNKNOWN_ACTOR and f.type is FieldType.REF and f.ref == "actors":
                made.setdefault("actors", {})[fold(text)] = {"type": "unknown"}  # and the record is uncertain
            elif marks and text.rstrip().endswith(layout.non_state):
                text = text.rstrip().rstrip(layout.non_state).strip()
                made.setdefault("actors", {})[fold(text)] = {"type": "organisation"}
            rows[r][index] = text
    mapping = Mapping(header_row)
    taken = set(added_fields)
    sources = {i for _, where in derived for i in where}  # the columns the layout reads to derive fields
    # those whose text a field holds as written (the item's column, a source's address, the list of years): kept as
    # extra values only where the field holds something else ("." built into "Humanitarian assistance")
    as_written = {where[0] for d, where in derived if d.how == "join"}
    as_written |= {i for d, where in derived if d.how in ("list", "last") for i in where}
    for index, name in enumerate(header):
        written = str(sheet.rows[header_row][index] or "") if index < len(sheet.rows[header_row]) else ""
        filled = layout.columns.get(name)
        if filled and filled != "-" and filled not in taken:
            taken.add(filled)
            mapping.columns.append(ColumnMatch(index, written.strip(), filled, "layout"))
        else:  # no field of its own: "derived" when the layout reads it to work out one ("taken": as written)
            how = "taken" if index in as_written else "derived" if index in sources else ""
            mapping.columns.append(ColumnMatch(index, written.strip(), None, how))
    for n, name in enumerate(added_fields):
        mapping.columns.append(ColumnMatch(width + n, f"({name}, from the layout)", name, "layout"))
    prepared_sheet = Sheet(sheet.name, rows, sheet.hidden, sheet.merged)
    made |= _packages(layout, rows, header, header_row)
    return Prepared(layout, prepared_sheet, mapping, made)


def _packages(
    layout: Layout, rows: list[list[Any]], header: list[str], header_row: int
) -> dict[str, dict[str, dict[str, Any]]]:
    """The packages' own values, from each package's first row (where the tracker's first-row column is 1).

    Each gets a name people read, from its code, donor and date ("USM1: United States, 12 Mar 2022"); the rows
    still name it by its code, which stays its Package ID.
    """
    spec = layout.package
    if not spec or spec.get("code") not in header:
        return {}
    code = header.index(spec["code"])
    first = header.index(spec["first_row"]) if spec.get("first_row") in header else None
    fields = {f: header.index(h) for f, h in spec.get("fields", {}).items() if h in header}
    found: dict[str, dict[str, Any]] = {}
    codes: dict[str, str] = {}
    readable: dict[tuple[str, type, Any], Any] = {}  # a package's donor, date, currency: the same on many rows
    named: dict[tuple[type, Any], tuple[str, str]] = {}  # its code, on each of its rows: (as read, folded)
    firsts: dict[tuple[type, Any], bool] = {}  # the first-row column's few values
    for row in rows[header_row + 1 :]:
        given = (type(row[code]), row[code]) if code < len(row) else (type(None), None)
        if given not in named:
            named[given] = (_text(given[1]), fold(_text(given[1])))
        name, key = named[given]
        if not name:
            continue
        mark = (type(row[first]), row[first]) if first is not None and first < len(row) else (type(None), None)
        if mark not in firsts:
            firsts[mark] = _text(mark[1]) in ("1", "1.0")
        is_first = first is None or firsts[mark]
        if key in found and not is_first:
            continue
        codes.setdefault(key, name)
        values = {}
        for f, i in fields.items():
            if i < len(row) and not is_blank(row[i]):
                cell = (f, type(row[i]), row[i])  # the type too: 1, 1.0 and True are one key otherwise
                if cell not in readable:
                    readable[cell] = _readable(f, row[i])
                if readable[cell] is not None:
                    values[f] = readable[cell]
        if is_first or key not in found:
            found[key] = {**found.get(key, {}), **values}
    for key, values in found.items():
        said = [str(values["donor"])] if values.get("donor") else []
        said += [format_date(str(values["announced_on"]))] if values.get("announced_on") else []
        values["name"] = f"{codes[key]}: {', '.join(said)}" if said else codes[key]
    return {"packages": found}


def _readable(name: str, value: Any) -> Any:
    """A package's own value as storage takes it, or None when it cannot be read (the package is made without it)."""
    f = KINDS_BY_NAME["packages"].field(name)
    try:
        if f.type is FieldType.AMOUNT:
            money = parse_money(value)
            return None if money is None else money.amount
        if f.type is FieldType.DATE:
            return parse_date(value)
    except ValueError:
        return None
    return value
