"""One chart of the Analysis page on a matplotlib canvas, with Save as PNG…, Save as SVG… and Copy numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QMenu, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from storage.analysis import Figures

from .charts import Chart, as_tsv

MIN_HEIGHT = 300
# Files are saved at this resolution whatever the screen's: sharp in a report, and the same on every machine.
SAVE_DPI = 150

AskPath = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, title: str, start: str, pattern: str) -> str:
    """The file name the user chose in a save dialog, or "" (replaced in tests)."""
    path, _ = QFileDialog.getSaveFileName(parent, title, start, pattern)
    return path


class ChartPanel(QWidget):
    """A chart, its buttons, and the same actions in its context menu (a right click on the chart)."""

    def __init__(self, chart: Chart, ask_path: AskPath | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.ask_path = ask_path or ask_save_path
        self.figures: Figures | None = None
        self.measure = ""
        self.figure = Figure(dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumHeight(MIN_HEIGHT)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # not a Tab stop: a canvas shows no focus, and its three buttons do everything its menu does, by keyboard
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.canvas.setAccessibleName(chart.title)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._on_canvas_context_menu_requested)
        self.png_button, self.svg_button, self.copy_button = QToolButton(), QToolButton(), QToolButton()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        for button, text, tip, slot in (
            (self.png_button, "Save PNG…", "Save this chart as a PNG picture", self.save_png),
            (self.svg_button, "Save SVG…", "Save this chart as an SVG drawing (sharp at any size)", self.save_svg),
            (self.copy_button, "Copy numbers", "Copy this chart's numbers as a table, to paste in Excel", self.copy),
        ):
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(f"{text} {chart.title}")
            button.clicked.connect(lambda _=False, s=slot: s())
            button.setEnabled(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(buttons)

    def show_figures(self, figures: Figures, measure: str) -> None:
        """Draw the chart for these figures and this measure."""
        self.figures, self.measure = figures, measure
        self.chart.draw(self.figure, figures, measure)
        self.canvas.draw_idle()
        for button in (self.png_button, self.svg_button, self.copy_button):
            button.setEnabled(True)

    def table(self) -> list[list[Any]]:
        """The chart's numbers, a header row first; empty before the first figures."""
        return self.chart.table(self.figures, self.measure) if self.figures is not None else []

    def copy(self) -> str:
        """Put the chart's numbers on the clipboard as tab-separated text; returns it."""
        text = as_tsv(self.table()) if self.figures is not None else ""
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def save_png(self) -> Path | None:
        """Ask where, then save the chart as PNG; returns the path, or None when not saved."""
        return self._save("PNG", "png")

    def save_svg(self) -> Path | None:
        """Ask where, then save the chart as SVG; returns the path, or None when not saved."""
        return self._save("SVG", "svg")

    def _save(self, what: str, suffix: str) -> Path | None:
        if self.figures is None:
            return None
        start = str(Path.home() / f"aid-{self.chart.key}.{suffix}")
        chosen = self.ask_path(self, f"Save the chart as {what}", start, f"{what} files (*.{suffix})")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(path.name + f".{suffix}")
        self.figure.savefig(path, format=suffix, dpi=SAVE_DPI, facecolor="white")
        return path

    def context_menu(self) -> QMenu:
        """The chart's menu: the same three actions as its buttons."""
        menu = QMenu(self)
        for text, slot in (
            ("Save as PNG…", self.save_png),
            ("Save as SVG…", self.save_svg),
            ("Copy numbers", self.copy),
        ):
            menu.addAction(text).triggered.connect(slot)
        for action in menu.actions():
            action.setEnabled(self.figures is not None)
        return menu

    def _on_canvas_context_menu_requested(self, pos: QPoint) -> None:
        self.context_menu().exec(self.canvas.mapToGlobal(pos))
