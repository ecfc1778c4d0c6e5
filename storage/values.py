"""Parsing of the values people type or paste: partial dates, money, numbers, and text folded for matching.

The forms, the command line and the importers all parse through here, so "2.4m" or "13 Aug 2024" means the same
thing wherever it is typed. Every parser raises ``ValueError`` with a message for the user; callers turn it into a
``FieldError`` that names the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

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


# --- money ---------------------------------------------------------------------------------------------------------

_CURRENCY_WORDS = {
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
_QUALIFIERS = {
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
    "~": "about",
    "up to": "up to",
    "under": "up to",
    "less than": "up to",
    "exactly": "exact",
}
_QUALIFIER_RE = re.compile(
    r"^(" + "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True)) + r")\b\s*", re.IGNORECASE
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


def parse_number(value: object) -> int | float | None:
    """A plain number: "1 500", "1,500", "2,5", "1.234.567", 1500.0.

    Raises:
        ValueError: not a number.
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
    return _whole(_number_from_digits(text))


def _number_from_digits(text: str) -> float:
    digits = re.sub(r"[\s'\u00a0\u202f]", "", text)
    sign = -1.0 if digits.startswith("-") else 1.0
    digits = digits.lstrip("+-")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        groups = digits.split(",")
        if len(groups) > 2 or all(len(g) == 3 for g in groups[1:]):
            digits = digits.replace(",", "")  # 1,500 and 1,500,000: thousands
        else:
            digits = digits.replace(",", ".")  # 2,4: a decimal comma
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")  # 1.500.000: thousands
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        raise ValueError(f"'{text}' is not a number")
    return sign * float(digits)


def parse_integer(value: object) -> int | None:
    """A whole number such as a quantity: "1 500", "1,500", "about 1,500" (the qualifier is dropped).

    Raises:
        ValueError: not a whole number.
    """
    if isinstance(value, str):
        value = _QUALIFIER_RE.sub("", value.strip())
    number = parse_number(value)
    if number is None:
        return None
    if isinstance(number, float):
        raise ValueError(f"'{value}' is not a whole number")
    return number


def parse_money(value: object) -> Money | None:
    """Parse an amount of money as people write it.

    Takes "EUR 234 million", "€2.4 million", "234,000,000", "2.4m", "over EUR 641 million", "1.2 bn USD",
    "about 500 million euros" and plain numbers.

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
        qualifier = _QUALIFIERS[m[1].lower()]
        text = text[m.end() :]
    currency = None
    # Symbols may touch the number ("€2.4m"), so split them off before reading words.
    text = re.sub(r"(€|\$|£|₴|zł)", r" \1 ", text)
    number_match = _NUMBER_RE.search(text)
    if not number_match:
        raise ValueError(f"'{original}' has no number in it")
    amount = _number_from_digits(number_match.group().strip())
    words = (text[: number_match.start()] + " " + text[number_match.end() :]).split()
    multiplier = 1
    for word in words:
        key = word.lower().rstrip(".")
        if key in _CURRENCY_WORDS and currency is None:
            currency = _CURRENCY_WORDS[key]
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
