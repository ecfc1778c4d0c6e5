"""Editing a table cell with the editor its field needs: a pick list, a name completer, or a line of text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from storage import FieldType, Ledger
from storage.values import format_date, format_number

from ..models.record_table import RecordTableModel
from ..widgets.fields import Create, RefCombo

Index = QModelIndex | QPersistentModelIndex


class FieldDelegate(QStyledItemDelegate):
    """Cell editors for a RecordTableModel; what is typed is validated by storage as in the form."""

    def __init__(self, ledger: Ledger, parent: Any = None, create: Create | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.create = create  # a reference's cell can make the record a name typed in it names

    def _field(self, index: Index) -> Any:
        model = index.model()
        assert isinstance(model, RecordTableModel)
        return model.columns[index.column()].field

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """An editor for the cell's field: a list for a choice or a flag, a completer for a reference, or a line."""
        f = self._field(index)
        if f.type is FieldType.CHOICE:
            combo = QComboBox(parent)
            combo.addItem("", None)
            for value in f.vocab:
                combo.addItem(value[:1].upper() + value[1:], value)
            return combo
        if f.type is FieldType.REF:
            return RefCombo(self.ledger, f.ref, parent, field=f, create=self.create)
        if f.type is FieldType.BOOL:
            combo = QComboBox(parent)
            combo.addItem("no", False)
            combo.addItem("yes", True)
            return combo
        return QLineEdit(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Show the cell's value in the editor."""
        f = self._field(index)
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, RefCombo):
            found = editor.findText(value or "", Qt.MatchFlag.MatchFixedString)
            if found >= 0:
                editor.setCurrentIndex(found)
            else:  # a record the list does not offer: its name, so that leaving the cell keeps it
                editor.setEditText(value or "")
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(bool(value) if f.type is FieldType.BOOL else value), 0))
        elif isinstance(editor, QLineEdit):
            if value is None:
                text = ""
            elif f.type is FieldType.DATE:
                text = format_date(value)
            elif f.type in (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER):
                text = format_number(value)
            else:
                text = str(value)
            editor.setText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Give the editor's value to the model, which validates and writes it."""
        if isinstance(editor, RefCombo):
            value: Any = editor.raw_value()
        elif isinstance(editor, QComboBox):
            value = editor.currentData()
        else:
            assert isinstance(editor, QLineEdit)
            value = editor.text()
        model.setData(index, value, Qt.ItemDataRole.EditRole)
