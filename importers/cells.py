"""One spreadsheet cell as a value for a field, read the way the forms read typed text.

Plus what spreadsheets do: Excel serial dates, a year typed as a number, ".", "Not given" or "undisclosed" for
unknown in any field, vague dates ("until 3/16/2022", "not specified, 03/22"), and numbers in a column's own style.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any

from storage import Field, FieldType, UserError
from storage.records import clean_choice
from storage.values import (
    Money,
    NumberStyle,
    VagueDate,
    fold,
    parse_integer,
    parse_money,
    parse_number,
    parse_vague_date,
)

from .reading import UNCALCULATED, CellError

# The null markers of the field's files: in any field, text and yes/no included, they mean "not known". Compared
# folded and without spaces ("Not  Given", "N / A"); a cell of dots, dashes and question marks only is one too.
NULL_MARKERS = {
    ".",
    "-",
    "–",
    "—",
    "?",
    "n/a",
    "n.a",
    "not given",
    "not available",
    "not applicable",
    "not specified",
    "unspecified",
    "not known",
    "unknown",
    "undisclosed",
    "not disclosed",
    "no data",
    "no information",
}
# Cell texts that mean "not known" in a value (a date, an amount, a number, a reference): the null markers and words
# that could be real text elsewhere ("None" as a note, "x" as a yes). Read as empty and counted, not refused.
EMPTY_WORDS = NULL_MARKERS | {
    "na",
    "n a",
    "none",
    "nil",
    "unclear",
    "tbd",
    "tba",
    "x",
}
_UNDISCLOSED = {"undisclosed", "notdisclosed"}
_NULL_KEYS = {w.replace(" ", "") for w in NULL_MARKERS}
_EMPTY_KEYS = {w.replace(" ", "") for w in EMPTY_WORDS}
_PUNCTUATION_ONLY = re.compile(r"[-–—.?_/]+")
_LONGEST_MARKER = max(len(w) for w in EMPTY_WORDS) + 8  # room for stray spaces and dots
# Words before a value that make it vaguer, not wrong: "unclear, 10/2022" is October 2022, partly known.
_VAGUE_PREFIX = re.compile(
    r"^(unclear|approx\.?|approximately|around|about|circa|ca\.?|est\.?|estimated|reportedly|possibly|probably)"
    r"\s*[,:;]?\s*",
    re.IGNORECASE,
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^\s*(?:\w+\s+)?(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2}\b)")

# The notes ``to_raw`` gives, for the plan to count: every one of them is a key of ``Plan.notes``.
EMPTY, PARTIAL, OTHER, UNDISCLOSED = "empty", "partial", "other", "undisclosed"
NOTES = (EMPTY, PARTIAL, OTHER, UNDISCLOSED)
_READS_VAGUE = (FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER)
# Fields where any word of ``EMPTY_WORDS`` means unknown; in the others only the null markers do.
_VALUE_TYPES = (FieldType.DATE, FieldType.AMOUNT, FieldType.NUMBER, FieldType.INTEGER, FieldType.REF)


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


def unknown_note(value: object, field_type: FieldType | None = None) -> str | None:
    """The note for a cell that says its value is not known, or None for any other cell.

    Fast enough for every cell of a big file: only short text is looked at.

    Args:
        value: the cell's value.
        field_type: the field it is read for. In a date, an amount, a number or a reference, "none", "nil", "x" or
            "unclear" mean unknown as well (``EMPTY_WORDS``); elsewhere (text, a choice, yes/no) only the null
            markers do (``NULL_MARKERS``). None: the null markers.

    Returns:
        UNDISCLOSED for "undisclosed" (known to exist, kept secret), EMPTY for the other markers, None when the cell
        holds a value (or is blank: blank is no note).
    """
    if type(value) is not str or len(value) > _LONGEST_MARKER or not value.strip():
        return None
    return _marker_note(value, field_type in _VALUE_TYPES)


@functools.lru_cache(maxsize=4096)  # a file repeats its short cells ("Yes", ".", "2022") on thousands of rows
def _marker_note(value: str, in_value: bool) -> str | None:
    key = fold(value).strip(" .").replace(" ", "")
    if not key or _PUNCTUATION_ONLY.fullmatch(key):
        return EMPTY
    if key in _UNDISCLOSED:
        return UNDISCLOSED
    if key in (_EMPTY_KEYS if in_value else _NULL_KEYS):
        return EMPTY
    return None


def read_date(value: Any, *, month_first: bool = False) -> VagueDate | None:
    """A cell read as a date, as far as it is known: a vague date keeps its qualifier and its text.

    Takes what ``parse_vague_date`` takes, and what spreadsheets hold: an Excel serial date that reached us as a
    number, a year typed as a number, a null marker (None).

    Args:
        value: the cell's value (not an Excel error: ``to_raw`` refuses those first).
        month_first: the column writes dates month first (``month_first``).

    Raises:
        ValueError: not a date, a date that does not exist ("06/31/2022"), or a year outside 1900-2100.
    """
    if isinstance(value, str) and unknown_note(value, FieldType.DATE):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and not (1900 <= value <= 2100):
        if 10_000 < value < 80_000:  # an Excel serial date that reached us as a number (CSV, some writers)
            return VagueDate((_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat())
        raise ValueError(f"{value!r} is not a date")
    return parse_vague_date(value, month_first=month_first)


def to_raw(
    f: Field,
    value: Any,
    *,
    dates_month_first: bool = False,
    number_style: NumberStyle = "auto",
    undisclosed_note: bool = False,
) -> tuple[Any, str | None]:
    """A cell's value as the raw value storage validates for field ``f``, and a note.

    The note is EMPTY (a null marker: unknown), UNDISCLOSED ("undisclosed": unknown, kept secret by the source;
    only with ``undisclosed_note``, else EMPTY), PARTIAL (a vague value kept in part: "unclear, 10/2022", "early
    October 2024", "04/22"), OTHER (a choice not in the vocabulary, read as "other"), or None. A date that a bound
    or a range gives ("until 3/16/2022") is its ISO date with no note: its qualifier says the rest, and
    ``read_date`` gives it with the text as written.

    Null markers mean unknown in every field, text included. Numbers are read strictly, in the column's style.

    Args:
        f: the field.
        value: the cell's value.
        dates_month_first: the column writes dates month first (``month_first``).
        number_style: the column's number style (``storage.values.number_style``). "auto" reads each cell alone.
        undisclosed_note: give "undisclosed" its own note, UNDISCLOSED, for a plan that counts every note of
            ``NOTES``; without it, "undisclosed" is EMPTY like the other markers.

    Raises:
        ErrorCellValue: the cell is an Excel error, for any field.
        ValueError: the value cannot be read for this field ("1.000.00", "dozens" or "216.67" for a quantity, a
            date that does not exist); the message quotes the cell.
    """
    if isinstance(value, CellError):  # its value was lost in the workbook: never read as empty
        raise ErrorCellValue(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    t = f.type
    note = None
    if isinstance(value, str):
        unknown = unknown_note(value, t)
        if unknown and not (t is FieldType.CHOICE and _in_vocab(f, value)):  # a choice may be called "unknown"
            return None, unknown if undisclosed_note else EMPTY
    if t is FieldType.DATE:
        date = read_date(value, month_first=dates_month_first)
        if date is None:
            return None, EMPTY
        return date.iso, PARTIAL if date.inferred and date.qualifier is None else None
    # "unclear, 100000" stands for a value; in free text, choices and names such words are just words.
    if isinstance(value, str) and t in _READS_VAGUE:
        stripped = _VAGUE_PREFIX.sub("", value.strip())
        if stripped != value.strip():
            note = PARTIAL
        if not stripped:
            return None, EMPTY
        value = stripped
    if t is FieldType.INTEGER:
        return parse_integer(value, style=number_style), note
    if t is FieldType.NUMBER:
        return parse_number(value, style=number_style), note
    if t is FieldType.AMOUNT:
        money = parse_money(value, style=number_style)  # refused here, with the cell's text, if it cannot be read
        if number_style == "auto" or not isinstance(value, str) or money is None:
            return value, note
        return _money_text(money), note  # read in the column's style: handed on in a form any style reads alike
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


def _in_vocab(f: Field, value: str) -> bool:
    try:
        return clean_choice(f, value) is not None
    except ValueError:
        return False


def _money_text(money: Money) -> str:
    """Money as text that ``parse_money`` reads back the same in any style: "over EUR 641000000"."""
    amount = money.amount
    digits = str(amount) if isinstance(amount, int) else f"{amount:f}".rstrip("0").rstrip(".")
    qualifier = "exactly" if money.qualifier == "exact" else money.qualifier
    return " ".join(part for part in (qualifier, money.currency, digits) if part)
