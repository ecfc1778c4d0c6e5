"""Work that must not freeze the window (big queries, imports, exports) runs here, on a thread pool.

A job is a QRunnable with a QObject of signals and a cancel flag, and opens its own read-only connection: SQLite
connections are not shared across threads. It emits exactly one of ``finished`` or ``failed``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from storage import Ledger, UserError

log = logging.getLogger("aid_ledger")

CANCELLED = "cancelled"

# Jobs are kept here until they end: a job whose Python object were collected mid-run would lose its signals.
_running: set[ReadJob] = set()


class JobSignals(QObject):
    """Signals: progress(done, total); finished(result); failed(message)."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class ReadJob(QRunnable):
    """Run ``work(reader)`` on a read-only connection to the database at ``path``, off the UI thread."""

    def __init__(self, path: Path, work: Callable[[Ledger], Any]) -> None:
        super().__init__()
        self.path = path
        self.work = work
        self.signals = JobSignals()
        self.cancelled = threading.Event()
        self._reader: Ledger | None = None

    def cancel(self) -> None:
        """Stop the job: a query under way is interrupted, and no final signal but ``failed`` is emitted."""
        self.cancelled.set()
        reader = self._reader
        if reader is not None:
            reader.conn.interrupt()  # sqlite3 allows this from another thread

    def run(self) -> None:
        try:
            self._run()
        finally:
            _running.discard(self)

    def _run(self) -> None:
        try:
            reader = Ledger.open_reader(self.path)
            self._reader = reader
            try:
                result = self.work(reader)
            finally:
                self._reader = None
                reader.close()
        except Exception as exc:  # noqa: BLE001 - a worker must always answer; unexpected details go to the log
            if self.cancelled.is_set():
                message = CANCELLED
            elif isinstance(exc, UserError):
                message = str(exc)
            else:
                log.error("background job failed", exc_info=exc)
                message = f"unexpected error: {exc}"
            self.signals.failed.emit(message)
            return
        if self.cancelled.is_set():
            self.signals.failed.emit(CANCELLED)
        else:
            self.signals.finished.emit(result)


def start(job: ReadJob) -> ReadJob:
    job.setAutoDelete(False)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job
