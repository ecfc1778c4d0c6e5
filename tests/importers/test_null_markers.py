"""Cells that say "not known", numbers read strictly in their column's style, and words where a count belongs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from importers.cells import (
    EMPTY,
    EMPTY_WORDS,
    NOTES,
    NULL_MARKERS,
    OTHER,
    PARTIAL,
    UNDISCLOSED,
    read_date,
    to_raw,
    unknown_note,
)
from importers.reading import read
from storage import KINDS_BY_NAME, FieldType
from storage.values import VagueDate, number_style, parse_integer, parse_money, parse_number
from tests.conftest import FUZZ_EXAMPLES
from tests.importers import trackers

AID = KINDS_BY_NAME["aid"]
ACTORS = KINDS_BY_NAME["actors"]
MARKERS = [".", "-", "n/a", "N/A", "not given", "Not Given", " Not  given ", "unknown", "UNKNOWN", "?", "undisclosed"]
MARKERS += ["Undisclosed", "n / a", "...", "--", "??", "not specified", "Not available"]


@pytest.mark.parametrize("marker", MARKERS)
def test_a_null_marker_is_unknown_in_every_field_type(marker: str) -> None:
    for kind in KINDS_BY_NAME.values():
        for f in kind.all_fields:
            if f.type is FieldType.CHOICE and marker.strip().lower() == "unknown" and "unknown" in f.vocab:
                continue  # a choice of that name: below
            raw, note = to_raw(f, marker)
            assert raw is None and note == EMPTY, (kind.name, f.name, f.type)


def test_text_yes_no_and_currency_were_the_fields_that_kept_or_refused_dots() -> None:
    # The issue: "." stored as the item of 892 records, refusing a currency and a yes/no flag.
    for name in ("item", "currency", "uncertain", "sources", "status", "category", "notes"):
        assert to_raw(AID.field(name), ".") == (None, EMPTY), name


def test_a_marker_that_names_a_choice_is_the_choice() -> None:
    assert to_raw(ACTORS.field("type"), "Unknown") == ("unknown", None)
    assert to_raw(AID.field("category"), "unknown") == (None, EMPTY)  # not a category: not "other" either
    assert to_raw(AID.field("category"), "Howitzers of a new kind") == ("other", OTHER)


def test_undisclosed_has_its_own_note_for_a_plan_that_counts_it() -> None:
    units = AID.field("quantity_committed")
    assert to_raw(units, "Undisclosed", undisclosed_note=True) == (None, UNDISCLOSED)
    assert to_raw(units, " undisclosed ", undisclosed_note=True) == (None, UNDISCLOSED)
    assert to_raw(units, "Undisclosed") == (None, EMPTY)  # a plan that does not count it apart
    assert to_raw(units, ".", undisclosed_note=True) == (None, EMPTY)
    assert unknown_note("undisclosed") == UNDISCLOSED and UNDISCLOSED in NOTES
    assert set(NOTES) == {EMPTY, PARTIAL, OTHER, UNDISCLOSED}


def test_words_that_are_unknown_only_in_values() -> None:
    # "none", "x", "unclear" are words in a note or a yes in a check box; in a date, a number or a name, unknown.
    for word in ("None", "x", "unclear", "TBD"):
        assert to_raw(AID.field("quantity_committed"), word) == (None, EMPTY)
        assert to_raw(AID.field("announced_on"), word) == (None, EMPTY)
        assert to_raw(AID.field("donor"), word) == (None, EMPTY)
        assert unknown_note(word, FieldType.TEXT) is None
    assert to_raw(AID.field("notes"), "None") == ("None", None)
    assert to_raw(AID.field("uncertain"), "x") == ("x", None)  # read as yes by storage
    assert NULL_MARKERS <= EMPTY_WORDS


def test_text_that_only_contains_a_marker_is_kept() -> None:
    for text in ("Unknown drone", "?-class boat", "n/a units", "-20 degrees", ". 5"):
        assert to_raw(AID.field("item"), text) == (text, None)
    assert unknown_note("x" * 200) is None and unknown_note(5) is None and unknown_note("  ") is None


@pytest.mark.parametrize("words", ["dozens", "partially", "Dozens", "a few", "some", "several hundred"])
def test_words_in_a_quantity_are_a_cell_that_cannot_be_read(words: str) -> None:
    with pytest.raises(ValueError) as caught:
        to_raw(AID.field("quantity_delivered"), words)
    assert f"'{words}'" in str(caught.value)


def test_a_fraction_in_a_quantity_is_refused_not_rounded_but_a_number_field_takes_it() -> None:
    for cell in (216.67, "216.67"):
        with pytest.raises(ValueError, match="216.67.*whole number"):
            to_raw(AID.field("quantity_committed"), cell)
        assert to_raw(AID.field("tiv_total"), cell) == (216.67, None)
    assert to_raw(AID.field("quantity_committed"), 1000.0) == (1000, None)
    assert to_raw(AID.field("quantity_committed"), "about 1,500") == (1500, PARTIAL)


# --- numbers, strictly ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1.000.00", "1,50,000", "1 5", "1.2.3,4", "1,234.5.6", "12,3456,789"])
def test_separators_that_do_not_group_thousands_cannot_be_read(text: str) -> None:
    for parse in (parse_number, parse_integer):
        with pytest.raises(ValueError, match="cannot be read as a number"):
            parse(text)
    with pytest.raises(ValueError, match="cannot be read as a number"):
        parse_money(f"EUR {text}")
    with pytest.raises(ValueError, match=text.replace(".", r"\.")):
        to_raw(AID.field("quantity_committed"), text)


def test_numbers_in_each_style() -> None:
    assert [parse_number(t) for t in ("35,000,000", "1,500", "1.234.567", "2,5", "216.67", "1.000", "1 500")] == [
        35_000_000,
        1500,
        1_234_567,
        2.5,
        216.67,
        1,
        1500,
    ]
    assert parse_number("1.000", style="1.234,5") == 1000  # only where the column groups thousands with points
    assert parse_number("1,5", style="1.234,5") == 1.5
    assert parse_number("1.234.567,89", style="1.234,5") == 1_234_567.89
    assert parse_number("1.000", style="1,234.5") == 1
    assert parse_number("35,000,000", style="1,234.5") == 35_000_000
    for text, style in (("216.67", "1.234,5"), ("2,5", "1,234.5"), ("35,000,000", "1.234,5")):
        with pytest.raises(ValueError, match="cannot be read"):
            parse_number(text, style=style)  # type: ignore[arg-type]
    assert parse_integer("1.000", style="1.234,5") == 1000
    money = parse_money("EUR 2.500.000", style="1.234,5")
    assert money is not None and money.amount == 2_500_000


def test_a_column_tells_its_style_by_the_cells_that_can_be_read_only_one_way() -> None:
    assert number_style(["1.234,5", "2,5", "1.000", 7, None]) == "1.234,5"
    assert number_style(["1,234.5", "216.67", "1,000", 7.5]) == "1,234.5"
    assert number_style(["35,000,000", "Not given", "12,000,000"]) == "1,234.5"
    assert number_style(["1.234.567", "EUR 2.500.000"]) == "1.234,5"
    assert number_style(["1,500", "1.000", 1000, "."]) == "auto"  # each could be either
    assert number_style([]) == "auto" and number_style(["1.000.00", "dozens"]) == "auto"
    assert number_style(["2,5", "216.67"]) == "auto"  # one each way: no style


def test_to_raw_reads_a_number_in_the_column_style() -> None:
    units = AID.field("quantity_committed")
    assert to_raw(units, "1.000", number_style="1.234,5") == (1000, None)
    assert to_raw(units, "1.000") == (1, None)
    value = AID.field("value")
    assert to_raw(value, "over EUR 2.500.000,50", number_style="1.234,5") == ("over EUR 2500000.5", None)
    assert parse_money("over EUR 2500000.5") == parse_money("over EUR 2.500.000,50", style="1.234,5")
    assert to_raw(value, "35,000,000") == ("35,000,000", None)  # auto: the text goes on, its currency read later
    with pytest.raises(ValueError, match="cannot be read"):
        to_raw(value, "1.000.00")


# --- dates in cells ------------------------------------------------------------------------------------------------


def test_a_date_cell_gives_its_vague_date_and_a_note_only_where_no_qualifier_holds_the_rest() -> None:
    announced = AID.field("announced_on")
    assert to_raw(announced, "until 3/16/2022") == ("2022-03-16", None)
    assert to_raw(announced, "unclear, 10/2022") == ("2022-10", PARTIAL)
    assert to_raw(announced, "not specified, 03/22") == ("2022-03", PARTIAL)
    assert to_raw(announced, "04/22") == ("2022-04", PARTIAL)
    assert to_raw(announced, "between 3/4/22 & 3/11/22", dates_month_first=True) == ("2022-03-04", None)
    assert to_raw(announced, "unti 10/3/2022", dates_month_first=True) == ("2022-10-03", None)
    assert to_raw(announced, dt.datetime(2022, 3, 1)) == ("2022-03-01", None)
    assert read_date("by summer 2025") == VagueDate("2025", "by", "by summer 2025", True)
    assert read_date(44620) == VagueDate("2022-02-28")  # an Excel serial date as a number
    assert read_date(2023) == VagueDate("2023") and read_date("Not given") is None
    for bad in ("06/31/2022", dt.datetime(2922, 4, 14), 5.5):
        with pytest.raises(ValueError):
            to_raw(announced, bad, dates_month_first=True)


def _workbook_rows(path: Path) -> list[list[object]]:
    (sheet,) = [s for s in read(path) if s.name == trackers.KIEL_MAIN_SHEET]
    return sheet.rows[1:]


@pytest.fixture(scope="module")
def kiel_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[list[object]], trackers.Expect]:
    path, expect = trackers.kiel_workbook(tmp_path_factory.mktemp("kiel"), rows=300)
    return _workbook_rows(path), expect


@pytest.fixture(scope="module")
def kiel_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[list[str]], trackers.Expect]:
    path, expect = trackers.kiel_csv(tmp_path_factory.mktemp("kiel-csv"), rows=600)
    lines = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    return lines[1 : 1 + expect.rows], expect


def test_every_date_of_the_kiel_workbook_is_read_and_the_typos_refused(
    kiel_book: tuple[list[list[object]], trackers.Expect],
) -> None:
    rows, expect = kiel_book
    announced, column = AID.field("announced_on"), trackers.KIEL_WORKBOOK_HEADER.index("Announcement Date")
    assert expect.count("date_vague") and expect.count("date_2922")
    for i, row in enumerate(rows):
        if i in expect.where["date_2922"]:
            with pytest.raises(ValueError, match="2922"):
                to_raw(announced, row[column], dates_month_first=True)
            continue
        date = read_date(row[column], month_first=True)
        assert date is not None
        assert date.inferred == (i in expect.where["date_vague"]), row[column]
        assert (date.as_written is not None) == (i in expect.where["date_vague"])


def test_every_date_of_the_kiel_csv_is_read_and_the_impossible_one_refused(
    kiel_csv: tuple[list[list[str]], trackers.Expect],
) -> None:
    rows, expect = kiel_csv
    column = trackers.KIEL_CSV_2023_HEADER.index("Announcement Date")
    assert expect.count("date_impossible")  # one package, each of its rows
    for i, row in enumerate(rows):
        if i in expect.where["date_impossible"]:
            with pytest.raises(ValueError, match="06/31/2022"):
                read_date(row[column], month_first=True)
            continue
        date = read_date(row[column], month_first=True)
        assert date is not None and date.inferred == (i in expect.where["date_vague"]), row[column]


def test_every_quantity_of_the_kiel_workbook_is_a_count_unknown_or_a_cell_that_cannot_be_read(
    kiel_book: tuple[list[list[object]], trackers.Expect],
) -> None:
    rows, expect = kiel_book
    committed = trackers.KIEL_WORKBOOK_HEADER.index("No. of Units")
    delivered = trackers.KIEL_WORKBOOK_HEADER.index("No. of Units delivered (in-kind military aid)")
    refused = set(expect.where["units_typo"] + expect.where["units_fraction"] + expect.where["units_words"])
    assert len(refused) == 4 and expect.count("units_undisclosed")
    units = AID.field("quantity_committed")
    for i, row in enumerate(rows):
        cells = [to_raw(units, row[c], undisclosed_note=True) for c in (committed, delivered) if i not in refused]
        if i in refused:
            with pytest.raises(ValueError):
                for c in (committed, delivered):
                    to_raw(units, row[c])
            continue
        for raw, note in cells:
            assert (raw is None and note in (EMPTY, UNDISCLOSED)) or (isinstance(raw, int) and note is None)
        assert (UNDISCLOSED in [note for _, note in cells]) == (i in expect.where["units_undisclosed"])


def test_kiel_money_has_its_style_and_not_given_is_unknown(kiel_csv: tuple[list[list[str]], trackers.Expect]) -> None:
    rows, expect = kiel_csv
    column = trackers.KIEL_CSV_2023_HEADER.index("Monetary Value as Given by Source")
    cells = [row[column] for row in rows]
    assert number_style(cells) == "1,234.5"
    value = AID.field("value")
    for i, cell in enumerate(cells):
        raw, note = to_raw(value, cell, number_style="1,234.5")
        if i in expect.where["value_not_given"]:
            assert (raw, note) == (None, EMPTY)
        else:
            assert isinstance(raw, str) and parse_money(raw) == parse_money(cell)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["auto", "1,234.5", "1.234,5"]))
def test_any_text_in_any_style_is_a_number_or_a_value_error(text: str, style: str) -> None:
    for parse in (parse_number, parse_integer, parse_money):
        try:
            parse(text, style=style)  # type: ignore[operator]
        except ValueError:
            pass
    assert unknown_note(text) in (None, EMPTY, UNDISCLOSED)
