"""Reading an article off the UI thread: its file into text, and its text into drafts as they come.

Each reading runs as a ``gui.workers.Job`` on a read-only connection of its own
(``importers.article.extract_text``); a reading started anew drops whatever the one before still sends.
"""

from __future__ import annotations

import queue
from pathlib import Path

from PySide6.QtCore import QObject, Signal

import importers.article as article
from importers.article import Article, Draft, Extraction
from storage import Ledger

from ..workers import Job, runner


class ArticleReader(QObject):
    """Reads one article at a time for the article window; its signals arrive on the UI thread.

    Signals:
        file_read(article): a file's article (text, title, date), from ``read_file``.
        draft_read(draft): a draft, as the reading makes it (the article's own source draft among them).
        article_read(extraction): the reading is done; the extraction holds every draft.
        failed(message): reading a file or a text failed, or was cancelled (``gui.workers.CANCELLED``).
    """

    file_read = Signal(object)
    draft_read = Signal(object)
    article_read = Signal(object)
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path  # the database's, for the job's own connection
        self.job: Job | None = None  # the reading of a text under way
        self._generation = 0  # a reading's callbacks that arrive after a newer one started are dropped

    @property
    def busy(self) -> bool:
        """Whether a text is being read into drafts."""
        return self.job is not None

    def read_file(self, path: Path) -> None:
        """Read an article's file into its text and what it says of itself; ``file_read`` follows."""

        def work(_conn: Ledger) -> Article:
            return article.read_file(path)

        runner().start(Job(self.path, work, on_done=self.file_read.emit, on_failed=self.failed.emit, owner=self))

    def read(self, given: str | Article, published_on: str | None) -> None:
        """Read a text (or an article read from a file) into drafts, stopping a reading under way.

        ``published_on`` (ISO) is the article's date when it does not say: weekdays and years are read against it.
        """
        self.cancel()
        self._generation += 1
        generation = self._generation
        arrived: queue.SimpleQueue[Draft] = queue.SimpleQueue()  # filled on the worker, emptied on the UI thread

        def work(conn: Ledger) -> Extraction:
            def made(d: Draft) -> None:
                arrived.put(d)
                job.report(arrived.qsize(), 0)

            return article.extract_text(conn, given, published_on=published_on, on_draft=made)

        def progress(_done: int, _total: int) -> None:
            if generation == self._generation:
                while not arrived.empty():
                    self.draft_read.emit(arrived.get())

        def finished(extraction: Extraction) -> None:
            if generation == self._generation:
                self.job = None
                self.article_read.emit(extraction)

        def failed(message: str) -> None:
            if generation == self._generation:
                self.job = None
                self.failed.emit(message)

        job = Job(self.path, work, on_done=finished, on_failed=failed, on_progress=progress, owner=self)
        self.job = runner().start(job)

    def cancel(self) -> None:
        """Stop the reading under way, if any (reading writes nothing)."""
        if self.job is not None:
            self.job.cancel()
