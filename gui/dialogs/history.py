"""A record's history: every change, newest first, its values as the tables show them; one field's change reverted."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import KINDS_BY_NAME, UserError
from storage import records as rec
from storage.history import history_text, revert_refusal, user_name
from storage.query import UPDATED_COLUMN, UPDATED_LABEL, Column, display

from ..editing import Editor

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: palette(placeholder-text);"
# What an operation in the history did, as the dialog says it ("deleteed" came of f"{op}ed").
_DONE = {"insert": "Record added", "delete": "Record deleted"}
_WHEN = Column(UPDATED_COLUMN, UPDATED_LABEL)  # shown as the tables show the last-updated time
HEADERS = ("When (UTC)", "Who", "Field", "Before", "After", "Part of")
SHORT = 80  # characters of a value the cell shows; the tooltip holds the rest


class HistoryDialog(QDialog):
    """Every change to one record, newest first: when, who, which field, from what to what; a change reverted.

    Values, names and batch labels are the user's text (or a file's): shown as text, never read as markup. Reverting
    a change writes its old value back through the window's ``Editor``: an ordinary edit, one undo step, with a
    history row of its own.

    Attributes:
        reverted: the names of the fields that reverts written from here changed, for the form to show anew.
    """

    def __init__(self, editor: Editor, kind: str, rid: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.kind = KINDS_BY_NAME[kind]
        self.rid = rid
        self.reverted: set[str] = set()
        self.changes: list[dict[str, Any]] = []
        name = rec.display_name(editor.ledger, self.kind, rid) or self.kind.singular.lower()
        self.setWindowTitle(f"History of {name}")

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons; the arrows move in it
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a value's end shows too: "(details changed)"
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu_requested)
        self.table.currentCellChanged.connect(lambda *_: self._update_revert_button())
        header = self.table.horizontalHeader()
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)

        self.revert_button = QPushButton("&Revert this change")
        self.revert_button.setToolTip("Write the selected change's 'Before' value back, as an edit you can undo")
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the user's values
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(960, 460)
        self._fill()
        self.table.setFocus()

    # --- showing ----------------------------------------------------------------------------------------------

    def _fill(self, select: int | None = None) -> None:
        """Read the history again and show it, newest first; select the change with history id ``select``."""
        ledger = self.editor.ledger
        self.changes = list(reversed(rec.history_of(ledger, self.kind, self.rid)))
        self.table.setRowCount(len(self.changes))
        italic = QFont(self.table.font())
        italic.setItalic(True)
        for row, change in enumerate(self.changes):
            if change["op"] == "update":
                name = change["field"]
                before = history_text(ledger, self.kind, name, change["old"])
                after = history_text(ledger, self.kind, name, change["new"])
                cells = [self._field_label(name), before, after]
                # A link's quote changed, say, which the table's text leaves out: said, past the cut.
                details = before == after and change["old"] != change["new"]
            else:
                cells, details = [_DONE.get(change["op"], change["op"]), "", ""], False
            texts = [display(_WHEN, change["at"]), user_name(change["who"]), *cells, change["batch"]]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(_short(text) + (" (details changed)" if details and column == 4 else ""))
                if len(text) > SHORT or "\n" in text or (column in (3, 4) and text):  # a narrow cell elides too
                    item.setToolTip(_tooltip(text))
                elif column == 1 and text != change["who"]:
                    item.setToolTip(_tooltip(f"Login: {change['who']}"))
                if column in (3, 4) and change["op"] == "update" and not text:
                    item.setText("empty")
                    item.setFont(italic)
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
        if not self.changes:
            self.message.setText("No changes recorded.")
        at = next((i for i, c in enumerate(self.changes) if c["id"] == select), 0)
        if self.changes:
            self.table.setCurrentCell(at, 0)
        self._update_revert_button()

    def _field_label(self, name: str) -> str:
        try:
            return self.kind.field(name).label
        except KeyError:  # a field the description no longer has
            return name

    def _current_change(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.changes[row] if 0 <= row < len(self.changes) else None

    def _update_revert_button(self) -> None:
        change = self._current_change()
        self.revert_button.setEnabled(change is not None and change["op"] == "update")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)

    # --- reverting --------------------------------------------------------------------------------------------

    def _on_table_context_menu_requested(self, pos: QPoint) -> None:
        row = self.table.rowAt(pos.y())
        if row < 0:
            return
        self.table.setCurrentCell(row, max(self.table.currentColumn(), 0))
        menu = QMenu(self)
        action = QAction("Revert this change", menu)
        action.setEnabled(self.changes[row]["op"] == "update")
        action.triggered.connect(self.revert_current)
        menu.addAction(action)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _on_revert_button_clicked(self) -> None:
        self.revert_current()

    def revert_current(self) -> bool:
        """Write the selected change's old value back as one edit; say in the dialog what was done, or why not.

        Returns:
            Whether anything was written.
        """
        change = self._current_change()
        if change is None or change["op"] != "update":
            return False
        ledger, name, old = self.editor.ledger, change["field"], change["old"]
        label = self._field_label(name)
        refusal = revert_refusal(ledger, self.kind, name, old)
        if refusal:
            self._say(refusal, error=True)
            return False
        shown = history_text(ledger, self.kind, name, old) or "empty"
        try:
            changed = self.editor.update(self.kind.name, self.rid, {name: old}, label=f"Revert {label}")
        except UserError as exc:  # the record deleted, a required field it would empty, a locked file
            self._say(f"Not reverted: {exc}", error=True)
            return False
        if not changed:
            self._say(f"{label} is already {_short(shown)}: nothing to revert.")
            return False
        self.reverted.update(changed)
        self._fill(select=change["id"])
        self._say(f"{label} is {_short(shown)} again (one step that Undo takes back).")
        return True


def _short(text: str) -> str:
    """A value on one line, cut to what a cell shows."""
    line = " ⏎ ".join(text.splitlines()) if "\n" in text else text
    return (line[:SHORT] + "…") if len(line) > SHORT else line


def _tooltip(text: str) -> str:
    """The whole value as a tooltip: escaped, since Qt reads a tooltip that looks like markup as markup."""
    return f'<p style="white-space: pre-wrap">{html.escape(text)}</p>'
