"""The Analysis page: four charts of the Aid items that the Aid table's filters let through, summed in SQL.

The sums run on a worker (``storage.analysis.figures``, a few GROUP BY statements: seconds over a million records),
and so does the first import of matplotlib, which takes about a second: the window never waits for either. While
they run, the page shows a moving bar and a Cancel button, and the charts of the figures before stay in view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from storage import Ledger
from storage.analysis import Figures, figures
from storage.query import Filters

from ..editing import Editor
from ..widgets.filter_bar import FilterBar
from ..workers import CANCELLED, Job, runner

if TYPE_CHECKING:
    from .panel import AskPath, ChartPanel

EUR, ITEMS = "eur", "items"  # as charts.EUR and charts.ITEMS, without importing matplotlib to know them


def _figures_with_charts_ready(reader: Ledger, filters: Filters) -> Figures:
    """The figures; on the first call, matplotlib imported and its fonts loaded too (on this worker thread)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from . import charts  # noqa: F401 - imported here so the UI thread finds it loaded

    warm = Figure(figsize=(1, 1))
    FigureCanvasAgg(warm)
    warm.text(0.5, 0.5, "EUR 1,000")
    warm.canvas.draw()  # the font cache and text layout, which the first chart would otherwise load
    return figures(reader, filters)


def describe(bar: FilterBar) -> str:
    """What the Aid table's filters let through, in words: "Status: Delivered · search “drones”"."""
    parts = [f"search “{bar.search.text().strip()}”"] if bar.search.text().strip() else []
    for name, combo in bar.combos.items():
        if combo.currentData() is not None:
            parts.append(f"{bar.kind.field(name).label}: {combo.currentText()}")
    if bar.date_from is not None and bar.date_to is not None and (bar.date_from.text() or bar.date_to.text()):
        label = bar.kind.field(bar.kind.date_filter or "").label
        parts.append(f"{label} {bar.date_from.text() or '…'} to {bar.date_to.text() or '…'}")
    if not parts:
        return "All Aid items to others (the Aid table has no filter); own procurement and sales are left out."
    return "Following the Aid table's filters: " + " · ".join(parts) + ". Own procurement and sales are left out."


class AnalysisPage(QWidget):
    """The charts, the measure they count (EUR or items), and the filters they follow."""

    def __init__(
        self,
        editor: Editor,
        aid_filter_bar: Callable[[], FilterBar],
        ask_path: AskPath | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.ledger = editor.ledger
        self._filter_bar = aid_filter_bar
        self._ask_path = ask_path
        self.panels: list[ChartPanel] = []
        self.figures: Figures | None = None
        self.job: Job | None = None
        self._stale = True
        self._filters: Filters | None = None
        self._watched: FilterBar | None = None

        title = QLabel("<h2>Analysis</h2>")
        self.filters_label = QLabel()
        self.filters_label.setWordWrap(True)
        self.eur_button = QRadioButton("E&UR")  # not Alt+E: that opens the Edit menu
        self.items_button = QRadioButton("&Number of items")
        self.eur_button.setToolTip("Sum the items' EUR values (items without one are counted apart, never as 0)")
        self.items_button.setToolTip("Count the items, whether or not they have a EUR value")
        self.measure_group = QButtonGroup(self)
        self.measure_group.addButton(self.eur_button)
        self.measure_group.addButton(self.items_button)
        self.eur_button.setChecked(True)
        self.eur_button.toggled.connect(self._on_eur_button_toggled)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # a handful of GROUP BYs have no known length: a moving bar
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setFormat("")
        self.busy_label = QLabel("Summing in SQL…")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop summing; the charts stay as they were")
        self.cancel_button.clicked.connect(self.cancel)
        self.status_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(24)
        top.addWidget(QLabel("Measure:"))
        top.addWidget(self.eur_button)
        top.addWidget(self.items_button)
        top.addStretch(1)
        for widget in (self.status_label, self.busy_label, self.busy_bar, self.cancel_button):
            top.addWidget(widget)
        self._set_busy(False)

        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.placeholder = QLabel("Summing the Aid items in SQL…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.addWidget(self.placeholder, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.filters_label)
        layout.addWidget(scroll, 1)
        self.setFocusProxy(self.eur_button)  # shown by Ctrl+9, the keyboard is at the measure; Tab goes chart by chart
        editor.records_changed.connect(self._on_editor_records_changed)

    @property
    def measure(self) -> str:
        """What the charts count: ``EUR`` or ``ITEMS``."""
        return EUR if self.eur_button.isChecked() else ITEMS

    def set_measure(self, measure: str) -> None:
        """Count EUR or items (the charts are drawn again from the figures held, no query)."""
        (self.eur_button if measure == EUR else self.items_button).setChecked(True)

    # --- computing ------------------------------------------------------------------------------------------------

    def refresh(self, filters: Filters | None = None) -> Job:
        """Sum the figures again, off the UI thread, for ``filters`` (the Aid table's by default); returns the job."""
        bar = self._filter_bar()
        if self._watched is not bar:  # the Aid page is made on first use: follow its filters from then on
            bar.changed.connect(self._on_aid_filters_changed)
            self._watched = bar
        self._filters = filters if filters is not None else bar.filters()
        self.filters_label.setText(describe(bar))
        if self.job is not None:
            self.job.cancel()
        self._stale = False
        wanted = self._filters
        job = Job(
            self.ledger.path,
            lambda reader: _figures_with_charts_ready(reader, wanted),
            on_done=lambda result: self._on_job_done(job, result),
            on_failed=lambda message: self._on_job_failed(job, message),
            owner=self,
        )
        self.job = runner().start(job)
        self._set_busy(True)
        return job

    def cancel(self) -> None:
        """Stop the sums under way; the charts shown stay."""
        if self.job is not None:
            self.job.cancel()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.busy_bar, self.busy_label, self.cancel_button):
            widget.setVisible(busy)
        self.status_label.setVisible(not busy)

    def _on_job_done(self, job: Job, result: Figures) -> None:
        if job is not self.job:
            return  # overtaken by newer filters
        self.job = None
        self._set_busy(False)
        first = self.figures is None
        self.figures = result
        self.status_label.setText("")
        if first and result.items and result.without_value == result.items and self.measure == EUR:
            # not one EUR value to chart: count the items, and say so (EUR is a click or Alt+U away)
            self.status_label.setText(f"{result.items:,} items, none with a EUR value: counting items")
            self.eur_button.blockSignals(True)  # drawn once, below
            self.items_button.setChecked(True)
            self.eur_button.blockSignals(False)
        self._draw()

    def _on_job_failed(self, job: Job, message: str) -> None:
        if job is not self.job:
            return
        self.job = None
        self._set_busy(False)
        self._stale = True  # shown again, it sums again
        cancelled = message == CANCELLED
        self.status_label.setText("Cancelled: the charts are of the filters before" if cancelled else message)

    def _draw(self) -> None:
        if self.figures is None:
            return
        if not self.panels:
            self._make_panels()
        for panel in self.panels:
            panel.show_figures(self.figures, self.measure)

    def _make_panels(self) -> None:
        from .charts import CHARTS
        from .panel import ChartPanel

        self.grid.removeWidget(self.placeholder)
        self.placeholder.deleteLater()
        for i, chart in enumerate(CHARTS):
            panel = ChartPanel(chart, self._ask_path, self.grid_host)
            self.panels.append(panel)
            self.grid.addWidget(panel, i // 2, i % 2)
        prev: QWidget = self.items_button
        for panel in self.panels:  # Tab goes chart by chart, through each one's buttons
            for widget in (panel.png_button, panel.svg_button, panel.copy_button):
                QWidget.setTabOrder(prev, widget)
                prev = widget

    # --- following the Aid table and the records ------------------------------------------------------------------

    def shown(self) -> None:
        """Called when the page is shown: sum again if the filters or the records changed while it was hidden."""
        if self._stale and self.job is None:
            self.refresh()

    def _on_eur_button_toggled(self, _: bool) -> None:
        if self.status_label.text().endswith(": counting items"):
            self.status_label.setText("")  # the measure the page chose is the user's choice now
        self._draw()

    def _on_aid_filters_changed(self, filters: Filters) -> None:
        if self.isVisible():
            self.refresh(filters)
        else:
            self._stale = True

    def _on_editor_records_changed(self, kinds: Any, _: Any) -> None:
        if not {"aid", "events", "agreements", "actors"} & set(kinds):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True
