"""Dates in an article's sentences, resolved against the article's own date, at the precision the words give.

"on 15 October", "in early October", "on Tuesday", "this year", "last summer", "next month's summit" and "November
10" all name a date only with the article's date beside them (or, for an article without one, with the years in
which the people it names held their offices). What was resolved so is marked inferred, with the reason.

The app's own date parser reads the plain dates; this module adds what only a running text has. dateparser was
weighed and left out: it reads one date string at a time (it does not find dates in a sentence), it resolves a
missing year against today rather than the article, and it imports in about half a second.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from storage.values import MAX_YEAR, MIN_YEAR, format_date

MONTHS = {m.lower(): n for n, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): n for n, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
_M = (
    r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|"
    r"Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"((?:19|20)\d{2})"
WEEKDAYS = {d.lower(): n for n, d in enumerate(calendar.day_name)}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b" + _Y + r"-(\d{2})-(\d{2})\b")),
    ("dmy", re.compile(r"\b" + _D + r"\s+(?:of\s+)?" + _M + r",?\s+" + _Y + r"\b", re.I)),
    ("mdy", re.compile(r"\b" + _M + r"\s+" + _D + r",?\s+" + _Y + r"\b", re.I)),
    # "24.02.2022", "26-03-2022", "24/02/2023", "2/24/22": the day first, but where the month cannot be it
    ("numeric", re.compile(r"(?<![\d.,/-])(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d{2}|\d{2})(?![\d.,/-]*\d)")),
    (
        "my",
        re.compile(
            r"\b(?:(early|mid|late|the end of|end of|the beginning of|beginning of|the start of)[\s-]+)?"
            + _M
            + r",?\s+"
            + _Y
            + r"\b",
            re.I,
        ),
    ),
    ("dm", re.compile(r"\b" + _D + r"\s+(?:of\s+)?" + _M + r"\b(?![,\s]*(?:19|20)\d{2})")),
    ("md", re.compile(r"\b" + _M + r"\s+" + _D + r"\b(?![,\s]*(?:19|20)\d{2})(?!\s*(?:million|billion|%|per))")),
    (
        "m",
        re.compile(
            r"\b(in|since|from|by|until|during|through|of|this|last|next|early|mid|late|end of)[\s-]+(?:(early|"
            r"mid|late)[\s-]+)?" + _M + r"\b(?![,\s]*(?:\d{1,2}\b|(?:19|20)\d{2}))",
            re.I,
        ),
    ),
    (
        "season",
        re.compile(
            r"\b(?:(?:by|in|until|before|during)\s+)?(?:the\s+)?(spring|summer|autumn|fall|winter)\s+(?:of\s+)?"
            + _Y
            + r"\b",
            re.I,
        ),
    ),
    (
        "y",
        re.compile(r"\b(in|since|by|during|from|until|for|of|throughout|early|late|mid)[\s-]+" + _Y + r"\b(?!-)", re.I),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?:(on|last|this past|next|this)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
            re.I,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(today|yesterday|tomorrow|earlier (?:in the|that|this) day|this week|last week|next week|"
            r"this month|last month|next month|this year|last year|next year|(?:this|last|next) (?:spring|summer|"
            r"autumn|fall|winter))\b",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class DateMention:
    """A date the text names.

    Attributes:
        start: where its words start in the text searched.
        end: where they end.
        iso: the partial ISO date at the precision known.
        inferred: why the date is not plain (a year taken from the article's date, a weekday resolved), or "".
        future: the words point ahead ("next month", "tomorrow").
    """

    start: int
    end: int
    iso: str
    inferred: str = ""
    future: bool = False


@dataclass(frozen=True)
class Anchor:
    """What a sentence's dates are resolved against: the article's date, or the year its people point to."""

    published: dt.date | None
    window: tuple[dt.date, dt.date, str] | None = None  # when the people it names held office together, and why
    inferred: str = ""  # why ``published`` is not the article's own date (an undated article: its first date)

    @property
    def said(self) -> str:
        """The article's date as people read it, for the reasons given ("15 Nov 2024")."""
        if self.published is None:
            return ""
        said = format_date(self.published.isoformat())
        return f"{said}, the first date the undated article gives: {self.inferred}" if self.inferred else said


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    if m is None:
        return f"{y:04d}"
    if not 1 <= m <= 12:
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _year_for(anchor: Anchor, month: int, day: int | None, future: bool) -> tuple[int | None, str]:
    """The year of a date written without one: the article's, or the one before when that would be well ahead of it."""
    if anchor.published is None:
        if anchor.window is None:
            return None, ""
        first, last, why = anchor.window
        years = [
            y
            for y in range(first.year, min(last.year, dt.date.today().year) + 1)
            if first <= dt.date(y, month, min(day or 28, 28)) and dt.date(y, month, min(day or 1, 28)) <= last
        ]
        if len(years) != 1:
            return None, ""
        return years[0], f"no year in the text: {years[0]} from who held office then ({why})"
    y = anchor.published.year
    p = anchor.published
    ahead = (month, day or 1) > (p.month, p.day + 7) if day else month > p.month
    behind = (month, day or 31) < (p.month, p.day - 7) if day else month < p.month
    if ahead and not future:  # "In December", in an article of November: last December
        y -= 1
    elif behind and future and (p.month - month) % 12 > 3:  # "will deliver in February", written in November
        y += 1
    return y, f"no year in the text: {y} from the article's date ({anchor.said})"


def find_dates(text: str, anchor: Anchor) -> list[DateMention]:
    """The dates in ``text``, longest first where their words overlap."""
    found: list[DateMention] = []
    taken = bytearray(len(text))  # the characters a date already holds: linear in the text, however long
    for how, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            got = _resolve(how, m, anchor, text)
            if got is not None:
                found.append(got)
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    found.sort(key=lambda d: d.start)
    return found


_FUTURE = re.compile(r"\b(will|shall|next|upcoming|expected|plans?|planned|scheduled|to be|would|is to|are to)\b", re.I)


def _resolve(how: str, m: re.Match[str], anchor: Anchor, text: str) -> DateMention | None:
    g = m.groups()
    before = text[max(0, m.start() - 60) : m.start()]
    future = bool(_FUTURE.search(before))
    iso: str | None
    reason = ""
    if how == "iso":
        iso = _iso(int(g[0]), int(g[1]), int(g[2]))
    elif how == "dmy":
        iso = _iso(int(g[2]), MONTHS[g[1].lower()], int(g[0]))
    elif how == "mdy":
        iso = _iso(int(g[2]), MONTHS[g[0].lower()], int(g[1]))
    elif how == "numeric":
        a, sep, b, written = int(g[0]), g[1], int(g[2]), int(g[3])
        full = written + 2000 if written < 100 else written
        if a > 12 or sep in ".-" and b <= 12:
            iso = _iso(full, b, a)
        elif b > 12:
            iso = _iso(full, a, b)  # "2/24/22": the month first, as Americans write it
        else:
            iso = _iso(full, b, a)
            reason = f"'{m[0]}': the day taken to come first"
    elif how == "my":
        iso = _iso(int(g[2]), MONTHS[g[1].lower()])
        reason = f"'{m[0]}': only the month is known" if g[0] else ""
    elif how in ("dm", "md"):
        day, month = (int(g[0]), MONTHS[g[1].lower()]) if how == "dm" else (int(g[1]), MONTHS[g[0].lower()])
        if how == "md" and g[0].lower() == "may" and not re.match(r"\s*\d", text[m.end() - len(g[1]) - 1 :]):
            return None
        year, reason = _year_for(anchor, month, day, future)
        iso = _iso(year, month, day) if year else None
    elif how == "m":
        word, soft, name = g
        month = MONTHS[name.lower()]
        if (
            word.lower() == "may"
            or name.lower() == "may"
            and word.lower() not in ("in", "since", "by", "until", "early", "late", "mid", "of", "during")
        ):
            return None
        ahead = future or word.lower() == "next"
        year, reason = _year_for(anchor, month, None, ahead)
        if (
            word.lower() == "last"
            and anchor.published
            and year == anchor.published.year
            and month >= anchor.published.month
        ):
            year -= 1
        iso = _iso(year, month) if year else None
        if soft or word.lower() in ("early", "mid", "late", "end of"):
            reason = (reason + "; " if reason else "") + f"'{m[0].strip()}': only the month is known"
    elif how == "y":
        iso = _iso(int(g[1]))
    elif how == "season":
        iso = _iso(int(g[1]))
        reason = f"'{m[0].strip()}': only the year is known"
    elif how == "weekday":
        if anchor.published is None:
            return None
        word, day_name = (g[0] or "").lower(), g[1].lower()
        if not g[1][0].isupper():
            return None  # "monday" in lower case is no day named
        wanted = WEEKDAYS[day_name]
        delta = (anchor.published.weekday() - wanted) % 7
        if word in ("next",) or (word == "this" and future):
            when = anchor.published + dt.timedelta(days=(wanted - anchor.published.weekday()) % 7 or 7)
        else:
            when = anchor.published - dt.timedelta(days=delta)
        iso = when.isoformat()
        reason = f"'{m[0].strip()}' resolved against the article's date ({anchor.said})"
    else:
        return _relative(m, anchor)
    if iso is None:
        return None
    return DateMention(m.start(), m.end(), iso, reason, future)


def _relative(m: re.Match[str], anchor: Anchor) -> DateMention | None:
    if anchor.published is None:
        return None
    words = m[0].lower()
    p = anchor.published
    reason = f"'{m[0]}' resolved against the article's date ({anchor.said})"
    future = words.startswith(("next", "tomorrow"))
    if words in ("today",) or words.startswith("earlier"):
        iso = p.isoformat()
    elif words == "yesterday":
        iso = (p - dt.timedelta(days=1)).isoformat()
    elif words == "tomorrow":
        iso = (p + dt.timedelta(days=1)).isoformat()
    elif words.endswith("week"):
        shift = {"this": 0, "last": -7, "next": 7}[words.split()[0]]
        iso = (p + dt.timedelta(days=shift)).strftime("%Y-%m")
    elif words.endswith("month"):
        shift = {"this": 0, "last": -1, "next": 1}[words.split()[0]]
        y, mo = divmod(p.year * 12 + p.month - 1 + shift, 12)
        iso = f"{y:04d}-{mo + 1:02d}"
    elif words.endswith("year"):
        iso = str(p.year + {"this": 0, "last": -1, "next": 1}[words.split()[0]])
    else:
        which, season = words.split()
        first, _ = SEASONS[season]
        y = p.year
        last_month = SEASONS[season][1]
        over = p.month > last_month if season != "winter" else 2 < p.month < 12  # the season ended this year
        if which == "last" and not over:
            y -= 1
        elif which == "next" and p.month >= first:
            y += 1
        iso = str(y)
    return DateMention(m.start(), m.end(), iso, reason, future)


def office_window(names: list[str], offices: list[dict[str, str]]) -> tuple[dt.date, dt.date, str] | None:
    """When everyone named held the office the gazetteer gives them: (from, to, why), or None.

    Umerov took office in September 2023 and Anušauskas left his in May 2024: a "November 10" between them is in 2023.
    """
    from storage.values import fold

    lasts = {fold(n.split()[-1]) for n in names if n.split()}
    held = [o for o in offices if fold(o["name"].split()[-1]) in lasts]
    if not held:
        return None
    first = max(dt.date.fromisoformat(o["from"]) for o in held)
    last = min(dt.date.fromisoformat(o.get("to", "2100-01-01")) for o in held)
    if first > last:
        return None
    said = "; ".join(
        f"{o['name']} was {o['office']} from {o['from'][:7]}" + (f" to {o['to'][:7]}" if o.get("to") else "")
        for o in held
    )
    return first, last, said
