"""The drafts read from an article, grouped by kind, each with a check box and notes on what to check.

A draft starts checked when the rules are sure of it. The Notes column says what was guessed, which existing record
a draft repeats, and what became of it once added.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

import importers.article as article
from importers.article import Draft
from storage import KINDS_BY_NAME

from .draft_values import draft_title, guessed_reasons, shown_value

KIND_ORDER = ("aid", "packages", "events", "agreements", "totals", "actors")
KEY_FIELDS = {
    "aid": ("donor", "status", "quantity_committed", "quantity_delivered", "value", "delivered_on", "announced_on"),
    "packages": ("donor", "value", "announced_on"),
    "events": ("date", "participants"),
    "agreements": ("parties", "signed_on"),
    "totals": ("amount", "as_of"),
    "actors": ("type", "description"),
}
DraftRole = Qt.ItemDataRole.UserRole  # a draft's item: its index in ``drafts``
KindRole = Qt.ItemDataRole.UserRole + 1  # a kind's heading: the kind's name


class DraftList(QTreeWidget):
    """The drafts by kind, checked to be accepted; Space checks or unchecks, Enter edits, Delete unchecks.

    Signals:
        edit_requested(): Enter or a double click on a draft: open it in its form.
        checks_changed(): a draft was checked or unchecked.
    """

    edit_requested = Signal()
    checks_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drafts: list[Draft] = []  # as listed; the items hold their index
        self.outcome: dict[int, str] = {}  # draft index -> what became of it ("added", "cited")
        self.setHeaderLabels(["Draft", "Key fields", "Sure", "Notes"])
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAllColumnsShowFocus(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 270)
        header.resizeSection(2, 44)
        header.resizeSection(3, 170)
        self.itemDoubleClicked.connect(lambda _item, _column: self.edit_requested.emit())
        self.itemChanged.connect(lambda *_: self.checks_changed.emit())

    def clear_drafts(self) -> None:
        """An empty list, for a new reading."""
        self.drafts, self.outcome = [], {}
        self.clear()

    def add_draft(self, d: Draft) -> None:
        """List a draft under its kind's heading, checked when the rules are sure of it."""
        index = len(self.drafts)
        self.drafts.append(d)
        group = self._group(d.kind)
        keys = [shown_value(d, n, short=True) for n in KEY_FIELDS.get(d.kind, ()) if d.fields.get(n) not in (None, "")]
        item = QTreeWidgetItem([draft_title(d), ", ".join(keys), f"{d.confidence:.0%}", ""])
        item.setData(0, DraftRole, index)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(1, ", ".join(keys))
        item.setToolTip(2, "How sure the rules are; drafts at 80% or more start checked")
        self.blockSignals(True)  # one count when the reading ends, not one per draft
        group.addChild(item)
        item.setCheckState(
            0, Qt.CheckState.Checked if d.confidence >= article.MIN_CONFIDENCE else Qt.CheckState.Unchecked
        )
        self.blockSignals(False)
        self._mark(item, d)
        group.setText(0, f"{KINDS_BY_NAME[d.kind].label} ({group.childCount()})")

    def mark_done(self, index: int, outcome: str) -> None:
        """A draft is in the database now: unchecked, and its notes say what became of it."""
        self.outcome[index] = outcome
        item = self.item_of(index)
        if item is not None:
            self.blockSignals(True)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.blockSignals(False)
            self._mark(item, self.drafts[index])

    def select_first(self) -> None:
        """Select the first draft (of the first kind), if there is one."""
        first = self.topLevelItem(0)
        child = first.child(0) if first is not None else None
        if child is not None:
            self.setCurrentItem(child)

    def item_of(self, index: int) -> QTreeWidgetItem | None:
        """The item that shows ``drafts[index]``."""
        for g in range(self.topLevelItemCount()):
            group = self.topLevelItem(g)
            for c in range(group.childCount() if group is not None else 0):
                child = group.child(c) if group is not None else None
                if child is not None and child.data(0, DraftRole) == index:
                    return child
        return None

    def current_draft(self) -> Draft | None:
        """The draft selected, or None (a kind's heading, or nothing)."""
        item = self.currentItem()
        index = item.data(0, DraftRole) if item is not None else None
        return self.drafts[index] if isinstance(index, int) else None

    def checked_drafts(self) -> list[Draft]:
        """The drafts checked and not yet added."""
        return [
            self.drafts[i]
            for i in range(len(self.drafts))
            if i not in self.outcome
            and (item := self.item_of(i)) is not None
            and item.checkState(0) == Qt.CheckState.Checked
        ]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space checks or unchecks, Enter edits, Delete unchecks."""
        item = self.currentItem()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if item is not None and plain:
            if event.key() == Qt.Key.Key_Space:
                on = item.checkState(0) != Qt.CheckState.Checked
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_requested.emit()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                item.setCheckState(0, Qt.CheckState.Unchecked)
                return
        super().keyPressEvent(event)

    def _group(self, kind: str) -> QTreeWidgetItem:
        """The heading of a kind's drafts, made where ``KIND_ORDER`` puts it the first time it is needed."""
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.data(0, KindRole) == kind:
                return item
        group = QTreeWidgetItem([KINDS_BY_NAME[kind].label])
        group.setData(0, KindRole, kind)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        at = 0
        while at < self.topLevelItemCount():
            other = self.topLevelItem(at)
            other_kind = other.data(0, KindRole) if other is not None else ""
            if (KIND_ORDER.index(other_kind) if other_kind in KIND_ORDER else len(KIND_ORDER)) > rank:
                break
            at += 1
        self.insertTopLevelItem(at, group)
        group.setExpanded(True)
        return group

    def _mark(self, item: QTreeWidgetItem, d: Draft) -> None:
        """The Notes column: guessed fields, an existing record it repeats, what became of it."""
        index = item.data(0, DraftRole)
        marks, tips = [], []
        if index in self.outcome:
            marks.append(f"✓ {self.outcome[index]}")
            tips.append("Done: this draft is in the database now.")
        if d.duplicate_of is not None:
            marks.append("≡ recorded")
            tips.append(f"{d.duplicate_note}.\nAccepting adds this article as a source of that record, not a copy.")
        if d.guessed:
            marks.append("? guessed")
            tips += ["Guessed:", *(f"• {g}" for g in guessed_reasons(d))]
        item.setText(3, ", ".join(marks))
        item.setToolTip(3, "\n".join(tips))
        item.setToolTip(0, "\n".join([draft_title(d), *tips]))  # the title whole, which a narrow column cuts
        font = item.font(0)
        font.setItalic(index in self.outcome)
        for column in range(4):
            item.setFont(column, font)
