"""Aid Ledger's storage: one SQLite file, the record kinds' descriptions, validation and history. No Qt here."""

from .database import Ledger
from .errors import AppBug, FieldError, UserError, ValidationError
from .kinds import DISPLAY_ORDER, KINDS, KINDS_BY_NAME, Field, FieldType, Kind, kind_named

__all__ = [
    "DISPLAY_ORDER",
    "KINDS",
    "KINDS_BY_NAME",
    "AppBug",
    "Field",
    "FieldError",
    "FieldType",
    "Kind",
    "Ledger",
    "UserError",
    "ValidationError",
    "kind_named",
]
