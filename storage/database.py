"""One Aid Ledger database file: opening it safely, transactions, backups and migrations."""

from __future__ import annotations

import datetime as dt
import getpass
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from . import drift, schema
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


# The page size of a new database. A record with a tracker's extra values is about a kilobyte: on 16 KiB pages a
# big import writes and indexes a fifth faster than on SQLite's default 4 KiB (100,000 Kiel rows: 16.0 s instead of
# 17.3 s), and reads are no slower. An older file keeps the size it was made with.
PAGE_SIZE = 16_384


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
        self._cached_at = -1  # the data_version the caches were made at
        self._checked_in_transaction = False  # data_version read since this transaction began: no other can commit
        self.migrated: tuple[int, Path] | None = None  # (the version it had, the backup) when opening migrated it

    # --- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        migrations: Mapping[int, schema.Migration] | None = None,
        target_version: int | None = None,
        strict: bool = True,
    ) -> Ledger:
        """Open the database at ``path``, creating it when ``create`` and it does not exist, and migrate it.

        A file that is not Aid Ledger's (another program's SQLite file, an empty file) is refused before anything is
        written to it. Only a path where no file exists becomes a new database.

        Args:
            path: the database file.
            create: make a new database if there is no file.
            migrations: hand-written steps to run before the schema follows the descriptions (version -> step).
            target_version: the version to migrate to (``schema.SCHEMA_VERSION`` by default).
            strict: refuse a database whose schema differs from the descriptions' (``check`` opens it to say how).

        Raises:
            UserError: the file is missing, not a database, of a newer version, locked, unwritable, or its schema
                was changed by another program.
        """
        path = Path(path).expanduser()
        is_new = not path.exists()
        if is_new:
            if not create:
                raise UserError(f"{path}: no such database file")
            if not path.parent.is_dir():
                raise UserError(f"{path}: the folder {path.parent} does not exist")
        elif path.is_dir():
            raise UserError(f"{path}: is a folder, not a database file")
        elif path.stat().st_size == 0:
            raise UserError(f"{path}: an empty file, not an Aid Ledger database (nothing was written to it)")
        try:
            # Shared with a thread that writes while Python prepares the next rows (``bulk``); SQLite serialises it.
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        except sqlite3.Error as exc:
            raise UserError(sqlite_error_message(exc, path) or f"{path}: cannot open ({exc})") from exc
        ledger = cls(path, conn)
        try:
            if not is_new:
                ledger._identify()  # before anything is written: a file that is not ours is left exactly as it was
            if is_new:
                ledger.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only a file with no pages yet takes it
            ledger._configure()
            ledger._prepare(
                migrations if migrations is not None else schema.MIGRATIONS,
                target_version if target_version is not None else schema.SCHEMA_VERSION,
                is_new=is_new,
                strict=strict,
            )
        except BaseException as exc:
            conn.close()
            if is_new:
                for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    leftover.unlink(missing_ok=True)
            if isinstance(exc, sqlite3.Error):
                message = sqlite_error_message(exc, path)
                if message is not None:
                    raise UserError(message) from exc
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

    def _identify(self) -> None:
        """Refuse, reading only, a file that is not an Aid Ledger database or is of a version this one cannot open."""
        # The first statement reads the header: a file that is not SQLite fails here.
        self.conn.execute("PRAGMA schema_version").fetchone()
        has_meta = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta or self.get_meta("app") != APP_ID:
            raise UserError(f"{self.path}: an SQLite database, but not one of Aid Ledger's")
        version = self.user_version
        if version <= 0:
            raise UserError(
                f"{self.path}: an Aid Ledger database with schema version {version}, which Aid Ledger never writes:"
                " another program changed it; restore a backup (File > Restore from a backup)"
            )

    def _configure(self) -> None:
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise UserError(f"{self.path}: cannot use write-ahead logging here (journal mode stays {mode})")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # FULL: a commit that returned is on disk, so an edit the app reported saved survives a crash or power cut.
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def _prepare(self, migrations: Mapping[int, schema.Migration], target: int, *, is_new: bool, strict: bool) -> None:
        if is_new:
            with self.transaction():
                schema.create_schema(self.conn)
                self.conn.execute(f"PRAGMA user_version = {target}")
                self.set_meta("app", APP_ID)
                self.set_meta("created_at", now_iso())
            return
        version = self.user_version
        if version > target:
            raise UserError(
                f"{self.path}: made by a newer Aid Ledger (schema version {version}, this one knows {target}); "
                "update Aid Ledger to open it"
            )
        if version < target:
            self.migrate(migrations, target)
        elif strict:
            found = drift.differences(self.conn)
            if found:
                more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
                raise UserError(
                    f"{self.path}: the database was changed by another program: {found[0].describe()}{more}."
                    f" `aid-ledger --db {self.path} check` lists every difference"
                )

    def migrate(self, migrations: Mapping[int, schema.Migration], target: int) -> Path:
        """Back the database up, then bring its schema from its version up to ``target``.

        Hand-written steps in ``migrations`` run first (data that moves between fields); then the schema follows the
        descriptions: new columns, rebuilt tables, indexes, views and full-text indexes, all generated. Everything
        runs in one transaction with the version bump: a failure leaves the file exactly as it was.

        Returns:
            The backup file.
        """
        version = self.user_version
        backup = self.backup(f"before-v{target}")
        with self._foreign_keys_deferred():
            for v in range(self.user_version, target):
                if v in migrations:
                    migrations[v](self.conn)
            drift.follow(self.conn, drop_extra_columns=True)
            self.conn.execute(f"PRAGMA user_version = {target}")
        self.migrated = (version, backup)
        return backup

    def repair(self, refill: Iterable[str] = ()) -> list[str]:
        """Rebuild what derives from the descriptions (indexes, views, triggers, full-text indexes, missing tables).

        Columns and records are left as they are. A backup is taken first.

        Args:
            refill: kinds whose full-text index is filled again even where its definition is right (a stale index).

        Returns:
            What was done, one line each.
        """
        self.backup("before-repair")
        with self._foreign_keys_deferred():
            return drift.follow(self.conn, drop_extra_columns=False, refill=refill)

    @contextmanager
    def _foreign_keys_deferred(self) -> Iterator[None]:
        """One transaction in which tables can be rebuilt: foreign keys are checked once, before the commit."""
        self.conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction, so it is set before
        try:
            with self.transaction():
                before = len(self.conn.execute("PRAGMA foreign_key_check").fetchall())
                yield
                if len(self.conn.execute("PRAGMA foreign_key_check").fetchall()) > before:
                    raise AppBug("the schema change left rows pointing to missing records")
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def data_version(self) -> int:
        """A number that changes when another connection (another window, another program) commits to the file."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    @property
    def user_version(self) -> int:
        """The schema version the file says it has (``PRAGMA user_version``)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection.

        Raises:
            AppBug: a transaction is still open.
        """
        if self._depth:
            raise AppBug("closing a database inside a transaction")
        self.conn.close()

    def __enter__(self) -> Ledger:
        """The ledger itself, closed when the ``with`` block ends."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the ledger."""
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
        if depth == 0:
            self._checked_in_transaction = False
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
        if not self.conn.in_transaction:
            return  # SQLite rolled it all back itself (a full disk does): the savepoints went with it
        if depth == 0:
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
    def batch_id(self) -> int | None:
        """The batch that the writes now under way belong to (their history rows name it), or None outside one."""
        return self._batch_id

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every query inside sees the database as it was when it began.

        An export of many queries thus holds together while an import or a delete commits beside it.
        """
        if self._depth or self.conn.in_transaction:
            yield  # already inside a transaction, which is a snapshot of its own
            return
        self.conn.execute("BEGIN DEFERRED")
        self._depth += 1
        self._checked_in_transaction = False
        try:
            self.conn.execute("SELECT count(*) FROM meta").fetchone()  # the snapshot starts at the first read
            yield
        finally:
            self._depth -= 1
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def last_batch(self) -> int:
        """The id of the latest change made by any copy of the app.

        A plan that read the database at one value is out of date when it has moved.
        """
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM batches").fetchone()[0])

    @contextmanager
    def waiting(self, seconds: float) -> Iterator[None]:
        """Wait up to ``seconds`` (not the usual two) for another program's write to finish.

        For an import, which would rather queue behind another import than fail.
        """
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    # --- meta and backups ------------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """The value stored under ``key`` in the ``meta`` table, or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` in the ``meta`` table, replacing what was there."""
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

    def write_back(self) -> None:
        """Write the records back where the file was, after it was deleted or moved while open.

        The records are those this connection still holds; the ledger carries on with the file written.

        Raises:
            UserError: the copy cannot be written there (folder gone or read-only, disk full).
        """
        target = self.backup("restored-after-deletion", self.path.parent)
        try:
            target.replace(self.path)
        except OSError as exc:
            raise UserError(f"cannot write {self.path} back: {exc.strerror or exc}") from exc
        reopened = Ledger.open(self.path, create=False)
        self.conn.close()
        self.conn, self.db = reopened.conn, reopened.db
        self.invalidate_all()

    def cache(self, key: str) -> dict[str, object]:
        """A per-connection cache dictionary, for lookups such as actor names.

        It is dropped by ``invalidate``, and all of them when another connection (another window, another import)
        has committed since the last look: a name it made is then found.
        """
        if not (self._depth and self._checked_in_transaction):  # while this one writes, no other commits
            version = self.data_version()
            if version != self._cached_at:
                self._caches.clear()
                self._cached_at = version
            self._checked_in_transaction = self._depth > 0
        return self._caches.setdefault(key, {})  # type: ignore[return-value]

    def invalidate(self, key: str) -> None:
        """Drop the cache named ``key`` (see ``cache``): its records changed."""
        self._caches.pop(key, None)

    def invalidate_all(self) -> None:
        """Drop every cache: the file's records were replaced (a restore)."""
        self._caches.clear()
