"""Likely duplicates: a new row that looks like a record already here, or like an earlier row of the same file.

A kind names the fields a duplicate shares exactly (``Kind.duplicate_bucket``: Aid's donor, recipient and date);
within that bucket, looked up in SQL through the index the schema makes for it, the title is compared nearly with
rapidfuzz, among the titles that hold the same numbers ("Generator set 12" is not a spelling of "Generator set 13",
nor "10 M113" of "20 M113"). Only the buckets the file's rows fall in are read, so a small file costs little on a
big database.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz, process

from storage import FieldType, Kind, Ledger
from storage.schema import q
from storage.values import fold

# How alike two titles of one bucket must be (rapidfuzz's ratio, 0-100) to call the row a likely duplicate.
FUZZY_DUPLICATE = 90
_NUMBERS = re.compile(r"\d+")

Group = tuple[list[str], list[tuple[int, str]]]  # folded titles, and (record id or 0, title shown) of each


class DuplicateIndex:
    """The records of a kind that a new row may repeat, read bucket by bucket as the rows ask for them."""

    def __init__(self, ledger: Ledger, kind: Kind) -> None:
        self.ledger = ledger
        self.kind = kind
        fields = [kind.field(name) for name in kind.duplicate_bucket]
        self._refs = [f.type is FieldType.REF for f in fields]
        where = " AND ".join(f"{q(f.column)} IS ?" for f in fields)
        self._sql = f"SELECT id, {q(kind.title_field)} FROM {q(kind.name)} WHERE {where}"
        # bucket -> the numbers its titles hold -> their group; the file's own rows join as they come
        self._buckets: dict[tuple[Any, ...], dict[tuple[str, ...], Group]] = {}

    def _group(self, key: tuple[Any, ...], numbers: tuple[str, ...]) -> Group:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = {}
            for rid, title in self.ledger.conn.execute(self._sql, key):
                folded = fold(title or "")
                titles, records = bucket.setdefault(tuple(_NUMBERS.findall(folded)), ([], []))
                titles.append(folded)
                records.append((rid, title or ""))
        return bucket.setdefault(numbers, ([], []))

    def find(self, values: dict[str, Any], stored: dict[str, Any], where: str) -> tuple[int, str, str] | None:
        """The record (its id, title and why) that a new row of ``values`` repeats, or None.

        The row then joins its bucket, so that a later row of the file repeating it is found too.

        Args:
            values: the row's values as read.
            stored: overlays ``values`` with what storage keeps (dates, ids).
            where: how the row is named when a later row repeats it ("Sheet row 12").
        """
        if not self.kind.duplicate_bucket:
            return None
        merged = {**values, **stored}
        key = tuple(merged.get(name) for name in self.kind.duplicate_bucket)
        if any(ref and isinstance(v, str) for ref, v in zip(self._refs, key, strict=True)):
            return None  # it names a record still to be made: nothing here can be the same
        title = str(values.get(self.kind.title_field) or "")
        folded = fold(title)
        titles, records = self._group(key, tuple(_NUMBERS.findall(folded)))
        hit = None
        if folded in titles:
            rid, shown = records[titles.index(folded)]
            hit = rid, shown, f"same {self._described()}"
        elif folded and titles:
            near = process.extractOne(folded, titles, scorer=fuzz.ratio, score_cutoff=FUZZY_DUPLICATE)
            if near is not None:
                rid, shown = records[near[2]]
                hit = rid, shown, f"same {self._described(exact=False)}, and a nearly identical {self._title()}"
        titles.append(folded)
        records.append((0, f"{where} of this file"))
        return hit

    def _title(self) -> str:
        return self.kind.field(self.kind.title_field).label.lower()

    def _described(self, *, exact: bool = True) -> str:
        labels = [self.kind.field(n).label.lower() for n in self.kind.duplicate_bucket]
        if exact:
            labels.insert(-1, self._title())
        return ", ".join(labels[:-1]) + " and " + labels[-1]
