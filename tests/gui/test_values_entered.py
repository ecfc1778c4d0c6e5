"""A value typed in the form: its qualifier stays with it, in EUR it is its EUR value, the table says it as said."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.models.record_table import RecordTableModel
from gui.widgets.fields import LineEditor
from storage import Ledger
from storage import records as rec
from storage.query import Filters
from tests.gui.forms import open_form


def test_about_five_million_euro_typed_in_the_form(qtbot: QtBot, sample_ledger: Ledger) -> None:
    rid = sample_ledger.conn.execute(
        "SELECT min(id) FROM aid WHERE quantity_committed IS NULL AND quantity_qualifier IS NULL"
    ).fetchone()[0]
    form = open_form(qtbot, sample_ledger, "aid", rid)  # active: Ctrl+Enter goes to the active window
    value = form.editors["value"]
    assert isinstance(value, LineEditor)
    value.edit.selectAll()
    qtbot.keyClicks(value.edit, "about 5 millions euro")
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = rec.get(sample_ledger, "aid", rid)
    assert (stored["value"], stored["currency"], stored["value_qualifier"]) == (5_000_000, "EUR", "about")
    assert stored["quantity_qualifier"] is None
    assert stored["value_eur"] == 5_000_000

    model = RecordTableModel(sample_ledger, "aid")
    model.requery(Filters(), [("item", False)])
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    row = next(r for r in range(model.rowCount()) if model.record_id(r) == rid)
    assert model.index(row, model.column_of("value")).data() == "about EUR 5,000,000"
    assert model.index(row, model.column_of("value_eur")).data() == "about EUR 5,000,000"
