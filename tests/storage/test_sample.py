"""The records curated from the seed articles."""

from __future__ import annotations

from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger
from storage import records as rec
from storage.check import check
from storage.sample import load_sample, sample_data
from storage.search import search_ids
from storage.stats import stats


def test_every_kind_has_sample_records_and_loading_twice_adds_nothing(sample_ledger: Ledger) -> None:
    counts = stats(sample_ledger)["counts"]
    assert all(counts[name] > 0 for name in DISPLAY_ORDER), counts
    assert sum(load_sample(sample_ledger).values()) == 0
    assert stats(sample_ledger)["counts"] == counts
    assert check(sample_ledger) == []


def test_every_sample_record_but_a_source_cites_a_source(sample_ledger: Ledger) -> None:
    for name in DISPLAY_ORDER:
        if name == "sources":
            continue
        uncited = sample_ledger.conn.execute(
            f"SELECT count(*) FROM {name} r WHERE NOT EXISTS"
            " (SELECT 1 FROM citations c WHERE c.record_kind = ? AND c.owner_id = r.id)",
            (name,),
        ).fetchone()[0]
        assert uncited == 0, f"{uncited} {name} records cite no source"


def test_the_sample_holds_the_key_facts_of_the_articles(sample_ledger: Ledger) -> None:
    vilkas = search_ids(sample_ledger, "aid", "Vilkas")
    assert len(vilkas) == 1
    record = rec.get(sample_ledger, "aid", vilkas[0])
    assert record["value_eur"] == 370_000_000 and record["kind"] == "procurement for own forces"
    agreement = search_ids(sample_ledger, "agreements", "Security Cooperation Agreement")
    signed = rec.get(sample_ledger, "agreements", agreement[0])
    assert signed["signed_on"] == "2024-06-24" and "Brussels" in signed["place"]
    totals = [r["amount"] for r in sample_ledger.db["totals"].rows]
    assert 641_000_000 in totals
    assert search_ids(sample_ledger, "actors", "Zelenskyy") == search_ids(sample_ledger, "actors", "Zelensky")
    assert search_ids(sample_ledger, "actors", "Demining Coalition")


def test_sample_file_ids_are_unique_stable_ids() -> None:
    ids = [r["id"] for records in sample_data().values() for r in records]
    assert len(ids) == len(set(ids))
    assert set(sample_data()) <= set(KINDS_BY_NAME)
