"""Drafts accepted: added in one batch, each citing the article with the words it came from.

The article becomes a source (or is found as one). Actors come first, so that the records naming them find them; a
name no accepted actor draft gives (a donor the person kept while dropping its actor draft) is made as the field
that names it makes one (a country for a donor, a person for a participant). A draft that repeats a stored record
adds the article to that record's sources instead.
"""

from __future__ import annotations

from typing import Any

from storage import KINDS_BY_NAME, FieldType, Ledger
from storage import records as rec

from . import Extraction
from .drafts import Draft

ORDER = ("actors", "packages", "aid", "events", "agreements", "totals")
INTERNAL = ("full_text",)


def _values(d: Draft) -> dict[str, Any]:
    return {k: v for k, v in d.fields.items() if v not in (None, "", [])}


def missing_actors(ledger: Ledger, kind: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The actors a draft's values name that the database does not hold: (name, the type to make it as)."""
    names: dict[str, str] = {}
    for f in KINDS_BY_NAME[kind].all_fields:
        if f.type is FieldType.REF and f.ref == "actors" and values.get(f.name):
            names.setdefault(str(values[f.name]), f.creates or "organisation")
        elif f.type is FieldType.LINKS and f.link and f.link.target == "actors":
            for item in values.get(f.name) or []:
                names.setdefault(str(item.get("name") or item.get("actor") or ""), f.creates or "person")
    return [(n, t) for n, t in names.items() if n and not rec.find_ids(ledger, "actors", n)]


def make_missing_actors(ledger: Ledger, kind: str, values: dict[str, Any]) -> list[str]:
    """Make the actors a draft's values name that are not here yet (inside the caller's batch); their names."""
    made = missing_actors(ledger, kind, values)
    for name, type_ in made:
        rec.insert(ledger, "actors", {"name": name, "type": type_}, where=f"the name '{name}'")
    return [n for n, _ in made]


def record_source(ledger: Ledger, extraction: Extraction) -> int:
    """The article as a source: the one the database holds, or a new one (inside the caller's batch); its row id.

    The extraction then names it, so that every later draft accepted cites the same source.
    """
    source = extraction.source
    if source.duplicate_of is None:
        source.duplicate_of = rec.insert(ledger, "sources", _values(source), where="the article")
    return source.duplicate_of


def accept(ledger: Ledger, extraction: Extraction, chosen: list[Draft]) -> dict[str, int]:
    """Add ``chosen`` (drafts of ``extraction``) in one batch; counts of records added and of citations added.

    The article's source is made first (or found), and the extraction then names it (``record_source``); the
    counts say its row id as ``source_id``.

    Raises:
        ValidationError: a draft's values do not fit its fields (a correction gone wrong); nothing is written.
    """
    text = extraction.article.text
    done = {"added": 0, "cited": 0, "actors made": 0}
    with ledger.batch("Add records from an article"):
        new_source = extraction.source.duplicate_of is None
        source_id = record_source(ledger, extraction)
        done["added"] += new_source
        done["source_id"] = source_id
        for kind in ORDER:
            for d in chosen:
                if d.kind != kind:
                    continue
                citation = {"target": source_id, "quote": d.quote(text)}
                if d.duplicate_of is not None:
                    current = rec.get(ledger, kind, d.duplicate_of)["sources"]
                    if any(link["target_id"] == source_id for link in current):
                        continue
                    links = [{"target": link["target_id"], "quote": link.get("quote")} for link in current]
                    rec.update(ledger, kind, d.duplicate_of, {"sources": [*links, citation]})
                    done["cited"] += 1
                    continue
                values = _values(d)
                if kind == "actors" and rec.find_ids(ledger, "actors", values.get("name", "")):
                    continue  # made meanwhile, as another draft's donor
                if kind == "actors" and values.get("country") and not rec.find_ids(ledger, "actors", values["country"]):
                    rec.insert(ledger, "actors", {"name": values["country"], "type": "country"})
                    done["actors made"] += 1
                done["actors made"] += len(make_missing_actors(ledger, kind, values))
                for f in KINDS_BY_NAME[kind].fields:  # a package dropped while its items were kept: none named
                    if f.type is FieldType.REF and f.ref != "actors" and values.get(f.name):
                        if not rec.find_ids(ledger, f.ref or "", values[f.name]):
                            values.pop(f.name)
                values["sources"] = [citation]
                rec.insert(ledger, kind, values, where=f"the draft '{_title(d)}'")
                done["added"] += 1
    return done


def _title(d: Draft) -> str:
    kind = KINDS_BY_NAME[d.kind]
    return str(d.fields.get(kind.title_field) or kind.singular)
