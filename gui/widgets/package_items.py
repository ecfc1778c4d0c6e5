"""A package's aid items, shown and edited together inside the package's form."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget

from storage import records as rec
from storage.query import Filters

from ..delegates.field_delegate import FieldDelegate
from ..editing import Editor
from ..models.record_table import RecordTableModel

SHOWN = ("item", "category", "quantity_committed", "unit", "value_eur", "status", "announced_on", "delivered_on")


class PackageItems(QWidget):
    """The items of one package: edit them in place, open one, add one, or duplicate one into the package."""

    def __init__(self, editor: Editor, package_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.package_id = package_id
        self.model = RecordTableModel(editor.ledger, "aid", edit=self._edit_cell, parent=self)
        self.model.set_filters(Filters(equals=(("package", package_id),)))
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(FieldDelegate(editor.ledger, self.view, create=editor.try_insert))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setMinimumHeight(160)
        for i, col in enumerate(self.model.columns):
            self.view.setColumnHidden(i, col.name not in SHOWN)
        self.view.horizontalHeader().resizeSection(self.model.column_of("item"), 260)
        self.view.doubleClicked.connect(lambda index: self.open_item(self.model.record_id(index.row())))
        self.add_button = QPushButton("Add item…")
        self.duplicate_button = QPushButton("Duplicate item…")
        self.open_button = QPushButton("Open item…")
        self.add_button.clicked.connect(lambda: self.add_item())
        self.duplicate_button.clicked.connect(lambda: self.duplicate_item())
        self.open_button.clicked.connect(lambda: self.open_item())
        buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        editor.records_changed.connect(self._on_records_changed)

    def _edit_cell(self, rid: int, field: str, value: Any) -> None:
        self.editor.update("aid", rid, {field: value})

    def _on_records_changed(self, kinds: set[str], ids: set[int]) -> None:
        if "aid" in kinds or "actors" in kinds:
            self.model.refresh()

    def _selected(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def open_item(self, rid: int | None = None) -> Any:
        """Open the form of item ``rid`` (the selected one by default); returns it, or None."""
        from ..dialogs.record_form import RecordForm

        rid = rid if rid is not None else self._selected()
        if rid is None:
            return None
        form = RecordForm(self.editor, "aid", rid, parent=self)
        form.open()
        return form

    def add_item(self, initial: dict[str, Any] | None = None) -> Any:
        """Open the form for a new item of the package, with its donor, recipient and date, and ``initial``."""
        from ..dialogs.record_form import RecordForm

        package = rec.get(self.editor.ledger, "packages", self.package_id)
        values = {
            "package": self.package_id,
            "donor": package["donor"],
            "recipient": package["recipient"],
            "announced_on": package["announced_on"],
            **(initial or {}),
        }
        form = RecordForm(self.editor, "aid", initial=values, parent=self)
        form.open()
        return form

    def duplicate_item(self) -> Any:
        """Open the form for a new item with the values of the selected one; None when none is."""
        rid = self._selected()
        if rid is None:
            return None
        record = rec.get(self.editor.ledger, "aid", rid)
        return self.add_item({k: v for k, v in record.items() if k not in ("id", "uid", "created_at", "updated_at")})
