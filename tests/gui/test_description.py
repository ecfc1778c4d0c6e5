"""A field defined only in its kind's description works in every layer, with no edit anywhere else.

The old database migrates to hold it, and it gets its form editor, table column, search, export column and import.
"""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import importers
from exporters import xlsx
from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from gui.models.record_table import RecordTableModel
from gui.widgets.fields import LineEditor
from storage import Field, FieldType, Ledger, schema
from storage import records as rec
from storage.check import check
from storage.query import Filters, ids
from tests.conftest import field_added

FIXTURE = Path(__file__).parents[1] / "storage" / "fixtures" / "v1-sample.db.gz"
VENUE = Field("venue", "Venue", FieldType.TEXT, synonyms=("hall", "building"))


@pytest.fixture
def with_venue(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Events get a Venue field, searched; the schema's version goes up by one. That is the whole change."""
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    with field_added("events", VENUE) as events:
        object.__setattr__(events, "search", (*events.search, "venue"))  # and the full-text index holds it
        try:
            yield
        finally:
            object.__setattr__(events, "search", tuple(s for s in events.search if s != "venue"))


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    path = tmp_path / "v1.db"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def test_a_field_described_once_works_in_every_layer(
    qtbot: QtBot, with_venue: None, old_database: Path, tmp_path: Path
) -> None:
    ledger = Ledger.open(old_database)  # migration: the column, and the search text that holds it
    try:
        assert check(ledger) == []
        rid = ledger.conn.execute("SELECT min(id) FROM events").fetchone()[0]
        editor = Editor(ledger)

        # the form has its editor, and saving it writes the field (with history)
        form = RecordForm(editor, "events", rid)
        qtbot.addWidget(form)
        venue = form.editors["venue"]
        assert isinstance(venue, LineEditor)
        qtbot.keyClicks(venue.edit, "Vilnius Town Hall")
        qtbot.keyClick(form, Qt.Key.Key_Return)
        assert rec.get(ledger, "events", rid)["venue"] == "Vilnius Town Hall"

        # the table has its column, sortable, with the value
        model = RecordTableModel(ledger, "events")
        column = model.column_of("venue")
        assert model.headerData(column, Qt.Orientation.Horizontal) == "Venue"
        model.requery(Filters(), [("venue", False)])
        qtbot.waitUntil(lambda: model.rowCount() > 0)
        assert model.index(0, column).data() == "Vilnius Town Hall"

        # the full-text search finds it, accents and case aside
        assert list(ids(ledger, "events", Filters(search="town hall"))) == [rid]

        # the export writes its column; an edited export brings a change of it back
        xlsx.run(ledger, tmp_path / "out.xlsx", kinds=["events"])
        book = openpyxl.load_workbook(tmp_path / "out.xlsx")
        sheet = book["Events"]
        header = [c.value for c in sheet[1]]
        assert "Venue" in header
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == rec.get(ledger, "events", rid)["uid"])
        assert row[header.index("Venue")].value == "Vilnius Town Hall"
        row[header.index("Venue")].value = "Seimas Palace"
        book.save(tmp_path / "edited.xlsx")
        plan, done = importers.run(ledger, tmp_path / "edited.xlsx")
        assert done["updated"] == 1 and rec.get(ledger, "events", rid)["venue"] == "Seimas Palace"

        # another team's file: a column headed by one of its synonyms maps to it
        with (tmp_path / "theirs.csv").open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([["Title", "Date", "Building"], ["Ramstein meeting", "2024-09-06", "Air base"]])
        plan, done = importers.run(ledger, tmp_path / "theirs.csv", kind="events")
        assert plan.mappings and next(iter(plan.mappings.values())).field_columns().get("venue") == 2
        assert done["added"] == 1
        assert list(ids(ledger, "events", Filters(search="air base")))
    finally:
        ledger.close()
