"""The import preview's tables: read-only models over a plan's lists, each cell's text made when it is painted.

A plan of 100,000 new rows costs nothing more than its lists: the views ask for the few rows they show (as the
record tables do), instead of one ``QTableWidgetItem`` per cell made up front. The conflicts' "take the file's" and
the duplicates' "import anyway" are checkable cells that set the flag on the plan's own object, which ``apply``
reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

import importers
from storage import KINDS_BY_NAME, FieldType, Ledger
from storage import records as rec
from storage.query import Column, display

Index = QModelIndex | QPersistentModelIndex
# A cell shows this much of a long text; the tooltip shows texts longer than TIP_FROM in full.
SHOWN_CHARS = 120
TIP_FROM = 40
_CHECK = Qt.ItemDataRole.CheckStateRole


def shown(ledger: Ledger, kind: str, name: str, value: Any) -> str:
    """A value as the record tables show it: "1,250,000", "Delivered", "13 Aug 2024", and names for references."""
    f = KINDS_BY_NAME[kind].field(name)
    if f.type is FieldType.REF:
        return rec.display_name(ledger, f.ref or "", value) if isinstance(value, int) else str(value or "")
    if f.type is FieldType.LINKS and f.link is not None:
        names = []
        for link in value or []:
            target = link.get("target_id", link.get("target"))
            names.append(rec.display_name(ledger, f.link.target, target) if isinstance(target, int) else str(target))
        return "; ".join(names)
    return display(Column(f.name, f.label, f), value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _is_checked(value: Any) -> bool:
    """A check state as views and tests pass it: ``Qt.CheckState``, its int value, or a bool."""
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    if isinstance(value, bool):
        return value
    try:
        return int(value) == Qt.CheckState.Checked.value
    except (TypeError, ValueError):
        return False


class PreviewModel(QAbstractTableModel):
    """One of the plan's lists as a read-only table: ``cells(item)`` gives a row's values, asked for when painted.

    Subclasses set ``headers`` and ``cells``. With ``check_attr``, column 0 is a check box bound to that boolean
    attribute of each item; a toggle emits ``dataChanged`` for that cell (the page then updates its summary).
    """

    headers: tuple[str, ...] = ()
    check_attr: str | None = None

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: Sequence[Any] = ()

    def set_items(self, items: Sequence[Any]) -> None:
        """Show these items (the plan's own list: nothing is copied)."""
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def item(self, row: int) -> Any:
        """The item shown on ``row``."""
        return self._items[row]

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The row's values, one per column (the check column's is ignored)."""
        raise NotImplementedError

    def set_checked(self, row: int, on: bool) -> None:
        """Tick or untick the check box of ``row``."""
        self.setData(self.index(row, 0), Qt.CheckState.Checked if on else Qt.CheckState.Unchecked, _CHECK)

    def is_checked(self, row: int) -> bool:
        """Whether the check box of ``row`` is ticked (False when the model has none)."""
        return self.check_attr is not None and bool(getattr(self._items[row], self.check_attr))

    # --- Qt model interface ---------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """One row per item."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """One column per header."""
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text and tooltip, made from its item only when painted, or the check box's state."""
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        column = index.column()
        if self.check_attr is not None and column == 0:
            if role == _CHECK:
                return Qt.CheckState.Checked if self.is_checked(index.row()) else Qt.CheckState.Unchecked
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        text = _text(self.cells(self._items[index.row()])[column])
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) > TIP_FROM else None
        return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "…"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The column headers, and row numbers from 1."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return section + 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell is selectable; the check column is checkable too."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.check_attr is not None and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Tick or untick a check box, which sets the item's boolean; nothing else is editable."""
        if (
            self.check_attr is None
            or role != _CHECK
            or not index.isValid()
            or index.column() != 0
            or not 0 <= index.row() < len(self._items)
        ):
            return False
        setattr(self._items[index.row()], self.check_attr, _is_checked(value))
        self.dataChanged.emit(index, index, [_CHECK])
        return True


class ChangesModel(PreviewModel):
    """One row per field an update changes: the record, the field, its value here and in the file."""

    headers = ("Record", "Field", "Now", "In the file")

    def __init__(self, ledger: Ledger, parent: Any = None) -> None:
        super().__init__(parent)
        self.ledger = ledger

    def set_plan(self, plan: importers.Plan) -> None:
        """Show the plan's updates, one row per changed field."""
        # (update, field) pairs: one small tuple per changed field, no text made until a row is painted.
        self.set_items([(u, name) for u in plan.updates for name in u.changes])

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The record, the field, its value here and its value in the workbook."""
        update, name = item
        old, new = update.changes[name]
        return (
            update.title,
            KINDS_BY_NAME[update.kind].field(name).label,
            shown(self.ledger, update.kind, name, old),
            shown(self.ledger, update.kind, name, new),
        )


class AddsModel(PreviewModel):
    """The new records: where in the file, what, and the values each row was read as, one column per field.

    The columns are the fields the new rows give a value to (judged on the first ``SAMPLED`` rows), in the order of
    their kinds' descriptions, under the fields' labels: a plan of Aid shows Donor, Recipient, Status, Announced on,
    a plan of actors Type and Country. Fields of several kinds with one label share a column.
    """

    BASE: tuple[str, ...] = ("Sheet", "Row", "New record")
    headers: tuple[str, ...] = BASE
    SAMPLED = 2000
    # Not shown: what every record has (its ID, its time), texts too long for a line, and the Other columns.
    _LEFT_OUT = frozenset({"uid", "updated_at", "created_at"})

    def __init__(self, ledger: Ledger, parent: Any = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self._columns: list[dict[str, str]] = []  # per field column: kind -> the field's name

    def set_items(self, items: Sequence[Any]) -> None:
        """Show these new records, with a column for each field their rows give."""
        self.beginResetModel()
        self._items = items
        self._columns, labels = self._read_columns(items[: self.SAMPLED])
        self.headers = (*self.BASE, *labels)
        self.endResetModel()

    def _read_columns(self, sample: Sequence[Any]) -> tuple[list[dict[str, str]], list[str]]:
        given: dict[str, set[str]] = {}  # kind -> the fields some row gives
        for add in sample:
            names = given.setdefault(add.kind, set())
            names.update(n for n, v in add.values.items() if v not in (None, "", []))
            names.update(n for n, v in add.stored.items() if v not in (None, "", []))
        columns: dict[str, dict[str, str]] = {}  # label -> kind -> field name
        for kind_name, names in given.items():
            kind = KINDS_BY_NAME[kind_name]
            for f in kind.all_fields:
                if (
                    f.name in names
                    and f.name != kind.title_field
                    and f.name not in self._LEFT_OUT
                    and f.type not in (FieldType.LONG_TEXT, FieldType.EXTRA)
                ):
                    columns.setdefault(f.label, {})[kind_name] = f.name
        return list(columns.values()), list(columns)

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The sheet, the row, the new record's title, and each field's value as read (as the tables show it)."""
        read = {**item.values, **item.stored}  # a date as stored, a donor found here as its record
        values = []
        for column in self._columns:
            name = column.get(item.kind)
            values.append(shown(self.ledger, item.kind, name, read.get(name)) if name else "")
        return (item.sheet, item.row, item.describe(), *values)


class ConflictsModel(PreviewModel):
    """Fields changed both here and in the file; checked, the file's value is taken."""

    headers = ("Take the file's", "Record", "Field", "Here (changed since the export)", "In the file")
    check_attr = "take_theirs"

    def __init__(self, ledger: Ledger, parent: Any = None) -> None:
        super().__init__(parent)
        self.ledger = ledger

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The check column, the record, the field, the value here and the value in the workbook."""
        return (
            None,
            item.title,
            KINDS_BY_NAME[item.kind].field(item.field).label,
            shown(self.ledger, item.kind, item.field, item.ours),
            shown(self.ledger, item.kind, item.field, item.theirs),
        )


class DuplicatesModel(PreviewModel):
    """New rows that look like records here; checked, the row is imported anyway."""

    headers = ("Import anyway", "Row", "New record", "Looks like", "Why")
    check_attr = "import_anyway"

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The check column, the row, the new record's title, the record it repeats, and why."""
        return (None, item.add.row, item.add.describe(), item.existing_title, item.reason)


class ProblemsModel(PreviewModel):
    """Rows and cells that cannot be imported, and why."""

    headers = ("Sheet", "Row", "Column", "Why it cannot be imported")

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The sheet, the row, the column and the problem."""
        return (item.sheet, item.row, item.column, item.message)


class MissingModel(PreviewModel):
    """Records here that the workbook no longer has."""

    headers = ("Kind", "Record not in the workbook")

    def cells(self, item: Any) -> tuple[Any, ...]:
        """The kind and the title of a record that the export had and the workbook lacks."""
        kind, _, title = item
        return (KINDS_BY_NAME[kind].label, title)
