"""Writing an export so that the user's file is replaced only by a complete one, with the user's usual permissions."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage import UserError

_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextmanager
def replaced_when_done(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` to write to; it becomes ``target`` only when the block ends without error.

    A cancelled, failed or stopped (SIGTERM, Ctrl+C) export leaves no half-written file where the user asked for
    one, no temporary file beside it, and an older file of that name as it was. The new file gets the permissions
    of the file it replaces, or the user's usual ones (the umask) when there was none.

    Raises:
        UserError: the folder is missing or cannot be written (read-only, full), also when the writer wraps the
            operating system's error in an exception of its own.
    """
    if not target.parent.is_dir():
        raise UserError(f"{target}: the folder {target.parent} does not exist")
    mode = _mode_for(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=f"{target.suffix}.part", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise UserError(f"{target}: cannot write in {target.parent} ({_reason(exc)})") from exc
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, mode)  # mkstemp makes it 0600, readable by its owner only
        os.replace(temp, target)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        cause = _os_error(exc)
        if cause is None:
            raise
        raise UserError(f"{target}: the file could not be written ({_reason(cause)}); nothing was changed") from exc


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A private folder in the temporary folder for a writer's scratch files, removed with all it holds at the end.

    xlsxwriter leaves its scratch files behind when writing fails or is stopped; in this folder they go with it.

    Raises:
        UserError: the temporary folder cannot be written (missing, read-only, full).
    """
    try:
        folder = Path(tempfile.mkdtemp(prefix="aid-ledger-"))
    except OSError as exc:
        raise UserError(f"the temporary folder {tempfile.gettempdir()} cannot be written ({_reason(exc)})") from exc
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _mode_for(target: Path) -> int:
    """The permissions the written file gets: those of the file it replaces, else 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it (setting it is not thread-safe)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_error(exc: BaseException) -> OSError | None:
    """The operating system's error behind ``exc``, or None.

    That is ``exc`` itself, or the one a writer wrapped (xlsxwriter's FileCreateError is raised while handling it);
    None for anything else, such as a cancel or a user error.
    """
    if isinstance(exc, UserError) or not isinstance(exc, Exception):
        return None
    for candidate in (exc, exc.__cause__, exc.__context__):
        if isinstance(candidate, OSError):
            return candidate
    return None


def _reason(exc: OSError) -> str:
    if exc.errno in _NO_SPACE:
        return "the disk or the temporary folder is full; free some space and try again"
    return exc.strerror or str(exc)
