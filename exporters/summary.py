"""The figures of an export's Summary sheet: EUR totals of the Aid exported, by year, category, kind, donor, status."""

from __future__ import annotations

from typing import Any

from storage import Ledger
from storage.kinds import AID_STATUSES
from storage.query import Filters, counted_eur, where_clause, without_value

from .cells import choice_label


def summary_figures(ledger: Ledger, filters: Filters | None) -> dict[str, Any] | None:
    """EUR totals over the Aid items that ``filters`` selects (the same items the export writes); None without Aid.

    Each table row is (key, EUR total, items, items without a EUR value).
    """
    if filters is None:
        return None
    from storage.kinds import KINDS_BY_NAME

    query = where_clause(KINDS_BY_NAME["aid"], filters)
    where = (" WHERE " + " AND ".join(query.where)) if query.where else ""

    def grouped(key: str, label: Any = str) -> list[tuple[str, Any, int, int]]:
        sql = (
            f"SELECT {key} AS k, coalesce(sum({counted_eur()}), 0), count(*), sum({without_value()})"
            f" FROM aid r{where} GROUP BY k ORDER BY k IS NULL, k"  # the unknown last
        )
        rows = ledger.conn.execute(sql, query.args)
        return [(label(k) if k is not None else "(unknown)", e, n, m) for k, e, n, m in rows]

    by_year = grouped("substr(r.announced_on, 1, 4)")
    by_category = grouped("r.category", choice_label)
    by_kind = grouped("r.kind", choice_label)
    donor_status: dict[str, dict[str, Any]] = {}
    sql = (
        f"SELECT d.name, r.status, coalesce(sum({counted_eur()}), 0) FROM aid r JOIN actors d ON d.id = r.donor_id"
        f"{where} GROUP BY d.name, r.status ORDER BY d.name"
    )
    for donor, status, eur in ledger.conn.execute(sql, query.args):
        donor_status.setdefault(donor, {})[status] = eur
    return {
        "by_year": by_year,
        "by_category": by_category,
        "by_kind": by_kind,
        "by_donor_status": sorted(donor_status.items(), key=lambda kv: -sum(kv[1].values())),
        "statuses": list(AID_STATUSES),
    }
