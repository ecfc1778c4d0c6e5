"""Writing an export so that the user's file is replaced only by a complete one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage import UserError


@contextmanager
def replaced_when_done(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` to write to; it becomes ``target`` only when the block ends without error.

    A cancelled or failed export leaves no half-written file where the user asked for one, and an older file of
    that name as it was.

    Raises:
        UserError: the folder is missing or cannot be written (read-only, full).
    """
    if not target.parent.is_dir():
        raise UserError(f"{target}: the folder {target.parent} does not exist")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=f"{target.suffix}.part", dir=target.parent)
        os.close(handle)
    except OSError as exc:
        raise UserError(f"{target}: cannot write in {target.parent} ({exc.strerror})") from exc
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UserError(f"{target}: the file could not be written ({exc.strerror or exc})") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
