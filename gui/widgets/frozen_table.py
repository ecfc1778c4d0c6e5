"""A table whose title column stays in view when it scrolls right, and whose sort arrow points as in Excel.

After Qt's "Frozen Column" example: a second view lies over the table's left edge, sharing its model and selection
model, and shows the title column only. The title column stays first in the table, under that view, so that
keyboard moves, selections and copies see the same columns in the same order.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFocusEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex


class ExcelSortArrowStyle(QProxyStyle):
    """Draws a header's sort arrow pointing up for A to Z (ascending) and down for Z to A, as Excel does.

    QHeaderView hands an ascending order to the style as ``SortDown``, which Fusion draws as a downward arrow. The
    arrow is drawn here with the style's own up and down arrows, so it points the same way in every style.
    """

    def drawPrimitive(  # noqa: N802 - Qt's name
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        """The header's sort arrow by the order it stands for; everything else as the application's style draws it."""
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            ascending = option.sortIndicator == QStyleOptionHeader.SortIndicator.SortDown  # QHeaderView's mapping
            if ascending or option.sortIndicator == QStyleOptionHeader.SortIndicator.SortUp:
                arrow = (
                    QStyle.PrimitiveElement.PE_IndicatorArrowUp
                    if ascending
                    else QStyle.PrimitiveElement.PE_IndicatorArrowDown
                )
                super().drawPrimitive(arrow, option, painter, widget)
            return
        super().drawPrimitive(element, option, painter, widget)


def excel_sort_arrows(header: QHeaderView) -> ExcelSortArrowStyle:
    """Give ``header`` sort arrows that point as in Excel; the style belongs to the header."""
    app_style = QApplication.style()
    style = ExcelSortArrowStyle(QStyleFactory.create(app_style.name()) if app_style is not None else None)
    style.setParent(header)
    header.setStyle(style)
    return style


class _FrozenView(QTableView):
    """The view over the table's left edge: the title column only, its rows scrolled with the table's.

    It never keeps the keyboard and never edits: a click hands the keyboard back to the table, which moves across
    every column and edits every cell (a title cell too, with this view put away meanwhile).
    """

    def __init__(self, table: FrozenColumnTableView) -> None:
        super().__init__(table)
        self._table = table
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        excel_sort_arrows(header)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        """Hand the keyboard to the table at once (it is the one that moves across the columns)."""
        super().focusInEvent(event)
        if self._table.isVisible():
            self._table.setFocus(event.reason())


class FrozenColumnTableView(QTableView):
    """A table view that keeps one column (the record's title) in view at its left edge when it scrolls right.

    The frozen column is a second view over the left edge, sharing the model (so no row is read twice) and the
    selection model; the frozen column is kept first in the table. Widths, hiding, sorting and vertical scrolling
    are kept in step both ways.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._column = -1
        self._editing_frozen = False  # a title cell is being edited: the frozen view is put away, the table scrolled
        self.frozen = _FrozenView(self)
        self.frozen.hide()
        excel_sort_arrows(self.horizontalHeader())
        header = self.horizontalHeader()
        header.sectionResized.connect(self._on_header_section_resized)
        header.sectionMoved.connect(self._on_header_section_moved)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        header.geometriesChanged.connect(self._place_frozen)
        self.frozen.horizontalHeader().sectionResized.connect(self._on_frozen_header_section_resized)
        self.frozen.horizontalHeader().sectionClicked.connect(self._on_frozen_header_section_clicked)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalHeader().sectionResized.connect(lambda *_: self._copy_row_height())

    @property
    def frozen_column(self) -> int:
        """The model column kept in view (-1 when none)."""
        return self._column

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt's name
        """Show ``model`` here and in the frozen column, with one selection for both."""
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        self._show_only_frozen()

    def freeze_column(self, column: int) -> None:
        """Keep model column ``column`` first and in view when the table scrolls right."""
        self._column = column
        for attr in ("selectionBehavior", "selectionMode", "wordWrap", "alternatingRowColors"):
            getattr(self.frozen, "set" + attr[0].upper() + attr[1:])(getattr(self, attr)())
        self.frozen.setVerticalScrollMode(self.verticalScrollMode())
        self._copy_row_height()
        self._show_only_frozen()
        self._keep_frozen_first()
        if self.columnWidth(column) > 0:
            self.frozen.setColumnWidth(column, self.columnWidth(column))
        self._on_header_sort_indicator_changed(
            self.horizontalHeader().sortIndicatorSection(), self.horizontalHeader().sortIndicatorOrder()
        )
        self._place_frozen()

    def restore_frozen_column(self) -> None:
        """After the header's state was restored: the frozen column first again, and its width and arrow copied."""
        if self._column >= 0:
            self.freeze_column(self._column)

    def frozen_width(self) -> int:
        """How much of the table's left edge the frozen column covers."""
        if self._column < 0 or self.isColumnHidden(self._column):
            return 0
        return self.columnWidth(self._column)

    # --- keeping the two in step -----------------------------------------------------------------------------------

    def _show_only_frozen(self) -> None:
        model = self.model()
        if model is None or self._column < 0:
            return
        for c in range(model.columnCount()):
            self.frozen.setColumnHidden(c, c != self._column)

    def _copy_row_height(self) -> None:
        size = self.verticalHeader().defaultSectionSize()
        self.frozen.verticalHeader().setDefaultSectionSize(size)
        self.frozen.verticalHeader().setMinimumSectionSize(self.verticalHeader().minimumSectionSize())

    def _keep_frozen_first(self) -> None:
        header = self.horizontalHeader()
        if self._column >= 0 and header.visualIndex(self._column) > 0:
            header.moveSection(header.visualIndex(self._column), 0)

    def _place_frozen(self) -> None:
        width = self.frozen_width()
        if width <= 0 or self._editing_frozen:
            self.frozen.hide()
            return
        header = self.horizontalHeader()
        self.frozen.horizontalHeader().setFixedHeight(header.height())
        frame = self.frameWidth()
        x = frame + (self.verticalHeader().width() if self.verticalHeader().isVisible() else 0)
        width = min(width, self.viewport().width())
        self.frozen.setGeometry(x, frame, width, self.viewport().height() + header.height())
        self.frozen.verticalScrollBar().setValue(self.verticalScrollBar().value())
        self.frozen.show()

    def _on_header_section_resized(self, logical: int, _old: int, new: int) -> None:
        if logical != self._column:
            return
        if new > 0 and self.frozen.columnWidth(logical) != new:
            self.frozen.setColumnWidth(logical, new)
        self._place_frozen()

    def _on_frozen_header_section_resized(self, logical: int, _old: int, new: int) -> None:
        """The user dragged the frozen column's edge: the table's column takes the width (and moves the view's)."""
        if logical == self._column and new > 0 and new != self.columnWidth(logical):
            self.setColumnWidth(logical, new)

    def _on_header_section_moved(self, *_: Any) -> None:
        self._keep_frozen_first()

    def _on_header_sort_indicator_changed(self, section: int, order: Qt.SortOrder) -> None:
        frozen = self.frozen.horizontalHeader()
        frozen.blockSignals(True)
        frozen.setSortIndicator(section, order)
        frozen.blockSignals(False)
        frozen.viewport().update()

    def _on_frozen_header_section_clicked(self, section: int) -> None:
        """A click on the frozen header sorts as a click on the table's own would: A to Z first, then flipped."""
        header = self.horizontalHeader()
        if not self.isSortingEnabled() or not header.sectionsClickable():
            return
        ascending = Qt.SortOrder.AscendingOrder
        same = header.sortIndicatorSection() == section and header.sortIndicatorOrder() == ascending
        header.setSortIndicator(section, Qt.SortOrder.DescendingOrder if same else ascending)

    # --- the table under the frozen column --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Keep the frozen column over the left edge at the new size."""
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:  # noqa: N802 - Qt's name
        """Lay the headers out, then the frozen column over them."""
        super().updateGeometries()
        self._place_frozen()

    def scrollTo(  # noqa: N802 - Qt's name
        self, index: Index, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
    ) -> None:
        """Scroll so that ``index`` is seen: right of the frozen column, or, for a title cell, only up or down."""
        bar = self.horizontalScrollBar()
        before = bar.value()
        super().scrollTo(index, hint)
        if not index.isValid() or self.frozen_width() <= 0:
            return
        if index.column() == self._column:
            bar.setValue(before)  # the frozen view shows it wherever the table is scrolled
            return
        left = self.visualRect(index).left()
        if left < self.frozen_width():
            bar.setValue(bar.value() + left - self.frozen_width())

    def edit(self, index: Index, trigger: Any = None, event: Any = None) -> bool:  # type: ignore[override]
        """Edit a cell; for a title cell the table scrolls to its left edge and the frozen view steps aside.

        At the left edge the table's own title column lies exactly under the frozen one, so nothing moves but the
        editor, which is the table's, with the table's delegate and keys (Tab goes on to the next column).
        """
        if trigger is None:  # the public edit(index)
            super().edit(index)
            return True
        if index.isValid() and index.column() == self._column and self.frozen_width() > 0:
            before = self.horizontalScrollBar().value()
            self.horizontalScrollBar().setValue(0)
            self._editing_frozen = True
            self.frozen.hide()
            if super().edit(index, trigger, event):
                return True
            self._editing_frozen = False
            self.horizontalScrollBar().setValue(before)
            self._place_frozen()
            return False
        return bool(super().edit(index, trigger, event))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802 - Qt's name
        """Close a cell's editor; after a title cell's, the frozen view comes back."""
        self._editing_frozen = False
        super().closeEditor(editor, hint)
        self._place_frozen()
