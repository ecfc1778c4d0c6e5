"""Backups from the window: on start, on demand, and restoring one."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.dialogs.restore_dialog import RestoreDialog
from gui.main_window import MainWindow
from storage import Ledger
from storage import records as rec
from storage.backups import backups


def test_a_backup_is_taken_on_start_and_on_demand(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: any(b.reason == "start" for b in backups(sample_ledger.path)), timeout=10000)
    made = window.back_up_now()
    assert made is not None and made.exists()
    assert [b.reason for b in backups(sample_ledger.path)].count("manual") == 1


def test_restore_a_backup_from_the_window(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show_kind("aid")
    page = window.current_page()
    assert page is not None
    window.back_up_now()
    shown = page.model.rowCount()
    page.view.selectRow(0)
    window.delete_action.trigger()
    assert page.model.rowCount() == shown - 1
    dialog = RestoreDialog(sample_ledger, window, confirm=lambda parent, chosen: True)
    dialog.accepted.connect(window._on_restored)
    manual = next(i for i, b in enumerate(dialog.backups) if b.reason == "manual")
    dialog.table.selectRow(manual)
    assert dialog.apply()
    assert page.model.rowCount() == shown  # the table shows the restored records
    assert not window.undo_action.isEnabled()  # undo steps from before the restore no longer apply
    assert rec.get(sample_ledger, "aid", page.model.record_id(0))
