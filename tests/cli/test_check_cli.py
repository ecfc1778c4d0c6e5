"""`check` and `check --repair` from the command line, and what the other commands say of a changed schema."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

from tests.cli.test_cli import run


def _sample(tmp_path: Path) -> str:
    db = str(tmp_path / "s.db")
    assert run("--db", db, "load-sample").returncode == 0
    return db


def test_a_missing_table_is_named_by_stats_and_check(tmp_path: Path) -> None:
    db = _sample(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE totals")
    for command in ("stats", "check", "export"):
        args = [command] + ([str(tmp_path / "out.xlsx")] if command == "export" else [])
        out = run("--db", db, *args)
        assert out.returncode == 1, (command, out.stderr)
        assert "table 'totals' is missing" in out.stderr, (command, out.stderr)
        assert "Traceback" not in out.stderr and "internal error" not in out.stderr


def test_check_repair_rebuilds_what_derives_from_the_descriptions(tmp_path: Path) -> None:
    db = _sample(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX aid_donor_id")
        conn.execute("CREATE TRIGGER wipe AFTER UPDATE ON aid BEGIN DELETE FROM aid WHERE id <> new.id; END")
    out = run("--db", db, "check")
    assert out.returncode == 1
    assert "index 'aid_donor_id' on table 'aid' is missing; `check --repair` rebuilds it" in out.stderr
    assert "trigger 'wipe' on table 'aid' was not made by Aid Ledger" in out.stderr
    repaired = run("--db", db, "check", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert "no problems found" in repaired.stdout
    assert run("--db", db, "stats").returncode == 0


def test_a_version_never_written_is_one_line_exit_1(tmp_path: Path) -> None:
    db = _sample(tmp_path)
    for version in (0, -3):
        with sqlite3.connect(db) as conn:
            conn.execute(f"PRAGMA user_version = {version}")
        out = run("--db", db, "stats")
        assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1, out.stderr


def test_an_empty_file_given_to_stats_or_check_is_refused_and_left_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for command in ("stats", "check"):
        out = run("--db", str(empty), command)
        assert out.returncode == 1 and "empty file" in out.stderr
    assert empty.stat().st_size == 0


def test_values_the_app_never_writes_are_exported_as_they_are_not_a_bug(tmp_path: Path) -> None:
    db = _sample(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE aid SET announced_on = '2024-19-39' WHERE id = (SELECT min(id) FROM aid)")
        conn.execute("UPDATE aid SET value_eur = 1e400 WHERE id = (SELECT max(id) FROM aid)")
        conn.execute("UPDATE totals SET amount = -1e400 WHERE id = (SELECT min(id) FROM totals)")
    for target in ("out.xlsx", "out.csv"):
        out = run("--db", db, "export", str(tmp_path / target), "--type", "aid")
        assert out.returncode == 0, out.stderr
    assert run("--db", db, "export", str(tmp_path / "all.xlsx")).returncode == 0
    assert "2024-19-39" in run("--db", db, "check").stderr


def test_a_dry_run_into_a_new_path_makes_no_database(tmp_path: Path) -> None:
    source = tmp_path / "first.csv"
    source.write_text("donor,recipient,category,item,status\nLithuania,Ukraine,other,First,delivered\n")
    out = run("--db", str(tmp_path / "fresh.db"), "import", str(source), "--type", "aid", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "add 1" in out.stdout
    assert list(tmp_path.glob("fresh.db*")) == []


def test_a_failed_import_into_a_new_path_leaves_no_empty_database(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("donor,recipient,category,item,status\nLithuania,Ukraine,other,First,teleported\n")
    out = run("--db", str(tmp_path / "fresh.db"), "import", str(source), "--type", "aid")
    assert out.returncode == 1
    assert list(tmp_path.glob("fresh.db*")) == []


def test_a_database_of_the_first_release_is_upgraded_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    with gzip.open(Path(__file__).parents[1] / "storage" / "fixtures" / "v1-sample.db.gz") as packed:
        db.write_bytes(packed.read())
    out = run("--db", str(db), "stats")
    assert out.returncode == 0, out.stderr
    assert "Upgraded" in out.stdout and "schema version 1" in out.stdout and "before-v" in out.stdout
    assert "Upgraded" not in run("--db", str(db), "stats").stdout  # once


def test_a_report_that_is_not_a_workbook_name_is_a_usage_error(tmp_path: Path) -> None:
    db = _sample(tmp_path)
    source = tmp_path / "first.csv"
    source.write_text("donor,recipient,category,item,status\nLithuania,Ukraine,other,First,delivered\n")
    out = run("--db", db, "import", str(source), "--type", "aid", "--report", str(tmp_path / "report.csv"))
    assert out.returncode == 2 and ".xlsx" in out.stderr
