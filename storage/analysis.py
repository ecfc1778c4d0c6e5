"""The figures of the Analysis page and of the export's Summary charts, summed in SQL.

Every sum counts an Aid item's EUR value, or its package's where none of the package's items has one
(``query.counted_eur``), so a chart, the Summary and ``stats`` agree to the euro. Aid to others is charted apart
from a country's own buying and trade (``kinds.NOT_AID``), as the Overview keeps them. The filters are the Aid
table's, so the charts follow what the table shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .database import Ledger
from .kinds import KINDS_BY_NAME, NOT_AID
from .query import Filters, counted_eur, where_clause, without_value

UNKNOWN = "(unknown)"  # a year, category, donor or status not given: shown, last, rather than dropped


@dataclass
class Figures:
    """What the charts draw.

    Attributes:
        by_year_category: (year, category, EUR, items) for every pair with items.
        years: the years, in order, the unknown last.
        categories: the categories by their EUR total, largest first.
        by_donor: (donor, EUR, items, items without a value), largest first.
        by_status: (status, EUR, items, items without a value), in the vocabulary's order.
        timeline: (month "YYYY-MM", aid EUR announced, events, agreements signed), in order.
        items: how many Aid items the figures cover.
        without_value: how many of them have no EUR value (counted apart, never as zero).
    """

    by_year_category: list[tuple[str, str, float, int]] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    by_donor: list[tuple[str, float, int, int]] = field(default_factory=list)
    by_status: list[tuple[str, float, int, int]] = field(default_factory=list)
    timeline: list[tuple[str, float, int, int]] = field(default_factory=list)
    items: int = 0
    without_value: int = 0

    def year_category_table(self, *, items: bool = False) -> list[list[Any]]:
        """The EUR (or the items) by year and category as a table: a header row, then one row per year."""
        cells = {(y, c): (n if items else eur) for y, c, eur, n in self.by_year_category}
        rows: list[list[Any]] = [["Year", *self.categories]]
        rows += [[y, *(cells.get((y, c), 0) for c in self.categories)] for y in self.years]
        return rows


def figures(ledger: Ledger, filters: Filters | None = None) -> Figures:
    """The figures for the Aid items that ``filters`` lets through, aid to others only."""
    query = where_clause(KINDS_BY_NAME["aid"], filters or Filters())
    marks = ", ".join("?" * len(NOT_AID))
    where = " WHERE " + " AND ".join([*query.where, f"r.kind NOT IN ({marks})"])
    args = [*query.args, *NOT_AID]
    eur = f"coalesce(sum({counted_eur()}), 0)"
    out = Figures()
    conn = ledger.conn
    with ledger.snapshot():  # every chart of one moment
        for year, category, total, n in conn.execute(
            f"SELECT substr(r.announced_on, 1, 4), r.category, {eur}, count(*) FROM aid r{where} GROUP BY 1, 2", args
        ):
            out.by_year_category.append((year or UNKNOWN, category or UNKNOWN, total, n))
        years = {y for y, _, _, _ in out.by_year_category}
        out.years = sorted(years - {UNKNOWN}) + ([UNKNOWN] if UNKNOWN in years else [])
        per_category: dict[str, tuple[float, int]] = {}
        for _, c, total, n in out.by_year_category:
            e, k = per_category.get(c, (0, 0))
            per_category[c] = (e + total, k + n)
        out.categories = sorted(per_category, key=lambda c: (c == UNKNOWN, -per_category[c][0], -per_category[c][1], c))
        out.by_donor = [
            (donor or UNKNOWN, total, n, int(missing or 0))
            for donor, total, n, missing in conn.execute(
                f"SELECT d.name, {eur}, count(*), sum({without_value()}) FROM aid r"
                f" LEFT JOIN actors d ON d.id = r.donor_id{where} GROUP BY r.donor_id ORDER BY 2 DESC, 1",
                args,
            )
        ]
        from .kinds import AID_STATUSES

        found = {
            status: (total, n, int(missing or 0))
            for status, total, n, missing in conn.execute(
                f"SELECT r.status, {eur}, count(*), sum({without_value()}) FROM aid r{where} GROUP BY r.status", args
            )
        }
        out.by_status = [(s, *found[s]) for s in (*AID_STATUSES, None) if s in found]  # type: ignore[misc]
        out.by_status = [(s or UNKNOWN, t, n, m) for s, t, n, m in out.by_status]
        out.items = sum(n for _, _, n, _ in out.by_status)
        out.without_value = sum(m for _, _, _, m in out.by_status)
        out.timeline = _timeline(ledger, where, args, eur)
    return out


def _timeline(ledger: Ledger, where: str, args: list[Any], eur: str) -> list[tuple[str, float, int, int]]:
    """Aid announced, events held and agreements signed, by month (dated to the month at least)."""
    months: dict[str, list[Any]] = {}
    for month, total in ledger.conn.execute(
        f"SELECT substr(r.announced_on, 1, 7), {eur} FROM aid r{where} AND length(r.announced_on) >= 7 GROUP BY 1",
        args,
    ):
        months.setdefault(month, [0.0, 0, 0])[0] = total
    for column, table, at in ((1, "events", "date"), (2, "agreements", "signed_on")):
        for month, n in ledger.conn.execute(
            f"SELECT substr({at}, 1, 7), count(*) FROM {table} WHERE length({at}) >= 7 GROUP BY 1"
        ):
            months.setdefault(month, [0.0, 0, 0])[column] = n
    return [(m, float(v[0]), int(v[1]), int(v[2])) for m, v in sorted(months.items())]
