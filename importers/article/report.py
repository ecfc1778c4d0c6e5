"""The drafts of an article as ``extract`` prints them for people: one block per draft, sure ones first."""

from __future__ import annotations

from typing import Any

from storage import KINDS_BY_NAME

from . import Extraction
from .drafts import Draft


def _value(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(f"{x.get('name')} ({x['role']})" if x.get("role") else str(x.get("name")) for x in v)
    if isinstance(v, float) and v.is_integer() or isinstance(v, int) and not isinstance(v, bool):
        return f"{int(v):,}"
    return str(v)


def describe(extraction: Extraction, *, min_confidence: float) -> str:
    """Every draft in words: its kind, confidence and fields, the sentence it came from, and what was guessed."""
    source = extraction.source.fields
    lines = [f"Article: {source.get('title', '(no title)')}"]
    said = [f"{k.replace('_', ' ')} {source[k]}" for k in ("publisher", "author", "published_on") if source.get(k)]
    if said:
        lines.append("  " + ", ".join(said))
    if extraction.source.duplicate_of is not None:
        lines.append(f"  {extraction.source.duplicate_note}")
    drafts = extraction.drafts[1:]
    sure = sum(d.confidence >= min_confidence for d in drafts)
    lines.append(f"{len(drafts)} drafts, {sure} at or above confidence {min_confidence:.2f} (what --apply adds)")
    text = extraction.article.text
    for d in sorted(drafts, key=lambda d: -d.confidence):
        lines += ["", *_block(d, text)]
    return "\n".join(lines)


def _block(d: Draft, text: str) -> list[str]:
    kind = KINDS_BY_NAME[d.kind]
    title = d.fields.get(kind.title_field) or kind.singular
    lines = [f"{kind.singular} ({d.confidence:.2f}): {title}"]
    for name, v in d.fields.items():
        if name in (kind.title_field, "uncertain", "uncertain_note", "full_text") or v in (None, "", []):
            continue
        lines.append(f"  {kind.field(name).label}: {_value(v)}")
    quote = d.quote(text)
    if quote:
        lines.append(f"  from: “{quote if len(quote) <= 160 else quote[:157] + '…'}”")
    lines += [f"  guessed: {g}" for g in d.guessed]
    if d.duplicate_of is not None:
        lines.append(
            f"  already recorded (#{d.duplicate_of}): {d.duplicate_note}; accepting adds this article as a source"
        )
    return lines
