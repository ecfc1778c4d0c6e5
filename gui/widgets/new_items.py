"""The items of a package not saved yet: typed in its form, saved with it as one step."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableWidget, QVBoxLayout, QWidget

from storage import KINDS_BY_NAME

from .fields import QuietComboBox

COLUMNS = ("item", "category", "quantity_committed", "value")  # what an article says of each item


class NewItems(QWidget):
    """Rows of a new package's items (item, category, quantity, value); the package lends them the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        aid = KINDS_BY_NAME["aid"]
        self.fields = [aid.field(name) for name in COLUMNS]
        self.table = QTableWidget(0, len(self.fields))
        self.table.setHorizontalHeaderLabels([f.label for f in self.fields])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(1, len(self.fields)):  # a few rows: each label read whole ("Quantity committed")
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(170)
        self.table.setTabKeyNavigation(False)
        self.add_button = QPushButton("Add item")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add_row(self) -> QLineEdit:
        """A row for one more item, its first box focused; returns that box."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        first = None
        for column, f in enumerate(self.fields):
            widget: QWidget
            if f.vocab:
                combo = QuietComboBox()
                for value in f.vocab:
                    combo.addItem(value[:1].upper() + value[1:], value)
                combo.setCurrentIndex(max(combo.findData(f.default), 0))
                widget = combo
            else:
                edit = QLineEdit()
                edit.setPlaceholderText(f.help.split(";")[0] if f.type.name == "AMOUNT" else "")
                widget = edit
                first = first or edit
            self.table.setCellWidget(row, column, widget)
        self.table.resizeRowsToContents()
        assert first is not None
        first.setFocus()
        return first

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow() if self.table.currentRow() >= 0 else self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)

    def values(self) -> list[dict[str, Any]]:
        """Each row with an item, as the aid item's values (as typed: storage reads them)."""
        found = []
        for row in range(self.table.rowCount()):
            values: dict[str, Any] = {}
            for column, f in enumerate(self.fields):
                widget = self.table.cellWidget(row, column)
                value = widget.currentData() if isinstance(widget, QuietComboBox) else widget.text().strip()  # type: ignore[attr-defined]
                if value not in (None, ""):
                    values[f.name] = value
            if values.get("item"):
                found.append(values)
        return found

    def tab_widgets(self) -> list[QWidget]:
        """Each row's boxes, then the buttons, for the form's Tab order."""
        cells = [self.table.cellWidget(r, c) for r in range(self.table.rowCount()) for c in range(len(self.fields))]
        return [*(w for w in cells if w is not None), self.add_button, self.remove_button]
