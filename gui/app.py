"""Starting the Qt application on an open database."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from storage import Ledger
from storage.paths import log_path

from .main_window import MainWindow

log = logging.getLogger("aid_ledger")


def _install_excepthook() -> None:
    """An unexpected error in a slot shows a dialog and goes to the log; the app stays usable."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        try:
            log_path().parent.mkdir(parents=True, exist_ok=True)  # a first run with --db elsewhere has no folder yet
        except OSError:
            pass
        log.error("unexpected error in the window", exc_info=(kind, exc, tb))
        QMessageBox.critical(
            None,
            "Aid Ledger: unexpected error",
            f"Something went wrong inside Aid Ledger: {exc}\n\nNothing saved was lost. "
            f"The details are in {log_path()}.",
        )

    sys.excepthook = hook


def run_window(ledger: Ledger) -> int:
    """Show the main window on ``ledger`` and run until it closes; returns the exit code."""
    QCoreApplication.setOrganizationName("Aid Ledger")
    QCoreApplication.setApplicationName("Aid Ledger")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    _install_excepthook()
    window = MainWindow(ledger)
    window.show()
    code = app.exec()
    ledger.close()
    return int(code)
