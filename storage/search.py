"""Full-text search over the records, accent- and case-insensitive ("Kasciunas" finds "Kasčiūnas")."""

from __future__ import annotations

import re

from .database import Ledger
from .kinds import Kind
from .records import kind_of
from .schema import q

_TOKEN = re.compile(r"\w+", re.UNICODE)
# An empty phrase: a query that FTS5 accepts and that no record matches.
NOTHING = '""'


def words(text: str) -> list[str]:
    """The words of ``text`` that a search looks for: runs of letters and digits (symbols and emoji are not)."""
    return [token for token in _TOKEN.findall(text) if token.strip("_")]


def has_words(text: str) -> bool:
    """Whether ``text`` holds anything to search for; a search made only of symbols (``*``, ``(``) does not."""
    return bool(words(text))


def fts_query(text: str) -> str | None:
    """An FTS5 query that matches records holding every word of ``text``, each word as a prefix.

    Words are quoted, so what the user types is never read as FTS5 syntax. None when ``text`` is blank (no
    search: every record); ``NOTHING`` when it holds only symbols, which no record matches (a search for ``*``
    must not find everything).
    """
    if not text.strip():
        return None
    tokens = words(text)
    if not tokens:
        return NOTHING
    return " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)


def search_ids(ledger: Ledger, kind: Kind | str, text: str, *, limit: int | None = None) -> list[int]:
    """Row ids of the records of ``kind`` that match ``text``, best match first."""
    kind = kind_of(kind)
    query = fts_query(text)
    if query is None or query == NOTHING:
        return []
    sql = f"SELECT rowid FROM {q(kind.name + '_fts')} WHERE {q(kind.name + '_fts')} MATCH ? ORDER BY rank"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [row[0] for row in ledger.conn.execute(sql, (query,))]
