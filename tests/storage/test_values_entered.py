"""Values as an analyst enters them: a value's qualifier stays with the value, a value in EUR is its EUR value."""

from __future__ import annotations

import pytest

from storage import Ledger, ValidationError
from storage import records as rec


@pytest.fixture
def countries(ledger: Ledger) -> Ledger:
    for name in ("Estonia", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    return ledger


def _aid(ledger: Ledger, **values: object) -> dict[str, object]:
    base = {"donor": "Estonia", "recipient": "Ukraine", "item": "155mm ammunition", "category": "ammunition"}
    return rec.get(ledger, "aid", rec.insert(ledger, "aid", {**base, **values}))


def test_about_in_a_value_qualifies_the_value_not_the_quantity(countries: Ledger) -> None:
    stored = _aid(countries, value="about 5 millions euro")
    assert stored["value"] == 5_000_000
    assert stored["value_qualifier"] == "about"
    assert stored["quantity_qualifier"] is None  # no quantity was entered
    total = rec.insert(countries, "totals", {"subject": "Estonia", "amount": "over EUR 500 million"})
    assert rec.get(countries, "totals", total)["qualifier"] == "over"


def test_a_value_in_eur_is_its_eur_value_and_follows_it(countries: Ledger) -> None:
    stored = _aid(countries, value="5,000,000", currency="EUR")
    assert (stored["value_eur"], stored["eur_basis"]) == (5_000_000, "same currency")
    rid = int(stored["id"])  # type: ignore[call-overload]
    rec.update(countries, "aid", rid, {"value": "6 million"})
    assert rec.get(countries, "aid", rid)["value_eur"] == 6_000_000
    rec.update(countries, "aid", rid, {"currency": "USD"})  # no longer EUR: the EUR value is not known here
    after = rec.get(countries, "aid", rid)
    assert (after["value_eur"], after["eur_basis"]) == (None, None)


def test_an_eur_value_given_is_kept(countries: Ledger) -> None:
    given = _aid(countries, value="USD 10 million", value_eur="9,100,000")
    assert given["value_eur"] == 9_100_000
    assert given["eur_basis"] != "same currency"
    stored = _aid(countries, value="5 million", currency="EUR")
    rid = int(stored["id"])  # type: ignore[call-overload]
    rec.update(countries, "aid", rid, {"value_eur": "4,900,000"})  # typed over: the user's figure from now on
    after = rec.get(countries, "aid", rid)
    assert (after["value_eur"], after["eur_basis"]) == (4_900_000, "set by hand")
    rec.update(countries, "aid", rid, {"value": "7 million"})
    assert rec.get(countries, "aid", rid)["value_eur"] == 4_900_000


def test_an_item_of_a_package_that_carries_a_given_eur_value_adds_nothing_twice(countries: Ledger) -> None:
    given = rec.insert(countries, "packages", {"name": "EE-2025-03", "donor": "Estonia", "value_eur": "100 million"})
    item = _aid(countries, package=given, value="EUR 100 million")
    assert item["value_eur"] is None  # a tracker's conversion, counted once, on the package
    typed = rec.insert(countries, "packages", {"name": "EE-2025-04", "donor": "Estonia", "value": "EUR 100 million"})
    assert rec.get(countries, "packages", typed)["value_eur"] == 100_000_000  # a package's value in EUR too
    first = _aid(countries, package=typed, item="155mm ammunition", value="EUR 40 million")
    assert first["value_eur"] == 40_000_000  # read from a value in EUR: the items' values in EUR count


def test_by_summer_2025_is_a_date_expected_by(countries: Ledger) -> None:
    stored = _aid(countries, announced_on="3 Mar 2025", expected_on="by summer 2025")
    assert stored["announced_on"] == "2025-03-03" and stored["announced_qualifier"] is None
    assert stored["expected_on"] == "2025"
    assert stored["uncertain"] == 1  # the season is not a month: inferred, and said so
    rid = int(stored["id"])  # type: ignore[call-overload]
    rec.update(countries, "aid", rid, {"announced_on": "until 16 March 2022"})
    after = rec.get(countries, "aid", rid)
    assert (after["announced_on"], after["announced_qualifier"]) == ("2022-03-16", "until")
    assert after["announced_as_written"] == "until 16 March 2022"


def test_a_delivery_expected_by_summer_2025(countries: Ledger) -> None:
    stored = _aid(countries, expected_on="by summer 2025")
    assert (stored["expected_on"], stored["expected_qualifier"]) == ("2025", "by")
    assert stored["expected_as_written"] == "by summer 2025"


def test_what_an_amount_says_wins_over_a_forms_defaults(countries: Ledger) -> None:
    # A form sends every field: the currency's and the qualifier's defaults too.
    stored = _aid(countries, value="USD 10 million", currency="EUR", value_qualifier=None)
    assert stored["currency"] == "USD" and stored["value_eur"] is None
    total = rec.insert(
        countries, "totals", {"subject": "Estonia", "amount": "over EUR 500 million", "qualifier": "exact"}
    )
    assert rec.get(countries, "totals", total)["qualifier"] == "over"


def test_an_event_names_the_package_it_announced(countries: Ledger) -> None:
    package = rec.insert(countries, "packages", {"name": "EE March 2025", "donor": "Estonia"})
    event = rec.insert(
        countries, "events", {"title": "Pevkur announces the package", "date": "2025-03-03", "package": "EE March 2025"}
    )
    assert rec.get(countries, "events", event)["package"] == package
    refs = rec.references_to(countries, "packages", package)
    assert ("events", "package", 1) in refs  # so deleting the package says where its announcement points


def test_an_older_records_eur_value_of_a_value_in_eur_follows_it(countries: Ledger) -> None:
    stored = _aid(countries, value="234 million", currency="EUR", value_eur="234 million", eur_basis=None)
    rid = int(stored["id"])  # type: ignore[call-overload]
    countries.conn.execute("UPDATE aid SET eur_basis = NULL WHERE id = ?", (rid,))  # as the sample's records are
    rec.update(countries, "aid", rid, {"value": "7.5 million"})
    assert rec.get(countries, "aid", rid)["value_eur"] == 7_500_000


def test_a_vague_date_is_read_only_where_its_words_are_kept(countries: Ledger) -> None:
    with pytest.raises(ValidationError):  # an event keeps no qualifier: "by" would be lost
        rec.insert(countries, "events", {"title": "Talks", "date": "by summer 2025"})


def test_a_plain_date_typed_over_a_vague_one_clears_its_words(countries: Ledger) -> None:
    stored = _aid(countries, expected_on="by summer 2025")
    rid = int(stored["id"])  # type: ignore[call-overload]
    rec.update(countries, "aid", rid, {"expected_on": "2025", "expected_as_written": "by summer 2025"})
    assert rec.get(countries, "aid", rid)["expected_qualifier"] == "by"  # the words still read as 2025: kept
    rec.update(countries, "aid", rid, {"expected_on": "1 Sep 2025"})
    after = rec.get(countries, "aid", rid)
    assert (after["expected_on"], after["expected_qualifier"], after["expected_as_written"]) == (
        "2025-09-01",
        None,
        None,
    )
