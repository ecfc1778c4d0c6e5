"""File > Import: a wizard from the file to the applied import, showing every change before anything is written.

Steps: the file (and, for another team's spreadsheet, the kind of record and the sheet), the column mapping, the
preview (changes, conflicts, likely duplicates, rows that cannot be imported), then apply as one undo step. Reading,
planning and applying run off the UI thread with progress and Cancel.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

import importers
from importers import layouts
from importers.mapping import Mapping, guess
from importers.plan import Plan, export_meta
from importers.reading import Sheet, read
from importers.report import write_report
from storage import DISPLAY_ORDER, KINDS_BY_NAME, FieldType, Ledger
from storage.undo import last_batch
from storage.values import counted
from storage.workbook import is_own_export_of

from ..editing import Editor
from ..models.preview import (
    AddsModel,
    ChangesModel,
    ConflictsModel,
    DuplicatesModel,
    MissingModel,
    PreviewModel,
    ProblemsModel,
)
from ..workers import CANCELLED, Job, runner

KEPT = "— keep under Other columns —"  # a column no field takes: its cells go with each record, under its header
LEFT_OUT = "— leave out —"
_LEAVE_OUT = "-"  # the combo's data for a column left out, as --map writes it
SUMMARY_LINES = 8  # the preview's summary shows this many lines; more scroll


def own_csv_export_kind(sheets: list[Sheet]) -> str | None:
    """The kind whose CSV export this file is (one sheet, the export's own headers), or None."""
    shown = [sheet for sheet in sheets if not sheet.hidden]
    if len(shown) != 1 or not shown[0].rows:
        return None
    return next((k.name for k in KINDS_BY_NAME.values() if is_own_export_of(shown[0].rows[0], k)), None)


def _when(stamp: object) -> str:
    """An export's time as people read it: "2026-12-01 19:46 UTC"."""
    text = str(stamp or "")
    return f"{text[:10]} {text[11:16]} UTC" if len(text) >= 16 and text[10] == "T" else text or "an unknown time"


def _item(text: Any, tip: str | None = None) -> QTableWidgetItem:
    value = "" if text is None else str(text)
    item = QTableWidgetItem(value if len(value) <= 120 else value[:117] + "…")
    item.setToolTip(tip or (value if len(value) > 40 else ""))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _sample(value: Any) -> str:
    """A cell as the user typed it: 350000, not 350000.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    return table


class PreviewView(QTableView):
    """A preview table: a lazy model's rows, one line each; Space ticks the check box of the selected rows."""

    def __init__(self, model: PreviewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)  # one line of text a row
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_model = model

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space ticks or unticks the selected rows, whichever column the cursor is in (Qt's own only the cell)."""
        model = self.preview_model
        current = self.currentIndex()
        if event.key() == Qt.Key.Key_Space and model.check_attr is not None and current.isValid():
            rows = sorted({i.row() for i in self.selectionModel().selectedRows()} | {current.row()})
            on = not model.is_checked(current.row())
            for row in rows:
                model.set_checked(row, on)
            event.accept()
            return
        super().keyPressEvent(event)


class ImportWizard(QWizard):
    """Import a spreadsheet into the open database."""

    FILE, MAPPING, PREVIEW, DONE = range(4)

    def __init__(self, editor: Editor, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.ledger: Ledger = editor.ledger
        self.sheets: list[Sheet] = []
        self.is_export = False
        self.export_kind: str | None = None  # the kind of the app's own CSV export, which has no hidden sheet
        self.mapping: Mapping | None = None
        # another tracker's layout recognised in the file (its sheet and header row), and the sheet read through it
        self.recognised: tuple[layouts.Layout, Sheet, int] | None = None
        self.prepared: layouts.Prepared | None = None
        self.plan: Plan | None = None
        self.job: Job | None = None
        self.imported: dict[str, int] | None = None  # what apply wrote; not QDialog.result()
        self.setWindowTitle("Import a spreadsheet")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.done_page = DonePage(self)
        for page_id, page in (
            (self.FILE, self.file_page),
            (self.MAPPING, self.mapping_page),
            (self.PREVIEW, self.preview_page),
            (self.DONE, self.done_page),
        ):
            self.setPage(page_id, page)
        self.resize(980, 680)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
            self.file_page.load()

    # --- background work ------------------------------------------------------------------------------------------

    def start_job(self, work: Any, on_done: Any, label: str, *, writes: str = "") -> Job:
        """Run ``work(connection, job)`` off the UI thread, showing progress on the current page with a Cancel button.

        Args:
            work: run on the worker with its connection and the job (for progress and cancel).
            on_done: called on the UI thread with the result of ``work``.
            label: what the busy bar says meanwhile.
            writes: for a write, its undo step's name: it goes through the editor's door, as a form's save does.
        """
        page = self.currentPage() or self.file_page  # before the wizard shows, the file is being read
        bar: BusyBar = page.busy  # type: ignore[attr-defined]
        bar.start(label)
        for button in (
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
        ):
            self.button(button).setEnabled(False)

        def finished(result: Any) -> None:
            self.job = None
            bar.stop("")
            page.completeChanged.emit()
            self.button(QWizard.WizardButton.BackButton).setEnabled(True)
            on_done(result)

        def failed(message: str) -> None:
            self.job = None
            bar.stop("Cancelled: nothing was written." if message == CANCELLED else message, error=message != CANCELLED)
            page.completeChanged.emit()
            self.button(QWizard.WizardButton.BackButton).setEnabled(True)

        if writes:
            job = self.editor.in_background(
                writes, work, on_done=finished, on_failed=failed, on_progress=bar.progress, owner=self
            )
        else:
            job = Job(
                self.ledger.path,
                lambda conn: work(conn, job),
                on_done=finished,
                on_failed=failed,
                on_progress=bar.progress,
                owner=self,
            )
            runner().start(job)
        bar.on_cancel = job.cancel
        self.job = job
        return job

    def reject(self) -> None:
        """Close the wizard, cancelling the work in progress (nothing of a cancelled import is written)."""
        if self.job is not None:
            self.job.cancel()
        super().reject()


class BusyBar(QWidget):
    """A progress bar with a Cancel button and a line saying what happens, for long steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file names and cells
        self.label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.bar.hide()
        self.cancel_button.hide()
        self.on_cancel: Any = None
        self.cancel_button.clicked.connect(lambda: self.on_cancel() if self.on_cancel else None)

    def start(self, text: str) -> None:
        """Show ``text`` with a running bar and the Cancel button."""
        self.label.setStyleSheet("")
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()

    def progress(self, done: int, total: int) -> None:
        """Show ``done`` of ``total``."""
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def stop(self, text: str, *, error: bool = False) -> None:
        """Hide the bar and the Cancel button, and show ``text``, in red when it is an ``error``."""
        self.bar.hide()
        self.cancel_button.hide()
        self.label.setStyleSheet("color: #b3261e;" if error else "")
        self.label.setText(text)


class FilePage(QWizardPage):
    """The first page: the file to import, and for another team's file its sheet and the kind of records."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("The file")
        self.setSubTitle(
            "An Aid Ledger export a colleague edited, or any other team's spreadsheet (.xlsx, .xlsm, "
            ".xls, .ods or .csv)."
        )
        self.path_edit = QLineEdit()
        self._loaded = ""
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._on_browse_clicked)
        self.path_edit.editingFinished.connect(self.load)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.kind_box = QComboBox()
        for name in DISPLAY_ORDER:
            self.kind_box.addItem(KINDS_BY_NAME[name].label, name)
        self.sheet_box = QComboBox()
        self.kind_box.currentIndexChanged.connect(lambda _: self.completeChanged.emit())
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.busy = BusyBar()
        form = QFormLayout()
        form.addRow("File", row)
        form.addRow("The rows are", self.kind_box)
        form.addRow("Sheet", self.sheet_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addStretch(1)
        layout.addWidget(self.busy)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import", str(Path.home()), "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv);;All files (*)"
        )
        if path:
            self.path_edit.setText(path)
            self.load()

    def load(self) -> None:
        """Read the file's sheets (in the background: a big workbook takes a moment), once per path chosen."""
        text = self.path_edit.text().strip()
        if text == self._loaded or not shiboken6.isValid(self.w):  # losing focus is no new choice
            return
        self._loaded = text
        path = Path(text)
        self.w.sheets = []
        self.completeChanged.emit()
        if not str(path):
            return
        self.w.start_job(lambda conn, job: read(path), self._on_read, f"Reading {path.name}…")

    def _on_read(self, sheets: list[Sheet]) -> None:
        self.w.sheets = sheets
        meta = export_meta(sheets)
        self.w.export_kind = None if meta is not None else own_csv_export_kind(sheets)
        self.w.is_export = meta is not None or self.w.export_kind is not None
        self.sheet_box.clear()
        for sheet in sheets:
            if not sheet.hidden:
                self.sheet_box.addItem(f"{sheet.name} ({counted(len(sheet.rows), 'row')})", sheet.name)
        self.kind_box.setEnabled(not self.w.is_export)
        self.sheet_box.setEnabled(not self.w.is_export)
        self.w.recognised = None if self.w.is_export else layouts.recognise(sheets)
        if self.w.recognised is not None:
            layout, data, _ = self.w.recognised
            self.kind_box.setCurrentIndex(max(self.kind_box.findData(layout.kind), 0))
            self.sheet_box.setCurrentIndex(max(self.sheet_box.findData(data.name), 0))
            self.info.setText(
                f"<b>Recognised: {html.escape(layout.name)}</b>, on the sheet {html.escape(data.name)}. Its columns"
                " are read as that layout says (with the values it implies); the next step shows each one, to change."
            )
        elif self.w.export_kind is not None:
            label = KINDS_BY_NAME[self.w.export_kind].label
            self.info.setText(
                f"<b>An Aid Ledger export of {html.escape(label)}</b> as CSV: its rows come back matched by ID. Rows"
                " without an ID are new records."
            )
            self.kind_box.setCurrentIndex(max(self.kind_box.findData(self.w.export_kind), 0))
        elif meta is not None:
            self.info.setText(
                f"<b>An Aid Ledger export</b> of {html.escape(_when(meta.get('exported_at')))} from "
                f"{html.escape(str(meta.get('database', '?')))}: every sheet comes back at once, matched by ID. Rows "
                "without an ID are new records."
            )
        else:
            self.info.setText(
                f"{counted(len(sheets), 'sheet')}. Choose the kind of record the rows are, and the sheet."
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Whether the file is read and nothing is running: the user can go on."""
        return bool(self.w.sheets) and self.w.job is None

    def nextId(self) -> int:
        """An export goes straight to the preview; any other file first to its column mapping."""
        return ImportWizard.PREVIEW if self.w.is_export else ImportWizard.MAPPING

    def validatePage(self) -> bool:
        """Leave the page: guess the chosen sheet's mapping; an empty sheet stays, with a message."""
        if self.w.is_export:
            self.w.plan = None
            return True
        sheet = self.selected_sheet()
        if not sheet.rows:
            self.busy.stop(f"The sheet {sheet.name} is empty.", error=True)
            return False
        found = self.w.recognised
        if found is not None and found[1] is sheet and found[0].kind == self.kind_box.currentData():
            self.w.prepared = layouts.prepare(*found)
            self.w.mapping = self.w.prepared.mapping
            return True
        self.w.prepared = None
        self.w.mapping = guess(KINDS_BY_NAME[self.kind_box.currentData()], sheet.rows, merged=sheet.merged)
        return True

    def selected_sheet(self) -> Sheet:
        """The sheet chosen to import (read through its layout, with the columns it derives, where it has one)."""
        name = self.sheet_box.currentData()
        prepared = self.w.prepared
        if prepared is not None and prepared.sheet.name == name:
            return prepared.sheet
        return next(s for s in self.w.sheets if s.name == name)


class MappingPage(QWizardPage):
    """Each column of the file, a few of its values, and the field it fills: guessed, and changed by the user."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("The columns")
        self.setSubTitle(
            "Which field each column fills. Matched by name, by the names other trackers use, by "
            "spelling and by the values; change any that is wrong."
        )
        self.table = _table(["Column", "Values in the file", "Fills the field", "Matched by"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.defaults_form = QFormLayout()
        self.default_edits: dict[str, QLineEdit] = {}
        self.save_name = QLineEdit()
        self.save_name.setPlaceholderText("a name, to use this mapping again (optional)")
        self.saved_box = QComboBox()
        self.saved_box.activated.connect(self._on_saved_box_activated)
        self.combos: list[QComboBox] = []
        self.found_row = 0
        self.header_spin = QSpinBox()
        self.header_spin.setMinimum(1)
        self.header_spin.setToolTip("The row that names the columns; the rows above it are left out")
        self.header_spin.valueChanged.connect(self._on_header_spin_value_changed)
        self.header_note = QLabel()
        self.header_note.setStyleSheet("color: palette(placeholder-text);")
        self.busy = BusyBar()
        top = QHBoxLayout()
        top.addWidget(QLabel("Headers are on row"))
        top.addWidget(self.header_spin)
        top.addWidget(self.header_note)
        top.addSpacing(24)
        top.addWidget(QLabel("Use a saved mapping:"))
        top.addWidget(self.saved_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Required fields no column fills, a value for every row:"))
        layout.addLayout(self.defaults_form)
        layout.addWidget(self.save_name)
        layout.addWidget(self.busy)

    def initializePage(self) -> None:
        """Show the guessed mapping of the chosen sheet, and the mappings saved for its kind."""
        mapping = self.w.mapping
        assert mapping is not None
        sheet = self.w.file_page.selected_sheet()
        self.found_row = mapping.header_row
        with QSignalBlocker(self.header_spin):
            self.header_spin.setMaximum(max(len(sheet.rows), 1))
            self.header_spin.setValue(mapping.header_row + 1)
        kind = KINDS_BY_NAME[self.w.file_page.kind_box.currentData()]
        self.saved_box.clear()
        self.saved_box.addItem("(none: as matched below)", None)
        for (name,) in self.w.ledger.conn.execute(
            "SELECT name FROM import_mappings WHERE kind = ? ORDER BY name", (kind.name,)
        ):
            self.saved_box.addItem(name, name)
        self.saved_box.setEnabled(self.saved_box.count() > 1)
        self._fill()

    def _on_header_spin_value_changed(self, value: int) -> None:
        """Read the columns again with their headers on another row."""
        sheet = self.w.file_page.selected_sheet()
        kind = KINDS_BY_NAME[self.w.file_page.kind_box.currentData()]
        self.w.mapping = guess(kind, sheet.rows, header_row=value - 1, merged=sheet.merged)
        self.saved_box.setCurrentIndex(0)
        self._fill()

    def _fill(self) -> None:
        """One row per column of the file: its header, a few of its values, and the field it fills."""
        mapping = self.w.mapping
        assert mapping is not None
        kind = KINDS_BY_NAME[self.w.file_page.kind_box.currentData()]
        sheet = self.w.file_page.selected_sheet()
        self.header_note.setText(
            "(found by reading the sheet)"
            if mapping.header_row == self.found_row
            else f"(found: row {self.found_row + 1})"
        )
        body = sheet.rows[mapping.header_row + 1 : mapping.header_row + 6]
        self.table.setRowCount(0)  # the combo boxes of another header row go
        self.table.setRowCount(len(mapping.columns))
        self.combos = []
        for r, column in enumerate(mapping.columns):
            samples = "; ".join(
                _sample(row[column.index])
                for row in body
                if column.index < len(row) and row[column.index] not in (None, "")
            )
            self.table.setItem(r, 0, _item(column.header or f"(column {column.index + 1}, no header)"))
            self.table.setItem(r, 1, _item(samples))
            combo = QComboBox()
            combo.addItem(KEPT, None)
            combo.addItem(LEFT_OUT, _LEAVE_OUT)
            for f in kind.all_fields:
                if f.type is not FieldType.EXTRA:
                    combo.addItem(f.label, f.name)
            chosen = column.field or (None if column.kept else _LEAVE_OUT)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
            combo.currentIndexChanged.connect(lambda _: self._refresh_defaults())
            self.combos.append(combo)
            self.table.setCellWidget(r, 2, combo)
            self.table.setItem(r, 3, _item(column.how))
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(2, 220)
        self._refresh_defaults()

    def _on_saved_box_activated(self, index: int) -> None:
        """Set every column as the saved mapping says; columns it does not name are left out."""
        name = self.saved_box.itemData(index)
        if name is None or self.w.mapping is None:
            return
        _, saved = importers.saved_mapping(self.w.ledger, name)
        for column, combo in zip(self.w.mapping.columns, self.combos, strict=True):
            combo.setCurrentIndex(max(combo.findData(saved.get(column.name)), 0))  # not named: kept
        self.save_name.setText(name)

    def _refresh_defaults(self) -> None:
        kind = KINDS_BY_NAME[self.w.file_page.kind_box.currentData()]
        mapped = {c.currentData() for c in self.combos}
        while self.defaults_form.rowCount():
            self.defaults_form.removeRow(0)
        self.default_edits = {}
        for f in kind.stored_fields:
            if f.required and f.default is None and f.name not in mapped:
                edit = QLineEdit()
                example = " (e.g. Ukraine)" if f.ref == "actors" else ""
                edit.setPlaceholderText(f"every row's {f.label.lower()}{example}")
                edit.textChanged.connect(lambda _: self.completeChanged.emit())
                if self.w.prepared is not None:  # the likely one: what the layout implies (Ukraine, for Kiel)
                    edit.setText(self.w.prepared.layout.fixed.get(f.name, ""))
                self.default_edits[f.name] = edit
                self.defaults_form.addRow(f.label, edit)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        """Whether every required default is filled in and nothing is running."""
        return self.w.job is None and all(e.text().strip() for e in self.default_edits.values())

    def apply_to(self, mapping: Mapping) -> None:
        """Put the fields the user chose into ``mapping``, marking those the user changed."""
        for column, combo in zip(mapping.columns, self.combos, strict=True):
            chosen = combo.currentData()
            if chosen == _LEAVE_OUT:
                column.field, column.how = None, "user"
            elif chosen != column.field:
                column.field, column.how = chosen, "user" if chosen else ""

    def defaults(self) -> dict[str, str]:
        """The values typed for fields that the file leaves blank, by field name."""
        return {n: e.text().strip() for n, e in self.default_edits.items()}


class PreviewPage(QWizardPage):
    """Everything the import would do, before anything is written."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("Preview: what will change")
        self.setSubTitle("Nothing is written until you press Import. It is then one step that Edit > Undo takes back.")
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # names and cells from the file: never markup
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Shown when the database changed between this preview and the import, which then wrote nothing.
        self.stale_note = QLabel()
        self.stale_note.setWordWrap(True)
        self.stale_note.setStyleSheet("color: #9c5700; font-weight: bold")
        self.stale_note.setVisible(False)
        self.tabs = QTabWidget()
        ledger = wizard.ledger
        self.changes_model = ChangesModel(ledger, self)
        self.adds_model = AddsModel(ledger, self)
        self.conflicts_model = ConflictsModel(ledger, self)
        self.duplicates_model = DuplicatesModel(self)
        self.problems_model = ProblemsModel(self)
        self.missing_model = MissingModel(self)
        self.changes = PreviewView(self.changes_model)
        self.adds = PreviewView(self.adds_model)
        self.conflicts = PreviewView(self.conflicts_model)
        self.duplicates = PreviewView(self.duplicates_model)
        self.problems = PreviewView(self.problems_model)
        self.missing = PreviewView(self.missing_model)
        for model in (self.conflicts_model, self.duplicates_model):  # a check changes what the summary counts
            model.dataChanged.connect(self._on_check_data_changed)
        for table, label in (
            (self.changes, "Changes"),
            (self.adds, "New records"),
            (self.conflicts, "Conflicts"),
            (self.duplicates, "Likely duplicates"),
            (self.problems, "Cannot import"),
            (self.missing, "Not in the file"),
        ):
            self.tabs.addTab(table, label)
        self.delete_missing = QCheckBox("Delete the records the workbook no longer has")
        self.delete_missing.toggled.connect(self._on_delete_missing_toggled)
        self.report_button = QPushButton("Save the report…")
        self.report_button.clicked.connect(self._on_report_clicked)
        row = QHBoxLayout()
        row.addWidget(self.delete_missing)
        row.addStretch(1)
        row.addWidget(self.report_button)
        self.busy = BusyBar()
        layout = QVBoxLayout(self)
        # A long summary (ten rows that cannot be imported, new names) scrolls, and leaves the tables their room.
        self.summary_area = QScrollArea()
        self.summary_area.setWidget(self.summary)
        self.summary_area.setWidgetResizable(True)
        self.summary_area.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.stale_note)
        layout.addWidget(self.summary_area)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(row)
        layout.addWidget(self.busy)
        self.setButtonText(QWizard.WizardButton.NextButton, "Import")

    def initializePage(self) -> None:
        """Plan the import in the background, without writing, and show what it would change."""
        self.w.plan = None
        self.stale_note.setVisible(False)
        self._fill_empty()
        path = Path(self.w.file_page.path_edit.text().strip())
        options: dict[str, Any] = {"sheets": self.w.sheets}
        if self.w.is_export:
            options["delete_missing"] = self.delete_missing.isChecked()
            if self.w.export_kind is not None:  # a CSV says its kind by its headers only
                options["kind"] = self.w.export_kind
        else:
            sheet = self.w.file_page.selected_sheet()
            kind = self.w.file_page.kind_box.currentData()
            mapping = self.w.mapping
            assert mapping is not None
            self.w.mapping_page.apply_to(mapping)
            options.update(kind=kind, sheet=sheet.name, mapping=mapping, defaults=self.w.mapping_page.defaults())
            if self.w.prepared is not None and self.w.prepared.sheet is sheet:
                options.update(prepared=self.w.prepared, sheets=[sheet])
            name = self.w.mapping_page.save_name.text().strip()
            if name:
                importers.save_mapping(self.w.ledger, name, kind, mapping)

        def work(conn: Ledger, job: Job) -> Plan:
            plan, _ = importers.run(
                conn, path, dry_run=True, progress=job.report, is_cancelled=job.is_cancelled, **options
            )
            return plan

        self.options = options  # the import itself takes the same, should the database change under the preview
        self.w.start_job(work, self.show_plan, "Working out what would change…")

    def _fill_empty(self) -> None:
        for model in (
            self.changes_model,
            self.adds_model,
            self.conflicts_model,
            self.duplicates_model,
            self.problems_model,
            self.missing_model,
        ):
            model.set_items(())
        self._set_summary("")

    def show_plan(self, plan: Plan) -> None:
        """Show the plan: the tables read its lists as they are painted, so 100,000 rows show at once."""
        self.w.plan = plan
        self._set_summary(plan.summary())
        self.changes_model.set_plan(plan)
        self.adds_model.set_items(plan.adds)
        self.conflicts_model.set_items(plan.conflicts)
        self.duplicates_model.set_items(plan.duplicates)
        self.problems_model.set_items(plan.issues)
        self.missing_model.set_items(plan.missing)
        self.delete_missing.setEnabled(plan.from_export and bool(plan.missing))
        counts = {
            "Changes": self.changes_model.rowCount(),
            "New records": len(plan.adds),
            "Conflicts": len(plan.conflicts),
            "Likely duplicates": len(plan.duplicates),
            "Cannot import": len(plan.issues),
            "Not in the file": len(plan.missing),
        }
        for i in range(self.tabs.count()):
            base = self.tabs.tabText(i).split(" (")[0]
            self.tabs.setTabText(i, f"{base} ({counts[base]:,})")
        for table, widths in (
            (self.changes, (300, 150, 220)),
            (self.adds, (110, 50, 240)),
            (self.problems, (140, 60, 70)),
            (self.conflicts, (110, 260, 140, 220)),
            (self.duplicates, (110, 60, 230, 230)),
        ):
            for column, width in enumerate(widths):
                table.setColumnWidth(column, width)
        header = self.adds.horizontalHeader()
        for column in range(3, self.adds_model.columnCount()):  # each field's label whole; no cell is measured
            label = str(self.adds_model.headerData(column, Qt.Orientation.Horizontal))
            self.adds.setColumnWidth(column, max(100, header.fontMetrics().horizontalAdvance(label) + 24))
        first = next((i for i, n in enumerate(counts.values()) if n), 0)
        self.tabs.setCurrentIndex(first)
        self.completeChanged.emit()

    def _set_summary(self, text: str) -> None:
        """Show the plan's summary: as tall as its lines, up to SUMMARY_LINES whole lines; a longer one scrolls."""
        self.summary.setText(text)
        width = self.summary_area.viewport().width()
        height = self.summary.heightForWidth(width if width > 200 else 900)
        line = self.summary.fontMetrics().lineSpacing()
        # whole lines only, however the long ones wrap: the margins above and below the text, then the lines
        margins = height - line * round(height / line) if height % line else 0
        self.summary_area.setFixedHeight(max(min(height, SUMMARY_LINES * line + max(margins, 0)), 0))

    def _on_delete_missing_toggled(self, on: bool) -> None:
        if self.w.plan is not None:
            self.w.plan.delete_missing = on
            self._set_summary(self.w.plan.summary())

    def _on_check_data_changed(self, *_: object) -> None:
        """A conflict or duplicate was ticked: the summary's "skipped" and "keep" counts follow."""
        if self.w.plan is not None:
            self._set_summary(self.w.plan.summary())

    def _on_report_clicked(self) -> None:
        if self.w.plan is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the report", str(Path.home() / "import-report.xlsx"), "Excel workbook (*.xlsx)"
        )
        if path:
            try:
                write_report(self.w.plan, path)
            except OSError as exc:
                QMessageBox.warning(self, "Report not saved", f"{path}: {exc.strerror or exc}")

    def isComplete(self) -> bool:
        """Whether a plan is shown and nothing is running: the user can import."""
        return self.w.job is None and self.w.plan is not None

    def validatePage(self) -> bool:
        """Apply: the wizard moves on when the import is written."""
        if self.w.imported is not None:
            return True
        plan = self.w.plan
        assert plan is not None

        def work(conn: Ledger, job: Job) -> tuple[dict[str, int] | None, int | None]:
            try:
                _, done = importers.run(
                    conn, plan.source, plan=plan, replan=False, progress=job.report, is_cancelled=job.is_cancelled
                )
            except importers.PlanOutOfDate:
                return None, None  # written to meanwhile: nothing was written, the preview is made again
            return done, last_batch(conn)

        self.w.start_job(work, self._on_applied, "Importing…", writes=f"Import {plan.source.name}")
        return False

    def _on_applied(self, done: dict[str, int] | None) -> None:
        if done is None:
            self.initializePage()
            self.stale_note.setText(
                "The database changed after this preview was made (another window or program wrote to it). Nothing"
                " was written; this is the preview made again. Import it if it is still what you want."
            )
            self.stale_note.setVisible(True)
            return
        self.w.imported = done
        self.w.next()


class DonePage(QWizardPage):
    """The last page: what the import wrote, and that one undo takes it back."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.w = wizard
        self.setTitle("Imported")
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        """Show how many records were added, updated, deleted and created."""
        done = self.w.imported or {}
        self.text.setText(
            f"{counted(done.get('added', 0), 'record')} added, {done.get('updated', 0):,} updated, "
            f"{done.get('deleted', 0):,} deleted"
            + (f", {counted(done['created'], 'linked record')} created" if done.get("created") else "")
            + ".<br><br>Edit > Undo takes the whole import back."
        )


def open_wizard(editor: Editor, path: Path | None, parent: QWidget | None) -> ImportWizard:
    """Show the import wizard, without waiting for it to close, on ``path`` or on an empty file page."""
    wizard = ImportWizard(editor, path, parent)
    wizard.open()
    return wizard
