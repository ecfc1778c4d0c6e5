"""The Excel and CSV exports, opened as a colleague's spreadsheet program would read them."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from exporters import csv_export, xlsx
from storage import DISPLAY_ORDER, Ledger
from storage import records as rec
from storage.query import Filters
from storage.stats import eur_totals
from storage.workbook import SHORTENED_MARK, is_shortened

SHEETS = ["Summary", "Aid", "Events", "Agreements", "Totals", "Actors", "Sources", "Packages"]


@pytest.fixture
def exported(sample_ledger: Ledger, tmp_path: Path) -> openpyxl.Workbook:
    xlsx.run(sample_ledger, tmp_path / "all.xlsx")
    return openpyxl.load_workbook(tmp_path / "all.xlsx")


def header(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[str]:
    return [c.value for c in ws[1]]


def column(ws: openpyxl.worksheet.worksheet.Worksheet, label: str) -> list[object]:
    index = header(ws).index(label) + 1
    return [ws.cell(r, index).value for r in range(2, ws.max_row + 1)]


def test_sheets_in_order_with_a_hidden_sheet_naming_the_export(
    exported: openpyxl.Workbook, sample_ledger: Ledger
) -> None:
    assert exported.sheetnames[: len(SHEETS)] == SHEETS
    meta = exported[xlsx.META_SHEET]
    assert meta.sheet_state == "hidden"
    values = {row[0].value: row[1].value for row in meta.iter_rows()}
    assert values["format"] == "aid-ledger-export" and values["database"] == str(sample_ledger.path)
    assert values["exported_at"].endswith("Z")


def test_each_kind_has_one_column_per_field_id_first_and_last_updated_last(
    exported: openpyxl.Workbook, sample_ledger: Ledger
) -> None:
    from storage import KINDS_BY_NAME, FieldType

    for name in DISPLAY_ORDER:
        kind = KINDS_BY_NAME[name]
        ws = exported[kind.label]
        labels = header(ws)
        assert labels[0] == "ID" and labels[-1] == "Last updated"
        # the sample has no extra values: no column for them
        assert labels[1:-1] == [f.label for f in kind.all_fields if f.type is not FieldType.EXTRA]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.max_row - 1 == sample_ledger.db[name].count
        assert all(c.font.b for c in ws[1])
        uids = {r["uid"] for r in sample_ledger.db[name].rows}
        assert set(column(ws, "ID")) == uids


def test_cells_have_the_right_types(exported: openpyxl.Workbook) -> None:
    aid = exported["Aid"]
    dates = [v for v in column(aid, "Announced on") if v is not None]
    assert any(isinstance(v, dt.datetime) for v in dates)  # full dates are real Excel dates
    assert "2023-11" in dates or any(isinstance(v, str) and len(v) in (4, 7) for v in dates)  # partial stay text
    values = [v for v in column(aid, "Value (EUR)") if v is not None]
    assert 370_000_000 in values and all(isinstance(v, int | float) for v in values)
    col = header(aid).index("Value (EUR)") + 1
    cell = next(aid.cell(r, col) for r in range(2, aid.max_row + 1) if aid.cell(r, col).value)
    assert cell.number_format == "#,##0"
    assert "Lithuania" in column(aid, "Donor")  # references as names
    events = exported["Events"]
    participants = [v for v in column(events, "Participants") if v]
    assert any("; " in v and "(" in v for v in participants)  # "Name (role); Name"


def test_vocabulary_columns_carry_validation_lists(exported: openpyxl.Workbook) -> None:
    aid = exported["Aid"]
    lists = exported[xlsx.LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    status = header(aid).index("Status") + 1
    letter = aid.cell(1, status).column_letter
    validation = next(v for v in aid.data_validations.dataValidation if f"{letter}2" in str(v.sqref))
    assert validation.type == "list"
    sheet, cells = validation.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    values = [c.value for row in lists[f"{first}:{last}"] for c in row]
    assert values == ["Planned", "Announced", "Committed", "Delivered", "Cancelled"]


def test_urls_are_hyperlinks_and_formula_text_stays_text(sample_ledger: Ledger, tmp_path: Path) -> None:
    rec.insert(
        sample_ledger,
        "sources",
        {
            "title": '=HYPERLINK("http://evil.invalid","x")',
            "url": "https://example.org/article",
            "notes": "+1 555 0100",
        },
    )
    rec.insert(sample_ledger, "sources", {"title": "@SUM(A1)", "notes": "-2+3"})
    xlsx.run(sample_ledger, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["Sources"]
    titles = header(ws).index("Title") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, titles)
        assert cell.data_type == "s", (cell.value, cell.data_type)  # never "f": nothing runs on opening
    assert '=HYPERLINK("http://evil.invalid","x")' in column(ws, "Title")  # value unchanged
    assert "-2+3" in column(ws, "Notes")
    url = header(ws).index("URL") + 1
    linked = [ws.cell(r, url) for r in range(2, ws.max_row + 1) if ws.cell(r, url).value]
    assert linked and linked[0].hyperlink.target == "https://example.org/article"


def _summary_value(ws: openpyxl.worksheet.worksheet.Worksheet, title: str) -> dict[str, float]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    table = {}
    for r in rows[start:]:
        if r[0] is None:
            break
        table[str(r[0])] = r[1]
    return table


def test_summary_totals_equal_the_records_exported(exported: openpyxl.Workbook, sample_ledger: Ledger) -> None:
    summary = exported["Summary"]
    by_kind = _summary_value(summary, "By kind")
    assert by_kind["Procurement for own forces"] == eur_totals(sample_ledger)["by_kind"]["procurement for own forces"]
    aid_values = [v for v in column(exported["Aid"], "Value (EUR)") if v]
    assert sum(_summary_value(summary, "By year announced").values()) == sum(aid_values)
    assert sum(_summary_value(summary, "By category").values()) == sum(aid_values)
    assert summary._charts  # the chart of EUR by year


def test_a_filtered_export_holds_and_totals_only_what_the_filter_shows(sample_ledger: Ledger, tmp_path: Path) -> None:
    filters = {"aid": Filters(search="vilkas")}
    xlsx.run(sample_ledger, tmp_path / "f.xlsx", kinds=["aid"], filters=filters)
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    assert book.sheetnames[:2] == ["Summary", "Aid"] and "Events" not in book.sheetnames
    assert column(book["Aid"], "Value (EUR)") == [370_000_000]
    assert sum(_summary_value(book["Summary"], "By category").values()) == 370_000_000
    rows = [r for r in book["Summary"].iter_rows(values_only=True) if r[0] == "Filters"]
    assert "vilkas" in rows[0][1]


def test_a_cancelled_export_leaves_no_file(sample_ledger: Ledger, tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    with pytest.raises(xlsx.Cancelled):
        xlsx.run(sample_ledger, target, is_cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == [tmp_path / "xdg-data"] or not target.exists()
    assert not target.exists() and not list(tmp_path.glob("*.part"))
    target.write_text("the colleague's old file")
    with pytest.raises(xlsx.Cancelled):
        xlsx.run(sample_ledger, target, is_cancelled=lambda: True)
    assert target.read_text() == "the colleague's old file"  # an existing file is left as it was


def test_long_text_is_shortened_marked_and_reported_or_refused(sample_ledger: Ledger, tmp_path: Path) -> None:
    long = "x" * 40_000
    rid = rec.insert(sample_ledger, "sources", {"title": "Long", "full_text": long})
    report = xlsx.run(sample_ledger, tmp_path / "l.xlsx", kinds=["sources"])
    assert len(report.shortened) == 1 and "Full text" in report.shortened[0]
    ws = openpyxl.load_workbook(tmp_path / "l.xlsx")["Sources"]
    cell = next(v for v in column(ws, "Full text") if v and v.startswith("xxx"))
    assert len(cell) <= 32_767 and is_shortened(cell)
    assert cell.endswith(SHORTENED_MARK.format(n=40_000))
    meta = {r[0].value: r[1].value for r in openpyxl.load_workbook(tmp_path / "l.xlsx")[xlsx.META_SHEET].iter_rows()}
    assert rec.get(sample_ledger, "sources", rid)["uid"] in json.loads(meta["shortened"])[0]
    with pytest.raises(xlsx.LongTextRefused, match="40,000 characters"):
        xlsx.run(sample_ledger, tmp_path / "r.xlsx", kinds=["sources"], long_text="refuse")
    assert not (tmp_path / "r.xlsx").exists()


def test_excel_limits_are_met_rows_continue_and_links_turn_plain(
    sample_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 11)  # ten records a sheet
    monkeypatch.setattr(xlsx, "EXCEL_MAX_URLS", 2)
    for n in range(4):
        rec.insert(sample_ledger, "sources", {"title": f"Linked {n}", "url": f"https://example.org/{n}"})
    report = xlsx.run(sample_ledger, tmp_path / "big.xlsx", kinds=["aid", "sources"])
    book = openpyxl.load_workbook(tmp_path / "big.xlsx")
    assert book.sheetnames[:5] == ["Summary", "Aid", "Aid (2)", "Aid (3)", "Sources"]
    assert sum(book[n].max_row - 1 for n in ("Aid", "Aid (2)", "Aid (3)")) == sample_ledger.db["aid"].count
    assert header(book["Aid (2)"])[0] == "ID"
    assert report.plain_urls == 2


def test_csv_has_a_bom_the_chosen_delimiter_and_neutralised_formulas(sample_ledger: Ledger, tmp_path: Path) -> None:
    rec.insert(sample_ledger, "sources", {"title": "=1+1", "publisher": "Kasčiūnas; Nausėda"})
    csv_export.run(sample_ledger, tmp_path / "s.csv", kind="sources", delimiter=";")
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][0] == "ID" and rows[0][-1] == "Last updated"
    titles = [r[rows[0].index("Title")] for r in rows[1:]]
    assert "'=1+1" in titles
    assert "Kasčiūnas; Nausėda" in [r[rows[0].index("Publisher")] for r in rows[1:]]


def test_the_summary_names_a_filter_by_labels_and_names_not_ids(sample_ledger: Ledger, tmp_path: Path) -> None:
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    filters = {
        "aid": Filters(
            equals=(("donor", lithuania), ("status", "delivered")), date_field="announced_on", date_from="2024"
        )
    }
    xlsx.run(sample_ledger, tmp_path / "f.xlsx", kinds=["aid"], filters=filters)
    summary = openpyxl.load_workbook(tmp_path / "f.xlsx")["Summary"]
    said = {str(r[0].value): str(r[1].value) for r in summary.iter_rows() if r[0].value}
    assert said["Filters"] == "Aid: Donor = Lithuania, Status = Delivered, Announced on from 2024"
