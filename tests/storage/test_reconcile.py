"""``convert`` and ``reconcile``: stored items brought to the ECB's rates, and reported totals beside their items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import Ledger
from storage import records as rec
from storage.conversion import convert_all
from storage.reconcile import reconcile
from tests.cli.test_cli import run


@pytest.fixture
def donors(ledger: Ledger) -> Ledger:
    for name in ("Lithuania", "Ukraine", "Canada"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    return ledger


def _older_records(ledger: Ledger) -> None:
    """As a database made before EUR values were converted: the conversion columns empty."""
    with ledger.transaction():
        ledger.conn.execute(
            "UPDATE aid SET value_eur = NULL, eur_rate = NULL, eur_rate_date = NULL, eur_basis = NULL"
            " WHERE currency <> 'EUR'"
        )


def test_convert_fills_the_eur_values_once_in_one_batch_and_a_dry_run_writes_nothing(donors: Ledger) -> None:
    usd = rec.insert(donors, "aid", {"item": "Trucks", "donor": "Canada", "recipient": "Ukraine", "value": 1_099_400,
                                     "currency": "USD", "announced_on": "2024-08-16"})  # fmt: skip
    rec.insert(donors, "aid", {"item": "Fuel", "donor": "Canada", "recipient": "Ukraine", "value": 5_000_000,
                               "currency": "UAH", "announced_on": "2024-08-16"})  # fmt: skip
    _older_records(donors)
    dry = convert_all(donors, dry_run=True)
    assert dry.changed == 1 and rec.get(donors, "aid", usd)["value_eur"] is None
    assert any("UAH" in reason for reason in dry.no_rate)
    batches = donors.conn.execute("SELECT count(*) FROM batches").fetchone()[0]
    done = convert_all(donors)
    assert done.changed == 1
    got = rec.get(donors, "aid", usd)
    assert got["value_eur"] == 1_000_000 and got["eur_basis"] == "ECB rate of the date"  # 1 EUR = 1.0994 USD
    assert donors.conn.execute("SELECT count(*) FROM batches").fetchone()[0] == batches + 1
    assert any(h["field"] == "value_eur" for h in rec.history_of(donors, "aid", usd))
    again = convert_all(donors)
    assert (again.changed, again.unchanged) == (0, 1)


def test_a_trackers_conversion_is_kept_and_shown_beside_the_ecbs_where_they_differ(donors: Ledger) -> None:
    rid = rec.insert(donors, "aid", {"item": "Shells", "donor": "Canada", "recipient": "Ukraine", "value": 1_099_400,
                                     "currency": "USD", "announced_on": "2024-08-16", "value_eur": 1_100_000,
                                     "eur_basis": "the tracker's own conversion"})  # fmt: skip
    done = convert_all(donors)
    assert done.changed == 0 and done.kept == 1
    ((shown, item, theirs, ours),) = done.differing
    assert (shown, item, theirs, ours) == (rid, "Shells", 1_100_000, 1_000_000)
    assert rec.get(donors, "aid", rid)["value_eur"] == 1_100_000


def test_a_reconciliation_with_a_known_gap(donors: Ledger) -> None:
    reported = {"subject": "Lithuania", "recipient": "Ukraine", "measure": "military assistance", "currency": "EUR"}
    total = rec.insert(
        donors, "totals", {**reported, "amount": 641_000_000, "qualifier": "over", "as_of": "2024-08-16"}
    )
    item = {"donor": "Lithuania", "recipient": "Ukraine", "currency": "EUR"}
    rec.insert(donors, "aid", {**item, "item": "Shells", "value": 400_000_000, "announced_on": "2024-03"})
    rec.insert(donors, "aid", {**item, "item": "Drones", "value": 41_000_000, "announced_on": "2024-08-16"})
    rec.insert(donors, "aid", {**item, "item": "Trucks", "announced_on": "2024-05-02"})  # no value: may explain it
    rec.insert(donors, "aid", {**item, "item": "Later", "value": 99_000_000, "announced_on": "2024-09-01"})
    rec.insert(donors, "aid", {**item, "item": "Cash", "value": 7, "kind": "financial aid", "announced_on": "2024-01"})
    rec.insert(donors, "aid", {**item, "item": "Own", "value": 9, "kind": "procurement for own forces",
                               "recipient": "Lithuania", "announced_on": "2024-01"})  # fmt: skip
    (found,) = reconcile(donors)
    assert found.total_id == total
    assert (found.items, found.items_eur, found.without_value) == (3, 441_000_000, 1)
    assert found.gap_eur == 200_000_000 and found.gap_percent == pytest.approx(31.2, abs=0.05)
    assert [u[1] for u in found.unvalued] == ["Trucks"]


def test_a_total_in_dollars_is_converted_at_its_as_of_date(donors: Ledger) -> None:
    rec.insert(donors, "totals", {"subject": "Canada", "recipient": "Ukraine", "measure": "total assistance",
                                  "amount": 1_099_400, "currency": "USD", "as_of": "2024-08-18"})  # fmt: skip
    (found,) = reconcile(donors)
    assert found.reported_eur == 1_000_000 and "2024-08-16" in found.eur_note


def test_the_command_lines_print_what_they_did(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    assert run("--db", db, "load-sample").returncode == 0
    out = run("--db", db, "reconcile", "--json")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert {r["amount"] for r in found} == {500_000_000, 641_000_000, 1_000_000_000}
    assert all({"items_eur", "gap_eur", "gap_percent", "unvalued", "without_value"} <= set(r) for r in found)
    text = run("--db", db, "reconcile").stdout
    assert "military assistance as of 2024-08" in text and "gap: EUR" in text
    dry = run("--db", db, "convert", "--dry-run")
    assert dry.returncode == 0 and "Would change" in dry.stdout
    assert run("--db", str(tmp_path / "missing.db"), "convert").returncode == 1
