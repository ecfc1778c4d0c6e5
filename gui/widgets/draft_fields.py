"""The selected draft's fields, each with the words of the article it was read from, and notes on the draft.

Guessed fields are in italics, with why they were guessed in their tooltips.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from importers.article import Draft
from storage import KINDS_BY_NAME

from .draft_values import guessed_fields, guessed_reasons, shown_value

HIDDEN_FIELDS = ("uncertain", "uncertain_note", "full_text")
FieldRole = Qt.ItemDataRole.UserRole + 1  # a row's field name


class DraftFieldTable(QTreeWidget):
    """Field, value, and the words it came from: one row per field the draft fills in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Field", "Value", "From the article"])
        self.setRootIsDecorated(False)
        self.setAllColumnsShowFocus(True)
        self.header().resizeSection(0, 180)
        self.header().resizeSection(1, 220)

    def show_draft(self, d: Draft | None) -> None:
        """List the fields ``d`` fills in (none for None)."""
        self.clear()
        if d is None:
            return
        kind = KINDS_BY_NAME[d.kind]
        guessed = guessed_fields(d)
        for name in d.fields:
            if name in HIDDEN_FIELDS or d.fields[name] in (None, "", []):
                continue
            label = kind.field(name).label + (" (guessed)" if name in guessed else "")
            quote = " ".join(d.quotes.get(name, "").split())
            row = QTreeWidgetItem([label, shown_value(d, name), quote])
            row.setData(0, FieldRole, name)
            if name in guessed:
                font = row.font(0)
                font.setItalic(True)
                for column in range(3):
                    row.setFont(column, font)
                why = [g for g in guessed_reasons(d) if g.startswith(kind.field(name).label)]
                row.setToolTip(0, "\n".join(why))
                row.setToolTip(1, "\n".join(why))
            self.addTopLevelItem(row)

    @staticmethod
    def field_of(row: QTreeWidgetItem | None) -> str | None:
        """The name of the field a row shows."""
        name = row.data(0, FieldRole) if row is not None else None
        return name if isinstance(name, str) and name else None


def draft_notes(d: Draft, *, cites_the_article: bool, outcome: str | None) -> str:
    """What to know of a draft before accepting it, as rich text: the record it repeats, what was guessed, its fate."""
    notes = []
    if d.duplicate_of is not None:
        then = (
            "It cites this article already: accepting changes nothing."
            if cites_the_article
            else "Accepting adds this article as a second source of that record, not a copy."
        )
        notes.append(f"<b>Already recorded</b> (#{d.duplicate_of}): {escape(d.duplicate_note)}. {then}")
    if d.guessed:
        notes.append("<b>Guessed</b>, to check:<br>" + "<br>".join(f"• {escape(g)}" for g in guessed_reasons(d)))
    if outcome is not None:
        notes.append(f"<b>Done:</b> {outcome}.")
    return "<br>".join(notes)


def escape(text: Any) -> str:
    """Plain text made safe to put in rich text."""
    return html.escape(str(text), quote=False)
