"""Backups on start, on demand and before a restore; restoring one puts its records back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storage import Ledger, UserError
from storage import records as rec
from storage.backups import backup_on_start, backups, restore
from storage.check import check


def _aged(path: Path, days: int) -> None:
    """Rename a backup as if it had been taken ``days`` ago."""
    stamp = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
    stem = path.name[: path.name.index("-2")]  # "<name>-<stamp>-<micro>-<reason>.db"
    micro_and_reason = path.name[len(stem) + 1 + 15 + 1 :]
    path.rename(path.with_name(f"{stem}-{stamp}-{micro_and_reason}"))


def test_a_backup_on_start_at_most_every_12_hours_and_the_last_five_kept(sample_ledger: Ledger) -> None:
    for days in range(7, 0, -1):  # a week of earlier starts
        _aged(sample_ledger.backup("start"), days)
    assert len([b for b in backups(sample_ledger.path) if b.reason == "start"]) == 7
    made = backup_on_start(sample_ledger)
    assert made is not None
    kept = [b for b in backups(sample_ledger.path) if b.reason == "start"]
    assert len(kept) == 5 and kept[0].path == made
    assert kept[0].counts["aid"] == sample_ledger.db["aid"].count
    assert backup_on_start(sample_ledger) is None  # taken minutes ago: no second one


def test_restore_puts_the_backup_back_and_keeps_the_state_it_replaced(sample_ledger: Ledger) -> None:
    taken = sample_ledger.backup("manual")
    aid_before = sample_ledger.db["aid"].count
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    rec.insert(sample_ledger, "aid", {"donor": lithuania, "recipient": "Ukraine", "item": "After the backup"})
    before_restore = restore(sample_ledger, taken)
    assert sample_ledger.db["aid"].count == aid_before
    assert check(sample_ledger) == []
    assert before_restore.exists()
    restore(sample_ledger, before_restore)  # and back again: the restore can itself be undone
    assert sample_ledger.db["aid"].count == aid_before + 1


def test_a_damaged_backup_is_refused_and_nothing_changes(sample_ledger: Ledger, tmp_path: Path) -> None:
    bad = tmp_path / "sample-backups-bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    count = sample_ledger.db["aid"].count
    with pytest.raises(UserError, match="nothing"):
        restore(sample_ledger, bad)
    assert sample_ledger.db["aid"].count == count and check(sample_ledger) == []
