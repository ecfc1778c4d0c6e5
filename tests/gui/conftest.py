"""Shared by the GUI tests: no message box ever waits for a click that no test will make."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every message box a test did not expect is answered at once (Cancel, or OK) and kept here, by its text.

    A modal box left open (a form left dirty, closed as the test ends) would otherwise hang the whole run; a test
    that expects one patches it itself, after this.
    """
    shown: list[str] = []

    def answer(default: QMessageBox.StandardButton) -> Any:
        def box(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
            shown.append(" / ".join(str(a) for a in args[1:3]))
            return default

        return box

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))

    def exec_box(box: QMessageBox) -> int:  # a box made and shown by hand: closed at once, no button clicked
        shown.append(f"{box.windowTitle()} / {box.text()}")
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_box)
    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, answer(QMessageBox.StandardButton.Ok))
    yield shown
