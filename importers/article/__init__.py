"""The article assistant: reads a news article and proposes the records it holds, as drafts to accept or drop.

``extract_text`` and ``extract_file`` give an ``Extraction`` (the article as a source draft, then its drafts, each
checked against the database for a record it repeats); ``apply`` adds the chosen drafts in one batch, each citing
the article with its sentence as the quote, and a draft that repeats a record adds the citation to that record
instead of a copy. The command line (``extract``), the window (File > New from article) and the scorer in
``make bench`` share these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage import Ledger

from . import mentions as mm
from .drafts import Draft, extract
from .duplicates import check_duplicates
from .reading import Article, from_text, read_file

__all__ = [
    "Article",
    "Draft",
    "Extraction",
    "apply",
    "extract_file",
    "extract_text",
    "make_missing_actors",
    "missing_actors",
    "read_file",
    "record_source",
]

MIN_CONFIDENCE = 0.8  # what ``extract --apply`` adds by default (decisions.md, "The assistant")


@dataclass
class Extraction:
    """An article read: its text and source draft, and the drafts of the records it holds."""

    article: Article
    drafts: list[Draft]

    @property
    def source(self) -> Draft:
        """The article itself, as a draft of a source."""
        return self.drafts[0]

    def as_json(self) -> dict[str, Any]:
        """What ``extract --json`` prints: the source's fields, and the drafts."""
        source = {k: v for k, v in self.source.fields.items() if k != "full_text"}
        return {
            "source": source,
            "source_duplicate_of": self.source.duplicate_of,
            "drafts": [d.as_json() for d in self.drafts[1:]],
        }


ITEMS_KNOWN = 5000  # the database's most recorded items the assistant looks for in an article, with their category


def database_names(ledger: Ledger) -> mm.Gazetteer:
    """The actors the database holds (by name and alias) and its most recorded items, for an article's words.

    Built once and kept until an actor or an item is written (``records.touch_caches``): a million records are
    read for it once, not for every article.
    """
    actors, items = ledger.cache("gazetteer:actors"), ledger.cache("gazetteer:aid")
    if "" not in actors:
        actors[""] = _actor_names(ledger)
    if "" not in items:
        items[""] = _item_names(ledger)
    g = mm.Gazetteer()
    for part in (items[""], actors[""]):  # an actor's name wins where an item has the same
        assert isinstance(part, mm.Gazetteer)
        g.entries.update(part.entries)
    return g


def _item_names(ledger: Ledger) -> mm.Gazetteer:
    g = mm.Gazetteer()
    for item, category in ledger.conn.execute(
        "SELECT item, category FROM aid WHERE category IS NOT NULL AND category <> 'other' AND length(item) <= 40"
        f" GROUP BY item ORDER BY count(*) DESC LIMIT {ITEMS_KNOWN}"
    ):
        if len(item.split()) <= 4:
            g.add(item, mm.Entry("equipment", category, role="system"))
    return g


def _actor_names(ledger: Ledger) -> mm.Gazetteer:
    g = mm.Gazetteer()
    for rid, name, kind, aliases, country in ledger.conn.execute(
        "SELECT a.id, a.name, a.type, a.aliases, c.name FROM actors a LEFT JOIN actors c ON c.id = a.country_id"
    ):
        if kind == "unknown":
            continue
        entry = mm.Entry(kind or "organisation", name, country=country or "", known=rid)
        names = [n.strip() for n in [name, *(aliases or "").split(";")] if n.strip()]
        if kind == "country":  # "Türkiye", "Turkish" and "Turkey" are the database's "Turkey"
            same = {mm.countries().get(n) for n in names} - {None}
            names += [other for other, canonical in mm.countries().items() if canonical in same]
        for n in names:
            g.add(n, entry)
    return g


def extract_text(
    ledger: Ledger,
    text: str | Article,
    *,
    published_on: str | None = None,
    on_draft: Callable[[Draft], None] | None = None,
) -> Extraction:
    """Read an article's text (pasted, or an ``Article`` read from a file) against what the database holds."""
    from storage import records as rec

    article = from_text(text) if isinstance(text, str) else text

    def known(kind: str, name: str) -> int | None:
        ids = rec.find_ids(ledger, kind, name)
        return ids[0] if len(ids) == 1 else None

    def made(d: Draft) -> None:  # each draft checked and shown as it comes; events may still gain participants
        check_duplicates(ledger, [d])
        if on_draft is not None:
            on_draft(d)

    drafts = extract(article, published_on=published_on, known=known, gazetteer=database_names(ledger), on_draft=made)
    check_duplicates(ledger, [d for d in drafts if d.kind == "events"])  # with every participant known
    return Extraction(article, drafts)


def extract_file(ledger: Ledger, path: Path, *, published_on: str | None = None) -> Extraction:
    """Read an article from a .txt, .html, .eml or .pdf file.

    Raises:
        UserError: the file cannot be read.
    """
    return extract_text(ledger, read_file(path), published_on=published_on)


def missing_actors(ledger: Ledger, draft: Draft) -> list[tuple[str, str]]:
    """The actors ``draft`` names that the database does not hold yet: (name, the type they would be made as)."""
    from .accept import missing_actors as missing

    return missing(ledger, draft.kind, draft.fields)


def make_missing_actors(ledger: Ledger, draft: Draft) -> list[str]:
    """Make the actors ``draft`` names that are not here yet, inside the caller's batch; their names."""
    from .accept import make_missing_actors as make

    return make(ledger, draft.kind, draft.fields)


def record_source(ledger: Ledger, extraction: Extraction) -> int:
    """The article as a source, found or made inside the caller's batch; the extraction then names it."""
    from .accept import record_source as record

    return record(ledger, extraction)


def apply(ledger: Ledger, extraction: Extraction, chosen: Iterable[Draft]) -> dict[str, int]:
    """Add the chosen drafts in one batch (one undo step), each citing the article; the counts of what was done."""
    from .accept import accept

    return accept(ledger, extraction, list(chosen))
