"""The model behind every record table: ids in an array, rows fetched a page at a time, sort and filter in SQL.

Holding a million records costs 8 MB of ids; only the pages the view paints are read (as Anki's browser does). No
QSortFilterProxyModel: a re-query of the ids in SQL replaces it, and is far faster at this size.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from storage import KINDS_BY_NAME, FieldType, Ledger, UserError
from storage.query import Column, Filters, amount_parts, columns, display_in_row, ids, rows_by_ids

from ..workers import CANCELLED, Job, runner

PAGE_SIZE = 256
MAX_PAGES = 32
# Kinds with this many records re-query (sort, filter, search) on a background connection, so the window never
# freezes. Decided by the records of the kind, not the rows shown: clearing a search that shows 3 of a million rows
# re-queries a million.
BACKGROUND_ROWS = 100_000

RecordIdRole = Qt.ItemDataRole.UserRole + 1
FieldNameRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex
_NUMERIC = (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER)
_EDITABLE = (
    FieldType.TEXT,
    FieldType.LONG_TEXT,
    FieldType.CHOICE,
    FieldType.DATE,
    FieldType.AMOUNT,
    FieldType.NUMBER,
    FieldType.INTEGER,
    FieldType.CURRENCY,
    FieldType.URL,
    FieldType.REF,
    FieldType.BOOL,
)


class RecordTableModel(QAbstractTableModel):
    """The records of one kind that match the filters, in the sort order.

    Edits go to ``edit(rid, field, value)``, a callable that writes through storage with undo and raises
    ``UserError`` when the value is not valid.

    Signals:
        refreshed(): the ids were re-queried (filters, sort or records changed).
        edit_failed(message): a cell edit was refused; the cell keeps its value.
        busy_changed(busy): a re-query started or ended in the background.
        requery_cancelled(): the user cancelled it; the table shows what it showed before.
    """

    refreshed = Signal()
    edit_failed = Signal(str)
    busy_changed = Signal(bool)
    requery_cancelled = Signal()

    def __init__(self, ledger: Ledger, kind: str, edit: Any = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.kind = KINDS_BY_NAME[kind]
        self.columns: list[Column] = columns(kind)
        self._amounts = amount_parts(self.columns)
        self.filters = Filters()
        self.order: list[tuple[str, bool]] = []
        self._edit = edit
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, dict[int, tuple[Any, ...]]] = OrderedDict()
        self._loaded = False
        self._job: Job | None = None
        self._kind_rows = 0
        self._counted_at: tuple[int, int, int] | None = None  # the change to the file that count was taken at

    # --- what is shown --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-query the ids for the current filters and order; rows are read again as they are painted."""
        self.beginResetModel()
        self._ids = ids(self.ledger, self.kind, self.filters, self.order)
        self._pages.clear()
        self._loaded = True
        self.endResetModel()
        self.refreshed.emit()

    def set_filters(self, filters: Filters) -> None:
        """Show the records that ``filters`` let through (queried again only when they changed)."""
        if filters != self.filters or not self._loaded:
            self.requery(filters, self.order)

    def requery(self, filters: Filters, order: list[tuple[str, bool]]) -> None:
        """Show the records for new filters or order: at once for a small table, off the UI thread for a big one."""
        self.cancel_requery(quiet=True)
        # The first load stays on the UI thread, so the window's first paint shows rows and not an empty table.
        if not self._loaded or max(len(self._ids), self.kind_rows()) < BACKGROUND_ROWS:
            self.filters, self.order = filters, order
            self.refresh()
            return
        kind = self.kind
        job = Job(
            self.ledger.path,
            lambda reader: ids(reader, kind, filters, order),
            on_done=lambda result: self._apply(job, filters, order, result),
            on_failed=lambda message: self._on_job_failed(job, message),
            owner=self,
        )
        self._job = runner().start(job)
        self.busy_changed.emit(True)

    def _apply(self, job: Job, filters: Filters, order: list[tuple[str, bool]], result: array[int]) -> None:
        if job is not self._job:
            return  # an older query, overtaken by a newer one
        self._job = None
        self.beginResetModel()
        self.filters, self.order, self._ids = filters, order, result
        self._pages.clear()
        self._loaded = True
        self.endResetModel()
        self.busy_changed.emit(False)
        self.refreshed.emit()

    def _on_job_failed(self, job: Job, message: str) -> None:
        if job is not self._job:
            return
        self._job = None
        self.busy_changed.emit(False)
        if message != CANCELLED:
            self.edit_failed.emit(f"The table could not be updated: {message}")

    def kind_rows(self) -> int:
        """How many records of the kind the database holds, whatever the filters: counted again only after a write.

        A write on this connection moves ``total_changes``, another connection's commit moves ``data_version``; the
        count itself takes about 2 ms on a million records.
        """
        conn = self.ledger.conn
        at = (id(conn), conn.total_changes, self.ledger.data_version())
        if at != self._counted_at:
            self._kind_rows = self.ledger.db[self.kind.name].count
            self._counted_at = at
        return self._kind_rows

    @property
    def busy(self) -> bool:
        """Whether a query runs in the background."""
        return self._job is not None

    def cancel_requery(self, *, quiet: bool = False) -> None:
        """Stop a background re-query; the table keeps showing what it showed."""
        job, self._job = self._job, None
        if job is None:
            return
        job.cancel()
        self.busy_changed.emit(False)
        if not quiet:
            self.requery_cancelled.emit()

    def record_id(self, row: int) -> int:
        """The row id of the record shown on ``row``."""
        return int(self._ids[row])

    def row_of(self, rid: int) -> int | None:
        """The row showing record ``rid``, or None when the filters hide it."""
        try:
            return self._ids.index(rid)
        except ValueError:
            return None

    def column_of(self, name: str) -> int:
        """The column that shows the field (or column) named ``name``."""
        return next(i for i, c in enumerate(self.columns) if c.name == name)

    def reload_rows(self) -> None:
        """Read the shown rows again (records or the names they show changed); the ids and the order stay.

        Only the pages the view paints are read again, so this costs the same for ten rows or a million.
        """
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def _row(self, row: int) -> tuple[Any, ...] | None:
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            wanted = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            rows = rows_by_ids(self.ledger, self.kind, wanted)
            self._pages[page] = rows
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        return rows.get(self._ids[row])

    # --- Qt model interface ---------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """One row per record that the filters let through."""
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """One column per field shown."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's value for ``role``: shown, edited, its tooltip, its alignment, or the record id and field name."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        col = self.columns[index.column()]
        if role == RecordIdRole:
            return self.record_id(index.row())
        if role == FieldNameRole:
            return col.name
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.field is not None and col.field.type in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        value = row[index.column()]
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            text = "" if value is None else str(value)
            return text if len(text) > 40 else None
        return display_in_row(col, row, index.column(), self._amounts.get(index.column()))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The fields' labels (with their help as tooltip), and row numbers from 1."""
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.label
            if role == Qt.ItemDataRole.ToolTipRole and col.field is not None:
                return col.field.help or col.label
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Every cell is selectable; a field's cell is editable too, when the table takes edits and its type can be."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = self.columns[index.column()]
        if self._edit is not None and col.field is not None and col.field.type in _EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Write an edited cell through storage; False, with ``edit_failed`` emitted, when refused."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._edit is None:
            return False
        col = self.columns[index.column()]
        if col.field is None:
            return False
        rid = self.record_id(index.row())
        try:
            self._edit(rid, col.field.name, value)
        except UserError as exc:
            self.edit_failed.emit(str(exc))
            return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; the previous sort column stays as the second key, as a spreadsheet user expects."""
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        name = self.columns[column].name
        ascending = order == Qt.SortOrder.AscendingOrder
        previous = [(n, a) for n, a in self.order if n != name][:1]
        self.requery(self.filters, [(name, ascending), *previous])
