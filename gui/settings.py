"""Every setting the window remembers between runs, with its key and default, in one place.

Settings live in an INI file in the user's config folder (``~/.config/aid-ledger/settings.ini`` on Linux), found
afresh on each use so that tests, which point $XDG_CONFIG_HOME elsewhere, never touch the user's own.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


def _settings() -> QSettings:
    folder = Path(platformdirs.user_config_dir("aid-ledger", appauthor=False))
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


def _bytes(key: str) -> QByteArray | None:
    value = _settings().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def window_geometry() -> QByteArray | None:
    """The main window's size and place when it was last closed, or None the first time."""
    return _bytes("window/geometry")


def window_state() -> QByteArray | None:
    """The main window's toolbars and docks when it was last closed, or None the first time."""
    return _bytes("window/state")


def save_window(geometry: QByteArray, state: QByteArray) -> None:
    """Keep the main window's geometry and state for next time."""
    s = _settings()
    s.setValue("window/geometry", geometry)
    s.setValue("window/state", state)


def table_header(kind: str) -> QByteArray | None:
    """The saved state of a table's header: column widths, order, visibility and sort indicator."""
    return _bytes(f"tables/{kind}/header")


def save_table_header(kind: str, state: QByteArray) -> None:
    """Keep a kind's table columns (order, widths, sort) for next time."""
    _settings().setValue(f"tables/{kind}/header", state)


def current_kind() -> str:
    """The kind whose table was shown last ("aid" the first time)."""
    return str(_settings().value("window/kind", "aid"))


def save_current_kind(kind: str) -> None:
    """Keep the kind whose table is shown, to show it first next time."""
    _settings().setValue("window/kind", kind)


def recent_databases() -> list[str]:
    """The databases opened last, most recent first."""
    value = _settings().value("files/recent", [])
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
    return [str(v) for v in items if v]


def add_recent_database(path: str) -> list[str]:
    """Put ``path`` first among the recent databases, keeping ``MAX_RECENT``; returns the new list."""
    recent = [path] + [p for p in recent_databases() if p != path]
    _settings().setValue("files/recent", recent[:MAX_RECENT])
    return recent[:MAX_RECENT]


def backup_on_start() -> bool:
    """Whether a rotating backup is taken when a database is opened (on by default)."""
    return str(_settings().value("backups/on_start", "true")).lower() != "false"


def set_backup_on_start(on: bool) -> None:
    """Turn the backup taken when a database is opened on or off."""
    _settings().setValue("backups/on_start", "true" if on else "false")
