"""What an Aid Ledger workbook promises, read by the exporters that write it and the importers that take it back.

The sheets' names, the hidden sheet's facts, the mark on a text cut to fit a cell, the formula guard of a CSV, and
the labels of the ID and last-update columns: written in one place so that the two sides cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .kinds import ID_LABEL, UPDATED_LABEL, Kind

__all__ = [
    "EXPORT_FORMAT",
    "FORMULA_STARTS",
    "GUARD",
    "ID_LABEL",
    "LISTS_SHEET",
    "META_SHEET",
    "SHORTENED_MARK",
    "UPDATED_LABEL",
    "DamagedExport",
    "guarded",
    "is_own_export_of",
    "is_shortened",
    "read_meta",
    "unguarded",
]

# The hidden sheet that names a workbook an Aid Ledger export, and the hidden sheet of the pick lists' values.
META_SHEET = "AidLedger"
LISTS_SHEET = "Lists"
EXPORT_FORMAT = "aid-ledger-export"

# Text that Excel, LibreOffice or Google Sheets would run as a formula when it starts a cell (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# What a CSV export puts before such a text (OWASP's guard), and before a text that starts with it already: so the
# import takes off exactly one, and "'+1" (a real apostrophe) comes back as "'+1", not as "+1".
GUARD = "'"
# The end of a cell whose text was longer than Excel allows; the import never writes such a cell back.
SHORTENED_MARK = " […shortened by Aid Ledger: {n:,} characters in the database]"


class DamagedExport(Exception):
    """The hidden sheet says the workbook is an Aid Ledger export, but what it holds cannot be read."""


def guarded(text: str) -> str:
    """Text for a CSV cell: a formula-like text, or one that starts with the guard, gets the guard before it."""
    return GUARD + text if text.startswith((*FORMULA_STARTS, GUARD)) else text


def unguarded(text: str) -> str:
    """A CSV cell's text as it was before ``guarded``: one guard taken off when a formula start or a guard follows."""
    if text.startswith(GUARD) and text[1:].startswith((*FORMULA_STARTS, GUARD)):
        return text[1:]
    return text


def is_shortened(text: object) -> bool:
    """Whether a cell's text is one the export cut to fit Excel (it must never replace the full text)."""
    return isinstance(text, str) and text.endswith("characters in the database]") and "…shortened by Aid Ledger" in text


def read_meta(rows: Sequence[Sequence[Any]]) -> dict[str, Any] | None:
    """The hidden sheet's facts, ``kinds`` and ``filtered`` decoded; None when the rows do not name the format.

    Raises:
        DamagedExport: the rows name the export format, but its facts are not what the app writes.
    """
    meta: dict[str, Any] = {str(r[0]): str(r[1]) for r in rows if len(r) >= 2 and r[0] is not None}
    if meta.get("format") != EXPORT_FORMAT:
        return None
    for key, kind in (("kinds", list), ("filtered", dict)):
        try:
            meta[key] = json.loads(meta.get(key, "null"))
        except ValueError:
            raise DamagedExport(f"its '{key}' is not JSON") from None
        if not isinstance(meta[key], kind):
            raise DamagedExport(f"its '{key}' is not a {'list' if kind is list else 'mapping'}")
    if not all(isinstance(k, str) for k in meta["kinds"]):
        raise DamagedExport("its 'kinds' are not names")
    if "last_ids" in meta:  # written since schema version 2
        try:
            meta["last_ids"] = json.loads(meta["last_ids"])
        except ValueError:
            raise DamagedExport("its 'last_ids' is not JSON") from None
        if not isinstance(meta["last_ids"], dict) or not all(isinstance(v, int) for v in meta["last_ids"].values()):
            raise DamagedExport("its 'last_ids' are not record numbers")
    return meta


def is_own_export_of(header: Sequence[Any], kind: Kind) -> bool:
    """Whether a header row is this app's export of ``kind`` (a CSV, with no hidden sheet beside it).

    It is when the ID comes first, the last update last, and the headers between name the kind's title field and
    others of its fields; those that name no field are the records' extra values, under their own headers.
    """
    names = [str(h or "").strip() for h in header]
    while names and not names[-1]:
        names.pop()
    labels = {f.label for f in kind.all_fields}
    between = names[1:-1]
    return (
        len(names) > 2
        and names[0] == ID_LABEL
        and names[-1] == UPDATED_LABEL
        and kind.field(kind.title_field).label in between
        and sum(n in labels for n in between) * 2 > len(between)
    )
