"""One Aid Ledger database file: opening it safely, transactions, backups and migrations."""

from __future__ import annotations

import datetime as dt
import getpass
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from . import schema
from .errors import AppBug, UserError

APP_ID = "aid-ledger"
# How long a write waits for another program's lock before the user is told (and can retry): short enough
# that the window never seems frozen, long enough for another copy's ordinary edit to finish.
BUSY_TIMEOUT_S = 2.0


def now_iso() -> str:
    """The current time as stored in ``created_at``, ``updated_at`` and the history: UTC, to the millisecond."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def current_user() -> str:
    """Who is making a change, for the history table."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers; the history still needs a value
        return "unknown"


def sqlite_error_message(exc: sqlite3.Error, path: Path | str) -> str | None:
    """A message for the user when ``exc`` comes from their environment or file, or None when it is a bug."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return f"{path}: the database is locked by another program; close it there and try again"
    if "not a database" in text or "file is encrypted" in text or "malformed" in text:
        return f"{path}: not an Aid Ledger database (the file is not SQLite, or is damaged)"
    if "full" in text:
        return f"{path}: the disk is full; free some space and try again (nothing was changed)"
    if "readonly" in text or "read-only" in text:
        return f"{path}: the file or its folder is read-only; nothing was changed"
    if "unable to open" in text or "disk i/o" in text or "no such file" in text:
        return f"{path}: cannot open or write the file (check that it and its folder exist and are writable)"
    return None


def backup_dir(path: Path) -> Path:
    """Where backups of the database at ``path`` go: a folder beside it, ``<name>-backups``."""
    return path.with_name(path.stem + "-backups")


class Ledger:
    """An open Aid Ledger database.

    Writes go through ``transaction()``, which nests with savepoints; ``batch()`` also groups the history rows of
    one user action, so that it can be undone as one step.

    Attributes:
        path: the database file.
        conn: the sqlite3 connection (autocommit mode: transactions are explicit).
        db: the same connection seen through sqlite-utils, for queries and introspection.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._depth = 0
        self._batch_id: int | None = None
        self.who = current_user()
        self._caches: dict[str, object] = {}

    # --- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        migrations: Mapping[int, schema.Migration] | None = None,
        target_version: int | None = None,
    ) -> Ledger:
        """Open the database at ``path``, creating it when ``create`` and it does not exist, and migrate it.

        Args:
            path: the database file.
            create: make a new database if there is no file.
            migrations: the migrations to apply (the app's own by default; tests pass their own).
            target_version: the version to migrate to (``schema.SCHEMA_VERSION`` by default).

        Raises:
            UserError: the file is missing, not a database, of a newer version, locked, or unwritable.
        """
        path = Path(path).expanduser()
        if not path.exists():
            if not create:
                raise UserError(f"{path}: no such database file")
            if not path.parent.is_dir():
                raise UserError(f"{path}: the folder {path.parent} does not exist")
        elif path.is_dir():
            raise UserError(f"{path}: is a folder, not a database file")
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise UserError(sqlite_error_message(exc, path) or f"{path}: cannot open ({exc})") from exc
        ledger = cls(path, conn)
        try:
            ledger._configure()
            ledger._prepare(
                migrations if migrations is not None else schema.MIGRATIONS,
                target_version if target_version is not None else schema.SCHEMA_VERSION,
            )
        except sqlite3.Error as exc:
            conn.close()
            message = sqlite_error_message(exc, path)
            if message is None:
                raise
            raise UserError(message) from exc
        except BaseException:
            conn.close()
            raise
        return ledger

    @classmethod
    def open_reader(cls, path: Path | str) -> Ledger:
        """A second, read-only connection to an open database, for queries run off the UI thread.

        Raises:
            UserError: the file cannot be opened.
        """
        path = Path(path)
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_S,
                check_same_thread=False,
            )
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise UserError(sqlite_error_message(exc, path) or f"{path}: cannot open ({exc})") from exc
        return cls(path, conn)

    def _configure(self) -> None:
        # The first statement reads the header: a file that is not SQLite fails here, before anything is written.
        self.conn.execute("PRAGMA schema_version").fetchone()
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise UserError(f"{self.path}: cannot use write-ahead logging here (journal mode stays {mode})")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a commit that returned is on disk, so an edit the app reported saved survives a crash or power cut.
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def _prepare(self, migrations: Mapping[int, schema.Migration], target: int) -> None:
        version = self.user_version
        tables = set(self.db.table_names())
        if version == 0 and not tables:
            with self.transaction():
                schema.create_schema(self.conn)
                self.conn.execute(f"PRAGMA user_version = {target}")
                self.set_meta("app", APP_ID)
                self.set_meta("created_at", now_iso())
            return
        if "meta" not in tables or self.get_meta("app") != APP_ID:
            raise UserError(f"{self.path}: an SQLite database, but not one of Aid Ledger's")
        if version > target:
            raise UserError(
                f"{self.path}: made by a newer Aid Ledger (schema version {version}, this one knows {target}); "
                "update Aid Ledger to open it"
            )
        if version < target:
            self.migrate(migrations, target)

    def migrate(self, migrations: Mapping[int, schema.Migration], target: int) -> Path:
        """Back the database up, then apply the migrations from its version up to ``target``.

        Each step runs in one transaction with its version bump: a failing step leaves the file at the last good
        version, and the backup taken first holds the data as it was before any step.

        Returns:
            The backup file.
        """
        version = self.user_version
        missing = [v for v in range(version, target) if v not in migrations]
        if missing:
            raise AppBug(f"no migration from schema version {missing[0]}")
        backup = self.backup(f"before-v{target}")
        for v in range(version, target):
            with self.transaction():
                migrations[v](self.conn)
                self.conn.execute(f"PRAGMA user_version = {v + 1}")
        return backup

    def data_version(self) -> int:
        """A number that changes when another connection (another window, another program) commits to the file."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @property
    def user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        if self._depth:
            raise AppBug("closing a database inside a transaction")
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All the writes inside happen, or none: BEGIN IMMEDIATE at the outermost level, savepoints within.

        Raises:
            UserError: the database is locked, the disk is full, or the file is read-only; nothing was written.
        """
        depth = self._depth
        try:
            self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
        except sqlite3.Error as exc:
            self._raise_environment(exc)
        self._depth += 1
        try:
            yield
        except BaseException as exc:
            self._depth -= 1
            self._rollback(depth)
            if isinstance(exc, sqlite3.Error):
                self._raise_environment(exc)
            raise
        self._depth -= 1
        try:
            self.conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")
        except sqlite3.Error as exc:
            self._rollback(depth)
            self._raise_environment(exc)

    def _rollback(self, depth: int) -> None:
        if depth == 0:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        else:
            self.conn.execute(f"ROLLBACK TO sp{depth}")
            self.conn.execute(f"RELEASE sp{depth}")

    def _raise_environment(self, exc: sqlite3.Error) -> None:
        message = sqlite_error_message(exc, self.path)
        if message is None:
            raise exc
        raise UserError(message) from exc

    @contextmanager
    def batch(self, label: str) -> Iterator[int]:
        """One user action (a form saved, an import applied): one transaction and one undo step in the history.

        Nested batches join the outermost one.

        Yields:
            The batch's id in the ``batches`` table.
        """
        if self._batch_id is not None:
            yield self._batch_id
            return
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO batches(at, who, label) VALUES (?, ?, ?)", (now_iso(), self.who, label)
            )
            self._batch_id = int(cur.lastrowid or 0)
            try:
                yield self._batch_id
            finally:
                self._batch_id = None

    @property
    def in_batch(self) -> bool:
        return self._batch_id is not None

    # --- meta and backups ------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def backup(self, reason: str, folder: Path | None = None) -> Path:
        """Copy the database with SQLite's online backup API (safe while it is open in WAL mode).

        Args:
            reason: a word for the file name ("before-v2", "manual").
            folder: where to write it; ``backup_dir(path)`` by default.

        Returns:
            The backup file, named ``<name>-<UTC time>-<reason>.db``.

        Raises:
            UserError: the backup cannot be written (folder read-only, disk full).
        """
        folder = folder or backup_dir(self.path)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{self.path.stem}-{stamp}-{reason}.db"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            dest = sqlite3.connect(target)
            try:
                self.conn.backup(dest)
            finally:
                dest.close()
        except (OSError, sqlite3.Error) as exc:
            target.unlink(missing_ok=True)
            raise UserError(f"cannot write the backup {target}: {exc}") from exc
        return target

    def cache(self, key: str) -> dict[str, object]:
        """A per-connection cache dictionary (dropped by ``invalidate``), for lookups such as actor names."""
        return self._caches.setdefault(key, {})  # type: ignore[return-value]

    def invalidate(self, key: str) -> None:
        self._caches.pop(key, None)
