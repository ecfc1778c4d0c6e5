"""Background jobs: results, cancelling, and no memory corruption after many cancelled jobs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gui.workers import CANCELLED, JobSignals, ReadJob, start
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
from PySide6.QtCore import QCoreApplication, QThreadPool
from gui.workers import JobSignals, ReadJob, start
from storage.query import Filters, eur_total
app = QCoreApplication([])
signals = JobSignals()
answers = []
signals.finished.connect(lambda job, result: answers.append(result))
signals.failed.connect(lambda job, message: answers.append(message))
for i in range(int(sys.argv[2])):
    job = start(ReadJob(Path(sys.argv[1]), lambda reader: eur_total(reader, Filters()), signals))
    for _ in range(i % 7):
        app.processEvents()
        time.sleep(0.003)
    job.cancel()  # the caller lets go of the job, as a table does when a newer query replaces it
    app.processEvents()
QThreadPool.globalInstance().waitForDone()
app.processEvents()
print("answers", len(answers))
"""


def test_a_job_answers_once_on_its_own_connection(qtbot: QtBot, sample_ledger: Ledger) -> None:
    signals = JobSignals()
    job = ReadJob(sample_ledger.path, counts, signals)
    with qtbot.waitSignal(signals.finished, timeout=5000) as caught:
        start(job)
    assert caught.args[0] is job and caught.args[1] == counts(sample_ledger)


def test_a_cancelled_job_says_so(qtbot: QtBot, sample_ledger: Ledger) -> None:
    signals = JobSignals()
    job = ReadJob(sample_ledger.path, lambda reader: job.cancel() or counts(reader), signals)
    with qtbot.waitSignal(signals.failed, timeout=5000) as caught:
        start(job)
    assert caught.args == [job, CANCELLED]


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
