"""A record's History dialog: the user's text shown as text, and each change said in words."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import HistoryDialog
from storage import Ledger
from storage import records as rec
from storage.undo import last_batch, revert


def test_history_shows_markup_as_text_and_says_deleted(qtbot: QtBot, sample_ledger: Ledger) -> None:
    with sample_ledger.batch("Add a record"):
        rid = rec.insert(sample_ledger, "aid", {"donor": "Lithuania", "recipient": "Ukraine", "item": "<h1>x</h1>"})
    with sample_ledger.batch("Edit notes"):
        rec.update(sample_ledger, "aid", rid, {"notes": "<img src=x> and  two spaces"})
    with sample_ledger.batch("Delete a record"):
        rec.delete(sample_ledger, "aid", rid)
    revert(sample_ledger, last_batch(sample_ledger) or 0)  # undone: the record is back, its history says so
    dialog = HistoryDialog(sample_ledger, "aid", rid)
    qtbot.addWidget(dialog)
    shown = dialog.view.toPlainText()
    assert "<img src=x> and  two spaces" in shown  # as typed, not an image; spaces kept
    assert "<h1>x</h1>" in dialog.windowTitle()
    document = dialog.view.toHtml()
    assert "<img" not in document and "<h1" not in document
    assert "deleted (Delete a record)" in shown and "deleteed" not in shown
    assert "added (Add a record)" in shown
