"""The command line as a user calls it: commands, output, and the exit-code contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, env=environment, timeout=120
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("aid-ledger ")
    out = run("--help")
    assert out.returncode == 0
    for command in ("load-sample", "stats", "check"):
        assert command in out.stdout


def test_load_sample_twice_then_stats_json_lists_every_kind(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    first = run("--db", db, "load-sample")
    assert first.returncode == 0 and "Added" in first.stdout
    second = run("--db", db, "load-sample")
    assert second.returncode == 0 and "nothing added" in second.stdout
    out = run("--db", db, "stats", "--json")
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    for kind in ("aid", "events", "agreements", "totals", "actors", "sources", "packages"):
        assert figures["counts"][kind] > 0
    assert figures["eur"]["own_procurement"] >= 370_000_000 + 234_000_000
    assert run("--db", db, "check").returncode == 0
    text = run("--db", db, "stats")
    assert "procurement for own forces" in text.stdout and "Aid" in text.stdout


@pytest.mark.parametrize("command", ["stats", "check"])
def test_a_file_that_is_not_a_database_exits_1_with_one_line(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    out = run("--db", str(bad), command)
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "bad.db" in out.stderr and "not an Aid Ledger database" in out.stderr
    assert bad.read_text() == "not a database"


def test_stats_on_a_missing_file_exits_1_and_makes_no_file(tmp_path: Path) -> None:
    out = run("--db", str(tmp_path / "missing.db"), "stats")
    assert out.returncode == 1 and "no such database" in out.stderr
    assert not (tmp_path / "missing.db").exists()


def test_wrong_usage_exits_2() -> None:
    assert run("no-such-command").returncode == 2
    assert run("stats", "--bogus").returncode == 2


def test_check_reports_a_damaged_database_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert run("--db", str(db), "load-sample").returncode == 0
    import sqlite3

    with sqlite3.connect(db) as conn:  # break a rule that only the app's own check knows
        conn.execute("UPDATE aid SET category = 'lasers' WHERE id = 1")
    out = run("--db", str(db), "check")
    assert out.returncode == 1 and "'lasers' is not in its vocabulary" in out.stderr


def test_without_a_display_the_window_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "w.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 1
    assert "no display" in out.stderr and "Traceback" not in out.stderr


def test_default_database_is_made_with_the_sample_on_first_use(data_home: Path) -> None:
    env = {"XDG_DATA_HOME": str(data_home)}
    out = run("stats", "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert (data_home / "aid-ledger" / "aid-ledger.db").exists()
    first = json.loads(out.stdout)["counts"]
    assert first["aid"] > 0
    assert run("load-sample", env=env).returncode == 0
    assert json.loads(run("stats", "--json", env=env).stdout)["counts"] == first


def test_a_bug_exits_3_with_the_details_in_the_log(
    data_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(main.COMMANDS, "stats", broken)
    assert main.main(["stats"]) == 3
    err = capsys.readouterr().err
    assert "this is a bug" in err and "Traceback" not in err
    log_file = data_home / "aid-ledger" / "aid-ledger.log"
    assert "RuntimeError: boom" in log_file.read_text()


def test_import_of_another_teams_file_with_its_header_row_and_values_for_every_row(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Aid to Ukraine, compiled by another team"])
    sheet.append([])
    sheet.append(["Countries", "Stuff", "Announcement Date"])
    sheet.append(["Lithuania", "Helmets", "2/24/2022"])
    book.save(tmp_path / "other.xlsx")
    db = str(tmp_path / "l.db")
    assert run("--db", db, "load-sample").returncode == 0
    before = json.loads(run("--db", db, "stats", "--json").stdout)
    bad = run("--db", db, "import", str(tmp_path / "other.xlsx"), "--set", "recipient=Ukraine;status=teleported")
    assert bad.returncode == 1 and "Status given for every row: 'teleported' is not one of" in bad.stderr
    done = run(
        "--db", db, "import", str(tmp_path / "other.xlsx"), "--header-row", "3", "--map", "Stuff=item",
        "--set", "recipient=Ukraine;status=delivered",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "headers on row 3" in done.stdout and "Imported: 1 added" in done.stdout
    after = json.loads(run("--db", db, "stats", "--json").stdout)
    assert after["counts"]["aid"] == before["counts"]["aid"] + 1
