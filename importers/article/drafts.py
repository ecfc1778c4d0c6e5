"""From an article's sentences to draft records.

Aid items and their packages, own procurements, events, agreements, reported totals, new actors and the article
itself as a source.

Rules and gazetteers, no statistical model (decisions.md, "The assistant"): each sentence's mentions (mentions.py),
dates (dates.py) and amounts (amounts.py) are read together with the words that say what happened ("handed over",
"plans to purchase", "signed", "met", "amounts to"). Every field keeps the words it came from, and whatever was
guessed (a donor named only elsewhere in the article, a date taken from the article's own) says so.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storage.values import fold, format_date

from . import amounts as am
from . import dates as dd
from . import mentions as mm
from .reading import Article


@dataclass
class Draft:
    """A record the article seems to hold, for a person to accept, correct or drop.

    Attributes:
        kind: the record kind's name (``aid``, ``packages``, ``events``, ``agreements``, ``totals``, ``actors``,
            ``sources``).
        fields: values by field identifier, as the import takes them (references by name, ISO dates).
        quotes: each field's words in the article.
        spans: where each field's words are in the article's text: (start, end).
        sentence: the sentence the draft came from, as (start, end) in the text.
        confidence: how sure the rules are, from 0 to 1.
        guessed: what was inferred rather than read, each with its reason.
        duplicate_of: the row id of a record already in the database that this draft repeats.
        duplicate_note: what that record is, in words.
        ref: this draft's name among the drafts (a package's, which its items name).
    """

    kind: str
    fields: dict[str, Any]
    quotes: dict[str, str] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    sentence: tuple[int, int] = (0, 0)
    confidence: float = 0.5
    guessed: list[str] = field(default_factory=list)
    duplicate_of: int | None = None
    duplicate_note: str = ""

    def cite(self, name: str, text: str, start: int, end: int) -> None:
        """Note the words of the article that gave field ``name``."""
        self.quotes[name] = text[start:end]
        self.spans[name] = (start, end)

    def quote(self, text: str) -> str:
        """The words the record as a whole came from: its sentence."""
        return " ".join(text[self.sentence[0] : self.sentence[1]].split())

    def as_json(self) -> dict[str, Any]:
        """The draft as ``extract --json`` prints it."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "fields": self.fields,
            "quotes": self.quotes,
            "confidence": round(self.confidence, 2),
            "duplicate_of": self.duplicate_of,
        }
        if self.guessed:
            out["guessed"] = self.guessed
        if self.duplicate_note:
            out["duplicate"] = self.duplicate_note
        return out


@dataclass(frozen=True)
class Sentence:
    """A sentence or a list item of the article, where it is in the text."""

    start: int
    end: int
    text: str
    intro: str = ""  # for a list item: the sentence that opens the list ("The package includes:")
    intro_start: int = -1


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen lt col maj adm sgt no nos vs etc inc ltd jr sr prof rep sen gov u.s u.k e.u approx fig".split()
)
_BULLET = re.compile(r"^\s*(?:[•\-\*–·▪●◦]|\d{1,2}[.)])\s+")


def sentences(text: str) -> list[Sentence]:
    """The article's sentences, list items each on their own, with the sentence that opens their list."""
    found: list[Sentence] = []
    intro, intro_start = "", -1
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            continue  # blank lines between a list's items do not end it
        bullet = _BULLET.match(line)
        # a list's items: bulleted lines, or short lines of one sentence each ("Two NASAMS;", "...; and")
        plain_item = intro and len(stripped) <= 200 and not re.search(r"[.!?][\"”’)]*\s+[A-Z]", stripped)
        if intro and (bullet or plain_item):
            s = start + (bullet.end() if bullet else len(line) - len(line.lstrip()))
            e = start + len(line.rstrip())
            found.append(Sentence(s, e, text[s:e], intro, intro_start))
            if not bullet and stripped.endswith((".", "!", "?")):
                intro = ""  # the last item of a list without bullets ends with a full stop
            continue
        intro = ""
        for s, e in _split_line(line):
            piece = line[s:e]
            found.append(Sentence(start + s, start + e, piece))
            if piece.rstrip().endswith(":"):
                intro, intro_start = piece, start + s
    return found


def _lines(text: str) -> list[tuple[int, int]]:
    """The article's lines as (start, end), a sentence wrapped over several lines joined into one.

    A line break inside a sentence (a PDF's or a pasted release's hard wrap) is one where the line does not end a
    sentence and the next line goes on in lower case, or where a long line simply runs on.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if spans and line.strip() and not _BULLET.match(line):
            before = text[spans[-1][0] : spans[-1][1]].rstrip()
            runs_on = (
                before
                and not before.endswith((".", "!", "?", ":", ";", '"', "”"))
                and (line.lstrip()[:1].islower() or len(before) >= 50 and line.lstrip()[:1].isalnum())
            )
            if runs_on and spans[-1][1] + 1 == start:
                spans[-1] = (spans[-1][0], end)
                continue
        spans.append((start, end))
    return spans


def _split_line(line: str) -> list[tuple[int, int]]:
    spans = []
    begin = len(line) - len(line.lstrip())
    for m in re.finditer(r"[.!?…][\"”’)]*(\s+)(?=[\"“‘(]?[A-Z0-9•])", line):
        before = line[begin : m.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        spans.append((begin, m.start(1)))
        begin = m.end(1)
    if line[begin:].strip():
        spans.append((begin, len(line.rstrip())))
    return spans


# --- what the words say happened ----------------------------------------------------------------------------------

_DELIVERED = re.compile(
    r"\b(handed over|hand(?:s|ed)? over|delivered|arrived|"
    r"(?:has|have|had)(?: also| now| already| recently)? (?:provided|sent|supplied|donated|transferred|given)|"
    r"sent|transferred|donated|supplied|gave|shipped)\b",
    re.I,
)
_NOT_YET = re.compile(
    r"\b(will|would|to be|expected|plans?|planned|soon|upcoming|next|future|are to|is to|shall)\b", re.I
)
_PLANNED = re.compile(
    r"\b(plans? to|planned|planning to|will purchase|will buy|intends? to|intention|to purchase|potential|"
    r"could purchase|"
    r"interested|will (?:be )?procure|to acquire|would like|wants? to|considering)\b",
    re.I,
)
_COMMITTED = re.compile(
    r"\b(pledged|pledges|committed|commits|allocated|allocates|approved|will provide|will deliver|"
    r"will send|will supply|"
    r"promised|signed a contract|ordered)\b",
    re.I,
)
_TRANSFER = re.compile(
    r"\b(hand(?:s|ed|ing)? over|deliver\w*|transfer\w*|provid\w*|provision|send|sends|sent|suppl(?:y|ied|ies|ying)|"
    r"donat\w*|give|gives|gave|given|pledg\w*|commit\w*|allocat\w*|announc\w*|package|includ\w*|contribut\w*|"
    r"purchas\w*|buy|buys|bought|acquir\w*|procur\w*|order\w*|fund\w*|financ\w*|assistance|aid|support\w*|"
    r"train\w*|equip\w*|will also|plans? to|rehabilitation|expert)\b",
    re.I,
)
_ONLY_TALK = re.compile(r"\b(discuss\w*|talks?|needs?|requested|asked for|requirements?|priorit\w*)\b", re.I)
_BUY = re.compile(r"\b(purchas\w*|buy|buys|bought|acquir\w*|procur\w*|order(?:s|ed)?)\b", re.I)
_TO_UKRAINE = re.compile(
    r"\b(?:to|for|with|into|in support of)\s+(?:the\s+)?(?:{r})\b|\b(?:{r})(?:['’]s)?\s+(?:troops|forces|"
    r"soldiers|military|army|"
    r"personnel|defenders|crews|armed forces|side|defence forces|defense forces)\b"
)
_LIST_CUE = re.compile(
    r"\b(?:including|includes?|such as|comprising|consisting of|consists of|namely|as well as)\b|:\s", re.I
)
_PACKAGE = re.compile(r"\bpackages?\b", re.I)
_AID_WORDS = re.compile(r"\b(?:aid|assistance|support|package|tranche|drawdown)\b", re.I)
_PLEDGE = re.compile(
    r"\b(?:announc\w*|pledg\w*|commit\w*|allocat\w*|approv\w*|provid\w*|grant\w*|give|gives|gave)\b", re.I
)
_TOTAL = re.compile(
    r"\b(total|in total|to date|so far|this far|altogether|overall|cumulative\w*|since (?:the start|the beginning|"
    r"february 2022|(?:19|20)\d{2}|the full-scale)|has reached|have reached|amounts? to|stands? at|"
    r"brings? (?:the|its|our) (?:total|overall)|in all)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(met|meets|meeting|held talks|holds talks|talks with|visit(?:s|ed|ing)?|delegation|hosted|received|discussed|"
    r"conference|summit|(?:phone |video |telephone )?call with|conducted a call|"
    r"spoke (?:with|by phone|by telephone))\b",
    re.I,
)
_REACHED = re.compile(
    r"\b(?:reached|struck|concluded|agreed on)\s+(?:a|an|the)\s+(?:\w+\s+)?(?:agreement|deal|accord)\b", re.I
)
_SIGNED = re.compile(r"\b(?<!will )(?<!to )(?<!would )(?<!plans to )sign(?:ed|s|ing)\b", re.I)
_AGREEMENT = re.compile(
    r"\b(agreement|memorandum(?: of understanding)?|MoU|letter of intent|contract|accord|treaty|declaration)\b", re.I
)
_STOP = frozenset(
    "the a an to for with by from in on at and or as that which who will would has have had was were is are be been "
    "its their his her also under including such this these those it into than while but if so not no our we they "
    "he she said says both other more most many some all each any further".split()
)
# an item that is only one of these words says nothing of what was given ("a drawdown of equipment")
# what an item never starts with: an abstract noun, a need, a verb left of the thing
_NOT_A_THING = re.compile(
    r"^(?:importance|need|needs|possibility|possibilities|ways?|issues?|questions?|type|types|kind|details?|"
    r"meet|bolster|enhanc\w*|strengthen\w*|boost\w*|increas\w*|improv\w*|ensur\w*|support\w*|help\w*|"
    r"receive|receiving|can|could|will|would|been|being)\b",
    re.I,
)
_NOTHING_SAID = frozenset(("equipment", "weapons", "vehicles", "capabilities", "assistance", "support", "aid"))
_GENERIC = frozenset(("other", "small arms and light weapons", "logistics vehicles"))
_NOT_DONORS = ("Russia", "Belarus")


def _category_rank(m: mm.Mention) -> tuple[int, int]:
    generic = m.name in _GENERIC and m.words.lower() in ("equipment", "weapons", "vehicles", "vehicle", "cars")
    return (0 if generic else 2 if m.role == "system" else 1, len(m.words))


@dataclass
class _Context:
    article: Article
    text: str
    anchor: dd.Anchor
    mentions: list[mm.Mention]
    people: dict[str, mm.Mention]
    recipient: str
    donor: str
    clear_donor: bool  # the main donor is named far more often than any other country
    known: Callable[[str, str], int | None]


def extract(
    article: Article,
    *,
    published_on: str | None = None,
    known: Callable[[str, str], int | None] | None = None,
    gazetteer: mm.Gazetteer | None = None,
    on_draft: Callable[[Draft], None] | None = None,
) -> list[Draft]:
    """The drafts an article holds, the article's own source draft first.

    Args:
        article: the text and what is known of it.
        published_on: the article's date where the caller knows it (ISO); else the article's own.
        known: (kind, name) -> the row id of a record the database holds by that name, or None.
        gazetteer: the database's names beside the built-in ones (``mentions.Gazetteer``).
        on_draft: called with each draft as it is made, so that a window can show them as they come.
    """
    text = article.text
    found = mm.find(text, mm.built_in(), extra=gazetteer)
    people = mm.merge_people(found)
    published = published_on or article.published_on
    day = None
    if published and len(published) >= 10:
        try:
            day = dt.date.fromisoformat(published[:10])
        except ValueError:
            day = None
    window = None
    if day is None:
        window = dd.office_window(sorted({p.name for p in people.values()}), mm.data()["offices"])
    anchor = dd.Anchor(day, window)
    if day is None:  # an undated article: its first full date, once resolved, dates "earlier in the day" too
        first = next((w for w in dd.find_dates(text, anchor) if len(w.iso) == 10), None)
        if first is not None:
            anchor = dd.Anchor(dt.date.fromisoformat(first.iso), window, first.inferred or "the first date it gives")
    countries = [m.name for m in found if m.type == "country"]
    recipient = "Ukraine" if "Ukraine" in countries else ""
    ranked = Counter(c for c in countries if c != recipient and c not in _NOT_DONORS)
    donor = ranked.most_common(1)[0][0] if ranked else ""
    clear = bool(ranked) and ranked[donor] >= 0.7 * sum(ranked.values())  # one donor the article is about
    ctx = _Context(article, text, anchor, found, people, recipient, donor, clear, known or (lambda kind, name: None))
    drafts: list[Draft] = []

    def add(d: Draft) -> None:
        drafts.append(d)
        if on_draft is not None:
            on_draft(d)

    add(_source(article, published))
    package: Draft | None = None
    starts = [m.start for m in found]
    headline = " ".join((article.title or "").split())
    for s in sentences(text):
        if headline and " ".join(s.text.split()) == headline:
            continue  # the headline says again what the body says (with its words capitalised)
        in_s = found[bisect_left(starts, s.start) : bisect_left(starts, s.end)]
        money = am.find_amounts(s.text)
        counts = am.find_counts(s.text, money)
        when = dd.find_dates(s.text, anchor)
        totals = _totals(ctx, s, in_s, money, when)
        for t in totals:
            add(t)
        totalled = {t.spans["amount"] for t in totals}
        for d in _agreements(ctx, s, in_s, when):
            add(d)
        for d in _events(ctx, s, in_s, when, drafts):
            add(d)
        items, new_package = _aid(ctx, s, in_s, money, counts, when, totalled, package)
        if new_package is not None:
            package = new_package
            add(new_package)
        elif not s.intro and not _PACKAGE.search(s.text) and not items:
            package = package if package and s.intro else None
        for d in items:
            add(d)
    for d in _actors(ctx, drafts):
        add(d)
    return _once(drafts)


def _once(drafts: list[Draft]) -> list[Draft]:
    """An item named again later ("Together with the NASAMS launchers, ...") is one draft, the surer one."""
    from rapidfuzz import fuzz

    def same(k: Draft, d: Draft) -> bool:
        f, g = k.fields, d.fields
        if k.kind != d.kind or f.get("donor") != g.get("donor"):
            return False
        if d.kind == "aid":
            return f.get("kind") == g.get("kind") and fuzz.token_set_ratio(fold(f["item"]), fold(g["item"])) >= 90
        if d.kind == "packages":  # "the package ... The package includes ...": one, however often it is named
            return f.get("announced_on") == g.get("announced_on") or f.get("name") == g.get("name")
        if d.kind == "agreements":
            return f.get("type") == g.get("type") and (
                fuzz.token_set_ratio(fold(f["title"]), fold(g["title"])) >= 70
                or f.get("signed_on") == g.get("signed_on")
            )
        return False

    kept: list[Draft] = []
    renamed: dict[str, str] = {}
    for d in drafts:
        if d.kind in ("aid", "packages", "agreements"):
            twin = next((k for k in kept if same(k, d)), None)
            if twin is not None:
                if d.kind == "packages":
                    renamed[d.fields["name"]] = twin.fields["name"]
                    d.fields["name"] = twin.fields["name"]
                surer, other = (d, twin) if d.confidence >= twin.confidence else (twin, d)
                merged = {**other.fields, **surer.fields}
                twin.fields, twin.quotes, twin.spans = (
                    merged,
                    {**other.quotes, **surer.quotes},
                    {**other.spans, **surer.spans},
                )
                twin.sentence, twin.guessed, twin.confidence = surer.sentence, surer.guessed, surer.confidence
                if d.kind == "agreements":  # every party and signatory either sentence names
                    names = {p["name"] for p in other.fields.get("parties", [])}
                    twin.fields["parties"] = other.fields.get("parties", []) + [
                        p for p in surer.fields.get("parties", []) if p["name"] not in names
                    ]
                continue
        kept.append(d)
    for d in kept:
        if d.kind == "aid" and d.fields.get("package") in renamed:
            d.fields["package"] = renamed[d.fields["package"]]
    return kept


def _source(article: Article, published: str | None) -> Draft:
    fields = {
        k: v
        for k, v in {
            "title": article.title or " ".join(article.text.split()[:12]) + "…",
            "publisher": article.publisher,
            "author": article.author,
            "published_on": published,
            "url": article.url,
            "full_text": article.text,
        }.items()
        if v
    }
    d = Draft("sources", fields, confidence=0.9 if article.title else 0.6)
    if not article.title:
        d.guessed.append("title: the article's first words, as it has no headline")
    return d


def _date_fields(ctx: _Context, d: Draft, s: Sentence, when: list[dd.DateMention], name: str, month: bool) -> None:
    """Date field ``name`` from the sentence's first date, or the article's own date (marked as such)."""
    if when:
        w = when[0]
        d.fields[name] = w.iso
        d.cite(name, ctx.text, s.start + w.start, s.start + w.end)
        if w.inferred:
            d.guessed.append(f"{name}: {w.inferred}")
        return
    if ctx.anchor.published is not None:
        iso = ctx.anchor.published.isoformat()
        d.fields[name] = iso[:7] if month else iso
        d.guessed.append(f"{name}: not in the sentence; the article's date ({ctx.anchor.said})")


def _donor_in(ctx: _Context, s: Sentence, in_s: list[mm.Mention], before: int | None = None) -> tuple[str, bool]:
    """The sentence's donor (the first country named that is not the recipient), or the article's main one."""
    for m in in_s:
        if m.type == "country" and m.name != ctx.recipient and m.name not in _NOT_DONORS:
            if before is None or m.start < before:
                return m.name, True
    return ctx.donor, False


def _uncertain(d: Draft) -> None:
    if d.guessed:
        d.fields["uncertain"] = True
        d.fields["uncertain_note"] = "; ".join(d.guessed)


# "has provided more than $15 billion ... since February": what a donor has given in all
_SO_FAR = re.compile(
    r"\b(?:has|have)(?: now| so far| already)? (?:provided|committed|given|delivered|pledged|allocated)\b", re.I
)
# "the total value of the contract is SEK 25 billion": one thing's value, no reported total
_VALUE_OF_ONE = re.compile(
    r"\btotal (?:value|cost|amount|price) of (?:the|this|that|a|its) (?:contract|package|deal|agreement|order|purchase)"
    r"|\b(?:today's|this|the) (?:drawdown|package|tranche)\b[^.]{0,30}\bvalued\b",
    re.I,
)
_CLAUSE = re.compile(r",\s+(?:while|whereas|including|of which|and)\b|;\s")  # where a total's words end
_SINCE = re.compile(r"\b(?:since|from|began|beginning|start)\b[^,.;]{0,60}$", re.I)  # where a total counts from


def _totals(
    ctx: _Context, s: Sentence, in_s: list[mm.Mention], money: list[am.Amount], when: list[dd.DateMention]
) -> list[Draft]:
    """Reported totals: an amount beside "to date", "has reached", "amounts to", "in total"..."""
    found: list[Draft] = []
    cuts = [0, *(m.start() for m in _CLAUSE.finditer(s.text)), len(s.text)]
    for a in money:
        window = s.text[max(0, a.start - 90) : a.end + 80]
        lead_in = s.text[max(0, a.start - 60) : a.start]
        cumulative = _SO_FAR.search(lead_in) and re.search(r"\bsince\b", s.text, re.I)
        if not (_TOTAL.search(window) or cumulative) or _VALUE_OF_ONE.search(window):
            continue
        start = max(c for c in cuts if c <= a.start)
        end = min(c for c in cuts if c >= a.end)
        lead = s.text[start:end].lower()
        if found and re.match(r",\s+(?:including|of which)\b", s.text[start:end]):
            lead = found[-1].fields["measure"]  # "..., including $6.9 billion since ...": a part of the same
        measure = (
            "military assistance"
            if "military" in lead or "security assistance" in lead or "defence" in lead or "defense" in lead
            else "humanitarian assistance"
            if "humanitarian" in lead
            else "financial assistance"
            if "financial" in lead or "budget" in lead
            else "total assistance"
        )
        subject, named = _donor_in(ctx, s, in_s, before=s.start + a.start)
        if not subject:
            continue
        d = Draft("totals", {"subject": subject, "measure": measure}, sentence=(s.start, s.end))
        if ctx.recipient:
            d.fields["recipient"] = ctx.recipient
        d.fields["amount"] = a.money.amount
        d.fields["currency"] = a.money.currency
        d.fields["qualifier"] = a.qualifier
        d.cite("amount", ctx.text, s.start + a.start, s.start + a.end)
        if not named:
            d.guessed.append(f"subject: not named beside the amount; {subject} is the article's main donor")
        as_of = [w for w in when if not _SINCE.search(s.text[: w.end])]
        _date_fields(ctx, d, s, as_of, "as_of", month=False)
        reporter = next((m for m in in_s if m.type == "organisation" and "ministry" in m.name.lower()), None)
        if reporter is not None and re.search(r"\baccording to\b|\bsaid\b|\breported\b", s.text, re.I):
            d.fields["reported_by"] = reporter.name
        d.confidence = 0.85 if named else 0.7
        _uncertain(d)
        found.append(d)
    return found


def _person_name(ctx: _Context, m: mm.Mention) -> mm.Mention:
    return ctx.people.get(mm.last_name(m.name), m)


def _participants(ctx: _Context, in_s: list[mm.Mention]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for m in in_s:
        if m.type != "person":
            continue
        p = _person_name(ctx, m)
        seen.setdefault(p.name, {"name": p.name, "role": p.role})
    return list(seen.values())


def _events(
    ctx: _Context, s: Sentence, in_s: list[mm.Mention], when: list[dd.DateMention], drafts: list[Draft]
) -> list[Draft]:
    """Meetings, visits and talks: the words that say so, with the people named beside them."""
    cue = _EVENT.search(s.text)
    if not cue or s.intro:
        return []
    people = _participants(ctx, in_s)
    delegation = re.search(r"\b([A-Z]\w+)\s+delegation\b(?!\s+of\s+authority)", s.text)
    if not people and not delegation:
        return []
    word = cue[1].lower()
    kind = (
        "visit"
        if word.startswith("visit")
        else "talks"
        if "talks" in word or "call" in word or word.startswith("spoke")
        else "delegation"
        if word == "delegation"
        else "meeting"
    )
    place = next((m.name for m in in_s if m.type == "place"), "")
    names = [p["name"] for p in people]
    if delegation and not names:
        title = f"{delegation[1]} delegation {'visit' if kind == 'visit' else 'meeting'}"
    elif kind == "visit":
        title = f"{names[0]} visits {place or 'the host country'}"
    elif len(names) >= 2:
        title = f"{names[0]} {'holds talks with' if kind == 'talks' else 'meets'} {names[1]}"
    else:
        title = f"{names[0]}: {kind}" + (f" in {place}" if place else "")
    d = Draft("events", {"type": kind, "title": title}, sentence=(s.start, s.end))
    d.cite("type", ctx.text, s.start + cue.start(), s.start + cue.end())
    _date_fields(ctx, d, s, when, "date", month=False)
    if place:
        d.fields["place"] = place
    if people:
        d.fields["participants"] = people
    # one event told over several sentences: the same day and someone in common
    for other in drafts:
        if other.kind != "events" or other.fields.get("date") != d.fields.get("date"):
            continue
        theirs = {p["name"] for p in other.fields.get("participants", [])}
        if theirs & set(names) or not names:
            for p in people:
                if p["name"] not in theirs:
                    other.fields.setdefault("participants", []).append(p)
            return []
    # "met", "talks", "a visit", "a call" with someone named says an event was held; "discussed" may be a topic
    strong = word not in ("discussed", "delegation", "conference", "summit")
    if len(people) >= 2 or people and (strong or when):
        d.confidence = 0.85 if len(people) >= 2 and (strong or when) else 0.8
    else:
        d.confidence = 0.65 if people or delegation else 0.5
    _uncertain(d)
    return [d]


def _agreements(ctx: _Context, s: Sentence, in_s: list[mm.Mention], when: list[dd.DateMention]) -> list[Draft]:
    """Agreements signed ("signed" beside an agreement, a memorandum, a letter of intent or a contract), or reached."""
    noun = _AGREEMENT.search(s.text)
    reached = _REACHED.search(s.text)
    if not noun or not (_SIGNED.search(s.text) or reached):
        return []
    title = _agreement_title(s.text, noun)
    low = title.lower()
    kind = (
        "security agreement"
        if "security" in low
        else "memorandum of understanding"
        if "memorandum" in low or "mou" in low
        else "letter of intent"
        if "letter of intent" in low
        else "contract"
        if "contract" in low
        else "cooperation agreement"
        if "cooperation" in low
        else "other"
    )
    d = Draft("agreements", {"title": title, "type": kind}, sentence=(s.start, s.end))
    d.cite("title", ctx.text, s.start + noun.start(), s.start + noun.end())
    if reached and not _SIGNED.search(s.text):  # agreed, not yet signed: no signing date to give
        on = f" on {format_date(when[0].iso)}" if when else ""
        d.fields["summary"] = f"Reached{on}; not signed yet when the article was written."
    else:
        _date_fields(ctx, d, s, when, "signed_on", month=True)
    place = next((m.name for m in in_s if m.type == "place"), "")
    if place:
        d.fields["place"] = place
    parties: list[dict[str, str]] = []
    for m in in_s:
        if m.type == "country" and m.name not in _NOT_DONORS and m.name not in [p["name"] for p in parties]:
            parties.append({"name": m.name, "role": "party"})
    for p in _participants(ctx, in_s):
        parties.append({"name": p["name"], "role": "signatory"})
    if parties:
        d.fields["parties"] = parties
    d.confidence = 0.85 if when else 0.75
    _uncertain(d)
    return [d]


def _agreement_title(text: str, noun: re.Match[str]) -> str:
    # a capitalised title around the noun: "the Security Cooperation Agreement between Ukraine and Lithuania"
    words = text[: noun.start()].split()
    lead: list[str] = []
    for w in reversed(words):
        if w[:1].isupper() and w.lower() not in ("the", "a", "an"):
            lead.insert(0, w)
        else:
            break
    tail = re.match(r"[^,.;]*?(?=\s+(?:which|that|signed|was|were|in\s+[A-Z]|on\s+\d)\b|[,.;]|$)", text[noun.end() :])
    after = tail[0] if tail else ""
    title = " ".join([*lead, noun[0]]) + after
    title = title.strip()
    return title[:1].upper() + title[1:]


# --- aid ----------------------------------------------------------------------------------------------------------


def _phrase(text: str, start: int, end: int) -> tuple[int, int]:
    """The noun phrase around the words at start:end: out to the nearest function word either side."""
    left = start
    for m in reversed(list(_WORD.finditer(text, max(0, start - _REACH), start))):
        w = m[0].lower().strip(".")
        if w in _STOP or m[0].endswith((",", ";")) or text[m.end() : start].strip(" -") not in ("",):
            break
        if re.fullmatch(r"\d[\d,.]*", w):
            break
        left = m.start()
        start = m.start()
    right = end
    for m in _WORD.finditer(text, end, min(len(text), end + _REACH)):
        w = m[0].lower().strip(".")
        gap = text[right : m.start()]
        if w in _STOP or gap.strip() or m[0].endswith("."):
            if m[0].endswith(".") and not gap.strip() and w not in _STOP:
                right = m.end() - 1
            break
        right = m.end()
    return left, right


_WORD = re.compile(r"[\w’'\-/.]+")
_REACH = 200  # a noun phrase is looked for this far either side: a long article costs no more per phrase


def _head(text: str, start: int, inside: list[mm.Mention]) -> mm.Mention:
    """The mention that names what an item is.

    The first specific one before "for" or "of" ("ammunition for HIMARS"), else the most specific one.
    """
    for m in inside:
        if _category_rank(m)[0] >= 1 and re.match(r"\s+(?:\(\w+\)\s+)?(?:for|of)\b", text[m.end : m.end + 12]):
            return m
    return max(inside, key=_category_rank)


def _joined(text: str, pieces: list[tuple[int, int, list[mm.Mention]]]) -> list[tuple[int, int, list[mm.Mention]]]:
    """Phrases joined by "for" or "of" name one thing: "all-terrain vehicles needed for NASAMS crews"."""
    out: list[tuple[int, int, list[mm.Mention]]] = []
    for a, b, inside in pieces:
        if out and text[out[-1][1] : a].strip() == "(":
            continue  # "infantry fighting vehicles (IFVs)": the same thing, named again
        if out and re.fullmatch(r"\s*(?:needed\s+|used\s+)?(?:for|of)\s+(?:the\s+)?", text[out[-1][1] : a]):
            pa, _, pin = out[-1]
            out[-1] = (pa, b, pin + inside)
            continue
        out.append((a, b, inside))
    return out


def _items_in(segment: str, offset: int, in_s: list[mm.Mention]) -> list[tuple[int, int, list[mm.Mention]]]:
    """The items of a list ("A, B, and C"): each element that names equipment, with its mentions."""
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r",\s*(?:and\s+|as well as\s+)?|;\s*(?:and\s+)?|\s+as well as\s+", segment):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(segment)))
    if len(parts) >= 2:  # "A, B and C": the last "and" splits too, where both halves are things
        s, e = parts[-1]
        split = re.search(r"\s+and\s+", segment[s:e])
        if split:
            first, second = (s, s + split.start()), (s + split.end(), e)
            if all(
                any(offset + a <= x.start < offset + b for x in in_s if x.type == "equipment")
                for a, b in (first, second)
            ):
                parts[-1:] = [first, second]
    found = []
    for s, e in parts:
        inside = [x for x in in_s if x.type == "equipment" and offset + s <= x.start < offset + e]
        if inside:
            found.append((offset + s, offset + e, inside))
    return found


_COUNTED = re.compile(
    r"^\W*(?:(?:about|around|over|more than|some|up to|nearly|almost|at least)\s+)?(?:\d[\d,]*|one|two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)\s+(?:additional\s+)?",
    re.I,
)
_LEADING_VERB = re.compile(
    r"^(?:and|or|the|a|an|also|other types of|some|including|such as|with|providing|provided|provide|supplying|"
    r"purchase|purchasing|buy|buying|acquire|acquiring|procure|procuring|transfer|transferring|finance|"
    r"financing|fund|funding|deliver|send|supply|"
    r"supplied|delivering|delivered|sending|sent|organizing|organising|organized|organised|handed over|giving|"
    r"given|donating|donated)\s+",
    re.I,
)
_TRAILING = re.compile(
    r"\s+(?:of|for|to|and|or|needed|used|with|from|by|in|on|the|a|an|valued|worth|can|could|will|would|allow|allows|"
    r"was|were|is|are|has|have|be|provided|supplied|purchased)$",
    re.I,
)


def _clean_item(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:.")
    while _LEADING_VERB.match(text):
        text = _LEADING_VERB.sub("", text, count=1)
    while _TRAILING.search(text):
        text = _TRAILING.sub("", text)
    text = re.sub(r"\s+(?:to|for|from)\s+(?:the\s+)?Ukrain\w*.*$", "", text)
    text = re.sub(r"\s+(?:to|for)\s*$", "", text)
    return text[:1].upper() + text[1:]


def _aid(
    ctx: _Context,
    s: Sentence,
    in_s: list[mm.Mention],
    money: list[am.Amount],
    counts: list[am.Count],
    when: list[dd.DateMention],
    totalled: set[tuple[int, int]],
    package: Draft | None,
) -> tuple[list[Draft], Draft | None]:
    """Aid items (and own procurements) the sentence names, and the package it opens, if any."""
    text = ctx.text
    lead = s.intro + " " + s.text
    equipment = [m for m in in_s if m.type == "equipment"]
    if not equipment:  # "Germany announced EUR 1.5bn in military aid for Ukraine": a package, its items not named
        pledged = (
            any((s.start + a.start, s.start + a.end) not in totalled for a in money)
            and _AID_WORDS.search(s.text)
            and _PLEDGE.search(s.text)
            and any(m.type == "country" and m.name != ctx.recipient for m in in_s)
        )
        if package is None and (_PACKAGE.search(s.text) or pledged):
            return [], _package(ctx, s, in_s, money, when, totalled)
        return [], None
    if not s.intro and not _TRANSFER.search(s.text):
        return [], None
    talk_only = _ONLY_TALK.search(s.text) and not re.search(
        r"\b(will|would|plans?|handed|delivered|provided|pledged|transfer|announced)\b", s.text, re.I
    )
    # the items: a list element each, after "including", "such as", ":"; else each noun phrase that names equipment
    pieces: list[tuple[int, int, list[mm.Mention]]] = []
    if s.intro:
        pieces = [(s.start, s.end, equipment)]
    else:
        cue = _LIST_CUE.search(s.text)
        if cue:
            tail = s.text[cue.end() :]
            stop = re.search(
                r"\s+(?:to|for)\s+(?:the\s+)?Ukrain|\s+for\s+(?:€|\$|£|EUR|USD)|[.;](?:\s|$)|,\s+(?:which|while|with)\b",
                tail,
            )
            segment = tail[: stop.start()] if stop else tail
            pieces = _items_in(segment, s.start + cue.end(), in_s)
        if not pieces:
            used: list[tuple[int, int]] = []
            for m in sorted(equipment, key=_category_rank, reverse=True):
                a, b = _phrase(text, m.start, m.end)
                if any(x < b and a < y for x, y in used):
                    continue
                used.append((a, b))
                pieces.append((a, b, [x for x in equipment if a <= x.start < b]))
            pieces.sort()
            pieces = _joined(text, pieces)
    if s.intro and not pieces:
        return [], None
    status, status_span = _status(s.text)
    buying = _BUY.search(s.text)
    to_ukraine = bool(ctx.recipient) and bool(re.search(_TO_UKRAINE.pattern.format(r="Ukrain\\w*"), lead, re.I))
    # "purchased under the initiative were arriving in Ukraine", "bought for Kyiv": bought for Ukraine, not for itself
    to_ukraine = to_ukraine or bool(
        re.search(r"\b(?:in|into|reach\w*|arriv\w*(?: in)?) (?:Ukraine|Kyiv)\b|\bKyiv\b", lead)
    )
    kind = _kind_of(lead, buying is not None and not to_ukraine)
    donor, named = _donor_in(ctx, s, in_s)
    if s.intro and not named:  # a list's item: the donor named where the list opens, or just before it
        starts = [m.start for m in ctx.mentions]
        lo, hi = s.intro_start - 300, s.intro_start + len(s.intro)
        opening = ctx.mentions[bisect_left(starts, lo) : bisect_left(starts, hi)]
        donor, named = _donor_in(ctx, s, [m for m in opening if m.type == "country"] + _owners(opening))
    if not donor:
        return [], None
    listed = len(pieces) >= 2 and bool(_LIST_CUE.search(s.text)) and kind != "procurement for own forces"
    if package is None and len(pieces) >= 2 and (_PACKAGE.search(s.text) or listed):  # items announced together
        package = _package(ctx, s, in_s, money, when, totalled)
        new_package: Draft | None = package
    else:
        new_package = None
    if package is not None and not (s.intro or _PACKAGE.search(s.text) or new_package):
        package = None
    drafts = []
    value = next(
        (a for a in money if (a.start, a.end) not in totalled and (s.start + a.start, s.start + a.end) not in totalled),
        None,
    )
    for a, b, inside in pieces:
        best = _head(text, a, inside)
        item = _clean_item(text[a:b])
        if not item or len(item) < 3 or item.lower() in _NOTHING_SAID or _NOT_A_THING.match(item):
            continue
        d = Draft("aid", {"item": item, "category": best.name, "kind": kind}, sentence=(s.start, s.end))
        d.cite("item", text, a, b)
        d.fields["donor"] = donor
        if kind == "procurement for own forces":
            d.fields["recipient"] = donor
        elif ctx.recipient:
            d.fields["recipient"] = ctx.recipient
        if not named:
            d.guessed.append(f"donor: not named in the sentence; {donor} is the article's main donor")
        d.fields["status"] = status
        if status_span:
            d.cite("status", text, s.start + status_span[0], s.start + status_span[1])
        own_counts = [c for c in counts if a <= s.start + c.start < b]  # a list item's own count first
        near = [c for c in counts if s.start + c.start <= best.start < s.start + c.end + 40] if len(pieces) == 1 else []
        for c in own_counts or near:
            d.fields["quantity_committed" if status != "delivered" else "quantity_delivered"] = c.number
            d.fields["unit"] = c.unit
            if c.qualifier:
                d.fields["quantity_qualifier"] = c.qualifier
            d.cite("quantity_committed", text, s.start + c.start, s.start + c.end)
            d.fields["item"] = _clean_item(_COUNTED.sub("", item))
            break
        if value is not None and (len(pieces) == 1 or _valued(text, b, s.start + value.start)):
            d.fields["value"] = value.money.amount
            d.fields["currency"] = value.money.currency
            d.fields["value_qualifier"] = value.qualifier
            d.cite("value", text, s.start + value.start, s.start + value.end)
        field_name = (
            "delivered_on"
            if status == "delivered"
            else "expected_on"
            if re.search(r"\bexpected\b|\bdeliver\w* (?:in|by)\b", s.text) and when
            else "announced_on"
        )
        _date_fields(ctx, d, s, when, field_name, month=True)
        if package is not None:
            d.fields["package"] = package.fields["name"]
        confidence = (
            0.6
            + (0.15 if named else 0.1 if ctx.clear_donor else 0)
            + (0.1 if s.intro else 0)
            + (0.1 if _category_rank(best)[0] >= 1 else -0.15)
        )
        confidence += 0.05 if status_span else 0
        if talk_only:
            confidence -= 0.3
        if s.text.lstrip().startswith(("“", '"')) or re.search(r"\bsaid\b", s.text):
            confidence -= 0.05
        d.confidence = max(0.05, min(0.95, confidence))
        _uncertain(d)
        drafts.append(d)
    return drafts, new_package


def _owners(found: list[mm.Mention]) -> list[mm.Mention]:
    """The countries that organisations belong to ("the DoD" is the United States'), as country mentions."""
    return [mm.Mention("country", m.start, m.end, m.country) for m in found if m.type == "organisation" and m.country]


def _valued(text: str, end: int, amount_at: int) -> bool:
    """Whether the amount right after an item is its value: "Vilkas IFVs for €370 million"."""
    between = text[end:amount_at]
    return 0 <= amount_at - end <= 30 and bool(re.fullmatch(r"[\s,]*(?:for|worth|valued at|at|of|costing)\s+", between))


def _status(text: str) -> tuple[str, tuple[int, int] | None]:
    m = _DELIVERED.search(text)
    if m and not _NOT_YET.search(text[max(0, m.start() - 30) : m.start()]):
        return "delivered", m.span()
    for pattern, status in ((_PLANNED, "planned"), (_COMMITTED, "committed")):
        m = pattern.search(text)
        if m:
            return status, m.span()
    m = re.search(r"\bannounc\w*", text, re.I)
    return "announced", m.span() if m else None


def _kind_of(text: str, buying_for_itself: bool) -> str:
    low = text.lower()
    if buying_for_itself:
        return "procurement for own forces"
    if re.search(r"\bcontribut\w*\b[^.]{0,60}\bfund\b", low):
        return "fund contribution"
    if re.search(r"\binvest(?:ment|ing|s)?\b", low):
        return "investment"
    if re.search(r"\bhumanitarian\b", low):
        return "humanitarian aid"
    if re.search(r"\b(?:financial|budget support|macro-financial|loan)\b", low):
        return "financial aid"
    return "military aid"


def _package(
    ctx: _Context,
    s: Sentence,
    in_s: list[mm.Mention],
    money: list[am.Amount],
    when: list[dd.DateMention],
    totalled: set[tuple[int, int]],
) -> Draft | None:
    """A package the sentence announces ("a new $400 million package", "the package includes:")."""
    donor, named = _donor_in(ctx, s, in_s)
    if not donor:
        return None
    d = Draft("packages", {"donor": donor}, sentence=(s.start, s.end))
    if ctx.recipient:
        d.fields["recipient"] = ctx.recipient
    _date_fields(ctx, d, s, when, "announced_on", month=False)
    value = next((a for a in money if (s.start + a.start, s.start + a.end) not in totalled), None)
    if value is not None:
        d.fields["value"] = value.money.amount
        d.fields["currency"] = value.money.currency
        d.cite("value", ctx.text, s.start + value.start, s.start + value.end)
    date = d.fields.get("announced_on")
    d.fields["name"] = f"{donor} package of {format_date(date)}" if date else f"{donor} package"
    if not named:
        d.guessed.append(f"donor: not named in the sentence; {donor} is the article's main donor")
    d.confidence = 0.8 if named or ctx.clear_donor else 0.65
    _uncertain(d)
    return d


# --- actors -------------------------------------------------------------------------------------------------------


def _actors(ctx: _Context, drafts: list[Draft]) -> list[Draft]:
    """The actors the article names that the database does not hold yet, each once."""
    found: dict[str, Draft] = {}
    for m in ctx.mentions:
        # a country is made by the records that name it (a donor, a party): no draft of its own
        if m.type not in ("person", "organisation", "coalition") or m.known is not None:
            continue
        shown = _person_name(ctx, m) if m.type == "person" else m
        if len(shown.name.split()) < 2 and m.type == "person":
            continue
        key = fold(shown.name)
        if key in found or ctx.known("actors", shown.name) is not None:
            continue
        d = Draft("actors", {"name": shown.name, "type": m.type}, confidence=0.9 if m.type == "country" else 0.8)
        d.cite("name", ctx.text, m.start, m.end)
        d.sentence = _sentence_around(ctx.text, m.start)
        if shown.role:
            d.fields["description"] = shown.role
        if shown.country and shown.country != shown.name:
            d.fields["country"] = shown.country
        if m.type in ("organisation", "coalition") and m.role == mm.KNOWN_NAME:
            d.confidence = 0.85  # a name the gazetteer knows (NATO, the European Peace Facility)
        elif m.type in ("organisation", "coalition"):
            d.confidence = 0.6 if len(shown.name.split()) <= 2 else 0.7  # found by its form only
        found[key] = d
    return list(found.values())


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    stop = text.rfind(". ", 0, at)
    start = max(stop + 2 if stop != -1 else 0, text.rfind("\n", 0, at) + 1)
    ends = [e for e in (text.find(". ", at), text.find("\n", at)) if e != -1]
    return start, (min(ends) + 1 if ends else len(text))
