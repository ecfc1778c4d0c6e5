"""File > Restore from a backup: each backup with its date and record counts; restoring keeps what it replaces."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger, UserError
from storage.backups import Backup, backups, restore


class RestoreDialog(QDialog):
    """Pick a backup and put it back; the state it replaces is itself kept as a backup first."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None, confirm: object = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.backups: list[Backup] = backups(ledger.path)
        self.restored: Backup | None = None
        self._confirm = confirm or self._ask
        self.setWindowTitle("Restore from a backup")
        headers = ["Taken (UTC)", "Why", *(KINDS_BY_NAME[k].label for k in DISPLAY_ORDER)]
        self.table = QTableWidget(len(self.backups), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, b in enumerate(self.backups):
            cells = [
                f"{b.taken_at:%Y-%m-%d %H:%M:%S}",
                b.reason,
                *(f"{b.counts[k]:,}" if k in b.counts else "?" for k in DISPLAY_ORDER),
            ]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        text = (
            (
                f"Backups of {ledger.path.name}, newest first. Restoring one replaces every record with the "
                "backup's; the records as they are now are backed up first."
            )
            if self.backups
            else ("There are no backups of this database yet (File > Back up now makes one).")
        )
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 360)

    def selected(self) -> Backup | None:
        """The backup selected in the list, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def apply(self) -> bool:
        """Restore the selected backup once the user confirms; False when not restored."""
        chosen = self.selected()
        if chosen is None or not self._confirm(self, chosen):  # type: ignore[operator]
            return False
        try:
            restore(self.ledger, chosen.path)
        except UserError as exc:
            QMessageBox.warning(self, "Not restored", str(exc))
            return False
        self.restored = chosen
        self.accept()
        return True

    @staticmethod
    def _ask(parent: QWidget, chosen: Backup) -> bool:
        answer = QMessageBox.question(
            parent,
            "Restore this backup?",
            f"Replace every record with those of the backup taken {chosen.taken_at:%Y-%m-%d %H:%M} UTC?\n\n"
            "The records as they are now are backed up first, so this can be taken back.",
        )
        return answer == QMessageBox.StandardButton.Yes
