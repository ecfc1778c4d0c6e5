"""Reported totals reconciled with the itemised records they cover, and the gap.

"Over EUR 641 million of military assistance as of 2024-08-16", Lithuania to Ukraine, next to the sum of what is
recorded item by item.

A total covers the Aid items of its subject (as donor) to its recipient, announced up to its as-of date, of the kinds
its measure names (``kinds.TOTAL_COVERS``). The items are summed in SQL by the one rule every sum follows
(``query.counted_eur``: an item's EUR value, or its package's where none of the package's items has one). The items
with no EUR value are listed: they may explain the gap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from . import ecb
from .database import Ledger
from .kinds import TOTAL_COVERS
from .query import counted_eur, without_value

SHOWN_WITHOUT_VALUE = 25  # the items without a value listed for each total (all are counted)


@dataclass
class Reconciliation:
    """One reported total beside the sum of its items.

    Attributes:
        total_id: the total's row id.
        subject: whose total it is (the donor).
        recipient: to whom, where the total says.
        measure: what it measures ("military assistance").
        amount: the total as reported, in its currency.
        currency: the total's currency.
        qualifier: "over", "about", ... as reported.
        as_of: the date it is "as of".
        reported_eur: the total in EUR (converted at the ECB rate of its date where not in EUR), or None.
        eur_note: why there is no EUR figure, or how it was converted.
        items_eur: the EUR value of the items it covers.
        items: how many items it covers.
        without_value: how many of them have no EUR value.
        unvalued: some of those: (row id, item, announced on).
        gap_eur: reported minus itemised, in EUR (positive: more reported than itemised).
        gap_percent: the gap as a share of the reported total, in per cent.
    """

    total_id: int
    subject: str
    recipient: str | None
    measure: str
    amount: float
    currency: str
    qualifier: str | None
    as_of: str | None
    reported_eur: float | None
    eur_note: str
    items_eur: float
    items: int
    without_value: int
    unvalued: list[tuple[int, str, str | None]] = field(default_factory=list)
    gap_eur: float | None = None
    gap_percent: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The reconciliation as ``reconcile --json`` prints it."""
        out = asdict(self)
        out["unvalued"] = [{"id": i, "item": item, "announced_on": on} for i, item, on in self.unvalued]
        return out


def reconcile(ledger: Ledger) -> list[Reconciliation]:
    """Every reported total with the items it covers, in the order of subject and date."""
    totals = ledger.conn.execute(
        "SELECT t.id, t.subject_id, s.name, t.recipient_id, r.name, t.measure, t.amount, t.currency, t.qualifier,"
        " t.as_of FROM totals t JOIN actors s ON s.id = t.subject_id LEFT JOIN actors r ON r.id = t.recipient_id"
        " ORDER BY s.name, t.as_of, t.id"
    ).fetchall()
    return [_one(ledger, *row) for row in totals]


def _one(
    ledger: Ledger,
    rid: int,
    subject_id: int,
    subject: str,
    recipient_id: int | None,
    recipient: str | None,
    measure: str,
    amount: float,
    currency: str | None,
    qualifier: str | None,
    as_of: str | None,
) -> Reconciliation:
    kinds = TOTAL_COVERS.get(measure, ())
    where = ["a.donor_id = ?", f"a.kind IN ({', '.join('?' * len(kinds))})"]
    args: list[Any] = [subject_id, *kinds]
    if recipient_id is not None:
        where.append("a.recipient_id = ?")
        args.append(recipient_id)
    if as_of:
        # up to the as-of date, partial dates by their start: "2024-08" items are in a total as of 2024-08-16
        where.append("a.announced_on IS NOT NULL AND substr(a.announced_on, 1, ?) <= ?")
        args += [len(as_of), as_of]
    clause = " AND ".join(where)
    total, count, missing = ledger.conn.execute(
        f"SELECT coalesce(sum({counted_eur('a')}), 0), count(*), coalesce(sum({without_value('a')}), 0)"
        f" FROM aid a WHERE {clause}",
        args,
    ).fetchone()
    unvalued = ledger.conn.execute(
        f"SELECT a.id, a.item, a.announced_on FROM aid a WHERE {clause} AND {without_value('a')}"
        f" ORDER BY a.announced_on, a.id LIMIT {SHOWN_WITHOUT_VALUE}",
        args,
    ).fetchall()
    reported, note = _in_eur(amount, currency or "EUR", as_of)
    gap = None if reported is None else reported - total
    share = None if gap is None or not reported else 100 * gap / reported
    return Reconciliation(
        rid, subject, recipient, measure, amount, currency or "EUR", qualifier, as_of, reported, note,
        total, int(count), int(missing), [tuple(u) for u in unvalued], gap, share,
    )  # fmt: skip


def _in_eur(amount: float, currency: str, as_of: str | None) -> tuple[float | None, str]:
    if currency == "EUR":
        return float(amount), ""
    if not as_of:
        return None, f"no EUR figure: a total in {currency} without an as-of date has no rate to convert at"
    try:
        eur, r = ecb.in_eur(float(amount), currency, as_of)
    except ecb.NoRate as exc:
        return None, f"no EUR figure: {exc}"
    return eur, f"converted at the {r.basis} ({r.on})"
