"""Amounts of money and counts of things in an article's sentences.

"€234 million", "over EUR 641 million", "around 500 million euros", "$38 million", "EUR 40-50 million", "almost
EUR 80 million", "a billion euros"; "about 1,500 Ukrainian military personnel", "10 M113 armoured vehicles", "more
than 100 generators". Each amount is read by the app's own money parser (``storage.values.parse_money``), the one
the forms and the import use, once its words are found here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.values import AMOUNT_QUALIFIERS, CURRENCY_WORDS, Money, parse_money

# The words before an amount: those that bound or soften it, read as a value's cell reads them, and those that
# say nothing of its bounds.
_LEAD_WORDS = [w for w in AMOUNT_QUALIFIERS if w[0].isalpha()] + ["a total of", "totaling", "totalling", "worth"]
_QUAL = r"(?:(" + "|".join(sorted(map(re.escape, _LEAD_WORDS), key=len, reverse=True)) + r")\s+)?"
_SYM = r"(€|\$|£|¥|US\$|EUR|USD|GBP|CAD|C\$|AUD|A\$|SEK|NOK|DKK|PLN|CZK|CHF|JPY|UAH|NZD|KRW)"
# "1,5 Mrd." and "2,4 mln": a decimal comma, where a scale word follows
_NUM = (
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![,\d])|\d+,\d{1,2}(?=\s*(?:Mrd|mrd|mld|Mio|mln|bln|bn|billion|million)\b)|"
    r"\d+(?:\.\d+)?|a|one|two|three|four|five|six|seven|eight|nine|ten|half a)"
)
_SCALE = r"(?:[\s-]*(million|billion|thousand|milliard|(?:bn|bln|mn|m|b|k|mln|mio|mrd|mld)\b(?:\.(?!\s*$|\s+[A-Z]))?))?"
_WORD_CUR = (
    r"((?:Canadian|Australian|US|U\.S\.|New Zealand) dollars|(?:Danish|Norwegian) kroner|Swedish kron(?:a|or)|"
    r"euros?|Euro|dollars?|pounds?(?: sterling)?|hryvnias?|kroner|krona|kronor|złoty|zlotys?|yen)"
)
_RANGE = r"(?:\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?))?"
_MONEY = re.compile(
    r"\b"
    + _QUAL
    + r"(?:"
    + _SYM
    + r"\s?"
    + _NUM
    + _RANGE
    + _SCALE
    + r"|"
    + _NUM
    + _RANGE
    + _SCALE
    + r"\s+"
    + _WORD_CUR
    + r")",
    re.IGNORECASE,
)
# "€" and "$" are not word characters: the \b above cannot stand before them
_MONEY_SYMBOL = re.compile(r"(?<![\w$€£¥])" + _QUAL + r"(€|\$|£|¥|US\$|C\$|A\$)\s?" + _NUM + _RANGE + _SCALE, re.I)
_WORD_NUMBERS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozens": None,
    "several": None,
    "half a": 0.5,
}
# An article names currencies in more ways than a value's cell does: those are added to the cell's words.
_CURRENCY_CODES = CURRENCY_WORDS | {
    "c$": "CAD",
    "a$": "AUD",
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "kroner": "NOK",
    "krona": "SEK",
    "kronor": "SEK",
    "złoty": "PLN",
}
_CURRENCY_CODES |= {
    "zloty": "PLN", "zlotys": "PLN", "yen": "JPY", "¥": "JPY", "danish kroner": "DKK", "norwegian kroner": "NOK",
    "swedish krona": "SEK", "swedish kronor": "SEK", "new zealand dollars": "NZD", "pounds sterling": "GBP",
    "pound sterling": "GBP",
}  # fmt: skip


@dataclass(frozen=True)
class Amount:
    """An amount of money the text names, where it names it."""

    start: int
    end: int
    money: Money
    upper: float | None = None  # "EUR 40-50 million": 50 million

    @property
    def qualifier(self) -> str:
        """The qualifier field's value: "between" for a range, "exact" where the words give none."""
        return "between" if self.upper else (self.money.qualifier or "exact")


def find_amounts(text: str) -> list[Amount]:
    """The amounts of money in ``text``, in order."""
    found: list[Amount] = []
    for pattern in (_MONEY, _MONEY_SYMBOL):
        for m in pattern.finditer(text):
            if any(a.start < m.end() and m.start() < a.end for a in found):
                continue
            got = _amount(m)
            if got is not None:
                found.append(got)
    return sorted(found, key=lambda a: a.start)


def _amount(m: re.Match[str]) -> Amount | None:
    g = list(m.groups()) + [None] * (9 - len(m.groups()))  # the symbol form has no second half
    qualifier_word = (g[0] or "").lower()
    symbol, number, upper, scale = g[1], g[2], g[3], g[4]
    word_currency = None
    if symbol is None:
        number, upper, scale, word_currency = g[5], g[6], g[7], g[8]
    if number is None:
        return None
    currency = _CURRENCY_CODES.get((symbol or word_currency or "").lower()) or (symbol or "").upper() or None
    code = re.match(r"\s+(AUD|CAD|USD|NZD|SGD|HKD)\b", m.string[m.end() : m.end() + 5])
    if symbol == "$" and code:  # "$25 million AUD": the dollar it names
        currency = code[1]
    scale = (scale or "").rstrip(".") or None
    scale = {"mrd": "bn", "mld": "bn", "milliard": "bn", "bln": "bn", "mio": "mln"}.get((scale or "").lower(), scale)
    if number.lower() in _WORD_NUMBERS:
        value = _WORD_NUMBERS[number.lower()]
        if value is None or not scale:
            return None
        written = f"{value} {scale}"
    else:
        if re.fullmatch(r"\d+,\d{1,2}", number):
            number = number.replace(",", ".")  # a decimal comma, before a scale word
        written = f"{number} {scale or ''}"
    if not scale and number.lower() in _WORD_NUMBERS:
        return None
    try:
        money = parse_money(f"{written} {currency or ''}".strip())
    except ValueError:
        return None
    if money is None or not currency:
        return None
    qualifier = AMOUNT_QUALIFIERS.get(qualifier_word) if qualifier_word else None
    top = None
    if upper:
        try:
            top_money = parse_money(f"{upper} {scale or ''}".strip())
            top = top_money.amount if top_money else None
        except ValueError:
            top = None
    amount = round(money.amount, 2)  # 3.33 billion is 3330000000, not 3329999999.9999995
    return Amount(m.start(), m.end(), Money(int(amount) if amount == int(amount) else amount, currency, qualifier), top)


@dataclass(frozen=True)
class Count:
    """A number of things: "about 1,500 Ukrainian military personnel" is 1500 persons, about."""

    start: int
    end: int
    number: int
    unit: str
    qualifier: str
    noun: str


_PERSONS = (
    r"personnel(?!\s+carriers?)|soldiers|troops|servicemen|servicewomen|service members|people|instructors|cadets|"
    r"recruits|pilots|officers|specialists|crews|crew members|medics"
)
_ROUNDS = r"rounds|shells|cartridges|projectiles|bullets|grenades|mines"
_COUNT = re.compile(
    # not a model's number ("F-16", "T-72", "Mi-17"), nor the end of a decimal ("1.5 million")
    r"(?<![\w\-/.,])(?:(?<!hand )(?<!handed )(?<!hands )(?<!turn )(?<!turned )"
    r"(over|more than|about|around|approximately|some|nearly|almost|up to|at least|an additional|additional)\s+)?"
    r"(?<![\w\-/.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?=\s+(?:million|thousand)\b)|\d+(?![.,]\d)|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|hundreds of|thousands of|dozens of)"
    r"(\s+(?:million|thousand))?"
    r"((?:\s+[\w'’\-/.]+){1,5}?)\s*(?=[,.;:()]|\s+(?:and|for|to|from|with|in|as|which|that|are|were|will|was|have|has|had|is|of)\b|$)",
    re.IGNORECASE,
)


def find_counts(text: str, money: list[Amount]) -> list[Count]:
    """Counts of things in ``text``, leaving out the amounts of money, years and percentages."""
    found: list[Count] = []
    for m in _COUNT.finditer(text):
        if any(a.start <= m.start(2) < a.end for a in money):
            continue
        qualifier_word, number_word, scale, noun = m[1], m[2].lower(), m[3], (m[4] or "").strip()
        if not noun or re.match(
            r"^(?:%|percent|per cent|years?|months?|days?|weeks?|hours?|km|kilometres|euros?|dollars?|million|"
            r"billion|times|mm|cm|millimet\w*|calibre|caliber)\b",
            noun,
            re.I,
        ):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", number_word) or re.match(
            r"^(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", noun
        ):
            continue
        if (
            re.search(r"\b(?:on|of)\s*$", text[max(0, m.start() - 4) : m.start()])
            and number_word.isdigit()
            and int(number_word) <= 31
        ):
            continue  # "on 15 October"
        value = _WORD_NUMBERS.get(number_word)
        if number_word.endswith(" of") or (value is None and not number_word[0].isdigit()):
            continue  # "hundreds of": no number to record
        number = float(number_word.replace(",", "")) if number_word[0].isdigit() else float(value or 0)
        if scale:
            number *= 1_000_000 if "million" in scale.lower() else 1_000
        if number != int(number):
            continue  # "1.5 rounds": no count
        n = int(number)
        if n <= 0:
            continue
        unit = (
            "persons"
            if re.search(r"\b(?:" + _PERSONS + r")\b", noun, re.I)
            else (
                "rounds"
                if re.search(r"\b(?:" + _ROUNDS + r")\b", noun, re.I)
                else "sets"
                if re.search(r"\bsets?\b", noun, re.I)
                else "units"
            )
        )
        qualifier = AMOUNT_QUALIFIERS.get((qualifier_word or "").lower(), "")  # a count's words are an amount's
        found.append(Count(m.start(), m.end(), n, unit, qualifier, noun))
    return found
