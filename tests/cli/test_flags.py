"""Flags and output (issue 11, section 5): every case is run as a user runs it, `python main.py --db ...`."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

import main
from storage import Ledger
from storage.bulk import bulk_insert
from storage.query import Filters, ids
from tests.bench.synthetic import actors, aid_rows
from tests.conftest import FULL

ROOT = Path(__file__).resolve().parents[2]
FIRST_CSV = "donor,recipient,category,item,status\nLithuania,Ukraine,other,First record,delivered\n"
ROUNDS = 12 if FULL else 4


def run(*args: str, preexec_fn: Callable[[], None] | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        preexec_fn=preexec_fn,
    )


def one_line(err: str) -> str:
    """The one line a refusal prints on stderr (asserting there is one, and no traceback)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    assert run("--db", str(db), "load-sample").returncode == 0
    return db


@pytest.fixture
def first_csv(tmp_path: Path) -> Path:
    path = tmp_path / "first.csv"
    path.write_text(FIRST_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose export takes a few seconds and some megabytes: 30,000 synthetic Aid records."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    with Ledger.open(path) as ledger:
        bulk_insert(ledger, "aid", aid_rows(30_000, actors(ledger)))
    return path


def aid_count(db: Path) -> int:
    out = run("--db", str(db), "stats", "--json")
    assert out.returncode == 0, out.stderr
    return int(json.loads(out.stdout)["counts"]["aid"])


# --- import --report -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, says",
    [
        ("s.db", "is the database itself"),
        ("./sub/../s.db", "is the database itself"),
        ("link-to-db.xlsx", "is the database itself"),
        ("s.db-wal", "is the database itself"),
        ("first.csv", "is the file being imported"),
        ("link-to-input.xlsx", "is the file being imported"),
        (".", "is a folder"),
        ("no-such-folder/report.xlsx", "does not exist"),
    ],
)
def test_report_refuses_the_database_the_input_a_folder_or_a_missing_folder(
    sample_db: Path, first_csv: Path, tmp_path: Path, where: str, says: str
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "link-to-db.xlsx").symlink_to(sample_db)
    (tmp_path / "link-to-input.xlsx").symlink_to(first_csv)
    before = {p: p.read_bytes() for p in (sample_db, first_csv)}
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--db",
            "s.db",
            "import",
            "first.csv",
            "--type",
            "aid",
            "--report",
            where,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2, out.stdout + out.stderr
    assert says in one_line(out.stderr) and "--report" in out.stderr
    assert out.stdout == ""  # refused before anything was read
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "s.db-wal").exists()  # the database was not even opened


def test_report_on_a_new_database_path_is_refused_before_the_database_is_made(first_csv: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    out = run("--db", str(new), "import", str(first_csv), "--type", "aid", "--report", str(new))
    assert out.returncode == 2 and "is the database itself" in one_line(out.stderr)
    assert not new.exists()


def test_report_is_written_with_the_problems_when_the_path_is_fine(sample_db: Path, first_csv: Path) -> None:
    report = sample_db.parent / "report.xlsx"
    out = run("--db", str(sample_db), "import", str(first_csv), "--type", "aid", "--dry-run", "--report", str(report))
    assert out.returncode == 0, out.stderr
    assert f"Report written to {report}" in out.stdout
    assert openpyxl.load_workbook(report).sheetnames == ["Cannot import", "Changes"]
    assert [p.name for p in sample_db.parent.glob("*.part")] == []


# --- import --dry-run --save-mapping, --header-row ---------------------------------------------------------------


def test_a_dry_run_saves_no_mapping_and_says_so(sample_db: Path, first_csv: Path) -> None:
    out = run("--db", str(sample_db), "import", str(first_csv), "--type", "aid", "--dry-run", "--save-mapping", "ours")
    assert out.returncode == 0, out.stderr
    assert "Dry run: nothing was written." in out.stdout and "The mapping 'ours' was not saved" in out.stdout
    with sqlite3.connect(sample_db) as conn:
        assert conn.execute("SELECT count(*) FROM import_mappings").fetchone() == (0,)
    used = run("--db", str(sample_db), "import", str(first_csv), "--mapping", "ours", "--dry-run")
    assert used.returncode == 1 and "no saved mapping named 'ours'" in used.stderr


def test_a_real_import_saves_its_mapping(sample_db: Path, first_csv: Path) -> None:
    out = run("--db", str(sample_db), "import", str(first_csv), "--type", "aid", "--save-mapping", "ours")
    assert out.returncode == 0, out.stderr
    again = run("--db", str(sample_db), "import", str(first_csv), "--mapping", "ours", "--dry-run")
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize("row", ["0", "-1", "two"])
def test_header_row_below_1_is_a_usage_error(first_csv: Path, tmp_path: Path, row: str) -> None:
    db = tmp_path / "never.db"
    out = run("--db", str(db), "import", str(first_csv), "--type", "aid", "--header-row", row)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "argument --header-row" in out.stderr and "Traceback" not in out.stderr
    assert not db.exists()


# --- which commands make a database ---------------------------------------------------------------------------


def test_import_into_a_path_that_does_not_exist_makes_the_database_and_says_so(first_csv: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    out = run("--db", str(fresh), "import", str(first_csv), "--type", "aid")
    assert out.returncode == 0, out.stderr
    assert f"Created a new database at {fresh}." in out.stdout
    assert aid_count(fresh) == 1
    again = run("--db", str(fresh), "import", str(first_csv), "--type", "aid", "--dry-run")
    assert again.returncode == 0 and "Created a new database" not in again.stdout


@pytest.mark.parametrize("command", [["stats"], ["check"], ["export", "out.xlsx"]])
def test_reading_commands_make_no_database(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "missing.db"
    out = run("--db", str(missing), *command[:1], *(str(tmp_path / c) for c in command[1:]))
    assert out.returncode == 1 and "no such database" in one_line(out.stderr)
    assert not missing.exists() and not (tmp_path / "out.xlsx").exists()


# --- a closed pipe ------------------------------------------------------------------------------------------------


def _read_then_close(args: list[str], lines: int) -> tuple[int, str]:
    """Run the app with its stdout on a pipe that is closed after ``lines`` lines; its exit code and stderr."""
    process = subprocess.Popen(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},  # every line is written at once: the close meets the writes
    )
    assert process.stdout is not None and process.stderr is not None
    for _ in range(lines):
        process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    return process.wait(timeout=120), err


def test_stats_into_a_closed_pipe_ends_quietly(sample_db: Path) -> None:
    for round_ in range(ROUNDS):
        code, err = _read_then_close(["--db", str(sample_db), "stats"], lines=round_ % 2)
        assert code == 0 and err == "", (round_, err)


def test_import_into_a_closed_pipe_ends_quietly_and_imports_all(first_csv: Path, tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        db = tmp_path / f"piped-{round_}.db"
        code, err = _read_then_close(["--db", str(db), "import", str(first_csv), "--type", "aid"], lines=round_ % 2)
        assert code == 0 and err == "", (round_, err)
        assert aid_count(db) == 1  # a reader that went away does not stop the import halfway


# --- cell text on the terminal --------------------------------------------------------------------------------


def test_terminal_text_escapes_control_characters_and_keeps_every_script() -> None:
    assert main.terminal_text("a\x1b]0;owned\x07b\r\x00\x9b\u202e") == "a\\x1b]0;owned\\x07b\\x0d\\x00\\x9b\\u202e"
    kept = "Kasčiūnas\tУкраїна\nישראל العربية 🙂 \u200f"
    assert main.terminal_text(kept) == kept


def test_control_characters_in_cells_never_reach_the_terminal(sample_db: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(
        "donor,recipient,category,item,status\n"
        "\x1b]0;owned\x07Newland,Україна,other,\x1b[2JKasčiūnas wiped,delivered\n"
        "Lithuania,Ukraine,other,Helmets,\x1b[31mteleported to ישראל\n",
        encoding="utf-8",
    )
    out = run("--db", str(sample_db), "import", str(hostile), "--type", "aid", "--dry-run")
    shown = out.stdout + out.stderr
    assert out.returncode == 0, shown
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;owned\\x07Newland" in shown and "\\x1b[31mteleported to ישראל" in shown
    assert "Україна" in shown
    refused = run("--db", str(sample_db), "import", str(hostile), "--type", "aid", "--set", "status=\x1b[2Jgone")
    assert refused.returncode == 1 and "\x1b" not in refused.stderr and "\\x1b[2Jgone" in refused.stderr


# --- a search of symbols only ---------------------------------------------------------------------------------


@pytest.mark.parametrize("search", ["*", '"', "(", "🙂", "_"])
def test_a_search_of_symbols_only_exports_nothing_and_says_so(sample_db: Path, search: str) -> None:
    target = sample_db.parent / "found.xlsx"
    out = run("--db", str(sample_db), "export", str(target), "--search", search)
    assert out.returncode == 1, out.stdout
    assert f"the search '{search}' has no words to look for: nothing matched" in one_line(out.stderr)
    assert not target.exists()


def test_a_search_of_symbols_only_matches_no_record_anywhere(sample_ledger: Ledger) -> None:
    assert list(ids(sample_ledger, "aid", Filters(search="*"))) == []  # the window's filter bar and the exporters
    assert ids(sample_ledger, "aid", Filters(search="  ")) == ids(sample_ledger, "aid", Filters())
    assert ids(sample_ledger, "aid", Filters(search="NASAMS (*)"))


# --- a full disk, SIGTERM, permissions ----------------------------------------------------------------------------


def _limit_file_size() -> None:
    """In the child: no file may grow past 1 MB, as on a nearly full disk (writes then fail with EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))


def _leftovers(*folders: Path) -> list[str]:
    return sorted(str(p) for folder in folders for p in folder.iterdir())


@pytest.mark.parametrize("name", ["export.xlsx", "export.csv"])
def test_an_export_to_a_full_disk_says_so_in_one_line_and_leaves_nothing(
    big_db: Path, tmp_path: Path, name: str
) -> None:
    # The .xlsx is written to scratch files in the temporary folder first, so there the temporary folder fills up;
    # the .csv is written straight beside its target, so there the target's disk does.
    out_dir, temp_dir = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    temp_dir.mkdir()
    target = out_dir / name
    out = run(
        "--db", str(big_db), "export", str(target), "--type", "aid", preexec_fn=_limit_file_size, TMPDIR=str(temp_dir)
    )
    assert out.returncode == 1, out.stdout + out.stderr
    line = one_line(out.stderr)
    assert str(target) in line and "full" in line and "nothing was changed" in line
    assert _leftovers(out_dir, temp_dir) == []


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP", "SIGQUIT"])  # killed, its terminal closed, quit by key
def test_sigterm_during_an_export_leaves_no_temporary_file(big_db: Path, tmp_path: Path, stop: str) -> None:
    out_dir, temp_dir = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    temp_dir.mkdir()
    target = out_dir / "export.xlsx"
    for round_ in range(2):
        process = subprocess.Popen(
            [sys.executable, "main.py", "--db", str(big_db), "export", str(target)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(temp_dir)},
        )
        deadline = time.monotonic() + 60
        while not list(out_dir.glob("*.part")) and time.monotonic() < deadline:  # the export has begun writing
            time.sleep(0.02)
        time.sleep(0.3 * round_)
        process.send_signal(getattr(signal, stop))
        out, err = process.communicate(timeout=60)
        assert process.returncode == 1, out + err
        assert f"stopped ({stop})" in one_line(err)
        assert not target.exists()
        assert _leftovers(out_dir, temp_dir) == []


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_exported_files_get_the_users_usual_permissions(sample_db: Path, umask: int, mode: int) -> None:
    for name in ("export.xlsx", "export.csv"):
        target = sample_db.parent / name
        out = run("--db", str(sample_db), "export", str(target), "--type", "aid", preexec_fn=lambda: os.umask(umask))
        assert out.returncode == 0, out.stderr
        assert stat.S_IMODE(target.stat().st_mode) == mode, name
        target.unlink()


def test_an_export_over_a_file_keeps_that_files_permissions(sample_db: Path) -> None:
    target = sample_db.parent / "private.xlsx"
    target.write_bytes(b"an older export")
    target.chmod(0o640)
    assert run("--db", str(sample_db), "export", str(target)).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# --- the log on a first run ---------------------------------------------------------------------------------------


def test_the_first_error_logged_makes_the_log_folder(tmp_path: Path) -> None:
    # The window's background jobs log their failures without making the folder first (gui/workers.py).
    data_home = tmp_path / "first-run"
    script = "import logging, main; main.setup_logging(); logging.getLogger('aid_ledger').error('a job failed')"
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_DATA_HOME": str(data_home)},
        timeout=60,
    )
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert "a job failed" in (data_home / "aid-ledger" / "aid-ledger.log").read_text()
