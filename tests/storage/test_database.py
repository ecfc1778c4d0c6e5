"""Opening, creating and migrating the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Ledger, UserError
from storage import records as rec
from storage.database import backup_dir
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


def _add_lithuania(path: Path) -> None:
    with Ledger.open(path) as ledger:
        rec.insert(ledger, "actors", {"name": "Lithuania", "type": "country"})


def test_migration_writes_a_backup_first_then_migrates(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _add_lithuania(path)

    def add_colour(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE actors ADD COLUMN colour TEXT")

    target = SCHEMA_VERSION + 1
    with Ledger.open(path, migrations={SCHEMA_VERSION: add_colour}, target_version=target) as ledger:
        assert ledger.user_version == target
        assert "colour" in ledger.db["actors"].columns_dict
    backups = list(backup_dir(path).glob("old-*-before-v*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:  # the backup is the database as it was, complete
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT name FROM actors").fetchall() == [("Lithuania",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _add_lithuania(path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE actors ADD COLUMN colour TEXT")
        conn.execute("UPDATE actors SET name = 'changed'")
        raise sqlite3.OperationalError("simulated failure halfway")

    with pytest.raises(sqlite3.OperationalError):
        Ledger.open(path, migrations={SCHEMA_VERSION: broken}, target_version=SCHEMA_VERSION + 1)
    with Ledger.open(path) as ledger:
        assert ledger.user_version == SCHEMA_VERSION
        assert "colour" not in ledger.db["actors"].columns_dict
        assert [r["name"] for r in ledger.db["actors"].rows] == ["Lithuania"]
    assert len(list(backup_dir(path).glob("*.db"))) == 1


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
