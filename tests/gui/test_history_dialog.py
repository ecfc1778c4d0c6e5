"""The History dialog: values as the tables show them, who by name, and one change reverted as an undoable edit."""

from __future__ import annotations

import os
import pwd

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from gui.dialogs import history as history_dialog
from gui.dialogs.history import HistoryDialog
from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from storage import Ledger
from storage import history as hist
from storage import records as rec


@pytest.fixture
def editor(ledger: Ledger) -> Editor:
    for name in ("Lithuania", "Ukraine", "Estonia"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    return Editor(ledger)


@pytest.fixture
def aid(editor: Editor) -> int:
    """An aid item edited twice through the window's door: its value, its donor and its date changed."""
    rid = editor.insert(
        "aid",
        {
            "donor": "Estonia",
            "recipient": "Ukraine",
            "item": "NASAMS launchers",
            "category": "air defence",
            "value": "5 million",
            "announced_on": "13 Aug 2024",
        },
    )
    editor.update("aid", rid, {"value": "7,500,000", "donor": "Lithuania"})
    editor.update("aid", rid, {"announced_on": "2024-09-02"})
    return rid


def _cells(dialog: HistoryDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _row_of(dialog: HistoryDialog, label: str) -> int:
    return next(r for r, row in enumerate(_cells(dialog)) if row[2] == label)


def _dialog(qtbot: QtBot, editor: Editor, rid: int) -> HistoryDialog:
    dialog = HistoryDialog(editor, "aid", rid)
    qtbot.addWidget(dialog)
    return dialog


def test_values_read_as_in_the_tables(qtbot: QtBot, editor: Editor, aid: int) -> None:
    dialog = _dialog(qtbot, editor, aid)
    changes = {row[2]: (row[3], row[4]) for row in _cells(dialog)}
    assert changes["Value"] == ("5,000,000", "7,500,000")
    assert changes["Donor"] == ("Estonia", "Lithuania")  # names, not row ids
    assert changes["Announced on"] == ("13 Aug 2024", "2 Sep 2024")
    shown = " ".join(cell for row in _cells(dialog) for cell in row)
    assert "5000000" not in shown and "2024-08-13" not in shown


def test_a_change_the_tables_text_leaves_out_is_said(qtbot: QtBot, editor: Editor, aid: int) -> None:
    source = rec.insert(editor.ledger, "sources", {"title": "Lithuanian Aid to Ukraine Continues"})
    editor.update("aid", aid, {"sources": [{"source": source, "quote": "first words"}]})
    editor.update("aid", aid, {"sources": [{"source": source, "quote": "other words"}]})  # only the quote
    newest = _cells(_dialog(qtbot, editor, aid))[0]
    assert newest[2:5] == [
        "Sources",
        "Lithuanian Aid to Ukraine Continues",
        "Lithuanian Aid to Ukraine Continues (details changed)",
    ]


def test_who_is_the_users_full_name_where_the_system_has_one(
    qtbot: QtBot, editor: Editor, aid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    login = editor.ledger.who

    class Entry:
        pw_gecos = "Anna Kowalska,Room 4,,"

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: Entry() if uid == os.getuid() else None)
    monkeypatch.setattr(hist, "current_user", lambda: login)
    hist._full_name.cache_clear()
    try:
        editor.ledger.who = "colleague"  # a change made under another login (another computer's, say)
        editor.update("aid", aid, {"notes": "checked"})
        editor.ledger.who = login
        dialog = _dialog(qtbot, editor, aid)
    finally:
        hist._full_name.cache_clear()
    who = {row[2]: row[1] for row in _cells(dialog)}
    assert who["Value"] == f"Anna Kowalska ({login})"
    assert who["Notes"] == "colleague"
    stored = {r[0] for r in editor.ledger.conn.execute("SELECT who FROM history")}
    assert stored == {login, "colleague"}  # the stored value stays the login


def test_revert_writes_the_old_value_back_as_one_undo_step(qtbot: QtBot, editor: Editor, aid: int) -> None:
    dialog = _dialog(qtbot, editor, aid)
    dialog.show()
    rows_before, steps = dialog.table.rowCount(), editor.undo_stack.count()
    dialog.table.setCurrentCell(_row_of(dialog, "Value"), 0)
    assert dialog.revert_button.isEnabled()
    with qtbot.waitSignal(editor.records_changed):
        qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert rec.get(editor.ledger, "aid", aid)["value"] == 5_000_000
    assert rec.get(editor.ledger, "aid", aid)["donor"] == rec.resolve(editor.ledger, "actors", "Lithuania")
    assert editor.undo_stack.count() == steps + 1
    assert editor.undo_stack.undoText() == "revert Value"
    # The dialog read the history again: the revert is its newest change (the EUR value, which follows, with it).
    newest = [row[2:] for row in _cells(dialog)[: dialog.table.rowCount() - rows_before]]
    assert ["Value", "7,500,000", "5,000,000", "Revert Value"] in newest
    assert _cells(dialog)[dialog.table.currentRow()][2:5] == ["Value", "5,000,000", "7,500,000"]  # still selected
    assert "Value is 5,000,000 again" in dialog.message.text()
    assert dialog.reverted == {"value", "value_eur"}
    editor.undo_stack.undo()
    assert rec.get(editor.ledger, "aid", aid)["value"] == 7_500_000


def test_revert_by_keyboard(qtbot: QtBot, editor: Editor, aid: int) -> None:
    dialog = _dialog(qtbot, editor, aid)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.table.hasFocus() and dialog.table.currentRow() == 0  # the newest change, ready for the arrows
    for _ in range(_row_of(dialog, "Value")):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert _cells(dialog)[dialog.table.currentRow()][2] == "Value"
    with qtbot.waitSignal(editor.records_changed):  # a mnemonic clicks the button a moment later, as it animates
        qtbot.keyClick(dialog.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert rec.get(editor.ledger, "aid", aid)["value"] == 5_000_000


def test_revert_is_refused_in_the_dialog_when_the_old_value_is_gone(
    qtbot: QtBot, editor: Editor, aid: int, message_boxes: list[str]
) -> None:
    editor.update("aid", aid, {"supplier": "Estonia"})  # Estonia is still used: point it elsewhere, then delete it
    editor.update("aid", aid, {"supplier": "Ukraine"})
    estonia = rec.resolve(editor.ledger, "actors", "Estonia")
    editor.delete("actors", [estonia])
    dialog = _dialog(qtbot, editor, aid)
    steps, rows = editor.undo_stack.count(), dialog.table.rowCount()
    dialog.table.setCurrentCell(_row_of(dialog, "Donor"), 0)
    assert _cells(dialog)[dialog.table.currentRow()][3] == "Estonia (deleted)"
    qtbot.mouseClick(dialog.revert_button, Qt.MouseButton.LeftButton)
    assert "Estonia (deleted)" in dialog.message.text() and "deleted" in dialog.message.text()
    assert rec.get(editor.ledger, "aid", aid)["donor"] == rec.resolve(editor.ledger, "actors", "Lithuania")
    assert editor.undo_stack.count() == steps and dialog.table.rowCount() == rows and not message_boxes


def test_no_field_revert_for_a_whole_record_added(qtbot: QtBot, editor: Editor, aid: int) -> None:
    dialog = _dialog(qtbot, editor, aid)
    dialog.table.setCurrentCell(_row_of(dialog, "Record added"), 0)
    assert not dialog.revert_button.isEnabled()
    assert dialog.revert_current() is False
    dialog.table.setCurrentCell(_row_of(dialog, "Value"), 0)
    assert dialog.revert_button.isEnabled()


def test_the_form_shows_what_a_revert_wrote(
    qtbot: QtBot, editor: Editor, aid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def revert_the_value(dialog: HistoryDialog) -> int:
        dialog.table.setCurrentCell(_row_of(dialog, "Value"), 0)
        assert dialog.revert_current()
        return 0

    monkeypatch.setattr(history_dialog.HistoryDialog, "exec", revert_the_value)
    form = RecordForm(editor, "aid", aid)
    qtbot.addWidget(form)
    history = next(b for b in form.findChildren(QPushButton) if b.text().replace("&", "") == "History…")
    qtbot.mouseClick(history, Qt.MouseButton.LeftButton)
    assert rec.get(editor.ledger, "aid", aid)["value"] == 5_000_000
    assert not form.is_dirty()  # the form shows the value the revert wrote, as saved
    assert "5" in str(form.editors["value"].raw_value()) and "7" not in str(form.editors["value"].raw_value())
