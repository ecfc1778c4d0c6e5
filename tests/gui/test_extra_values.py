"""The form shows a record's extra values (the columns of its file that no field takes), and saves a correction."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from gui.widgets.fields import ExtraEditor
from storage import Ledger
from storage import records as rec

KEPT = {"Type of item": "Heavy weapon", "Unit Price in USD": 4000000, "Sub-type of item": "155mm howitzer"}


def _record_with_extra_values(ledger: Ledger) -> int:
    rid = ledger.conn.execute("SELECT min(id) FROM aid").fetchone()[0]
    with ledger.transaction():
        ledger.conn.execute("UPDATE aid SET extra = ? WHERE id = ?", (json.dumps(KEPT), rid))
    return int(rid)


def test_the_form_shows_them_and_saves_a_correction(qtbot: QtBot, sample_ledger: Ledger) -> None:
    rid = _record_with_extra_values(sample_ledger)
    form = RecordForm(Editor(sample_ledger), "aid", rid)
    qtbot.addWidget(form)
    form.show()
    shown = form.editors["extra"]
    assert isinstance(shown, ExtraEditor) and shown.isVisible() and form.labels["extra"].text() == "Other columns"
    table = shown.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == list(KEPT)
    assert table.item(1, 1).text() == "4000000"
    assert not form.is_dirty()

    table.setCurrentCell(0, 1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    edit = next(w for w in table.viewport().findChildren(QLineEdit) if w.isVisible())
    edit.selectAll()
    qtbot.keyClicks(edit, "Artillery")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)  # Qt commits on the next turn
    assert form.is_dirty()
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = json.loads(rec.get(sample_ledger, "aid", rid)["extra"])
    assert stored == {**KEPT, "Type of item": "Artillery"}  # the price untouched is still a number


def test_a_record_typed_in_the_form_has_no_such_row(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = RecordForm(Editor(sample_ledger), "aid", None)
    qtbot.addWidget(form)
    form.show()
    assert not form.editors["extra"].isVisible() and not form.labels["extra"].isVisible()
    rid = _record_with_extra_values(sample_ledger)
    again = RecordForm(Editor(sample_ledger), "aid", rid)
    qtbot.addWidget(again)
    again.show()
    again.save()  # nothing changed: nothing written for them
    changes = sample_ledger.conn.execute(
        "SELECT count(*) FROM history WHERE kind = 'aid' AND record_id = ? AND field = 'extra'", (rid,)
    ).fetchone()[0]
    assert changes == 0
