"""The window's writes go through one door.

An import in the window is one undo step and one change notice, and the window does not take it for another
program's write; a database changed under the preview shows it again.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from exporters import xlsx
from gui.dialogs.import_wizard import ImportWizard
from gui.main_window import MainWindow
from storage import Ledger
from storage import records as rec


def _next(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=15000)
    wizard.button(QWizard.WizardButton.NextButton).click()


def _edited_export(ledger: Ledger, tmp_path: Path, notes: str) -> tuple[Path, str]:
    xlsx.run(ledger, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    aid = book["Aid"]
    aid.cell(2, [c.value for c in aid[1]].index("Notes") + 1).value = notes
    book.save(tmp_path / "edited.xlsx")
    return tmp_path / "edited.xlsx", str(aid.cell(2, 1).value)


def test_an_import_in_the_window_is_its_own_write_not_another_programs(
    qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    notices: list[tuple[set[str], set[int]]] = []
    window.editor.records_changed.connect(lambda kinds, ids: notices.append((set(kinds), set(ids))))
    foreign: list[str] = []
    real = window.statusBar().showMessage
    monkeypatch.setattr(window.statusBar(), "showMessage", lambda text, *a: (foreign.append(text), real(text, *a))[1])
    path, uid = _edited_export(sample_ledger, tmp_path, "checked with the ministry")
    wizard = window.import_file(path)
    qtbot.waitUntil(lambda: wizard.is_export, timeout=15000)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
    rid = rec.id_for_uid(sample_ledger, "aid", uid)
    assert notices == [({"aid"}, {rid})]  # one notice, naming the kind and the record that changed
    window._on_watch_timeout()  # the watch for other programs' writes, as its timer would run it
    assert not any("another window or program" in text for text in foreign)
    assert window.editor.undo_stack.count() == 1


def test_a_database_changed_under_the_preview_shows_the_preview_again(
    qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path
) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    path, uid = _edited_export(sample_ledger, tmp_path, "theirs")
    wizard = window.import_file(path)
    qtbot.waitUntil(lambda: wizard.is_export, timeout=15000)
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=15000)
    assert "update 1" in wizard.preview_page.summary.text()
    rid = rec.id_for_uid(sample_ledger, "aid", uid)
    assert rid is not None
    with Ledger.open(sample_ledger.path) as other:  # another program edits the same field meanwhile
        rec.update(other, "aid", rid, {"notes": "ours, changed while the preview was open"})
    _next(qtbot, wizard)  # Import: nothing is written, the preview is made again
    qtbot.waitUntil(lambda: wizard.preview_page.stale_note.isVisible() and wizard.plan is not None, timeout=15000)
    assert wizard.currentId() == ImportWizard.PREVIEW
    assert "conflict" in wizard.preview_page.summary.text()
    assert rec.get(sample_ledger, "aid", rid)["notes"] == "ours, changed while the preview was open"
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.DONE, timeout=15000)
    assert rec.get(sample_ledger, "aid", rid)["notes"] == "ours, changed while the preview was open"
