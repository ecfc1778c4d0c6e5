"""Undo, redo and delete say in the status bar what they did; the undo entry names the kind."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from storage import Ledger
from storage import records as rec


def test_undo_redo_and_delete_say_what_they_did(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    window.editor.insert("totals", {"subject": lithuania, "amount": "EUR 500 million", "as_of": "2025-03"})
    assert window.undo_action.text().replace("&", "") == "Undo: add reported total"
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == "Undone: add reported total"
    assert window.redo_action.text().replace("&", "") == "Redo: add reported total"
    window.redo_action.trigger()
    assert window.statusBar().currentMessage() == "Redone: add reported total"
    ids = [r[0] for r in sample_ledger.conn.execute("SELECT id FROM aid ORDER BY id LIMIT 2")]
    window.editor.delete("aid", ids)
    assert window.statusBar().currentMessage() == "Deleted 2 aid items (Ctrl+Z brings them back)"
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == "Undone: delete 2 aid items"
