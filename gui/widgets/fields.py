"""One editor widget per field type, made from the field's description by ``editor_for``.

Every editor gives ``raw_value()`` (what the user entered, parsed later by storage exactly as an import would be)
and takes ``set_stored(value)`` (the value as stored). ``edited`` fires on every change so the form can validate as
the user types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import KINDS_BY_NAME, Field, FieldType, Ledger, extra
from storage.query import distinct_values, names
from storage.records import display_name
from storage.values import fold, format_date, format_number

FoldedRole = Qt.ItemDataRole.UserRole + 10
IdRole = Qt.ItemDataRole.UserRole + 11

# Text fields whose completer offers the values already in the database.

DATE_PLACEHOLDER = "2024, 2024-10, 2024-10-15 or 13 Aug 2024"


# Makes a record of a kind from its values (as one undo step); its row id, or None when it could not be made.
Create = Callable[[str, dict[str, Any]], int | None]
CreateRole = Qt.ItemDataRole.UserRole + 12  # on the completer's last row: the name to make a record of
MAX_OFFERED = 40  # names a completer offers at once: the best, not the alphabet


class NameCompleter(QCompleter):
    """Completes a reference by name or alias, ignoring case and accents, the closest names first.

    "kasc" offers "Laurynas Kasčiūnas", "zelenskyy" offers "Volodymyr Zelensky"; "Ukr" offers Ukraine before "Armed
    Forces of Ukraine" (the name itself, then a name that starts so, then a word, then anywhere). Where the kind can be
    made by name and no record has it, the last row offers "Create 'Estonia'…".

    Signals:
        create_chosen(str): the user chose to make a record of the name typed.
    """

    create_chosen = Signal(str)

    def __init__(self, names: QStandardItemModel, noun: str, creatable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = names
        self.noun = noun
        self.creatable = creatable
        # (folded name, folded name and aliases, row) of each name, read from the model once: a key costs a scan of
        # plain tuples, not a call into Qt per name (100,000 sources after a tracker's import)
        self._folded: list[tuple[str, str, int]] = []
        names.rowsInserted.connect(lambda *_: self._fold_names())
        self._fold_names()
        self.offered = QStandardItemModel(self)
        self.setModel(self.offered)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setMaxVisibleItems(12)
        self.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]

    def offer(self, text: str) -> None:
        """Offer the names that ``text`` completes, best first; the popup shows when there is anything to offer."""
        typed = fold(text)
        self.offered.clear()
        if not typed:
            self._hide_popup()
            return
        ranked = []
        for name, folded, row in self._folded:
            if name == typed:
                rank = 0
            elif name.startswith(typed):
                rank = 1
            elif f" {typed}" in f" {name}":
                rank = 2
            elif typed in folded:
                rank = 3
            else:
                continue
            ranked.append((rank, len(name), name, row))
        ranked.sort()
        for *_, row in ranked[:MAX_OFFERED]:
            self.offered.appendRow(self.names.item(row).clone())
        if self.creatable and not (ranked and ranked[0][0] == 0):
            item = QStandardItem(f"Create {self.noun} '{text.strip()}'…")
            item.setData(text.strip(), CreateRole)
            item.setToolTip(f"make a new {self.noun} named '{text.strip()}'")
            self.offered.appendRow(item)
        if self.offered.rowCount():
            self.complete()
            popup = self.popup()
            if popup is not None:  # Enter takes the best offer, as typing on would narrow them
                popup.setCurrentIndex(self.offered.index(0, 0))
        else:
            self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self.popup()
        if popup is not None:
            popup.hide()

    def _fold_names(self) -> None:
        self._folded = [
            (fold(item.text()), str(item.data(FoldedRole)), row)
            for row in range(self.names.rowCount())
            if (item := self.names.item(row)) is not None
        ]

    def pathFromIndex(self, index: Any) -> str:
        """Insert the name chosen (the name typed, for "Create …")."""
        made = index.data(CreateRole)
        return str(made if made else index.data(Qt.ItemDataRole.DisplayRole))

    def _on_activated(self, index: QModelIndex) -> None:
        made = index.data(CreateRole)
        if made:
            self.create_chosen.emit(str(made))


def name_model(ledger: Ledger, kind_name: str, parent: Any = None, types: tuple[str, ...] = ()) -> QStandardItemModel:
    """The names of a kind's records for pick lists, each with its row id and its folded name and aliases.

    ``types``: for actors, only those of these types (the Country field offers countries).
    """
    model = QStandardItemModel(parent)
    kind = KINDS_BY_NAME[kind_name]
    aliases: dict[int, str] = {}
    if kind.aliases:
        sql = f'SELECT id, "{kind.aliases}" FROM "{kind.name}"'
        aliases = {r[0]: r[1] or "" for r in ledger.conn.execute(sql)}
    where = f"type IN ({', '.join('?' * len(types))})" if types and kind_name == "actors" else ""
    for rid, name in names(ledger, kind, where=where, args=types if where else ()):
        item = QStandardItem(name)
        item.setData(rid, IdRole)
        item.setData(fold(f"{name} | {aliases.get(rid, '')}"), FoldedRole)
        if aliases.get(rid):
            item.setToolTip(f"also: {aliases[rid]}")
        model.appendRow(item)
    return model


class QuietComboBox(QComboBox):
    """A pick list that the mouse wheel changes only once it was clicked or tabbed to; else the wheel scrolls the form.

    A wheel over Donor turned Estonia into France while the user scrolled the form.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: a wheel passing over gives it no focus

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Change the value only when focused; else leave the wheel to the form around it."""
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class FieldEditor(QWidget):
    """The base of every editor.

    Signals:
        edited(): the user changed the value.
    """

    edited = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def raw_value(self) -> Any:
        """The value as typed, for storage to validate (text, an id, a flag or links)."""
        raise NotImplementedError

    def set_stored(self, value: Any) -> None:
        """Show ``value``, given as storage keeps it."""
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget to focus when the form points at this field (an error in it)."""
        return self

    def tab_widgets(self) -> list[QWidget]:
        """The widgets Tab goes through in this editor, in order."""
        return [self.focus_widget()]


class LineEditor(FieldEditor):
    """One line of text: text, URLs, currency codes, numbers, dates and amounts (parsed by storage)."""

    def __init__(self, field: Field, ledger: Ledger, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setClearButtonEnabled(field.type is not FieldType.CURRENCY)
        self.layout_.addWidget(self.edit)
        self.edit.textEdited.connect(lambda _: self.edited.emit())
        if field.type is FieldType.DATE:
            self.edit.setPlaceholderText(DATE_PLACEHOLDER)
        elif field.type is FieldType.AMOUNT:
            self.edit.setPlaceholderText("EUR 234 million, 234,000,000 or 2.4m")
        elif field.type is FieldType.URL:
            self.edit.setPlaceholderText("https://…")
        elif field.type is FieldType.CURRENCY:
            self.edit.setMaximumWidth(80)
            self.layout_.addStretch(1)
        if field.type is FieldType.TEXT and field.completes:
            completer = QCompleter(distinct_values(ledger, kind, field.name), self.edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.edit.setCompleter(completer)
        self.setFocusProxy(self.edit)

    def raw_value(self) -> Any:
        """The text typed."""
        return self.edit.text()

    def set_stored(self, value: Any) -> None:
        """Show a stored value as the user types it: dates and numbers as they are written."""
        if value is None:
            text = ""
        elif self.field.type is FieldType.DATE:
            text = format_date(value)
        elif self.field.type in (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER) and isinstance(
            value, int | float
        ):
            text = format_number(value)
        else:
            text = str(value)
        self.edit.setText(text)

    def focus_widget(self) -> QWidget:
        """The line edit."""
        return self.edit


class LongTextEditor(FieldEditor):
    """Free text over several lines; Tab moves on to the next field."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        self.layout_.addWidget(self.edit)
        self.edit.textChanged.connect(self.edited.emit)
        self.setFocusProxy(self.edit)

    def raw_value(self) -> Any:
        """The text typed."""
        return self.edit.toPlainText()

    def set_stored(self, value: Any) -> None:
        """Show the stored text."""
        self.edit.blockSignals(True)
        self.edit.setPlainText("" if value is None else str(value))
        self.edit.blockSignals(False)

    def focus_widget(self) -> QWidget:
        """The text edit."""
        return self.edit


class ChoiceEditor(FieldEditor):
    """A pick list of the field's vocabulary; typing the first letters picks, as in any combo box."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QuietComboBox()
        self.combo.addItem("", None)
        for value in field.vocab:
            self.combo.addItem(value[:1].upper() + value[1:], value)
        self.layout_.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(lambda _: self.edited.emit())
        self.setFocusProxy(self.combo)

    def raw_value(self) -> Any:
        """The vocabulary value picked, or None."""
        return self.combo.currentData()

    def set_stored(self, value: Any) -> None:
        """Pick the stored vocabulary value (the blank entry when it is not one)."""
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        """The pick list."""
        return self.combo


class RefCombo(QuietComboBox):
    """An editable pick list of a kind's records by name, completing on names and aliases; it can make one.

    ``field`` (a REF or LINKS field) says which actors it offers and what type one made from it gets; ``create``
    makes the record (as one undo step) and returns its row id, or None when it could not.

    Signals:
        created(int): a record was made from the name typed, and picked.
    """

    created = Signal(int)

    def __init__(
        self,
        ledger: Ledger,
        target: str,
        parent: QWidget | None = None,
        *,
        field: Field | None = None,
        create: Create | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.target = target
        self.field = field
        self._create = create
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(name_model(ledger, target, self, field.offers if field else ()))
        self.setCompleter(None)  # type: ignore[arg-type]  # stubs lack None; ranked names offered below
        kind = KINDS_BY_NAME[target]
        noun = field.creates if field and field.creates else kind.singular.lower()
        self.completer_ = NameCompleter(self.model(), noun, create is not None and kind.creatable, self)  # type: ignore[arg-type]
        self.setCurrentIndex(-1)
        line = self.lineEdit()
        if line is not None:  # an editable combo box always has one
            self.completer_.setWidget(line)
            line.textEdited.connect(self.completer_.offer)
            self.completer_.activated[str].connect(self._on_completer_activated)  # type: ignore[index]
            self.completer_.create_chosen.connect(self._on_create_chosen)
            article = "an" if kind.singular[0].lower() in "aeiou" else "a"
            line.setPlaceholderText(f"type to find {article} {kind.singular.lower()}")

    def add_record(self, rid: int, name: str) -> int:
        """Offer record ``rid`` (made since the list was read); returns its row."""
        model = self.model()
        assert isinstance(model, QStandardItemModel)
        found = next((r for r in range(model.rowCount()) if model.item(r).data(IdRole) == rid), None)
        if found is not None:
            return found
        item = QStandardItem(name)
        item.setData(rid, IdRole)
        item.setData(fold(name), FoldedRole)
        model.appendRow(item)
        return model.rowCount() - 1

    def _on_completer_activated(self, text: str) -> None:
        line = self.lineEdit()
        if line is not None:
            line.setText(text)
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)

    def _on_create_chosen(self, name: str) -> None:
        assert self._create is not None
        kind = KINDS_BY_NAME[self.target]
        values: dict[str, Any] = dict(kind.made_from_name(name))  # a web address names a source by its URL
        if self.target == "actors":
            values["type"] = self.field.creates if self.field and self.field.creates else "country"
        rid = self._create(self.target, values)
        if rid is None:
            return
        shown = str(values[kind.title_field])
        for other in self.window().findChildren(RefCombo):  # the form's other pickers of this kind know it too
            if other is not self and other.target == self.target:
                other.add_record(rid, shown)
        self.setCurrentIndex(self.add_record(rid, shown))
        self.created.emit(rid)
        self.editTextChanged.emit(name)  # the form checks it again: the name is a record now

    def raw_value(self) -> Any:
        """The row id of the record picked or typed in full, else the text typed (a name to resolve), or None."""
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.itemData(index, IdRole)
        return text

    def set_id(self, rid: int | None) -> None:
        """Show the record with row id ``rid``, or nothing for None."""
        if rid is None:
            self.setCurrentIndex(-1)
            self.setEditText("")
            return
        row = next((r for r in range(self.count()) if self.itemData(r, IdRole) == rid), None)
        if row is None:  # a record the list does not offer (a coalition typed as a country): shown all the same
            name = display_name(self.ledger, self.target, rid)
            if not name:
                self.setEditText("")
                return
            row = self.add_record(rid, name)
        self.setCurrentIndex(row)
        line = self.lineEdit()
        if line is not None:
            line.setCursorPosition(0)  # a long title shows its start, not its end


class RefEditor(FieldEditor):
    """A reference to one record of another kind, picked or typed by name."""

    def __init__(
        self, field: Field, ledger: Ledger, parent: QWidget | None = None, create: Create | None = None
    ) -> None:
        super().__init__(field, parent)
        self.combo = RefCombo(ledger, field.ref or "", field=field, create=create)
        self.layout_.addWidget(self.combo)
        self.combo.editTextChanged.connect(lambda _: self.edited.emit())
        self.combo.currentIndexChanged.connect(lambda _: self.edited.emit())
        self.setFocusProxy(self.combo)

    def raw_value(self) -> Any:
        """The record's row id, or the name typed (see ``RefCombo.raw_value``)."""
        return self.combo.raw_value()

    def set_stored(self, value: Any) -> None:
        """Show the record that the stored row id points to."""
        self.combo.set_id(value)

    def focus_widget(self) -> QWidget:
        """The completing box."""
        return self.combo


class BoolEditor(FieldEditor):
    """A yes/no field as a check box, labelled with its help."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.box = QCheckBox(field.help[:1].upper() + field.help[1:] if field.help else field.label)
        self.layout_.addWidget(self.box)
        self.box.toggled.connect(lambda _: self.edited.emit())
        self.setFocusProxy(self.box)

    def raw_value(self) -> Any:
        """Whether the box is ticked."""
        return self.box.isChecked()

    def set_stored(self, value: Any) -> None:
        """Tick the box for a true value."""
        self.box.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        """The check box."""
        return self.box


class LinksEditor(FieldEditor):
    """The links of a record to others (participants, parties, sources), each with its extra values."""

    def __init__(
        self, field: Field, ledger: Ledger, parent: QWidget | None = None, create: Create | None = None
    ) -> None:
        super().__init__(field, parent)
        assert field.link is not None
        self.ledger = ledger
        self.create_record = create
        # The extra values a link to a record starts with, when its boxes are still empty (a participant's role).
        self.suggest: Callable[[int], dict[str, Any]] | None = None
        self.link = field.link
        box = QVBoxLayout()
        box.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 1 + len(self.link.extras))
        target = KINDS_BY_NAME[self.link.target]
        self.table.setHorizontalHeaderLabels([target.singular, *(x.label for x in self.link.extras)])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(150)
        self.table.setTabKeyNavigation(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys go to the pickers and boxes in its cells
        buttons = QHBoxLayout()
        self.add_button = QPushButton(f"Add {target.singular.lower()}")
        self.remove_button = QPushButton("Remove")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self._on_remove_clicked)
        box.addWidget(self.table)
        box.addLayout(buttons)
        self.layout_.addLayout(box)

    def add_row(self, link: dict[str, Any] | None = None) -> RefCombo:
        """Add a row for one link (an empty one, focused, when ``link`` is None); returns its record picker."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = RefCombo(self.ledger, self.link.target, field=self.field, create=self.create_record)
        combo.set_id(link.get("target_id") if link else None)
        combo.editTextChanged.connect(lambda _: self.edited.emit())
        combo.currentIndexChanged.connect(lambda _: self._suggest_for(combo))
        self.table.setCellWidget(row, 0, combo)
        for i, link_field in enumerate(self.link.extras, start=1):
            if link_field.type is FieldType.CHOICE:
                widget: QWidget = ChoiceEditor(link_field)
                widget.set_stored((link or {}).get(link_field.name, link_field.default))  # type: ignore[attr-defined]
                widget.edited.connect(self.edited.emit)  # type: ignore[attr-defined]
            else:
                edit = QLineEdit()
                value = (link or {}).get(link_field.name)
                if link_field.type is FieldType.DATE:
                    edit.setPlaceholderText("2024 or 2024-05")
                    value = format_date(value) if value else value
                edit.setText("" if value is None else str(value))
                edit.textEdited.connect(lambda _: self.edited.emit())
                widget = edit
            self.table.setCellWidget(row, i, widget)
        self.table.resizeRowsToContents()
        if link is None:
            combo.setFocus()
            self.edited.emit()
        return combo

    def tab_widgets(self) -> list[QWidget]:
        """Each row's picker and boxes, in order, then the buttons."""
        cells = [
            self.table.cellWidget(r, c) for r in range(self.table.rowCount()) for c in range(self.table.columnCount())
        ]
        return [*(w for w in cells if w is not None), self.add_button, self.remove_button]

    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)
            self.edited.emit()

    def raw_value(self) -> Any:
        """The links as rows of target and extras; rows with no record picked are left out."""
        links = []
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 0)
            assert isinstance(combo, RefCombo)
            target = combo.raw_value()
            if target is None:
                continue
            link: dict[str, Any] = {"target": target}
            for i, link_field in enumerate(self.link.extras, start=1):
                widget = self.table.cellWidget(row, i)
                link[link_field.name] = widget.raw_value() if isinstance(widget, FieldEditor) else widget.text()  # type: ignore[attr-defined]
            links.append(link)
        return links

    def set_stored(self, value: Any) -> None:
        """Show the stored links, one row each."""
        self.table.setRowCount(0)
        for link in value or []:
            self.add_row(link)

    def _suggest_for(self, combo: RefCombo) -> None:
        target = combo.raw_value()
        if self.suggest is None or not isinstance(target, int):
            return
        row = next((r for r in range(self.table.rowCount()) if self.table.cellWidget(r, 0) is combo), None)
        if row is None:
            return
        for name, value in self.suggest(target).items():
            column = 1 + [x.name for x in self.link.extras].index(name)
            widget = self.table.cellWidget(row, column)
            if value and isinstance(widget, QLineEdit) and not widget.text():
                widget.setText(str(value))  # a suggestion: the user changes it as they like
                self.edited.emit()

    def current_target(self) -> tuple[int, Any] | None:
        """The row the user is on (else the first) and the record it links to, or None with no row."""
        if not self.table.rowCount():
            return None
        row = max(self.table.currentRow(), 0)
        combo = self.table.cellWidget(row, 0)
        assert isinstance(combo, RefCombo)
        return row, combo.raw_value()

    def set_extra(self, row: int, name: str, text: str) -> None:
        """Put ``text`` in the extra value ``name`` (a citation's quote) of link row ``row``."""
        column = 1 + [x.name for x in self.link.extras].index(name)
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QLineEdit):
            widget.setText(text)
            self.edited.emit()

    def refresh_targets(self, select_id: int | None = None) -> None:
        """Reload the pick lists (a record was just created elsewhere), keeping the rows, and link ``select_id``."""
        current = self.raw_value()
        self.table.setRowCount(0)
        for link in current:
            target = link.pop("target")
            combo = self.add_row({"target_id": target if isinstance(target, int) else None, **link})
            if not isinstance(target, int):
                combo.setEditText(str(target))
        if select_id is not None:
            self.add_row({"target_id": select_id})
        self.edited.emit()


class ExtraEditor(FieldEditor):
    """A record's extra values: the columns of the file it came from that no field takes, each under its header.

    The values can be corrected or cleared; a value left as it was keeps its type (a number stays a number).
    """

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Column", "Value"])
        self.table.verticalHeader().setVisible(False)
        # one line a value, the header cut where long (its tooltip has it whole): a tracker has dozens
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 260)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setTabKeyNavigation(False)
        self.table.itemChanged.connect(lambda _: self.edited.emit())
        self.layout_.addWidget(self.table)
        self._given: list[tuple[str, Any]] = []

    def set_stored(self, value: Any) -> None:
        """Show the stored values, one row each."""
        try:
            values = extra.from_text(value)
        except ValueError:  # damaged behind the app's back (`check` names it): shown whole, to be corrected
            values = {"(as stored)": str(value)}
        self._given = list(values.items())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._given))
        for row, (header, given) in enumerate(self._given):
            name = QTableWidgetItem(header)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setToolTip(header)
            self.table.setItem(row, 0, name)
            value = QTableWidgetItem("" if given is None else str(given))
            value.setToolTip(value.text())
            self.table.setItem(row, 1, value)
        self.table.blockSignals(False)
        shown = min(max(len(self._given), 2), 10)  # up to ten rows at once; more scroll
        rows = shown * self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(rows + self.table.horizontalHeader().sizeHint().height() + 4)

    def raw_value(self) -> Any:
        """The values by header; one cleared is left out, one not edited is as it was stored."""
        values: dict[str, Any] = {}
        for row, (header, given) in enumerate(self._given):
            item = self.table.item(row, 1)
            text = item.text().strip() if item is not None else ""
            if text:
                values[header] = given if text == str(given) else text
        return values

    def is_empty(self) -> bool:
        """Whether the record has no extra values (most records typed in the form)."""
        return not self._given

    def focus_widget(self) -> QWidget:
        """The table."""
        return self.table


def editor_for(field: Field, ledger: Ledger, kind: str, create: Create | None = None) -> FieldEditor:
    """The editor that fits a field; ``create`` lets a reference make the record a name typed in it names."""
    if field.type is FieldType.EXTRA:
        return ExtraEditor(field)
    if field.type is FieldType.LONG_TEXT:
        return LongTextEditor(field)
    if field.type is FieldType.CHOICE:
        return ChoiceEditor(field)
    if field.type is FieldType.REF:
        return RefEditor(field, ledger, create=create)
    if field.type is FieldType.BOOL:
        return BoolEditor(field)
    if field.type is FieldType.LINKS:
        return LinksEditor(field, ledger, create=create)
    return LineEditor(field, ledger, kind)
