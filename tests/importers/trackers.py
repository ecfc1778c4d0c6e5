"""Test files in the published trackers' own layouts: the Kiel Ukraine Support Tracker and SIPRI's trade register.

Each generator writes one file into a folder and returns its path with an ``Expect``: what the file holds, counted
as it was written, for a test to assert after an import (rows, packages, rows per donor, the EUR sum, and where each
quirk sits). The headers, the preambles, the value forms and the mess are copied from the published releases (see
../shared/docs/real-layouts.md); every row is synthesized, so no third-party data is in the repository.

Seeded and deterministic: the same arguments write the same bytes (the workbook's zip timestamps aside).

Quirk names in ``Expect.where`` (each maps to the 0-based indexes of the data rows that carry it):
    Kiel: ``item_dot`` (the item is "."), ``currency_dot``, ``official_dot`` (a Yes/No flag holding "."),
    ``date_text`` (any date written as text), ``date_vague`` (text giving a partial or uncertain date),
    ``date_2922`` (the year typo), ``date_impossible`` ("06/31/2022"), ``units_typo`` ("1.000.00"),
    ``units_fraction`` (216.67), ``units_words`` ("dozens", "partially"), ``units_undisclosed``,
    ``value_not_given`` ("Not given"), ``category_stray_space`` ("Equipment "), ``general_empty``,
    ``first_of_package`` (Total_value_dummy is 1), ``stray_zero_row`` (the CSV's trailing "0" line, one past the
    last record).
    SIPRI: ``uncertain_order_year``, ``uncertain_ordered``, ``uncertain_delivered`` ("?" beside the figure),
    ``years_list`` (more than one delivery year), ``split`` (the record breaks over two lines), ``latin1`` (a name
    or comment with a letter outside ASCII), ``unknown_supplier``, ``non_state`` (a name marked "*" or "**"),
    ``deal_value`` (a "$79 m deal" comment), ``ordered_empty`` (Number ordered not yet known),
    ``delivery_year_estimate_empty`` (per-delivery layout: the estimate flag left blank).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# The Kiel tracker's 7th release (2022), sheet "Bilateral assistance, MAIN DATA": 44 headers. The 9th is blank (it
# holds the item), "Sub-type of item" comes twice, "Total  " ends in two spaces, the last header is one space.
KIEL_WORKBOOK_HEADER = [
    "ID",
    "countries",
    "Announcement Date",
    "Type of Aid General",
    "Type of Aid Specific",
    "Explanation",
    "Original Currency",
    "Monetary Value as Given by Source",
    "",
    "Type of item",
    "Sub-type of item",
    "Soviet origin (1)",
    "No. of Units",
    "No. of Units delivered (in-kind military aid)",
    "Unit Price in USD",
    "Value committed (own estimate, in USD)",
    "Value delivered (own estimate, in USD)",
    "Total  ",
    "Converted Value in EUR",
    "Total monetary value delivered in EUR",
    "Official Source",
    "Source of Aid 1",
    "Source of Aid 2",
    "Source of Aid 3",
    "Source of Aid 4",
    "Bilateral loan/grant made through IMF or WB?",
    "Updated/newly added entry",
    "Source for Delivery",
    "Working/debug >>>",
    "Total_value_dummy (1 is first row in the package)",
    "value_source_commitments",
    "value_source_deliveries",
    "MonthCoding2",
    "Month3",
    "BeforeWar4",
    "Ukraine Asked for it dummy (=1)",
    "Heavy_but_undisclosed_commitments",
    "Heavy_but_undisclosed_deliveries",
    "Ammunition_dummy(=1)",
    "Source of item",
    "Sub-type of item",
    "Items (short version)",
    "Relative importance(2=very imporant, 1=important, 0=less important)",
    " ",
]
KIEL_MAIN_SHEET = "Bilateral assistance, MAIN DATA"

# A 2023 release as CSV: 38 named headers, then 15 empty ones (53 fields on every line).
KIEL_CSV_2023_HEADER = [
    "ID",
    "Countries",
    "Announcement Date",
    "Type of Aid General",
    "Type of Aid Specific",
    "Explanation",
    "Original Currency",
    "Monetary Value as Given by Source",
    "Items",
    "Type of Item",
    "Sub-type of item",
    "No. of Units",
    "No. of Units Delivered (in-kind military aid)",
    "Unit Price in USD",
    "Total  ",
    "Converted Value in EUR",
    "Total monetary value delivered in EUR",
    "Official Source",
    "Source of Aid 1",
    "Source of Aid 2",
    "Source of Aid 3",
    "Source of Aid 4",
    "Bilateral loan/grant made through IMF or WB?",
    "Updated/newly added entry",
    "Humanitarian delivery",
    "Deliveries = Commitments (1=yes, 0=no)",
    "Official delivery source (1=yes, 0=no)",
    "Source for Delivery",
    "Total_value_dummy (1 is first row in the package)",
    "value_source_commitments",
    "value_source_deliveries",
    "Earmarked year",
    "Source of item",
    "Sub-type of item",
    "Items (short version)",
    "Relative importance(2=very imporant, 1=important, 0=less important)",
    "Official Source Yes/No Dummy",
    "Total_in_USD",
]
KIEL_CSV_EMPTY_COLUMNS = 15

# The newest releases' snake_case headers, as far as they are confirmed (names seen in analysts' code that reads
# them). The order is this module's; sub_activity_id's value form is a guess.
KIEL_SNAKE_HEADER = [
    "activity_id",
    "sub_activity_id",
    "donor",
    "announcement_date",
    "month",
    "month_exists_dummy",
    "aid_type_general",
    "aid_type_specific",
    "measure",
    "explanation",
    "reporting_currency",
    "source_reported_value",
    "tot_activity_value",
    "tot_activity_value_EUR",
    "tot_sub_activity_value",
    "tot_sub_activity_value_EUR",
    "tot_sub_activity_value_EUR_redistr",
    "tot_value_deliv_EUR",
    "item",
    "item_type",
    "item_numb",
    "item_numb_deliv",
    "item_price_USD",
    "item_value_estimate_USD",
    "item_value_estimate_deliv_USD",
    "total_value_dummy",
    "earmarked_year",
]

# SIPRI's trade register (CSV, 2025): the header on line 12. Three columns are headed by one space and hold "?".
SIPRI_HEADER = [
    "Recipient",
    "Supplier",
    "Year of order",
    " ",
    "Number ordered",
    " ",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    " ",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
]
SIPRI_DELIVERIES_HEADER = [
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
]


def sipri_notes(supplier: str = "All countries ", generated: str = "13 Mar 2025 10:02:49 AM") -> list[str]:
    """The 11 lines of notes above a SIPRI export's header, worded as SIPRI writes them (line 9 is blank).

    Args:
        supplier: the supplier the export was made for, as it appears in the first line ("All countries ",
            "United States  ": SIPRI pads the name with spaces).
        generated: the "Data generated" stamp.
    """
    return [
        f"Transfers of major conventional arms from {supplier} to All countries . Deals with deliveries made for "
        "the year range 'Not specified' to 'Not specified' ",
        "A '?' in a column indicates uncertain data. The 'Number delivered' and the 'Year(s) of deliveries' refer "
        "only to deliveries in the selected year(s).",
        "An empty field for 'Number ordered' indicates that data is not yet available.",
        "SIPRI trend-indicator values (TIVs) are in millions.",
        "An empty field for 'SIPRI TIV for total order' indicates that data (on the number ordered and/or the TIV "
        "per unit) is not available.",
        "A '0' for 'SIPRI TIV of delivered weapons' indicates that the volume of deliveries is between 0 and 0.5 "
        "million SIPRI TIV; and an empty field indicates that no deliveries have been identified.",
        "Figures may not add up to stated totals due to the conventions of rounding.",
        "For the method used for the SIPRI TIV and explanations of the conventions; abbreviations and acronyms see "
        "<https://www.sipri.org/databases/armstransfers/sources-and-methods>.",
        "",
        "Source: SIPRI Arms Transfers Database (c) SIPRI.",
        f"Data generated: {generated}",
    ]


@dataclass
class Expect:
    """What a generated file holds, counted as it was written.

    Attributes:
        layout: "kiel-workbook", "kiel-csv-2023", "kiel-csv-snake", "sipri-register" or "sipri-deliveries".
        header: the header row exactly as written.
        header_line: the header's row (workbook) or physical line (CSV), counted from 1.
        rows: data records (a SIPRI record split over two lines counts once; the Kiel CSV's stray "0" not at all).
        sheet: the data sheet's name, for a workbook.
        encoding: the file's text encoding, for a CSV.
        donors: rows per donor (Kiel countries, SIPRI supplier).
        recipients: rows per recipient (SIPRI; the Kiel files imply Ukraine).
        packages: distinct package IDs (Kiel).
        packages_per_donor: package IDs per donor (Kiel).
        eur_sum: the sum of the package values in EUR as written, each package once (Kiel).
        eur_per_donor: the same, per donor.
        tiv_delivered_sum: the sum of "SIPRI TIV of delivered weapons" (or "TIV delivery values").
        statuses: rows per SIPRI status (New / Second hand / Second hand but modernized).
        date_texts: every date written as text, with its number of rows.
        where: quirk name -> the 0-based indexes of the data rows that carry it (names: the module's docstring).
        keys: each row's key as the tracker matches releases: Kiel (ID, item), SIPRI (supplier, recipient,
            designation, year of order).
        notes: the lines above the header (SIPRI).
        physical_lines: the file's lines, preamble and header included (CSV).
    """

    layout: str
    header: list[str]
    header_line: int
    rows: int
    sheet: str | None = None
    encoding: str | None = None
    donors: Counter[str] = field(default_factory=Counter)
    recipients: Counter[str] = field(default_factory=Counter)
    packages: int = 0
    packages_per_donor: Counter[str] = field(default_factory=Counter)
    eur_sum: float = 0.0
    eur_per_donor: dict[str, float] = field(default_factory=dict)
    tiv_delivered_sum: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)
    date_texts: Counter[str] = field(default_factory=Counter)
    where: dict[str, list[int]] = field(default_factory=dict)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    physical_lines: int = 0

    def count(self, quirk: str) -> int:
        """How many data rows carry a quirk (0 for a name the file does not have)."""
        return len(self.where.get(quirk, []))

    def mark(self, quirk: str, row: int) -> None:
        """Record that data row ``row`` carries ``quirk``."""
        self.where.setdefault(quirk, []).append(row)


# ---------------------------------------------------------------------------------------------------------------
# Kiel: the synthetic packages every Kiel layout is written from.

# Donor, its ID code (as the tracker writes it: UK, EL, KO, EU...), its currency.
KIEL_DONORS_2022 = [
    ("United States", "US", "USD"),
    ("United Kingdom", "UK", "GBP"),
    ("Lithuania", "LT", "EUR"),
    ("Estonia", "EE", "EUR"),
    ("Germany", "DE", "EUR"),
    ("EU (Commission and Council)", "EU", "EUR"),
    ("Poland", "PL", "PLN"),
    ("Czech Republic", "CZ", "CZK"),
    ("Canada", "CA", "CAD"),
    ("Norway", "NO", "NOK"),
    ("Latvia", "LV", "EUR"),
    ("European Peace Facility", "EU", "EUR"),
]
# The 2023 CSV's donors add those that bring its 18 currencies.
KIEL_DONORS_2023 = KIEL_DONORS_2022 + [
    ("Denmark", "DK", "DKK"),
    ("Sweden", "SE", "SEK"),
    ("Australia", "AU", "AUD"),
    ("Switzerland", "CH", "CHF"),
    ("New Zealand", "NZ", "NZD"),
    ("Iceland", "IS", "ISK"),
    ("Bulgaria", "BG", "BGN"),
    ("Croatia", "HR", "HRK"),
    ("Hungary", "HU", "HUF"),
    ("Romania", "RO", "RON"),
    ("China", "CN", "CNY"),
]
KIEL_CURRENCIES_2023 = ["USD", "EUR", "CAD", "NOK", "GBP", "CZK", "DKK", "SEK", "AUD"]
KIEL_CURRENCIES_2023 += ["CHF", "NZD", "ISK", "BGN", "HRK", "HUF", "RON", "CNY", "PLN"]
# Units per EUR (synthetic round figures; the workbook's "Exchange rates" sheet lists them).
RATES = {"EUR": 1.0, "USD": 1.1, "GBP": 0.85, "PLN": 4.7, "CZK": 24.5, "CAD": 1.4, "NOK": 10.5, "DKK": 7.44}
RATES |= {"SEK": 11.0, "AUD": 1.55, "CHF": 1.0, "NZD": 1.7, "ISK": 150.0, "BGN": 1.956, "HRK": 7.53, "HUF": 400.0}
RATES |= {"RON": 4.94, "CNY": 7.3}

# (item, Type of item, Sub-type of item, unit price in USD): generic equipment, as the tracker words it.
MILITARY_ITEMS: list[tuple[str, str, str, int | None]] = [
    ("155mm artillery round", "Ammunition for heavy weapon", "155mm howitzer ammunition", 3800),
    ("M777 howitzer", "Heavy weapon", "155mm howitzer", 3_500_000),
    ("ballistic vest", "Military equipment", ".", 500),
    ("helmet", "Military equipment", ".", 150),
    ("Javelin anti-tank missile system", "Portable defence system", "Anti-tank guided missile (ATGM)", 178_000),
    ("Stinger MANPADS", "Portable defence system", "MANPADS", 400_000),
    ("M113 armored personnel carrier", "Heavy weapon", "Armoured Personnel Carrier (APC)", 317_500),
    ("night vision device", "Military equipment", "radar and imagery systems", 6000),
    ("unmanned aerial system", "Aviation and drones", "Unknown drone", 150_000),
    ("HIMARS 142 multiple rocket launcher", "Heavy weapon", "227mm MLRS", 5_100_000),
    ("ammunition for HIMARS", "Ammunition for heavy weapon", "227mm MLRS ammunition", 150_000),
    ("M72 rocket launcher", "Portable defence system", "Light Anti-armor Weapon (LAW)", 1400),
    ("sleeping bag", "military equipment", ".", 100),
    ("field ration", "Military equipment", ".", 22),
    ("assault rifle", "Light armaments & infantry", "Small Arms and Light Weapons (SALW)", 1000),
    ("rifle cartridge", "Ammunition for light infantry", "Small Arms and Light Weapons (SALW) ammunition", 1),
]
HUMANITARIAN_ITEMS: list[tuple[str, str, str, int | None]] = [
    (".", ".", ".", None),
    ("ambulance H", "Humanitarian", ".", 60_000),
    ("ton of medical equipment", "Humanitarian", ".", None),
    ("generator", "humanitarian", ".", 2500),
]
SPECIFIC = {
    "Military": ["Weapons and equipment", "Weapons and Equipment", "Equipment", "Weapons", "Military Equipment"],
    "Humanitarian": ["Assistance", "Material assistance", "Equipment and assistance"],
    "Financial": ["Grant", "Loan", "Guarantee"],
}
STRAY_SPACE_SPECIFIC = ["Equipment ", "Weapons ", "Assistance "]
# Dates as the 7th release writes them in text; the first five must appear whenever the file is big enough.
WORKBOOK_DATE_TEXTS = [
    "until 3/16/2022",
    "unclear, 10/2022",
    "04/22",
    "not specified, 03/22",
    "between 3/4/22 & 3/11/22",
    "until 11/20/2022",
    "until 17/10/2022",
    "unti 10/3/2022",
    "until  5/7/2022",
    "between 3/20/2022 and 7/1/2022",
    "unspecified, 03/2022",
]
CSV_DATE_TEXTS = ["until 2/24/2023", "unclear, 10/2022", "not specified, 03/22", "06/31/2022", "until 11/20/2022"]
VALUE_SOURCES = ["Value is given by the source", "Value is calculated with prices", "Value is given by hand"]
PRICE_SOURCES = ["Contracts", "Media reports (incl. social media)", "Military media (incl. websites)", "Miscellaneous"]


@dataclass
class _Row:
    """One Kiel row (one item of one package), before a layout writes it."""

    pid: str
    sub: int
    donor: str
    currency: str
    date: dt.date | str
    general: str
    specific: str
    explanation: str
    monetary: int | None  # None: "Not given"
    item: str
    item_type: str
    subtype: str
    units: Any
    delivered: Any
    price: Any
    first: bool
    total: float | str | None  # in the original currency, on the package's first row
    eur: float | None
    eur_delivered: float | str | None
    eur_share: float  # the item's share of the package's EUR (snake_case layout)
    sources: tuple[str, str, str, str]
    delivery_source: str
    official: str


def _url(rng: random.Random, code: str, n: int) -> str:
    site = rng.choice(["defence", "mfa", "gov", "news"])
    return f"https://www.{site}.{code.lower()}.example/news/2022/{n:04d}-support-ukraine"


def _kiel_rows(
    rows: int, seed: int, donors: list[tuple[str, str, str]], date_texts: list[str], text_share: float
) -> list[_Row]:
    """``rows`` rows in packages of 1 to 8 items, with the value once per package and the usual quirks."""
    rng = random.Random(seed)
    usual_texts = [text for text in date_texts if text != "06/31/2022"]  # the impossible date comes once
    numbers: Counter[str] = Counter()
    shared = "https://www.defense.us.example/fact-sheet-security-assistance-ukraine"  # cited across packages
    out: list[_Row] = []
    package = 0
    while len(out) < rows:
        donor, code, currency = donors[package % len(donors)] if package < len(donors) else rng.choice(donors)
        letter = rng.choices("MHF", weights=(70, 20, 10))[0]
        general = {"M": "Military", "H": "Humanitarian", "F": "Financial"}[letter]
        numbers[code + letter] += 1
        pid = f"{code}{letter}{numbers[code + letter]}"
        size = min(rows - len(out), rng.randint(1, 8) if letter == "M" else rng.randint(1, 3) if letter == "H" else 1)
        day = dt.date(2022, 1, 24) + dt.timedelta(days=rng.randrange(0, 400))
        date: dt.date | str = day
        if package < len(date_texts[:5]) * 3 and package % 3 == 1:  # the required forms, early and spread out
            date = date_texts[package // 3]
        elif rng.random() < text_share:
            date = rng.choice(usual_texts)
        specific = rng.choice(SPECIFIC[general])
        monetary = None if rng.random() < 0.25 else rng.choice([1, 2, 5, 10, 25, 50, 100, 322]) * 1_000_000
        sources = (
            shared if code == "US" and rng.random() < 0.5 else _url(rng, code, package),
            _url(rng, code, package + 5000) if rng.random() < 0.6 else ".",
            _url(rng, code, package + 9000) if rng.random() < 0.2 else ".",
            ".",
        )
        official = rng.choice(["Yes"] * 8 + ["No", "Yes "])
        delivery_source = _url(rng, code, package + 7000) if rng.random() < 0.3 else "."
        items: list[_Row] = []
        usd = 0.0
        for sub in range(size):
            price_usd: int | None
            if general == "Military":
                item, item_type, subtype, price_usd = rng.choice(MILITARY_ITEMS)
                if rng.random() < 0.07:
                    item, item_type, subtype = ".", ".", "."
            elif general == "Humanitarian":
                item, item_type, subtype, price_usd = rng.choice(HUMANITARIAN_ITEMS)
            else:
                item, item_type, subtype, price_usd = ".", ".", ".", None
            units: Any = rng.choice([".", "undisclosed", rng.choice([2, 4, 10, 20, 100, 1000, 5000])])
            if item == ".":
                units = "."
            delivered: Any = "."
            if isinstance(units, int) and rng.random() < 0.5:
                delivered = rng.choice([units, units // 2, 0])
            price: Any = price_usd if price_usd is not None and rng.random() < 0.8 else "."
            if isinstance(units, int) and isinstance(price, int):
                usd += units * price
            items.append(
                _Row(
                    pid,
                    sub + 1,
                    donor,
                    currency,
                    date,
                    general,
                    specific,
                    f"{donor} announced a package of {general.lower()} support to Ukraine ({pid}).",
                    monetary,
                    item,
                    item_type,
                    subtype,
                    units,
                    delivered,
                    price,
                    sub == 0,
                    None,
                    None,
                    None,
                    0.0,
                    sources,
                    delivery_source,
                    official,
                )
            )
        total = monetary if monetary is not None else usd * RATES[currency] / RATES["USD"] if usd else None
        if total is None:  # the source gives nothing and nothing has a price: a round guess of the team's own
            total = rng.choice([1, 3, 7]) * 1_000_000
        eur = round(total / RATES[currency], 2)
        first = items[0]
        first.total, first.eur = total, eur
        first.eur_delivered = round(eur * rng.choice([0.25, 0.5, 1.0]), 2) if rng.random() < 0.4 else "."
        cents = round(eur * 100)
        for k, row in enumerate(items):  # the EUR split over the items, to the cent, for the per-item layouts
            share = cents // size + (1 if k < cents % size else 0)
            row.eur_share = share / 100
        out.extend(items)
        package += 1
    return out


def _place_kiel_quirks(rows: list[_Row], rng: random.Random, expect: Expect, *, workbook: bool) -> None:
    """Put the rare quirks on a few rows each: typo quantities, words, "." in a currency and a Yes/No flag."""
    military = [i for i, r in enumerate(rows) if r.general == "Military" and r.item != "."]
    if not military:
        return
    picks = rng.sample(military, min(len(military), 8))
    quirks: list[tuple[str, str, Any]] = [
        ("units_typo", "units", "1.000.00"),
        ("units_fraction", "units", 216.67),
        ("units_words", "delivered", "dozens"),
        ("units_words", "delivered", "partially"),
        ("units_undisclosed", "units", "Undisclosed"),
    ]
    for index, (_, attr, value) in zip(picks, quirks, strict=False):
        setattr(rows[index], attr, value if workbook or not isinstance(value, float) else "216.67")
    by_pid: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_pid.setdefault(r.pid, []).append(i)
    for n, pid in enumerate(list(by_pid)[1 :: max(1, len(by_pid) // 3)][:3]):
        for i in by_pid[pid]:
            if n < 2:
                rows[i].currency = "."  # the package's currency left as "."
            else:
                rows[i].official = "."
    if workbook:
        pid = list(by_pid)[len(by_pid) // 2]
        for i in by_pid[pid]:
            rows[i].date = dt.date(2922, 4, 14)
    stray = [i for i in military if rows[i].specific in ("Equipment", "Weapons")][:3]
    for i in stray:
        for j in by_pid[rows[i].pid]:
            rows[j].specific = rows[j].specific.rstrip() + " "


def _note_kiel(rows: list[_Row], expect: Expect) -> None:
    """Count what a Kiel file holds into ``expect`` (the quirks, the donors, the packages, the EUR sum)."""
    pids: dict[str, str] = {}
    eur: dict[str, list[float]] = {}
    for i, r in enumerate(rows):
        expect.donors[r.donor] += 1
        expect.keys.append((r.pid, r.item))
        if r.pid not in pids:
            pids[r.pid] = r.donor
            expect.packages_per_donor[r.donor] += 1
        if r.first:
            expect.mark("first_of_package", i)
            eur.setdefault(r.donor, []).append(r.eur or 0.0)
        if r.item == ".":
            expect.mark("item_dot", i)
        if r.currency == ".":
            expect.mark("currency_dot", i)
        if r.official == ".":
            expect.mark("official_dot", i)
        if r.monetary is None:
            expect.mark("value_not_given", i)
        if r.specific.endswith(" "):
            expect.mark("category_stray_space", i)
        if r.units in ("1.000.00",):
            expect.mark("units_typo", i)
        if r.units in (216.67, "216.67"):
            expect.mark("units_fraction", i)
        if r.delivered in ("dozens", "partially"):
            expect.mark("units_words", i)
        if str(r.units).lower() == "undisclosed" or str(r.delivered).lower() == "undisclosed":
            expect.mark("units_undisclosed", i)
        if isinstance(r.date, str):
            expect.mark("date_text", i)
            expect.date_texts[r.date] += 1
            if r.date != "06/31/2022":
                expect.mark("date_vague", i)
            else:
                expect.mark("date_impossible", i)
        elif r.date.year == 2922:
            expect.mark("date_2922", i)
    expect.packages = len(pids)
    expect.eur_per_donor = {donor: math.fsum(values) for donor, values in eur.items()}
    expect.eur_sum = math.fsum(v for values in eur.values() for v in values)


def _dot(value: Any) -> Any:
    return "." if value is None else value


# ---------------------------------------------------------------------------------------------------------------
# Kiel: the 7th-release workbook.

FIGURE_SHEETS = 30  # with the 7 named sheets: the release's 37


def kiel_workbook(folder: Path, rows: int = 1032, seed: int = 7) -> tuple[Path, Expect]:
    """The Kiel tracker's 7th-release workbook: 37 sheets, the data on "Bilateral assistance, MAIN DATA".

    ReadMe comes first; then the main data (the 44 headers of ``KIEL_WORKBOOK_HEADER``, one row per item, rows
    sharing an ID forming a package), "Commercial assistance", "Multilateral assistance", "Price List, Weapons &
    Items", "Exchange rates", "Updates and Corrections", and 30 figure sheets whose first two rows are blank or a
    title. "." stands for nothing in any column; dates are Excel dates or text; Converted Value in EUR is on each
    package's first row only (Total_value_dummy 1), the cells below it empty.

    Written with openpyxl's write-only mode: about a second per thousand rows. For 100,000 rows use ``kiel_csv``.

    Args:
        folder: where to write ``Ukraine_Support_Tracker_Release_7.xlsx``.
        rows: data rows on the main sheet.
        seed: the random seed; the same seed writes the same rows.

    Returns:
        The file's path and what it holds.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    data = _kiel_rows(rows, seed, KIEL_DONORS_2022, WORKBOOK_DATE_TEXTS, 0.08)
    expect = Expect("kiel-workbook", list(KIEL_WORKBOOK_HEADER), 1, len(data), sheet=KIEL_MAIN_SHEET)
    _place_kiel_quirks(data, random.Random(seed + 1), expect, workbook=True)
    _note_kiel(data, expect)

    path = Path(folder) / "Ukraine_Support_Tracker_Release_7.xlsx"
    book = openpyxl.Workbook(write_only=True)
    readme = book.create_sheet("ReadMe")
    readme.append(["Ukraine Support Tracker (synthetic test file in the layout of the 7th release)"])
    readme.append([])
    readme.append(["Each row of 'Bilateral assistance, MAIN DATA' is one item; rows sharing an ID form a package."])
    readme.append(["'.' means that the information is not available."])

    main = book.create_sheet(KIEL_MAIN_SHEET)
    main.append([name or None for name in KIEL_WORKBOOK_HEADER])  # the blank header is an empty cell
    for r in data:
        date: Any = r.date
        if isinstance(date, dt.date):
            date = WriteOnlyCell(main, value=dt.datetime(date.year, date.month, date.day))
            date.number_format = "m/d/yyyy"
        committed = r.units * r.price if isinstance(r.units, int) and isinstance(r.price, int) else "."
        if committed == "." and r.general == "Military" and r.item != "." and r.price == ".":
            committed = "No price"
        delivered_usd = r.delivered * r.price if isinstance(r.delivered, int) and isinstance(r.price, int) else "."
        month = r.date.month if isinstance(r.date, dt.date) else 0
        main.append(
            [
                r.pid,
                r.donor,
                date,
                r.general,
                r.specific,
                r.explanation,
                r.currency,
                "Not given" if r.monetary is None else r.monetary,
                r.item,
                r.item_type,
                r.subtype,
                1 if "Soviet" in r.item else 0,
                r.units,
                r.delivered,
                r.price,
                committed,
                delivered_usd,
                _dot(r.total) if r.first else None,
                r.eur if r.first else None,
                _dot(r.eur_delivered) if r.first else None,
                r.official,
                *r.sources,
                0,
                1 if r.sub == 1 and r.pid.endswith("1") else 0,
                r.delivery_source,
                None,
                1 if r.first else 0,
                VALUE_SOURCES[r.sub % 3] if r.monetary is None else VALUE_SOURCES[0],
                "Value is not given at all",
                1 if month else 0,
                month,
                1 if isinstance(r.date, dt.date) and r.date < dt.date(2022, 2, 24) else 0,
                0,
                1 if r.units == "undisclosed" and r.item_type == "Heavy weapon" else 0,
                0,
                1 if r.item_type.startswith("Ammunition") else 0,
                PRICE_SOURCES[r.sub % 4] if isinstance(r.price, int) else ".",
                r.subtype,
                r.item if r.item != "." else ".",
                "no price, 0 count" if r.price == "." else r.sub % 3,
                None,
            ]
        )

    commercial = book.create_sheet("Commercial assistance")
    commercial.append(["ID", "countries", "Announcement Date", "Explanation", "Monetary Value as Given by Source"])
    commercial.append(["USC1", "United States", dt.datetime(2022, 5, 3), "Commercial sale (synthetic)", 1_000_000])
    multilateral = book.create_sheet("Multilateral assistance")
    multilateral.append(["Donor", "Contributing Country", "Country contribution", "Announcement Date"])
    multilateral.append(["World Bank", "Lithuania", 5_000_000, dt.datetime(2022, 3, 7)])
    multilateral.append(["World Bank", "Estonia", ".", "not specified, 03/22"])
    prices = book.create_sheet("Price List, Weapons & Items")
    prices.append(["Item", "Type of item", "Unit Price in USD", "Source of item"])
    for item, item_type, _, price in MILITARY_ITEMS:
        prices.append([item, item_type, price, "Miscellaneous"])
    rates = book.create_sheet("Exchange rates")
    rates.append(["Currency", "Units per EUR (ECB average of the release's month)"])
    for currency, rate in RATES.items():
        rates.append([currency, rate])
    updates = book.create_sheet("Updates and Corrections")
    updates.append(["Date", "ID", "Update"])
    updates.append([dt.datetime(2022, 10, 11), data[0].pid, "Value corrected (synthetic)"])
    for n in range(1, FIGURE_SHEETS + 1):
        figure = book.create_sheet(f"Fig {n}")
        if n % 2:
            figure.append([])
        else:
            figure.append([f"Figure {n}: commitments by donor, EUR billion"])
        figure.append([])
        figure.append(["Country", "Military", "Financial", "Humanitarian", "Total"])
        for donor, *_ in KIEL_DONORS_2022[:5]:
            figure.append([donor, 0.1 * n, 0.2, 0.05, 0.1 * n + 0.25])
    book.save(path)
    _preserve_blank_strings(path)
    return path, expect


def _preserve_blank_strings(path: Path) -> None:
    """Mark text of spaces only as space-preserving, as Excel does: openpyxl leaves " " bare, and readers drop it."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<t>( +)</t>", rb'<t xml:space="preserve">\1</t>', data)
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------------------------------------------
# Kiel: the CSV releases.


def _money(value: float | None) -> str:
    """Money as the 2023 CSV writes it: "35,000,000", or "Not given"."""
    return "Not given" if value is None else f"{round(value):,}"


def kiel_csv(
    folder: Path, rows: int = 2279, style: Literal["2023", "snake"] = "2023", seed: int = 23
) -> tuple[Path, Expect]:
    """A Kiel tracker release as CSV: the 2023 one, or the newest releases' snake_case layout.

    "2023": UTF-8 with a byte-order mark and CRLF line ends; 53 fields on every line (the 38 headers of
    ``KIEL_CSV_2023_HEADER``, then 15 empty ones); one stray row after the last holds only "0". Dates are M/D/YYYY
    text, about one row in seven in another form ("until 2/24/2023", "unclear, 10/2022", "06/31/2022"); money is
    "35,000,000" or "Not given"; quantities may be "undisclosed"; Type of Aid Specific is spelled inconsistently
    (trailing spaces too); one row has an empty Type of Aid General; the donors use all 18 currencies. EUR values
    are whole euros here, on each package's first row.

    "snake": the headers of ``KIEL_SNAKE_HEADER``, UTF-8 without a mark, ISO dates, "." for nothing. Each row holds
    its item's share of the package in tot_sub_activity_value_EUR (these add up to ``Expect.eur_sum``), while
    tot_activity_value_EUR repeats the package's value on every row (summing it counts a package many times).
    measure is "Allocation" on most packages, "Commitment" on some.

    100,000 rows take about two seconds.

    Args:
        folder: where to write the file (``Ukraine_Support_Tracker_2023.csv`` or ``..._snake.csv``).
        rows: data rows.
        style: which release's layout.
        seed: the random seed.

    Returns:
        The file's path and what it holds.
    """
    snake = style == "snake"
    data = _kiel_rows(rows, seed, KIEL_DONORS_2023, CSV_DATE_TEXTS, 0.0 if snake else 0.14)
    if snake:
        for r in data:
            if isinstance(r.date, str):
                r.date = dt.date(2022, 6, 1)
    header = list(KIEL_SNAKE_HEADER) if snake else [*KIEL_CSV_2023_HEADER, *[""] * KIEL_CSV_EMPTY_COLUMNS]
    expect = Expect("kiel-csv-snake" if snake else "kiel-csv-2023", header, 1, len(data))
    expect.encoding = "utf-8" if snake else "utf-8-sig"
    rng = random.Random(seed + 1)
    _place_kiel_quirks(data, rng, expect, workbook=False)
    if not snake:
        for r in data:
            if not r.first:
                continue
            r.eur = float(round(r.eur or 0.0))  # the CSV's money is whole: the file's sum is the sum of these
        middle = len(data) // 2
        data[middle].general = ""
        expect.mark("general_empty", middle)
    _note_kiel(data, expect)
    if snake:
        expect.where.pop("official_dot", None)  # no such column

    path = Path(folder) / ("Ukraine_Support_Tracker_snake.csv" if snake else "Ukraine_Support_Tracker_2023.csv")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n" if snake else "\r\n")
    writer.writerow(header)
    pad = [""] * KIEL_CSV_EMPTY_COLUMNS
    package_values = {r.pid: (r.total, r.eur) for r in data if r.first}
    for r in data:
        if snake:
            writer.writerow(_snake_row(r, *package_values[r.pid]))
            continue
        date = r.date if isinstance(r.date, str) else f"{r.date.month}/{r.date.day}/{r.date.year}"
        usd = (
            round(r.total * RATES["USD"] / RATES.get(r.currency, 1.0))
            if r.first and isinstance(r.total, float | int)
            else ""
        )
        writer.writerow(
            [
                r.pid,
                r.donor,
                date,
                r.general,
                r.specific,
                r.explanation,
                r.currency,
                _money(r.monetary),
                r.item,
                r.item_type,
                r.subtype,
                r.units,
                r.delivered,
                r.price,
                _money(r.total) if r.first and not isinstance(r.total, str) else "",
                _money(r.eur) if r.first else "",
                _money(r.eur_delivered) if r.first and isinstance(r.eur_delivered, float) else "." if r.first else "",
                r.official,
                *r.sources,
                0,
                0,
                1 if r.general == "Humanitarian" else 0,
                1 if r.delivered == r.units else 0,
                1 if r.delivery_source != "." else 0,
                r.delivery_source,
                1 if r.first else 0,
                VALUE_SOURCES[0],
                "Value is not given at all",
                ".",
                PRICE_SOURCES[r.sub % 4] if isinstance(r.price, int) else ".",
                r.subtype,
                r.item,
                r.sub % 3,
                1 if r.official.strip() == "Yes" else 0,
                f"{usd:,}" if usd != "" else "",
                *pad,
            ]
        )
    if not snake:
        writer.writerow(["0", *[""] * (len(header) - 1)])
        expect.mark("stray_zero_row", len(data))
    text = buffer.getvalue()
    path.write_bytes(text.encode("utf-8-sig" if not snake else "utf-8"))
    expect.physical_lines = text.count("\n")
    return path, expect


def _snake_row(r: _Row, total: Any, eur: float | None) -> list[Any]:
    """A row of the snake_case layout: the package's value (``total``, ``eur``) repeated on each of its rows."""
    date = r.date if isinstance(r.date, dt.date) else dt.date(2022, 6, 1)
    measure = "Commitment" if r.pid[-1] in "37" else "Allocation"
    total = total if isinstance(total, float | int) else None
    return [
        r.pid,
        f"{r.pid}_{r.sub}",
        r.donor,
        date.isoformat(),
        (date.year - 2022) * 12 + date.month,
        1,
        r.general,
        r.specific,
        measure,
        r.explanation,
        r.currency,
        "." if r.monetary is None else r.monetary,
        "." if total is None else total,
        "." if eur is None else eur,
        ".",
        r.eur_share,
        r.eur_share,
        "." if not isinstance(r.eur_delivered, float) else r.eur_delivered,
        r.item,
        r.item_type,
        r.units,
        r.delivered,
        r.price,
        r.units * r.price if isinstance(r.units, int) and isinstance(r.price, int) else ".",
        ".",
        1 if r.first else 0,
        date.year,
    ]


# ---------------------------------------------------------------------------------------------------------------
# SIPRI.

# (designation, description, armament category, TIV per unit, comment), generic weapons as SIPRI names them.
SIPRI_WEAPONS = [
    ("Piorun", "portable SAM", "Missiles", 0.08, "Aid after 2022 Russian invasion of Ukraine"),
    ("Leopard-2A4", "tank", "Armoured vehicles", 2.1, "Second-hand; aid after 2022 Russian invasion of Ukraine"),
    ("M-113", "APC", "Armoured vehicles", 0.25, "Second-hand; $79 m deal; financed by EU aid"),
    ("BMP-2", "infantry fighting vehicle", "Armoured vehicles", 0.36, "Second-hand; financed by Denmark as aid"),
    ("Bayraktar TB2", "UAV", "Aircraft", 1.2, "$69 m deal; from Türkiye production line"),
    ("M-777 155mm", "towed gun", "Artillery", 1.25, "Aid after 2022 Russian invasion of Ukraine"),
    ("MIM-104 PAC-2", "SAM", "Missiles", 0.4, "Second-hand; aid after 2022 Russian invasion of Ukraine"),
    ("Storm Shadow/SCALP-EG", "air-to-surface missile", "Missiles", 0.26, "Second-hand; aid"),
    ("Mi-17", "transport helicopter", "Aircraft", 2.9, "Second-hand; aid; Mi-17V-5 version"),
    ("NASAMS-2", "SAM system", "Air-defence systems", 6.0, "$1.2 b deal; delivery planned 2024-2025"),
    ("Bü-181 Bestmann", "trainer aircraft", "Aircraft", 0.14, "Second-hand; Gomhouria version"),
    ("ship engine", "ship engine", "Engines", 2.5, "Wärtsilä 12V32 (8000hp) diesel engine for 1 support ship"),
    ("Krab 155mm", "self-propelled gun", "Artillery", 4.0, "$700 m deal; incl 54 produced in Poland"),
]
SIPRI_SUPPLIERS = ["Poland", "Germany", "United States", "United Kingdom", "Czechia", "Netherlands", "Norway"]
SIPRI_SUPPLIERS += ["Finland", "France", "Turkiye", "unknown supplier(s)", "Libya HoR*", "NATO**"]
SIPRI_RECIPIENTS = ["Ukraine"] * 8 + ["Ukraine Rebels*", "Egypt", "Algeria", "African Union**"]
SIPRI_STATUSES = ["New"] * 6 + ["Second hand"] * 3 + ["Second hand but modernized"]


def _tiv(value: float) -> str:
    """A TIV figure as SIPRI writes it: up to two decimals, no trailing zeros ("28.8", "0.36", "12")."""
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return text or "0"


@dataclass
class _Deal:
    recipient: str
    supplier: str
    ordered_year: int
    ordered: int | None
    designation: str
    description: str
    category: str
    delivered: int
    years: list[int]
    status: str
    comment: str
    tiv_unit: float
    flags: tuple[bool, bool, bool]


def _deals(rows: int, seed: int) -> list[_Deal]:
    rng = random.Random(seed)
    deals = []
    for n in range(rows):
        designation, description, category, tiv_unit, comment = SIPRI_WEAPONS[n % len(SIPRI_WEAPONS)]
        year = rng.randint(2014, 2024)
        ordered = rng.choice([1, 2, 4, 6, 12, 20, 30, 54, 100, 800])
        delivered = rng.choice([0, ordered // 2, ordered, ordered])
        span = range(year, min(year + 4, 2025))
        years = [] if not delivered else sorted(rng.sample(span, min(len(span), rng.randint(1, 2))))
        if n % 11 == 3 and year <= 2022:
            years = [2022, 2023, 2024]
            delivered = delivered or ordered
        deals.append(
            _Deal(
                rng.choice(SIPRI_RECIPIENTS),
                SIPRI_SUPPLIERS[(n * 7 + rng.randrange(3)) % len(SIPRI_SUPPLIERS)],
                year,
                None if n % 17 == 5 else ordered,
                designation,
                description,
                category,
                delivered,
                years,
                rng.choice(SIPRI_STATUSES),
                comment if rng.random() < 0.8 else "",
                tiv_unit,
                (rng.random() < 0.5, rng.random() < 0.4, delivered > 0 and rng.random() < 0.1),
            )
        )
    return deals


def _note_deal(expect: Expect, i: int, d: _Deal) -> None:
    expect.donors[d.supplier] += 1
    expect.recipients[d.recipient] += 1
    expect.statuses[d.status] += 1
    expect.keys.append((d.supplier, d.recipient, d.designation, str(d.ordered_year)))
    for quirk, flag in zip(("uncertain_order_year", "uncertain_ordered", "uncertain_delivered"), d.flags, strict=True):
        if flag:
            expect.mark(quirk, i)
    if len(d.years) > 1:
        expect.mark("years_list", i)
    if d.supplier == "unknown supplier(s)":
        expect.mark("unknown_supplier", i)
    if d.supplier.endswith("*") or d.recipient.endswith("*"):
        expect.mark("non_state", i)
    if any(ord(c) > 127 for c in d.designation + d.comment + d.supplier + d.recipient):
        expect.mark("latin1", i)
    if "m deal" in d.comment or "b deal" in d.comment:
        expect.mark("deal_value", i)
    if d.ordered is None:
        expect.mark("ordered_empty", i)


def sipri_register(folder: Path, rows: int = 29_515, seed: int = 2025, splits: int = 4) -> tuple[Path, Expect]:
    """SIPRI's trade register as exported: ISO-8859-1, 11 lines of notes, the header on line 12.

    One record a deal. Three columns headed by one space hold "?" beside an uncertain year of order, number ordered
    or number delivered. "Year(s) of delivery" is a "; "-separated list; status is New / Second hand / Second hand
    but modernized; suppliers include "unknown supplier(s)" and non-state groups marked "*" (organisations "**");
    comments carry deal values ("$79 m deal") and Latin-1 letters ("Wärtsilä", "Türkiye"), designations too
    ("Bü-181"). No field is quoted (SIPRI writes ";" inside a field, never ","). Lines end in LF.

    As in the published file, ``splits`` records break after their Comments: the line ends there (half of them with
    a stray CR before the LF), and the next line holds the rest of the record, starting with ",": 13 fields, then 4.

    Args:
        folder: where to write ``trade-register.csv``.
        rows: records.
        seed: the random seed.
        splits: records broken over two lines.

    Returns:
        The file's path and what it holds.
    """
    deals = _deals(rows, seed)
    notes = sipri_notes()
    expect = Expect("sipri-register", list(SIPRI_HEADER), 12, rows, encoding="iso-8859-1", notes=notes)
    step = max(1, rows // (splits + 1))
    split_at = {step * (k + 1) for k in range(splits)} if splits and rows > splits else set()
    lines = [*notes, ",".join(SIPRI_HEADER)]
    tiv_delivered = []
    for i, d in enumerate(deals):
        _note_deal(expect, i, d)
        total = "0" if d.ordered is None else _tiv(d.ordered * d.tiv_unit)  # "0", not empty, as published
        delivered = _tiv(d.delivered * d.tiv_unit)
        tiv_delivered.append(d.delivered * d.tiv_unit)
        flag = ["?" if f else "" for f in d.flags]
        head = [
            d.recipient,
            d.supplier,
            str(d.ordered_year),
            flag[0],
            "" if d.ordered is None else str(d.ordered),
            flag[1],
            d.designation,
            d.description,
            str(d.delivered),
            flag[2],
            "; ".join(map(str, d.years)),
            d.status,
            d.comment,
        ]
        tail = [_tiv(d.tiv_unit), total, delivered]
        if i in split_at:
            expect.mark("split", i)
            lines.append(",".join(head) + ("\r" if len(expect.where["split"]) % 2 else ""))
            lines.append("," + ",".join(tail))
        else:
            lines.append(",".join([*head, *tail]))
    expect.tiv_delivered_sum = math.fsum(round(v, 2) for v in tiv_delivered)
    text = "\n".join(lines) + "\n"
    path = Path(folder) / "trade-register.csv"
    path.write_bytes(text.encode("iso-8859-1"))
    expect.physical_lines = len(lines)
    return path, expect


def sipri_per_delivery(folder: Path, deals: int = 500, seed: int = 2026) -> tuple[Path, Expect]:
    """SIPRI's per-delivery export: one row per deal and delivery year, with Yes/No estimate columns.

    The same 11 lines of notes (for one supplier, "United States  "), then the 17 headers of
    ``SIPRI_DELIVERIES_HEADER`` on line 12. A deal delivered over three years is three rows sharing its "SIPRI AT
    Database ID"; "Delivery year is estimate" is blank on some recent rows, as published. ISO-8859-1, LF.

    Args:
        folder: where to write ``trade-register-deliveries.csv``.
        deals: deals (the rows are their deliveries).
        seed: the random seed.

    Returns:
        The file's path and what it holds; ``rows`` counts deliveries.
    """
    rng = random.Random(seed)
    notes = sipri_notes("United States  ", "28 Apr 2025 8:41:00 PM")
    expect = Expect("sipri-deliveries", list(SIPRI_DELIVERIES_HEADER), 12, 0, encoding="iso-8859-1", notes=notes)
    lines = [*notes, ",".join(SIPRI_DELIVERIES_HEADER)]
    tiv = []
    for n, d in enumerate(_deals(deals, seed)):
        years = d.years or [min(d.ordered_year + 1, 2024)]
        deal_id = str(30000 + n * 7)
        share = max(1, d.delivered // len(years)) if d.delivered else rng.choice([1, 2, 5])
        tiv_deal = d.tiv_unit if d.status == "New" else round(d.tiv_unit * 0.4, 2)
        for year in years:
            row = expect.rows
            d_copy = _Deal(**{**d.__dict__, "supplier": "United States"})
            _note_deal(expect, row, d_copy)
            estimate = "" if year >= 2023 and rng.random() < 0.3 else rng.choice(["Yes", "No"])
            if estimate == "":
                expect.mark("delivery_year_estimate_empty", row)
            value = share * tiv_deal
            tiv.append(round(value, 2))
            lines.append(
                ",".join(
                    [
                        deal_id,
                        "United States",
                        d.recipient,
                        d.designation,
                        d.description,
                        d.category,
                        str(d.ordered_year),
                        "Yes" if d.flags[0] else "No",
                        str(share),
                        "Yes" if d.flags[2] else "No",
                        str(year),
                        estimate,
                        d.status,
                        _tiv(d.tiv_unit),
                        _tiv(tiv_deal),
                        _tiv(value),
                        "Yes" if "produced in" in d.comment else "No",
                    ]
                )
            )
            expect.rows += 1
    expect.tiv_delivered_sum = math.fsum(tiv)
    text = "\n".join(lines) + "\n"
    path = Path(folder) / "trade-register-deliveries.csv"
    path.write_bytes(text.encode("iso-8859-1"))
    expect.physical_lines = len(lines)
    return path, expect
