"""Every change the window makes goes through here: one batch in the database, one step on the undo stack.

The undo stack holds batch ids, not copies of data: undoing reverts the batch through the history table (a new
batch), and redoing reverts that one. So undo works across all edits of the session, and the history stays complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from storage import Ledger, UserError
from storage import records as rec
from storage.undo import revert


class BatchCommand(QUndoCommand):
    """One user action already written to the database as a batch; undo and redo revert batches."""

    def __init__(self, editor: Editor, label: str, batch_id: int) -> None:
        super().__init__(label)
        self.editor = editor
        self.batch_id = batch_id
        self._applied = True

    def undo(self) -> None:
        self._swap(f"Undo {self.text().lower()}")

    def redo(self) -> None:
        if self._applied:  # pushed right after the change was made: nothing to redo yet
            return
        self._swap(f"Redo {self.text().lower()}")

    def _swap(self, label: str) -> None:
        try:
            self.batch_id = revert(self.editor.ledger, self.batch_id, label)
        except UserError as exc:
            self.setObsolete(True)
            self.editor.failed.emit(str(exc))
            return
        self._applied = not self._applied
        self.editor.announce(self.batch_id)


class Editor(QObject):
    """Makes changes to the records as undoable steps, and says what changed.

    Signals:
        records_changed(kinds, ids): records of these kinds changed; ``ids`` lists the changed row ids when only
            existing records were edited, or is empty when records were added or removed (tables then re-query).
        failed(message): a change could not be made; nothing was written.
    """

    records_changed = Signal(object, object)
    failed = Signal(str)

    def __init__(self, ledger: Ledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)

    @contextmanager
    def action(self, label: str) -> Iterator[int]:
        """A block of storage calls that form one undoable step; errors propagate and nothing is written."""
        with self.ledger.batch(label) as batch:
            yield batch
        if self.ledger.conn.execute("SELECT 1 FROM history WHERE batch_id = ? LIMIT 1", (batch,)).fetchone():
            self.undo_stack.push(BatchCommand(self, label, batch))
            self.announce(batch)

    def announce(self, batch: int) -> None:
        """Emit ``records_changed`` for what a batch touched."""
        rows = self.ledger.conn.execute(
            "SELECT kind, op, record_id FROM history WHERE batch_id = ?", (batch,)
        ).fetchall()
        kinds = {kind for kind, _, _ in rows}
        only_updates = all(op == "update" for _, op, _ in rows)
        ids = {rid for _, _, rid in rows} if only_updates else set()
        self.records_changed.emit(kinds, ids)

    def run(self, label: str, work: Callable[[], Any]) -> Any:
        """Run ``work`` as one undoable step; a user error is reported through ``failed`` and returns None."""
        try:
            with self.action(label):
                return work()
        except UserError as exc:
            self.failed.emit(str(exc))
            return None

    # Shorthands for the single-record changes the window makes most.

    def insert(self, kind: str, values: dict[str, Any]) -> int:
        with self.action(f"Add {_singular(kind)}"):
            return rec.insert(self.ledger, kind, values)

    def update(self, kind: str, rid: int, values: dict[str, Any], label: str | None = None) -> list[str]:
        with self.action(label or f"Edit {_singular(kind)}"):
            return rec.update(self.ledger, kind, rid, values)

    def delete(self, kind: str, ids: list[int]) -> None:
        label = f"Delete {len(ids)} {_plural(kind)}" if len(ids) > 1 else f"Delete {_singular(kind)}"
        with self.action(label):
            for rid in ids:
                rec.delete(self.ledger, kind, rid)


def _singular(kind: str) -> str:
    from storage import KINDS_BY_NAME

    return KINDS_BY_NAME[kind].singular.lower()


def _plural(kind: str) -> str:
    from storage import KINDS_BY_NAME

    return KINDS_BY_NAME[kind].label.lower()
