"""Finding a sheet's header row and matching its columns to the fields of a record kind.

A column matches a field by the field's identifier or label, by a synonym other trackers use ("Countries" for donor,
"Converted value in EUR" for value in EUR), by a close spelling, and, for a column without a usable header, by what
its values look like. Each field takes one column at most; the user can confirm or change every match.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from storage import Field, FieldType, Kind
from storage.ids import is_uid
from storage.values import fold

FUZZY_CUTOFF = 0.86
HEADER_SEARCH_ROWS = 30


def normal(text: Any) -> str:
    """A header as compared: folded, punctuation and extra spaces gone ("Value (EUR)" -> "value eur")."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(str(text or ""))).split())


@dataclass
class ColumnMatch:
    """How one column of the sheet is read.

    Attributes:
        index: the column, counted from 0.
        header: its header as written ("" when blank).
        field: the field it fills, or None when it is left out.
        how: why: "name", "synonym", "fuzzy", "values", "layout", "user" (also for a column left out), "derived"
            (read by a layout to work out another field), "taken" (the same, the field holding its text), "twice"
            (its header written twice), or "" when unmatched.
    """

    index: int
    header: str
    field: str | None = None
    how: str = ""

    @property
    def name(self) -> str:
        """How the user names the column: its header, or "column 5" when it has none."""
        return self.header or f"column {self.index + 1}"

    @property
    def kept(self) -> bool:
        """Whether the column's cells are kept with each record as extra values: it fills no field.

        So are the columns a layout reads to work out a field of its own ("derived", or "taken" where the field
        holds the text as written); not one the user left out ("user"), nor a header written twice ("twice"), which
        is read for neither column.
        """
        return self.field is None and self.how in ("", "derived", "taken")


@dataclass
class Mapping:
    """The header row and every column's match."""

    header_row: int
    columns: list[ColumnMatch] = field(default_factory=list)

    def field_columns(self) -> dict[str, int]:
        """The column index of each field that a column fills."""
        return {c.field: c.index for c in self.columns if c.field}

    def describe(self) -> str:
        """The columns read, as "Header=field; ..." text: the form that --map takes."""
        return "; ".join(f"{c.name}={c.field}" for c in self.columns if c.field)


_NAMES: dict[int, list[tuple[str, str]]] = {}


def _names(f: Field) -> list[tuple[str, str]]:
    """Every (normal name, how) a field answers to; worked out once per field (fields are constants)."""
    names = _NAMES.get(id(f))
    if names is None:
        names = [(normal(f.name.replace("_", " ")), "name"), (normal(f.label), "name")]
        names += [(normal(s), "synonym") for s in f.synonyms]
        _NAMES[id(f)] = names
    return names


def match_header(kind: Kind, header: str, taken: set[str]) -> tuple[str | None, str]:
    """The field a header names, and how it was matched; (None, "") when none fits."""
    key = normal(header)
    if not key:
        return None, ""
    fields = [f for f in kind.all_fields if f.name not in taken and f.type is not FieldType.EXTRA]
    for how in ("name", "synonym"):
        for f in fields:
            if any(n == key and h == how for n, h in _names(f)):
                return f.name, how
    candidates = {n: f.name for f in fields for n, _ in _names(f)}
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=FUZZY_CUTOFF)
    if close:
        return candidates[close[0]], "fuzzy"
    return None, ""


def header_score(kind: Kind, row: Sequence[Any]) -> int:
    """How much a row looks like this kind's header: how many cells name a field."""
    taken: set[str] = set()
    score = 0
    for cell in row:
        if isinstance(cell, str) and cell.strip():
            name, _ = match_header(kind, cell, taken)
            if name:
                taken.add(name)
                score += 1
    return score


def find_header_row(kind: Kind, rows: Sequence[Sequence[Any]]) -> int:
    """The row (from 0) holding the headers: the one among the first rows that names the most fields."""
    best, best_score = 0, -1
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [c for c in row if isinstance(c, str) and c.strip()]
        if len(texts) < 2:
            continue
        score = header_score(kind, row)
        if score > best_score:
            best, best_score = r, score
    return best


def _merged_headers(row: list[Any], header_row: int, merged: Sequence[tuple[int, int, int, int]]) -> list[Any]:
    """A merged header cell names every column it spans."""
    row = list(row)
    for r1, c1, r2, c2 in merged:
        if r1 <= header_row <= r2 and c1 < len(row) and row[c1] not in (None, ""):
            for c in range(c1 + 1, min(c2 + 1, len(row))):
                if row[c] in (None, ""):
                    row[c] = row[c1]
    return row


def guess(
    kind: Kind,
    rows: Sequence[Sequence[Any]],
    *,
    header_row: int | None = None,
    merged: Sequence[tuple[int, int, int, int]] = (),
) -> Mapping:
    """Match the columns of a sheet to the kind's fields as well as the headers and values allow."""
    header_row = find_header_row(kind, rows) if header_row is None else header_row
    header = _merged_headers(list(rows[header_row]) if header_row < len(rows) else [], header_row, merged)
    width = max((len(r) for r in rows[header_row : header_row + 200]), default=0)
    header += [None] * (width - len(header))
    mapping = Mapping(header_row)
    taken: set[str] = set()
    body = rows[header_row + 1 : header_row + 201]
    for index, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        values = [str(r[index]) for r in body if index < len(r) and r[index] not in (None, "")]
        if values and sum(is_uid(v) for v in values) >= 0.9 * len(values):
            # Aid Ledger's own stable IDs: not a field to fill ("ID" names a package in other trackers).
            mapping.columns.append(ColumnMatch(index, text))
            continue
        name, how = match_header(kind, text, taken)
        if name:
            taken.add(name)
        mapping.columns.append(ColumnMatch(index, text, name, how))
    for column in mapping.columns:
        if column.field is None and not column.header:
            name = _guess_by_values(kind, [r[column.index] for r in body if column.index < len(r)], taken)
            if name:
                taken.add(name)
                column.field, column.how = name, "values"
    # Trailing columns with neither a header nor a value are not columns at all.
    while (
        mapping.columns
        and not mapping.columns[-1].header
        and mapping.columns[-1].field is None
        and not any(len(r) > mapping.columns[-1].index and r[mapping.columns[-1].index] not in (None, "") for r in body)
    ):
        mapping.columns.pop()
    return mapping


_WORD = re.compile(r"[^\W\d_]{4}")


def _guess_by_values(kind: Kind, values: list[Any], taken: set[str]) -> str | None:
    """A field for a column without a header, guessed from its values.

    Long free text is the kind's title (an aid item's description), full dates a date field, big numbers an amount.
    """
    present = [v for v in values if v not in (None, "")]
    if len(present) < 2:
        return None
    texts = [v for v in present if isinstance(v, str)]
    if len(texts) >= 0.8 * len(present):
        distinct = len({fold(t) for t in texts})
        wordy = sum(bool(_WORD.search(t)) for t in texts)  # "Helmets", not a code such as "LT-12"
        if wordy >= 0.8 * len(texts) and distinct >= 0.5 * len(texts) and kind.title_field not in taken:
            return kind.title_field
        return None
    if all(isinstance(v, dt.date) for v in present):
        for f in kind.fields:
            if f.type is FieldType.DATE and f.name not in taken:
                return f.name
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present) and max(present) >= 10_000:
        for f in kind.fields:
            if f.type is FieldType.AMOUNT and f.name not in taken:
                return f.name
    return None


def _pairs(text: str, form: str, *, field_first: bool) -> list[tuple[str, str]]:
    """Text such as "a=b;c=d" as [(a, b), (c, d)].

    The field's side never holds "=", so the split is on the other's side.

    Raises:
        ValueError: a part has no "=".
    """
    pairs = []
    for part in text.split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"'{part.strip()}' is not {form}")
        left, right = part.split("=", 1) if field_first else part.rsplit("=", 1)
        pairs.append((left.strip(), right.strip()))
    return pairs


def _check_field(kind: Kind, name: str) -> None:
    try:
        f = kind.field(name)
    except KeyError:
        f = None
    if f is None or f.type is FieldType.EXTRA:  # a column no field takes goes there by itself
        names = ", ".join(f.name for f in kind.all_fields if f.type is not FieldType.EXTRA)
        raise ValueError(f"{kind.label} has no field '{name}' (fields: {names})") from None


_LETTERS = re.compile(r"[A-Z]{1,3}")


def column_index(letters: str) -> int:
    """A spreadsheet column's letters as its index from 0 ("A" is 0, "AA" is 26)."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def parse_map(text: str, kind: Kind, headers: Sequence[str]) -> dict[str, str]:
    """``--map "Header=field;column 5=field;I=item;status=-"`` as {column: field}, checked against the sheet.

    A column is named by its header, by "column N", or by its letters where headers repeat ("I=item": then the
    key is "#8", its index); the field "-" leaves the column out.

    Raises:
        ValueError: a part is not "Header=field", names no such field, or no such column.
    """
    known = {normal(h): h for h in headers if h}
    result: dict[str, str] = {}
    for header, name in _pairs(text, "Header=field", field_first=False):
        if name != "-":
            _check_field(kind, name)
        if normal(header) in known:
            result[known[normal(header)]] = name
        elif _LETTERS.fullmatch(header) and column_index(header) < len(headers):
            result[f"#{column_index(header)}"] = name
        else:
            raise ValueError(f"the sheet has no column headed '{header}'")
    return result


def parse_defaults(text: str, kind: Kind) -> dict[str, str]:
    """``--set "recipient=Ukraine;status=delivered"`` as {field: value}.

    Raises:
        ValueError: a part is not field=value, or names no field of the kind.
    """
    result: dict[str, str] = {}
    for name, value in _pairs(text, "field=value", field_first=True):
        _check_field(kind, name)
        result[name] = value
    return result


def apply_user_map(mapping: Mapping, user: dict[str, str]) -> None:
    """Let the user's matches replace the guessed ones (a field moved to another column is freed there)."""
    for header, name in user.items():
        for column in mapping.columns:
            if name != "-" and column.field == name and header not in (column.name, f"#{column.index}"):
                column.field, column.how = None, ""
        for column in mapping.columns:
            if header in (column.name, f"#{column.index}"):
                column.field, column.how = (None if name == "-" else name), "user"
