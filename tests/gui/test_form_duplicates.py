"""The form warns before a new record that looks like one already there, as the import does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from storage import Ledger


def test_a_new_item_like_one_of_its_package_is_asked_about(
    qtbot: QtBot, sample_ledger: Ledger, message_boxes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    donor, recipient, package, date = sample_ledger.conn.execute(
        "SELECT donor_id, recipient_id, package_id, announced_on FROM aid WHERE item LIKE 'NASAMS launchers%'"
    ).fetchone()
    count = sample_ledger.conn.execute("SELECT count(*) FROM aid").fetchone()[0]
    initial = {"donor": donor, "recipient": recipient, "package": package, "item": "NASAMS launchers"}
    form = RecordForm(Editor(sample_ledger), "aid", None, initial={**initial, "announced_on": "2030"})
    qtbot.addWidget(form)
    form.show()
    form.save()
    assert message_boxes and "NASAMS launchers and necessary equipment" in message_boxes[0]  # same package
    assert form.isVisible()  # Cancel: nothing saved, the entries kept
    assert sample_ledger.conn.execute("SELECT count(*) FROM aid").fetchone()[0] == count
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    form.save()
    assert sample_ledger.conn.execute("SELECT count(*) FROM aid").fetchone()[0] == count + 1

    other = RecordForm(
        Editor(sample_ledger),
        "aid",
        None,
        initial={**initial, "item": "Generators", "package": None, "announced_on": date},
    )
    qtbot.addWidget(other)
    other.show()
    asked: list[object] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    other.save()
    assert asked == [] and not other.isVisible()  # nothing like it: saved without a word
