"""The bulk path that builds big databases: all or nothing, indexed, and the index trigger back afterwards."""

from __future__ import annotations

import sqlite3

import pytest

from storage import Ledger
from storage import records as rec
from storage.bulk import bulk_insert
from storage.check import check
from storage.search import search_ids
from tests.bench.synthetic import actors, aid_rows
from tests.conftest import FULL


@pytest.mark.slow
def test_bulk_insert_indexes_everything_and_restores_the_trigger(ledger: Ledger) -> None:
    count = 200_000 if FULL else 3_000
    ids = actors(ledger)
    assert bulk_insert(ledger, "aid", aid_rows(count, ids)) == count
    assert ledger.db["aid"].count == count
    assert ledger.db["history"].count == len(ids)  # only the actors made through the normal path
    assert check(ledger) == []
    assert search_ids(ledger, "aid", "Vilnius")
    new = rec.insert(ledger, "aid", {"donor": "Lithuania", "recipient": "Ukraine", "item": "Unique zzyzx item"})
    assert search_ids(ledger, "aid", "zzyzx") == [new]  # the per-row trigger works again


def test_a_failing_bulk_insert_leaves_nothing(ledger: Ledger) -> None:
    ids = actors(ledger)
    rows = list(aid_rows(10, ids))
    rows[7]["donor_id"] = 99_999  # no such actor
    with pytest.raises(sqlite3.IntegrityError):
        bulk_insert(ledger, "aid", rows)
    assert ledger.db["aid"].count == 0
    assert check(ledger) == []
    assert "aid_fts_ai" in {t.name for t in ledger.db.triggers}


def test_rebuilding_the_indexes_leaves_the_same_indexes_and_fails_cleanly(ledger: Ledger) -> None:
    ids = actors(ledger)
    indexes = sorted(ledger.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall())
    bulk_insert(ledger, "aid", aid_rows(500, ids), rebuild_indexes=True)
    assert sorted(ledger.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall()) == indexes
    assert check(ledger) == []
    rows = list(aid_rows(10, ids))
    rows[5]["donor_id"] = 99_999
    with pytest.raises(sqlite3.IntegrityError):
        bulk_insert(ledger, "aid", rows, rebuild_indexes=True)
    assert sorted(ledger.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall()) == indexes
    assert ledger.db["aid"].count == 500
