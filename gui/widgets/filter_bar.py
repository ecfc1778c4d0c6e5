"""The search box and filters above a record table, made from the kind's description."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from storage import KINDS_BY_NAME, FieldType, Ledger
from storage.query import Filters, distinct_values, names
from storage.values import parse_date

SEARCH_DELAY_MS = 250


class FilterBar(QWidget):
    """Full-text search, one pick list per filter field, and a date range.

    Signals:
        changed(filters): the user changed what the table shows.
    """

    changed = Signal(object)

    def __init__(self, ledger: Ledger, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.kind = KINDS_BY_NAME[kind]
        rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 6, 6, 4)
        rows.setSpacing(4)
        layout = QHBoxLayout()  # search, date range, clear
        choices = QHBoxLayout()  # one pick list per filter field
        rows.addLayout(layout)
        rows.addLayout(choices)
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {self.kind.label.lower()} (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        layout.addWidget(self.search, 1)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._emit)

        self.combos: dict[str, QComboBox] = {}
        # the kinds whose records the pick lists name: their lists are filled again when those records change
        self.named_kinds = {f.ref for f in map(self.kind.field, self.kind.filters) if f.type is FieldType.REF and f.ref}
        for name in self.kind.filters:
            f = self.kind.field(name)
            combo = QComboBox()
            combo.setToolTip(f"Show only records with this {f.label.lower()}")
            combo.setMinimumContentsLength(10)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.combos[name] = combo
            choices.addWidget(combo, 1)
            combo.currentIndexChanged.connect(lambda _: self._emit())
        self.reload_choices()

        self.date_from = self.date_to = None
        if self.kind.date_filter:
            label = self.kind.field(self.kind.date_filter).label
            layout.addWidget(QLabel(f"{label}:"))
            self.date_from, self.date_to = QLineEdit(), QLineEdit()
            for edit, text in ((self.date_from, "from"), (self.date_to, "to")):
                edit.setPlaceholderText(text)
                edit.setMaximumWidth(100)
                edit.setToolTip("2024, 2024-08 or 13 Aug 2024")
                edit.editingFinished.connect(self._emit)
                layout.addWidget(edit)
        if not self.combos:
            rows.removeItem(choices)
        clear = QToolButton()
        clear.setText("Clear")
        clear.setToolTip("Show all records")
        clear.clicked.connect(self.clear)
        layout.addWidget(clear)
        self._last = Filters()

    def reload_choices(self) -> None:
        """Fill the pick lists with what the database holds now, keeping the current choices."""
        for name, combo in self.combos.items():
            f = self.kind.field(name)
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(f"Any {f.label.lower()}", None)
            if f.type is FieldType.CHOICE:
                for value in f.vocab:
                    combo.addItem(value[:1].upper() + value[1:], value)
            elif f.type is FieldType.REF:
                for rid, text in names(self.ledger, f.ref or ""):
                    combo.addItem(text, rid)
            else:
                for text in distinct_values(self.ledger, self.kind, name, limit=300):
                    combo.addItem(text, text)
            combo.addItem("(empty)", "")
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def filters(self) -> Filters:
        """The filters as set; a date that cannot be read is marked red and not applied."""
        equals = tuple(
            (name, combo.currentData()) for name, combo in self.combos.items() if combo.currentData() is not None
        )
        date_from = date_to = None
        for edit in (self.date_from, self.date_to):
            if edit is None:
                continue
            try:
                value = parse_date(edit.text())
                edit.setStyleSheet("")
                edit.setToolTip("2024, 2024-08 or 13 Aug 2024")
            except ValueError as exc:
                value = None
                edit.setStyleSheet("border: 1px solid #b3261e;")
                edit.setToolTip(str(exc))
            if edit is self.date_from:
                date_from = value
            else:
                date_to = value
        return Filters(self.search.text(), equals, self.kind.date_filter, date_from, date_to)

    def set_equal(self, name: str, value: object) -> None:
        """Set the pick list of field ``name`` to ``value`` (to all when it is not listed)."""
        combo = self.combos[name]
        combo.setCurrentIndex(max(combo.findData(value), 0))

    def clear(self) -> None:
        """Clear every filter."""
        for widget in (self.search, self.date_from, self.date_to):
            if widget is not None:
                widget.blockSignals(True)
                widget.clear()
                widget.blockSignals(False)
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._emit()

    def apply_now(self) -> None:
        """Filter by what the search box holds now, without waiting for the typing to pause."""
        self._timer.stop()
        self._emit()

    def _emit(self) -> None:
        filters = self.filters()
        if filters != self._last:
            self._last = filters
            self.changed.emit(filters)
