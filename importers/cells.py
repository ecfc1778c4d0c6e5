"""One spreadsheet cell as a value for a field, read the way the forms read typed text.

Plus what spreadsheets do: Excel serial dates, a year typed as a number, ".", "Not given" or "undisclosed" for
unknown, "unclear, 10/2022".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from storage import Field, FieldType, UserError
from storage.records import clean_choice
from storage.values import fold, parse_date

from .reading import UNCALCULATED, CellError

# Cell texts that mean "not known": read as empty and counted, not refused.
EMPTY_WORDS = {
    ".",
    "-",
    "–",
    "—",
    "?",
    "n/a",
    "na",
    "n a",
    "none",
    "nil",
    "not given",
    "not available",
    "not specified",
    "not known",
    "unknown",
    "undisclosed",
    "unclear",
    "tbd",
    "tba",
    "no data",
    "no information",
    "x",
}
# Words before a value that make it vaguer, not wrong: "unclear, 10/2022" is October 2022, partly known.
_VAGUE_PREFIX = re.compile(
    r"^(unclear|approx\.?|approximately|around|about|circa|ca\.?|est\.?|estimated|reportedly|possibly|probably)"
    r"\s*[,:;]?\s*",
    re.IGNORECASE,
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^\s*(?:\w+\s+)?(\d{1,2})[./-](\d{1,2})[./-](\d{4})")

EMPTY, PARTIAL, OTHER = "empty", "partial", "other"
_READS_VAGUE = (FieldType.DATE, FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER)


class ErrorCellValue(UserError, ValueError):
    """A cell that holds an Excel error (#REF!, #DIV/0!) where a value was meant to be.

    A ``ValueError`` too, as every cell that cannot be read for a field is: the plan reports it on its row and column.
    """

    def __init__(self, cell: CellError) -> None:
        if cell.code == UNCALCULATED:
            message = "a formula that was never calculated (saved by a program that does not compute formulas):"
            super().__init__(f"{message} open and save it in a spreadsheet program, or type the value")
        else:
            super().__init__(f"an Excel error ({cell.code}), not a value: correct the formula or type the value")
        self.code = cell.code


def month_first(values: Sequence[Any]) -> bool:
    """Whether a column writes dates month first (3/16/2022, as US trackers do): a middle part over 12 says so."""
    months_first = days_first = 0
    for value in values:
        if isinstance(value, str):
            m = _DMY.match(value)
            if m:
                a, b = int(m[1]), int(m[2])
                months_first += b > 12
                days_first += a > 12
    return months_first > days_first


def _unknown(text: str) -> bool:
    """Whether a cell's text says the value is not known: ".", "-", "Not given", "undisclosed"."""
    key = fold(text).strip(" .")
    return not key or key in EMPTY_WORDS


def to_raw(f: Field, value: Any, *, dates_month_first: bool = False) -> tuple[Any, str | None]:
    """A cell's value as the raw value storage validates for field ``f``, and a note.

    The note is EMPTY (an "unknown" word), PARTIAL (a vague value kept in part), OTHER (a choice not in the
    vocabulary, read as "other"), or None.

    Raises:
        ErrorCellValue: the cell is an Excel error, for any field.
        ValueError: the value cannot be read for this field.
    """
    if isinstance(value, CellError):  # its value was lost in the workbook: never read as empty
        raise ErrorCellValue(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    t = f.type
    note = None
    # "Not given" or "unclear, 10/2022" stand for values; in free text, choices and names they are just words.
    if isinstance(value, str) and t in _READS_VAGUE:
        if _unknown(value):
            return None, EMPTY
        stripped = _VAGUE_PREFIX.sub("", value.strip())
        if stripped != value.strip():
            note = PARTIAL
        if not stripped:
            return None, EMPTY
        value = stripped
    elif isinstance(value, str) and t is FieldType.REF and _unknown(value):
        return None, EMPTY
    if t is FieldType.DATE:
        return _date(value, dates_month_first), note
    if t is FieldType.CHOICE:
        try:
            return clean_choice(f, value), note
        except ValueError:
            if "other" in f.vocab:
                return "other", OTHER
            raise
    if t in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.URL, FieldType.CURRENCY, FieldType.REF):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, dt.datetime):
            value = value.date()
        return (value.isoformat() if isinstance(value, dt.date) else str(value)), note
    return value, note


def _date(value: Any, dates_month_first: bool) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return parse_date(value)  # a real date in the sheet is a full date
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return str(int(value))  # a year typed as a number
        if 10_000 < value < 80_000:  # an Excel serial date that reached us as a number (CSV, some writers)
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        raise ValueError(f"{value!r} is not a date")
    return parse_date(str(value), month_first=dates_month_first)
