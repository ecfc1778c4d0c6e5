"""Full-text search over the records, accent- and case-insensitive ("Kasciunas" finds "Kasčiūnas")."""

from __future__ import annotations

import re

from .database import Ledger
from .kinds import DISPLAY_ORDER, KINDS_BY_NAME, Kind
from .records import kind_of
from .schema import q

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """An FTS5 query that matches records holding every word of ``text``, each word as a prefix.

    Words are quoted, so what the user types is never read as FTS5 syntax. None when there is no word.
    """
    tokens = _TOKEN.findall(text)
    if not tokens:
        return None
    return " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)


def search_ids(ledger: Ledger, kind: Kind | str, text: str, *, limit: int | None = None) -> list[int]:
    """Row ids of the records of ``kind`` that match ``text``, best match first."""
    kind = kind_of(kind)
    query = fts_query(text)
    if query is None:
        return []
    sql = f"SELECT rowid FROM {q(kind.name + '_fts')} WHERE {q(kind.name + '_fts')} MATCH ? ORDER BY rank"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in ledger.conn.execute(sql, (query,))]


def search_all(ledger: Ledger, text: str, *, limit_per_kind: int = 50) -> dict[str, list[int]]:
    """Matches of ``text`` in every kind, by kind name; kinds without a match are left out."""
    found = {}
    for name in DISPLAY_ORDER:
        ids = search_ids(ledger, KINDS_BY_NAME[name], text, limit=limit_per_kind)
        if ids:
            found[name] = ids
    return found
