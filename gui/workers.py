"""Work that must not freeze the window (big queries, imports, exports) runs here, on worker threads.

Workers are plain Python threads that never touch a Qt object: each job opens its own read-only connection (SQLite
connections are not shared across threads), and the UI thread collects finished jobs with a timer and calls their
callbacks itself. Nothing Qt-made crosses a thread, which rules out a class of crashes seen with QRunnable jobs and
cross-thread signals under load ("deallocating None" after many overlapping queries).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer

from storage import Ledger, UserError

log = logging.getLogger("aid_ledger")

CANCELLED = "cancelled"
POLL_MS = 10

# Each worker thread keeps its read-only connection to a database between jobs, so SQLite's page cache stays warm
# (a fresh connection per job made a sort of a million records 1.7 times slower).
_readers = threading.local()


def _reader_for(path: Path) -> Ledger:
    cache: dict[Path, Ledger] = getattr(_readers, "by_path", None) or {}
    _readers.by_path = cache
    reader = cache.get(path)
    if reader is None:
        reader = cache[path] = Ledger.open_reader(path)
    return reader


def _drop_reader(path: Path) -> None:
    cache: dict[Path, Ledger] = getattr(_readers, "by_path", None) or {}
    reader = cache.pop(path, None)
    if reader is not None:
        reader.close()


class Job:
    """``work(connection)`` run on a worker thread, read-only unless ``writes``; callbacks run on the UI thread.

    Exactly one of ``on_done(result)`` or ``on_failed(message)`` is called, ``on_failed(CANCELLED)`` when cancelled.
    ``report(done, total)`` may be called by the work itself; ``on_progress(done, total)`` then follows on the UI
    thread, at most once per poll.
    """

    def __init__(
        self,
        path: Path,
        work: Callable[[Ledger], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        writes: bool = False,
        owner: QObject | None = None,
    ) -> None:
        self.path = path
        self.writes = writes
        self.owner = owner  # when it is gone (a closed dialog), the callbacks are not called
        self.work = work
        self.on_done = on_done
        self.on_failed = on_failed
        self.on_progress = on_progress
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._reader: Ledger | None = None
        self._progress: tuple[int, int] | None = None

    def cancel(self) -> None:
        """Stop the job: a query under way is interrupted, and ``on_failed(CANCELLED)`` follows."""
        self.cancelled.set()
        with self._lock:  # only while this job uses the connection
            if self._reader is not None:
                self._reader.conn.interrupt()  # sqlite3 allows this from another thread

    def report(self, done: int, total: int) -> None:
        """Called by the work, on the worker thread."""
        self._progress = (done, total)

    def is_cancelled(self) -> bool:
        """Whether ``cancel`` was called: the work should stop at its next check."""
        return self.cancelled.is_set()

    def owner_alive(self) -> bool:
        """Whether the job's owner still exists (a closed dialog's is deleted), so its callbacks may run."""
        return self.owner is None or shiboken6.isValid(self.owner)

    def _run(self) -> Any:
        if self.writes:  # a connection of its own, opened and closed here: writers are never shared
            writer = Ledger.open(self.path, create=False)
            with self._lock:
                self._reader = writer
            try:
                return self.work(writer)
            finally:
                with self._lock:
                    self._reader = None
                    writer.close()
        reader = _reader_for(self.path)
        with self._lock:
            self._reader = reader
        try:
            return self.work(reader)
        except BaseException:
            _drop_reader(self.path)  # a connection left mid-statement (interrupted, failed) is not used again
            raise
        finally:
            with self._lock:
                self._reader = None


class JobRunner(QObject):
    """Runs jobs on a small pool of threads and hands their results back on the UI thread."""

    def __init__(self, parent: QObject | None = None, workers: int = 2) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aid-ledger-job")
        self._pending: list[tuple[Job, Future[Any]]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def start(self, job: Job) -> Job:
        """Queue ``job`` on the pool and watch it until it finishes; returns it."""
        self._pending.append((job, self._pool.submit(job._run)))
        if not self._timer.isActive():
            self._timer.start()
        return job

    @property
    def busy(self) -> bool:
        """Whether a job is queued or running."""
        return bool(self._pending)

    def wait(self) -> None:
        """Block until every job has ended, then deliver their callbacks (for tests and closing)."""
        for _, future in list(self._pending):
            try:
                future.exception()
            except Exception:  # noqa: BLE001 - the callbacks below report it
                pass
        self._poll()

    def _poll(self) -> None:
        still: list[tuple[Job, Future[Any]]] = []
        finished: list[tuple[Job, Future[Any]]] = []
        for job, future in self._pending:
            (finished if future.done() else still).append((job, future))
        self._pending = still
        for job, _ in still:
            progress, job._progress = job._progress, None
            if progress is not None and job.on_progress is not None and job.owner_alive():
                job.on_progress(*progress)
        for job, future in finished:
            self._deliver(job, future)
        if not self._pending:
            self._timer.stop()

    def _deliver(self, job: Job, future: Future[Any]) -> None:
        exc = future.exception()
        if not job.owner_alive():
            return
        if job.cancelled.is_set():
            if job.on_failed is not None:
                job.on_failed(CANCELLED)
            return
        if exc is None:
            job.on_done(future.result())
            return
        if isinstance(exc, UserError):
            message = str(exc)
        else:
            log.error("background job failed", exc_info=exc)
            message = f"unexpected error: {exc}"
        if job.on_failed is not None:
            job.on_failed(message)

    def shutdown(self) -> None:
        """Cancel every job and wait for the threads to stop."""
        for job, _ in self._pending:
            job.cancel()
        self._pool.shutdown(wait=True)
        self._pending.clear()
        self._timer.stop()


_runner: JobRunner | None = None


def runner() -> JobRunner:
    """The application's job runner, made on first use (on the UI thread)."""
    global _runner
    if _runner is None:
        _runner = JobRunner()
    return _runner
