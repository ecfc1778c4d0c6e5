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

    def cancel(self) -> None:
        self.cancelled.set()

    def run(self) -> None:
        try:
            self._run()
        finally:
            _running.discard(self)

    def _run(self) -> None:
        try:
            reader = Ledger.open_reader(self.path)
            try:
                result = self.work(reader)
            finally:
                reader.close()
        except UserError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a worker must always answer; the details go to the log
            log.error("background job failed", exc_info=exc)
            self.signals.failed.emit(f"unexpected error: {exc}")
            return
        if not self.cancelled.is_set():
            self.signals.finished.emit(result)


def start(job: ReadJob) -> ReadJob:
    job.setAutoDelete(False)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return job
