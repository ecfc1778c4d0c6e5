"""A draft record as people read it: its title, its fields written out, and what was guessed and why.

Shared by the list of drafts, the selected draft's field table and the article window, so that a draft reads the
same in each.
"""

from __future__ import annotations

from importers.article import Draft
from storage import KINDS_BY_NAME, FieldType
from storage.values import format_date, format_number


def _short_number(value: float) -> str:
    """641000000 -> "641 million": amounts as articles write them."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.3f}".rstrip("0").rstrip(".") + f" {word}"
    return format_number(value)


def shown_value(d: Draft, name: str, *, short: bool = False) -> str:
    """A draft's field as people read it: dates and amounts written out, participants with their roles."""
    value = d.fields.get(name)
    kind = KINDS_BY_NAME[d.kind]
    f = kind.field(name)
    if isinstance(value, list):
        return "; ".join(f"{x.get('name')} ({x['role']})" if x.get("role") else str(x.get("name")) for x in value)
    if f.type is FieldType.DATE and isinstance(value, str):
        return format_date(value)
    if f.type is FieldType.AMOUNT and isinstance(value, int | float):
        qualifier = str(d.fields.get(f.qualifier) or "") if f.qualifier else ""
        number = _short_number(value) if short else format_number(value)
        parts = [qualifier if qualifier != "exact" else "", str(d.fields.get("currency") or ""), number]
        return " ".join(p for p in parts if p)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def draft_title(d: Draft) -> str:
    """What names a draft in the list: its title field (a total: whose, and what it measures)."""
    kind = KINDS_BY_NAME[d.kind]
    if d.kind == "totals":
        return f"{d.fields.get('subject') or '?'}: {d.fields.get('measure') or 'total'}"
    return str(d.fields.get(kind.title_field) or kind.singular)


def guessed_reasons(d: Draft) -> list[str]:
    """What was guessed and why, each led by its field's label rather than its identifier."""
    kind = KINDS_BY_NAME[d.kind]
    out = []
    for reason in d.guessed:
        name, sep, why = reason.partition(":")
        try:
            out.append(f"{kind.field(name.strip()).label}:{why}" if sep else reason)
        except KeyError:
            out.append(reason)
    return out


def guessed_fields(d: Draft) -> set[str]:
    """The names of the fields the rules guessed rather than read."""
    return {g.partition(":")[0].strip() for g in d.guessed if ":" in g}
