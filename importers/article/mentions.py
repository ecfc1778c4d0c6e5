"""What an article's words name: countries, people with their roles, organisations, places and equipment.

Names are found by looking each run of words up in a gazetteer (the countries pycountry knows, their adjectives,
the organisations and equipment in this package's data files, and every actor and item the database holds), longest
run first. People the database does not know yet are found by their form: a name beside the title of an office
("Minister of National Defence Laurynas Kasčiūnas", "Kasčiūnas, Lithuania's defence minister").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from storage.values import fold

DATA = Path(__file__).parent
MAX_WORDS = 7  # the longest name looked up, in words


@dataclass(frozen=True)
class Token:
    """A word of the text: where it is, as written, and folded for lookups."""

    start: int
    end: int
    text: str
    key: str


@dataclass
class Mention:
    """Something the text names, where it names it.

    Attributes:
        type: "country", "person", "organisation", "coalition", "place" or "equipment".
        start: where it starts in the article's text.
        end: where it ends.
        name: the name to record (a country's name for "Lithuanian"; the category for an equipment term).
        role: a person's role as written beside the name; for equipment, "system" or "term".
        country: the country a person or organisation belongs to, where the words say.
        known: the database's row id of the actor, where it knows one.
    """

    type: str
    start: int
    end: int
    name: str
    role: str = ""
    country: str = ""
    known: int | None = None
    words: str = field(default="", compare=False)


_TOKEN = re.compile(r"[^\W_](?:[\w'’.\-/]*[^\W_])?\.?")
_POSSESSIVE = re.compile(r"['’]s?$")


def tokens(text: str) -> list[Token]:
    """The words of ``text``, each folded as the gazetteer's keys are."""
    return [Token(m.start(), m.end(), m[0], word_key(m[0])) for m in _TOKEN.finditer(text)]


def word_key(word: str) -> str:
    """A word as looked up: folded, without a full stop, a possessive or a plural "s" ("Lithuania’s" -> lithuania)."""
    word = _POSSESSIVE.sub("", word.rstrip("."))
    key = fold(word).replace(".", "")
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return key


def name_key(name: str) -> tuple[str, ...]:
    """The key of a name of several words."""
    return tuple(word_key(m[0]) for m in _TOKEN.finditer(name))


@dataclass(frozen=True)
class Entry:
    """What a gazetteer key names."""

    type: str
    name: str
    exact_case: str = ""  # short acronyms ("US", "EU", "SAM") match only as written, never "us" or "sam"
    role: str = ""
    country: str = ""
    known: int | None = None


class Gazetteer:
    """Names by their folded words, looked up longest first."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], list[Entry]] = {}

    def add(self, name: str, entry: Entry) -> None:
        """Let ``name`` find ``entry`` (short capitals only as written)."""
        key = name_key(name)
        if not key:
            return
        if len(name) <= 4 and name.isupper():
            entry = Entry(entry.type, entry.name, name, entry.role, entry.country, entry.known)
        known = self.entries.setdefault(key, [])
        if entry not in known:
            known.append(entry)

    def find(self, words: list[Token], at: int) -> tuple[int, Entry] | None:
        """The longest name starting at word ``at``: how many words it takes, and what it names."""
        for n in range(min(MAX_WORDS, len(words) - at), 0, -1):
            found = self.entries.get(tuple(w.key for w in words[at : at + n]))
            if not found:
                continue
            for entry in found:
                if entry.exact_case:
                    written = _POSSESSIVE.sub("", words[at].text.rstrip(".")).replace(".", "")
                    if n != 1 or written.rstrip("s") != entry.exact_case.replace(".", "").rstrip("s"):
                        continue
                return n, entry
        return None


KNOWN_NAME = "known name"  # the role of an organisation the gazetteer names (NATO), not found by its form only


@cache
def office_holders() -> dict[str, dict[str, str]]:
    """Folded last name -> the office holder of the gazetteer who has it, where only one does ("Biden")."""
    found: dict[str, list[dict[str, str]]] = {}
    for o in data()["offices"]:
        found.setdefault(last_name(o["name"]), []).append(o)
    return {k: v[0] for k, v in found.items() if len({o["name"] for o in v}) == 1}


@cache
def data() -> dict[str, Any]:
    """The gazetteer's data file, read once."""
    with (DATA / "gazetteer.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def equipment_data() -> dict[str, Any]:
    """The equipment vocabulary's data file, read once."""
    with (DATA / "equipment.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def countries() -> dict[str, str]:
    """Every name a country goes by (its names, short forms and adjectives) -> the name to record."""
    import pycountry

    names: dict[str, str] = {}
    plain: dict[str, str] = {}
    for c in pycountry.countries:
        shown = getattr(c, "common_name", None) or c.name
        plain[c.name] = shown
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                names[n] = shown
    for other, name in {**data()["country_names"], **data()["adjectives"]}.items():
        names[other] = plain.get(name, name)
    names["Russian Federation"] = names["Russia"] = "Russia"  # as people write it, the sample's actor too
    names["Russian"] = "Russia"
    return names


@cache
def adjectives() -> dict[str, str]:
    """Folded adjective -> the country it names ("lithuanian" -> Lithuania)."""
    names = countries()
    return {word_key(a): names.get(a, c) for a, c in data()["adjectives"].items()}


@cache
def built_in() -> Gazetteer:
    """The names known without the database: countries, organisations, places and equipment."""
    g = Gazetteer()
    for name, shown in countries().items():
        g.add(name, Entry("country", shown))
    for name, shown in data()["organisations"].items():
        g.add(name, Entry("coalition" if "coalition" in shown.lower() else "organisation", shown, role=KNOWN_NAME))
    for place in data()["places"]["names"]:
        g.add(place, Entry("place", place))
    eq = equipment_data()
    for table, how in ((eq["terms"], "term"), (eq["systems"], "system")):
        for category, terms in table.items():
            for term in terms:
                g.add(term, Entry("equipment", category, role=how))
    return g


HEADS = frozenset(word_key(w) for head in data()["roles"]["heads"] for w in head.split()) - {"of", "the", "for", "and"}
# Words of a title that are not heads of it: "Minister of National Defence", "Deputy Minister of Strategic Industries"
_TITLE_WORDS = frozenset(
    word_key(w)
    for w in (
        "of the for and on National Defence Defense Foreign Affairs Strategic Industries State Armed Forces Federal"
        " Justice Interior Economy Finance Digital Transformation International Development Veterans Security"
        " Ministry Staff Joint Chiefs Army Navy Air Force Land Forces Policy Acquisition Sustainment Ukraine's"
        " Mr Mrs Ms Dr Sir Dame Lord Lady Honourable Rt Hon Gen Lt Maj Col Adm"
    ).split()
)
_NAME_STOP = frozenset(
    word_key(w)
    for w in (
        "The A An In On At By For With From To This That These Those It Its Their His Her Our We I They He She"
        " Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March"
        " April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept"
        " Oct Nov Dec And Or But As Also However Meanwhile Earlier Later According During Since Before After"
        " While When Where Together Both All Each Other Minister President Secretary Meeting Meetings Ministerial"
        " Summit Conference Forum Dialogue Agreement Initiative Programme Program Security Assistance Package"
        " Readout Call Statement Release Press Office News Update Capabilities Sec Secy Reuters AFP AP Bloomberg"
        " Interfax Ukrinform TASS Downing Street White House Kremlin Elysee Élysée Bankova According Authorizes"
        " Announces Announced Delivers Pledges Sends Signs Visits Meets Says Agrees"
    ).split()
)
_ORG_HEADS = frozenset(
    word_key(w)
    for w in (
        "Ministry Coalition Fund Facility Group Agency Council Commission Alliance Forces Service Command Office"
        " Department Bank Union Organisation Organization Centre Center Corporation Company Mission"
        " Force Government Parliament Institute Industries Guard Brigade Battalion Regiment Directorate Cabinet"
    ).split()
)
ORG_HEADS = _ORG_HEADS
_RANKS = frozenset("maj gen lt col adm sgt dr mr mrs ms rep sen gov capt cdr brig hon rt st".split())  # "Maj. Gen."
_CONNECTORS = frozenset(("of", "the", "for", "and", "de"))
_SAID = re.compile(r"^\W{0,3}(?:said|says|stated|stressed|noted|told|added|announced|emphasised|emphasized)\b")


def _capital(token: Token) -> bool:
    return token.text[:1].isupper() or token.text[:1].isdigit() and token.text.isupper()


def find(text: str, gazetteer: Gazetteer, *, extra: Gazetteer | None = None) -> list[Mention]:
    """Every mention in ``text``: gazetteer names first, then people and organisations by their form."""
    words = tokens(text)
    found: list[Mention] = []
    taken = [False] * len(words)
    i = 0
    while i < len(words):
        hit = (extra.find(words, i) if extra else None) or gazetteer.find(words, i)
        if hit is None:
            i += 1
            continue
        n, entry = hit
        first, last = words[i], words[i + n - 1]
        end = last.end - (1 if last.text.endswith(".") and entry.type != "country" else 0)
        found.append(
            Mention(
                entry.type,
                first.start,
                end,
                entry.name,
                entry.role,
                entry.country,
                entry.known,
                text[first.start : end],
            )
        )
        for k in range(i, i + n):
            taken[k] = True
        i += n
    found += _people(text, words, taken, gazetteer, extra)
    found += _organisations(text, words, taken)
    found.sort(key=lambda m: (m.start, -m.end))
    # a mention inside an organisation's or a person's name ("Ukraine" in "Ukraine Demining Coalition") is theirs
    kept: list[Mention] = []
    reach = -1  # the furthest end of the names seen so far, in order of their starts
    for m in found:
        if m.end <= reach:
            continue
        kept.append(m)
        if m.type in ("organisation", "coalition", "person"):
            reach = max(reach, m.end)
    return kept


def _runs(
    text: str, words: list[Token], taken: list[bool], joins: frozenset[str] | None = None
) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words (with "of", "the" and "and" inside them): where names and titles are."""
    i = 0
    while i < len(words):
        if not _capital(words[i]):
            i += 1
            continue
        j = i + 1
        while j < len(words):
            gap = text[words[j - 1].end : words[j].start]
            if gap.strip() or "\n" in gap:
                break  # a comma, a bracket or a line break ends a name (a headline and the line below are two)
            if re.search(r"['’]s$", words[j - 1].text):
                break  # "Austin III's Call With ...": a possessive ends the name before it
            if (
                _capital(words[j])
                and (not words[j - 1].text.endswith((".", ",")) or words[j - 1].key in _RANKS)
                or (words[j].key in (joins or _CONNECTORS) and j + 1 < len(words) and _capital(words[j + 1]))
                or (  # "Minister of the Armed Forces"
                    words[j].key in (joins or _CONNECTORS)
                    and j + 2 < len(words)
                    and words[j + 1].key == "the"
                    and _capital(words[j + 2])
                )
            ):
                j += 1
                continue
            if words[j - 1].text.endswith(".") and len(words[j - 1].text) == 2 and _capital(words[j]):
                j += 1  # an initial: "Lloyd J. Austin"
                continue
            break
        yield i, j
        i = j


_TITLE_LEAD = frozenset(
    word_key(w) for w in "Press Defence Defense Foreign Prime Deputy Vice Acting Pentagon Chief Federal First".split()
)


def _title_only(words: list[Token]) -> list[Token]:
    """The words of a run that make a title.

    From its first head ("Minister") and the words that lead into it ("German", "Press"), not the headline words
    before ("Readout of ... Call With German Minister of Defense").
    """
    heads = [n for n, w in enumerate(words) if w.key in HEADS]
    if not heads:
        return words
    n = heads[0]
    while n > 0 and (words[n - 1].key in adjectives() or words[n - 1].key in _TITLE_LEAD):
        n -= 1
    return words[n:]


def _people(
    text: str, words: list[Token], taken: list[bool], gazetteer: Gazetteer, extra: Gazetteer | None
) -> list[Mention]:
    """People named beside a title, or beside "said": the name is the run's last words that are no title's."""
    found: list[Mention] = []
    lone_title: tuple[list[Token], int] | None = None  # a title whose name follows a comma: "Minister ..., Name,"
    for i, j in _runs(text, words, taken, _CONNECTORS - {"and"}):
        k = j
        while k > i and not taken[k - 1] and words[k - 1].key not in _TITLE_WORDS | HEADS | _NAME_STOP:
            if words[k - 1].key in adjectives():
                break
            k -= 1
        name_words = words[k:j]
        title_words = _title_only(words[i:k])
        before, lone_title = lone_title, None
        if not name_words and any(w.key in HEADS for w in title_words):
            lone_title = (title_words, words[j - 1].end)
            continue
        if not name_words or len(name_words) > 4 or any(w.text[:1].isdigit() for w in name_words):
            continue
        if name_words[-1].text.endswith(".") and len(name_words[-1].text) == 2:
            continue  # ends in an initial: not a name
        if not title_words and before is not None and re.fullmatch(r",\s*", text[before[1] : name_words[0].start]):
            title_words = before[0]
        title = text[title_words[0].start : title_words[-1].end] if title_words else ""
        has_head = any(w.key in HEADS for w in title_words)
        after = text[name_words[-1].end : name_words[-1].end + 80]
        role = ""
        if has_head:
            role = title
        else:
            m = re.match(
                r"^,\s+((?:the\s+)?[\w’'\- ]{0,40}?\b(?:minister|president|secretary|chancellor|head|chief|"
                r"commander|ambassador|general|director|spokesperson|adviser)\b[\w ’'\-]{0,40}?)(?=[,.;]|$)",
                after,
                re.IGNORECASE,
            )
            if m:
                role = m[1].strip()
            elif not (
                _SAID.match(after) or re.search(r"\bsaid,?\s*$", text[max(0, words[k].start - 12) : words[k].start])
            ):
                continue
        if len(name_words) == 1 and not role:
            continue
        if len(name_words) == 1 and not title_words and not role:
            continue
        start, end = name_words[0].start, name_words[-1].end - (1 if name_words[-1].text.endswith(".") else 0)
        name = _POSSESSIVE.sub("", text[start:end])
        holder = office_holders().get(last_name(name)) if len(name_words) == 1 else None
        said = {w.key for w in title_words if w.key in HEADS} | {word_key(w) for w in role.split()}
        if holder is not None and (
            not said or said & set(name_key(holder["office"]))
        ):  # "President Biden": the one office holder of that name the gazetteer knows
            name = holder["name"]
        country = next((adjectives()[w.key] for w in title_words if w.key in adjectives()), "")
        if not country:
            m2 = re.search(r"\bof\s+((?:the\s+)?[A-Z][\w ]+)$", title)
            country = countries().get(m2[1].removeprefix("the ").strip(), "") if m2 else ""
        if not country and role:
            m3 = re.match(r"^(?:the\s+)?(\w+)['’]s\b", role)
            country = countries().get(m3[1], "") if m3 else ""
        found.append(Mention("person", start, end, name, role, country, words=name))
        for w in range(k, j):
            taken[w] = True
    return found


_DEFENCE_MINISTRY = re.compile(
    r"\b(?:the\s+)?(?:(\w+)['’]s\s+|(\w+)\s+)?(?:Ministry of (?:National )?Defen[cs]e|Defen[cs]e Ministry)"
    r"(?:\s+of\s+((?:the\s+)?[A-Z]\w+))?"
)


def _organisations(text: str, words: list[Token], taken: list[bool]) -> list[Mention]:
    """Organisations and coalitions by their form: a capitalised run that ends in "Coalition", "Ministry", "Fund"..."""
    found: list[Mention] = []
    for i, j in _runs(text, words, taken):
        heads = [k for k in range(i, j) if words[k].key in _ORG_HEADS]
        if not heads or any(taken[k] for k in range(i, j)) and words[j - 1].key not in _ORG_HEADS:
            continue
        start_at = i
        while start_at < j and (words[start_at].key in _NAME_STOP or words[start_at].key in _CONNECTORS):
            start_at += 1
        if start_at >= j:
            continue
        start, end = words[start_at].start, words[j - 1].end - (1 if words[j - 1].text.endswith(".") else 0)
        written = _POSSESSIVE.sub("", text[start:end])
        if len(written.split()) == 1 and words[start_at].key not in _ORG_HEADS:
            continue
        if len(written.split()) == 1:
            continue  # "Ministry" alone names no one
        m = _DEFENCE_MINISTRY.search(written)
        country = ""
        name = written
        if m:
            owner = m[1] or m[2] or (m[3] or "").removeprefix("the ")
            country = adjectives().get(word_key(owner), "") or countries().get(owner, "")
            if country:
                name = (
                    f"Ministry of Defence of {country}"
                    if not m[0].lower().count("national")
                    else (f"Ministry of National Defence of {country}")
                )
        kind = "coalition" if any(words[k].key == "coalition" for k in heads) else "organisation"
        found.append(Mention(kind, start, end, name, country=country, words=written))
    return found


_SUFFIXES = frozenset(("jr", "sr", "ii", "iii", "iv"))


def last_name(name: str) -> str:
    """The folded last name of a person, without "Jr." or "III" ("Lloyd J. Austin III" -> austin)."""
    words = [word_key(w) for w in name.split()]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return words[-1] if words else ""


def merge_people(mentions: Iterable[Mention]) -> dict[str, Mention]:
    """The people of an article by every name used for them: "Umerov" is "Rustem Umerov" named in full elsewhere."""
    people: dict[str, Mention] = {}
    full = [m for m in mentions if m.type == "person"]
    for m in sorted(full, key=lambda m: -len(m.name.split())):
        last = last_name(m.name)
        whole = fold(m.name)
        known = people.get(last)
        if known is None or len(known.name.split()) < len(m.name.split()):
            people[last] = people.get(last) or m
        people.setdefault(whole, people[last])
        if not people[last].role and m.role:
            people[last].role = m.role
        if not people[last].country and m.country:
            people[last].country = m.country
    return people
