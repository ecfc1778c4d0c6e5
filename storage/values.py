"""Parsing of the values people type or paste: partial dates, money, numbers, and text folded for matching.

The forms, the command line and the importers all parse through here, so "2.4m" or "13 Aug 2024" means the same
thing wherever it is typed. Every parser raises ``ValueError`` with a message for the user; callers turn it into a
``FieldError`` that names the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

_T = TypeVar("_T")
MIN_YEAR = 1900
MAX_YEAR = 2100

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
# Words that make a date vaguer but not different: "early October 2024" is 2024-10 at month precision.
_VAGUE_WORDS = re.compile(
    r"\b(early|mid|late|end|beginning|start|middle|of|in|on|around|about|approx\.?|circa|ca\.?|the|until|since|by|"
    r"before|after)\b",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """Text folded for matching: no diacritics, case-folded, spaces collapsed ("Kasčiūnas" -> "kasciunas")."""
    if text.isascii():  # most of a big file's text: NFKD and casefold change nothing in it but the case
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"day {day} does not exist in {year:04d}-{month:02d}") from None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_precision(iso: str) -> str:
    """'year', 'month' or 'day' for a stored partial date."""
    return {4: "year", 7: "month", 10: "day"}[len(iso)]


def parse_date(value: object, *, month_first: bool = False) -> str | None:
    """Parse a full or partial date into ISO text of year, month or day precision.

    Takes "2024", "2024-10", "2024-10-15", "15.10.2024", "13 Aug 2024", "August 13, 2024", "Oct 2024",
    "early October 2024", "10/2022", and date objects. "3/4/2024" is day-first unless ``month_first`` (as in files
    from US trackers); a part over 12 settles it either way.

    Returns:
        The ISO text, or None for an empty value.

    Raises:
        ValueError: the value is not a date this app can read.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _iso(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _iso(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        if float(value).is_integer() and MIN_YEAR <= value <= MAX_YEAR:
            return _iso(int(value))
        raise ValueError(f"{value!r} is not a date")
    text = " ".join(str(value).split())
    if not text:
        return None
    return _parse_date_text(text, month_first)


def _parse_date_text(text: str, month_first: bool) -> str:
    original = text
    # "until 3/16/2022", "early October 2024": the vague words go first, whatever form the date has.
    text = " ".join(_VAGUE_WORDS.sub(" ", text).split()) or text
    # ISO forms first: 2024, 2024-10, 2024-10-15, also with / or . between parts, and a time part ignored.
    m = re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if m:
        return _iso(int(m[1]), _int_or_none(m[2]), _int_or_none(m[3]))
    # Numeric day and month before the year: 15.10.2024, 3/4/2024, 10/2022.
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    if m:
        a, b = int(m[1]), int(m[2])
        if a > 12 or (b <= 12 and not month_first):
            return _iso(int(m[3]), b, a)
        return _iso(int(m[3]), a, b)
    m = re.fullmatch(r"(\d{1,2})[./-](\d{4})", text)
    if m:
        return _iso(int(m[2]), int(m[1]))
    # Words: "13 Aug 2024", "August 13, 2024", "early October 2024", "Oct. 2024".
    words = _VAGUE_WORDS.sub(" ", text.replace(",", " ").replace(".", " "))
    tokens = [t.lower() for t in words.split()]
    if not tokens:
        raise ValueError(f"'{original}' is not a date")
    year: int | None = None
    month: int | None = None
    day: int | None = None
    for token in tokens:
        if token.isdigit() and len(token) == 4 and year is None:
            year = int(token)
        elif token.rstrip("stndrh").isdigit() and len(token.rstrip("stndrh")) <= 2 and day is None:
            day = int(token.rstrip("stndrh"))
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
        else:
            raise ValueError(f"'{original}' is not a date (try 2024-08-13, 13 Aug 2024, 2024-08 or 2024)")
    if year is None:
        raise ValueError(f"'{original}' has no year (write it as 2024-08-13, 13 Aug 2024 or 2024)")
    if day is not None and month is None:
        raise ValueError(f"'{original}' has a day but no month")
    return _iso(year, month, day)


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text else None


def format_date(iso: str | None) -> str:
    """A stored partial date as people read it: "13 Aug 2024", "Aug 2024", "2024"."""
    if not iso:
        return ""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return f"{parts[0]:04d}"
    month = dt.date(2000, parts[1], 1).strftime("%b")
    if len(parts) == 2:
        return f"{month} {parts[0]:04d}"
    return f"{parts[2]} {month} {parts[0]:04d}"


# --- vague dates ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VagueDate:
    """A date as far as it is known, read from a cell or a form: one representation for the import and the forms.

    A plain date ("2024-10-15", "13 Aug 2024", a date object) has no qualifier, no text kept and is not inferred,
    so nothing beyond ``iso`` is stored for it.

    Attributes:
        iso: the partial ISO date at the precision known: "2025", "2022-10", "2022-03-16". For a range, its lower
            bound; for "until", "by" or "before", the bound as given.
        qualifier: one of ``DATE_QUALIFIERS`` (before, by, until, about, between, from), or None.
        as_written: the text as written, kept whenever it said more or less than ``iso`` (None for a plain date).
        inferred: the date is not stated plainly but read from a bound, a range, a season, "early", "unclear" or a
            short form such as "04/22": the record is to be marked uncertain.
    """

    iso: str
    qualifier: str | None = None
    as_written: str | None = None
    inferred: bool = False


# Words before a date that bound or soften it, folded to lower case, and the qualifier each gives. Typos seen in the
# trackers' files are here too ("unti 10/3/2022").
_DATE_QUALIFIER_WORDS = {
    "until": "until",
    "unti": "until",
    "untill": "until",
    "till": "until",
    "til": "until",
    "up to": "until",
    "up until": "until",
    "by": "by",
    "no later than": "by",
    "not later than": "by",
    "before": "before",
    "prior to": "before",
    "earlier than": "before",
    "about": "about",
    "around": "about",
    "approx": "about",
    "approx.": "about",
    "approximately": "about",
    "circa": "about",
    "ca": "about",
    "ca.": "about",
    "c.": "about",
    "roughly": "about",
    "~": "about",
    "from": "from",
    "since": "from",
    "after": "from",
    "starting": "from",
    "between": "between",
}
# Words that say the date is uncertain without bounding it: "unclear, 10/2022", "not specified, 03/22".
_DATE_DOUBT_WORDS = (
    "unclear",
    "not specified",
    "unspecified",
    "not known",
    "unknown",
    "uncertain",
    "not clear",
    "estimated",
    "est.",
    "est",
    "reportedly",
    "possibly",
    "probably",
    "presumably",
    "likely",
    "expected",
)


def _prefix_re(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"^(" + alternatives + r")(?:\s*[,:;]\s*|\s+|(?<=~)|$)", re.IGNORECASE)


_DATE_QUALIFIER_RE = _prefix_re(_DATE_QUALIFIER_WORDS)
_DATE_DOUBT_RE = _prefix_re(_DATE_DOUBT_WORDS)
# Words inside a date that make it vaguer ("early October 2024", "end of 2024"), and seasons, quarters and halves,
# which give no month: "by summer 2025" is 2025.
_SOFTENING = re.compile(r"\b(early|mid|late|end|beginning|start|middle|around|about|approx|circa|ca)\b", re.I)
_SEASONS = re.compile(
    r"\b(spring|summer|autumn|fall|winter|q[1-4]|h[12]|(?:first|second|1st|2nd) half|"
    r"(?:first|second|third|fourth|last|1st|2nd|3rd|4th) quarter)\b",
    re.IGNORECASE,
)
# "3/4/22", "3.4.22": day, month and a two-digit year; "04/22": a month and a two-digit year.
_SHORT_YEAR_DATE = re.compile(r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{2})\b")
_MONTH_SHORT_YEAR = re.compile(r"(\d{1,2})[/.](\d{2})")
# The parts of a range: "3/4/22 & 3/11/22", "3/20/2022 and 7/1/2022", "March to May 2024", "2022 - 2023".
_RANGE_SPLIT = re.compile(r"\s*(?:&|\band\b|\bto\b|\buntil\b|\btill\b|\s[-–—]\s|–|—)\s*", re.IGNORECASE)
_NUMERIC_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}")


def full_year(two_digits: int) -> int:
    """The year a two-digit year stands for: "22" is 2022, "99" is 1999 (00-69 are 2000-2069, 70-99 the 1900s)."""
    return 2000 + two_digits if two_digits < 70 else 1900 + two_digits


def parse_vague_date(value: object, *, month_first: bool = False) -> VagueDate | None:
    """A date as far as it is known, with how it was qualified and whether it was inferred.

    Reads everything ``parse_date`` reads, as a plain date (no qualifier, no text kept, not inferred), and the forms
    the trackers write:

    - a bound: "until 3/16/2022" (also "unti 10/3/2022"), "by summer 2025" (2025, "by"), "before 2023",
      "from March 2024", "about May 2024";
    - a range: "between 3/4/22 & 3/11/22", "between 3/20/2022 and 7/1/2022", "from March to May 2024": the lower
      bound at its precision, qualifier "between";
    - doubt: "unclear, 10/2022", "not specified, 03/22" (no qualifier, inferred);
    - softening and short forms: "early October 2024" (2024-10), "04/22" (2022-04), all inferred.

    Every form but the plain one keeps its text and is inferred. Two-digit years are 2000-2069 and 1970-1999
    (``full_year``). A date that does not exist ("06/31/2022") or a year outside 1900-2100 (a typo such as 2922) is
    an error, never a guess at another date.

    Args:
        value: text, a date or datetime, or a year as a number.
        month_first: read "3/4/2022" as March 4 (files from US trackers); a part over 12 settles it either way, and
            in a range either bound settles both.

    Returns:
        The date, or None for an empty value.

    Raises:
        ValueError: not a date that can be read; the message quotes the value.
    """
    if value is None or isinstance(value, dt.date | int | float | bool):
        iso = _quoting(value, lambda: parse_date(value))
        return None if iso is None else VagueDate(iso)
    written = str(value).strip()
    text = " ".join(written.split())
    if not text:
        return None
    return _quoting(written, lambda: _parse_vague_text(text, written, month_first))


def _quoting(value: object, parse: Callable[[], _T]) -> _T:
    """``parse()``, its error message made to quote the value it could not read."""
    try:
        return parse()
    except ValueError as exc:
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        message = str(exc)
        if shown not in message:
            message = f"'{shown}': {message}"
        raise ValueError(message) from None


def _parse_vague_text(text: str, written: str, month_first: bool) -> VagueDate:
    qualifier: str | None = None
    doubt = False
    while True:  # "unclear, until 3/2022": each word of doubt or bound in turn
        m = _DATE_DOUBT_RE.match(text)
        if m and m.end() < len(text):
            doubt = True
            text = text[m.end() :]
            continue
        m = _DATE_QUALIFIER_RE.match(text)
        if m and m.end() < len(text) and qualifier is None:
            qualifier = _DATE_QUALIFIER_WORDS[m[1].lower()]
            text = text[m.end() :]
            continue
        break
    if qualifier in (None, "between", "from"):
        bounds = _range(text, month_first)
        if bounds is not None:
            return VagueDate(bounds, "between", written, True)
        if qualifier == "between":
            raise ValueError("'between' needs two dates ('between 3/4/2022 and 3/11/2022')")
    iso, softened = _one_date(text, month_first)
    if qualifier is None and not doubt and not softened:
        return VagueDate(iso)
    return VagueDate(iso, qualifier, written, True)


def _range(text: str, month_first: bool) -> str | None:
    """The lower bound of "A and B" (at its precision), or None when the text is not two dates."""
    parts = _RANGE_SPLIT.split(text)
    if len(parts) != 2 or not all(parts):
        return None
    lower, upper = parts
    settled = [_day_month_order(p) for p in parts]
    if any(s is not None for s in settled):  # one bound over 12 tells the other how to read
        month_first = next(s for s in settled if s is not None)
    try:
        high, _ = _one_date(upper, month_first)
    except ValueError:
        return None
    try:
        low, _ = _one_date(lower, month_first)
    except ValueError:
        if re.search(r"\d{4}", lower):
            raise
        low, _ = _one_date(f"{lower} {high[:4]}", month_first)  # "between March and May 2024"
    if low[: len(high)] > high[: len(low)]:
        raise ValueError(f"the first date ({format_date(low)}) is after the second ({format_date(high)})")
    return low


def _day_month_order(text: str) -> bool | None:
    """Whether a numeric date is month first (True), day first (False), or could be either (None)."""
    m = _NUMERIC_DMY.search(text)
    if not m:
        return None
    a, b = int(m[1]), int(m[2])
    if a > 12 >= b:
        return False
    if b > 12 >= a:
        return True
    return None


def _one_date(text: str, month_first: bool) -> tuple[str, bool]:
    """One date through ``parse_date``, and whether it was softened (a season, "early", a short form)."""
    softened = False
    text = re.sub(r"\b(early|mid|late)-", r"\1 ", text, flags=re.IGNORECASE)  # "mid-2024"
    without_seasons = " ".join(_SEASONS.sub(" ", text).replace(" of ", " ").split())
    if without_seasons != text:
        softened, text = True, without_seasons
    softened = softened or _SOFTENING.search(text) is not None
    m = _MONTH_SHORT_YEAR.fullmatch(text)
    if m:  # "04/22": April 2022 (it might have been a day without a year: inferred)
        text, softened = f"{int(m[1])}/{full_year(int(m[2]))}", True
    text = _SHORT_YEAR_DATE.sub(lambda d: f"{d[1]}{d[2]}{d[3]}{d[2]}{full_year(int(d[4]))}", text)
    iso = parse_date(text, month_first=month_first)
    if iso is None:
        raise ValueError("no date")
    return iso, softened


# --- money ---------------------------------------------------------------------------------------------------------

# The words and signs that name a currency beside an amount (folded to lower case), and its ISO code.
CURRENCY_WORDS = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "₴": "UAH",
    "uah": "UAH",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "zł": "PLN",
    "pln": "PLN",
}
_MULTIPLIERS = {
    "k": 1_000,
    "thousand": 1_000,
    "thousands": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "mio": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "mld": 1_000_000_000,
    "billion": 1_000_000_000,
    "billions": 1_000_000_000,
}
# The words before an amount that bound or soften it ("over EUR 640 million"), in lower case, and the qualifier each
# gives: a value's cell and an article's sentence read them alike.
AMOUNT_QUALIFIERS = {
    "over": "over",
    "more than": "over",
    "above": "over",
    "in excess of": "over",
    "at least": "over",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "approx": "about",
    "roughly": "about",
    "some": "about",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "an estimated": "about",
    "~": "about",
    "up to": "up to",
    "under": "up to",
    "less than": "up to",
    "exactly": "exact",
}
_QUALIFIER_RE = re.compile(
    r"^(" + "|".join(sorted(map(re.escape, AMOUNT_QUALIFIERS), key=len, reverse=True)) + r")\b\s*", re.IGNORECASE
)
_NUMBER_RE = re.compile(r"[-+]?\d[\d\s,.'\u00a0\u202f]*")


@dataclass(frozen=True)
class Money:
    """An amount in full units (641000000, not 641), with its currency code and qualifier where the text gave them."""

    amount: int | float
    currency: str | None = None
    qualifier: str | None = None

    def describe(self) -> str:
        """What was understood, for the form to show beside the field: "over EUR 641,000,000"."""
        parts = [self.qualifier if self.qualifier and self.qualifier != "exact" else "", self.currency or ""]
        parts.append(format_number(self.amount))
        return " ".join(p for p in parts if p)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and its noun, in the singular for one: "1 row", "2,000 rows", "3 conflicts"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def format_number(value: int | float) -> str:
    """A number with thousands separators, and decimals only where it has them."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _whole(value: float) -> int | float:
    if value.is_integer():  # most amounts: skip the rounding
        return int(value)
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


# How a column writes its numbers: "1,234.5" (a comma groups thousands, a point marks decimals), "1.234,5" (the
# other way round), or "auto" (each cell decides as it can: "2,5" is 2.5, "1,500" is 1500, "1.5" is 1.5).
NumberStyle = Literal["auto", "1,234.5", "1.234,5"]
NUMBER_STYLES: tuple[NumberStyle, ...] = ("auto", "1,234.5", "1.234,5")
_SPACE_GROUPS = re.compile(r"[\s'\u00a0\u202f]")


def number_style(cells: Iterable[object]) -> NumberStyle:
    """The number style a column's cells show: "1,234.5", "1.234,5", or "auto" when they do not tell.

    A cell tells only when it cannot be read both ways: "1,234.5", "2,5" or "216.67" (one separator, not followed by
    three digits), "1,234,567" or "1.234.567" (groups of three). "1,500" and "1.000" could be either and count for
    nothing; numbers (not text) never do. Where cells tell both ways the larger count wins; a tie is "auto".

    Args:
        cells: the column's values, in any number (a few thousand are enough).

    Returns:
        The style to pass to ``parse_number``, ``parse_integer`` and ``parse_money``.
    """
    point = comma = 0  # cells saying "." is the decimal mark / "," is
    for cell in cells:
        if not isinstance(cell, str) or len(cell) > 40:
            continue
        m = _NUMBER_RE.search(cell)
        if not m:
            continue
        digits = _SPACE_GROUPS.sub("", m.group()).strip(".,")
        if "," in digits and "." in digits:
            if digits.rfind(",") > digits.rfind("."):
                comma += 1
            else:
                point += 1
        elif "," in digits:
            if digits.count(",") > 1:
                point += _THOUSANDS[","].fullmatch(digits) is not None
            elif not re.fullmatch(r"\d{1,3},\d{3}", digits):
                comma += 1
        elif "." in digits:
            if digits.count(".") > 1:
                comma += _THOUSANDS["."].fullmatch(digits) is not None
            elif not re.fullmatch(r"\d{1,3}\.\d{3}", digits):
                point += 1
    if point > comma:
        return "1,234.5"
    if comma > point:
        return "1.234,5"
    return "auto"


def parse_number(value: object, *, style: NumberStyle = "auto") -> int | float | None:
    """A plain number: "1 500", "1,500", "2,5", "1.234.567", "216.67", 1500.0.

    Read strictly: a separator that groups thousands must group them all by three ("1.000.00" and "1,50,000" cannot
    be read, never 100,000 or 150,000).

    Args:
        value: the text or number.
        style: the column's number style (``number_style``). "auto" reads each cell as it can: a lone comma not
            followed by three digits is a decimal comma, several points group thousands. "1.234,5" reads "1.000"
            as 1000 and "1,5" as 1.5; "1,234.5" reads "1,5" as an error and "1.000" as 1.

    Raises:
        ValueError: not a number, or separators that do not group thousands.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} is not a number")
        return _whole(float(value)) if isinstance(value, float) else value
    text = str(value).strip()
    if not text:
        return None
    if not _NUMBER_RE.fullmatch(text):
        raise ValueError(f"'{text}' is not a number")
    return _whole(_number_from_digits(text, style))


_THOUSANDS = {sep: re.compile(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+") for sep in ",."}


def _number_from_digits(text: str, style: NumberStyle = "auto") -> float:
    unreadable = f"'{text}' cannot be read as a number"
    body = text.strip()
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in "+-" else body
    if _SPACE_GROUPS.search(body):  # "1 500 000", "1'500": spaces group thousands by three, nothing else
        if not re.fullmatch(r"\d{1,3}(?:[\s'\u00a0\u202f]\d{3})+(?:[.,]\d+)?", body):
            raise ValueError(f"{unreadable} (its spaces do not group thousands by three)")
        body = _SPACE_GROUPS.sub("", body)
    if style == "1,234.5":
        decimal = "."
    elif style == "1.234,5":
        decimal = ","
    elif "," in body and "." in body:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
    elif "," in body:
        # 1,500 and 1,500,000 group thousands; 2,4 has a decimal comma.
        decimal = "." if _THOUSANDS[","].fullmatch(body) or body.count(",") > 1 else ","
    else:
        decimal = "," if body.count(".") > 1 else "."  # 1.500.000 groups thousands
    thousands = "," if decimal == "." else "."
    whole, _, fraction = body.partition(decimal)
    if decimal in fraction:
        raise ValueError(f"{unreadable} (more than one decimal '{decimal}')")
    if thousands in fraction:
        raise ValueError(f"{unreadable} (a thousands '{thousands}' after the decimal '{decimal}')")
    if thousands in whole:
        if not _THOUSANDS[thousands].fullmatch(whole):
            raise ValueError(f"{unreadable} (its '{thousands}' does not group thousands by three)")
        whole = whole.replace(thousands, "")
    if not whole.isdigit() or not whole.isascii() or (fraction and not (fraction.isdigit() and fraction.isascii())):
        raise ValueError(unreadable)
    return sign * float(f"{whole}.{fraction}" if fraction else whole)


def parse_integer(value: object, *, style: NumberStyle = "auto") -> int | None:
    """A whole number such as a quantity: "1 500", "1,500", "about 1,500" (the qualifier is dropped).

    A fraction ("216.67") is refused, not rounded: a count of items cannot be read from it, and the caller keeps
    the text (in a note) rather than a number the source never gave. So are words ("dozens", "partially").

    Args:
        value: the text or number.
        style: the column's number style, as for ``parse_number``.

    Raises:
        ValueError: not a whole number; the message quotes the text.
    """
    if isinstance(value, str):
        original = value.strip()
        value = _QUALIFIER_RE.sub("", original)
        if not value and original:  # "some", "over": a qualifier of nothing
            raise ValueError(f"'{original}' is not a number")
    number = parse_number(value, style=style)
    if number is None:
        return None
    if isinstance(number, float):
        raise ValueError(f"'{value}' is not a whole number (a count cannot have a fraction)")
    return number


def parse_money(value: object, *, style: NumberStyle = "auto") -> Money | None:
    """Parse an amount of money as people write it.

    Takes "EUR 234 million", "€2.4 million", "234,000,000", "2.4m", "over EUR 641 million", "1.2 bn USD",
    "about 500 million euros" and plain numbers.

    Args:
        value: the text or number.
        style: the column's number style, as for ``parse_number``.

    Raises:
        ValueError: not an amount of money.
    """
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = parse_number(value)
        return None if number is None else Money(number)
    text = " ".join(str(value).split())
    if not text:
        return None
    original = text
    qualifier = None
    m = _QUALIFIER_RE.match(text)
    if m:
        qualifier = AMOUNT_QUALIFIERS[m[1].lower()]
        text = text[m.end() :]
    currency = None
    # Symbols may touch the number ("€2.4m"), so split them off before reading words.
    text = re.sub(r"(€|\$|£|₴|zł)", r" \1 ", text)
    number_match = _NUMBER_RE.search(text)
    if not number_match:
        raise ValueError(f"'{original}' has no number in it")
    amount = _number_from_digits(number_match.group().strip(), style)
    words = (text[: number_match.start()] + " " + text[number_match.end() :]).split()
    multiplier = 1
    for word in words:
        key = word.lower().rstrip(".")
        if key in CURRENCY_WORDS and currency is None:
            currency = CURRENCY_WORDS[key]
        elif key in _MULTIPLIERS and multiplier == 1:
            multiplier = _MULTIPLIERS[key]
        elif re.fullmatch(r"[A-Z]{3}", word) and currency is None:
            currency = word
        elif key not in ("of", "in", "worth"):
            raise ValueError(f"'{original}': cannot read '{word}' (try 'EUR 234 million', '2.4m' or '234000000')")
    return Money(_whole(amount * multiplier), currency, qualifier)


def parse_bool(value: object) -> bool | None:
    """Yes/no from a check box, a spreadsheet cell or typed text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = fold(str(value))
    if text in ("1", "yes", "y", "true", "x", "uncertain"):
        return True
    if text in ("0", "no", "n", "false", "-"):
        return False
    raise ValueError(f"'{value}' is not yes or no")
