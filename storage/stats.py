"""Counts and EUR totals, for the command line's ``stats`` and the window's status bar."""

from __future__ import annotations

from typing import Any

from .database import Ledger
from .kinds import AID_KINDS, DISPLAY_ORDER
from .query import counted_eur, without_value
from .schema import q

OWN_PROCUREMENT = "procurement for own forces"
# Kinds of transfer that are not aid: a country's buying for itself, and trade (SIPRI's register is mostly sales).
NOT_AID = (OWN_PROCUREMENT, "sale", "licensed production")


def counts(ledger: Ledger) -> dict[str, int]:
    """The number of records of each kind, in display order."""
    return {name: int(ledger.conn.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0]) for name in DISPLAY_ORDER}


def eur_totals(ledger: Ledger) -> dict[str, Any]:
    """The EUR value of Aid by kind, with aid to others (all but own procurement, sales and licensed production) apart.

    Items whose EUR value is unknown add nothing; ``items_without_value`` says how many there are. A package's own
    value counts where none of its items has one (``query.counted_eur``), and ``not_itemised`` says how much.
    """
    by_kind: dict[str, int | float] = {k: 0 for k in AID_KINDS}
    unknown = 0
    not_itemised = 0
    for kind, total, missing, packaged in ledger.conn.execute(
        f"SELECT r.kind, coalesce(sum({counted_eur()}), 0), sum({without_value()}),"
        f" coalesce(sum(CASE WHEN r.value_eur IS NULL THEN {counted_eur()} END), 0) FROM aid r GROUP BY r.kind"
    ):
        by_kind[kind] = total
        unknown += missing
        not_itemised += packaged
    to_others = sum(v for k, v in by_kind.items() if k not in NOT_AID)
    return {
        "by_kind": by_kind,
        "to_others": to_others,
        "own_procurement": by_kind[OWN_PROCUREMENT],
        "items_without_value": unknown,
        "not_itemised": not_itemised,  # packages' own values, counted where none of their items has one
    }


def stats(ledger: Ledger) -> dict[str, Any]:
    """``{"counts": {...}, "eur": {...}}``, as ``stats --json`` prints it."""
    return {"counts": counts(ledger), "eur": eur_totals(ledger)}
