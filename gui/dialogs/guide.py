"""The user guide that ships with the app (resources/guide/guide.html), for Help > User guide (F1)."""

from __future__ import annotations

from importlib import resources

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE = resources.files("resources.guide").joinpath("guide.html")


class GuideDialog(QDialog):
    """The short user guide, readable beside the window (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Aid Ledger: a short guide")
        self.view = QTextBrowser()
        self.view.setOpenExternalLinks(True)
        self.view.setHtml(GUIDE.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(760, 720)
