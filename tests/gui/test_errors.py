"""An unexpected error in the window: a dialog that says what happened, the details in the log, the app usable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from gui.app import _install_excepthook
from gui.main_window import MainWindow
from storage import Ledger


def test_an_unexpected_error_is_a_dialog_and_a_log_entry(
    qtbot: QtBot, sample_ledger: Ledger, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    import main

    main.setup_logging()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(str(a[2])))
    previous = sys.excepthook
    _install_excepthook()
    try:
        window = MainWindow(sample_ledger)
        qtbot.addWidget(window)
        try:
            raise RuntimeError("a slot went wrong")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
        for handler in logging.getLogger("aid_ledger").handlers:
            handler.flush()
    assert shown and "a slot went wrong" in shown[0] and "aid-ledger.log" in shown[0]
    log = (data_home / "aid-ledger" / "aid-ledger.log").read_text()
    assert "RuntimeError: a slot went wrong" in log and "Traceback" in log
    window.show_kind("aid")  # still usable
    assert window.current_page() is not None and window.current_page().model.rowCount() > 0
