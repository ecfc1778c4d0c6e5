"""The records curated from the seed articles, loaded through the same validation as a user's own data."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .database import Ledger
from .errors import AppBug
from .kinds import KINDS, FieldType
from .records import id_for_uid, insert, update

SAMPLE_FILE = "seed_records.json"


def sample_data() -> dict[str, list[dict[str, Any]]]:
    """The sample records by kind name, as kept in ``resources/sample/seed_records.json``."""
    text = resources.files("resources.sample").joinpath(SAMPLE_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    if data.get("format") != "aid-ledger-records":
        raise AppBug(f"{SAMPLE_FILE} is not an Aid Ledger records file")
    records: dict[str, list[dict[str, Any]]] = data["records"]
    return records


def load_records(ledger: Ledger, records: dict[str, list[dict[str, Any]]], *, label: str) -> dict[str, int]:
    """Add records given by kind, each with its stable ``id``; records whose ID is already there are left alone.

    References are by name (an actor's name or alias, a source's title), so the file reads like the articles.
    Fields that point to the record's own kind (an actor's country) are set in a second pass, once every record
    of that kind exists.

    Returns:
        How many records of each kind were added.

    Raises:
        ValidationError: a record is not valid; nothing was added.
    """
    added = {kind.name: 0 for kind in KINDS}
    with ledger.batch(label):
        for kind in KINDS:
            later: list[tuple[int, dict[str, Any]]] = []
            for position, record in enumerate(records.get(kind.name, []), start=1):
                values = {k: v for k, v in record.items() if k != "id"}
                if id_for_uid(ledger, kind, str(record["id"]).upper()) is not None:
                    continue
                self_refs = {
                    n: values.pop(n)
                    for n in list(values)
                    if (f := kind.field(n)).type in (FieldType.REF, FieldType.LINKS)
                    and (f.ref or (f.link.target if f.link else None)) == kind.name
                }
                where = f"{kind.label} record {position} ({record['id']})"
                rid = insert(ledger, kind, values, uid=str(record["id"]), where=where)
                added[kind.name] += 1
                if self_refs:
                    later.append((rid, self_refs | {"_where": where}))
            for rid, values in later:
                where = values.pop("_where")
                update(ledger, kind, rid, values, where=where)
    return added


def load_sample(ledger: Ledger) -> dict[str, int]:
    """Add the sample records that are not there yet; running it twice adds nothing the second time."""
    return load_records(ledger, sample_data(), label="Load the sample records")
