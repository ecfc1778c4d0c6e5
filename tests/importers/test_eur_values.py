"""A value in EUR comes in as its EUR value, one row at a time or in bulk; a package's EUR value is not doubled."""

from __future__ import annotations

from pathlib import Path

import pytest

import importers
from importers.apply import BULK_FROM
from storage import Ledger
from storage import records as rec


@pytest.mark.parametrize("rows", [3, BULK_FROM + 50])
def test_imported_values_in_eur_are_their_eur_values(ledger: Ledger, tmp_path: Path, rows: int) -> None:
    for name in ("Estonia", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    lines = ["Donor,Recipient,Item,Value,Currency,Value (EUR)"]
    lines += [f"Estonia,Ukraine,Javelin missiles {n},{n + 1} million,EUR," for n in range(rows)]
    lines.append("Estonia,Ukraine,Ammunition,USD 2 million,USD,")  # not EUR: its EUR value stays unknown
    lines.append("Estonia,Ukraine,Generators,EUR 3 million,EUR,2900000")  # given: kept
    path = tmp_path / "colleague.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    importers.run(ledger, path, kind="aid")
    got = dict(ledger.conn.execute("SELECT item, value_eur FROM aid"))
    assert got["Javelin missiles 0"] == 1_000_000
    assert got[f"Javelin missiles {rows - 1}"] == rows * 1_000_000
    assert got["Ammunition"] is None
    assert got["Generators"] == 2_900_000
    bases = dict(ledger.conn.execute("SELECT item, eur_basis FROM aid"))
    assert bases["Javelin missiles 0"] == "same currency"


def test_the_preview_shows_a_value_in_eur_as_its_eur_value(ledger: Ledger, tmp_path: Path) -> None:
    for name in ("Estonia", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    path = tmp_path / "new.csv"
    path.write_text("Donor,Recipient,Item,Value\nEstonia,Ukraine,Javelin missiles,EUR 5 million\n", encoding="utf-8")
    plan = importers.make_plan(ledger, path, kind="aid")
    assert plan.adds[0].stored["value_eur"] == 5_000_000  # before anything is written, as it will be
