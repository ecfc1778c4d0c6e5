"""How one stored value becomes a spreadsheet cell, shared by the Excel and CSV exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from storage import FieldType
from storage.query import Column

EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_URLS = 65_530
# Text that Excel, LibreOffice or Google Sheets would run as a formula when it starts a cell (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# What a CSV export puts before such a text (OWASP's guard), and before a text that starts with it already: so the
# import takes off exactly one, and "'+1" (a real apostrophe) comes back as "'+1", not as "+1".
GUARD = "'"
# The end of a cell whose text was longer than Excel allows; the import never writes such a cell back.
SHORTENED_MARK = " […shortened by Aid Ledger: {n:,} characters in the database]"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def guarded(text: str) -> str:
    """Text for a CSV cell: a formula-like text, or one that starts with the guard, gets the guard before it."""
    return GUARD + text if text.startswith((*FORMULA_STARTS, GUARD)) else text


def unguarded(text: str) -> str:
    """A CSV cell's text as it was before ``guarded``: one guard taken off when a formula start or a guard follows."""
    if text.startswith(GUARD) and text[1:].startswith((*FORMULA_STARTS, GUARD)):
        return text[1:]
    return text


def shorten(text: str) -> str:
    """Text cut to fit one Excel cell, ending with a mark that says so and how long it was."""
    mark = SHORTENED_MARK.format(n=len(text))
    return text[: EXCEL_MAX_CHARS - len(mark)] + mark


def is_shortened(text: object) -> bool:
    return isinstance(text, str) and text.endswith("characters in the database]") and "…shortened by Aid Ledger" in text


def choice_label(value: str) -> str:
    return value[:1].upper() + value[1:]


def cell_value(col: Column, value: Any) -> Any:
    """The value as a spreadsheet shows it: a full date as a date, a choice in sentence case, a flag as yes/no,
    numbers as numbers, and everything else as text. Partial dates stay ISO text ("2024-10")."""
    if value is None:
        return None
    f = col.field
    if f is None:
        return str(value)
    if f.type is FieldType.DATE:
        text = str(value)
        return dt.date.fromisoformat(text) if len(text) == 10 else text
    if f.type is FieldType.CHOICE:
        return choice_label(str(value))
    if f.type is FieldType.BOOL:
        return "yes" if value else "no"
    if f.type in (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER):
        return value if isinstance(value, int | float) else str(value)
    return str(value)
