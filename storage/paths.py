"""Where Aid Ledger keeps its files on this desktop: the default database and the log, in the user's data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "aid-ledger"


def data_dir() -> Path:
    """The user's data folder for Aid Ledger (``~/.local/share/aid-ledger`` on Linux; $XDG_DATA_HOME is honoured)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database the app opens when none is named."""
    return data_dir() / "aid-ledger.db"


def log_path() -> Path:
    """The app's log file."""
    return data_dir() / "aid-ledger.log"


def app_version() -> str:
    """The installed version of Aid Ledger."""
    from importlib import metadata

    try:
        return metadata.version(APP_NAME)
    except metadata.PackageNotFoundError:
        return "0.1.0"
