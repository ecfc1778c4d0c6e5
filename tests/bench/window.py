"""The window's side of ``make bench``, run in a process of its own: prints one JSON object of figures.

python -m tests.bench.window --empty      time to the first paint of an empty PySide6 window
python -m tests.bench.window DB           time to the first painted Aid table, sort, filter, search, scroll, memory
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before Qt is imported: first paint counts everything a user waits for

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QWidget  # noqa: E402

REPEAT = 3


class PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def wait_paint(app: QApplication, widget: QWidget, action: Callable[[], object] | None = None) -> float:
    """Seconds from ``action`` until ``widget`` has painted."""
    watch = PaintWatch()
    widget.installEventFilter(watch)
    start = time.perf_counter()
    if action is not None:
        action()
    widget.update()
    while not watch.painted:
        app.processEvents()
    widget.removeEventFilter(watch)
    return time.perf_counter() - start


def best(run: Callable[[], float]) -> float:
    return min(run() for _ in range(REPEAT))


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> int:
    app = QApplication(sys.argv[:1])
    if sys.argv[1] == "--empty":
        window = QMainWindow()
        window.setCentralWidget(QTableView())
        window.show()
        wait_paint(app, window.centralWidget().viewport())  # type: ignore[union-attr]
        print(json.dumps({"first_paint": time.perf_counter() - STARTED}))
        return 0

    from gui import settings
    from gui.main_window import MainWindow
    from gui.workers import runner
    from storage import Ledger
    from storage.query import Filters, ids_statements, rows_sql

    settings.set_backup_on_start(False)  # a throwaway config: no copy of the benchmark's database
    ledger = Ledger.open(Path(sys.argv[1]), create=False)
    window = MainWindow(ledger)
    window.resize(1280, 800)
    window.show()
    page = window.page("aid")
    window.show_kind("aid")
    wait_paint(app, page.view.viewport())
    figures: dict[str, float] = {"first_paint": time.perf_counter() - STARTED}
    model, conn = page.model, ledger.conn

    def raw(filters: Filters, order: list[tuple[str, bool]]) -> float:
        # the statements ids() runs (the valued rows, then the blanks), run bare: the same SQL work, no model
        statements = [statement for group in ids_statements("aid", filters, order) for statement in group]
        return best(lambda: timed(lambda: [conn.execute(sql, args).fetchall() for sql, args in statements]))

    def app_side(filters: Filters, order: list[tuple[str, bool]]) -> float:
        """From the request to the painted result, as the user waits for it (the query runs in the background)."""

        def once() -> float:
            model.filters, model.order = Filters(), []
            model.refresh()  # untimed: start from the whole table, as a user does
            wait_paint(app, page.view.viewport())
            while runner().busy:  # the status bar's EUR total of that table: let it finish, as a user would
                app.processEvents()
            loop = QEventLoop()  # wait as the application does: asleep until an event comes
            done: list[bool] = []

            def finished() -> None:
                done.append(True)
                loop.quit()

            model.refreshed.connect(finished)
            start = time.perf_counter()
            model.requery(filters, order)
            if not done:  # a small table re-queries at once, before there is anything to wait for
                loop.exec()
            model.refreshed.disconnect(finished)
            return time.perf_counter() - start + wait_paint(app, page.view.viewport())

        return best(once)

    two_columns = [("donor", True), ("announced_on", False)]
    figures["sort_two_columns"] = app_side(Filters(), two_columns)
    figures["sort_two_columns_raw"] = raw(Filters(), two_columns)
    picked = Filters(equals=(("category", "drones"), ("status", "delivered")))
    figures["filter"] = app_side(picked, [])
    figures["filter_raw"] = raw(picked, [])
    words = Filters(search="Kasciunas Vilnius")
    figures["search"] = app_side(words, [])
    figures["search_raw"] = raw(words, [])
    figures["search_rows"] = model.rowCount()
    model.filters, model.order = Filters(), []
    model.refresh()
    wait_paint(app, page.view.viewport())
    figures["rows"] = model.rowCount()
    figures["scroll_to_end"] = wait_paint(app, page.view.viewport(), page.view.scrollToBottom)
    last = list(model._ids[-256:])  # noqa: SLF001 - the raw side reads the same last page
    page_sql = rows_sql("aid", len(last))
    figures["scroll_to_end_raw"] = best(lambda: timed(lambda: conn.execute(page_sql, last).fetchall()))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
    os._exit(0)  # skip saving window settings into the user's config


if __name__ == "__main__":
    sys.exit(main())
