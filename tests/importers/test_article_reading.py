"""The article assistant's reading of words: dates against the article's date, amounts, counts, names and roles."""

from __future__ import annotations

import datetime as dt

import pytest

from importers.article import amounts as am
from importers.article import dates as dd
from importers.article import mentions as mm

PUBLISHED = dd.Anchor(dt.date(2024, 11, 15))  # a Friday


@pytest.mark.parametrize(
    ("words", "iso", "why"),
    [
        ("on 15 October, reports indicated", "2024-10-15", "2024 from the article's date"),
        ("In early October, it was reported", "2024-10", "only the month is known"),
        ("the ministry said on Tuesday", "2024-11-12", "'on Tuesday' resolved"),
        ("are to undergo training this year", "2024", "'this year' resolved"),
        ("as agreed last summer", "2024", "'last summer' resolved"),
        ("ahead of next month's summit", "2024-12", "'next month' resolved"),
        ("In December, the ministers met", "2023-12", "2023 from the article's date"),  # not ahead of the article
        ("signed in Brussels on 24 June 2024", "2024-06-24", ""),
        ("Aug 14, 2024 - 07:36", "2024-08-14", ""),
        ("deliveries by summer 2025", "2025", "only the year is known"),
        ("since 2022", "2022", ""),
    ],
)
def test_dates_are_resolved_against_the_article_at_their_precision(words: str, iso: str, why: str) -> None:
    found = dd.find_dates(words, PUBLISHED)
    assert [d.iso for d in found] == [iso]
    assert why in found[0].inferred if why else not found[0].inferred


def test_a_date_without_a_year_in_an_undated_article_takes_the_year_its_people_held_office() -> None:
    window = dd.office_window(["Arvydas Anušauskas", "Rustem Umerov"], mm.data()["offices"])
    assert window is not None
    found = dd.find_dates("met in Kyiv on November 10", dd.Anchor(None, window))
    assert [d.iso for d in found] == ["2023-11-10"]  # Umerov from September 2023, Anušauskas until May 2024
    assert "Umerov" in found[0].inferred and "held office" in found[0].inferred
    assert dd.find_dates("met in Kyiv on November 10", dd.Anchor(None)) == []  # nothing to go by: no guess


def test_may_the_verb_is_no_date() -> None:
    assert dd.find_dates("Ukraine may receive more", PUBLISHED) == []
    assert [d.iso for d in dd.find_dates("in May 2023", PUBLISHED)] == ["2023-05"]


@pytest.mark.parametrize(
    ("words", "amount", "currency", "qualifier", "upper"),
    [
        ("for €234 million.", 234_000_000, "EUR", "exact", None),
        ("amounts to over EUR 641 million", 641_000_000, "EUR", "over", None),
        ("stands at around 500 million euros", 500_000_000, "EUR", "about", None),
        ("a $38 million package", 38_000_000, "USD", "exact", None),
        ("worth EUR 40-50 million", 40_000_000, "EUR", "between", 50_000_000),
        ("almost EUR 80 million", 80_000_000, "EUR", "about", None),
        ("has reached over a billion euros to date", 1_000_000_000, "EUR", "over", None),
        ("£2.3 billion this year", 2_300_000_000, "GBP", "exact", None),
    ],
)
def test_amounts_with_currency_scale_and_qualifier(
    words: str, amount: int, currency: str, qualifier: str, upper: int | None
) -> None:
    (found,) = am.find_amounts(words)
    assert (found.money.amount, found.money.currency, found.qualifier, found.upper) == (
        amount,
        currency,
        qualifier,
        upper,
    )


def test_numbers_that_are_not_money_are_not_amounts() -> None:
    assert am.find_amounts("10 M113 armoured vehicles and 155mm rounds in 2023") == []


@pytest.mark.parametrize(
    ("words", "number", "unit", "qualifier"),
    [
        ("A total of about 1,500 Ukrainian military personnel are to undergo training", 1500, "persons", "about"),
        ("10 M113 armoured vehicles", 10, "units", ""),
        ("more than 100 generators", 100, "units", "over"),
        ("up to 150,000 rounds of 155mm artillery ammunition", 150_000, "rounds", "up to"),
    ],
)
def test_counts_with_their_units(words: str, number: int, unit: str, qualifier: str) -> None:
    (found,) = am.find_counts(words, am.find_amounts(words))
    assert (found.number, found.unit, found.qualifier) == (number, unit, qualifier)


def test_a_day_of_the_month_is_no_count() -> None:
    assert am.find_counts("On 15 October, reports indicated", []) == []


def _names(text: str) -> dict[str, mm.Mention]:
    return {m.name: m for m in mm.find(text, mm.built_in())}


def test_countries_by_name_short_form_and_adjective() -> None:
    found = _names("The Lithuanian delegation, the U.S. and the Czech Republic met Dutch and British ministers.")
    assert {"Lithuania", "United States", "Czechia", "Netherlands", "United Kingdom"} <= set(found)
    assert all(found[n].type == "country" for n in ("Lithuania", "Czechia"))
    assert "us" not in {m.words.lower() for m in mm.find("Join us in Kyiv.", mm.built_in())}  # the pronoun


def test_people_with_the_role_written_before_or_after_their_name() -> None:
    before = _names("Minister of National Defence Laurynas Kasčiūnas said it was essential.")
    assert before["Laurynas Kasčiūnas"].type == "person"
    assert before["Laurynas Kasčiūnas"].role == "Minister of National Defence"
    after = _names("Kasčiūnas, Lithuania's defence minister, arrived on Tuesday.")
    assert after["Laurynas Kasčiūnas"].role == "Lithuania's defence minister"  # the office holder of that name
    assert after["Laurynas Kasčiūnas"].country == "Lithuania"
    assert "Boris Johnson" not in _names("Speaker Johnson said the House would vote.")  # not the office he held
    by_adjective = _names("Ukrainian President Volodymyr Zelensky thanked Lithuania.")
    assert by_adjective["Volodymyr Zelensky"].country == "Ukraine"


def test_organisations_and_coalitions_by_their_form_and_name() -> None:
    found = _names("the Ukraine Demining Coalition co-led by Lithuania and Iceland, and NATO's Madrid summit")
    assert found["Ukraine Demining Coalition"].type == "coalition"
    assert found["NATO"].type == "organisation"
    assert "Ukraine" not in found  # inside the coalition's name, not a country named on its own


def test_equipment_terms_and_systems_give_their_category() -> None:
    found = mm.find("NASAMS launchers, 155mm shells, anti-drone equipment and Leopard 2 tanks", mm.built_in())
    categories = {m.words: m.name for m in found if m.type == "equipment"}
    assert categories["NASAMS"] == "air defence"
    assert categories["anti-drone equipment"] == "anti-drone"
    assert categories["Leopard 2"] == "armoured vehicles"
    assert categories["155mm"] == "ammunition"
