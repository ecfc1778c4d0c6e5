"""``extract``: the article assistant's command line, as a user or a script calls it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storage import KINDS_BY_NAME
from storage.sample import sample_data
from tests.cli.test_cli import run

KINDS = {"aid", "packages", "events", "agreements", "totals", "actors"}


def _seed(tmp_path: Path, title_start: str, name: str = "article.txt") -> Path:
    (text,) = [s["full_text"] for s in sample_data()["sources"] if s["title"].startswith(title_start)]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_gives_the_source_and_drafts_in_the_imports_terms(tmp_path: Path) -> None:
    path = _seed(tmp_path, "Lithuania studying Ukraine's experience")
    out = run("--db", str(tmp_path / "a.db"), "extract", str(path), "--published-on", "2024-11-15", "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["source"]["title"] == "Lithuania studying Ukraine's experience in mobilisation and recruitment"
    assert got["source"]["published_on"] == "2024-11-15"
    assert got["drafts"]
    for draft in got["drafts"]:
        assert draft["kind"] in KINDS
        assert set(draft) >= {"kind", "fields", "quotes", "confidence", "duplicate_of"}
        assert 0 <= draft["confidence"] <= 1
        kind = KINDS_BY_NAME[draft["kind"]]
        for name in draft["fields"]:
            kind.field(name)  # every field is one of storage/kinds.py's identifiers
        for name, quote in draft["quotes"].items():
            assert quote in path.read_text(encoding="utf-8"), name
    nasams = next(d for d in got["drafts"] if d["fields"].get("value") == 234_000_000)
    assert nasams["fields"]["currency"] == "EUR" and nasams["fields"]["announced_on"] == "2024-10"
    assert nasams["quotes"]["value"] == "€234 million"


def test_participants_are_lists_of_names_and_roles(tmp_path: Path) -> None:
    path = _seed(tmp_path, "Lithuanian Defense Minister meets Zelenskyy")
    got = json.loads(run("--db", str(tmp_path / "a.db"), "extract", str(path), "--json").stdout)
    people = [p for d in got["drafts"] if d["kind"] == "events" for p in d["fields"].get("participants", [])]
    assert people and all(set(p) == {"name", "role"} for p in people)
    assert "Laurynas Kasčiūnas" in {p["name"] for p in people}


def test_apply_adds_the_sure_drafts_once_and_the_second_time_cites(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    path = _seed(tmp_path, "[Lithuanian delegation meets Minister Umerov")
    first = run("--db", str(db), "extract", str(path), "--apply")
    assert first.returncode == 0, first.stderr
    assert "Added" in first.stdout and "citing the article" in first.stdout
    conn = sqlite3.connect(db)
    totals = conn.execute("SELECT amount, qualifier FROM totals ORDER BY amount").fetchall()
    assert totals == [(641_000_000, "over"), (1_000_000_000, "over")]
    batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]
    again = json.loads(run("--db", str(db), "extract", str(path), "--json").stdout)
    assert again["source_duplicate_of"] is not None
    assert all(d["duplicate_of"] for d in again["drafts"] if d["kind"] == "totals")
    second = run("--db", str(db), "extract", str(path), "--apply", "--min-confidence", "0.8")
    assert second.returncode == 0
    assert conn.execute("SELECT count(*) FROM totals").fetchone()[0] == 2  # cited, not copied
    assert conn.execute("SELECT count(*) FROM batches").fetchone()[0] == batches + 1


def test_a_high_threshold_adds_nothing_but_the_article(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    path = _seed(tmp_path, "[Lithuanian delegation meets Minister Umerov")
    out = run("--db", str(db), "extract", str(path), "--apply", "--min-confidence", "1")
    assert out.returncode == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM aid").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


def test_wrong_use_and_unreadable_files_say_what_in_one_line(tmp_path: Path) -> None:
    path = _seed(tmp_path, "Lithuania studying Ukraine's experience")
    bad_date = run("--db", str(tmp_path / "a.db"), "extract", str(path), "--published-on", "someday")
    assert bad_date.returncode == 2 and "--published-on" in bad_date.stderr
    bad_confidence = run("--db", str(tmp_path / "a.db"), "extract", str(path), "--min-confidence", "2")
    assert bad_confidence.returncode == 2
    missing = run("--db", str(tmp_path / "a.db"), "extract", str(tmp_path / "nowhere.txt"))
    assert missing.returncode == 1 and "nowhere.txt" in missing.stderr
    assert "Traceback" not in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


def test_the_text_report_names_each_draft_and_what_was_guessed(tmp_path: Path) -> None:
    path = _seed(tmp_path, "Lithuanian Aid to Ukraine Continues")
    out = run("--db", str(tmp_path / "a.db"), "extract", str(path))
    assert out.returncode == 0, out.stderr
    assert "Reported total (0." in out.stdout and "guessed:" in out.stdout
    assert "held office" in out.stdout  # the undated article's year, and why
