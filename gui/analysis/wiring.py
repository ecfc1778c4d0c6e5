"""How the Analysis page and the Reconciliation view sit in the main window: in its stack, beside the record pages.

They are made the first time they are wanted (matplotlib is not loaded at start) and are not in the sidebar, which
lists the record kinds: View > Analysis (Ctrl+9) and View > Reconciliation (Ctrl+0) show them, and the Totals page has
a button to the Reconciliation. While one shows, the sidebar keeps its current kind but no selection, so a click
on any kind, or Ctrl+1 … Ctrl+8, goes back to a table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QToolButton, QWidget

from .page import AnalysisPage
from .reconciliation import ReconciliationPage

if TYPE_CHECKING:
    from ..main_window import MainWindow
    from ..record_page import RecordPage


def _show(window: MainWindow, page: AnalysisPage | ReconciliationPage) -> None:
    window.sidebar.clearSelection()  # no kind highlighted: the page shown is none of them
    window.stack.setCurrentWidget(page)
    window._update_status()  # the status bar speaks of a table's records: none here
    page.setFocus()
    page.shown()


def _on_sidebar_item_clicked(window: MainWindow, item: QListWidgetItem) -> None:
    """A click on the kind still current goes back to its table (a new current kind does so by itself)."""
    if isinstance(window.stack.currentWidget(), AnalysisPage | ReconciliationPage):
        window.show_kind(item.data(Qt.ItemDataRole.UserRole))


def _made(window: MainWindow, page: QWidget) -> None:
    if window.stack.findChild(AnalysisPage) is None and window.stack.findChild(ReconciliationPage) is None:
        window.sidebar.itemClicked.connect(lambda item: _on_sidebar_item_clicked(window, item))  # once
    window.stack.addWidget(page)


def show_analysis(window: MainWindow) -> AnalysisPage:
    """Show the window's Analysis page, made on first use; returns it."""
    page = window.stack.findChild(AnalysisPage)
    if page is None:
        page = AnalysisPage(window.editor, lambda: window.page("aid").filter_bar)
        _made(window, page)
    _show(window, page)
    return page


def show_reconciliation(window: MainWindow) -> ReconciliationPage:
    """Show the window's Reconciliation view, made on first use; returns it."""
    page = window.stack.findChild(ReconciliationPage)
    if page is None:
        page = ReconciliationPage(window.editor, lambda rid: window.page("aid").open_record(rid))
        _made(window, page)
    _show(window, page)
    return page


def add_reconcile_button(page: RecordPage, window: MainWindow) -> QToolButton:
    """Put a button to the Reconciliation view in the Totals page's filter bar; returns it."""
    button = QToolButton()
    button.setText("Reconcile with the items… (Ctrl+0)")
    button.setToolTip("Each total beside the sum of the items it covers, the gap, and the items without a value")
    button.clicked.connect(lambda: show_reconciliation(window))
    rows = page.filter_bar.layout()
    search_row = rows.itemAt(0) if rows is not None else None
    row = search_row.layout() if search_row is not None else None
    if row is not None:
        row.addWidget(button)
    return button
