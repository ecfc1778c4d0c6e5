"""Work that must not freeze the window (big queries, imports, exports) runs here, on a thread pool.

A job is a QRunnable with a cancel flag that opens its own read-only connection (SQLite connections are not shared
across threads). It reports through a ``JobSignals`` object that its caller owns and keeps in the UI thread: a
QObject must never be destroyed on a worker thread, so jobs hold no QObject of their own. Each signal carries the job
itself, so a caller that started several can ignore the ones it no longer wants. Exactly one of ``finished`` or
``failed`` is emitted per job.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from storage import Ledger, UserError

log = logging.getLogger("aid_ledger")

CANCELLED = "cancelled"
# Jobs stay referenced here while they run, and are let go from the UI thread a moment after they end. Qt must not
# delete them itself (autoDelete): deleting a Python-made QRunnable on a worker thread corrupts Python's memory (seen
# here as "deallocating True or False" after a few hundred cancelled jobs).
_running: dict[ReadJob, None] = {}
RELEASE_AFTER_S = 2.0


class JobSignals(QObject):
    """Signals: progress(job, done, total); finished(job, result); failed(job, message)."""

    progress = Signal(object, int, int)
    finished = Signal(object, object)
    failed = Signal(object, str)


class ReadJob(QRunnable):
    """Run ``work(reader)`` on a read-only connection to the database at ``path``, off the UI thread."""

    def __init__(self, path: Path, work: Callable[[Ledger], Any], signals: JobSignals) -> None:
        super().__init__()
        self.path = path
        self.work = work
        self.signals = signals
        self.cancelled = threading.Event()
        self._reader: Ledger | None = None
        self._lock = threading.Lock()
        self.ended_at: float | None = None
        self.setAutoDelete(False)

    def cancel(self) -> None:
        """Stop the job: a query under way is interrupted, and ``failed`` reports it cancelled."""
        self.cancelled.set()
        with self._lock:  # never interrupt a connection the worker is closing
            if self._reader is not None:
                self._reader.conn.interrupt()  # sqlite3 allows this from another thread

    def run(self) -> None:
        try:
            self._run()
        finally:
            self.ended_at = time.monotonic()

    def _run(self) -> None:
        try:
            reader = Ledger.open_reader(self.path)
            self._reader = reader
            try:
                result = self.work(reader)
            finally:
                with self._lock:
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
            self.signals.failed.emit(self, message)
            return
        if self.cancelled.is_set():
            self.signals.failed.emit(self, CANCELLED)
        else:
            self.signals.finished.emit(self, result)


def start(job: ReadJob) -> ReadJob:
    """Run a job on the global pool; jobs that ended a while ago are let go here, on the UI thread."""
    now = time.monotonic()
    for old in [j for j in _running if j.ended_at is not None and now - j.ended_at > RELEASE_AFTER_S]:
        del _running[old]
    _running[job] = None
    QThreadPool.globalInstance().start(job)
    return job
