"""Backups of a database: on start (rotating), on demand, before migrations; listing them, and restoring one.

Every copy is made with SQLite's online backup API, never a file copy: a database in WAL mode keeps recent commits
in its -wal file, which a plain copy of the .db file would miss.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .database import Ledger, backup_dir
from .errors import UserError
from .kinds import DISPLAY_ORDER

KEEP_ON_START = 5
START_EVERY = dt.timedelta(hours=12)
_NAME = re.compile(r"-(\d{8}-\d{6})-\d+-(?P<reason>[\w-]+)\.db$")


@dataclass(frozen=True)
class Backup:
    """One backup file: when it was taken, why, and how many records of each kind it holds."""

    path: Path
    taken_at: dt.datetime
    reason: str
    counts: dict[str, int]

    def describe(self) -> str:
        """One line for a list of backups: when, why, and how many records it holds."""
        total = sum(self.counts.values())
        return f"{self.taken_at:%Y-%m-%d %H:%M} UTC ({self.reason}): {total:,} records"


def backups(path: Path) -> list[Backup]:
    """The backups of the database at ``path``, newest first, each with its record counts."""
    found = []
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    for file in folder.glob(f"{path.stem}-*.db"):
        m = _NAME.search(file.name)
        if not m:
            continue
        taken = dt.datetime.strptime(m[1], "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
        found.append(Backup(file, taken, m["reason"], _counts(file)))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def _counts(file: Path) -> dict[str, int]:
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return {k: int(conn.execute(f'SELECT count(*) FROM "{k}"').fetchone()[0]) for k in DISPLAY_ORDER}
        finally:
            conn.close()
    except sqlite3.Error:
        return {}  # a damaged backup is listed with no counts; restoring it is refused


def backup_on_start(
    ledger: Ledger, *, keep: int = KEEP_ON_START, every: dt.timedelta = START_EVERY, now: dt.datetime | None = None
) -> Path | None:
    """Back up when the last start backup is older than ``every``; keep the newest ``keep`` start backups.

    Returns:
        The new backup, or None when a recent one made it unnecessary.
    """
    now = now or dt.datetime.now(dt.UTC)
    started = [b for b in backups(ledger.path) if b.reason == "start"]
    if started and now - started[0].taken_at < every:
        return None
    made = ledger.backup("start")
    for old in [b for b in backups(ledger.path) if b.reason == "start"][keep:]:
        old.path.unlink(missing_ok=True)
    return made


def restore(ledger: Ledger, backup: Path) -> Path:
    """Put a backup's contents in place of the database's, after backing the current state up.

    Returns:
        The backup of the state before the restore (so the restore itself can be undone by restoring that).

    Raises:
        UserError: the backup is not a sound Aid Ledger database; nothing was changed.
    """
    try:
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise UserError(f"{backup}: the backup is damaged; nothing was restored")
            row = source.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
            if row is None or row[0] != "aid-ledger":
                raise UserError(f"{backup}: not an Aid Ledger backup; nothing was restored")
            before = ledger.backup("before-restore")
            source.backup(ledger.conn)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise UserError(f"{backup}: cannot restore it ({exc}); nothing was changed") from exc
    ledger.invalidate_all()
    return before
