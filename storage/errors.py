"""The two kinds of failure the app tells apart.

A ``UserError`` means the user's input or environment is wrong (a bad value, a locked or missing file, a full disk):
its message is written for the user and says what and where. An ``AppBug`` means the app itself went wrong: the
details go to the log file and the user is told where to find them.
"""

from __future__ import annotations


class UserError(Exception):
    """The user's input or environment is wrong; ``str(error)`` is a message fit to show the user."""


class FieldError(UserError):
    """One value that cannot be taken, with the field it belongs to.

    Args:
        field: the field's identifier (``value_eur``).
        message: what is wrong with the value, for the user.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ValidationError(UserError):
    """A record that cannot be saved, with every field error found in it."""

    def __init__(self, kind: str, errors: list[FieldError], where: str = "") -> None:
        self.kind = kind
        self.errors = errors
        self.where = where
        details = "; ".join(f"{e.field}: {e.message}" for e in errors)
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{kind} record not valid: {details}")


class AppBug(Exception):
    """Something that cannot happen did: a bug in Aid Ledger, not in the user's data."""


class Cancelled(Exception):
    """The user cancelled a long piece of work; nothing was written."""
