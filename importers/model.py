"""The plan of an import: what it would add, update, skip or refuse, for the preview and for ``apply``.

Data only (and how it reads to the user): the planning stages fill it, ``apply`` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import KINDS_BY_NAME, Kind, errors
from storage.values import counted

from .cells import EMPTY, NOTES, OTHER, PARTIAL, UNDISCLOSED
from .mapping import Mapping

Cancelled = errors.Cancelled  # the user cancelled; nothing was written (one type for every long job)


def column_letter(index: int) -> str:
    """A column's letter as spreadsheets name it, counted from 0: 0 is "A", 26 is "AA"."""
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
        """Where it is, as a user finds it: "Aid!C12", or "Aid row 12" for the whole row."""
        return f"{self.sheet}!{self.column}{self.row}" if self.column else f"{self.sheet} row {self.row}"


@dataclass(slots=True)
class Add:
    """A new record: its values as read, and those whose stored form differs.

    ``stored`` is overlaid on ``values``: dates, amounts, references to records here as ids. A name of a record
    still to be made stays a name.
    """

    kind: str
    values: dict[str, Any]
    sheet: str
    row: int
    uid: str | None = None
    stored: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """The new record as the preview names it: its title, or its sheet and row."""
        title = KINDS_BY_NAME[self.kind].title_field
        return str(self.values.get(title) or f"{self.sheet} row {self.row}")


@dataclass
class Update:
    """An existing record that the workbook changes: each field's value here and in the workbook."""

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
    notes: dict[str, int] = field(
        default_factory=lambda: {**dict.fromkeys(NOTES, 0), "kept long text": 0, "kept in a note": 0}
    )
    new_targets: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> folded name -> name
    mappings: dict[str, Mapping] = field(default_factory=dict)  # sheet -> how its columns were read
    delete_missing: bool = False
    matched_by_name: int = 0  # new rows of records here under another ID (a colleague's own "Lithuania")
    read_at: int = 0  # ``Ledger.last_batch()`` when the plan began reading the database
    layout: str = ""  # the tracker's layout recognised ("Kiel Institute, Ukraine Support Tracker: …")
    made: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # kind -> folded name -> its values
    matched_by_key: int = 0  # rows of a tracker's release that are records here already (the same key)
    noted_cells: dict[str, list[str]] = field(default_factory=dict)  # note -> a few distinct cells it was given for

    def note(self, note: str, cell: Any) -> None:
        """Count a cell read with a note ("partial"), keeping the first few distinct cells to quote in the summary."""
        self.notes[note] += 1
        cells = self.noted_cells.setdefault(note, [])
        if len(cells) <= QUOTED_CELLS:  # one more than shown: the summary then says there are others
            text = _cell_text(cell)
            if text not in cells:
                cells.append(text)

    def counts(self) -> dict[str, int]:
        """How many rows are read, added, updated, skipped, in conflict or wrong, for the preview and the report."""
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
        """The plan as the command line prints it: the counts, then duplicates, conflicts, new records and the like."""
        c = self.counts()
        lines = [
            f"{self.source.name}: {counted(c['rows'], 'row')} read"
            + (" (an Aid Ledger export: matched by ID)" if self.from_export else "")
            + (f" (recognised: {self.layout})" if self.layout else ""),
            f"  add {c['add']:,}, update {c['update']:,}, unchanged {c['unchanged']:,}",
        ]
        fields = sum(len(u.changes) for u in self.updates)
        if fields:
            lines[-1] += f" ({counted(fields, 'field changes', 'fields change')})"
        if self.duplicates:
            lines.append(
                f"  {counted(len(self.duplicates), 'row looks', 'rows look')} like records already here:"
                f" {c['duplicates_skipped']:,} skipped"
            )
        if self.conflicts:
            kept = sum(not x.take_theirs for x in self.conflicts)
            lines.append(
                f"  {counted(len(self.conflicts), 'conflict')} (changed here since the export and in the workbook): "
                f"{counted(kept, 'keeps', 'keep')} the value here"
            )
        for kind, names in self.new_targets.items():
            if names:
                target = KINDS_BY_NAME[kind]
                made = counted(len(names), f"new {target.singular.lower()}", f"new {target.plural}")
                lines.append(
                    f"  {made} will be created: "
                    + ", ".join(_short(target, n) for n in sorted(names.values())[:8])
                    + ("…" if len(names) > 8 else "")
                )
        if self.matched_by_key:
            lines.append(
                f"  {counted(self.matched_by_key, 'row is a record', 'rows are records')} already here"
                " (the tracker's own key): left as they are"
            )
        if self.matched_by_name:
            lines.append(
                f"  {counted(self.matched_by_name, 'new row names a record', 'new rows name records')} this database"
                " holds under another ID: the same name, so taken for the same record"
            )
        for sheet, mapping in self.mappings.items():
            kept_columns = [f"{column_letter(m.index)} '{m.header}'" for m in mapping.columns if m.kept and m.header]
            if kept_columns:
                more = f" and {len(kept_columns) - 8} more" if len(kept_columns) > 8 else ""
                lines.append(
                    f"  {sheet}: columns no field takes, kept with each record (Other columns): "
                    + ", ".join(kept_columns[:8])
                    + more
                )
        if self.missing:
            action = "will be deleted" if self.delete_missing else "are kept (--delete-missing deletes them)"
            lines.append(f"  {counted(len(self.missing), 'record is', 'records are')} not in the workbook and {action}")
        read_as = [self._read_as(what, n) for what, n in self.notes.items() if n]
        if read_as:
            lines.append("  read as: " + "; ".join(read_as))
        if self.issues:
            lines.append(f"  {counted(len(self.issues), 'row or cell', 'rows or cells')} cannot be imported:")
            lines += [f"    {i.where()}: {i.message}" for i in self.issues[:10]]
            if len(self.issues) > 10:
                lines.append(f"    … and {len(self.issues) - 10:,} more (--report FILE.xlsx lists them all)")
        return "\n".join(lines)

    def _read_as(self, note: str, n: int) -> str:
        """One count of the "read as" line, quoting the file's cells: '2 partly known ("04/22", "unclear 10/2022")'."""
        one, many, after = _READ_AS.get(note, (note, note, ""))
        cells = self.noted_cells.get(note, [])
        quoted = ", ".join(f'"{c}"' for c in cells[:QUOTED_CELLS]) + (", …" if len(cells) > QUOTED_CELLS else "")
        return counted(n, one, many) + (f" ({quoted})" if quoted else "") + after


# How many distinct cells the summary quotes for each way of reading them, and how much of each.
QUOTED_CELLS = 3
_QUOTED_CHARS = 30
# note -> (for one cell, for more, what follows the cells quoted)
_READ_AS = {
    EMPTY: ("empty", "empty", ""),
    PARTIAL: ("partly known", "partly known", ""),
    OTHER: ("'other', not in the vocabulary", "'other', not in the vocabulary", ""),
    UNDISCLOSED: ("undisclosed by the source", "undisclosed by the source", ""),
    "kept in a note": (
        "cell that could not be read",
        "cells that could not be read",
        ", kept in the record's note (uncertain)",
    ),
    "kept long text": (
        "text cut short to fit Excel (the full text here is kept)",
        "texts cut short to fit Excel (the full texts here are kept)",
        "",
    ),
}


def _cell_text(cell: Any) -> str:
    """A cell as the summary quotes it: as typed (350000, not 350000.0), on one line, a long one cut."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = " ".join(str(cell).split())
    return text if len(text) <= _QUOTED_CHARS else text[: _QUOTED_CHARS - 1] + "…"


def _short(kind: Kind, name: str, most: int = 48) -> str:
    """A name as a list of names shows it: a web address by the title it gives its source, a long one cut."""
    shown = str(kind.made_from_name(name)[kind.title_field])
    return shown if len(shown) <= most else shown[: most - 1] + "…"
