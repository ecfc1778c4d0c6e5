"""A record's History dialog: the user's text shown as text, and each change said in words."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.dialogs.history import HistoryDialog
from gui.editing import Editor
from storage import Ledger
from storage import records as rec
from storage.undo import last_batch, revert


def _cells(dialog: HistoryDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_history_shows_markup_as_text_and_says_deleted(qtbot: QtBot, sample_ledger: Ledger) -> None:
    with sample_ledger.batch("Add a record"):
        rid = rec.insert(sample_ledger, "aid", {"donor": "Lithuania", "recipient": "Ukraine", "item": "<h1>x</h1>"})
    with sample_ledger.batch("Edit notes"):
        rec.update(sample_ledger, "aid", rid, {"notes": "<img src=x> and  two spaces"})
    long_markup = "<b>bold</b> " + "word " * 30
    with sample_ledger.batch("Edit notes again"):
        rec.update(sample_ledger, "aid", rid, {"notes": long_markup})
    with sample_ledger.batch("Delete a record"):
        rec.delete(sample_ledger, "aid", rid)
    revert(sample_ledger, last_batch(sample_ledger) or 0)  # undone: the record is back, its history says so
    dialog = HistoryDialog(Editor(sample_ledger), "aid", rid)
    qtbot.addWidget(dialog)
    rows = _cells(dialog)
    assert any(row[2:5] == ["Notes", "empty", "<img src=x> and  two spaces"] for row in rows)  # as typed; spaces kept
    assert "<h1>x</h1>" in dialog.windowTitle()
    # A long value's tooltip holds it whole, escaped: Qt would read a tooltip that looks like markup as markup.
    tip = next(dialog.table.item(r, 4).toolTip() for r, row in enumerate(rows) if row[4].startswith("<b>bold"))
    assert "&lt;b&gt;bold&lt;/b&gt;" in tip and "<b>" not in tip
    said = [(row[2], row[5]) for row in rows]
    assert ("Record deleted", "Delete a record") in said and ("Record added", "Add a record") in said
    assert not any("deleteed" in cell for row in rows for cell in row)
