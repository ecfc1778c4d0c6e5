"""The main window on a database with the sample records."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from storage import Ledger
from storage.stats import counts


def test_sidebar_lists_every_kind_with_its_count(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    texts = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    for name, n in counts(sample_ledger).items():
        assert any(t.startswith(sample_ledger_label(name)) and f"({n:,})" in t for t in texts), (name, texts)
    assert sample_ledger.path.name in window.windowTitle()


def sample_ledger_label(name: str) -> str:
    from storage import KINDS_BY_NAME

    return KINDS_BY_NAME[name].label
