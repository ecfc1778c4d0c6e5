"""One record kind's page: its filter bar and its table, and what can be done to the selected records."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from storage import KINDS_BY_NAME, FieldType, UserError, ValidationError
from storage import records as rec
from storage.query import Filters, shows
from storage.records import clean_scalar

from . import settings
from .delegates.field_delegate import FieldDelegate
from .dialogs.bulk import EditFieldDialog, MergeDialog, MoveReferencesDialog
from .dialogs.record_form import RecordForm
from .editing import Editor
from .models.record_table import RecordTableModel
from .widgets.filter_bar import FilterBar
from .widgets.frozen_table import FrozenColumnTableView

ROW_HEIGHT_PADDING = 8


class RecordPage(QWidget):
    """The table of one kind, filtered and sorted in SQL.

    Signals:
        shown_changed(): the records shown changed (filters, sort, edits): the status bar re-counts.
    """

    shown_changed = Signal()

    def __init__(self, editor: Editor, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.ledger = editor.ledger
        self.kind = KINDS_BY_NAME[kind]
        self.filter_bar = FilterBar(self.ledger, kind)
        self.model = RecordTableModel(self.ledger, kind, edit=self._edit_cell, parent=self)
        self.view = FrozenColumnTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(FieldDelegate(self.ledger, self.view, create=editor.try_insert))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fixed height: no measuring a million rows
        vertical.setDefaultSectionSize(self.fontMetrics().height() + ROW_HEIGHT_PADDING)
        vertical.setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu_requested)
        frozen_header = self.view.frozen.horizontalHeader()
        frozen_header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        frozen_header.customContextMenuRequested.connect(self._on_header_menu_requested)
        for view in (self.view, self.view.frozen):
            view.doubleClicked.connect(lambda index: self.open_record(self.model.record_id(index.row())))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        self.filter_bar.changed.connect(self._on_filter_bar_changed)
        self.model.refreshed.connect(self.shown_changed.emit)
        self.model.edit_failed.connect(self.editor.failed.emit)
        self.model.requery_cancelled.connect(self._on_model_requery_cancelled)
        self._restore_header()
        self.filter_bar.search.installEventFilter(self)
        self.view.installEventFilter(self)

    # --- from the search box to a record, by keyboard ------------------------------------------------------------

    _ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box goes to the results; Enter on a row opens it; Ctrl+E works from the box."""
        if not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if watched is self.filter_bar.search:
            ctrl_e = event.key() == Qt.Key.Key_E and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            if event.type() == QEvent.Type.ShortcutOverride and ctrl_e:
                event.ignore()  # the line edit's own Ctrl+E (end of line) would hide "Open record"
                return True
            if event.type() == QEvent.Type.KeyPress and plain and event.key() in (Qt.Key.Key_Down, *self._ENTER):
                if event.key() in self._ENTER:
                    self.filter_bar.apply_now()
                self.focus_results()
                return True
        elif watched is self.view and event.type() == QEvent.Type.KeyPress and plain and event.key() in self._ENTER:
            if self.view.state() != self.view.State.EditingState and self.view.currentIndex().isValid():
                self.open_current()
                return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        """Put the keyboard in the table, on the first row's title when no row is current."""
        self.view.setFocus()
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            first = self.model.index(0, self.model.column_of(self.kind.title_field))
            self.view.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # --- loading and settings -------------------------------------------------------------------------------------

    def load(self) -> None:
        """Query the ids the first time the page is shown (pages not shown cost nothing at start)."""
        self.model.set_filters(self.filter_bar.filters())

    def _restore_header(self) -> None:
        header = self.view.horizontalHeader()
        state = settings.table_header(self.kind.name)
        if state is None or not header.restoreState(state):
            for name in self.kind.hidden:
                self.view.setColumnHidden(self.model.column_of(name), True)
            metrics = header.fontMetrics()
            for i, col in enumerate(self.model.columns):
                f = col.field
                width = max(90, metrics.horizontalAdvance(col.label) + 28)
                if f is not None and f.type in (FieldType.LONG_TEXT, FieldType.LINKS):
                    width = 220
                elif f is not None and f.name == self.kind.title_field:
                    width = 320
                elif f is not None and f.type in (FieldType.REF, FieldType.CHOICE):
                    width = max(width, 130)
                header.resizeSection(i, width)
        # the columns fill the view: the last one shown takes what is left (restoreState may have turned it off)
        header.setStretchLastSection(True)
        self.view.freeze_column(self.model.column_of(self.kind.title_field))
        self.model.order = []
        if header.isSortIndicatorShown() and state is not None:
            section = header.sortIndicatorSection()
            if 0 <= section < len(self.model.columns) and self.model.columns[section].sortable:
                ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                self.model.order = [(self.model.columns[section].name, ascending)]
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def save_settings(self) -> None:
        """Keep the table's column order and widths for next time."""
        settings.save_table_header(self.kind.name, self.view.horizontalHeader().saveState())

    def _on_header_menu_requested(self, pos: Any) -> None:
        menu = QMenu(self)
        for i, col in enumerate(self.model.columns):
            action = menu.addAction(col.label)
            action.setCheckable(True)
            action.setChecked(not self.view.isColumnHidden(i))
            action.toggled.connect(lambda on, i=i: self.view.setColumnHidden(i, not on))
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))

    def _on_model_requery_cancelled(self) -> None:
        """Put the header's sort arrow back on the order the table still shows."""
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        if self.model.order:
            name, ascending = self.model.order[0]
            order = Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
            header.setSortIndicator(self.model.column_of(name), order)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def _on_filter_bar_changed(self, filters: Filters) -> None:
        self.model.set_filters(filters)

    # --- selection ------------------------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The row ids of the selected records, in table order; the current one when none is selected."""
        rows = sorted({index.row() for index in self.view.selectionModel().selectedIndexes()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return [self.model.record_id(r) for r in rows]

    def select_record(self, rid: int) -> None:
        """Select the row of record ``rid`` and make it current, when the table shows it."""
        row = self.model.row_of(rid)
        if row is None:
            return
        index = self.model.index(row, max(self.view.horizontalHeader().logicalIndex(0), 0))
        self.view.setCurrentIndex(index)
        self.view.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.scrollTo(index)

    # --- actions --------------------------------------------------------------------------------------------------

    def _edit_cell(self, rid: int, field: str, value: Any) -> None:
        label = f"Edit {self.kind.field(field).label}"
        self.editor.update(self.kind.name, rid, {field: value}, label=label)

    def new_record(self, initial: dict[str, Any] | None = None) -> RecordForm:
        """Open the form for a new record, with ``initial`` values; returns the form."""
        form = RecordForm(self.editor, self.kind.name, initial=initial, parent=self)
        form.saved.connect(self._on_form_saved)
        form.open()
        return form

    def open_record(self, rid: int) -> RecordForm:
        """Open the form of record ``rid``; returns the form."""
        form = RecordForm(self.editor, self.kind.name, rid, parent=self)
        form.saved.connect(self._on_form_saved)
        form.open()
        return form

    def _on_form_saved(self, rid: int) -> None:
        self.filter_bar.reload_choices()
        self.select_record(rid)
        filters = self.model.filters
        if filters.active and not shows(self.ledger, self.kind, filters, rid):  # saved, but the table hides it
            title = rec.display_name(self.ledger, self.kind, rid)
            self.editor.said.emit(f"Saved “{title}”: the search or the filters hide it (Clear shows every record).")

    def open_current(self) -> RecordForm | None:
        """Open the form of the first selected record, if any."""
        ids = self.selected_ids()
        return self.open_record(ids[0]) if ids else None

    def duplicate_current(self) -> RecordForm | None:
        """Open a new record's form filled from the selected one (same package for an aid item)."""
        ids = self.selected_ids()
        if not ids:
            return None
        record = rec.get(self.ledger, self.kind, ids[0])
        initial = {k: v for k, v in record.items() if k not in ("id", "uid", "created_at", "updated_at")}
        return self.new_record(initial)

    def delete_selected(self) -> None:
        """Delete the selected records as one undo step; one still in use first asks where its references go."""
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) == 1:  # a record still in use: say where its references go first
            refs = rec.references_to(self.ledger, self.kind, ids[0])
            if refs:
                MoveReferencesDialog(self.editor, self.kind.name, ids[0], refs, self).open()
                return
        try:
            self.editor.delete(self.kind.name, ids)
        except UserError as exc:
            QMessageBox.warning(self, "Not deleted", str(exc))

    def copy_selection(self) -> str:
        """Copy the selected cells as tab-separated text, as Excel pastes it: dates ISO, numbers plain."""
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        header = self.view.horizontalHeader()
        cols = sorted({i.column() for i in indexes}, key=header.visualIndex)
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for r in rows:
            cells = []
            for c in cols:
                value = self.model.index(r, c).data(Qt.ItemDataRole.EditRole) if (r, c) in chosen else None
                text = "" if value is None else str(value)
                cells.append(text.replace("\t", " ").replace("\r", " ").replace("\n", " "))
            lines.append("\t".join(cells))
        text = "\n".join(lines)
        QGuiApplication.clipboard().setText(text)
        return text

    def paste(self, text: str | None = None) -> bool:
        """Paste tab-separated text from a spreadsheet, from the current cell down and right.

        It is validated first and applied as one undo step; one value pasted on several selected rows fills them
        all.
        """
        text = QGuiApplication.clipboard().text() if text is None else text
        grid = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        current = self.view.currentIndex()
        if not text or not current.isValid():
            return False
        header = self.view.horizontalHeader()
        selected_rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        start_row = min(selected_rows) if selected_rows else current.row()
        if len(grid) == 1 and len(grid[0]) == 1 and len(selected_rows) > 1:
            targets = [(r, [grid[0][0]]) for r in selected_rows]
        else:
            targets = [(start_row + i, line) for i, line in enumerate(grid) if start_row + i < self.model.rowCount()]
        visual = header.visualIndex(current.column())
        changes: list[tuple[int, dict[str, Any]]] = []
        problems: list[str] = []
        for row, cells in targets:
            values: dict[str, Any] = {}
            for offset, cell in enumerate(cells):
                logical = header.logicalIndex(visual + offset)
                col = self.model.columns[logical] if logical >= 0 else None
                if col is None or col.field is None or col.field.type is FieldType.LINKS:
                    problems.append(f"row {row + 1}: column {visual + offset + 1} cannot take pasted values")
                    continue
                try:
                    clean_scalar(self.ledger, col.field, cell)
                except ValueError as exc:
                    problems.append(f"row {row + 1}, {col.label}: {exc}")
                    continue
                values[col.field.name] = cell
            changes.append((self.model.record_id(row), values))
        if problems:
            QMessageBox.warning(self, "Nothing pasted", "These values cannot be taken:\n\n" + "\n".join(problems[:12]))
            return False
        count = sum(len(v) for _, v in changes)
        try:
            with self.editor.action(f"Paste {count} cells"):
                for rid, values in changes:
                    rec.update(self.ledger, self.kind, rid, values, where=f"row of {rid}")
        except (UserError, ValidationError) as exc:
            QMessageBox.warning(self, "Nothing pasted", str(exc))
            return False
        return True

    def edit_field_of_selected(self) -> EditFieldDialog | None:
        """Open the dialog that sets one field of every selected record; None when none is."""
        ids = self.selected_ids()
        if not ids:
            return None
        dialog = EditFieldDialog(self.editor, self.kind.name, ids, self)
        dialog.open()
        return dialog

    def merge_selected(self) -> MergeDialog | None:
        """Open the dialog that merges the two selected records; None, with a message, unless two are."""
        ids = self.selected_ids()
        if len(ids) != 2:
            QMessageBox.information(self, "Merge", f"Select exactly two {self.kind.label.lower()} to merge.")
            return None
        dialog = MergeDialog(self.editor, self.kind.name, ids[0], ids[1], self)
        dialog.open()
        return dialog
