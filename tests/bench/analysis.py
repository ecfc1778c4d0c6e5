"""The Analysis page's side of ``make bench``, run in a process of its own: prints one JSON object of figures.

python -m tests.bench.analysis DB

On the database (opened read-only: the bench cache is never written), it times ``storage.analysis.figures`` (the
app's SQL, in one snapshot) against the same GROUP BY statements run bare on sqlite3, checks that the sums agree,
and then times the real Analysis page, offscreen: from asking for the charts until all four are drawn, the drawing
alone, and the longest the UI thread went without turning its event loop meanwhile (the sums run on a worker).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from storage import KINDS_BY_NAME, Ledger  # noqa: E402
from storage.analysis import figures  # noqa: E402
from storage.kinds import NOT_AID  # noqa: E402
from storage.query import Filters, counted_eur, where_clause, without_value  # noqa: E402

REPEAT = 3


def bare_statements() -> list[tuple[str, list[Any]]]:
    """The SQL that ``figures`` runs, unfiltered, as plain statements with their arguments."""
    query = where_clause(KINDS_BY_NAME["aid"], Filters())
    marks = ", ".join("?" * len(NOT_AID))
    where = " WHERE " + " AND ".join([*query.where, f"r.kind NOT IN ({marks})"])
    args = [*query.args, *NOT_AID]
    eur = f"coalesce(sum({counted_eur()}), 0)"
    return [
        (f"SELECT substr(r.announced_on, 1, 4), r.category, {eur}, count(*) FROM aid r{where} GROUP BY 1, 2", args),
        (
            f"SELECT d.name, {eur}, count(*), sum({without_value()}) FROM aid r"
            f" LEFT JOIN actors d ON d.id = r.donor_id{where} GROUP BY r.donor_id ORDER BY 2 DESC, 1",
            args,
        ),
        (f"SELECT r.status, {eur}, count(*), sum({without_value()}) FROM aid r{where} GROUP BY r.status", args),
        (
            f"SELECT substr(r.announced_on, 1, 7), {eur} FROM aid r{where} AND length(r.announced_on) >= 7 GROUP BY 1",
            args,
        ),
        ("SELECT substr(date, 1, 7), count(*) FROM events WHERE length(date) >= 7 GROUP BY 1", []),
        ("SELECT substr(signed_on, 1, 7), count(*) FROM agreements WHERE length(signed_on) >= 7 GROUP BY 1", []),
    ]


def bare(path: Path) -> tuple[float, dict[str, Any]]:
    """Seconds to run the statements on a plain read-only sqlite3 connection, and the status sums they give."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    start = time.perf_counter()
    results = [conn.execute(sql, args).fetchall() for sql, args in bare_statements()]
    seconds = time.perf_counter() - start
    conn.close()
    return seconds, {status: (total, n) for status, total, n, _ in results[2]}


def app(path: Path) -> tuple[float, dict[str, Any]]:
    """Seconds for ``figures`` on a reader, as the page's worker runs it, and its status sums."""
    with Ledger.open_reader(path) as reader:
        start = time.perf_counter()
        got = figures(reader)
        seconds = time.perf_counter() - start
    return seconds, {status: (total, n) for status, total, n, _ in got.by_status}


def page(path: Path) -> dict[str, float]:
    """The real Analysis page, offscreen: time to its four charts drawn, drawing alone, and the longest stall."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.analysis.page import EUR, AnalysisPage
    from gui.editing import Editor
    from gui.widgets.filter_bar import FilterBar

    qt = QApplication.instance() or QApplication([])
    reader = Ledger.open_reader(path)
    editor = Editor(reader)
    bar = FilterBar(reader, "aid")
    view = AnalysisPage(editor, lambda: bar)
    view.resize(1200, 800)
    view.show()
    stalls: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer(interval=5)
    ticker.timeout.connect(lambda: (stalls.append(clock.restart() / 1000), None))
    clock.start()
    ticker.start()
    start = time.perf_counter()
    view.refresh()
    while view.job is not None or not view.panels:
        qt.processEvents()
        time.sleep(0.001)
    view.set_measure(EUR)
    for panel in view.panels:
        panel.canvas.draw()  # draw_idle waits for the loop: draw now, so the time is the drawing's
    to_drawn = time.perf_counter() - start
    ticker.stop()
    draws = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        assert view.figures is not None
        for panel in view.panels:
            panel.show_figures(view.figures, EUR)
            panel.canvas.draw()
        draws.append(time.perf_counter() - t)
    assert view.figures is not None
    sums = {status: (total, n) for status, total, n, _ in view.figures.by_status}
    # the longest the loop waited between two ticks while the sums ran (the last gap is the drawing, on purpose)
    longest = max(stalls[:-1] or [0.0])
    view.close()
    reader.close()
    return {"to_drawn": to_drawn, "draw": min(draws), "longest_stall": longest, "sums": sums}  # type: ignore[dict-item]


def main() -> int:
    """Measure and print the figures as one JSON line."""
    path = Path(sys.argv[1])
    bare_s, bare_sums = min((bare(path) for _ in range(REPEAT)), key=lambda r: r[0])
    app_s, app_sums = min((app(path) for _ in range(REPEAT)), key=lambda r: r[0])
    shown = page(path)
    page_sums = shown.pop("sums")
    agree = bare_sums == app_sums == page_sums
    with Ledger.open_reader(path) as reader:
        rows = reader.conn.execute("SELECT count(*) FROM aid").fetchone()[0]
    print(json.dumps({"rows": rows, "bare": bare_s, "figures": app_s, **shown, "sums_agree": agree}))
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
