"""Vague dates as the trackers write them: the partial date known, its qualifier, the text as written, inferred."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.kinds import DATE_QUALIFIERS
from storage.values import VagueDate, full_year, parse_date, parse_vague_date
from tests.conftest import FUZZ_EXAMPLES
from tests.importers import trackers


@pytest.mark.parametrize(
    ("text", "iso", "qualifier"),
    [
        ("until 3/16/2022", "2022-03-16", "until"),
        ("unti 10/3/2022", "2022-10-03", "until"),  # the tracker's typo of "until"
        ("until  5/7/2022", "2022-05-07", "until"),
        ("until 17/10/2022", "2022-10-17", "until"),  # 17 cannot be a month: day first, whatever the column says
        ("unclear, 10/2022", "2022-10", None),
        ("not specified, 03/22", "2022-03", None),
        ("unspecified, 03/2022", "2022-03", None),
        ("04/22", "2022-04", None),
        ("between 3/4/22 & 3/11/22", "2022-03-04", "between"),
        ("between 3/20/2022 and 7/1/2022", "2022-03-20", "between"),
        ("by summer 2025", "2025", "by"),
        ("before 2023", "2023", "before"),
        ("from March 2024", "2024-03", "from"),
        ("about May 2024", "2024-05", "about"),
        ("early October 2024", "2024-10", None),
        ("mid-2024", "2024", None),
        ("end of 2024", "2024", None),
        ("Q3 2024", "2024", None),
        ("~2024", "2024", "about"),
        ("circa 2023", "2023", "about"),
        ("between March and May 2024", "2024-03", "between"),  # the lower bound borrows the upper's year
        ("from March to May 2024", "2024-03", "between"),
    ],
)
def test_vague_forms_give_the_date_known_with_their_qualifier_and_text(text: str, iso: str, qualifier: str) -> None:
    # Month first, as the Kiel tracker's column is (its "3/16/2022" says so).
    assert parse_vague_date(text, month_first=True) == VagueDate(iso, qualifier, text, True)


def test_every_qualifier_is_one_of_the_vocabulary() -> None:
    texts = ["until 2022", "unti 2022", "till 2022", "by 2022", "no later than 2022", "before 2022", "prior to 2022"]
    texts += ["about 2022", "approx. 2022", "around 2022", "ca. 2022", "from 2022", "since 2022", "after 2022"]
    texts += ["between 2022 and 2023"]
    qualifiers = set()
    for text in texts:
        date = parse_vague_date(text)
        assert date is not None and date.iso == "2022" and date.inferred, text
        qualifiers.add(date.qualifier)
    assert qualifiers == set(DATE_QUALIFIERS)


@pytest.mark.parametrize(
    "value",
    ["2024", "2024-10", "2024-10-15", "24.06.2024", "13 Aug 2024", "Aug 13, 2024", "Oct 2024", "10/2022", "3/4/2024"],
)
def test_a_plain_date_is_what_parse_date_reads_with_nothing_extra(value: str) -> None:
    assert parse_vague_date(value) == VagueDate(parse_date(value) or "")
    assert parse_vague_date(value, month_first=True) == VagueDate(parse_date(value, month_first=True) or "")


def test_date_objects_and_years_are_plain_dates() -> None:
    assert parse_vague_date(dt.date(2024, 6, 24)) == VagueDate("2024-06-24", None, None, False)
    assert parse_vague_date(dt.datetime(2024, 6, 24, 13, 5)) == VagueDate("2024-06-24")
    assert parse_vague_date(2024) == VagueDate("2024")
    assert parse_vague_date("in October 2024") == VagueDate("2024-10")  # "in" says nothing vague
    assert parse_vague_date(None) is None and parse_vague_date("   ") is None


def test_two_digit_years_are_this_century_up_to_69() -> None:
    assert parse_vague_date("3/4/22") == VagueDate("2022-04-03")  # a full date: only the century is implied
    assert parse_vague_date("3/4/22", month_first=True) == VagueDate("2022-03-04")
    assert [full_year(n) for n in (0, 22, 69, 70, 99)] == [2000, 2022, 2069, 1970, 1999]


def test_a_range_reads_both_bounds_in_the_order_either_one_settles() -> None:
    # 20 cannot be a month: the range is month first, so 7/1/2022 is July 1 and the lower bound March 20.
    assert parse_vague_date("between 3/20/2022 and 7/1/2022").iso == "2022-03-20"  # type: ignore[union-attr]
    assert parse_vague_date("between 3/4/2022 and 20/4/2022").iso == "2022-04-03"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="after the second"):
        parse_vague_date("between 3/11/22 & 3/4/22", month_first=True)
    with pytest.raises(ValueError, match="two dates"):
        parse_vague_date("between 2022")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("06/31/2022", ["'06/31/2022'", "day 31"]),  # June has 30 days: no guess at July 1 or June 30
        ("31/06/2022", ["'31/06/2022'", "day 31"]),
        ("4/14/2922", ["'4/14/2922'", "2922", "1900-2100"]),
        (dt.date(2922, 4, 14), ["2922-04-14", "1900-2100"]),
        (dt.datetime(2922, 4, 14), ["2922-04-14", "1900-2100"]),
        ("until 2/30/2023", ["'until 2/30/2023'", "day 30"]),
        ("until", ["'until'"]),
        ("yesterday", ["'yesterday'"]),
        ("dozens", ["'dozens'"]),
    ],
)
def test_a_date_that_cannot_be_is_an_error_quoting_it(value: object, words: list[str]) -> None:
    with pytest.raises(ValueError) as caught:
        parse_vague_date(value, month_first=True)
    for word in words:
        assert word in str(caught.value)


def test_every_date_text_of_the_tracker_files_is_read_or_refused_as_it_should_be() -> None:
    for text in set(trackers.WORKBOOK_DATE_TEXTS + trackers.CSV_DATE_TEXTS):
        if text == "06/31/2022":
            with pytest.raises(ValueError):
                parse_vague_date(text, month_first=True)
            continue
        date = parse_vague_date(text, month_first=True)
        assert date is not None and date.inferred and date.as_written == text, text
        assert date.qualifier in (None, *DATE_QUALIFIERS)
        assert date.iso[:4] == "2022" or date.iso[:4] == "2023"


def test_parse_date_is_unchanged_for_the_plain_forms() -> None:
    assert parse_date("until 3/16/2022") == "2022-03-16"
    assert parse_date("early October 2024") == "2024-10"
    with pytest.raises(ValueError):
        parse_date("04/22")  # only the vague reader takes the short forms


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.dates(), st.booleans()))
def test_parse_vague_date_raises_nothing_but_value_error(value: object) -> None:
    for month_first in (False, True):
        try:
            date = parse_vague_date(value, month_first=month_first)
        except ValueError:
            continue
        assert date is None or len(date.iso) in (4, 7, 10)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_bound_on_any_date_keeps_the_date(day: dt.date) -> None:
    texts = (f"until {day.month}/{day.day}/{day.year}", f"by {day:%d %B %Y}", f"between {day.isoformat()} and 2100")
    for text in texts:
        date = parse_vague_date(text, month_first=True)
        assert date is not None and date.iso == day.isoformat(), text
