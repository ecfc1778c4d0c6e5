"""The schema follows the descriptions: old databases are migrated to it, and ``check`` names every drift from it."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Field, FieldType, Ledger, UserError, schema
from storage import records as rec
from storage.check import check, repair
from storage.database import backup_dir
from tests.conftest import field_added

FIXTURES = Path(__file__).parent / "fixtures"


def _master(conn: sqlite3.Connection) -> set[tuple[str, str, str, str]]:
    """sqlite_master without the page numbers, the SQL's whitespace collapsed."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {(t, n, tb, " ".join(sql.split())) for t, n, tb, sql in rows}


def _records(conn: sqlite3.Connection) -> dict[str, list[dict]]:
    """Every row of the records' and the history's tables, as {column: value}."""
    tables = ["aid", "actors", "sources", "events", "agreements", "totals", "packages", "history", "batches"]
    tables += ["citations", "event_participants", "agreement_parties", "actor_relations"]
    found = {}
    for t in tables:
        cursor = conn.execute(f"SELECT * FROM {t} ORDER BY id")
        names = [d[0] for d in cursor.description]
        found[t] = [dict(zip(names, row, strict=True)) for row in cursor]
    return found


def _as_upgraded(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The first release's records as the migrations leave them.

    Its one kind "aid" is "military aid" (version 3), in the records and their history; nothing else changes.
    """
    upgraded = {table: [dict(row) for row in rows] for table, rows in records.items()}
    for row in upgraded["aid"]:
        row["kind"] = "military aid" if row["kind"] == "aid" else row["kind"]
    for row in upgraded["history"]:
        if row["kind"] != "aid":
            continue
        for column in ("old", "new"):
            if row["field"] == "kind" and row[column] == '"aid"':
                row[column] = '"military aid"'
            elif row["field"] is None and row[column]:
                whole = json.loads(row[column])
                if whole.get("kind") == "aid":
                    whole["kind"] = "military aid"
                    row[column] = json.dumps(whole, ensure_ascii=False, separators=(",", ":"))
    return upgraded


@pytest.fixture
def v1_database(tmp_path: Path) -> Path:
    """A copy of the database the first release made (schema version 1), holding the sample records."""
    path = tmp_path / "v1.db"
    with gzip.open(FIXTURES / "v1-sample.db.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


@pytest.fixture
def version_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The descriptions with one field added to Aid and one to Actors, and the version bumped: nothing else."""
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    with field_added("aid", Field("priority", "Priority", FieldType.CHOICE, vocab=("high", "low"))):
        with field_added("actors", Field("flag", "Flag", FieldType.BOOL)):
            yield


def _comparable(records: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Records with the history's JSON decoded: the same values, however SQLite or Python spaced them."""
    decoded = {table: [dict(row) for row in rows] for table, rows in records.items()}
    for row in decoded["history"]:
        for column in ("old", "new"):
            if row[column] is not None:
                row[column] = json.loads(row[column])
    return decoded


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def test_the_first_releases_database_opens_at_the_current_version(v1_database: Path, tmp_path: Path) -> None:
    with sqlite3.connect(v1_database) as conn:
        before = _records(conn)
    with Ledger.open(v1_database) as ledger:
        assert ledger.user_version == schema.SCHEMA_VERSION
        assert check(ledger) == []
        after = _comparable(_records(ledger.conn))
        for table, rows in _comparable(_as_upgraded(before)).items():  # the new fields' columns aside
            assert [{c: r[c] for c in rows[0]} for r in after[table]] == rows, table
        assert {r["kind"] for r in _records(ledger.conn)["aid"]} <= set(schema.KINDS_BY_NAME["aid"].field("kind").vocab)
        migrated = _master(ledger.conn)
    with Ledger.open(tmp_path / "fresh.db") as fresh:
        assert migrated == _master(fresh.conn)


def test_a_field_added_to_a_description_migrates_old_databases_to_the_fresh_schema(
    v1_database: Path, tmp_path: Path, version_two: None
) -> None:
    with sqlite3.connect(v1_database) as conn:
        before = _records(conn)
    with Ledger.open(v1_database) as ledger:
        assert ledger.user_version == schema.SCHEMA_VERSION
        migrated = _master(ledger.conn)
        after = _records(ledger.conn)
        assert check(ledger) == []
        # the new field is searched, shown and written like any other: the full-text index follows it too
        aid_id = after["aid"][0]["id"]
        rec.update(ledger, "aid", aid_id, {"priority": "high"})
        assert ledger.conn.execute("SELECT priority FROM aid WHERE id = ?", (aid_id,)).fetchone() == ("high",)
        assert ledger.conn.execute("SELECT flag FROM actors LIMIT 1").fetchone() == (0,)
        hits = ledger.conn.execute("SELECT count(*) FROM aid_fts WHERE aid_fts MATCH 'javelin'").fetchone()[0]
        assert hits == ledger.conn.execute("SELECT count(*) FROM aid WHERE item LIKE '%javelin%'").fetchone()[0]
    with Ledger.open(tmp_path / "fresh.db") as fresh:
        assert migrated == _master(fresh.conn)
    # every record and every line of history as it was, the new columns added with their defaults
    for table, rows in _comparable(_as_upgraded(before)).items():
        assert [{c: r[c] for c in rows[0]} for r in _comparable(after)[table]] == rows, table
    assert {r["priority"] for r in after["aid"]} == {None}
    assert {r["flag"] for r in after["actors"]} == {0}
    assert "priority" in _columns(sqlite3.connect(v1_database), "aid")
    backups = list(backup_dir(v1_database).glob(f"*-before-v{schema.SCHEMA_VERSION}.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert _records(conn) == before


def test_a_failed_migration_leaves_the_file_exactly_as_it_was(v1_database: Path, version_two: None) -> None:
    with sqlite3.connect(v1_database) as conn:
        before, master = _records(conn), _master(conn)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE aid SET item = 'changed'")
        raise sqlite3.OperationalError("simulated failure halfway")

    with pytest.raises(sqlite3.OperationalError):
        Ledger.open(v1_database, migrations={1: broken})
    with sqlite3.connect(v1_database) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        assert _records(conn) == before
        assert _master(conn) == master


@pytest.mark.parametrize("version", [0, -1, 99])
def test_a_version_this_app_never_wrote_is_one_clear_line(sample_ledger: Ledger, version: int) -> None:
    sample_ledger.conn.execute(f"PRAGMA user_version = {version}")
    sample_ledger.close()
    with pytest.raises(UserError, match=f"schema version {version}"):
        Ledger.open(sample_ledger.path)


def _tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        if statement == "-- every view and trigger":  # they name the columns: a column can be dropped only after them
            for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"):
                conn.execute(f"DROP {kind} {name}")
        else:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (["DROP INDEX aid_donor_id"], "index 'aid_donor_id' on table 'aid' is missing"),
        (["CREATE INDEX mine ON aid(item)"], "index 'mine' on table 'aid' is not Aid Ledger's"),
        (["DROP TRIGGER aid_fts_au"], "trigger 'aid_fts_au' on table 'aid' is missing"),
        (
            ["CREATE TRIGGER wipe AFTER UPDATE ON aid BEGIN DELETE FROM aid WHERE id <> new.id; END"],
            "trigger 'wipe' on table 'aid' was not made by Aid Ledger",
        ),
        (
            # in SQL's LIKE, "_" matches any character: "sqlite_%" would take this for one of SQLite's own
            ["CREATE TRIGGER sqliteXt AFTER UPDATE ON aid BEGIN DELETE FROM aid WHERE id <> new.id; END"],
            "trigger 'sqliteXt' on table 'aid' was not made by Aid Ledger",
        ),
        (["DROP VIEW events_search_text"], "view 'events_search_text' is missing"),
        (["CREATE VIEW mine AS SELECT 1"], "view 'mine' is not Aid Ledger's"),
        (["DROP TABLE history"], "table 'history' is missing"),
        (["CREATE TABLE notes (x)"], "table 'notes' is not Aid Ledger's"),
        (["ALTER TABLE aid ADD COLUMN colour TEXT"], "column 'aid.colour' is not Aid Ledger's"),
        (
            ["-- every view and trigger", "ALTER TABLE aid DROP COLUMN notes"],
            "column 'aid.notes' is missing",
        ),
        (["DROP TABLE sources_fts"], "full-text index 'sources_fts' is missing"),
    ],
)
def test_check_names_every_drift_from_the_descriptions(
    sample_ledger: Ledger, statements: list[str], named: str
) -> None:
    path = sample_ledger.path
    sample_ledger.close()
    _tamper(path, *statements)
    with pytest.raises(UserError, match="changed by another program"):
        Ledger.open(path)  # every other command refuses it, and points to check
    with Ledger.open(path, strict=False) as ledger:
        problems = check(ledger)
    assert any(named in p for p in problems), problems


def test_repair_rebuilds_indexes_views_and_triggers_and_removes_foreign_ones(sample_ledger: Ledger) -> None:
    path = sample_ledger.path
    before = _records(sample_ledger.conn)
    sample_ledger.close()
    _tamper(
        path,
        "DROP INDEX aid_donor_id",
        "DROP TRIGGER aid_fts_au",  # search goes stale silently: an edit made now is not indexed
        "UPDATE aid SET item = 'Zanzibarite shells' WHERE id = (SELECT min(id) FROM aid)",
        "CREATE TRIGGER wipe AFTER UPDATE ON aid BEGIN DELETE FROM aid WHERE id <> new.id; END",
        "DROP VIEW events_search_text",
    )
    with Ledger.open(path, strict=False) as ledger:
        assert check(ledger)
        done = repair(ledger)
        assert done
        assert check(ledger) == []
        hits = ledger.conn.execute("SELECT count(*) FROM aid_fts WHERE aid_fts MATCH 'zanzibarite'").fetchone()[0]
        assert hits == 1
        after = _records(ledger.conn)
    before["aid"][0] = after["aid"][0]  # the one edit made behind the app's back
    assert after == before
    with Ledger.open(path) as ledger:  # and it opens again for every command
        rec.update(ledger, "aid", after["aid"][1]["id"], {"item": "Edited after repair"})
        assert ledger.db["aid"].count == 30


def test_a_missing_table_is_named_when_opened(sample_ledger: Ledger) -> None:
    path = sample_ledger.path
    sample_ledger.close()
    _tamper(path, "DROP TABLE totals")
    with pytest.raises(UserError, match="table 'totals' is missing"):
        Ledger.open(path)


def test_check_finds_values_the_app_never_writes_and_shared_ids(sample_ledger: Ledger) -> None:
    conn = sample_ledger.conn
    conn.execute("UPDATE aid SET announced_on = '2024-19-39' WHERE id = (SELECT min(id) FROM aid)")
    conn.execute("UPDATE aid SET delivered_on = '2023-02-29' WHERE id = (SELECT max(id) FROM aid)")
    conn.execute("UPDATE aid SET value = 1e400 WHERE id = (SELECT max(id) FROM aid)")
    conn.execute("UPDATE totals SET amount = 'lots' WHERE id = (SELECT min(id) FROM totals)")
    conn.execute("UPDATE events SET uid = (SELECT uid FROM aid LIMIT 1) WHERE id = (SELECT min(id) FROM events)")
    problems = "\n".join(check(sample_ledger))
    assert "Announced on: 1 value that Aid Ledger never writes ('2024-19-39'" in problems
    assert "'2023-02-29'" in problems
    assert "Value: 1 value that Aid Ledger never writes (inf" in problems
    assert "Amount: 1 value that Aid Ledger never writes ('lots'" in problems
    assert "is shared by aid #" in problems and "events #" in problems


def test_check_on_a_read_only_file_says_so_once(sample_ledger: Ledger) -> None:
    path = sample_ledger.path
    sample_ledger.close()
    with Ledger.open(f"file:{path}?mode=ro" if False else path) as ledger:
        ledger.conn.execute("PRAGMA query_only = ON")
        problems = check(ledger)
    assert len(problems) == 1, problems
    assert "not checked" in problems[0] and "read-only" in problems[0]


def test_an_empty_file_is_refused_and_stays_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    for create in (False, True):
        with pytest.raises(UserError, match="empty file"):
            Ledger.open(path, create=create)
    assert path.stat().st_size == 0


def test_another_programs_file_is_refused_before_its_journal_mode_changes(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    header = path.read_bytes()[:100]
    with pytest.raises(UserError, match="not one of Aid Ledger's"):
        Ledger.open(path)
    assert path.read_bytes()[:100] == header  # bytes 18-19 say WAL when it was switched
    assert not path.with_name("other.db-wal").exists()


def test_a_search_index_left_stale_is_found_and_rebuilt(sample_ledger: Ledger) -> None:
    path = sample_ledger.path
    sample_ledger.close()
    trigger = sqlite3.connect(path).execute("SELECT sql FROM sqlite_master WHERE name = 'aid_fts_au'").fetchone()[0]
    _tamper(
        path,
        "DROP TRIGGER aid_fts_au",
        "UPDATE aid SET item = 'Zanzibarite shells' WHERE id = (SELECT min(id) FROM aid)",
        trigger,  # put back: the schema is whole again, the index still holds the old text
    )
    with Ledger.open(path) as ledger:
        problems = check(ledger)
        assert any("aid: the full-text index does not match the records" in p for p in problems), problems
        repair(ledger)
        assert check(ledger) == []
        hits = ledger.conn.execute("SELECT count(*) FROM aid_fts WHERE aid_fts MATCH 'zanzibarite'").fetchone()[0]
        assert hits == 1


def test_an_import_after_a_field_is_added_fills_its_default_on_blank_cells(tmp_path: Path) -> None:
    import importers

    source = tmp_path / "events.csv"
    source.write_text("Title,Flag\nE1,\n", encoding="utf-8")
    with Ledger.open(tmp_path / "before.db") as ledger:  # the kind's fields read once, before it changes
        importers.run(ledger, source, kind="events", dry_run=True)
    with field_added("events", Field("flag", "Flag", FieldType.BOOL)), Ledger.open(tmp_path / "after.db") as ledger:
        importers.run(ledger, source, kind="events")
        assert ledger.conn.execute("SELECT title, flag FROM events").fetchall() == [("E1", 0)]
