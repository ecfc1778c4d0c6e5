"""What the GUI tests do to a form again and again: open it as the window a user types in, take a picker's offer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from gui.widgets.fields import RefCombo
from storage import Ledger


def open_form(qtbot: QtBot, ledger: Ledger, kind: str, rid: int | None = None, **options: Any) -> RecordForm:
    """A record's form, shown and active: keys and shortcuts go to the active window."""
    form = RecordForm(Editor(ledger), kind, rid, **options)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return form


def take_offer(qtbot: QtBot, combo: RefCombo) -> None:
    """Press Enter on the picker's open list of names: its current (best) offer is taken."""
    popup = combo.completer_.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
