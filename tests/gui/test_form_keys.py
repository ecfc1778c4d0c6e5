"""The form by keyboard: it does not move as messages come and go, Tab goes down it, Ctrl+Enter is told."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from gui.widgets.fields import LineEditor, LinksEditor
from storage import Ledger
from storage import records as rec
from tests.gui.forms import open_form


def test_the_form_does_not_move_as_one_fills_it(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = open_form(qtbot, sample_ledger, "aid")
    assert not form.errors["donor"].isVisible()  # a field still to fill is not a message that goes as one types
    assert "to fill in: Donor, Recipient, Item" in form.status.text()
    below = form.editors["status"]
    before = below.mapTo(form, below.rect().topLeft())
    item, value = form.editors["item"], form.editors["value"]
    assert isinstance(item, LineEditor) and isinstance(value, LineEditor)
    qtbot.keyClicks(item.edit, "Javelin missiles")
    qtbot.keyClicks(value.edit, "EUR 5 million")  # its hint appears: "= EUR 5,000,000"
    assert form.hints["value"].isVisible()
    QApplication.processEvents()
    assert below.mapTo(form, below.rect().topLeft()) == before
    assert form.status.text() == "to fill in: Donor, Recipient"
    assert "Ctrl+Enter" in form.save_button.toolTip()


def test_tab_goes_on_down_the_form_after_the_participants(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = open_form(qtbot, sample_ledger, "events")
    participants = form.editors["participants"]
    assert isinstance(participants, LinksEditor)
    combo = participants.add_row()
    role = participants.table.cellWidget(0, 1)
    assert combo.nextInFocusChain() is not None
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    seen = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen[0] is role or role.isAncestorOf(seen[0])
    place = form.editors["place"]
    assert not any(w is place.focus_widget() or place.isAncestorOf(w) for w in seen)  # not back up to Place
    topics = form.editors["topics"]
    assert any(w is topics.focus_widget() or topics.isAncestorOf(w) for w in seen)  # on, down the form


def test_a_participants_role_is_the_actors_role_on_the_events_date(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = open_form(qtbot, sample_ledger, "events")
    date = form.editors["date"]
    assert isinstance(date, LineEditor)
    date.edit.setText("16 Aug 2024")
    participants = form.editors["participants"]
    assert isinstance(participants, LinksEditor)
    combo = participants.add_row()
    combo.set_id(rec.resolve(sample_ledger, "actors", "Laurynas Kasčiūnas"))
    role = participants.table.cellWidget(0, 1)
    assert role.text() == "Minister of National Defence"
    role.setText("host")  # and it can be changed
    assert participants.raw_value()[0]["role"] == "host"
    date.edit.setText("10 Nov 2023")
    again = participants.add_row()
    again.set_id(rec.resolve(sample_ledger, "actors", "Laurynas Kasčiūnas"))
    assert participants.table.cellWidget(1, 1).text() == ""  # not yet minister then


def test_the_qualifier_box_says_what_the_amount_says(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = open_form(qtbot, sample_ledger, "totals")
    amount = form.editors["amount"]
    assert isinstance(amount, LineEditor)
    qtbot.keyClicks(amount.edit, "over USD 500 million")
    assert form.editors["qualifier"].raw_value() == "over"
    assert form.editors["currency"].raw_value() == "USD"


def test_history_by_keyboard(qtbot: QtBot, sample_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.dialogs import history

    opened: list[object] = []
    monkeypatch.setattr(history.HistoryDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    rid = sample_ledger.conn.execute("SELECT min(id) FROM aid").fetchone()[0]
    form = open_form(qtbot, sample_ledger, "aid", rid)
    qtbot.keyClick(form, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    assert form.history_button in form._tab_chain()  # Tab reaches it too


def test_only_save_looks_like_the_button_enter_presses(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = open_form(qtbot, sample_ledger, "packages")
    defaults = [b.text() for b in form.findChildren(QPushButton) if b.autoDefault() or b.isDefault()]
    assert defaults == [form.save_button.text()]
