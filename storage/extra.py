"""Extra values: the columns of an imported file that no field takes, kept with the record under their headers.

A record keeps them in one JSON object (``{"Type of Aid Specific": "Weapons and equipment", ...}``), in the file's
column order. The search index holds their text, ``check`` finds a value that is not such an object, the form shows
them, and the export writes each header back as a column of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

from .schema import q

EXTRA = "extra"  # the field that every kind keeps them in


def cell_value(value: Any) -> str | int | float | bool | None:
    """A cell as an extra value keeps it: text as written, numbers as numbers, dates as ISO text; None when blank."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def to_text(values: Mapping[str, Any] | None) -> str | None:
    """The stored form of a record's extra values: a JSON object, or None when there is none."""
    if not values:
        return None
    kept = {str(k): v for k, v in values.items() if v is not None and v != ""}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def key_text(header: str) -> str:
    """The start of one extra value's text in the stored object (``key_text(h) + value_text(v)``, for ``joined``).

    The same for every value of a column: a big file has millions of values, few distinct.
    """
    return encode_basestring(str(header)) + ": "


def value_text(value: Any) -> str:
    """The end of one extra value's text: the value as JSON writes it (text by the encoder's own function, as dumps)."""
    return encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


def joined(pairs: Iterable[str | None]) -> str | None:
    """The stored form of the extra values' texts (``key_text`` + ``value_text``; None for a blank): ``to_text``'s."""
    text = ", ".join(filter(None, pairs))  # (a pair's text is never empty)
    return "{" + text + "}" if text else None


def from_text(text: Any) -> dict[str, Any]:
    """A record's extra values from their stored form (an empty dict for none).

    Raises:
        ValueError: the text is not a JSON object of header: value.
    """
    if text is None or text == "":
        return {}
    if isinstance(text, Mapping):
        values = dict(text)
    else:
        try:
            values = json.loads(str(text))
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a list of header: value ({exc.msg})") from None
    if not isinstance(values, dict):
        raise ValueError("not a list of header: value")
    for header, value in values.items():
        if isinstance(value, dict | list):
            raise ValueError(f"'{header}' holds a list, not one value")
    return values


def clean(value: Any) -> str | None:
    """The stored form of what a form, a file or the command line gives for the extra values.

    Raises:
        ValueError: it is not a JSON object of header: value.
    """
    return to_text(from_text(value))


def display(text: Any) -> str:
    """The extra values on one line, as a table cell shows them: "Type of item: Artillery; Unit price: 4000"."""
    try:
        values = from_text(text)
    except ValueError:
        return str(text)
    return "; ".join(f"{k}: {v}" for k, v in values.items())


def merged(current: Any, given: Mapping[str, Any], headers: list[str]) -> str | None:
    """The extra values after a file with the columns ``headers`` gives ``given``; the others stay as they are.

    A header whose cell is blank in the file loses its value here (the file was edited to leave it out). The order
    and the types of the values here are kept, so an unchanged row reads as unchanged.
    """
    result: dict[str, Any] = {}
    for header, value in from_text(current).items():
        if header not in headers:
            result[header] = value
        elif given.get(header) not in (None, ""):
            written = given[header]
            # a CSV gives every cell as text: "0" is the 0 kept here
            same = isinstance(written, str) and not isinstance(value, str) and written == str(value)
            result[header] = value if same else written
    for header, value in given.items():
        if header not in result and value not in (None, ""):
            result[header] = value
    return to_text(result)


def headers(conn: sqlite3.Connection, table: str, column: str, ids: Sequence[int] | None = None) -> list[str]:
    """The headers of the extra values that records hold, in the order they first appear (an export's columns).

    ``ids`` are the records asked about; all of them when None.
    """
    sql = f"SELECT j.key FROM {q(table)} r, json_each(r.{q(column)}) j WHERE r.{q(column)} IS NOT NULL"
    args: tuple[Any, ...] = ()
    if ids is not None:
        sql += " AND r.id IN (SELECT value FROM json_each(?))"
        args = (json.dumps(list(ids)),)
    sql += " GROUP BY j.key ORDER BY min(r.id), min(j.id)"
    return [key for (key,) in conn.execute(sql, args)]


def column_header(header: str, taken: Collection[str]) -> str:
    """The header an extra value's column gets in an export: its own, unless a field's column has that header."""
    return f"{header} (other column)" if header in taken else header
