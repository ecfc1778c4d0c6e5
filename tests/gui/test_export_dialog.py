"""File > Export in the window: off the UI thread, with progress, Cancel, and the current filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from pytestqt.qtbot import QtBot

from gui.dialogs.export_dialog import ExportDialog
from gui.main_window import MainWindow
from storage import Ledger


def test_export_everything_from_the_window(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    reports: list[Any] = []
    dialog = window.export_dialog()
    dialog._ask_open_folder = lambda parent, report: reports.append(report)
    dialog.path_edit.setText(str(tmp_path / "out.xlsx"))
    assert dialog.all_button.isChecked()
    dialog.start()
    qtbot.waitUntil(lambda: bool(reports), timeout=15000)
    assert reports[0].counts["aid"] == sample_ledger.db["aid"].count
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames[0] == "Summary"


def test_export_what_the_filters_show(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show_kind("aid")
    page = window.current_page()
    assert page is not None
    qtbot.keyClicks(page.filter_bar.search, "nasams")
    qtbot.waitUntil(lambda: page.model.filters.search == "nasams")
    reports: list[Any] = []
    dialog = ExportDialog(sample_ledger, "aid", page.model.filters, window, lambda p, r: reports.append(r))
    assert dialog.shown_button.isChecked()  # a filter is set: what is shown is the default
    dialog.path_edit.setText(str(tmp_path / "nasams.csv"))
    dialog.start()
    qtbot.waitUntil(lambda: bool(reports), timeout=15000)
    assert reports[0].counts == {"aid": page.model.rowCount()}
    lines = (tmp_path / "nasams.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == page.model.rowCount() + 1 and all("NASAMS" in line for line in lines[1:])


def test_cancel_leaves_no_file_and_says_so(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    dialog = ExportDialog(sample_ledger, None, None, None, lambda p, r: None)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "never.xlsx"))
    job = dialog.start()
    assert job is not None
    job.cancel()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=15000)
    assert "cancelled" in dialog.error.text() and not (tmp_path / "never.xlsx").exists()
    assert not list(tmp_path.glob("*.part"))


def test_a_csv_of_every_kind_is_refused_with_a_reason(qtbot: QtBot, sample_ledger: Ledger, tmp_path: Path) -> None:
    dialog = ExportDialog(sample_ledger, "aid", None, None, lambda p, r: None)
    qtbot.addWidget(dialog)
    dialog.all_button.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "all.csv"))
    assert dialog.start() is None and "one kind" in dialog.error.text()
