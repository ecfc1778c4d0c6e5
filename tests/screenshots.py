"""Screenshots of the real window for docs/screenshots/, taken from the X screen with ImageMagick's ``import``.

Run under Xvfb:  xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m tests.screenshots DB OUTDIR [SCENE...]
Scenes: aid (the Aid table), form (the Aid form with a validation message), big (the table on a big database),
import (the import wizard's preview of an edited export; changes the database given), mapping (its column step
for another team's file).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.widgets.fields import LineEditor
from storage import Ledger


def shoot(path: Path) -> None:
    QApplication.processEvents()
    subprocess.run(["import", "-window", "root", str(path)], check=True)
    print(f"wrote {path}")


def main() -> int:
    db, out = Path(sys.argv[1]), Path(sys.argv[2])
    scenes = sys.argv[3:] or ["aid", "form"]
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    ledger = Ledger.open(db)
    window = MainWindow(ledger)
    window.setGeometry(0, 0, 1280, 800)
    window.show()
    steps = []

    def wizard_step(path: Path, shot: str) -> None:
        """Open the import wizard on ``path``, go one step on, take the screenshot, and remove the file."""
        dialog = window.import_file(path)
        dialog.move(150, 40)

        def advance() -> None:
            dialog.next()
            QTimer.singleShot(1500, lambda: (shoot(out / shot), path.unlink()))

        QTimer.singleShot(1200, advance)

    if "aid" in scenes:
        steps.append(lambda: (window.show_kind("aid"), shoot(out / "aid-table.png")))
    if "big" in scenes:
        steps.append(lambda: (window.show_kind("aid"), shoot(out / "aid-table-1m.png")))
    if "form" in scenes:

        def form() -> None:
            window.show_kind("aid")
            page = window.current_page()
            assert page is not None
            page.view.selectRow(10)
            dialog = page.open_current()
            dialog.move(280, 20)
            date = dialog.editors["announced_on"]
            value = dialog.editors["value"]
            assert isinstance(date, LineEditor) and isinstance(value, LineEditor)
            date.edit.setText("31 Feb 2024")
            date.edited.emit()
            value.edit.setText("EUR 2.4m")
            value.edited.emit()
            QTimer.singleShot(300, lambda: shoot(out / "aid-form.png"))

        steps.append(form)
    if "import" in scenes:

        def wizard() -> None:
            import openpyxl

            from exporters import xlsx

            exported, edited = out / "_export.xlsx", out / "colleague-edited.xlsx"
            xlsx.run(ledger, exported)
            book = openpyxl.load_workbook(exported)
            aid = book["Aid"]
            head = [c.value for c in aid[1]]
            aid.cell(2, head.index("Notes") + 1).value = "Confirmed by the ministry's press office"
            aid.cell(3, head.index("Status") + 1).value = "Delivered"
            aid.cell(4, head.index("Value (EUR)") + 1).value = 1_250_000
            new = aid.max_row + 1
            for c in range(1, aid.max_column + 1):
                aid.cell(new, c).value = aid.cell(5, c).value
            aid.cell(new, 1).value = None
            aid.cell(new, head.index("Item") + 1).value = "Generators for field hospitals"
            book.save(edited)
            exported.unlink()
            wizard_step(edited, "import-preview.png")

        steps.append(wizard)
    if "mapping" in scenes:

        def columns() -> None:
            import openpyxl

            foreign = out / "other-team.xlsx"
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "Bilateral Assistance"
            sheet.append(["Military aid to Ukraine, as announced (compiled from government statements)"])
            sheet.append([])
            sheet.append(["ID", "Countries", "Announcement Date", "Type of Aid", None, "Explanation", "Value (EUR)"])
            sheet.append(["LT-1", "Lithuania", "2/24/2022", "Military", "Stinger missiles", "MANPADS", "."])
            sheet.append(["LT-2", "Lithuania", "until 3/16/2022", "Military", "Body armour", None, "1.2m"])
            sheet.append(["LV-1", "Latvia", "4/1/2022", "Military", "Helmets", "Not given", 350000])
            book.save(foreign)
            wizard_step(foreign, "import-mapping.png")

        steps.append(columns)
    for i, step in enumerate(steps):
        QTimer.singleShot(1500 + 1500 * i, step)
    QTimer.singleShot(1500 + 1500 * len(steps) + 4000, lambda: os._exit(0))  # dialogs open: leave at once
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
