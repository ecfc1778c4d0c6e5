"""Opening, creating and migrating the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Ledger, UserError
from storage import records as rec
from storage.schema import SCHEMA_VERSION


def test_new_database_has_the_schema_wal_and_foreign_keys(ledger: Ledger) -> None:
    assert ledger.user_version == SCHEMA_VERSION
    assert ledger.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = set(ledger.db.table_names())
    assert {"aid", "events", "agreements", "totals", "actors", "sources", "packages", "history", "citations"} <= tables
    assert {"aid_fts", "event_participants", "agreement_parties", "actor_relations"} <= tables


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    with pytest.raises(UserError, match="not an Aid Ledger database"):
        Ledger.open(path)
    assert path.read_text() == "not a database"


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(UserError, match="not one of Aid Ledger's"):
        Ledger.open(path)


def test_a_missing_file_or_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such database"):
        Ledger.open(tmp_path / "missing.db", create=False)
    with pytest.raises(UserError, match="does not exist"):
        Ledger.open(tmp_path / "no-folder" / "x.db")


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Ledger.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(UserError, match="newer Aid Ledger"):
        Ledger.open(path)


def test_transaction_rolls_back_everything_on_error(ledger: Ledger) -> None:
    with pytest.raises(RuntimeError):
        with ledger.batch("two inserts"):
            rec.insert(ledger, "actors", {"name": "Lithuania"})
            rec.insert(ledger, "actors", {"name": "Ukraine"})
            raise RuntimeError("cancelled")
    assert ledger.db["actors"].count == 0
    assert ledger.db["history"].count == 0
    assert ledger.db["batches"].count == 0


def test_a_locked_database_is_a_clear_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.db"
    Ledger.open(path).close()
    monkeypatch.setattr("storage.database.BUSY_TIMEOUT_S", 0.1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with Ledger.open(path) as ledger:  # reading the header may already hit the lock
            with pytest.raises(UserError, match="locked"):
                rec.insert(ledger, "actors", {"name": "Lithuania"})
    except UserError as exc:
        assert "locked" in str(exc)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_name_another_program_made_is_found_in_the_next_transaction_and_snapshot(ledger: Ledger) -> None:
    # Names are looked up from a cache checked once per transaction: it must be checked again at the next one.
    with ledger.transaction():
        assert rec.find_ids(ledger, "actors", "Estonia") == []
        assert rec.find_ids(ledger, "actors", "Estonia") == []
    with Ledger.open(ledger.path) as other:
        with other.transaction():
            estonia = rec.insert(other, "actors", {"name": "Estonia", "type": "country"})
    with ledger.transaction():
        assert rec.find_ids(ledger, "actors", "Estonia") == [estonia]
    with Ledger.open(ledger.path) as other:
        with other.transaction():
            latvia = rec.insert(other, "actors", {"name": "Latvia", "type": "country"})
    with ledger.snapshot():
        assert rec.find_ids(ledger, "actors", "Latvia") == [latvia]


def test_a_new_database_has_big_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    from storage.database import PAGE_SIZE

    with Ledger.open(tmp_path / "new.db") as ledger:
        assert ledger.conn.execute("PRAGMA page_size").fetchone()[0] == PAGE_SIZE > 4096
    old = tmp_path / "old.db"
    with Ledger.open(old):
        pass
    conn = sqlite3.connect(old, isolation_level=None)  # made with SQLite's default pages, as the first release did
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")
    conn.close()
    with Ledger.open(old) as ledger:
        assert ledger.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
        assert ledger.db["aid"].count == 0
