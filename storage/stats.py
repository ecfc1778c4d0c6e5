"""Counts and EUR totals, for the command line's ``stats`` and the window's status bar."""

from __future__ import annotations

from typing import Any

from .database import Ledger
from .kinds import AID_KINDS, DISPLAY_ORDER, NOT_AID, OWN_PROCUREMENT
from .query import counted_eur, without_value
from .schema import q


def counts(ledger: Ledger) -> dict[str, int]:
    """The number of records of each kind, in display order."""
    return {name: int(ledger.conn.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0]) for name in DISPLAY_ORDER}


def eur_totals(ledger: Ledger) -> dict[str, Any]:
    """The EUR value of Aid by kind, with aid to others (all but own procurement, sales and licensed production) apart.

    Items whose EUR value is unknown add nothing; ``items_without_value`` says how many there are. A package's own
    value counts where none of its items has one (``query.counted_eur``), and ``not_itemised`` says how much.
    """
    by_kind: dict[str, int | float] = {k: 0 for k in AID_KINDS}
    items: dict[str, int] = {k: 0 for k in AID_KINDS}
    unknown_by_kind: dict[str, int] = {k: 0 for k in AID_KINDS}
    unknown = 0
    not_itemised = 0
    for kind, total, missing, packaged, count in ledger.conn.execute(
        f"SELECT r.kind, coalesce(sum({counted_eur()}), 0), sum({without_value()}),"
        f" coalesce(sum(CASE WHEN r.value_eur IS NULL THEN {counted_eur()} END), 0), count(*) FROM aid r"
        " GROUP BY r.kind"
    ):
        by_kind[kind] = total
        items[kind] = count
        unknown_by_kind[kind] = missing
        unknown += missing
        not_itemised += packaged
    to_others = sum(v for k, v in by_kind.items() if k not in NOT_AID)
    return {
        "by_kind": by_kind,
        "to_others": to_others,
        "own_procurement": by_kind[OWN_PROCUREMENT],
        "items_without_value": unknown,
        "not_itemised": not_itemised,  # packages' own values, counted where none of their items has one
        "items_by_kind": items,
        "without_value_by_kind": unknown_by_kind,  # a kind whose every item is so has an unknown total, not 0
    }


def reported_totals(ledger: Ledger) -> list[dict[str, Any]]:
    """Each reported total beside the sum of the aid items it covers, as far as they are itemised here.

    Covered: aid to others (not own procurement or trade) from the total's subject, to its recipient where it names
    one, announced up to its as-of date where it has one. ``itemised_eur`` is that sum, ``without_value`` the number
    of those items whose value is not known (they may explain a gap).
    """
    found = []
    rows = ledger.conn.execute(
        "SELECT t.id, s.name, r.name, t.measure, t.amount, t.currency, t.qualifier, t.as_of, t.subject_id,"
        " t.recipient_id FROM totals t JOIN actors s ON s.id = t.subject_id LEFT JOIN actors r ON r.id = t.recipient_id"
        " ORDER BY s.name, t.as_of"
    ).fetchall()
    not_aid = ", ".join("?" * len(NOT_AID))
    for rid, subject, recipient, measure, amount, currency, qualifier, as_of, subject_id, recipient_id in rows:
        where, args = ["r.donor_id = ?", f"r.kind NOT IN ({not_aid})"], [subject_id, *NOT_AID]
        if recipient_id is not None:
            where.append("r.recipient_id = ?")
            args.append(recipient_id)
        if as_of:
            where.append("r.announced_on <= ?")  # partial dates compare by their start
            args.append(as_of)
        itemised, missing, count = ledger.conn.execute(
            f"SELECT coalesce(sum({counted_eur()}), 0), coalesce(sum({without_value()}), 0), count(*) FROM aid r"
            f" WHERE {' AND '.join(where)}",
            args,
        ).fetchone()
        found.append(
            {
                "id": rid,
                "subject": subject,
                "recipient": recipient,
                "measure": measure,
                "amount": amount,
                "currency": currency,
                "qualifier": qualifier,
                "as_of": as_of,
                "itemised_eur": itemised,
                "items": count,
                "without_value": missing,
            }
        )
    return found


def stats(ledger: Ledger) -> dict[str, Any]:
    """``{"counts": {...}, "eur": {...}}``, as ``stats --json`` prints it."""
    return {"counts": counts(ledger), "eur": eur_totals(ledger)}
