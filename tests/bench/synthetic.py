"""Deterministic synthetic Aid records with realistic Lithuanian and Ukrainian names, for the benchmark."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from storage import Ledger
from storage import records as rec
from storage.kinds import AID_CATEGORIES, AID_KINDS, AID_STATUSES, CHANNELS

COUNTRIES = [
    "Lithuania",
    "Latvia",
    "Estonia",
    "Poland",
    "Germany",
    "France",
    "United States",
    "United Kingdom",
    "Norway",
    "Denmark",
    "Sweden",
    "Finland",
    "Netherlands",
    "Belgium",
    "Czechia",
    "Slovakia",
    "Romania",
    "Canada",
    "Italy",
    "Spain",
    "Portugal",
    "Iceland",
    "Ireland",
    "Austria",
    "Luxembourg",
    "Croatia",
    "Slovenia",
    "Bulgaria",
    "Greece",
    "Japan",
    "Australia",
    "New Zealand",
    "South Korea",
    "Türkiye",
    "Ukraine",
]
PEOPLE = [
    "Kasčiūnas",
    "Anušauskas",
    "Šakalienė",
    "Nausėda",
    "Landsbergis",
    "Budrys",
    "Šimonytė",
    "Umerov",
    "Zelensky",
    "Shmyhal",
    "Sybiha",
    "Kuleba",
    "Syrskyi",
    "Budanov",
    "Kamyshin",
    "Smetanin",
    "Fedorov",
]
PLACES = [
    "Vilnius",
    "Kaunas",
    "Klaipėda",
    "Šiauliai",
    "Druskininkai",
    "Kyiv",
    "Kharkiv",
    "Dnipro",
    "Lviv",
    "Odesa",
    "Zaporizhzhia",
    "Mykolaiv",
    "Chernihiv",
    "Poltava",
    "Rivne",
]
ITEMS = [
    "NASAMS launchers",
    "Vilkas infantry fighting vehicles",
    "night vision devices",
    "thermal imaging cameras",
    "anti-drone jammers",
    "FPV drones",
    "reconnaissance UAVs",
    "155 mm artillery rounds",
    "grenade launcher rounds",
    "demining kits",
    "mine detectors",
    "winter uniforms",
    "sleeping bags",
    "generators",
    "field hospitals",
    "M113 armoured personnel carriers",
    "M577 command vehicles",
    "logistics trucks",
    "all-terrain vehicles",
    "Stinger missiles",
    "Javelin anti-tank systems",
    "Carl-Gustaf recoilless rifles",
    "satellite terminals",
    "cyber defence support",
    "training of soldiers",
    "rehabilitation of wounded soldiers",
    "maritime drones",
    "short-range air defence systems",
    "radars",
    "ammunition for mortars",
]
UNITS_FOR = {"training of soldiers": "persons", "rehabilitation of wounded soldiers": "persons"}


def actors(ledger: Ledger) -> dict[str, int]:
    """Make the countries the synthetic records point to; returns name -> row id."""
    ids = {}
    for name in COUNTRIES:
        found = rec.find_ids(ledger, "actors", name)
        ids[name] = found[0] if found else rec.insert(ledger, "actors", {"name": name, "type": "country"})
    return ids


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(rng: random.Random) -> str:
    year = rng.choice((2022, 2023, 2024, 2025))
    precision = rng.random()
    if precision < 0.1:
        return f"{year}"
    month = rng.randint(1, 12)
    if precision < 0.3:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def aid_rows(count: int, actor_ids: dict[str, int], seed: int = 42) -> Iterator[dict[str, Any]]:
    """``count`` Aid rows in stored form, the same for the same seed."""
    rng = random.Random(seed)
    donors = [actor_ids[c] for c in COUNTRIES if c != "Ukraine"]
    ukraine = actor_ids["Ukraine"]
    for n in range(count):
        item = rng.choice(ITEMS)
        brigade = rng.randint(1, 160)
        kind = rng.choices(AID_KINDS, weights=(70, 6, 5, 8, 4, 3, 3, 1))[0]  # military aid, financial, ...: by kind
        donor = rng.choice(donors)
        status = rng.choice(AID_STATUSES)
        quantity = rng.choice((None, rng.randint(1, 5000)))
        value = rng.choice((None, rng.randint(10, 400_000) * 1000))
        yield {
            "kind": kind,
            "donor_id": donor,
            "recipient_id": donor if kind == "procurement for own forces" else ukraine,
            "category": rng.choice(AID_CATEGORIES),
            "item": f"{item[:1].upper()}{item[1:]} for the {_ordinal(brigade)} Brigade ({rng.choice(PLACES)})",
            "quantity_committed": quantity,
            "unit": UNITS_FOR.get(item, "units") if quantity else None,
            "value": value,
            "currency": "EUR",
            "value_eur": value,
            "value_basis": "given by the source" if value else None,
            "status": status,
            "announced_on": _date(rng),
            "delivered_on": _date(rng) if status == "delivered" else None,
            "channel": rng.choice(CHANNELS),
            "notes": f"Reported after {rng.choice(PEOPLE)} met {rng.choice(PEOPLE)} in {rng.choice(PLACES)}; "
            f"record {n}.",
        }
