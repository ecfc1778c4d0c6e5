"""A newer release of a tracker over an older one: its rows matched to the records here by the tracker's key.

The rows are matched and compared a chunk at a time: the records their keys name, the records themselves and when
each last came in from a file are read for a thousand rows in a few queries, where row by row each matched row
cost seven (its package's records, the record, when it last came in, the references it names).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from storage import FieldType, Kind, Ledger, UserError, extra
from storage import records as rec
from storage.extra import EXTRA
from storage.schema import q
from storage.values import fold

from .diff import diff_record, read_as_stored, special_fields, unchanged
from .mapping import Mapping
from .model import Add, Issue
from .reading import Sheet
from .rows import RowReader

# How many rows are matched and compared together.
_CHUNK = 1000


class KeyIndex:
    """The records here by a tracker's key, read for each value of its first field as the rows name them."""

    def __init__(self, ledger: Ledger, kind: Kind, key: tuple[str, ...]) -> None:
        self.ledger, self.kind, self.key = ledger, kind, key
        self.fields = [kind.field(name) for name in key]
        columns = ", ".join(f"r.{q(f.column)}" for f in self.fields)
        first = f"r.{q(self.fields[0].column)}"
        self.sql = f"SELECT r.id, r.uid, {columns} FROM {q(kind.name)} AS r WHERE {first} IS ? ORDER BY r.id"
        # CROSS JOIN: each value looked up in the column's index, whatever the planner guesses of json_each
        self.many_sql = (
            f"SELECT j.key, r.id, r.uid, {columns} FROM json_each(?) AS j CROSS JOIN {q(kind.name)} AS r"
            f" ON {first} IS j.value ORDER BY j.key, r.id"
        )
        self.here: dict[Any, dict[tuple[Any, ...], list[int]]] = {}  # first field's value -> key -> records here
        self.seen: dict[tuple[Any, ...], int] = {}  # key -> how many rows of the file had it so far
        self.uids: dict[int, str] = {}  # the stable ID of each record read
        self._refs = [n for n, f in enumerate(self.fields) if f.type is FieldType.REF]

    def _key(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            fold(str(v)) if f.type is FieldType.TEXT and v is not None else v
            for f, v in zip(self.fields, values, strict=True)
        )

    def _names_new(self, raw: tuple[Any, ...]) -> bool:
        return any(isinstance(raw[n], str) for n in self._refs)  # a name, not a row id: a record still to be made

    def _found(self, first: Any, rows: Iterable[tuple[Any, ...]]) -> None:
        found = self.here.setdefault(first, {})
        for rid, uid, *row in rows:
            self.uids[rid] = uid
            found.setdefault(self._key(tuple(row)), []).append(rid)

    def raw(self, add: Add) -> tuple[Any, ...]:
        """A row's values of the key's fields, as the row gives them (stored where a field stores another form)."""
        return tuple(add.stored[name] if name in add.stored else add.values.get(name) for name in self.key)

    def load(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Read the records for the first-field values these rows' keys (``raw``) name and none before, in one query.

        A value that JSON would not carry exactly (a float, an integer beyond SQLite's, a text holding a NUL) is left
        to ``holds``, which asks for it alone.
        """
        wanted: dict[Any, None] = {}
        for raw in rows:
            first = raw[0]
            if first in self.here or first in wanted or self._names_new(raw):
                continue
            if _json_carries(first):
                wanted[first] = None
        if not wanted:
            return
        firsts = list(wanted)
        for first in firsts:
            self.here[first] = {}  # asked for: one that no record has is known to have none
        by_first: dict[int, list[tuple[Any, ...]]] = {}
        for n, *row in self.ledger.conn.execute(self.many_sql, (json.dumps(firsts),)):
            by_first.setdefault(n, []).append(tuple(row))
        for n, found in by_first.items():
            self._found(firsts[n], found)

    def holds(self, raw: tuple[Any, ...]) -> int | None:
        """The record here that a row with key ``raw`` is: the one at the same place among equal keys, or None."""
        if self._names_new(raw):
            return None  # it names a record still to be made
        first = raw[0]
        if first not in self.here:
            self._found(first, self.ledger.conn.execute(self.sql, (first,)))
        k = self._key(raw)
        n = self.seen.get(k, 0)
        self.seen[k] = n + 1
        records = self.here[first].get(k, [])
        return records[n] if n < len(records) else None


class ReleaseRows:
    """The rows of a tracker's release, each a new record or one here by its key, taken a chunk at a time.

    A row that is a record here is compared with it as an edited export's row is: what the release changed is an
    update, and a field changed here since the record last came in is a conflict, never an overwrite. The plan
    ends up exactly as if each row were matched and compared as it was read, its problems in the same order.
    """

    def __init__(self, builder: RowReader, kind: Kind, key: tuple[str, ...], sheet: Sheet, mapping: Mapping) -> None:
        self.builder, self.kind, self.sheet, self.mapping = builder, kind, sheet, mapping
        self.index = KeyIndex(builder.ledger, kind, key)
        self.special = special_fields(kind)
        # each row still to be matched: its new record, and how many problems the plan listed when it was read
        self.waiting: list[tuple[Add, int]] = []

    def take(self, add: Add) -> None:
        """A row read and checked: matched, with the rows read before it, once a chunk of them is waiting."""
        self.waiting.append((add, len(self.builder.plan.issues)))
        if len(self.waiting) >= _CHUNK:
            self.finish()

    def finish(self) -> None:
        """Match and compare the rows waiting: each a new record, or one here changed, in conflict or the same."""
        waiting, self.waiting = self.waiting, []
        plan = self.builder.plan
        keys = [self.index.raw(add) for add, _ in waiting]
        self.index.load(keys)
        matched: list[tuple[int, Add, int]] = []
        for (add, at), raw in zip(waiting, keys, strict=True):
            rid = self.index.holds(raw)
            if rid is None:
                plan.adds.append(add)
            else:
                matched.append((rid, add, at))
        if not matched:
            return
        ledger, rids = self.builder.ledger, [rid for rid, _, _ in matched]
        here = rec.get_by_uids(ledger, self.kind, [self.index.uids[rid] for rid in rids])
        by_id = {record["id"]: record for record in here.values()}
        since = _last_imports(ledger, self.kind, rids)
        told: list[tuple[int, list[Issue]]] = []  # the problems a comparison found, and where the plan lists them
        reading = self.builder.stored
        try:
            for rid, add, at in matched:
                current = by_id.get(rid)
                if current is None:
                    raise UserError(f"the {self.kind.singular.lower()} #{rid} no longer exists")
                before = len(plan.issues)
                self._compare(current, add, since.get(rid, ""))
                if len(plan.issues) > before:
                    told.append((at, plan.issues[before:]))
                    del plan.issues[before:]
        finally:
            self.builder.stored = reading
        if told:  # each where its row's own problems are: as if compared when the row was read
            merged: list[Issue] = []
            done = 0
            for at, found in told:
                merged += plan.issues[done:at] + found
                done = at
            plan.issues[:] = merged + plan.issues[done:]

    def _compare(self, current: dict[str, Any], add: Add, since: str) -> None:
        builder, plan, kind = self.builder, self.builder.plan, self.kind
        plan.matched_by_key += 1
        builder.stored = add.stored  # the row's values as storage keeps them: what the quick look reads
        headers = [name for _, name, _ in builder.kept_columns(self.mapping)]
        if headers and (EXTRA in add.values or current.get(EXTRA)):
            # the release's columns give their extra values; one it no longer has loses nothing here
            given = extra.merged(current.get(EXTRA), extra.from_text(add.values.get(EXTRA)), headers)
            add.values[EXTRA] = add.stored[EXTRA] = given
        if unchanged(kind, current, read_as_stored(builder, self.special, current, add.values)):
            return  # most rows of a newer release: no history read, nothing cleaned again
        updates, conflicts = len(plan.updates), len(plan.conflicts)
        r = add.row - 1
        diff_record(builder, kind, current, current["uid"], add.values, since, self.sheet, r, self.mapping)
        if len(plan.updates) > updates or len(plan.conflicts) > conflicts:
            plan.matched_by_key -= 1
        else:
            plan.unchanged -= 1  # counted as matched by key, not twice


def _json_carries(value: Any) -> bool:
    """Whether SQLite's ``json_each`` gives back exactly this value, as binding it would."""
    if isinstance(value, str):
        return "\x00" not in value
    return value is None or (isinstance(value, int) and -(2**63) <= value < 2**63)


def _last_imports(ledger: Ledger, kind: Kind, rids: list[int]) -> dict[int, str]:
    """When each record last came in from a file, by id: what an edit here since then is weighed against."""
    sql = (
        "SELECT h.record_id, max(b.at) FROM json_each(?) AS j CROSS JOIN history AS h"
        " ON h.kind = ? AND h.record_id = j.value JOIN batches AS b ON b.id = h.batch_id"
        " WHERE b.label LIKE 'Import %' GROUP BY h.record_id"
    )
    return {rid: str(at or "") for rid, at in ledger.conn.execute(sql, (json.dumps(rids), kind.name))}
