"""Turning a sheet's cells into a record's values. Used by both planners.

Each cell is parsed by the code the forms use, references to other records are resolved by name, and every problem
is noted with its sheet, row and column.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from storage import KINDS_BY_NAME, Field, FieldType, Kind, Ledger, UserError, extra
from storage import records as rec
from storage.extra import EXTRA
from storage.kinds import UNKNOWN_ACTOR
from storage.values import VagueDate, fold
from storage.workbook import is_shortened

from .cells import EMPTY, month_first, read_date, to_raw, unknown_note
from .mapping import Mapping
from .model import Cancelled, Issue, Plan, column_letter
from .reading import Sheet


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a big file is read.

    Reading makes millions of objects and no reference cycles: the collector would scan them again and again for
    nothing (a tenth of a 100,000-row import). Plain reference counting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# A row's extra values as ``extras_by_row`` reads them: the stored text of each column's value (``extra.key_text``;
# None for a blank), but for the columns that a field may hold the text of; their positions among the others, the
# row's values in those, and their texts.
# What a cell read whole says besides its value: the note to count for it, the cell, the values it implies, the
# record it names that is still to be made ((kind, (folded name, name)), or None), and, for a cell that cannot be
# read, (its column, its field, why), or None.
Said = tuple[str | None, Any, dict[str, Any], tuple[str, tuple[str, str]] | None, tuple[int, Field, str] | None]
RowExtras = tuple[Sequence[str | None], Sequence[int], Sequence[Any], Sequence[str | None]]


class RowReader:
    """Reads the rows of one file for a plan, remembering what it parsed and the records the rows would make."""

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
        self._new_names: dict[tuple[str, str], tuple[str, str]] = {}  # (target, cell) -> (folded, as written)
        # (field, cell) -> the links it gives and the records to make they name: a tracker cites a URL on many rows
        self._links: dict[tuple[str, str], tuple[list[dict[str, Any]], list[tuple[str, tuple[str, str]]]]] = {}
        self._columns: dict[int, tuple[Mapping, list[tuple[Any, Any]]]] = {}
        self._rest: list[tuple[Any, Any]] = []  # the mapped columns split_columns left to be read cell by cell
        self.adding: dict[str, set[str]] = {}  # kind -> folded names of the records the file adds
        self._kept: dict[int, tuple[Mapping, list[tuple[int, str, bool]]]] = {}
        self._extra_text: str | None = None  # the current row's extra values, as stored

    @property
    def extra_given(self) -> dict[str, Any]:
        """The current row's extra values, by header (read back from their stored text, which round-trips)."""
        return extra.from_text(self._extra_text)

    def tick(self) -> None:
        """Count one row read: every 500 rows, report progress and stop if asked to.

        Raises:
            Cancelled: ``is_cancelled`` says so.
        """
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
        extras: RowExtras | None = None,
        said: Sequence[Said | None] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """The raw values of one row by field, and whether the row had any problem (already reported).

        ``preset`` gives the values of the columns ``split_columns`` has read whole (raw, stored), and ``said``
        what their cells say besides; the others are read here, cell by cell. ``extras`` gives the row's extra
        values as ``extras_by_row`` read them.
        """
        values: dict[str, Any] = preset[0] if preset else {}
        self.pending = {}
        self.stored = preset[1] if preset else {}
        implied: dict[str, Any] = {}
        unread: list[str] = []  # cells of a new row that could not be read, kept in its note
        bad = False
        width = len(row)
        for entry in said or ():
            if entry is None:  # this column's cell says nothing more
                continue
            note, cell, more, making, unreadable = entry
            if note:
                self.plan.note(note, cell)
            implied.update(more)
            if making is not None:
                self.pending.setdefault(making[0], {}).setdefault(*making[1])
            if unreadable is not None:
                index, f, why = unreadable
                values.pop(f.name, None)  # as cell by cell: not given, rather than given blank
                self.stored.pop(f.name, None)
                self._unread(sheet, r, index, f, cell, why, unread)
        for column, f in self._rest if preset is not None else self.fields_of(kind, mapping):
            cell = row[column.index] if column.index < width else None
            if isinstance(cell, str) and cell.endswith("]") and is_shortened(cell):
                self.plan.notes["kept long text"] += 1
                continue  # a text cut to fit Excel never replaces the full one
            parsed = self.parse(kind, f, cell, column.index in month_first_cols)
            if parsed[0] is BAD:
                if self.plan.from_export or f.required:  # an edited export never blanks a value; nor is one guessed
                    self.issue(sheet, r, column.index, f"{f.label}: {parsed[1]}")
                    bad = True
                else:
                    self._unread(sheet, r, column.index, f, cell, parsed[1], unread)
                continue
            raw, note, stored, more = parsed
            if note:
                self.plan.note(note, cell)
            if f.type is FieldType.REF and raw is not None:
                raw = self.reference(kind, f.ref or "", raw, sheet, r, column.index)
                if raw is BAD:
                    bad = True
                    continue
                if isinstance(raw, int):
                    self.stored[f.name] = raw
            elif f.type is FieldType.LINKS and raw:
                raw = self.links(kind, f, raw, sheet, r, column.index)
                if raw is BAD:
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
        pairs, positions, held, held_pairs = self.extras_by_row(mapping, [row])[0] if extras is None else extras
        unsaid = _unsaid(held, values, kind.link_fields)
        if unsaid:  # kept where the field holds something else ("." built into "Humanitarian assistance")
            pairs = list(pairs)
            for n in unsaid:
                pairs[positions[n]] = held_pairs[n]
        self._extra_text = text = extra.joined(pairs)
        if text is not None:
            values[EXTRA] = self.stored[EXTRA] = text
        if unread:
            note = "; ".join(filter(None, [str(values.get("uncertain_note") or ""), *unread]))
            values["uncertain_note"] = self.stored["uncertain_note"] = note
            values["uncertain"] = self.stored["uncertain"] = 1
        return values, bad

    def _unread(self, sheet: Sheet, r: int, c: int, f: Field, cell: Any, why: str, unread: list[str]) -> None:
        """Another team's row still comes in with a cell that cannot be read: the field empty, the cell in its note."""
        self.plan.note(UNREAD, cell)
        unread.append(f"{f.label} {sheet.name}!{column_letter(c)}{r + 1}: {why}")
        self.issue(sheet, r, c, f"{f.label}: {why} (the row comes in, the cell kept in its note)")

    def split_columns(
        self, kind: Kind, mapping: Mapping, rows: list[list[Any]], month_first_cols: set[int]
    ) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]], list[tuple[Said | None, ...]]]:
        """Read whole the columns whose every distinct value reads without a problem that would refuse its row.

        Each distinct value is read once, then the column as lists. The others (and links) are left to
        ``row_values``, cell by cell.

        Returns:
            (field names, their raw values by column, the names of those whose stored values differ from the raw
            ones, their stored values by column, what each row's cells of them say besides: a note to count, values
            they imply, a record to make, a cell that cannot be read; None for most), rows in ``rows``' order.
        """
        names: list[str] = []
        raws: list[list[Any]] = []
        stored_names: list[str] = []
        storeds: list[list[Any]] = []
        said_by_column: list[list[Said | None]] = []
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
            saying: dict[Any, Said] = {}
            clean, same = True, True
            for value in set(cells):
                if isinstance(value, str) and value.endswith("]") and is_shortened(value):
                    clean = False
                    break
                read = self.parse(kind, f, value, month_first)
                if read[0] is BAD:
                    if self.plan.from_export or f.required or f.type is FieldType.REF:  # the row is refused
                        clean = False
                        break
                    saying[value] = (None, value, _NOTHING, None, (index, f, read[1]))
                    raw_of[value] = stored_of[value] = None
                    continue
                if f.type is FieldType.REF and (read[1] or read[3]):
                    clean = False
                    break
                if read[1] or read[3]:  # a note to count ("undisclosed"), values it implies (a vague date's words)
                    if any(name.startswith("!") for name in read[3]):  # a problem it implies: said cell by cell
                        clean = False
                        break
                    saying[value] = (read[1], value, read[3], None, None)
                raw, stored = read[0], read[2]
                if f.type is FieldType.REF and raw is not None:
                    # A name reads as ``reference`` reads it: one record here, or one to make; an ambiguous name, or
                    # one of a kind not made by name, is a problem said cell by cell.
                    target = f.ref or ""
                    ids = self._ids.get((target, raw))
                    if ids is None:
                        ids = self._ids[(target, raw)] = rec.find_ids(self.ledger, target, raw)
                    if len(ids) == 1:
                        raw = stored = ids[0]
                    elif not ids and KINDS_BY_NAME[target].creatable:
                        key = self._new_name(target, raw)
                        saying[value] = (None, value, _NOTHING, (target, key), None)
                        raw = stored = key[1]
                    else:
                        clean = False
                        break
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
                if saying:
                    said_by_column.append(list(map(saying.get, cells)))
        self._rest = [(c, f) for c, f in self.fields_of(kind, mapping) if c.index not in plain]
        said: list[tuple[Said | None, ...]] = list(zip(*said_by_column, strict=True)) if said_by_column else []
        return names, raws, stored_names, storeds, said or [()] * len(rows)

    def kept_columns(self, mapping: Mapping) -> list[tuple[int, str, bool]]:
        """The columns no field takes, kept as extra values: (index, header, a field holds its text), once per mapping.

        A column the user left out is not kept; a header written twice is told apart by its count (the next free
        one, where the file has a header so named too).
        """
        known = self._kept.get(id(mapping))
        if known is not None and known[0] is mapping:
            return known[1]
        kept: list[tuple[int, str, bool]] = []
        seen: dict[str, int] = {}
        written = {c.name for c in mapping.columns if c.kept}
        for c in mapping.columns:
            if c.kept:
                # the second "Sub-type of item" is "Sub-type of item (2)": the same in a release with a column less
                seen[c.name] = seen.get(c.name, 0) + 1
                name = c.name
                while seen[c.name] > 1 and (name == c.name or name in written):
                    name = f"{c.name} ({seen[c.name]})"
                    seen[c.name] += name in written
                written.add(name)
                kept.append((c.index, name, c.how == "taken"))
        self._kept[id(mapping)] = (mapping, kept)
        return kept

    def extras_by_row(self, mapping: Mapping, rows: list[list[Any]]) -> list[RowExtras]:
        """Each row's extra values: every kept column's cell but blanks and null markers, by header.

        They are read a column at a time: a tracker repeats a few values in most of these columns, so each distinct
        cell is read, and written as its stored text (``extra.value_text``), once. The cells of a column that a field
        may hold as written (Kiel's item column, a source's address) are left out of the texts and given beside
        them: ``row_values`` puts one back only where the field holds something else, as it would be there twice.
        """
        positions: list[int] = []
        held: list[list[Any]] = []
        held_texts: list[list[str | None]] = []
        texts: list[list[str | None]] = []
        width = min(map(len, rows), default=0)
        for index, name, taken in self.kept_columns(mapping):
            if index < width:
                cells = list(map(operator.itemgetter(index), rows))
            else:
                cells = [row[index] if index < len(row) else None for row in rows]
            read = {cell: _extra_of(cell) for cell in set(cells)}
            if any(value is not None for value in read.values()):  # a column blank all down is not one to carry
                key = extra.key_text(name)
                text_of = {c: None if v is None else key + extra.value_text(v) for c, v in read.items()}
                if taken:  # most rows' field holds it: written where it does not
                    positions.append(len(texts))
                    held.append(list(map(read.__getitem__, cells)))
                    held_texts.append(list(map(text_of.__getitem__, cells)))
                    texts.append([None] * len(cells))
                else:
                    texts.append(list(map(text_of.__getitem__, cells)))
        if not texts:
            return [((), (), (), ())] * len(rows)
        held_rows = zip(*held, strict=True) if held else itertools.repeat(())
        held_text_rows = zip(*held_texts, strict=True) if held else itertools.repeat(())
        return list(zip(zip(*texts, strict=True), itertools.repeat(positions), held_rows, held_text_rows))

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
        """A cell read for a field: (raw, note, stored value, implied values), or (BAD, message).

        Parsed once, by the same code the forms use, and remembered: most columns repeat a few values (donors,
        categories, statuses, dates), so a big file costs little more than its distinct values.
        """
        if f.type in _TEXT and type(cell) is str:  # most cells of a big file: free text, each one different
            unknown = unknown_note(cell, f.type)  # "." for an item: unknown, never stored as text
            if unknown is not None:
                return (None, unknown, None, _NOTHING)
            text = rec.clean_text(cell, multiline=f.type is FieldType.LONG_TEXT)
            return (cell if text is not None else None, None, text, _NOTHING)
        memo = self._parsed.setdefault((f.name, type(cell), month_first), {})
        known = memo.get(cell) if f.type not in _TEXT else None
        if known is not None:
            return known
        try:
            if f.type is FieldType.REF and isinstance(cell, str) and cell.strip() == UNKNOWN_ACTOR:
                raw, note = UNKNOWN_ACTOR, None  # the built-in actor a layout names, not the null marker
            else:
                raw, note = to_raw(f, cell, dates_month_first=month_first, undisclosed_note=True)
            stored: Any = None
            more: dict[str, Any] = {}
            if f.type not in (FieldType.REF, FieldType.LINKS):
                stored = rec.clean_scalar(self.ledger, f, raw)
                if f.type is FieldType.AMOUNT and isinstance(raw, str):
                    more = rec.implied_by_amount(kind, f, raw)
                elif f.type is FieldType.DATE and isinstance(cell, str) and raw is not None:
                    more = _vague(kind, f, read_date(cell, month_first=month_first))
            result: tuple[Any, ...] = (raw, note, stored, more)
        except ValueError as exc:
            result = (BAD, str(exc))
        if f.type not in _TEXT and len(memo) < 100_000:
            memo[cell] = result
        return result

    def reference(self, kind: Kind, target: str, name: str, sheet: Sheet, r: int, c: int | None) -> Any:
        """The record of ``target`` that a cell names: its row id, or the name of one to be made.

        A name that names several records, or none of a kind that cannot be made by name, is noted as a problem, and
        ``BAD`` returned.
        """
        ids = self._ids.get((target, name))
        if ids is None:
            ids = self._ids[(target, name)] = rec.find_ids(self.ledger, target, name)
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            self.issue(
                sheet, r, c, f"'{name}' names {len(ids)} {KINDS_BY_NAME[target].label.lower()}; use a more exact name"
            )
            return BAD
        if not KINDS_BY_NAME[target].creatable:
            self.issue(sheet, r, c, f"no {KINDS_BY_NAME[target].singular.lower()} named '{name}'")
            return BAD
        key = self._new_name(target, name)
        self.pending.setdefault(target, {}).setdefault(*key)
        return key[1]

    def _new_name(self, target: str, name: str) -> tuple[str, str]:
        """A record to make, named in a cell: (its folded name, its name), worked out once per name."""
        key = self._new_names.get((target, name))
        if key is None:  # a name a tracker repeats on thousands of rows: folded once
            key = self._new_names[(target, name)] = (fold(name), name.strip())
        return key

    def only_id(self, target: str, name: Any) -> int | None:
        """The row id of the one record of ``target`` that ``name`` names, or None (none, or several).

        The database is asked once per name, like the references the rows make.
        """
        key = (target, name)
        ids = self._ids.get(key) if isinstance(name, str) else None
        if ids is None:
            ids = rec.find_ids(self.ledger, target, name)
            if isinstance(name, str):
                self._ids[key] = ids
        return ids[0] if len(ids) == 1 else None

    def accept(self) -> None:
        """The current row goes in: the records it names that are not here yet will be made."""
        for target, names in self.pending.items():
            for key, name in names.items():
                self.plan.new_targets.setdefault(target, {}).setdefault(key, name)
        self.pending = {}

    def links(self, kind: Kind, f: Any, text: str, sheet: Sheet, r: int, c: int) -> Any:
        """The links a cell's text gives, each target checked as ``reference`` does; ``BAD`` when one is wrong.

        A cell whose links are all right is read once: another row with the same text gets copies of its links, and
        names the same records to make.
        """
        known = self._links.get((f.name, text))
        if known is not None:
            for target, key in known[1]:
                self.pending.setdefault(target, {}).setdefault(*key)
            return [dict(item) for item in known[0]]
        items = rec.link_items(f, text)
        first_extra = f.link.extras[0].name if f.link.extras else None
        for n, item in enumerate(items):
            # "Name (role)" is ambiguous when a name has brackets of its own: a record named so wins.
            if first_extra and item.get(first_extra):
                whole = f"{item['target']} ({item[first_extra]})"
                if rec.find_ids(self.ledger, f.link.target, whole):
                    items[n] = {"target": whole}
        making = []
        for item in items:
            name = str(item["target"])
            got = self.reference(kind, f.link.target, name, sheet, r, c)
            if got is BAD:
                return BAD
            if isinstance(got, str):  # a record still to be made
                making.append((f.link.target, self._new_name(f.link.target, name)))
        if len(self._links) < 100_000:
            self._links[(f.name, text)] = ([dict(item) for item in items], making)
        return items

    def issue(self, sheet: Sheet, r: int, c: int | None, message: str) -> None:
        """Note a problem with the cell at row ``r`` and column ``c`` (counted from 0), or with the whole row."""
        self.plan.issues.append(Issue(sheet.name, r + 1, "" if c is None else column_letter(c), message))

    def validate(
        self, kind: Kind, values: dict[str, Any], sheet: Sheet, r: int, mapping: Mapping, require: bool
    ) -> dict[str, Any] | None:
        """Check what the row gives as a whole (each value was checked as it was read): the required fields.

        Returns:
            The row's stored values (those that differ from ``values``, see ``Add``), or None when the row has a
            problem (reported).
        """
        stored = self.stored  # the row's own: the next row starts a new one
        if not require:
            return stored
        missing = kind.missing_required(values, defaults_fill=True)
        if missing:
            columns = mapping.field_columns()
            for f in missing:
                self.issue(sheet, r, columns.get(f.name), f"{f.label} is required")
        return None if missing else stored


BAD = object()  # a cell that cannot be read (its problem is noted)
UNREAD = "kept in a note"  # the plan's count of cells of new rows that could not be read, kept in the record's note
_TEXT = (FieldType.TEXT, FieldType.LONG_TEXT)
_NOTHING: dict[str, Any] = {}  # implied values of a cell that implies none (never changed)


def month_first_columns(kind: Kind, mapping: Mapping, rows: list[list[Any]]) -> set[int]:
    """The date columns whose values write the month first, judged on the first 2,000 rows."""
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


def _extra_of(cell: Any) -> Any:
    """The extra value a cell gives: None for a blank or a null marker."""
    if cell is None or cell == "" or (type(cell) is str and unknown_note(cell) == EMPTY):
        return None
    return extra.cell_value(cell)


def _unsaid(held: Sequence[Any], values: dict[str, Any], links: Sequence[Field]) -> list[int]:
    """Which of a row's values in the columns a field may hold the text of are not among its fields' texts."""
    texts = [(n, v) for n, v in enumerate(held) if v is not None]
    if not texts:
        return []
    said: set[str] = set()  # stripped, as the extra values are
    for f in links:  # first the links' targets alone: a tracker's source addresses
        v = values.get(f.name)
        if isinstance(v, list):
            said.update(str(item.get("target")).strip() for item in v if isinstance(item, dict))
    if any(v not in said for _, v in texts):
        said.update(v.strip() for v in values.values() if isinstance(v, str))
    return [n for n, v in texts if not isinstance(v, str) or v not in said]


def blank_means_default(kind: Kind, values: dict[str, Any], stored: dict[str, Any]) -> None:
    """A new row's blank cells take their fields' defaults (Uncertain left blank is not uncertain)."""
    for name in [f.name for f in kind.defaulted_fields if f.name in values and values[f.name] in (None, "")]:
        values.pop(name)
        stored.pop(name, None)


def _vague(kind: Kind, f: Field, date: VagueDate | None) -> dict[str, Any]:
    """What a vague date implies beside its ISO date (``records.implied_by_date``); nothing, for most dates."""
    if date is None or not (date.qualifier or date.inferred):
        return _NOTHING
    return rec.implied_by_date(kind, f, date)
