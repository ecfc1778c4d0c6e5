"""Two copies of the app on one file.

Both edits land, each window shows the other's, and a locked file is a clear message with the edit kept, not a
freeze or a loss.
"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.main_window import MainWindow
from gui.widgets.fields import LineEditor
from storage import Ledger
from storage import records as rec
from storage.search import search_ids


def test_edits_from_two_windows_land_and_each_table_follows(qtbot: QtBot, sample_ledger: Ledger) -> None:
    first = MainWindow(sample_ledger)
    qtbot.addWidget(first)
    first.show_kind("aid")
    shown = first.page("aid").model.rowCount()
    with Ledger.open(sample_ledger.path) as other:  # the second copy's own connection
        second = MainWindow(other)
        qtbot.addWidget(second)
        second.show_kind("aid")
        lithuania = rec.resolve(other, "actors", "Lithuania")
        second.editor.insert("aid", {"donor": lithuania, "recipient": "Ukraine", "item": "From the second window"})
        first.editor.insert("aid", {"donor": lithuania, "recipient": "Ukraine", "item": "From the first window"})
        qtbot.waitUntil(lambda: first.page("aid").model.rowCount() == shown + 2, timeout=5000)
        qtbot.waitUntil(lambda: second.page("aid").model.rowCount() == shown + 2, timeout=5000)
        assert search_ids(sample_ledger, "aid", "second window") and search_ids(other, "aid", "first window")
        second.close()


def test_a_locked_file_is_a_clear_message_and_the_form_keeps_the_edit(
    qtbot: QtBot, sample_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(str(a[2])))
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_S", 0.2)
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    sample_ledger.conn.execute("PRAGMA busy_timeout = 200")
    page = window.page("aid")
    page.view.selectRow(0)
    form = page.open_current()
    assert isinstance(form, RecordForm)
    item = form.editors["item"]
    assert isinstance(item, LineEditor)
    item.edit.setText("Typed while another program held the file")
    item.edited.emit()
    blocker = sqlite3.connect(sample_ledger.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        form.save()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert any("locked" in s for s in said)
    assert form.isVisible() and item.edit.text() == "Typed while another program held the file"
    form.save()  # retry, now that the other program let go
    assert not form.isVisible()
    assert search_ids(sample_ledger, "aid", "another program held")


def test_a_full_disk_keeps_the_form_open_with_what_was_typed(
    qtbot: QtBot, sample_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(str(a[2])))
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    form = window.page("sources").new_record()
    title = form.editors["title"]
    assert isinstance(title, LineEditor)
    title.edit.setText("An article too long for the disk")
    title.edited.emit()
    text = form.editors["full_text"]
    text.set_stored("x" * 300_000)
    pages = sample_ledger.conn.execute("PRAGMA page_count").fetchone()[0]
    sample_ledger.conn.execute(f"PRAGMA max_page_count = {pages}")
    form.save()
    assert any("disk is full" in s for s in said)
    assert form.isVisible() and title.edit.text() == "An article too long for the disk"
    assert not search_ids(sample_ledger, "sources", "too long for the disk")
    form._ask = lambda parent: True  # the user discards: no form of this test is left open for the next one's keys
    form.reject()
    assert not form.isVisible()


def test_a_database_file_deleted_under_the_app_is_written_back(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    count = sample_ledger.db["aid"].count
    for suffix in ("", "-wal", "-shm"):
        path = sample_ledger.path.with_name(sample_ledger.path.name + suffix)
        path.unlink(missing_ok=True)
    assert not sample_ledger.path.exists()
    assert window.file_went_missing(ask=lambda: True)
    assert sample_ledger.path.exists()
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    window.editor.insert("aid", {"donor": lithuania, "recipient": "Ukraine", "item": "Saved after the scare"})
    with Ledger.open(sample_ledger.path) as reopened:  # the edit is in the file on disk, not a vanished inode
        assert reopened.db["aid"].count == count + 1
