"""The main window: the record kinds in a sidebar, and an overview of the open database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger
from storage.paths import app_version
from storage.stats import stats
from storage.values import format_number


class OverviewPage(QWidget):
    """What the database holds: records of each kind and the EUR value of Aid."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        title = QLabel("<h2>Aid Ledger</h2>")
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setStyleSheet("color: palette(mid);")
        layout.addWidget(title)
        layout.addWidget(self.path_label)
        row = QHBoxLayout()
        self.counts_form = QFormLayout()
        self.eur_form = QFormLayout()
        for heading, form in (("Records", self.counts_form), ("EUR value of Aid", self.eur_form)):
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(box)
            inner.addWidget(QLabel(f"<b>{heading}</b>"))
            inner.addLayout(form)
            row.addWidget(box)
        layout.addLayout(row)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        figures = stats(self.ledger)
        self.path_label.setText(str(self.ledger.path))
        for form in (self.counts_form, self.eur_form):
            while form.rowCount():
                form.removeRow(0)
        for name in DISPLAY_ORDER:
            self.counts_form.addRow(KINDS_BY_NAME[name].label, _right(f"{figures['counts'][name]:,}"))
        eur = figures["eur"]
        for kind, total in eur["by_kind"].items():
            self.eur_form.addRow(kind.capitalize(), _right(format_number(total)))
        self.eur_form.addRow("<b>Aid to others</b>", _right(f"<b>{format_number(eur['to_others'])}</b>"))


def _right(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class MainWindow(QMainWindow):
    """The one main window of the app."""

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.setWindowTitle(f"Aid Ledger — {ledger.path.name}")
        self.resize(1100, 700)
        self.sidebar = QListWidget()
        self.sidebar.setMaximumWidth(220)
        self.overview = OverviewPage(ledger)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.overview)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self._fill_sidebar()
        self._build_menus()
        self.statusBar().showMessage(f"Opened {ledger.path}")

    def _fill_sidebar(self) -> None:
        counts = stats(self.ledger)["counts"]
        overview = QListWidgetItem("Overview")
        self.sidebar.addItem(overview)
        for name in DISPLAY_ORDER:
            item = QListWidgetItem(f"{KINDS_BY_NAME[name].label}  ({counts[name]:,})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.sidebar.addItem(item)
        self.sidebar.setCurrentRow(0)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Aid Ledger", self)
        about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(about)

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, "About Aid Ledger", f"Aid Ledger {app_version()}\n\nDatabase: {self.ledger.path}")
