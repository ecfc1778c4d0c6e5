"""File > Export to Excel: choose what and where, then export off the UI thread with progress and Cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from exporters import csv_export, xlsx
from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger
from storage.query import Filters

from ..workers import CANCELLED, Job, runner


def default_export_path(ledger: Ledger) -> Path:
    """Where an export goes unless the user says otherwise: the Documents folder, named for the database and the day."""
    folder = Path.home() / "Documents"
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"{ledger.path.stem}-{dt.date.today().isoformat()}.xlsx"


class ExportDialog(QDialog):
    """Export every record, or the records the current table shows, to an Excel workbook or a CSV file."""

    def __init__(
        self,
        ledger: Ledger,
        kind: str | None,
        filters: Filters | None,
        parent: QWidget | None = None,
        ask_open_folder: Any = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.kind = kind
        self.filters = filters or Filters()
        self.job: Job | None = None
        self.progress: QProgressDialog | None = None
        self.report: xlsx.ExportReport | None = None
        self._ask_open_folder = ask_open_folder or self._offer_open_folder
        self.setWindowTitle("Export")
        self.all_button = QRadioButton("Every record, each kind on its own sheet")
        shown = KINDS_BY_NAME[kind].label.lower() if kind else ""
        what = "that match the current search and filters" if self.filters.active else "(no filter is set)"
        self.shown_button = QRadioButton(f"Only the {shown} {what}")
        self.shown_button.setEnabled(kind is not None)
        group = QButtonGroup(self)
        group.addButton(self.all_button)
        group.addButton(self.shown_button)
        (self.shown_button if kind is not None and self.filters.active else self.all_button).setChecked(True)
        self.path_edit = QLineEdit(str(default_export_path(ledger)))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.shorten_box = QCheckBox("Shorten texts longer than an Excel cell holds (marked, and listed after)")
        self.shorten_box.setChecked(True)
        self.shorten_box.setToolTip("Otherwise the export stops at the first such text and says which it is.")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>What</b>"))
        layout.addWidget(self.all_button)
        layout.addWidget(self.shown_button)
        layout.addWidget(QLabel("<b>Where</b> (.xlsx for a workbook; .csv for the one kind shown)"))
        layout.addLayout(row)
        layout.addWidget(self.shorten_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 260)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), "Excel workbook (*.xlsx);;CSV, one kind (*.csv)"
        )
        if path:
            self.path_edit.setText(path)

    def _plan(self) -> tuple[list[str], dict[str, Filters]]:
        if self.shown_button.isChecked() and self.kind is not None:
            return [self.kind], {self.kind: self.filters}
        return list(DISPLAY_ORDER), {}

    def start(self) -> Job | None:
        """Start the export in the background; the dialog shows progress and can cancel it."""
        path = Path(self.path_edit.text().strip()).expanduser()
        kinds, filters = self._plan()
        if path.suffix.lower() not in (".xlsx", ".csv"):
            self.error.setText("The file must end in .xlsx (a workbook) or .csv (one kind of record).")
            return None
        if path.suffix.lower() == ".csv" and len(kinds) != 1:
            self.error.setText("A CSV file holds one kind of record: choose 'Only the … shown', or .xlsx.")
            return None
        long_text = "shorten" if self.shorten_box.isChecked() else "refuse"

        def work(reader: Ledger) -> xlsx.ExportReport:
            if path.suffix.lower() == ".csv":
                return csv_export.run(
                    reader,
                    path,
                    kind=kinds[0],
                    filters=filters.get(kinds[0]),
                    progress=job.report,
                    is_cancelled=job.is_cancelled,
                )
            return xlsx.run(
                reader,
                path,
                kinds=kinds,
                filters=filters,
                long_text=long_text,
                progress=job.report,
                is_cancelled=job.is_cancelled,
            )

        job = Job(
            self.ledger.path,
            work,
            on_done=self._on_done,
            on_failed=self._on_failed,
            on_progress=self._on_progress,
            owner=self,
        )
        self.progress = QProgressDialog("Exporting…", "Cancel", 0, 0, self)
        self.progress.setWindowTitle("Export")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(job.cancel)
        self.export_button.setEnabled(False)
        self.error.clear()
        self.job = runner().start(job)
        return self.job

    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            self.progress.setLabelText(f"Exporting… {done:,} of {total:,} records")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress = None
        self.export_button.setEnabled(True)
        self.job = None

    def _on_done(self, report: xlsx.ExportReport) -> None:
        self._close_progress()
        self.report = report
        self.accept()
        self._ask_open_folder(self.parentWidget(), report)

    def _on_failed(self, message: str) -> None:
        self._close_progress()
        if message == CANCELLED:
            self.error.setText("Export cancelled; no file was written.")
        else:
            self.error.setText(message)

    @staticmethod
    def _offer_open_folder(parent: QWidget | None, report: xlsx.ExportReport) -> None:
        text = report.describe()
        if report.shortened:
            text += "\n\nShortened:\n" + "\n".join(report.shortened[:20])
        box = QMessageBox(QMessageBox.Icon.Information, "Export done", text, QMessageBox.StandardButton.Close, parent)
        open_button = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.path.parent)))
