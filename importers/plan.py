"""The preview of an import: what would be added, updated, skipped or refused, worked out before anything is written.

An Aid Ledger export coming back is matched by its records' stable IDs, every sheet at once. Any other spreadsheet
is read through a column mapping into one record kind, and its rows are checked against the records already here
for likely duplicates.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import itertools
import json
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporters.cells import is_shortened
from exporters.xlsx import EXPORT_FORMAT, META_SHEET
from storage import KINDS_BY_NAME, FieldType, Kind, Ledger, UserError
from storage import records as rec
from storage.ids import is_uid
from storage.kinds import ID_LABEL, UPDATED_LABEL
from storage.schema import q
from storage.values import fold

from .cells import EMPTY, OTHER, PARTIAL, month_first, to_raw
from .mapping import ColumnMatch, Mapping, guess
from .reading import CellError, Sheet

# Kinds whose records an import makes when a row names one that is not here yet (a new donor, package, source).
CREATABLE = {"actors": "name", "packages": "name", "sources": "title"}
FUZZY_DUPLICATE = 0.9


class Cancelled(Exception):
    """The user cancelled; nothing was written."""


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Reading a big file makes millions of objects and no reference cycles: Python's cycle collector would scan
    them again and again for nothing (a tenth of a 100,000-row import). Plain reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Issue:
    """A cell or row that cannot be imported: where, and why."""

    sheet: str
    row: int  # as the spreadsheet numbers rows, from 1
    column: str  # "C", or "" for the whole row
    message: str

    def where(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet} row {self.row}"


@dataclass(slots=True)
class Add:
    """A new record: its values as read, and those whose stored form differs (``stored``, overlaid on ``values``:
    dates, amounts, references to records here as ids). A name of a record still to be made stays a name."""

    kind: str
    values: dict[str, Any]
    sheet: str
    row: int
    uid: str | None = None
    stored: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        title = KINDS_BY_NAME[self.kind].title_field
        return str(self.values.get(title) or f"{self.sheet} row {self.row}")


@dataclass
class Update:
    kind: str
    rid: int
    uid: str
    title: str
    changes: dict[str, tuple[Any, Any]]  # field -> (value here, value in the workbook)
    sheet: str = ""
    row: int = 0


@dataclass
class Conflict:
    """A field changed both here since the export and in the workbook: the user picks which value stays."""

    kind: str
    rid: int
    title: str
    field: str
    ours: Any
    theirs: Any
    sheet: str
    row: int
    take_theirs: bool = False


@dataclass
class Duplicate:
    """A new row that looks like a record already here; skipped unless the user says to add it."""

    add: Add
    existing: int
    existing_title: str
    reason: str
    import_anyway: bool = False


@dataclass
class Plan:
    """Everything an import would do, for the preview and for ``apply``."""

    source: Path
    from_export: bool
    kinds: list[str]
    adds: list[Add] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    missing: list[tuple[str, int, str]] = field(default_factory=list)  # (kind, rid, title) absent from the workbook
    unchanged: int = 0
    rows_read: int = 0
    notes: dict[str, int] = field(default_factory=lambda: {EMPTY: 0, PARTIAL: 0, OTHER: 0, "kept long text": 0})
    new_targets: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> folded name -> name
    mappings: dict[str, Mapping] = field(default_factory=dict)  # sheet -> how its columns were read
    delete_missing: bool = False
    matched_by_name: int = 0  # new rows of records here under another ID (a colleague's own "Lithuania")
    unread_columns: list[str] = field(default_factory=list)  # "Aid!H 'My notes'": columns no field is read from
    read_at: int = 0  # ``Ledger.last_batch()`` when the plan began reading the database

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows_read,
            "add": len(self.adds) + sum(d.import_anyway for d in self.duplicates),
            "update": len(self.updates),
            "unchanged": self.unchanged,
            "duplicates_skipped": sum(not d.import_anyway for d in self.duplicates),
            "conflicts": len(self.conflicts),
            "errors": len(self.issues),
            "missing": len(self.missing),
            "delete": len(self.missing) if self.delete_missing else 0,
            "new_linked_records": sum(len(v) for v in self.new_targets.values()),
        }

    def summary(self) -> str:
        c = self.counts()
        lines = [
            f"{self.source.name}: {c['rows']:,} rows read"
            + (" (an Aid Ledger export: matched by ID)" if self.from_export else ""),
            f"  add {c['add']:,}, update {c['update']:,}, unchanged {c['unchanged']:,}",
        ]
        fields = sum(len(u.changes) for u in self.updates)
        if fields:
            lines[-1] += f" ({fields:,} fields change)"
        if self.duplicates:
            lines.append(
                f"  {len(self.duplicates):,} rows look like records already here: {c['duplicates_skipped']:,} skipped"
            )
        if self.conflicts:
            kept = sum(not x.take_theirs for x in self.conflicts)
            lines.append(
                f"  {len(self.conflicts):,} conflicts (changed here since the export and in the workbook): "
                f"{kept:,} keep the value here"
            )
        for kind, names in self.new_targets.items():
            if names:
                lines.append(
                    f"  {len(names):,} new {KINDS_BY_NAME[kind].label.lower()} will be created: "
                    + ", ".join(sorted(names.values())[:8])
                    + ("…" if len(names) > 8 else "")
                )
        if self.matched_by_name:
            lines.append(f"  {self.matched_by_name:,} new rows name records already here under another ID: matched")
        if self.unread_columns:
            lines.append("  columns not read (no field of that name): " + ", ".join(self.unread_columns[:8]))
        if self.missing:
            action = "will be deleted" if self.delete_missing else "are kept (--delete-missing deletes them)"
            lines.append(f"  {len(self.missing):,} records are not in the workbook and {action}")
        read_as = [f"{n:,} {what}" for what, n in self.notes.items() if n]
        if read_as:
            lines.append(
                "  read as: "
                + "; ".join(read_as)
                .replace(EMPTY, "empty ('.', 'Not given' and the like)")
                .replace(PARTIAL, "partly known ('unclear, 10/2022')")
                .replace(OTHER, "'other' (not in the vocabulary)")
            )
        if self.issues:
            lines.append(f"  {len(self.issues):,} rows or cells cannot be imported:")
            lines += [f"    {i.where()}: {i.message}" for i in self.issues[:10]]
            if len(self.issues) > 10:
                lines.append(f"    … and {len(self.issues) - 10:,} more (--report FILE.xlsx lists them all)")
        return "\n".join(lines)


# --- recognising an export ----------------------------------------------------------------------------------------


class DamagedExport(Exception):
    """The hidden sheet says the workbook is an Aid Ledger export, but what it holds cannot be read."""


def export_meta(sheets: list[Sheet]) -> dict[str, Any] | None:
    """The hidden sheet's facts when the workbook is an Aid Ledger export, else None.

    Raises:
        DamagedExport: the sheet names the export format but its facts are not what the app writes.
    """
    for sheet in sheets:
        if sheet.name == META_SHEET:
            meta: dict[str, Any] = {str(r[0]): str(r[1]) for r in sheet.rows if len(r) >= 2 and r[0] is not None}
            if meta.get("format") != EXPORT_FORMAT:
                continue
            for key, kind in (("kinds", list), ("filtered", dict)):
                try:
                    meta[key] = json.loads(meta.get(key, "null"))
                except ValueError:
                    raise DamagedExport(f"its '{key}' is not JSON") from None
                if not isinstance(meta[key], kind):
                    raise DamagedExport(f"its '{key}' is not a {'list' if kind is list else 'mapping'}")
            if not all(isinstance(k, str) for k in meta["kinds"]):
                raise DamagedExport("its 'kinds' are not names")
            return meta
    return None


def own_export_kind(sheet: Sheet, kind: Kind) -> bool:
    """Whether a sheet without the hidden sheet beside it (a CSV) is this app's export of ``kind``: its ID first,
    its last update last, and every other header a label of the kind."""
    if not sheet.rows:
        return False
    header = [str(h or "").strip() for h in sheet.rows[0]]
    while header and not header[-1]:
        header.pop()
    labels = {f.label for f in kind.all_fields}
    return (
        len(header) > 2
        and header[0] == ID_LABEL
        and header[-1] == UPDATED_LABEL
        and all(h in labels for h in header[1:-1])
    )


def export_sheets(sheets: list[Sheet]) -> dict[str, list[Sheet]]:
    """The sheets of an export by kind: "Aid", then its continuations "Aid (2)", …"""
    by_label = {KINDS_BY_NAME[k].label: k for k in KINDS_BY_NAME}
    found: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        base = sheet.name.rsplit(" (", 1)[0] if sheet.name.endswith(")") else sheet.name
        if base in by_label and sheet.rows:
            found.setdefault(by_label[base], []).append(sheet)
    return found


# --- building the plan --------------------------------------------------------------------------------------------


class _Builder:
    def __init__(
        self,
        ledger: Ledger,
        plan: Plan,
        is_cancelled: Callable[[], bool] | None,
        progress: Callable[[int, int], None] | None,
        total: int,
    ) -> None:
        self.ledger = ledger
        self.plan = plan
        self.is_cancelled = is_cancelled
        self.progress = progress
        self.total = total
        self.done = 0
        self.pending: dict[str, dict[str, str]] = {}  # records the current row would create
        self.stored: dict[str, Any] = {}  # the current row's values as storage keeps them
        self._parsed: dict[tuple[Any, ...], dict[Any, tuple[Any, ...]]] = {}  # per field, type: value -> read
        self._ids: dict[tuple[str, str], list[int]] = {}
        self._columns: dict[int, tuple[Mapping, list[tuple[Any, Any]]]] = {}
        self._rest: list[tuple[Any, Any]] = []  # the mapped columns split_columns left to be read cell by cell
        self.adding: dict[str, set[str]] = {}  # kind -> folded names of the records the file adds

    def tick(self) -> None:
        self.done += 1
        if self.done % 500 == 0:
            if self.is_cancelled is not None and self.is_cancelled():
                raise Cancelled()
            if self.progress is not None:
                self.progress(self.done, self.total)

    def row_values(
        self,
        kind: Kind,
        sheet: Sheet,
        mapping: Mapping,
        r: int,
        row: list[Any],
        month_first_cols: set[int],
        preset: tuple[dict[str, Any], dict[str, Any]] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """The raw values of one row by field, and whether the row had any problem (already reported).

        ``preset`` gives the values of the columns ``split_columns`` has read whole (raw, stored); the others are
        read here, cell by cell.
        """
        values: dict[str, Any] = preset[0] if preset else {}
        self.pending = {}
        self.stored = preset[1] if preset else {}
        implied: dict[str, Any] = {}
        bad = False
        width = len(row)
        for column, f in self._rest if preset is not None else self.fields_of(kind, mapping):
            cell = row[column.index] if column.index < width else None
            if isinstance(cell, str) and cell.endswith("]") and is_shortened(cell):
                self.plan.notes["kept long text"] += 1
                continue  # a text cut to fit Excel never replaces the full one
            parsed = self.parse(kind, f, cell, column.index in month_first_cols)
            if parsed[0] is _BAD:
                self.issue(sheet, r, column.index, f"{f.label}: {parsed[1]}")
                bad = True
                continue
            raw, note, stored, more = parsed
            if note:
                self.plan.notes[note] += 1
            if f.type is FieldType.REF and raw is not None:
                raw = self.reference(kind, f.ref or "", raw, sheet, r, column.index)
                if raw is _BAD:
                    bad = True
                    continue
                if isinstance(raw, int):
                    self.stored[f.name] = raw
            elif f.type is FieldType.LINKS and raw:
                raw = self.links(kind, f, raw, sheet, r, column.index)
                if raw is _BAD:
                    bad = True
                    continue
            elif f.type not in (FieldType.REF, FieldType.LINKS):
                self.stored[f.name] = stored
                implied.update(more)
            values[f.name] = raw
        for name, value in implied.items():  # "EUR 234 million" says the currency when no column does
            if name.startswith("!"):
                self.issue(sheet, r, mapping.field_columns().get(name[1:]), str(value))
                bad = True
            elif self.stored.get(name) is None:
                self.stored[name] = value
        return values, bad

    def split_columns(
        self, kind: Kind, mapping: Mapping, rows: list[list[Any]], month_first_cols: set[int]
    ) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]]]:
        """Read whole the columns whose every distinct value reads cleanly (no problem, note, reference or link):
        each distinct value once, then the column as lists. The others are left to ``row_values``, cell by cell.

        Returns:
            (field names, their raw values by column, the names of those whose stored values differ from the raw
            ones, their stored values by column), rows in ``rows``' order.
        """
        names: list[str] = []
        raws: list[list[Any]] = []
        stored_names: list[str] = []
        storeds: list[list[Any]] = []
        plain: set[int] = set()
        width = min(map(len, rows), default=0)
        for column, f in self.fields_of(kind, mapping):
            if f.type is FieldType.LINKS:
                continue
            index, month_first = column.index, column.index in month_first_cols
            if index < width:  # every row reaches this column: read it at C speed
                cells = list(map(operator.itemgetter(index), rows))
            else:
                cells = [row[index] if index < len(row) else None for row in rows]
            raw_of: dict[Any, Any] = {}
            stored_of: dict[Any, Any] = {}
            clean, same = True, True
            for value in set(cells):
                if isinstance(value, str) and value.endswith("]") and is_shortened(value):
                    clean = False
                    break
                read = self.parse(kind, f, value, month_first)
                if read[0] is _BAD or read[1] or read[3]:  # a problem, a note to count, a value it implies
                    clean = False
                    break
                raw, stored = read[0], read[2]
                if f.type is FieldType.REF and raw is not None:
                    # A name that is one record here reads the same on every row; others (new, ambiguous) do not.
                    ids = self._ids.get((f.ref or "", raw))
                    if ids is None:
                        ids = self._ids[(f.ref or "", raw)] = rec.find_ids(self.ledger, f.ref or "", raw)
                    if len(ids) != 1:
                        clean = False
                        break
                    raw = stored = ids[0]
                raw_of[value] = raw
                stored_of[value] = stored
                same = same and type(raw) is type(stored) and raw == stored
            if clean:
                names.append(f.name)
                raws.append(list(map(raw_of.__getitem__, cells)))
                if not same:  # most columns store what they read: one list, not two
                    stored_names.append(f.name)
                    storeds.append(list(map(stored_of.__getitem__, cells)))
                plain.add(index)
        self._rest = [(c, f) for c, f in self.fields_of(kind, mapping) if c.index not in plain]
        return names, raws, stored_names, storeds

    def defaults(self, kind: Kind, given: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
        """The values given for every row, each checked once as the form checks it: {field: (raw, stored)}.

        Raises:
            UserError: a value does not fit its field.
        """
        read: dict[str, tuple[Any, Any]] = {}
        for name, value in given.items():
            f = kind.field(name)
            if value in (None, ""):
                continue
            if f.type is FieldType.REF:
                read[name] = (str(value).strip(), None)  # resolved on each row: it may name a record to make
                continue
            try:
                read[name] = (value, rec.clean_scalar(self.ledger, f, value))
            except ValueError as exc:
                raise UserError(f"{f.label} given for every row: {exc}") from exc
        return read

    def fields_of(self, kind: Kind, mapping: Mapping) -> list[tuple[Any, Any]]:
        """The mapped columns of a sheet with their fields, worked out once per mapping (not per cell)."""
        known = self._columns.get(id(mapping))
        if known is not None and known[0] is mapping:  # an id is only unique among objects alive together
            return known[1]
        found = [(c, kind.field(c.field)) for c in mapping.columns if c.field and c.field not in ("uid", "updated_at")]
        self._columns[id(mapping)] = (mapping, found)
        return found

    def parse(self, kind: Kind, f: Any, cell: Any, month_first: bool) -> tuple[Any, ...]:
        """A cell read for a field: (raw, note, stored value, implied values), or (_BAD, message).

        Parsed once, by the same code the forms use, and remembered: most columns repeat a few values (donors,
        categories, statuses, dates), so a big file costs little more than its distinct values.
        """
        if f.type in _TEXT and type(cell) is str:  # most cells of a big file: free text, each one different
            text = rec.clean_text(cell, multiline=f.type is FieldType.LONG_TEXT)
            return (cell if text is not None else None, None, text, _NOTHING)
        memo = self._parsed.setdefault((f.name, type(cell), month_first), {})
        known = memo.get(cell) if f.type not in _TEXT else None
        if known is not None:
            return known
        try:
            raw, note = to_raw(f, cell, dates_month_first=month_first)
            stored: Any = None
            more: dict[str, Any] = {}
            if f.type not in (FieldType.REF, FieldType.LINKS):
                stored = rec.clean_scalar(self.ledger, f, raw)
                if f.type is FieldType.AMOUNT and isinstance(raw, str):
                    more = rec._implied_by_amount(kind, f, raw)
            result: tuple[Any, ...] = (raw, note, stored, more)
        except ValueError as exc:
            result = (_BAD, str(exc))
        if f.type not in _TEXT and len(memo) < 100_000:
            memo[cell] = result
        return result

    def reference(self, kind: Kind, target: str, name: str, sheet: Sheet, r: int, c: int | None) -> Any:
        ids = self._ids.get((target, name))
        if ids is None:
            ids = self._ids[(target, name)] = rec.find_ids(self.ledger, target, name)
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            self.issue(
                sheet, r, c, f"'{name}' names {len(ids)} {KINDS_BY_NAME[target].label.lower()}; use a more exact name"
            )
            return _BAD
        if target not in CREATABLE:
            self.issue(sheet, r, c, f"no {KINDS_BY_NAME[target].singular.lower()} named '{name}'")
            return _BAD
        self.pending.setdefault(target, {}).setdefault(fold(name), name.strip())
        return name.strip()

    def accept(self) -> None:
        """The current row goes in: the records it names that are not here yet will be made."""
        for target, names in self.pending.items():
            for key, name in names.items():
                self.plan.new_targets.setdefault(target, {}).setdefault(key, name)
        self.pending = {}

    def links(self, kind: Kind, f: Any, text: str, sheet: Sheet, r: int, c: int) -> Any:
        items = rec._link_items(f, text)
        first_extra = f.link.extras[0].name if f.link.extras else None
        for n, item in enumerate(items):
            # "Name (role)" is ambiguous when a name has brackets of its own: a record named so wins.
            if first_extra and item.get(first_extra):
                whole = f"{item['target']} ({item[first_extra]})"
                if rec.find_ids(self.ledger, f.link.target, whole):
                    items[n] = {"target": whole}
        for item in items:
            if self.reference(kind, f.link.target, str(item["target"]), sheet, r, c) is _BAD:
                return _BAD
        return items

    def issue(self, sheet: Sheet, r: int, c: int | None, message: str) -> None:
        self.plan.issues.append(Issue(sheet.name, r + 1, "" if c is None else column_letter(c), message))

    def validate(
        self, kind: Kind, values: dict[str, Any], sheet: Sheet, r: int, mapping: Mapping, require: bool
    ) -> dict[str, Any] | None:
        """Check what the row gives as a whole (each value was checked as it was read): the required fields.
        Returns the row's stored values (those that differ from ``values``, see ``Add``), or None when the row has
        a problem (reported)."""
        stored = self.stored  # the row's own: the next row starts a new one
        if not require:
            return stored
        missing = [f for f in _required(kind) if values.get(f.name) in (None, "")]
        if missing:
            columns = mapping.field_columns()
            for f in missing:
                self.issue(sheet, r, columns.get(f.name), f"{f.label}: {f.label} is required")
        return None if missing else stored


_BAD = object()
_TEXT = (FieldType.TEXT, FieldType.LONG_TEXT)
_NOTHING: dict[str, Any] = {}  # implied values of a cell that implies none (never changed)


_REQUIRED: dict[str, list[Any]] = {}


def _required(kind: Kind) -> list[Any]:
    """The fields a row must give (required, with no default), worked out once per kind."""
    found = _REQUIRED.get(kind.name)
    if found is None:
        found = _REQUIRED[kind.name] = [f for f in kind.stored_fields if f.required and f.default is None]
    return found


@cycle_collector_paused()
def plan_export(
    ledger: Ledger,
    path: Path,
    sheets: list[Sheet] | dict[str, list[Sheet]],
    meta: dict[str, Any],
    *,
    is_cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    delete_missing: bool = False,
) -> Plan:
    """The plan for an Aid Ledger export coming back: every kind's sheet, matched by the records' IDs.

    ``sheets`` are the workbook's sheets, or the sheets by kind (a CSV export of one kind, which has no hidden
    sheet: ``meta`` is then empty, and the records missing from it are not listed).

    Raises:
        UserError: ``delete_missing`` where the file cannot say which records it left out (no ID column, IDs
            that cannot be read, no hidden sheet).
    """
    by_kind = export_sheets(sheets) if isinstance(sheets, list) else sheets
    kinds = [k for k in meta.get("kinds", []) if k in by_kind] or list(by_kind)
    plan = Plan(path, True, kinds, delete_missing=delete_missing, read_at=ledger.last_batch())
    total = sum(len(s.rows) - 1 for k in kinds for s in by_kind[k])
    builder = _Builder(ledger, plan, is_cancelled, progress, total)
    filtered = meta.get("filtered", {})
    unreadable: list[str] = []  # why the records missing from the workbook cannot be told
    blind: set[str] = set()  # kinds whose sheets cannot say which records they hold
    if "exported_at" not in meta:
        unreadable.append("the file does not say whether it held every record")
    for name in kinds:
        kind = KINDS_BY_NAME[name]
        labels = {f.label: f.name for f in kind.all_fields} | {ID_LABEL: "uid", UPDATED_LABEL: "updated_at"}
        seen: set[str] = set()
        for sheet in by_kind[name]:
            mapping = _export_mapping(builder, plan, sheet, labels)
            if "uid" not in mapping.field_columns():
                builder.issue(sheet, 0, None, "the ID column is missing: the rows cannot be matched to records")
                unreadable.append(f"sheet {sheet.name} has no ID column")
                blind.add(name)
                continue
            id_col, updated_col = mapping.field_columns()["uid"], mapping.field_columns().get("updated_at")
            dates = _month_first_columns(kind, mapping, sheet.rows[1:])
            for r in range(1, len(sheet.rows)):
                row = sheet.rows[r]
                builder.tick()
                if all(v in (None, "") for v in row):
                    continue
                plan.rows_read += 1
                cell = row[id_col] if id_col < len(row) else None
                uid = str(cell or "").strip().upper()
                if isinstance(cell, CellError):
                    builder.issue(sheet, r, id_col, f"the ID is an Excel error ({cell}), not an ID")
                    unreadable.append(f"{sheet.name} row {r + 1} has an ID that cannot be read")
                    continue
                if uid and not is_uid(uid):
                    builder.issue(
                        sheet, r, id_col, f"'{uid}' is not an Aid Ledger ID (leave it empty for a new record)"
                    )
                    unreadable.append(f"{sheet.name} row {r + 1} has an ID that cannot be read")
                    continue
                if uid and uid in seen:
                    builder.issue(sheet, r, id_col, f"the ID {uid} is on another row too")
                    continue
                seen.add(uid)  # a row refused below still names its record: it is not missing
                values, bad = builder.row_values(kind, sheet, mapping, r, row, dates)
                if bad:
                    continue
                rid = rec.id_for_uid(ledger, kind, uid) if uid else None
                if rid is None:
                    _plan_add(builder, plan, kind, values, sheet, r, mapping, uid)
                    continue
                stamp = row[updated_col] if updated_col is not None and updated_col < len(row) else None
                exported_at = "" if isinstance(stamp, CellError) else str(stamp or "")
                _diff(builder, kind, rid, uid, values, exported_at or meta.get("exported_at", ""), sheet, r, mapping)
        if not filtered.get(name, False) and "exported_at" in meta and name not in blind:
            # a filtered export says nothing of the records it left out
            for rid, uid, title in ledger.conn.execute(
                f"SELECT id, uid, {q(kind.title_field)} FROM {q(name)} WHERE created_at <= ?",
                (meta.get("exported_at", ""),),
            ):
                if uid not in seen:
                    plan.missing.append((name, rid, str(title or uid)))
    if delete_missing and unreadable:
        raise UserError(f"--delete-missing refused, nothing was deleted or imported: {unreadable[0]}")
    _drop_targets_the_file_adds(plan)
    return plan


def _export_mapping(builder: _Builder, plan: Plan, sheet: Sheet, labels: dict[str, str]) -> Mapping:
    """An export sheet's columns by their headers: the app's labels. A header written twice is read for neither
    column (one of them was retyped), and a header that names no field is listed as not read."""
    header = [str(h or "").strip() for h in sheet.rows[0]]
    count: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            count.setdefault(h, []).append(i)
    mapping = Mapping(0)
    for i, h in enumerate(header):
        twice = len(count.get(h, [])) > 1
        mapping.columns.append(_match(i, h, None if twice else labels.get(h)))
        if h and not twice and h not in labels:
            plan.unread_columns.append(f"{sheet.name}!{column_letter(i)} '{h}'")
    for h, where in count.items():
        if len(where) > 1:
            letters = " and ".join(column_letter(i) for i in where)
            message = f"columns {letters} are both headed '{h}': neither is read; give each its own header"
            builder.issue(sheet, 0, where[-1], message)
    plan.mappings[sheet.name] = mapping
    return mapping


def _plan_add(
    builder: _Builder, plan: Plan, kind: Kind, values: dict[str, Any], sheet: Sheet, r: int, mapping: Mapping, uid: str
) -> None:
    """A row of an export whose ID this database does not know: a new record, or one here under another ID."""
    stored = builder.validate(kind, values, sheet, r, mapping, require=True)
    if stored is None:
        return
    if kind.name in CREATABLE:
        title = str(values.get(CREATABLE[kind.name]) or "")
        key = fold(title)
        if key in builder.adding.setdefault(kind.name, set()):
            column = mapping.field_columns().get(CREATABLE[kind.name])
            builder.issue(sheet, r, column, f"'{title}' is on another row too")
            return
        builder.adding[kind.name].add(key)
        if kind.name == "actors" and rec.find_ids(builder.ledger, kind, title):
            plan.matched_by_name += 1  # another database's record of the same actor: rows naming it point here
            builder.accept()
            return
    _blank_means_default(kind, values, stored)
    plan.adds.append(Add(kind.name, values, sheet.name, r + 1, uid or None, stored))
    builder.accept()


def _blank_means_default(kind: Kind, values: dict[str, Any], stored: dict[str, Any]) -> None:
    """A new row's blank cells take their fields' defaults (Uncertain left blank is not uncertain)."""
    for name in [n for n, v in values.items() if v in (None, "")]:
        f = kind.field(name)
        if f.default is not None or f.type is FieldType.BOOL:
            values.pop(name)
            stored.pop(name, None)


def _drop_targets_the_file_adds(plan: Plan) -> None:
    """A record the file adds on its own sheet (a new actor) is not made a second time for the rows that name it."""
    for add in plan.adds:
        if add.kind in CREATABLE:
            plan.new_targets.get(add.kind, {}).pop(fold(str(add.values.get(CREATABLE[add.kind]) or "")), None)


def _match(index: int, header: str, name: str | None) -> ColumnMatch:
    return ColumnMatch(index, header, name, "name" if name else "")


def _month_first_columns(kind: Kind, mapping: Mapping, rows: list[list[Any]]) -> set[int]:
    result = set()
    for column in mapping.columns:
        if (
            column.field
            and column.field not in ("uid", "updated_at")
            and kind.field(column.field).type is FieldType.DATE
        ):
            if month_first([r[column.index] for r in rows[:2000] if column.index < len(r)]):
                result.add(column.index)
    return result


def _merged_links(
    current: list[dict[str, Any]], items: list[dict[str, Any]], target_ids: list[int | None], f: Any
) -> list[dict[str, Any]]:
    """The links a cell gives, keeping the extras it does not show (a quote, a period) from the links here: by
    position when the cell lists the same records in the same order, else from the first unused link to each."""
    same_targets = [link["target_id"] for link in current] == target_ids
    unused = list(current)
    merged = []
    for n, (item, tid) in enumerate(zip(items, target_ids, strict=True)):
        if same_targets:
            old: dict[str, Any] = current[n]
        else:
            old = next((link for link in unused if link["target_id"] == tid), {})
            if old:
                unused.remove(old)
        link: dict[str, Any] = {"target_id": tid}
        for extra in f.link.extras:
            given = item.get(extra.name)
            link[extra.name] = given if given not in (None, "") else old.get(extra.name)
        merged.append(link)
    return merged


def _diff(
    builder: _Builder,
    kind: Kind,
    rid: int,
    uid: str,
    values: dict[str, Any],
    exported_at: str,
    sheet: Sheet,
    r: int,
    mapping: Mapping,
) -> None:
    """Compare a row with the record here, three ways: the record as exported (from the history since
    ``exported_at``), as it is here, and as the workbook has it.

    A field changed only in the workbook is an update; changed only here, it keeps its value here, and nothing is
    written; changed in both, or where the history cannot tell (no ``exported_at``), it is a conflict. A blank
    required cell, or a name another record has, is a problem of the row, and the field keeps its value.
    """
    ledger, plan = builder.ledger, builder.plan
    current = rec.get(ledger, kind, rid)
    cleaned: dict[str, Any] = {}
    plain = {
        n: v
        for n, v in values.items()
        if not (kind.field(n).type is FieldType.REF and isinstance(v, str))
        and kind.field(n).type is not FieldType.LINKS
    }
    columns, _ = rec.clean_record(ledger, kind, plain)
    cleaned.update(columns)
    for name, value in values.items():
        f = kind.field(name)
        if f.type is FieldType.REF and isinstance(value, str):
            cleaned[name] = value  # a new record, made at apply; it differs from anything here
        elif f.type is FieldType.LINKS and f.link is not None:
            ids = [_target_id(ledger, f.link.target, item["target"]) for item in value or []]
            cleaned[name] = _merged_links(current[name], value or [], ids, f)
    changes = {n: (current.get(n), v) for n, v in cleaned.items() if _differs(kind, n, current.get(n), v)}
    if kind.field("uncertain") and "uncertain" in changes and changes["uncertain"][1] is None:
        changes.pop("uncertain")
    where = mapping.field_columns()
    for name in list(changes):
        f = kind.field(name)
        new = changes[name][1]
        if f.required and new in (None, ""):
            message = f"{f.label} is required: the cell is empty, and the record keeps its value"
            builder.issue(sheet, r, where.get(name), message)
            changes.pop(name)
        elif (
            name == kind.title_field
            and kind.name == "actors"
            and any(i != rid for i in rec.find_ids(ledger, kind, new))
        ):
            builder.issue(sheet, r, where.get(name), f"another actor is named '{new}': the record keeps its name")
            changes.pop(name)
    if not changes:
        plan.unchanged += 1
        return
    title = str(current.get(kind.title_field) or uid)
    as_exported = _as_exported(ledger, kind, rid, exported_at) if exported_at else None
    for name in list(changes):
        if as_exported is None or name in as_exported:
            ours, theirs = changes.pop(name)
            if as_exported is not None and not _differs(kind, name, as_exported[name], theirs):
                continue  # changed only here: the workbook still has the old value, ours stays
            plan.conflicts.append(Conflict(kind.name, rid, title, name, ours, theirs, sheet.name, r + 1))
    if changes:
        plan.updates.append(Update(kind.name, rid, uid, title, changes, sheet.name, r + 1))
    elif not any(c.rid == rid and c.kind == kind.name for c in plan.conflicts):
        plan.unchanged += 1


def _as_exported(ledger: Ledger, kind: Kind, rid: int, since: str) -> dict[str, Any]:
    """The fields of a record changed here since ``since``, each with its value at that time."""
    if since.endswith("Z") and "." not in since:  # an export to the second: the changes in that second count too
        since = since[:-1] + ".000Z"
    found: dict[str, Any] = {}
    for name, old in ledger.conn.execute(
        "SELECT field, old FROM history WHERE kind = ? AND record_id = ? AND at > ? AND field IS NOT NULL ORDER BY id",
        (kind.name, rid, since),
    ):
        if name not in found:
            found[name] = None if old is None else json.loads(old)
    return found


def _target_id(ledger: Ledger, target: str, value: Any) -> int | None:
    ids = rec.find_ids(ledger, target, value)
    return ids[0] if len(ids) == 1 else None


def _differs(kind: Kind, name: str, old: Any, new: Any) -> bool:
    if old in (None, "") and new in (None, ""):
        return False
    if isinstance(old, int | float) and isinstance(new, int | float):
        return abs(float(old) - float(new)) > 1e-9
    return bool(old != new)


@cycle_collector_paused()
def plan_foreign(
    ledger: Ledger,
    path: Path,
    sheet: Sheet,
    kind: Kind,
    mapping: Mapping | None = None,
    *,
    defaults: dict[str, Any] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """The plan for any other spreadsheet: one sheet, read into one kind through a column mapping.

    ``defaults`` gives a value for every row whose cell is empty or whose column the file lacks ("recipient":
    "Ukraine" for a tracker of aid to Ukraine).
    """
    mapping = mapping or guess(kind, sheet.rows, merged=sheet.merged)
    plan = Plan(path, False, [kind.name], read_at=ledger.last_batch())
    plan.mappings[sheet.name] = mapping
    if not mapping.field_columns():
        plan.issues.append(
            Issue(
                sheet.name,
                mapping.header_row + 1,
                "",
                f"no column matches a field of {kind.label}: give the columns with --map",
            )
        )
        return plan
    builder = _Builder(ledger, plan, is_cancelled, progress, len(sheet.rows))
    dates = _month_first_columns(kind, mapping, sheet.rows[mapping.header_row + 1 :])
    existing = _DuplicateIndex(ledger, kind)
    kept = [
        r for r in range(mapping.header_row + 1, len(sheet.rows)) if any(v not in (None, "") for v in sheet.rows[r])
    ]
    given = builder.defaults(kind, defaults or {})
    names, raws, stored_names, storeds = builder.split_columns(kind, mapping, [sheet.rows[r] for r in kept], dates)
    raw_rows = zip(*raws, strict=True) if names else itertools.repeat(())
    stored_rows = zip(*storeds, strict=True) if stored_names else itertools.repeat(())
    for r, raw_row, stored_row in zip(kept, raw_rows, stored_rows, strict=False):
        row = sheet.rows[r]
        builder.tick()
        plan.rows_read += 1
        preset = (dict(zip(names, raw_row, strict=True)), dict(zip(stored_names, stored_row, strict=True)))
        values, bad = builder.row_values(kind, sheet, mapping, r, row, dates, preset)
        for name, (raw, value) in given.items():
            if values.get(name) in (None, ""):
                if kind.field(name).type is FieldType.REF:
                    raw = builder.reference(kind, kind.field(name).ref or "", raw, sheet, r, None)
                    bad = bad or raw is _BAD
                else:
                    builder.stored[name] = value
                values[name] = raw
        stored = None if bad else builder.validate(kind, values, sheet, r, mapping, require=True)
        if stored is None:
            continue
        builder.accept()
        add = Add(kind.name, values, sheet.name, r + 1, None, stored)
        match = existing.find(values)
        if match is not None:
            plan.duplicates.append(Duplicate(add, match[0], match[1], match[2]))
        else:
            plan.adds.append(add)
    return plan


class _DuplicateIndex:
    """The Aid records already here, bucketed by donor, recipient and date, to spot the same item coming in again:
    exactly (same item) or nearly (a close spelling, compared only within its bucket)."""

    def __init__(self, ledger: Ledger, kind: Kind) -> None:
        self.kind = kind
        self.exact: dict[tuple[Any, Any, str, str], tuple[int, str]] = {}
        self.buckets: dict[tuple[Any, Any, str], list[tuple[int, str, str]]] = {}
        if kind.name != "aid":
            return
        for rid, donor, recipient, item, date in ledger.conn.execute(
            "SELECT id, donor_id, recipient_id, item, announced_on FROM aid"
        ):
            folded = fold(item or "")
            self.exact.setdefault((donor, recipient, folded, date or ""), (rid, item or ""))
            self.buckets.setdefault((donor, recipient, date or ""), []).append((rid, folded, item or ""))

    def find(self, values: dict[str, Any]) -> tuple[int, str, str] | None:
        if self.kind.name != "aid" or not self.exact:  # nothing here to be a duplicate of
            return None
        donor, recipient = values.get("donor"), values.get("recipient")
        item, date = fold(str(values.get("item") or "")), str(values.get("announced_on") or "")
        hit = self.exact.get((donor, recipient, item, date))
        if hit is not None:
            return hit[0], hit[1], "same donor, recipient, item and date"
        for rid, other, title in self.buckets.get((donor, recipient, date), [])[:200]:
            if item and difflib.SequenceMatcher(None, item, other).ratio() >= FUZZY_DUPLICATE:
                return rid, title, "same donor, recipient and date, and a nearly identical item"
        return None
