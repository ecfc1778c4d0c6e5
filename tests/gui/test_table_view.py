"""The big table of issue 14: columns fill the width, the title stays in view, the sort arrow points as in Excel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLineEdit
from pytestqt.qtbot import QtBot

from gui import settings
from gui.main_window import MainWindow
from gui.models import record_table
from gui.record_page import RecordPage
from storage import Ledger


@pytest.fixture
def page(qtbot: QtBot, sample_ledger: Ledger) -> RecordPage:
    settings.set_backup_on_start(False)
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.resize(1100, 600)
    window.show()
    window.show_kind("aid")
    shown = window.current_page()
    assert shown is not None
    qtbot.waitUntil(lambda: shown.model.rowCount() > 20)
    qtbot.waitExposed(shown.view)
    return shown


def _arrow_points_up(header: QHeaderView, section: int, order: Qt.SortOrder) -> bool:
    """Whether the sort arrow drawn for ``order`` is a triangle with its apex up (its wide side at the bottom).

    The header is drawn in both orders; the pixels only one order's arrow darkens lie at its wide side.
    """
    other = Qt.SortOrder.DescendingOrder if order == Qt.SortOrder.AscendingOrder else Qt.SortOrder.AscendingOrder
    images = {}
    for o in (order, other):
        header.setSortIndicator(section, o)
        images[o] = header.grab().toImage()
    mine: list[int] = []
    theirs: list[int] = []
    left = header.sectionViewportPosition(section)
    for y in range(images[order].height()):
        for x in range(max(0, left), min(images[order].width(), left + header.sectionSize(section))):
            a = QColor(images[order].pixel(x, y)).lightness()
            b = QColor(images[other].pixel(x, y)).lightness()
            if a < b - 30:
                mine.append(y)
            elif b < a - 30:
                theirs.append(y)
    assert mine and theirs, "no sort arrow drawn"
    return sum(mine) / len(mine) > sum(theirs) / len(theirs)


def test_the_sort_arrow_points_up_for_a_to_z_and_down_for_z_to_a(qtbot: QtBot, page: RecordPage) -> None:
    header = page.view.horizontalHeader()
    donor = page.model.column_of("donor")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_center(header, donor))
    qtbot.waitUntil(lambda: page.model.order[:1] == [("donor", True)])  # the first click sorts A to Z
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert _arrow_points_up(header, donor, Qt.SortOrder.AscendingOrder)
    assert not _arrow_points_up(header, donor, Qt.SortOrder.DescendingOrder)
    frozen = page.view.frozen.horizontalHeader()  # the frozen title column's header draws it the same way
    item = page.model.column_of("item")
    header.setSortIndicator(item, Qt.SortOrder.AscendingOrder)
    assert _arrow_points_up(frozen, item, Qt.SortOrder.AscendingOrder)


def test_the_saved_header_gives_back_the_same_order_and_arrow(qtbot: QtBot, page: RecordPage) -> None:
    header = page.view.horizontalHeader()
    value = page.model.column_of("value_eur")
    header.setSortIndicator(value, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.model.order[:1] == [("value_eur", False)])
    page.save_settings()
    again = RecordPage(page.editor, "aid")
    qtbot.addWidget(again)
    again.resize(1000, 500)
    again.show()
    again.load()
    assert again.model.order == [("value_eur", False)]
    assert again.view.frozen_column == again.model.column_of("item")
    again.view.scrollTo(again.model.index(0, value))  # the arrow in sight, to be drawn
    assert not _arrow_points_up(again.view.horizontalHeader(), value, Qt.SortOrder.DescendingOrder)


def _section_center(header: QHeaderView, section: int) -> QPoint:
    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)


def test_the_columns_fill_the_width_and_can_still_be_scrolled_and_resized(qtbot: QtBot, page: RecordPage) -> None:
    view, header = page.view, page.view.horizontalHeader()
    shown = ("item", "donor", "status")
    for i, col in enumerate(page.model.columns):
        view.setColumnHidden(i, col.name not in shown)
    # no grey space on the right, nothing to scroll
    qtbot.waitUntil(lambda: header.length() == view.viewport().width() and view.horizontalScrollBar().maximum() == 0)
    for i in range(len(page.model.columns)):
        view.setColumnHidden(i, False)
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() > 0)  # wider than the view: it scrolls
    donor = page.model.column_of("donor")
    header.resizeSection(donor, 333)
    assert header.sectionSize(donor) == 333 and header.sectionResizeMode(donor) == QHeaderView.ResizeMode.Interactive


def test_the_item_column_stays_in_view_when_scrolled_right(
    qtbot: QtBot, page: RecordPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, frozen, model = page.view, page.view.frozen, page.model
    item = model.column_of("item")
    reads: list[int] = []
    real = record_table.rows_by_ids
    monkeypatch.setattr(record_table, "rows_by_ids", lambda *a: reads.append(1) or real(*a))
    model.reload_rows()
    view.verticalScrollBar().setValue(3)
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(50)  # a paint, to show what the user sees
    assert bar.value() > 1000
    assert view.columnViewportPosition(item) < 0  # the table's own item column has scrolled out of sight
    assert frozen.isVisible() and frozen.model() is model and frozen.selectionModel() is view.selectionModel()
    assert frozen.geometry().left() <= view.frameWidth() and frozen.width() == view.columnWidth(item)
    assert [c for c in range(model.columnCount()) if not frozen.isColumnHidden(c)] == [item]
    assert frozen.verticalScrollBar().value() == view.verticalScrollBar().value() == 3
    for y in (5, 100, 300):  # the same rows, side by side
        left = frozen.indexAt(QPoint(5, y))
        right = view.indexAt(QPoint(view.viewport().width() - 5, y))
        assert left.column() == item and left.row() == right.row()
        assert left.data() == model.index(right.row(), item).data() and left.data()
    assert frozen.rowViewportPosition(left.row()) == view.rowViewportPosition(right.row())
    assert len(reads) == 1  # one page, read once for both views


def test_keys_move_past_the_frozen_column_and_a_title_cell_is_edited_in_sight(qtbot: QtBot, page: RecordPage) -> None:
    view, model = page.view, page.model
    item = model.column_of("item")
    page.focus_results()
    assert view.currentIndex().column() == item
    assert view.horizontalHeader().visualIndex(item) == 0  # the title is the first column, under the frozen one
    qtbot.keyClick(view, Qt.Key.Key_End)  # to the last column: the table scrolls right, the title stays
    assert view.horizontalScrollBar().value() == view.horizontalScrollBar().maximum() > 0
    assert view.frozen.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentIndex().column() == item
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    qtbot.keyClick(view, Qt.Key.Key_Right)
    current = view.currentIndex()
    assert view.horizontalHeader().visualIndex(current.column()) == 1
    assert view.visualRect(current).left() >= view.frozen.width()  # seen, right of the frozen column
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editors = [w for w in view.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1 and not view.frozen.isVisible()  # the editor is not hidden under the frozen view
    assert editors[0].geometry().left() >= 0 and editors[0].text() == model.index(current.row(), item).data()
    qtbot.keyClick(editors[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert view.frozen.isVisible() and view.hasFocus()
    qtbot.mouseClick(view.frozen.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(10, 40))
    assert view.hasFocus() and view.currentIndex().column() == item  # a click on the title keeps the keys here
