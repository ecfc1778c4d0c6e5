"""An actor's role on a date, from its relations: Kasčiūnas was Minister of National Defence from 2024."""

from __future__ import annotations

from .database import Ledger


def _covers(start: str | None, end: str | None, date: str | None) -> bool:
    """Whether a relation from ``start`` to ``end`` (partial ISO dates, either open) holds on ``date``."""
    if date is None:
        return end is None  # no date: the role it holds now
    return (start is None or start <= date[: len(start)]) and (end is None or date[: len(end)] <= end)


def role_on(ledger: Ledger, actor: int, date: str | None) -> str | None:
    """The role actor ``actor`` held on ``date`` (an ISO date of any precision, or None for now), if one is recorded.

    Of several, the one that began last.
    """
    rows = ledger.conn.execute(
        "SELECT role, start, \"end\" FROM actor_relations WHERE owner_id = ? AND coalesce(role, '') <> ''"
        " ORDER BY coalesce(start, '') DESC, position",
        (actor,),
    )
    return next((role for role, start, end in rows if _covers(start, end, date)), None)
