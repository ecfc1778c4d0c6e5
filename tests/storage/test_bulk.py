"""The bulk path that builds big databases: all or nothing, indexed, and the index trigger back afterwards."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from storage import Ledger, bulk
from storage import records as rec
from storage.bulk import bulk_insert
from storage.check import check
from storage.errors import Cancelled
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


def test_a_cancel_while_rows_are_still_being_written_leaves_nothing(ledger: Ledger) -> None:
    ids = actors(ledger)

    def cancel(done: int) -> None:
        raise Cancelled()

    with pytest.raises(Cancelled):  # raised after the first batch went to the writing thread
        bulk_insert(ledger, "aid", aid_rows(50, ids), chunk=10, progress=cancel)
    assert ledger.db["aid"].count == 0
    assert check(ledger) == []
    assert "aid_fts_ai" in {t.name for t in ledger.db.triggers}


def test_meanwhile_runs_once_the_rows_are_in_and_its_failure_leaves_nothing(ledger: Ledger) -> None:
    ids = actors(ledger)
    seen: list[int] = []
    bulk_insert(ledger, "aid", aid_rows(40, ids), chunk=10, meanwhile=lambda: seen.append(ledger.db["aid"].count))
    assert seen == [40]
    assert check(ledger) == []

    def fail() -> None:
        raise ValueError("a link that names nothing")

    with pytest.raises(ValueError, match="names nothing"):
        bulk_insert(ledger, "aid", aid_rows(40, ids), chunk=10, rebuild_indexes=True, meanwhile=fail)
    assert ledger.db["aid"].count == 40
    assert check(ledger) == []


def test_a_batch_that_fails_before_the_wait_for_the_rows_raises_instead_of_hanging(ledger: Ledger) -> None:
    ids = actors(ledger)
    rows = list(aid_rows(20, ids))
    rows[3]["donor_id"] = 99_999  # the first of two batches fails; the second, if queued by then, is skipped
    ran: list[bool] = []
    for _ in range(30):  # which comes first, the failure or the second batch, is up to the threads
        with pytest.raises(sqlite3.IntegrityError):
            bulk_insert(ledger, "aid", rows, chunk=10, meanwhile=lambda: ran.append(True))
    assert ran == []  # the links of rows that are not in are not worked out
    assert ledger.db["aid"].count == 0
    assert check(ledger) == []


def test_a_batch_leaves_out_only_the_columns_none_of_its_rows_fills(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = actors(ledger)
    rows = list(aid_rows(12, ids))
    for n, row in enumerate(rows):  # the first batch has no quantity or unit, the second no notes, the third both
        if n < 4:
            row["quantity_committed"] = row["unit"] = None
        elif n < 8:
            row["notes"] = None
    filled: list[set[str]] = []
    real = bulk._filled_only

    def watched(*args: Any) -> tuple[str, list[tuple[Any, ...]]]:
        sql, batch = real(*args)
        filled.append(set(sql.split("(", 1)[1].split(")", 1)[0].replace('"', "").split(", ")))
        return sql, batch

    monkeypatch.setattr(bulk, "_filled_only", watched)
    bulk_insert(ledger, "aid", [dict(r) for r in rows], chunk=4)
    assert [{"quantity_committed", "unit", "notes"} & f for f in filled] == [
        {"notes"},
        {"quantity_committed", "unit"},
        {"quantity_committed", "unit", "notes"},
    ]
    assert all({"uid", "kind", "uncertain", "created_at"} <= f for f in filled)  # required, or with a default
    got = ledger.conn.execute("SELECT quantity_committed, unit, notes, uncertain FROM aid ORDER BY id").fetchall()
    assert got == [(r["quantity_committed"], r["unit"], r["notes"], 0) for r in rows]
