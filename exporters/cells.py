"""How one stored value becomes a spreadsheet cell, shared by the Excel and CSV exports."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from storage import FieldType
from storage.query import Column
from storage.workbook import FORMULA_STARTS, SHORTENED_MARK

EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_URLS = 65_530


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula (it starts with =, +, - or @ and so on)."""
    return text.startswith(FORMULA_STARTS)


def shorten(text: str) -> str:
    """Text cut to fit one Excel cell, ending with a mark that says so and how long it was."""
    mark = SHORTENED_MARK.format(n=len(text))
    return text[: EXCEL_MAX_CHARS - len(mark)] + mark


def choice_label(value: str) -> str:
    """A vocabulary value as a cell shows it, in sentence case ("donation" as "Donation")."""
    return value[:1].upper() + value[1:]


def cell_value(col: Column, value: Any) -> Any:
    """The value as a spreadsheet shows it.

    A full date as a date, a choice in sentence case, a flag as yes/no, numbers as numbers, and everything else as
    text. Partial dates stay ISO text ("2024-10").
    """
    if value is None:
        return None
    f = col.field
    if f is None:  # the ID, the last update, or an extra value (which keeps its numbers as numbers)
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return value
        return str(value)
    if f.type is FieldType.DATE:
        text = str(value)
        if len(text) == 10:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:  # a date the app never writes (2024-19-39; `check` names it): shown as it is
                return text
        return text
    if f.type is FieldType.CHOICE:
        return choice_label(str(value))
    if f.type is FieldType.BOOL:
        return "yes" if value else "no"
    if f.type in (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER):
        if isinstance(value, float) and not math.isfinite(value):  # 1e400 stored behind the app's back
            return str(value)
        return value if isinstance(value, int | float) else str(value)
    return str(value)
