"""Help opens the user guide that ships with the app; File > Open recent opens a database opened before."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from storage import Ledger


def test_f1_opens_the_guide(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    assert window.guide_action.shortcut().toString() == "F1"
    window.guide_action.trigger()
    guide = window.show_guide()
    assert guide.isVisible()
    text = guide.view.toPlainText()
    assert "Turning an article into records" in text and "Ctrl+Enter" in text


def test_open_recent_opens_the_database_opened_before(qtbot: QtBot, tmp_path: Path) -> None:
    first = MainWindow(Ledger.open(tmp_path / "first.db"))  # opened once: it is a recent one from now on
    first.close()
    first.ledger.close()
    second = Ledger.open(tmp_path / "second.db")
    window = MainWindow(second)
    qtbot.addWidget(window)
    window.show()
    actions = window.recent_menu.actions()
    assert window.recent_menu.isEnabled() and [a.text() for a in actions] == [str(tmp_path / "first.db")]
    actions[0].trigger()
    opened = [w for w in MainWindow.open_windows if w.ledger.path.name == "first.db"]
    assert len(opened) == 1 and opened[0].isVisible()
    qtbot.addWidget(opened[0])
    opened[0].close()
