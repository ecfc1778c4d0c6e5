"""Writes that fail for real (a full disk, a read-only file): a clear message, and the database unharmed."""

from __future__ import annotations

import sqlite3

import pytest

from storage import Ledger, UserError
from storage import records as rec
from storage.check import check


def test_a_full_disk_is_a_clear_message_and_nothing_half_written(sample_ledger: Ledger) -> None:
    dump = "\n".join(sample_ledger.conn.iterdump())
    pages = sample_ledger.conn.execute("PRAGMA page_count").fetchone()[0]
    sample_ledger.conn.execute(f"PRAGMA max_page_count = {pages}")  # not one page more: as a full disk
    with pytest.raises(UserError, match="disk is full"):
        rec.insert(sample_ledger, "sources", {"title": "A long article", "full_text": "x" * 200_000})
    assert "\n".join(sample_ledger.conn.iterdump()) == dump
    sample_ledger.conn.execute("PRAGMA max_page_count = 1073741823")
    assert check(sample_ledger) == []
    rec.insert(sample_ledger, "sources", {"title": "A long article", "full_text": "x" * 200_000})  # space again


def test_a_read_only_file_is_a_clear_message(sample_ledger: Ledger) -> None:
    uri = f"{sample_ledger.path.resolve().as_uri()}?mode=ro"
    read_only = Ledger(sample_ledger.path, sqlite3.connect(uri, uri=True, isolation_level=None))
    try:
        with pytest.raises(UserError, match="read-only"):
            rec.insert(read_only, "sources", {"title": "Cannot be written"})
    finally:
        read_only.close()
    assert not sample_ledger.db["sources"].count == 0 and check(sample_ledger) == []
