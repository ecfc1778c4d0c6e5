"""The form says what a value in another currency is in EUR at the ECB rate of its date, and saves that."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.widgets.fields import LineEditor
from storage import Ledger
from storage import records as rec
from tests.gui.forms import open_form


def test_a_value_in_dollars_shows_and_saves_its_eur_at_the_ecb_rate(qtbot: QtBot, sample_ledger: Ledger) -> None:
    rid = sample_ledger.conn.execute("SELECT min(id) FROM aid WHERE value IS NULL").fetchone()[0]
    rec.update(sample_ledger, "aid", rid, {"announced_on": "2024-08-17"})
    form = open_form(qtbot, sample_ledger, "aid", rid)
    value = form.editors["value"]
    assert isinstance(value, LineEditor)
    value.edit.selectAll()
    qtbot.keyClicks(value.edit, "USD 1 million")
    hint = form.hints["value"]
    qtbot.waitUntil(hint.isVisible)
    assert "≈ EUR 909,587 at the ECB rate of 16 Aug 2024" in hint.text()
    qtbot.keyClick(form, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    stored = rec.get(sample_ledger, "aid", rid)
    assert (stored["currency"], stored["value_eur"], stored["eur_rate_date"]) == ("USD", 909_587.05, "2024-08-16")
    assert stored["eur_basis"] == "ECB rate of the date"


def test_a_currency_the_ecb_does_not_publish_is_said_so(qtbot: QtBot, sample_ledger: Ledger) -> None:
    rid = sample_ledger.conn.execute("SELECT min(id) FROM aid WHERE value IS NULL").fetchone()[0]
    form = open_form(qtbot, sample_ledger, "aid", rid)
    value = form.editors["value"]
    assert isinstance(value, LineEditor)
    value.edit.selectAll()
    qtbot.keyClicks(value.edit, "UAH 10 million")
    qtbot.waitUntil(form.hints["value"].isVisible)
    assert "no reference rate for UAH" in form.hints["value"].text()
