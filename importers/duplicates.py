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

# How alike two titles of one bucket must be (rapidfuzz's token-set ratio, 0-100) to call the row a likely duplicate:
# "Javelin missiles" is "Javelin anti-tank missiles" told shorter.
FUZZY_DUPLICATE = 90
_NUMBERS = re.compile(r"\d+")

Group = tuple[list[str], list[tuple[int, str]]]  # folded titles, and (record id or 0, title shown) of each


class DuplicateIndex:
    """The records of a kind that a new row may repeat, read bucket by bucket as the rows ask for them.

    A bucket is the records sharing a kind's ``duplicate_bucket`` fields (Aid: donor, recipient and date), or its
    ``duplicate_also`` fields where none is blank (Aid: donor, recipient and package).
    """

    def __init__(self, ledger: Ledger, kind: Kind) -> None:
        self.ledger = ledger
        self.kind = kind
        self._bucketings = [names for names in (kind.duplicate_bucket, kind.duplicate_also) if names]
        self._sql = []
        for names in self._bucketings:
            where = " AND ".join(f"{q(kind.field(name).column)} IS ?" for name in names)
            self._sql.append(f"SELECT id, {q(kind.title_field)} FROM {q(kind.name)} WHERE {where}")
        # (bucketing, bucket) -> the numbers its titles hold -> their group; the file's own rows join as they come
        self._buckets: dict[tuple[int, tuple[Any, ...]], dict[tuple[str, ...], Group]] = {}

    def _group(self, which: int, key: tuple[Any, ...], numbers: tuple[str, ...]) -> Group:
        bucket = self._buckets.get((which, key))
        if bucket is None:
            bucket = self._buckets[(which, key)] = {}
            # A name still to be made (a new donor) has no record here: only the file's own rows can repeat it.
            fields = [self.kind.field(name) for name in self._bucketings[which]]
            if not any(isinstance(v, str) and f.type is FieldType.REF for v, f in zip(key, fields, strict=True)):
                for rid, title in self.ledger.conn.execute(self._sql[which], key):
                    folded = fold(title or "")
                    titles, records = bucket.setdefault(tuple(_NUMBERS.findall(folded)), ([], []))
                    titles.append(folded)
                    records.append((rid, title or ""))
        return bucket.setdefault(numbers, ([], []))

    def find(self, values: dict[str, Any], stored: dict[str, Any], where: str) -> tuple[int, str, str] | None:
        """The record (its id, title and why) that a new row of ``values`` repeats, or None.

        The row then joins its buckets, so that a later row of the file repeating it is found too.

        Args:
            values: the row's values as read.
            stored: overlays ``values`` with what storage keeps (dates, ids).
            where: how the row is named when a later row repeats it ("Sheet row 12").
        """
        merged = {**values, **stored}
        title = str(values.get(self.kind.title_field) or "")
        folded = fold(title)
        numbers = tuple(_NUMBERS.findall(folded))
        hit = None
        for which, names in enumerate(self._bucketings):
            key = tuple(merged.get(name) for name in names)
            if which and any(v in (None, "") for v in key):
                continue  # no package: no bucket of its items
            titles, records = self._group(which, key, numbers)
            if hit is None:
                hit = self._near(which, folded, titles, records)
            titles.append(folded)
            records.append((0, f"{where} of this file"))
        return hit

    def _near(self, which: int, folded: str, titles: list[str], records: list[tuple[int, str]]) -> Any:
        if folded in titles:
            rid, shown = records[titles.index(folded)]
            return rid, shown, f"same {self._described(which)}"
        if folded and titles:
            near = process.extractOne(folded, titles, scorer=fuzz.token_set_ratio, score_cutoff=FUZZY_DUPLICATE)
            if near is not None:
                rid, shown = records[near[2]]
                return rid, shown, f"same {self._described(which, exact=False)}, and a similar {self._title()}"
        return None

    def _title(self) -> str:
        return self.kind.field(self.kind.title_field).label.lower()

    def _described(self, which: int, *, exact: bool = True) -> str:
        labels = [self.kind.field(n).label.lower() for n in self._bucketings[which]]
        if exact:
            labels.insert(-1, self._title())
        return ", ".join(labels[:-1]) + " and " + labels[-1]
