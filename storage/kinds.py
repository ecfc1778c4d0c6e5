"""Each record kind, described once: its fields, their labels, types, vocabularies and other names.

The schema, the validation, the forms, the table columns, the export's headers and validation lists and the import's
column mapping are all built from these descriptions. Adding a field is a change here plus a migration.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from enum import StrEnum


class FieldType(StrEnum):
    """What a field holds, which decides how it is stored, parsed, edited and exported."""

    TEXT = "text"  # one line of text
    LONG_TEXT = "long_text"  # paragraphs
    CHOICE = "choice"  # one value of the field's vocabulary
    DATE = "date"  # ISO text of year, month or day precision
    AMOUNT = "amount"  # money in full units
    CURRENCY = "currency"  # ISO 4217 code
    INTEGER = "integer"
    NUMBER = "number"
    BOOL = "bool"
    URL = "url"
    REF = "ref"  # one record of another kind, stored as its row id in column ``<name>_id``
    LINKS = "links"  # many records of another kind, in a link table, each link with its own extra values
    EXTRA = "extra"  # the values of a file's columns that no field takes, under their headers (a JSON object)


@dataclass(frozen=True)
class Link:
    """How a LINKS field is stored: a link table from the owning record to records of ``target``.

    Attributes:
        table: the link table.
        target: the kind linked to.
        extras: fields each link carries (a participant's role, a citation's quote).
        polymorphic: the table holds links of every kind (citations), told apart by a ``record_kind`` column.
    """

    table: str
    target: str
    extras: tuple[Field, ...] = ()
    polymorphic: bool = False


@dataclass(frozen=True)
class Field:
    """One field of a record kind.

    Attributes:
        name: the identifier used in the database, on the command line and in ``--map`` (``value_eur``).
        label: what people read in forms, table headers and the export ("Value (EUR)").
        type: what the field holds.
        vocab: the allowed values of a CHOICE field.
        ref: the kind a REF field points to.
        link: how a LINKS field is stored.
        required: a record without it cannot be saved.
        synonyms: other headers a spreadsheet may give this field, matched case- and accent-insensitively.
        help: one line that explains the field in the form.
        default: the value a new record starts with (and a blank cell of an imported new row takes).
        completes: a text field whose editor offers the values other records hold ("Kyiv", "Reuters").
        qualifier: for an AMOUNT, the CHOICE field its written qualifier goes to ("about EUR 5 million").
        offers: for a reference to actors, the types of actor its completer offers (every type when empty).
        creates: for a reference to actors, the type of an actor made from a name typed in it ("Create 'Estonia'").
    """

    name: str
    label: str
    type: FieldType = FieldType.TEXT
    vocab: tuple[str, ...] = ()
    ref: str | None = None
    link: Link | None = None
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help: str = ""
    default: object = None
    completes: bool = False
    qualifier: str = ""
    offers: tuple[str, ...] = ()
    creates: str = ""

    @property
    def column(self) -> str:
        """The column that stores the field in the kind's table (none for LINKS)."""
        return f"{self.name}_id" if self.type is FieldType.REF else self.name

    @property
    def stored(self) -> bool:
        """Whether the field is a column of the kind's own table."""
        return self.type is not FieldType.LINKS


@dataclass(frozen=True)
class Kind:
    """One kind of record: a table, its fields, and how one record is named to people.

    Attributes:
        name: the identifier on the command line and the table name (``aid``).
        label: the plural people read ("Aid").
        singular: one record ("Aid item").
        fields: the kind's own fields, in form order.
        title_field: the field that names a record in lists and links ("item", "name").
        search: the fields whose text the full-text index holds (REF and LINKS fields contribute names).
        filters: the fields the table offers a pick-list filter for.
        date_filter: the DATE field the table's date range filters.
        hidden: the columns a new table hides (people can show them from the header's menu).
        aliases: the text field whose ';'-separated values name a record too ("Zelenskyy; Zelenskiy").
        unique_titles: no two records share a name, in any case or accents.
        creatable: a row or a form naming a record of this kind that is not here yet makes it (a new donor).
        title_copies: the fields a record made from a name gets that name in too (a package's code).
        duplicate_bucket: the fields a likely duplicate shares exactly; its title is then compared nearly.
        duplicate_also: other fields that make such a bucket too, where none of them is blank (Aid: the package).
        finds_by_last_word: one word names the record whose name ends in it ("Umerov"), as articles do.
        url_field: a name that is a web address finds the record with that address.
        counted_as: the plural in "30 aid items", where the label ("Aid") is not one.
    """

    name: str
    label: str
    singular: str
    fields: tuple[Field, ...]
    title_field: str
    search: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    date_filter: str | None = None
    hidden: tuple[str, ...] = ()
    aliases: str | None = None
    unique_titles: bool = False
    creatable: bool = False
    title_copies: tuple[str, ...] = ()
    duplicate_bucket: tuple[str, ...] = ()
    duplicate_also: tuple[str, ...] = ()
    finds_by_last_word: bool = False
    url_field: str | None = None
    counted_as: str = ""

    @property
    def plural(self) -> str:
        """How many records are counted in a sentence ("30 aid items", "9 events")."""
        return self.counted_as or self.label.lower()

    @property
    def name_fields(self) -> tuple[str, ...]:
        """The fields whose text names a record: its title, and its aliases where it has them."""
        return (self.title_field, self.aliases) if self.aliases else (self.title_field,)

    def missing_required(self, values: Mapping[str, object], *, defaults_fill: bool = False) -> list[Field]:
        """The required fields that ``values`` leaves blank, in form order.

        This is the one rule the form, the import and the database's writes all check.

        Args:
            values: by field name; a field absent counts as blank.
            defaults_fill: a blank field with a default takes it (a new record does), so it is not missing.
        """
        return [
            f for f in _derived(self)[3] if _blank(values.get(f.name)) and not (defaults_fill and f.default is not None)
        ]

    def made_from_name(self, name: str) -> dict[str, object]:
        """The values of a record made from nothing but its name (a new donor named in an imported row).

        A web address names a source by its address: the source gets it as its URL, and a title read from it
        ("www.gov.pl: pomoc-dla-ukrainy") until a person gives one.
        """
        if self.url_field and name.lower().startswith(("http://", "https://")):
            where = name.split("://", 1)[1].rstrip("/")
            host, _, path = where.partition("/")
            tail = path.rsplit("/", 1)[-1].split("?")[0] if path else ""
            return {self.title_field: f"{host}: {tail}" if tail else host, self.url_field: name}
        return {self.title_field: name, **dict.fromkeys(self.title_copies, name)}

    def field(self, name: str) -> Field:
        """The field called ``name``.

        Raises:
            KeyError: the kind has no such field.
        """
        try:
            return _fields_by_name(self)[name]
        except KeyError:
            raise KeyError(f"{self.name} has no field '{name}'") from None

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """The kind's own fields, then the fields every record has."""
        return _derived(self)[0]

    @property
    def stored_fields(self) -> tuple[Field, ...]:
        """The fields kept in the kind's own table (all but links)."""
        return _derived(self)[1]

    @property
    def field_names(self) -> Set[str]:
        """The names of all the kind's fields, to ask whether it has one."""
        return _fields_by_name(self).keys()

    @property
    def link_fields(self) -> tuple[Field, ...]:
        """The fields kept in link tables of their own (many records, in order)."""
        return _derived(self)[2]

    @property
    def defaulted_fields(self) -> tuple[Field, ...]:
        """The fields that a new record left blank takes a value for: a default, or No for a yes/no field."""
        return _derived(self)[4]


def vague_date(
    stem: str, words: str, label: str, *, synonyms: tuple[str, ...] = (), example: str = ""
) -> tuple[Field, Field, Field]:
    """A date that sources write vaguely, with the two fields that keep its words.

    ``<stem>_on``, its qualifier (``<stem>_qualifier``: "by", "until") and its text (``<stem>_as_written``).
    ``words`` begins the two others' labels ("Announced (qualifier)"); ``example`` is the date's and its
    qualifier's help. Storage reads a vague date only in such a field (``records.implied_by_date``).
    """
    return (
        Field(f"{stem}_on", label, FieldType.DATE, synonyms=synonyms, help=example),
        Field(f"{stem}_qualifier", f"{words} (qualifier)", FieldType.CHOICE, vocab=DATE_QUALIFIERS, help=example),
        Field(f"{stem}_as_written", f"{words} (as written)", FieldType.TEXT, help="the date as the source wrote it"),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_FIELD_INDEX: dict[str, dict[str, Field]] = {}
_DERIVED: dict[str, tuple[tuple[Field, ...], ...]] = {}


def _derived(kind: Kind) -> tuple[tuple[Field, ...], ...]:
    """(all, stored, link, required stored, defaulted) fields of a kind, worked out once: asked for every row."""
    found = _DERIVED.get(kind.name)
    if found is None:
        everything = kind.fields + COMMON_FIELDS
        found = _DERIVED[kind.name] = (
            everything,
            tuple(f for f in everything if f.stored),
            tuple(f for f in everything if f.type is FieldType.LINKS),
            tuple(f for f in everything if f.stored and f.required),
            tuple(f for f in everything if f.default is not None or f.type is FieldType.BOOL),
        )
    return found


def _fields_by_name(kind: Kind) -> dict[str, Field]:
    """The kind's fields by name, built once (kinds are constants; hashing one whole would cost more)."""
    index = _FIELD_INDEX.get(kind.name)
    if index is None:
        index = _FIELD_INDEX[kind.name] = {f.name: f for f in kind.all_fields}
    return index


# --- vocabularies -------------------------------------------------------------------------------------------------

# The nature of the transfer (docs: decisions.md, "Kinds and categories"); what it is goes in the category.
AID_KINDS = (
    "military aid",
    "financial aid",
    "humanitarian aid",
    "procurement for own forces",
    "investment",
    "fund contribution",
    "sale",
    "licensed production",
)
OWN_PROCUREMENT = "procurement for own forces"
# Kinds of transfer that are not aid to others: a country's buying for itself, and trade (SIPRI's register is mostly
# sales). Every total keeps them apart.
NOT_AID = (OWN_PROCUREMENT, "sale", "licensed production")
AID_CATEGORIES = (
    "air defence",
    "armoured vehicles",
    "drones",
    "anti-drone",
    "demining",
    "ammunition",
    "night vision and thermal imaging",
    "clothing and winter equipment",
    "logistics vehicles",
    "training",
    "medical and rehabilitation",
    "cyber",
    "expert support",
    "artillery",
    "anti-tank weapons",
    "missiles",
    "small arms and light weapons",
    "aircraft",
    "ships and maritime drones",
    "other",
)
UNITS = ("units", "persons", "rounds", "sets")
VALUE_BASES = ("given by the source", "own estimate")
QUALIFIERS = ("exact", "about", "over", "up to", "between")  # "between": from the value up to its upper bound
# How a vague date is meant: "until 3/16/2022" is 2022-03-16 with "until", "by summer 2025" is 2025 with "by".
DATE_QUALIFIERS = ("before", "by", "until", "about", "between", "from")
# How the EUR value was obtained (value_basis says how the value itself is known).
EUR_BASES = (
    "same currency",
    "given by the source",
    "the tracker's own conversion",
    "ECB rate of the date",
    "ECB average of the month or year",
    "set by hand",
)
# The equipment's condition, as SIPRI's register gives it: not the state of the deal.
CONDITIONS = ("new", "second hand", "second hand, modernised")
AID_STATUSES = ("planned", "announced", "committed", "delivered", "cancelled")
CHANNELS = ("bilateral", "coalition", "joint procurement", "international fund", "industry")
EVENT_TYPES = ("meeting", "visit", "talks", "announcement", "training", "delegation")
AGREEMENT_TYPES = (
    "security agreement",
    "cooperation agreement",
    "memorandum of understanding",
    "letter of intent",
    "contract",
    "other",
)
TOTAL_MEASURES = ("military assistance", "total assistance", "financial assistance", "humanitarian assistance")
# The kinds of Aid item a reported total of each measure covers, for reconciling it with the items recorded.
TOTAL_COVERS: dict[str, tuple[str, ...]] = {
    "military assistance": ("military aid", "fund contribution"),
    "financial assistance": ("financial aid",),
    "humanitarian assistance": ("humanitarian aid",),
    "total assistance": tuple(k for k in AID_KINDS if k not in NOT_AID),
}
# The built-in actor for a party the source does not name (SIPRI's "unknown supplier(s)"), of type "unknown".
# Written so, with its capital, a layout's cell is this actor, not the null marker "unknown".
UNKNOWN_ACTOR = "Unknown"
# "unknown": the type of the built-in actor UNKNOWN_ACTOR.
ACTOR_TYPES = ("country", "organisation", "coalition", "company", "person", "unknown")
PARTY_ROLES = ("party", "signatory", "witness")

# Other wordings of vocabulary values that spreadsheets use; folded text -> value.
VOCAB_SYNONYMS: dict[str, str] = {
    "air defense": "air defence",
    "armored vehicles": "armoured vehicles",
    "armoured vehicle": "armoured vehicles",
    "uav": "drones",
    "uavs": "drones",
    "drone": "drones",
    "counter-drone": "anti-drone",
    "counter drone": "anti-drone",
    "mine clearing": "demining",
    "ammo": "ammunition",
    "night vision": "night vision and thermal imaging",
    "thermal imaging": "night vision and thermal imaging",
    "clothing": "clothing and winter equipment",
    "winter equipment": "clothing and winter equipment",
    "medical": "medical and rehabilitation",
    "rehabilitation": "medical and rehabilitation",
    "procurement": "procurement for own forces",
    "own procurement": "procurement for own forces",
    "aid": "military aid",  # schema versions 1 and 2 had one kind of aid
    "military": "military aid",
    "financial": "financial aid",
    "humanitarian": "humanitarian aid",
    "licence production": "licensed production",
    "license production": "licensed production",
    "second hand but modernized": "second hand, modernised",
    "second hand but modernised": "second hand, modernised",
    "modernised": "second hand, modernised",
    "modernized": "second hand, modernised",
    "small arms": "small arms and light weapons",
    "salw": "small arms and light weapons",
    "anti-tank": "anti-tank weapons",
    "ships": "ships and maritime drones",
    "fund": "fund contribution",
    "estimate": "own estimate",
    "source": "given by the source",
    "approximately": "about",
    "more than": "over",
    "canceled": "cancelled",
    "pledged": "committed",
    "organization": "organisation",
    "international organisation": "organisation",
    "international organization": "organisation",
    "state": "country",
    "mou": "memorandum of understanding",
}

# --- fields -------------------------------------------------------------------------------------------------------

SOURCES_FIELD = Field(
    "sources",
    "Sources",
    FieldType.LINKS,
    link=Link(
        "citations",
        "sources",
        extras=(Field("quote", "Quote", FieldType.LONG_TEXT, help="the words of the source that back the record"),),
        polymorphic=True,
    ),
    synonyms=("source", "sources", "source title", "reference", "references", "citation"),
    help="the articles this record comes from, each with an optional quote",
)

COMMON_FIELDS = (
    Field(
        "uncertain",
        "Uncertain",
        FieldType.BOOL,
        default=False,
        help="mark a record whose facts are inferred, estimated or disputed",
    ),
    Field(
        "uncertain_note",
        "Why uncertain",
        FieldType.TEXT,
        synonyms=("uncertainty", "uncertainty note"),
        help="what is inferred, estimated or disputed",
    ),
    Field(
        "extra",
        "Other columns",
        FieldType.EXTRA,
        help="the columns of an imported file that no field takes, under their own headers, as the file had them",
    ),
)

AID = Kind(
    "aid",
    "Aid",
    "Aid item",
    title_field="item",
    counted_as="aid items",
    duplicate_bucket=("donor", "recipient", "announced_on"),
    duplicate_also=("donor", "recipient", "package"),
    search=(
        "item",
        "donor",
        "recipient",
        "supplier",
        "category",
        "kind",
        "status",
        "channel",
        "coalition",
        "package",
        "notes",
    ),
    filters=("donor", "recipient", "category", "status", "kind", "package"),
    date_filter="announced_on",
    hidden=(
        "supplier",
        "quantity_delivered",
        "quantity_qualifier",
        "unit",
        "value",
        "currency",
        "eur_rate",
        "eur_rate_date",
        "value_basis",
        "value_qualifier",
        "expected_on",
        "expected_qualifier",
        "expected_as_written",
        "coalition",
        "value_max",
        "eur_basis",
        "condition",
        "announced_qualifier",
        "announced_as_written",
        "delivery_years",
        "tiv_per_unit",
        "tiv_total",
        "tiv_delivered",
        "uncertain_note",
        "extra",
        "uid",
        "updated_at",
    ),
    fields=(
        Field(
            "kind",
            "Kind",
            FieldType.CHOICE,
            vocab=AID_KINDS,
            required=True,
            default="military aid",
            synonyms=("type of aid", "aid type", "aid kind", "type"),
            help="the nature of the transfer: aid to another country, a sale, or procurement for its own forces",
        ),
        Field(
            "package",
            "Package",
            FieldType.REF,
            ref="packages",
            synonyms=("package id", "package name", "id", "announcement id", "aid package"),
            help="items announced together; other trackers' rows that share a package ID share a package",
        ),
        Field(
            "donor",
            "Donor",
            FieldType.REF,
            ref="actors",
            creates="country",
            required=True,
            synonyms=("countries", "country", "donor country", "donor name", "provider", "supplier country"),
        ),
        Field(
            "recipient",
            "Recipient",
            FieldType.REF,
            ref="actors",
            creates="country",
            required=True,
            synonyms=("recipient country", "beneficiary", "to"),
        ),
        Field(
            "category",
            "Category",
            FieldType.CHOICE,
            vocab=AID_CATEGORIES,
            required=True,
            default="other",
            synonyms=("aid category", "type of equipment", "equipment type", "weapon category", "subcategory"),
        ),
        Field(
            "item",
            "Item",
            FieldType.TEXT,
            required=True,
            synonyms=("items", "description", "item description", "equipment", "weapon", "what"),
            help="one distinct thing: 'NASAMS launchers', 'training of Ukrainian soldiers'",
            completes=True,
        ),
        Field(
            "supplier",
            "Supplier",
            FieldType.REF,
            ref="actors",
            creates="company",
            synonyms=("manufacturer", "producer", "vendor", "seller", "contractor"),
            help="the company or country that makes or sells the item, where known",
        ),
        Field(
            "quantity_committed",
            "Quantity committed",
            FieldType.INTEGER,
            synonyms=("quantity", "qty", "number", "units committed", "quantity pledged"),
        ),
        Field("quantity_delivered", "Quantity delivered", FieldType.INTEGER, synonyms=("delivered quantity",)),
        Field(
            "quantity_qualifier",
            "Quantity qualifier",
            FieldType.CHOICE,
            vocab=QUALIFIERS,
            help="'about 1,500 soldiers' is 1500 with 'about'",
        ),
        Field("unit", "Unit", FieldType.CHOICE, vocab=UNITS, synonyms=("units", "unit of measure")),
        Field(
            "value",
            "Value",
            FieldType.AMOUNT,
            qualifier="value_qualifier",
            synonyms=("amount", "reported value", "value in original currency", "monetary value"),
            help="as the source gives it; '234 million', '2.4m' and '234,000,000' all work",
        ),
        Field(
            "value_max",
            "Value up to",
            FieldType.AMOUNT,
            qualifier="value_qualifier",
            help="the upper end of a range: 'EUR 40-50 million' is a value of 40 million up to 50 million",
        ),
        Field("currency", "Currency", FieldType.CURRENCY, default="EUR", synonyms=("currency code", "ccy")),
        Field(
            "value_eur",
            "Value (EUR)",
            FieldType.AMOUNT,
            qualifier="value_qualifier",
            synonyms=("value in eur", "converted value in eur", "eur value", "value eur", "amount (eur)", "eur"),
        ),
        Field("eur_rate", "EUR rate", FieldType.NUMBER, synonyms=("exchange rate", "rate"), help="EUR per 1 unit"),
        Field("eur_rate_date", "EUR rate date", FieldType.DATE, synonyms=("exchange rate date", "rate date")),
        Field(
            "value_basis",
            "Value known from",
            FieldType.CHOICE,
            vocab=VALUE_BASES,
            synonyms=("value source", "value basis", "valuation"),
        ),
        Field(
            "eur_basis",
            "EUR value from",
            FieldType.CHOICE,
            vocab=EUR_BASES,
            help="how the EUR value was obtained: the same currency, the source, a conversion, or by hand",
        ),
        Field(
            "value_qualifier",
            "Value qualifier",
            FieldType.CHOICE,
            vocab=QUALIFIERS,
            synonyms=("qualifier",),
            help="'over EUR 641 million' is 641000000 with 'over'",
        ),
        Field(
            "status",
            "Status",
            FieldType.CHOICE,
            vocab=AID_STATUSES,
            required=True,
            default="announced",
            synonyms=("aid status", "state", "delivery status"),
        ),
        Field(
            "condition", "Condition", FieldType.CHOICE, vocab=CONDITIONS, help="of the equipment: new or second hand"
        ),
        *vague_date(
            "announced",
            "Announced",
            "Announced on",
            synonyms=("announcement date", "date announced", "date of announcement", "announced", "date"),
            example="'until 3/16/2022' is 2022-03-16 with 'until'",
        ),
        Field(
            "delivered_on",
            "Delivered on",
            FieldType.DATE,
            synonyms=("delivery date", "date delivered", "date of delivery", "delivered"),
        ),
        Field("delivery_years", "Delivery years", FieldType.TEXT, help="every year of delivery: '2022; 2023; 2024'"),
        *vague_date(
            "expected",
            "Delivery expected",
            "Delivery expected",
            synonyms=("expected delivery", "expected delivery date", "delivery planned"),
            example="'by summer 2025' is 2025 with 'by'",
        ),
        Field(
            "channel",
            "Channel",
            FieldType.CHOICE,
            vocab=CHANNELS,
            synonyms=("aid channel", "delivery channel", "mechanism"),
        ),
        Field(
            "coalition",
            "Coalition",
            FieldType.REF,
            ref="actors",
            offers=("coalition", "organisation"),
            creates="coalition",
            synonyms=("capability coalition",),
        ),
        # SIPRI's trend-indicator values: a volume of arms transferred, in millions, never money
        Field("tiv_per_unit", "TIV per unit", FieldType.NUMBER, help="SIPRI trend-indicator value, in millions"),
        Field("tiv_total", "TIV of the order", FieldType.NUMBER, help="SIPRI trend-indicator value, in millions"),
        Field("tiv_delivered", "TIV delivered", FieldType.NUMBER, help="SIPRI trend-indicator value, in millions"),
        Field(
            "notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments", "remarks", "explanation")
        ),
        SOURCES_FIELD,
    ),
)

PACKAGES = Kind(
    "packages",
    "Packages",
    "Package",
    title_field="name",
    aliases="code",  # rows of a tracker name a package by its code ("USM1"); its name is for people
    creatable=True,
    title_copies=("code",),
    search=("name", "code", "donor", "recipient", "summary", "notes"),
    filters=("donor", "recipient"),
    date_filter="announced_on",
    hidden=("uncertain_note", "extra", "uid", "updated_at"),
    fields=(
        Field(
            "name",
            "Name",
            FieldType.TEXT,
            required=True,
            synonyms=("package", "package name", "title"),
            help="'Lithuania's August 2024 package'",
        ),
        Field(
            "code",
            "Package ID",
            FieldType.TEXT,
            synonyms=("package id", "package code", "id in source tracker"),
            help="the package's ID in another tracker, where it has one",
        ),
        Field("announced_on", "Announced on", FieldType.DATE, synonyms=("announcement date", "date")),
        Field(
            "donor",
            "Donor",
            FieldType.REF,
            ref="actors",
            creates="country",
            synonyms=("countries", "country", "donor country"),
        ),
        Field("recipient", "Recipient", FieldType.REF, ref="actors", creates="country"),
        # The package's own value, as a tracker gives it once per package (Kiel): counted only where none of its
        # items has a value of its own.
        Field("value", "Value", FieldType.AMOUNT, help="the package's value as the source gives it"),
        Field("currency", "Currency", FieldType.CURRENCY, default="EUR"),
        Field("value_eur", "Value (EUR)", FieldType.AMOUNT),
        Field("summary", "Summary", FieldType.LONG_TEXT, synonyms=("description",)),
        Field("notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments")),
        SOURCES_FIELD,
    ),
)

EVENTS = Kind(
    "events",
    "Events",
    "Event",
    title_field="title",
    search=("title", "type", "place", "summary", "topics", "participants", "notes"),
    filters=("type",),
    date_filter="date",
    hidden=("uncertain_note", "extra", "uid", "updated_at"),
    fields=(
        Field(
            "type",
            "Type",
            FieldType.CHOICE,
            vocab=EVENT_TYPES,
            required=True,
            default="meeting",
            synonyms=("event type",),
        ),
        Field("date", "Date", FieldType.DATE, synonyms=("event date", "held on", "when")),
        Field("place", "Place", FieldType.TEXT, synonyms=("location", "city", "where"), completes=True),
        Field("title", "Title", FieldType.TEXT, required=True, synonyms=("event", "name", "headline")),
        Field("summary", "Summary", FieldType.LONG_TEXT, synonyms=("description", "details")),
        Field(
            "package",
            "Package announced",
            FieldType.REF,
            ref="packages",
            synonyms=("package", "aid package"),
            help="the aid package this event announced",
        ),
        Field(
            "participants",
            "Participants",
            FieldType.LINKS,
            creates="person",
            link=Link(
                "event_participants",
                "actors",
                extras=(Field("role", "Role", FieldType.TEXT, help="'host', 'President of Ukraine'"),),
            ),
            synonyms=("participant", "people", "attendees"),
        ),
        Field(
            "topics",
            "Topics",
            FieldType.TEXT,
            synonyms=("topic", "subjects", "keywords"),
            help="separated by ';'",
            completes=True,
        ),
        Field("notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments")),
        SOURCES_FIELD,
    ),
)

AGREEMENTS = Kind(
    "agreements",
    "Agreements",
    "Agreement",
    title_field="title",
    search=("title", "type", "place", "parties", "summary", "notes"),
    filters=("type",),
    date_filter="signed_on",
    hidden=("uncertain_note", "extra", "uid", "updated_at"),
    fields=(
        Field("title", "Title", FieldType.TEXT, required=True, synonyms=("agreement", "name")),
        Field(
            "type",
            "Type",
            FieldType.CHOICE,
            vocab=AGREEMENT_TYPES,
            required=True,
            default="cooperation agreement",
            synonyms=("agreement type",),
        ),
        Field(
            "parties",
            "Parties",
            FieldType.LINKS,
            creates="country",
            link=Link(
                "agreement_parties",
                "actors",
                extras=(Field("role", "Role", FieldType.CHOICE, vocab=PARTY_ROLES, default="party"),),
            ),
            synonyms=("party", "signatories", "countries"),
        ),
        Field("signed_on", "Signed on", FieldType.DATE, synonyms=("date signed", "signing date", "date")),
        Field("place", "Place", FieldType.TEXT, synonyms=("location", "signed in"), completes=True),
        Field("summary", "Summary", FieldType.LONG_TEXT, synonyms=("description",)),
        Field("notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments")),
        SOURCES_FIELD,
    ),
)

TOTALS = Kind(
    "totals",
    "Totals",
    "Reported total",
    title_field="measure",
    search=("subject", "recipient", "measure", "reported_by", "notes"),
    filters=("subject", "measure"),
    date_filter="as_of",
    hidden=("uncertain_note", "extra", "uid", "updated_at"),
    fields=(
        Field(
            "subject",
            "Subject",
            FieldType.REF,
            ref="actors",
            creates="country",
            required=True,
            synonyms=("donor", "country", "countries"),
            help="whose total it is",
        ),
        Field("recipient", "Recipient", FieldType.REF, ref="actors", creates="country"),
        Field(
            "measure",
            "Measure",
            FieldType.CHOICE,
            vocab=TOTAL_MEASURES,
            required=True,
            default="military assistance",
            synonyms=("what", "type"),
        ),
        Field(
            "amount",
            "Amount",
            FieldType.AMOUNT,
            qualifier="qualifier",
            required=True,
            synonyms=("total", "value", "sum"),
        ),
        Field("currency", "Currency", FieldType.CURRENCY, default="EUR"),
        Field("qualifier", "Qualifier", FieldType.CHOICE, vocab=QUALIFIERS, default="exact"),
        Field("as_of", "As of", FieldType.DATE, synonyms=("date", "as at", "reported on")),
        Field(
            "reported_by",
            "Reported by",
            FieldType.REF,
            ref="actors",
            offers=("organisation", "person", "country"),
            creates="organisation",
            synonyms=("according to", "reporter"),
            help="who gave the figure: 'the Lithuanian Ministry of National Defence'",
        ),
        Field("notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments")),
        SOURCES_FIELD,
    ),
)

ACTORS = Kind(
    "actors",
    "Actors",
    "Actor",
    title_field="name",
    aliases="aliases",
    unique_titles=True,
    creatable=True,
    finds_by_last_word=True,
    search=("name", "aliases", "type", "country", "description", "relations", "notes"),
    filters=("type", "country"),
    hidden=("description", "uncertain_note", "extra", "uid", "updated_at"),
    fields=(
        Field("name", "Name", FieldType.TEXT, required=True, synonyms=("actor", "full name")),
        Field(
            "type",
            "Type",
            FieldType.CHOICE,
            vocab=ACTOR_TYPES,
            required=True,
            default="country",
            synonyms=("actor type",),
        ),
        Field(
            "aliases",
            "Aliases",
            FieldType.TEXT,
            synonyms=("alias", "other names", "also known as"),
            help="other spellings, separated by ';': 'Zelenskyy; Zelenskiy'",
        ),
        Field(
            "country",
            "Country",
            FieldType.REF,
            ref="actors",
            offers=("country",),
            creates="country",
            help="the country a person or organisation is of",
        ),
        Field("description", "Description", FieldType.LONG_TEXT),
        Field(
            "relations",
            "Roles and memberships",
            FieldType.LINKS,
            link=Link(
                "actor_relations",
                "actors",
                extras=(
                    Field("role", "Role", FieldType.TEXT, required=True, help="'Minister of National Defence', 'lead'"),
                    Field("start", "From", FieldType.DATE),
                    Field("end", "Until", FieldType.DATE),
                ),
            ),
            synonyms=("roles", "memberships"),
            help="a person's offices with their periods; a country's place in a coalition",
        ),
        Field("notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments")),
        SOURCES_FIELD,
    ),
)

SOURCES = Kind(
    "sources",
    "Sources",
    "Source",
    title_field="title",
    creatable=True,
    url_field="url",
    search=("title", "publisher", "author", "url", "excerpt", "full_text", "notes"),
    filters=("publisher",),
    date_filter="published_on",
    hidden=("excerpt", "full_text", "uncertain_note", "extra", "uid", "updated_at"),
    fields=(
        Field("title", "Title", FieldType.TEXT, required=True, synonyms=("headline", "article", "source title")),
        Field(
            "publisher", "Publisher", FieldType.TEXT, synonyms=("outlet", "media", "newspaper", "site"), completes=True
        ),
        Field("author", "Author", FieldType.TEXT, synonyms=("authors", "by", "byline"), completes=True),
        Field("published_on", "Published on", FieldType.DATE, synonyms=("date", "publication date", "published")),
        Field("url", "URL", FieldType.URL, synonyms=("link", "web address", "source url")),
        Field("excerpt", "Excerpt", FieldType.LONG_TEXT, synonyms=("lead", "abstract")),
        Field(
            "full_text",
            "Full text",
            FieldType.LONG_TEXT,
            synonyms=("text", "article text", "body"),
            help="the article kept offline",
        ),
        Field("notes", "Notes", FieldType.LONG_TEXT, synonyms=("note", "comment", "comments")),
    ),
)

# In the order records must be created: a kind's references point only to kinds before it, or to itself.
KINDS: tuple[Kind, ...] = (SOURCES, ACTORS, PACKAGES, AID, EVENTS, AGREEMENTS, TOTALS)
KINDS_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
# The order people see them in: the sidebar, the export's sheets, stats.
DISPLAY_ORDER = ("aid", "events", "agreements", "totals", "actors", "sources", "packages")
# What people read for every record's stable ID and last change: table headers, the export's first and last column.
ID_LABEL = "ID"
UPDATED_LABEL = "Last updated"


def kind_named(name: str) -> Kind:
    """The kind called ``name`` on the command line, in any case, singular or plural ("Aid", "event").

    Raises:
        KeyError: no kind has that name.
    """
    key = name.strip().lower()
    for kind in KINDS:
        if key in (kind.name, kind.singular.lower(), kind.name.rstrip("s"), kind.label.lower()):
            return kind
    raise KeyError(f"no record kind '{name}' (kinds: {', '.join(DISPLAY_ORDER)})")
