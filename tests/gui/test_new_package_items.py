"""A new package's items are typed in its form before it is saved, and saved with it as one step."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from gui.widgets.fields import LineEditor
from storage import Ledger
from storage import records as rec


def test_items_added_before_the_package_is_saved(qtbot: QtBot, sample_ledger: Ledger) -> None:
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    ukraine = rec.resolve(sample_ledger, "actors", "Ukraine")
    editor = Editor(sample_ledger)
    form = RecordForm(
        editor,
        "packages",
        None,
        initial={
            "name": "Lithuania's March 2025 package",
            "donor": lithuania,
            "recipient": ukraine,
            "announced_on": "2025-03",
        },
    )
    qtbot.addWidget(form)
    form.show()
    assert form.new_items is not None and form.new_items.isVisible()
    first = form.new_items.add_row()
    qtbot.keyClicks(first, "155mm ammunition")
    form.new_items.table.cellWidget(0, 1).setCurrentIndex(form.new_items.table.cellWidget(0, 1).findData("ammunition"))
    form.new_items.table.cellWidget(0, 3).setText("EUR 20 million")
    second = form.new_items.add_row()
    qtbot.keyClicks(second, "Javelin missiles")
    value = form.editors["value"]
    assert isinstance(value, LineEditor)
    value.edit.setText("EUR 100 million")
    form.validate()
    form.save()
    assert form.rid is not None
    items = sample_ledger.conn.execute(
        "SELECT item, category, donor_id, recipient_id, announced_on, value FROM aid WHERE package_id = ? ORDER BY id",
        (form.rid,),
    ).fetchall()
    assert items == [
        ("155mm ammunition", "ammunition", lithuania, ukraine, "2025-03", 20_000_000),  # its EUR value: the package's
        ("Javelin missiles", "other", lithuania, ukraine, "2025-03", None),
    ]
    assert editor.undo_stack.undoText() == "add package with 2 items"
    editor.undo_stack.undo()  # one step: the package and its items go together
    assert sample_ledger.conn.execute("SELECT count(*) FROM aid WHERE item = 'Javelin missiles'").fetchone()[0] == 0
