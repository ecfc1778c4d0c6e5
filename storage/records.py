"""Creating, changing and deleting records: validated against their kind's description, with every change in history.

Values come in as people give them (a donor's name, "EUR 234 million", "13 Aug 2024") or as stored values (a row
id); ``clean_record`` turns them into what the database stores or says, for every field at once, what is wrong.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import ecb, extra
from .database import Ledger, now_iso
from .errors import AppBug, FieldError, UserError, ValidationError
from .ids import is_uid, new_uid
from .kinds import KINDS_BY_NAME, VOCAB_SYNONYMS, Field, FieldType, Kind
from .schema import q
from .values import (
    CURRENCY_WORDS,
    VagueDate,
    fold,
    parse_bool,
    parse_date,
    parse_integer,
    parse_money,
    parse_number,
    parse_vague_date,
)

Links = list[dict[str, Any]]


def kind_of(kind: Kind | str) -> Kind:
    """The ``Kind`` itself, given it or its name."""
    return kind if isinstance(kind, Kind) else KINDS_BY_NAME[kind]


# --- single values ------------------------------------------------------------------------------------------------


@functools.cache
def _folded_vocab(vocab: tuple[str, ...]) -> dict[str, str]:
    return {fold(v): v for v in vocab}


def clean_choice(f: Field, value: object) -> str | None:
    """The vocabulary value that ``value`` names, in any case or in another wording ("Air defense").

    Raises:
        ValueError: not one of the field's values.
    """
    if value is None:
        return None
    text = fold(str(value))
    if not text:
        return None
    allowed = _folded_vocab(f.vocab).get(text)
    if allowed is not None:
        return allowed
    synonym = VOCAB_SYNONYMS.get(text)
    if synonym in f.vocab:
        return synonym
    raise ValueError(f"'{value}' is not one of: {', '.join(f.vocab)}")


def clean_currency(value: object) -> str | None:
    """A currency as its ISO code ("euro" and "eur" as "EUR"), or None when blank.

    Raises:
        ValueError: it is not a three-letter code or a known currency word.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    code = CURRENCY_WORDS.get(text.lower(), text.upper())
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"'{value}' is not a currency code such as EUR or USD")
    return code


def clean_url(value: object) -> str | None:
    """A web address as stored ("www." gets "https://"), or None when blank.

    Raises:
        ValueError: it is not an http or https address.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if text.lower().startswith("www."):
        text = "https://" + text
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text, re.IGNORECASE):
        raise ValueError(f"'{value}' is not a web address (http://… or https://…)")
    return text


def clean_text(value: object, *, multiline: bool) -> str | None:
    """Text without its surrounding spaces, or None when blank.

    A one-line field (not ``multiline``) also loses its line breaks and inner runs of spaces.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not multiline:
        text = " ".join(text.split())
    return text or None


# --- resolving references -----------------------------------------------------------------------------------------


def _name_index(ledger: Ledger, kind: Kind) -> dict[str, list[int]]:
    """Folded names (aliases, web addresses) of every record of ``kind`` -> row ids; cached until a write of it.

    A source's URL names it too (a tracker cites a thousand sources by their addresses): found here, not by a
    scan of the table for each.
    """
    cache = ledger.cache(f"names:{kind.name}")
    if "" not in cache:  # not built yet ("" names nothing; an empty table's index is built once too)
        cache[""] = []
        columns = [*kind.name_fields, *([kind.url_field] if kind.url_field else [])]
        sql = f"SELECT id, {', '.join(q(n) for n in columns)} FROM {q(kind.name)}"
        for row in ledger.conn.execute(sql):
            names = [row[1] or ""]
            if kind.aliases:
                names += (row[2] or "").split(";")
            if kind.url_field:
                names.append(row[-1] or "")
            for name in names:
                key = fold(name)
                if key:
                    ids = cache.setdefault(key, [])
                    assert isinstance(ids, list)
                    if row[0] not in ids:
                        ids.append(row[0])
    return cache  # type: ignore[return-value]


def named(ledger: Ledger, kind: Kind | str, folded: Iterable[str]) -> set[str]:
    """Those of the names (folded, as ``values.fold`` does) that name a record of ``kind``: asked of many at once."""
    index = _name_index(ledger, kind_of(kind))
    return {key for key in folded if index.get(key)}


def find_ids(ledger: Ledger, kind: Kind | str, value: object) -> list[int]:
    """Row ids of the records of ``kind`` that ``value`` names: a row id, a stable ID, a name or an alias."""
    kind = kind_of(kind)
    if isinstance(value, int) and not isinstance(value, bool):
        row = ledger.conn.execute(f"SELECT id FROM {q(kind.name)} WHERE id = ?", (value,)).fetchone()
        return [row[0]] if row else []
    text = str(value).strip()
    if is_uid(text):
        row = ledger.conn.execute(f"SELECT id FROM {q(kind.name)} WHERE uid = ?", (text.upper(),)).fetchone()
        if row:
            return [row[0]]
    index = _name_index(ledger, kind)
    key = fold(text)
    found = list(index.get(key, []))
    if not found and kind.finds_by_last_word and key and " " not in key:
        # One word, as articles name people after first mention: "Umerov" is the one actor whose name ends so.
        found = sorted({i for name, ids in index.items() if name.rsplit(" ", 1)[-1] == key for i in ids})
        if len(found) > 1:
            return found

    return found


def resolve(ledger: Ledger, kind: Kind | str, value: object) -> int:
    """The row id of the one record of ``kind`` that ``value`` names.

    Raises:
        ValueError: no record, or more than one, has that name.
    """
    kind = kind_of(kind)
    ids = find_ids(ledger, kind, value)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise ValueError(f"no {kind.singular.lower()} named '{value}'")
    raise ValueError(f"'{value}' names {len(ids)} {kind.label.lower()}; use a more exact name")


# --- whole records ------------------------------------------------------------------------------------------------

_LINK_TEXT = re.compile(r"^(?P<name>.*?)(?:\s*\((?P<extra>[^()]*)\))?$")


def split_links(text: str) -> list[str]:
    """Split links text: "A (host; visitor); B" -> ["A (host; visitor)", "B"].

    A ';' inside brackets belongs to a role.
    """
    if "(" not in text:  # most links name no role: a plain split (a tracker's sources, by the hundred thousand)
        return text.split(";")
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def link_items(f: Field, value: object) -> list[dict[str, Any]]:
    """The links of a LINKS field from what was given: dicts, names, or "Name (role); Name" as exported."""
    assert f.link is not None
    if value is None:
        return []
    if isinstance(value, str):
        items: list[dict[str, Any]] = []
        for part in split_links(value):
            part = part.strip()
            if not part:
                continue
            if "(" not in part:
                items.append({"target": part})
                continue
            m = _LINK_TEXT.match(part)
            assert m is not None
            item: dict[str, Any] = {"target": m["name"].strip()}
            if m["extra"] and f.link.extras:
                item[f.link.extras[0].name] = m["extra"].strip()
            items.append(item)
        return items
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ValueError("expected a list of links")
    target = KINDS_BY_NAME[f.link.target]
    keys = ("target", "target_id", target.singular.lower(), target.name, target.title_field)
    items = []
    for entry in value:
        if isinstance(entry, Mapping):
            found = [k for k in keys if k in entry]
            if not found:
                raise ValueError(f"a link without its {target.singular.lower()}")
            item = {"target": entry[found[0]]}
            item.update({x.name: entry.get(x.name) for x in f.link.extras})
            items.append(item)
        else:
            items.append({"target": entry})
    return items


def clean_links(ledger: Ledger, f: Field, value: object, known: dict[Any, int] | None = None) -> Links:
    """Validated links: ``[{"target_id": 3, "role": "host"}, ...]``.

    ``known`` remembers the records the names given have named, for many records' links written at once.

    Raises:
        ValueError: a linked record cannot be found, or an extra value is not valid.
    """
    assert f.link is not None
    links: Links = []
    for item in link_items(f, value):
        target = item["target"]
        target_id = known.get(target) if known is not None else None
        if target_id is None:
            target_id = resolve(ledger, f.link.target, target)
            if known is not None:
                known[target] = target_id
        link: dict[str, Any] = {"target_id": target_id}
        for link_field in f.link.extras:
            cleaned = clean_scalar(ledger, link_field, item.get(link_field.name))
            if cleaned is None and link_field.default is not None:
                cleaned = link_field.default
            if cleaned is None and link_field.required:
                raise ValueError(f"{link_field.label} is required for each link")
            link[link_field.name] = cleaned
        links.append(link)
    return links


def clean_scalar(ledger: Ledger | None, f: Field, value: object) -> Any:
    """The stored form of one value of field ``f``.

    Raises:
        ValueError: the value is not valid for the field, with a message for the user.
    """
    if isinstance(value, str) and not value.strip():
        value = None
    t = f.type
    if t in (FieldType.TEXT, FieldType.LONG_TEXT):
        return clean_text(value, multiline=t is FieldType.LONG_TEXT)
    if t is FieldType.CHOICE:
        return clean_choice(f, value)
    if t is FieldType.DATE:
        return parse_date(value)
    if t is FieldType.AMOUNT:
        money = parse_money(value)
        return None if money is None else money.amount
    if t is FieldType.CURRENCY:
        return clean_currency(value)
    if t is FieldType.INTEGER:
        return parse_integer(value)
    if t is FieldType.NUMBER:
        return parse_number(value)
    if t is FieldType.BOOL:
        flag = parse_bool(value)
        return None if flag is None else int(flag)
    if t is FieldType.URL:
        return clean_url(value)
    if t is FieldType.EXTRA:
        return extra.clean(value)
    if t is FieldType.REF:
        if value is None:
            return None
        if ledger is None:
            raise AppBug("resolving a reference without a database")
        return resolve(ledger, f.ref or "", value)
    raise AppBug(f"clean_scalar on {t} field {f.name}")


def clean_record(
    ledger: Ledger, kind: Kind | str, values: Mapping[str, object], *, where: str = ""
) -> tuple[dict[str, Any], dict[str, Links]]:
    """Validate the fields given in ``values`` (by identifier) and return what the database stores for them.

    An amount written with its currency or qualifier ("over EUR 641 million") fills the record's currency and
    qualifier fields when those were not given.

    Returns:
        (stored columns by field name, links by field name), only for the fields given.

    Raises:
        ValidationError: every field error found, at once.
    """
    kind = kind_of(kind)
    columns: dict[str, Any] = {}
    links: dict[str, Links] = {}
    errors: list[FieldError] = []
    implied: dict[str, Any] = {}
    for name, value in values.items():
        try:
            f = kind.field(name)
        except KeyError:
            errors.append(FieldError(name, f"{kind.label} has no field '{name}'"))
            continue
        try:
            if f.type is FieldType.LINKS:
                links[name] = clean_links(ledger, f, value)
                continue
            siblings = _date_words(kind, f) if f.type is FieldType.DATE else []
            if siblings and isinstance(value, str) and value.strip():
                date = parse_vague_date(value)  # "by summer 2025": 2025, "by", the text kept; a plain date as is
                columns[name] = None if date is None else date.iso
                implied.update(implied_by_date(kind, f, date))
                continue
            columns[name] = clean_scalar(ledger, f, value)
            if f.type is FieldType.AMOUNT and isinstance(value, str) and value.strip():
                implied.update(implied_by_amount(kind, f, value))
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    for name, value in implied.items():
        if name.startswith("!"):
            errors.append(FieldError(name[1:], str(value)))
        elif columns.get(name) is None or columns[name] == kind.field(name).default:
            columns[name] = value  # "USD 10 million" over a form's default EUR, "over …" over its "exact"
    if errors:
        raise ValidationError(kind.name, errors, where)
    return columns, links


def _date_words(kind: Kind, f: Field) -> list[str]:
    """The fields that keep a vague date's words beside date field ``f`` (``kinds.vague_date`` makes them)."""
    stem = f.name.removesuffix("_on")
    names = {x.name for x in kind.stored_fields}
    return [n for n in (f"{stem}_qualifier", f"{stem}_as_written") if n in names]


def _stale_words(kind: Kind, current: Mapping[str, Any], columns: Mapping[str, Any]) -> dict[str, Any]:
    """A date changed with no words of its own: the words kept beside it go, unless they still read as that date.

    "by summer 2025" retyped as "1 Sep 2025" loses its "by" and its text; retyped as "2025" it keeps them.
    """
    cleared: dict[str, Any] = {}
    for f in kind.stored_fields:
        words = _date_words(kind, f) if f.type is FieldType.DATE else []
        new = columns.get(f.name)
        if not words or new is None or new == current.get(f.name):
            continue
        if any(n in columns and columns[n] != current.get(n) for n in words):
            continue  # new words came with the new date
        text = columns.get(words[-1], current.get(words[-1])) if words[-1].endswith("_as_written") else None
        try:
            if isinstance(text, str) and text.strip() and (parse_vague_date(text) or VagueDate("")).iso == new:
                continue
        except ValueError:
            pass
        cleared.update(dict.fromkeys(words))
    return cleared


def implied_by_date(kind: Kind, f: Field, date: VagueDate | None) -> dict[str, Any]:
    """What a vague date implies beside its ISO date.

    Its qualifier and its text as written, where the kind keeps them ("until 3/16/2022": "until"), and the record
    marked uncertain (the date was inferred).
    """
    if date is None or not (date.qualifier or date.inferred):
        return {}
    implied: dict[str, Any] = {"uncertain": 1} if date.inferred else {}
    for name in _date_words(kind, f):
        said = date.qualifier if name.endswith("_qualifier") else date.as_written
        if said:
            implied[name] = said
    return implied


def implied_by_amount(kind: Kind, f: Field, text: str) -> dict[str, Any]:
    """The other fields that an amount's text implies: its currency, a qualifier such as "up to".

    An amount in another currency for a field kept in EUR gives an error message under "!" plus the field's name.
    """
    money = parse_money(text)
    implied: dict[str, Any] = {}
    if money is None:
        return implied
    if money.currency:
        if f.name.endswith("_eur"):
            if money.currency != "EUR":
                implied["!" + f.name] = f"{f.label} must be in EUR, not {money.currency}"
        elif any(x.name == "currency" for x in kind.fields):
            implied["currency"] = money.currency
    if money.qualifier and f.qualifier and money.qualifier in kind.field(f.qualifier).vocab:
        implied[f.qualifier] = money.qualifier  # the value's own qualifier: "about" says nothing of a quantity
    return implied


SAME_CURRENCY = "same currency"


def eur_of_value(
    ledger: Ledger,
    kind: Kind,
    current: Mapping[str, Any],
    columns: Mapping[str, Any],
    valued_packages: set[int] | None = None,
) -> dict[str, Any]:
    """The EUR value that a value is, for the stored ``columns`` about to be written over ``current``.

    A value in EUR is its EUR value (its basis "same currency"), unless an EUR value was given, or its package
    carries an EUR value given as such (Kiel gives it once per package: counted there). A value in another currency
    is converted at the ECB's reference rate of its announcement date (``storage.ecb``), where the kind keeps the
    rate: the rate and its date are stored, and the basis says which (the day's rate, or a month's or year's
    average); a rate typed by hand converts it instead, and is kept when the value changes. An EUR value that came
    so follows the value, its currency and its date; one given by the source, a tracker or a person stands.
    ``valued_packages`` are the packages that carry their own, when known (a big import); else the database is asked.

    Returns:
        The columns to write as well: ``value_eur`` and, where the kind has them, ``eur_basis``, ``eur_rate`` and
        ``eur_rate_date``.
    """
    names = kind.field_names  # the EUR fields are stored ones
    if not {"value", "currency", "value_eur"} <= names:
        return {}
    merged = {**current, **columns}
    has_basis = "eur_basis" in names
    has_rate = {"eur_rate", "eur_rate_date"} <= names and has_basis
    # An EUR value came from the value when its basis says so, or, with no basis said (older records, the sample),
    # when it is the value of a value in EUR.
    same = current.get("value_eur") == current.get("value") and current.get("currency") == "EUR"
    basis = current.get("eur_basis") if has_basis else None
    derived = current.get("value_eur") is not None and (basis in (SAME_CURRENCY, *ecb.BASES) if basis else same)
    typed_rate = has_rate and columns.get("eur_rate") is not None and columns.get("eur_rate") != current.get("eur_rate")
    hand_rate = has_rate and basis == BY_HAND and current.get("eur_rate") is not None and "value_eur" not in columns
    given = columns.get("value_eur") is not None and columns.get("value_eur") != current.get("value_eur")
    if given:  # typed over one that came from the value: it is the user's now
        by_hand = derived and has_basis and columns.get("eur_basis") in (None, SAME_CURRENCY, *ecb.BASES)
        return {"eur_basis": BY_HAND} if by_hand else {}
    if (typed_rate or hand_rate) and merged.get("value") is not None and merged.get("currency") not in (None, "EUR"):
        rate = float(merged["eur_rate"])  # a rate set by hand (an override, in the history like any edit)
        return {"value_eur": round(float(merged["value"]) * rate, 2), "eur_basis": BY_HAND}
    if current.get("value_eur") is not None and not derived:
        return {}
    package = merged.get("package")
    in_valued_package = isinstance(package, int) and (
        package in valued_packages if valued_packages is not None else _package_has_eur(ledger, package)
    )
    if merged.get("currency") == "EUR" and merged.get("value") is not None and not in_valued_package:
        cleared = {"eur_rate": None, "eur_rate_date": None} if has_rate and current.get("eur_rate") is not None else {}
        return {"value_eur": merged["value"], **({"eur_basis": SAME_CURRENCY} if has_basis else {}), **cleared}
    converted = _at_ecb_rate(merged) if has_rate and not in_valued_package else None
    if converted is not None:
        return converted
    if derived:  # the value went, its currency is no longer EUR, or no rate converts it
        rates = {"eur_rate": None, "eur_rate_date": None} if has_rate else {}
        return {"value_eur": None, **({"eur_basis": None} if has_basis else {}), **rates}
    return {}


BY_HAND = "set by hand"


def _at_ecb_rate(merged: Mapping[str, Any]) -> dict[str, Any] | None:
    """A value in another currency at the ECB rate of its announcement date, or None where there is no rate."""
    value, currency, date = merged.get("value"), merged.get("currency"), merged.get("announced_on")
    if value is None or not currency or currency == "EUR" or not date:
        return None
    try:
        eur, rate = ecb.in_eur(float(value), str(currency), str(date))
    except ecb.NoRate:
        return None  # the hryvnia, a date past the rates shipped: no number rather than a wrong one
    return {"value_eur": eur, "eur_rate": rate.eur_per_unit, "eur_rate_date": rate.on, "eur_basis": rate.basis}


# The packages whose EUR value was given as such (a tracker's conversion), not read from a value in EUR: their
# items' EUR values are counted there, once.
CARRYING_EUR = "value_eur IS NOT NULL AND NOT (coalesce(currency, '') = 'EUR' AND value IS value_eur)"


def _package_has_eur(ledger: Ledger, package: int) -> bool:
    row = ledger.conn.execute(f"SELECT 1 FROM packages WHERE id = ? AND {CARRYING_EUR}", (package,)).fetchone()
    return row is not None


def _required_errors(kind: Kind, record: Mapping[str, Any]) -> list[FieldError]:
    return [FieldError(f.name, f"{f.label} is required") for f in kind.missing_required(record)]


# --- reading ------------------------------------------------------------------------------------------------------


def link_rows(ledger: Ledger, kind: Kind, f: Field, rid: int) -> Links:
    """The links that record ``rid`` has in link field ``f``, in order: target id and extras."""
    assert f.link is not None
    extras = "".join(f", {q(x.name)}" for x in f.link.extras)
    where = "owner_id = ?" + (" AND record_kind = ?" if f.link.polymorphic else "")
    args: tuple[Any, ...] = (rid, kind.name) if f.link.polymorphic else (rid,)
    sql = f"SELECT target_id{extras} FROM {q(f.link.table)} WHERE {where} ORDER BY position, id"
    out: Links = []
    for row in ledger.conn.execute(sql, args):
        link = {"target_id": row[0]}
        link.update({x.name: row[i + 1] for i, x in enumerate(f.link.extras)})
        out.append(link)
    return out


def get(ledger: Ledger, kind: Kind | str, rid: int) -> dict[str, Any]:
    """One record as stored.

    Every field by name (a REF as the row id it points to, LINKS as lists), plus ``id``, ``uid``, ``created_at``
    and ``updated_at``.

    Raises:
        UserError: there is no such record (deleted meanwhile).
    """
    kind = kind_of(kind)
    cols = ", ".join(q(f.column) for f in kind.stored_fields)
    row = ledger.conn.execute(
        f"SELECT id, uid, {cols}, created_at, updated_at FROM {q(kind.name)} WHERE id = ?", (rid,)
    ).fetchone()
    if row is None:
        raise UserError(f"the {kind.singular.lower()} #{rid} no longer exists")
    record: dict[str, Any] = {"id": row[0], "uid": row[1]}
    for i, f in enumerate(kind.stored_fields):
        record[f.name] = row[i + 2]
    record["created_at"], record["updated_at"] = row[-2], row[-1]
    for f in kind.link_fields:
        record[f.name] = link_rows(ledger, kind, f, rid)
    return record


def id_for_uid(ledger: Ledger, kind: Kind | str, uid: str) -> int | None:
    """The row id of the record of ``kind`` with the stable ID ``uid``, or None."""
    kind = kind_of(kind)
    row = ledger.conn.execute(f"SELECT id FROM {q(kind.name)} WHERE uid = ?", (uid,)).fetchone()
    return None if row is None else int(row[0])


def display_name(ledger: Ledger, kind: Kind | str, rid: int | None) -> str:
    """The name people know a record by: an actor's name, a source's title, an aid item's item."""
    if rid is None:
        return ""
    kind = kind_of(kind)
    row = ledger.conn.execute(f"SELECT {q(kind.title_field)} FROM {q(kind.name)} WHERE id = ?", (rid,)).fetchone()
    return "" if row is None or row[0] is None else str(row[0])


# --- writing ------------------------------------------------------------------------------------------------------


def history_row(
    ledger: Ledger, op: str, kind: Kind, rid: int, uid: str, field: str | None, old: object, new: object, at: str = ""
) -> tuple[Any, ...]:
    """One history row of the current batch, for ``write_history``: the change ``op`` of one record or one field."""

    def encode(value: object) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    return (ledger.batch_id, at or now_iso(), ledger.who, op, kind.name, rid, uid, field, encode(old), encode(new))


def write_history(
    ledger: Ledger, op: str, kind: Kind, rid: int, uid: str, field: str | None, old: object, new: object
) -> None:
    """Add one history row to the current batch: the change ``op`` of one record, or of one field of it."""
    write_history_rows(ledger, [history_row(ledger, op, kind, rid, uid, field, old, new)])


def write_history_rows(ledger: Ledger, rows: list[tuple[Any, ...]]) -> None:
    """Add the rows made by ``history_row``, in one statement."""
    ledger.conn.executemany(
        "INSERT INTO history(batch_id, at, who, op, kind, record_id, record_uid, field, old, new)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def write_links(ledger: Ledger, kind: Kind, f: Field, rid: int, links: Links) -> None:
    """Replace the links of record ``rid`` in field ``f`` with ``links``, in their order."""
    assert f.link is not None
    table = q(f.link.table)
    if f.link.polymorphic:
        ledger.conn.execute(f"DELETE FROM {table} WHERE record_kind = ? AND owner_id = ?", (kind.name, rid))
    else:
        ledger.conn.execute(f"DELETE FROM {table} WHERE owner_id = ?", (rid,))
    add_links(ledger, f, link_args(kind, f, rid, links))


def link_args(kind: Kind, f: Field, rid: int, links: Links) -> list[list[Any]]:
    """The rows of the link table that record ``rid``'s ``links`` in field ``f`` are, for ``add_links``."""
    assert f.link is not None
    extras = [x.name for x in f.link.extras]
    rows = []
    for position, link in enumerate(links):
        args = [rid, link["target_id"], position, *(link.get(x) for x in extras)]
        if f.link.polymorphic:
            args.append(kind.name)
        rows.append(args)
    return rows


def add_links(ledger: Ledger, f: Field, rows: list[list[Any]]) -> None:
    """Insert the link rows made by ``link_args`` (of records that have none in ``f`` yet), in one statement."""
    assert f.link is not None
    cols = ["owner_id", "target_id", "position", *(x.name for x in f.link.extras)]
    cols += ["record_kind"] if f.link.polymorphic else []
    sql = f"INSERT INTO {q(f.link.table)}({', '.join(q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
    ledger.conn.executemany(sql, rows)


def touch_caches(ledger: Ledger, kind: Kind) -> None:
    """Forget the cached names of ``kind``'s records, after one was written (the article assistant's too)."""
    ledger.invalidate(f"names:{kind.name}")
    ledger.invalidate(f"gazetteer:{kind.name}")


def insert(
    ledger: Ledger,
    kind: Kind | str,
    values: Mapping[str, object],
    *,
    uid: str | None = None,
    where: str = "",
    rid: int | None = None,
) -> int:
    """Validate and add one record; fields not given take their defaults.

    Args:
        ledger: the database.
        kind: the record's kind.
        values: by field name, as a form gives them.
        uid: the stable ID to give it (a colleague's record coming back); a new one by default.
        where: where the values came from, for error messages ("Aid, row 12").
        rid: the row id to use (undoing a delete puts the record back where it was).

    Returns:
        The new record's row id.

    Raises:
        ValidationError: a value is not valid or a required one is missing; nothing was written.
        UserError: the stable ID or the name is already taken.
    """
    kind = kind_of(kind)
    try:
        columns, links = clean_record(ledger, kind, values, where=where)
        errors: list[FieldError] = []
    except ValidationError as exc:  # report the missing required fields too, all in one message
        columns, links, errors = {}, {}, exc.errors
    for f in kind.stored_fields:
        if columns.get(f.name) is None and f.default is not None and f.name not in values:
            columns[f.name] = clean_scalar(ledger, f, f.default)
    if not errors:
        columns.update(eur_of_value(ledger, kind, {}, columns))
    bad = {e.field for e in errors}
    errors += [e for e in _required_errors(kind, {**values, **columns}) if e.field not in bad]
    if errors:
        raise ValidationError(kind.name, errors, where)
    uid = (uid or new_uid()).upper()
    if id_for_uid(ledger, kind, uid) is not None:
        raise UserError(f"{where + ': ' if where else ''}a {kind.singular.lower()} with ID {uid} already exists")
    stamp = now_iso()
    row = {"uid": uid, **{kind.field(n).column: v for n, v in columns.items()}, "created_at": stamp}
    row["updated_at"] = stamp
    if rid is not None:
        row["id"] = rid
    _check_unique_name(ledger, kind, columns, None, where)
    with ledger.batch(f"Add {kind.singular.lower()}"):
        names = ", ".join(q(c) for c in row)
        cur = ledger.conn.execute(
            f"INSERT INTO {q(kind.name)}({names}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        new_id = int(cur.lastrowid or 0)
        for f in kind.link_fields:
            if links.get(f.name):
                write_links(ledger, kind, f, new_id, links[f.name])
        write_history(ledger, "insert", kind, new_id, uid, None, None, _snapshot(ledger, kind, new_id))
    touch_caches(ledger, kind)
    return new_id


def _check_unique_name(ledger: Ledger, kind: Kind, columns: Mapping[str, Any], rid: int | None, where: str) -> None:
    title = kind.title_field
    if not kind.unique_titles or title not in columns:
        return
    others = [i for i in _name_index(ledger, kind).get(fold(columns[title] or ""), []) if i != rid]
    for other in others:
        row = ledger.conn.execute(f"SELECT {q(title)} FROM {q(kind.name)} WHERE id = ?", (other,)).fetchone()
        if row and fold(row[0]) == fold(columns[title]):
            prefix = f"{where}: " if where else ""
            article = "an" if kind.singular[0] in "AEIOU" else "a"
            message = f"{article} {kind.singular.lower()} named '{row[0]}' already exists"
            raise ValidationError(kind.name, [FieldError(title, message)], prefix)


def _snapshot(ledger: Ledger, kind: Kind, rid: int) -> dict[str, Any]:
    record = get(ledger, kind, rid)
    return {k: v for k, v in record.items() if k not in ("id",)}


def update(ledger: Ledger, kind: Kind | str, rid: int, values: Mapping[str, object], *, where: str = "") -> list[str]:
    """Validate and apply changes to one record; fields not given keep their values.

    Returns:
        The names of the fields that changed (nothing is written, not even ``updated_at``, when none did).

    Raises:
        ValidationError: a value is not valid, or a required field would be emptied; nothing was written.
        UserError: the record no longer exists.
    """
    kind = kind_of(kind)
    current = get(ledger, kind, rid)
    columns, links = clean_record(ledger, kind, values, where=where)
    columns.update(eur_of_value(ledger, kind, current, columns))
    columns.update(_stale_words(kind, current, columns))
    merged = {**current, **columns}
    errors = _required_errors(kind, merged)
    if errors:
        raise ValidationError(kind.name, errors, where)
    changed_cols = {n: v for n, v in columns.items() if current.get(n) != v}
    changed_links = {n: v for n, v in links.items() if current.get(n) != v}
    if not changed_cols and not changed_links:
        return []
    _check_unique_name(ledger, kind, changed_cols, rid, where)
    with ledger.batch(f"Edit {kind.singular.lower()}"):
        stamp = now_iso()
        if changed_cols:
            sets = ", ".join(f"{q(kind.field(n).column)} = ?" for n in changed_cols)
            ledger.conn.execute(
                f"UPDATE {q(kind.name)} SET {sets}, updated_at = ? WHERE id = ?",
                [*changed_cols.values(), stamp, rid],
            )
        else:
            ledger.conn.execute(f"UPDATE {q(kind.name)} SET updated_at = ? WHERE id = ?", (stamp, rid))
        for name, new_links in changed_links.items():
            write_links(ledger, kind, kind.field(name), rid, new_links)
        for name, value in {**changed_cols, **changed_links}.items():
            write_history(ledger, "update", kind, rid, current["uid"], name, current.get(name), value)
    touch_caches(ledger, kind)
    return list(changed_cols) + list(changed_links)


def references_to(ledger: Ledger, kind: Kind | str, rid: int) -> list[tuple[str, str, int]]:
    """What still points to a record: ``[(kind name, field name, how many records), ...]``."""
    kind = kind_of(kind)
    found: list[tuple[str, str, int]] = []
    for other in KINDS_BY_NAME.values():
        for f in other.all_fields:
            if f.type is FieldType.REF and f.ref == kind.name:
                sql = f"SELECT count(*) FROM {q(other.name)} WHERE {q(f.column)} = ?"
                args: tuple[Any, ...] = (rid,)
                if other is kind:
                    sql += " AND id <> ?"
                    args = (rid, rid)
            elif f.type is FieldType.LINKS and f.link is not None and f.link.target == kind.name:
                sql = f"SELECT count(DISTINCT owner_id) FROM {q(f.link.table)} WHERE target_id = ?"
                args = (rid,)
                if f.link.polymorphic:
                    sql += " AND record_kind = ?"
                    args = (rid, other.name)
                elif other is kind:
                    sql += " AND owner_id <> ?"
                    args = (rid, rid)
            else:
                continue
            count = int(ledger.conn.execute(sql, args).fetchone()[0])
            if count:
                found.append((other.name, f.name, count))
    return found


def delete(ledger: Ledger, kind: Kind | str, rid: int) -> None:
    """Delete one record and its links; the history keeps all of it, so the delete can be undone.

    Raises:
        UserError: other records still point to it (the message says which), or it no longer exists.
    """
    kind = kind_of(kind)
    refs = references_to(ledger, kind, rid)
    if refs:
        name = display_name(ledger, kind, rid)
        used = ", ".join(
            f"{n} {KINDS_BY_NAME[k].label.lower()} ({KINDS_BY_NAME[k].field(f).label})" for k, f, n in refs
        )
        raise UserError(f"'{name}' is still used by {used}; point those elsewhere first")
    snapshot = _snapshot(ledger, kind, rid)
    with ledger.batch(f"Delete {kind.singular.lower()}"):
        for f in kind.link_fields:
            write_links(ledger, kind, f, rid, [])
        ledger.conn.execute(f"DELETE FROM {q(kind.name)} WHERE id = ?", (rid,))
        write_history(ledger, "delete", kind, rid, snapshot["uid"], None, snapshot, None)
    touch_caches(ledger, kind)


def history_of(ledger: Ledger, kind: Kind | str, rid: int) -> list[dict[str, Any]]:
    """A record's history, oldest first: ``{"id", "at", "who", "op", "field", "old", "new", "batch"}`` per change.

    ``id`` is the history row's, ``who`` the login as stored, ``batch`` the label of the action it was part of.
    """
    kind = kind_of(kind)
    rows = ledger.conn.execute(
        "SELECT h.at, h.who, h.op, h.field, h.old, h.new, b.label, h.id FROM history h"
        " JOIN batches b ON b.id = h.batch_id WHERE h.kind = ? AND h.record_id = ? ORDER BY h.id",
        (kind.name, rid),
    )
    return [
        {
            "id": r[7],
            "at": r[0],
            "who": r[1],
            "op": r[2],
            "field": r[3],
            "old": None if r[4] is None else json.loads(r[4]),
            "new": None if r[5] is None else json.loads(r[5]),
            "batch": r[6],
        }
        for r in rows
    ]


def get_by_uids(ledger: Ledger, kind: Kind | str, uids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The records of ``kind`` that have these stable IDs, each as ``get`` returns it, by ID.

    An ID no record has is left out.

    One query for the records and one per link field, however many IDs (an export of 100,000 records coming back
    reads them a few thousand at a time, not one by one).
    """
    kind = kind_of(kind)
    wanted = json.dumps(sorted({u.upper() for u in uids}))
    cols = ", ".join(f"r.{q(f.column)}" for f in kind.stored_fields)
    found: dict[str, dict[str, Any]] = {}
    by_id: dict[int, dict[str, Any]] = {}
    sql = (
        f"SELECT r.id, r.uid, {cols}, r.created_at, r.updated_at FROM json_each(?) AS j"
        f" CROSS JOIN {q(kind.name)} AS r ON r.uid = j.value"
    )
    fields = kind.stored_fields
    for row in ledger.conn.execute(sql, (wanted,)):
        record: dict[str, Any] = {"id": row[0], "uid": row[1]}
        for i, f in enumerate(fields):
            record[f.name] = row[i + 2]
        record["created_at"], record["updated_at"] = row[-2], row[-1]
        for f in kind.link_fields:
            record[f.name] = []
        found[row[1]] = by_id[row[0]] = record
    if not by_id:
        return found
    owners = json.dumps(list(by_id))
    for f in kind.link_fields:
        assert f.link is not None
        extras = "".join(f", l.{q(x.name)}" for x in f.link.extras)
        # CROSS JOIN: the IDs first, each looked up in the owner index, whatever the planner guesses of json_each
        on = "l.owner_id = j.value" + (" AND l.record_kind = ?" if f.link.polymorphic else "")
        args: tuple[Any, ...] = (owners, kind.name) if f.link.polymorphic else (owners,)
        link_sql = (
            f"SELECT l.owner_id, l.target_id{extras} FROM json_each(?) AS j CROSS JOIN {q(f.link.table)} AS l"
            f" ON {on} ORDER BY j.key, l.position, l.id"
        )
        for row in ledger.conn.execute(link_sql, args):
            link = {"target_id": row[1]}
            link.update({x.name: row[i + 2] for i, x in enumerate(f.link.extras)})
            by_id[row[0]][f.name].append(link)
    return found
