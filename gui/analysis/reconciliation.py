"""The Reconciliation view: each reported total beside the sum of the items it covers, the gap, and what may explain it.

Selecting a total lists its items without a EUR value (they may close the gap); Enter or a double-click on one opens
its form. The reconciliation runs on a worker, as every query over the whole database does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.reconcile import SHOWN_WITHOUT_VALUE, Reconciliation, reconcile
from storage.values import format_date

from ..editing import Editor
from ..workers import Job, runner

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "Subject",
    "Recipient",
    "Measure",
    "As of",
    "Reported",
    "Reported (EUR)",
    "Itemised (EUR)",
    "Items",
    "Without a value",
    "Gap (EUR)",
    "Gap (%)",
)
NUMERIC = set(range(5, len(COLUMNS)))


def _eur(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def reported(r: Reconciliation) -> str:
    """The total as reported: "about EUR 500,000,000"."""
    qualifier = r.qualifier if r.qualifier not in (None, "exact") else ""
    return " ".join(w for w in (qualifier, r.currency, f"{r.amount:,.0f}") if w)


def cells(r: Reconciliation) -> tuple[str, ...]:
    """A total's row as shown."""
    gap = "—" if r.gap_percent is None else f"{r.gap_percent:,.1f}"
    return (
        r.subject,
        r.recipient or "",
        r.measure,
        format_date(r.as_of) if r.as_of else "",
        reported(r),
        _eur(r.reported_eur),
        _eur(r.items_eur),
        f"{r.items:,}",
        f"{r.without_value:,}",
        _eur(r.gap_eur),
        gap,
    )


class ReconciliationModel(QAbstractTableModel):
    """The reported totals, one a row, with their itemised sums and gaps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Reconciliation] = []
        self._cells: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[Reconciliation]) -> None:
        """Show these reconciliations."""
        self.beginResetModel()
        self.rows, self._cells = rows, [cells(r) for r in rows]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        """The totals, at the top level only."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        """The columns, at the top level only."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell's text; numbers right-aligned; the EUR note as the reported figure's tooltip."""
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() in (4, 5) and r.eur_note:
                return r.eur_note
            if index.column() in (9, 10):
                return "Reported minus itemised: positive when more was reported than is recorded item by item"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


class ReconciliationPage(QWidget):
    """The totals table, and under it the selected total's items without a EUR value."""

    def __init__(self, editor: Editor, open_item: Callable[[int], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.open_item = open_item
        self.job: Job | None = None
        self._stale = True
        self.model = ReconciliationModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(False)  # a wide "Gap (%)" would read as a gap in columns
        self.view.setAccessibleName("Reported totals")
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        self.items = QTreeWidget()
        self.items.setHeaderLabels(["ID", "Item without a EUR value", "Announced on"])
        self.items.setRootIsDecorated(False)
        self.items.setAlternatingRowColors(True)
        self.items.setAccessibleName("Items without a EUR value")
        self.items.itemActivated.connect(self._on_items_item_activated)  # double-click, or Enter
        self.items_label = QLabel()
        self.items_label.setWordWrap(True)
        self.status_label = QLabel()
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.items_label)
        lower_layout.addWidget(self.items, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([200, 360])  # a few totals above, the items that explain one below
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addWidget(QLabel("<h2>Reconciliation</h2>"))
        intro = QLabel(
            "Each reported total beside the sum of the Aid items it covers (its donor to its recipient, announced up "
            "to its date). The gap is reported minus itemised; items without a EUR value may explain it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)
        self.view.installEventFilter(self)
        self.setFocusProxy(self.view)  # shown by Ctrl+0, the keyboard is in the totals
        editor.records_changed.connect(self._on_editor_records_changed)

    def refresh(self) -> Job:
        """Reconcile again, off the UI thread; returns the job."""
        if self.job is not None:
            self.job.cancel()
        self._stale = False
        self.status_label.setText("Summing the items of each total…")
        job = Job(
            self.editor.ledger.path,
            reconcile,
            on_done=lambda rows: self._on_job_done(job, rows),
            on_failed=lambda message: self._on_job_failed(job, message),
            owner=self,
        )
        self.job = runner().start(job)
        return job

    def _on_job_done(self, job: Job, rows: list[Reconciliation]) -> None:
        if job is not self.job:
            return
        self.job = None
        chosen = self.view.currentIndex().row()
        self.model.set_rows(rows)
        self.status_label.setText(f"{len(rows):,} reported total{'' if len(rows) == 1 else 's'}." if rows else "")
        if not rows:
            self.status_label.setText("No reported totals yet: add them on the Totals page.")
        self.view.resizeColumnsToContents()
        if rows:
            self.view.selectRow(min(max(chosen, 0), len(rows) - 1))
        else:
            self._show_items(None)

    def _on_job_failed(self, job: Job, message: str) -> None:
        if job is self.job:
            self.job = None
            self._stale = True
            self.status_label.setText(message)

    def selected(self) -> Reconciliation | None:
        """The total selected, or None."""
        row = self.view.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def _on_view_current_row_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        self._show_items(self.model.rows[current.row()] if current.isValid() else None)

    def _show_items(self, r: Reconciliation | None) -> None:
        self.items.clear()
        if r is None:
            self.items_label.setText("")
            return
        for rid, item, on in r.unvalued:
            row = QTreeWidgetItem([str(rid), item, format_date(on) if on else ""])
            row.setData(0, Qt.ItemDataRole.UserRole, rid)
            row.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.items.addTopLevelItem(row)
        self.items.resizeColumnToContents(0)
        self.items.setColumnWidth(1, max(self.items.columnWidth(1), 520))
        shown = f" (the first {SHOWN_WITHOUT_VALUE} shown)" if r.without_value > len(r.unvalued) else ""
        who = r.subject + (f" to {r.recipient}" if r.recipient else "")
        if r.without_value:
            self.items_label.setText(
                f"<b>{'All' if r.without_value == r.items else f'{r.without_value:,} of the'} {r.items:,} items</b>"
                f" this total of {who} covers have no EUR value"
                f"{shown}: they may explain the gap. Enter or a double-click opens one."
            )
        else:
            self.items_label.setText(f"Every one of the {r.items:,} items this total of {who} covers has a EUR value.")

    def _on_items_item_activated(self, item: QTreeWidgetItem, _: int) -> None:
        self.open_item(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Enter on a total goes down to its items without a value."""
        if watched is self.view and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.items.topLevelItemCount():
                self.items.setFocus()
                first = self.items.topLevelItem(0)
                if self.items.currentItem() is None and first is not None:
                    self.items.setCurrentItem(first)
                return True
        return super().eventFilter(watched, event)

    def shown(self) -> None:
        """Called when the page is shown: reconcile again if the records changed while it was hidden."""
        if self._stale and self.job is None:
            self.refresh()

    def _on_editor_records_changed(self, kinds: Any, _: Any) -> None:
        if not {"aid", "totals", "actors"} & set(kinds):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True
