"""The tracker-layout generators write what the published files hold: their headers, their preambles, their mess."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import time
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from importers.reading import read
from tests.conftest import FULL
from tests.importers import trackers
from tests.importers.trackers import Expect


def _main_sheet(path: Path) -> list[list[object]]:
    (sheet,) = [s for s in read(path) if s.name == trackers.KIEL_MAIN_SHEET]
    return sheet.rows


def _csv_rows(path: Path, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


# --- Kiel workbook ---------------------------------------------------------------------------------------------


def test_workbook_has_readme_first_then_the_data_and_37_sheets(kiel_book: tuple[Path, Expect]) -> None:
    path, _ = kiel_book
    sheets = read(path)
    names = [s.name for s in sheets]
    assert names[0] == "ReadMe"
    assert len(names) == 37
    for name in (
        "Bilateral assistance, MAIN DATA",
        "Commercial assistance",
        "Multilateral assistance",
        "Price List, Weapons & Items",
        "Exchange rates",
        "Updates and Corrections",
    ):
        assert name in names
    figures = [s for s in sheets if s.name.startswith("Fig ")]
    assert len(figures) >= 25
    for figure in figures:
        assert not any(figure.rows[1]), "the second row of a figure sheet is blank"
        assert not any(figure.rows[0]) or str(figure.rows[0][0]).startswith("Figure")
    (multilateral,) = [s for s in sheets if s.name == "Multilateral assistance"]
    assert multilateral.rows[0][:3] == ["Donor", "Contributing Country", "Country contribution"]


def test_workbook_header_is_the_7th_release_s_exactly(kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    header = _main_sheet(path)[0]
    assert header == expect.header == trackers.KIEL_WORKBOOK_HEADER
    assert len(header) == 44
    assert header[8] == ""  # the item's column has no header
    assert header.count("Sub-type of item") == 2
    assert header[17] == "Total  " and header[-1] == " "
    book = openpyxl.load_workbook(path, read_only=True)
    cells = [c.value for c in next(book[trackers.KIEL_MAIN_SHEET].iter_rows(max_row=1))]
    assert cells[8] is None and cells[-1] == " " and cells[17] == "Total  "


def test_workbook_packages_carry_their_eur_value_once(kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    rows = _main_sheet(path)
    header, data = rows[0], rows[1:]
    assert len(data) == expect.rows == 400
    dummy, eur = (
        header.index("Total_value_dummy (1 is first row in the package)"),
        header.index("Converted Value in EUR"),
    )
    packages: dict[str, list[list[object]]] = {}
    for row in data:
        assert re.fullmatch(r"[A-Z]{2}[MFH]\d+", str(row[0]))
        packages.setdefault(str(row[0]), []).append(row)
    assert len(packages) == expect.packages
    assert max(len(p) for p in packages.values()) > 3
    for package in packages.values():
        assert [r[dummy] for r in package] == [1] + [0] * (len(package) - 1)
        assert isinstance(package[0][eur], float)
        assert all(r[eur] == "" for r in package[1:])
    assert math.fsum(float(r[eur]) for r in data if r[dummy] == 1) == pytest.approx(expect.eur_sum)  # type: ignore[arg-type]
    assert Counter(str(r[1]) for r in data) == expect.donors
    assert {"United States", "United Kingdom", "Lithuania", "Estonia", "Germany"} <= set(expect.donors)
    assert "EU (Commission and Council)" in expect.donors
    assert expect.count("first_of_package") == expect.packages


def test_workbook_writes_dot_for_nothing_in_many_columns(kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    rows = _main_sheet(path)
    data = rows[1:]
    columns_with_dot = {c for row in data for c, value in enumerate(row) if value == "."}
    assert {6, 8, 9, 10, 12, 13, 14, 20, 22} <= columns_with_dot  # currency, item, types, units, price, a Yes/No
    assert len(columns_with_dot) >= 15
    assert [i for i, r in enumerate(data) if r[8] == "."] == expect.where["item_dot"]
    assert [i for i, r in enumerate(data) if r[6] == "."] == expect.where["currency_dot"]
    assert expect.count("official_dot") > 0


def test_workbook_dates_are_excel_dates_or_text(kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    data = _main_sheet(path)[1:]
    texts = Counter(str(r[2]) for r in data if isinstance(r[2], str))
    assert texts == expect.date_texts
    for form in ("until 3/16/2022", "unclear, 10/2022", "04/22", "not specified, 03/22", "between 3/4/22 & 3/11/22"):
        assert form in texts
    dates = [r[2] for r in data if isinstance(r[2], dt.date)]
    assert len(dates) + sum(texts.values()) == len(data)
    assert [i for i, r in enumerate(data) if isinstance(r[2], dt.date) and r[2].year == 2922] == expect.where[
        "date_2922"
    ]


def test_workbook_quantities_hold_typos_fractions_and_words(kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    data = _main_sheet(path)[1:]
    units, delivered = [r[12] for r in data], [r[13] for r in data]
    assert "1.000.00" in units and 216.67 in units and "undisclosed" in units
    assert "dozens" in delivered and "partially" in delivered
    assert [i for i, u in enumerate(units) if u == "1.000.00"] == expect.where["units_typo"]
    assert {str(r[4]) for r in data} >= {"Weapons and equipment", "Weapons and Equipment"}
    assert any(str(r[4]).endswith(" ") for r in data) and expect.count("category_stray_space") > 0


# --- Kiel CSV --------------------------------------------------------------------------------------------------


def test_2023_csv_has_a_bom_and_53_fields_on_every_line(kiel_2023: tuple[Path, Expect]) -> None:
    path, expect = kiel_2023
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfID,Countries,Announcement Date,")
    assert raw.count(b"\r\n") == raw.count(b"\n") == expect.physical_lines
    rows = _csv_rows(path, "utf-8-sig")
    assert {len(r) for r in rows} == {53}
    assert rows[0][:38] == trackers.KIEL_CSV_2023_HEADER and rows[0][38:] == [""] * 15
    assert rows[0][14] == "Total  " and rows[0].count("Sub-type of item") == 2
    assert rows[-1] == ["0"] + [""] * 52  # the stray trailing row
    assert len(rows) == expect.rows + 2 and expect.where["stray_zero_row"] == [expect.rows]
    app = read(path)[0].rows  # the app's own reader: same table, blanks as None
    assert len(app) == len(rows) and app[0][:3] == ["ID", "Countries", "Announcement Date"] and app[0][38] is None


def test_2023_csv_values_are_written_as_published(kiel_2023: tuple[Path, Expect]) -> None:
    path, expect = kiel_2023
    rows = _csv_rows(path, "utf-8-sig")[1:-1]
    raw = path.read_bytes().decode("utf-8-sig")
    assert re.search(r',"\d{1,3}(,\d{3})+",', raw)  # money with thousands separators, quoted
    assert any(r[7] == "Not given" for r in rows)
    assert any(r[11] == "undisclosed" for r in rows)
    dates = [r[2] for r in rows]
    usual = sum(1 for d in dates if re.fullmatch(r"\d{1,2}/\d{1,2}/20\d\d", d) and d != "06/31/2022")
    assert 0.80 < usual / len(dates) < 0.92  # about 14% in other forms
    assert {"until 2/24/2023", "unclear, 10/2022", "not specified, 03/22", "06/31/2022"} <= set(dates)
    assert {r[4] for r in rows} >= {"Weapons and equipment", "Weapons and Equipment"}
    assert any(r[4] in ("Equipment ", "Weapons ") for r in rows)
    assert [i for i, r in enumerate(rows) if r[3] == ""] == expect.where["general_empty"]
    assert {r[6] for r in rows} - {"."} == set(trackers.KIEL_CURRENCIES_2023)
    eur = [float(r[15].replace(",", "")) for r in rows if r[28] == "1"]
    assert len(eur) == expect.packages and math.fsum(eur) == pytest.approx(expect.eur_sum)
    assert Counter(r[1] for r in rows) == expect.donors


def test_snake_case_csv_holds_a_share_per_row_and_the_package_value_on_every_row(tmp_path: Path) -> None:
    path, expect = trackers.kiel_csv(tmp_path, rows=300, style="snake")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(path, "utf-8")
    assert rows[0] == expect.header == trackers.KIEL_SNAKE_HEADER
    for name in ("activity_id", "sub_activity_id", "donor", "announcement_date", "aid_type_general", "measure"):
        assert name in rows[0]
    col = {name: i for i, name in enumerate(rows[0])}
    data = rows[1:]
    assert len(data) == expect.rows
    shares = math.fsum(float(r[col["tot_sub_activity_value_EUR"]]) for r in data)
    assert shares == pytest.approx(expect.eur_sum)
    repeated = math.fsum(float(r[col["tot_activity_value_EUR"]]) for r in data)
    assert repeated > expect.eur_sum * 1.2  # summing the activity value over rows counts packages many times
    assert {r[col["measure"]] for r in data} == {"Allocation", "Commitment"}
    assert sum(r[col["total_value_dummy"]] == "1" for r in data) == expect.packages


def test_kiel_csv_is_deterministic_and_fast(tmp_path: Path) -> None:
    for name in ("a", "b", "c", "big"):
        (tmp_path / name).mkdir()
    a, _ = trackers.kiel_csv(tmp_path / "a", rows=500)
    b, _ = trackers.kiel_csv(tmp_path / "b", rows=500)
    c, _ = trackers.kiel_csv(tmp_path / "c", rows=500, seed=99)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    rows = 100_000 if FULL else 25_000
    started = time.perf_counter()
    _, expect = trackers.kiel_csv(tmp_path / "big", rows=rows)
    assert expect.rows == rows
    assert time.perf_counter() - started < 10 * rows / 100_000 + 1


# --- SIPRI -----------------------------------------------------------------------------------------------------


def test_sipri_register_is_latin1_with_11_lines_of_notes(sipri: tuple[Path, Expect]) -> None:
    path, expect = sipri
    raw = path.read_bytes()
    assert b"B\xfc-181" in raw and b"W\xe4rtsil\xe4" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = raw.decode("iso-8859-1").split("\n")
    assert lines[:11] == expect.notes == trackers.sipri_notes()
    assert lines[0].startswith("Transfers of major conventional arms from All countries  to All countries .")
    assert lines[0].endswith("'Not specified' ")
    assert lines[3] == "SIPRI trend-indicator values (TIVs) are in millions." and lines[8] == ""
    assert lines[10].startswith("Data generated: ")
    assert lines[11] == ",".join(trackers.SIPRI_HEADER)
    assert lines[11] == (
        "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,Number delivered,"
        " ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,"
        "SIPRI TIV of delivered weapons"
    )
    assert b'"' not in raw  # SIPRI quotes nothing
    app = read(path)[0].rows  # the app's reader decodes it (as Windows-1252, the same letters here)
    assert app[11][:4] == ["Recipient", "Supplier", "Year of order", None]
    assert any("Wärtsilä" in str(cell) for row in app for cell in row)


def _sipri_records(path: Path) -> list[list[str]]:
    """The register's records after the header, a record broken over two lines joined by its field counts."""
    physical = list(csv.reader(io.StringIO(path.read_bytes().decode("iso-8859-1"), newline="")))[12:]
    records: list[list[str]] = []
    for row in physical:
        if records and len(records[-1]) < 16:
            assert len(records[-1]) == 13 and len(row) == 4 and row[0] == ""  # the break is after Comments
            records[-1] = records[-1][:-1] + [records[-1][-1] + row[0]] + row[1:]
        else:
            records.append(row)
    return records


def test_sipri_records_split_over_two_lines_rejoin_by_their_field_counts(sipri: tuple[Path, Expect]) -> None:
    path, expect = sipri
    physical = path.read_bytes().split(b"\n")[12:-1]
    assert len(physical) == expect.rows + expect.count("split")
    assert sum(line.count(b",") == 12 for line in physical) == expect.count("split")
    records = _sipri_records(path)
    assert len(records) == expect.rows and {len(r) for r in records} == {16}
    assert expect.count("split") == 4
    assert b"\r\n" in path.read_bytes()  # one of the breaks keeps a stray CR, as published
    assert [r[1] for r in records] == [k[0] for k in expect.keys]


def test_sipri_values_have_flags_year_lists_statuses_and_groups(sipri: tuple[Path, Expect]) -> None:
    path, expect = sipri
    records = _sipri_records(path)
    for column in (3, 5, 9):
        assert {r[column] for r in records} == {"", "?"}
    assert [i for i, r in enumerate(records) if r[3] == "?"] == expect.where["uncertain_order_year"]
    assert "2022; 2023; 2024" in {r[10] for r in records}
    assert {r[11] for r in records} == {"New", "Second hand", "Second hand but modernized"}
    assert sum(expect.statuses.values()) == expect.rows
    suppliers = {r[1] for r in records}
    assert "unknown supplier(s)" in suppliers and any(s.endswith("*") for s in suppliers)
    assert any("$79 m deal" in r[12] for r in records)
    assert all(re.fullmatch(r"\d+(\.\d{1,2})?", r[c]) for r in records for c in (13, 14, 15))
    assert math.fsum(float(r[15]) for r in records) <= expect.tiv_delivered_sum + 1e-6
    assert any(r[4] == "" and r[14] == "0" for r in records)  # number ordered not yet known


def test_sipri_per_delivery_layout(tmp_path: Path) -> None:
    path, expect = trackers.sipri_per_delivery(tmp_path, deals=60)
    lines = path.read_bytes().decode("iso-8859-1").split("\n")
    assert lines[:11] == expect.notes and lines[0].startswith("Transfers of major conventional arms from United States")
    rows = list(csv.reader(lines[11:-1]))
    assert rows[0] == trackers.SIPRI_DELIVERIES_HEADER and len(rows) - 1 == expect.rows
    assert {len(r) for r in rows} == {17}
    data = rows[1:]
    assert {r[7] for r in data} <= {"Yes", "No"} and "" in {r[11] for r in data}
    per_deal = Counter(r[0] for r in data)
    assert len(per_deal) == 60 and max(per_deal.values()) > 1
    assert math.fsum(float(r[15]) for r in data) == pytest.approx(expect.tiv_delivered_sum)
