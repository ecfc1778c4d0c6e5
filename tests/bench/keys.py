"""The keys it takes to enter issue 14's news item by keyboard, for ``make bench``.

python -m tests.bench.keys   prints {"keys": n, "seconds": s}

The same scenario as ``tests/gui/test_news_item_by_keyboard.py``: a new database with the sample records, the real
window offscreen, and every key counted (a character, a key or a chord is one).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    """Enter the item once and print its key count."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = str(Path(folder) / "config")  # no settings of the user's
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from gui.main_window import MainWindow
        from storage import Ledger
        from storage.sample import load_sample
        from tests.gui.news_item import enter_news_item

        app = QApplication([])
        ledger = Ledger.open(Path(folder) / "news.db")
        load_sample(ledger)
        window = MainWindow(ledger)
        window.show()
        window.activateWindow()
        app.processEvents()
        start = time.perf_counter()
        keys = enter_news_item(window, lambda: QTest.qWait(5))
        seconds = time.perf_counter() - start
        window.close()
        ledger.close()
    print(json.dumps({"keys": keys, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
