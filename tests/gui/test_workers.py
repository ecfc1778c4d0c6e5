"""Background jobs: results, cancelling, and no memory corruption after many cancelled jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gui.workers import CANCELLED, Job, runner
from storage import Ledger
from storage.bulk import bulk_insert
from storage.stats import counts
from tests.bench.synthetic import actors, aid_rows
from tests.conftest import FULL

ROOT = Path(__file__).resolve().parents[2]

STORM = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from gui.workers import Job, runner
from storage.query import Filters, eur_total
app = QCoreApplication([])
answers = []
for i in range(int(sys.argv[2])):
    job = runner().start(Job(Path(sys.argv[1]), lambda reader: eur_total(reader, Filters()),
                             on_done=answers.append, on_failed=answers.append))
    for _ in range(i % 7):
        app.processEvents()
        time.sleep(0.003)
    job.cancel()  # the caller lets go of the job, as a table does when a newer query replaces it
    app.processEvents()
runner().wait()
print("answers", len(answers))
"""


def test_a_job_answers_once_on_its_own_connection_on_the_ui_thread(qtbot: QtBot, sample_ledger: Ledger) -> None:
    answers: list[object] = []
    threads: list[object] = []

    def done(result: object) -> None:
        answers.append(result)
        threads.append(threading.current_thread())

    runner().start(Job(sample_ledger.path, counts, on_done=done, on_failed=answers.append))
    qtbot.waitUntil(lambda: bool(answers))
    qtbot.waitUntil(lambda: not runner().busy)  # the job is off the runner's list: no second answer can come
    assert answers == [counts(sample_ledger)]
    assert threads == [threading.main_thread()]


def test_a_cancelled_job_says_so_and_progress_reaches_the_ui(qtbot: QtBot, sample_ledger: Ledger) -> None:
    answers: list[object] = []
    seen: list[tuple[int, int]] = []
    gate = threading.Event()

    def work(reader: Ledger) -> object:
        job.report(1, 3)
        gate.wait(5)
        return counts(reader)

    job = Job(
        sample_ledger.path,
        work,
        on_done=answers.append,
        on_failed=answers.append,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    runner().start(job)
    qtbot.waitUntil(lambda: bool(seen))
    job.cancel()
    gate.set()
    qtbot.waitUntil(lambda: bool(answers))
    assert answers == [CANCELLED] and seen == [(1, 3)]


@pytest.mark.slow
def test_many_cancelled_jobs_do_not_corrupt_memory(tmp_path: Path) -> None:
    """Once crashed the process ("deallocating True or False") when jobs were let go while still running."""
    with Ledger.open(tmp_path / "storm.db") as ledger:
        bulk_insert(ledger, "aid", aid_rows(100_000, actors(ledger)))
    jobs = "1000" if FULL else "300"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", STORM, str(tmp_path / "storm.db"), jobs],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == f"answers {jobs}"
