"""Every change the window makes goes through here: one batch in the database, one step on the undo stack.

The one door for writes, as Anki's ``CollectionOp``: a form saved, a cell edited, a paste, a merge (on the window's
connection, through ``action``), and an import (on a background connection, through ``in_background``) each end
in ``_done``: one undo step, one ``records_changed`` naming the kinds and ids that changed, and the ``data_version``
the window now expects, so that its watch for other programs does not take the window's own write for one.

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
from storage.changes import Changes, changes_of
from storage.undo import revert

from .workers import Job, runner


class BatchCommand(QUndoCommand):
    """One user action already written to the database as a batch; undo and redo revert batches."""

    def __init__(self, editor: Editor, label: str, batch_id: int) -> None:
        super().__init__(label[:1].lower() + label[1:])  # the menu reads "Undo: add reported total"
        self.editor = editor
        self.batch_id = batch_id
        self._applied = True

    def undo(self) -> None:
        """Revert the batch: the records go back to how they were before it."""
        self._swap(f"Undo {self.text().lower()}")

    def redo(self) -> None:
        """Apply the batch again; nothing the first time, when the change was just made."""
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
        self.editor.said.emit(f"{'Redone' if self._applied else 'Undone'}: {self.text()}")


class Editor(QObject):
    """Makes changes to the records as undoable steps, and says what changed.

    Signals:
        records_changed(kinds, ids): records of these kinds changed; ``ids`` lists the changed row ids when only
            existing records were edited, or is empty when records were added or removed (tables then re-query).
        failed(message): a change could not be made; nothing was written.
        current_source_changed(rid): the article being entered changed (a source's row id, or None).
        said(message): what an undo, a redo or a delete did, for the status bar.
    """

    records_changed = Signal(object, object)
    failed = Signal(str)
    current_source_changed = Signal(object)
    said = Signal(str)

    def __init__(self, ledger: Ledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        # The data_version the window's connection shows after the window's own writes: another value is another
        # program's write (or another window's), which the window's watch then follows.
        self.data_version = ledger.data_version()
        # The article being turned into records: each new record cites it and takes its date, until it changes.
        self.current_source: int | None = None

    @contextmanager
    def action(self, label: str) -> Iterator[int]:
        """A block of storage calls that form one undoable step; errors propagate and nothing is written."""
        with self.ledger.batch(label) as batch:
            yield batch
        self._done(label, changes_of(self.ledger, batch))

    def in_background(
        self,
        label: str,
        work: Callable[[Ledger, Job], tuple[Any, int | None]],
        *,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
        on_progress: Callable[[int, int], None] | None = None,
        owner: QObject | None = None,
    ) -> Job:
        """Run a long write (an import) off the UI thread, on a connection of its own, through the same door.

        Args:
            label: the undo step's name ("Import aid.xlsx").
            work: called on the worker with its connection and the job (for progress and cancel); returns its
                result and the history batch it wrote (None when it wrote nothing).
            on_done: called on the UI thread with the result, once the change is announced.
            on_failed: called on the UI thread with the message (``workers.CANCELLED`` when cancelled).
            on_progress: called on the UI thread with (done, total) as the work goes.
            owner: once this object is gone (a closed dialog), the callbacks are not called.
        """

        def finished(outcome: tuple[Any, int | None]) -> None:
            result, batch = outcome
            self.ledger.invalidate_all()  # another connection wrote: the names this one remembers may be stale
            self._done(label, changes_of(self.ledger, batch) if batch is not None else None)
            on_done(result)

        job = Job(
            self.ledger.path,
            lambda conn: work(conn, job),
            on_done=finished,
            on_failed=on_failed,
            on_progress=on_progress,
            writes=True,
            owner=owner,
        )
        return runner().start(job)

    def _done(self, label: str, changes: Changes | None) -> None:
        """After a write: its undo step, the version the window expects now, and the notice of what changed."""
        self.expect_own_version()
        if changes is None:
            return
        if changes.batch is not None:
            self.undo_stack.push(BatchCommand(self, label, changes.batch))
        self.records_changed.emit(set(changes.kinds), set(changes.ids))

    def expect_own_version(self) -> None:
        """Take the connection's data_version now as the window's own (after a write made through this door)."""
        self.data_version = self.ledger.data_version()

    def replaced(self) -> None:
        """The file's records were replaced (a restore): no undo step before it applies, every table reads anew."""
        self.undo_stack.clear()
        self.ledger.invalidate_all()
        self._done("", Changes.everything())

    def announce(self, batch: int) -> None:
        """Emit ``records_changed`` for what a batch touched (an undo or a redo, which are batches too)."""
        changes = changes_of(self.ledger, batch)
        self.expect_own_version()
        if changes is not None:
            self.records_changed.emit(set(changes.kinds), set(changes.ids))

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
        """Add a record as one undo step; returns its row id."""
        with self.action(f"Add {_singular(kind)}"):
            return rec.insert(self.ledger, kind, values)

    def set_current_source(self, rid: int | None) -> None:
        """Make source ``rid`` the article the next records cite (None: no article)."""
        if rid != self.current_source:
            self.current_source = rid
            self.current_source_changed.emit(rid)

    def current_article(self) -> dict[str, Any] | None:
        """The current article as stored, or None (none chosen, or deleted since)."""
        if self.current_source is None:
            return None
        try:
            return rec.get(self.ledger, "sources", self.current_source)
        except UserError:
            return None

    def try_insert(self, kind: str, values: dict[str, Any]) -> int | None:
        """``insert``, saying why through ``failed`` when it cannot be done (a name taken, a locked file): None then."""
        try:
            return self.insert(kind, values)
        except UserError as exc:
            self.failed.emit(str(exc))
            return None

    def update(self, kind: str, rid: int, values: dict[str, Any], label: str | None = None) -> list[str]:
        """Change a record as one undo step; returns the names of the fields that changed."""
        with self.action(label or f"Edit {_singular(kind)}"):
            return rec.update(self.ledger, kind, rid, values)

    def delete(self, kind: str, ids: list[int]) -> None:
        """Delete records as one undo step."""
        label = f"Delete {len(ids)} {_plural(kind)}" if len(ids) > 1 else f"Delete {_singular(kind)}"
        with self.action(label):
            for rid in ids:
                rec.delete(self.ledger, kind, rid)
        what = f"{len(ids):,} {_plural(kind)}" if len(ids) > 1 else f"one {_singular(kind)}"
        self.said.emit(f"Deleted {what} (Ctrl+Z brings {'them' if len(ids) > 1 else 'it'} back)")


def _singular(kind: str) -> str:
    from storage import KINDS_BY_NAME

    return KINDS_BY_NAME[kind].singular.lower()


def _plural(kind: str) -> str:
    from storage import KINDS_BY_NAME

    return KINDS_BY_NAME[kind].plural
