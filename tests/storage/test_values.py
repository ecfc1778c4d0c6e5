"""Parsing of partial dates, money and numbers, as the forms and the importers use it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.values import Money, fold, format_date, parse_date, parse_integer, parse_money, parse_number
from tests.conftest import FUZZ_EXAMPLES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", "2024"),
        ("2024-10", "2024-10"),
        ("2024-10-15", "2024-10-15"),
        ("2024/6/24", "2024-06-24"),
        ("24.06.2024", "2024-06-24"),
        ("13 Aug 2024", "2024-08-13"),
        ("13 August 2024", "2024-08-13"),
        ("August 13, 2024", "2024-08-13"),
        ("Aug 14, 2024 - 07:36".split(" - ")[0], "2024-08-14"),
        ("Oct 2024", "2024-10"),
        ("early October 2024", "2024-10"),
        ("10/2022", "2022-10"),
        ("2024-08-16T10:00:00", "2024-08-16"),
        ("  ", None),
    ],
)
def test_parse_date_reads_full_and_partial_dates(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_parse_date_day_first_unless_told_month_first() -> None:
    assert parse_date("3/4/2024") == "2024-04-03"
    assert parse_date("3/4/2024", month_first=True) == "2024-03-04"
    assert parse_date("3/16/2022") == "2022-03-16"  # 16 cannot be a month


def test_parse_date_takes_date_objects_and_years() -> None:
    assert parse_date(dt.date(2024, 6, 24)) == "2024-06-24"
    assert parse_date(dt.datetime(2024, 6, 24, 13, 5)) == "2024-06-24"
    assert parse_date(2024) == "2024"


@pytest.mark.parametrize("text", ["31 Feb 2024", "2024-13", "yesterday", "13 Aug", "1850", "2024-02-30"])
def test_parse_date_rejects_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_format_date_shows_the_precision_it_has() -> None:
    assert [format_date(d) for d in ("2024", "2024-10", "2024-10-05")] == ["2024", "Oct 2024", "5 Oct 2024"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EUR 234 million", Money(234_000_000, "EUR")),
        ("€234 million", Money(234_000_000, "EUR")),
        ("€2.4 million", Money(2_400_000, "EUR")),
        ("234,000,000", Money(234_000_000)),
        ("2.4m", Money(2_400_000)),
        ("over EUR 641 million", Money(641_000_000, "EUR", "over")),
        ("around 500 million euros", Money(500_000_000, "EUR", "about")),
        ("close to EUR 90 million", Money(90_000_000, "EUR", "about")),  # as the article assistant reads it
        ("an estimated $2 bn", Money(2_000_000_000, "USD", "about")),
        ("1.2 bn USD", Money(1_200_000_000, "USD")),
        ("1 500", Money(1500)),
        ("2,5 mln", Money(2_500_000)),
        (370_000_000, Money(370_000_000)),
    ],
)
def test_parse_money_reads_amounts_as_people_write_them(text: object, expected: Money) -> None:
    assert parse_money(text) == expected


def test_money_is_stored_in_full_units_as_integers() -> None:
    money = parse_money("EUR 641 million")
    assert money is not None and money.amount == 641_000_000 and isinstance(money.amount, int)
    assert money.describe() == "EUR 641,000,000"


@pytest.mark.parametrize("text", ["a lot", "EUR", "12 apples", "1.2.3,4,5x"])
def test_parse_money_rejects_text_without_an_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_numbers_and_quantities() -> None:
    assert parse_number("1,500") == 1500
    assert parse_number("1.234.567") == 1234567
    assert parse_number("2,5") == 2.5
    assert parse_integer("about 1,500") == 1500
    with pytest.raises(ValueError):
        parse_integer("1.5")


def test_fold_removes_diacritics_and_case() -> None:
    assert fold("Laurynas  KASČIŪNAS") == "laurynas kasciunas"
    assert fold("Nausėda") == fold("Nauseda")


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.dates()))
def test_parsers_raise_nothing_but_value_error(value: object) -> None:
    for parser in (parse_date, parse_money, parse_number, parse_integer):
        try:
            parser(value)
        except ValueError:
            pass
