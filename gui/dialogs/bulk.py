"""Dialogs that change many records at once, each as one undoable step."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from storage import KINDS_BY_NAME, FieldType, UserError, ValidationError
from storage import records as rec
from storage.merge import merge

from ..editing import Editor
from ..widgets.fields import FieldEditor, RefCombo, editor_for

ERROR_STYLE = "color: #b3261e;"


class EditFieldDialog(QDialog):
    """Set one field of every selected record to one value."""

    def __init__(self, editor: Editor, kind: str, ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.kind = KINDS_BY_NAME[kind]
        self.ids = ids
        self.setWindowTitle(f"Edit {len(ids)} {self.kind.label.lower()}")
        self.field_box = QComboBox()
        for f in self.kind.all_fields:
            if f.type not in (FieldType.LINKS, FieldType.EXTRA):
                self.field_box.addItem(f.label, f.name)
        self.form = QFormLayout()
        self.form.addRow("Field", self.field_box)
        self.value_editor: FieldEditor | None = None
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Set one field of the {len(ids)} selected {self.kind.label.lower()} to one value."))
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.field_box.currentIndexChanged.connect(self._on_field_changed)
        self._on_field_changed()
        self.resize(520, 200)

    def _on_field_changed(self) -> None:
        if self.value_editor is not None:
            self.form.removeRow(1)
        f = self.kind.field(self.field_box.currentData())
        self.value_editor = editor_for(f, self.editor.ledger, self.kind.name)
        self.form.addRow("Value", self.value_editor)
        self.error.clear()

    def select_field(self, name: str) -> None:
        """Preselect the field named ``name``."""
        self.field_box.setCurrentIndex(self.field_box.findData(name))

    def apply(self) -> bool:
        """Set the field on every selected record as one undo step; False, with the error shown, when refused."""
        assert self.value_editor is not None
        name = self.field_box.currentData()
        value: Any = self.value_editor.raw_value()
        label = f"Set {self.kind.field(name).label} of {len(self.ids)} {self.kind.label.lower()}"
        try:
            with self.editor.action(label):
                for rid in self.ids:
                    rec.update(self.editor.ledger, self.kind, rid, {name: value})
        except (UserError, ValidationError) as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


class MergeDialog(QDialog):
    """Merge two records of a kind: pick the one to keep; every reference to the other moves to it."""

    def __init__(self, editor: Editor, kind: str, first: int, second: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.kind = KINDS_BY_NAME[kind]
        self.ids = (first, second)
        self.setWindowTitle(f"Merge two {self.kind.label.lower()}")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Keep which one? Everything that points to the other will point to it, its empty "
                "fields are filled from the other"
                + (", and the other's name becomes an alias." if KINDS_BY_NAME[kind].aliases else ".")
            )
        )
        self.choices = []
        for rid in self.ids:
            radio = QRadioButton(rec.display_name(editor.ledger, self.kind, rid) or f"#{rid}")
            self.choices.append(radio)
            layout.addWidget(radio)
        self.choices[0].setChecked(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def apply(self) -> bool:
        """Merge the two records as one undo step; False, with the error shown, when refused."""
        keep, drop = self.ids if self.choices[0].isChecked() else self.ids[::-1]
        try:
            with self.editor.action(f"Merge {self.kind.label.lower()}"):
                merge(self.editor.ledger, self.kind, keep, drop)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


class MoveReferencesDialog(QDialog):
    """An actor still in use is deleted only by saying where its references go (a merge into that actor)."""

    def __init__(
        self, editor: Editor, kind: str, rid: int, refs: list[tuple[str, str, int]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.kind = KINDS_BY_NAME[kind]
        self.rid = rid
        name = rec.display_name(editor.ledger, self.kind, rid)
        self.setWindowTitle(f"Delete {name}")
        used = "\n".join(
            f"  • {n} {KINDS_BY_NAME[k].label.lower()} ({KINDS_BY_NAME[k].field(f).label})" for k, f, n in refs
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"'{name}' is still used by:\n{used}\n\nMove these references to:"))
        self.target = RefCombo(editor.ledger, kind)
        layout.addWidget(self.target)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Move references and delete")
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def apply(self) -> bool:
        """Move the references to the record picked and delete this one; False, with the reason shown, when not."""
        target = self.target.raw_value()
        try:
            keep = rec.resolve(self.editor.ledger, self.kind, target) if target is not None else None
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        if keep is None or keep == self.rid:
            self.error.setText(f"Pick another {self.kind.singular.lower()} to move the references to.")
            return False
        try:
            with self.editor.action(f"Delete {self.kind.singular.lower()}"):
                merge(self.editor.ledger, self.kind, keep, self.rid, absorb=False)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True
