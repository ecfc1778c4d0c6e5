"""``convert``: fill or refresh the EUR values of stored Aid items at the ECB's rates, by the rules new ones follow.

An item whose EUR value was given (by the source, by a tracker's own conversion, or typed by a person, its rate
too) keeps it. A tracker's conversion that differs from the ECB's by more than 1% is listed beside it, not changed.
The changes are written in one batch (one undo step), each field in the history, with executemany: a million
records take one pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from . import ecb
from .database import Ledger, now_iso
from .errors import Cancelled
from .kinds import KINDS_BY_NAME
from .records import BY_HAND, CARRYING_EUR, history_row, touch_caches, write_history_rows

TRACKER = "the tracker's own conversion"
KEPT = ("given by the source", TRACKER, BY_HAND)
COLUMNS = ("value_eur", "eur_rate", "eur_rate_date", "eur_basis")
DIFFERENCE = 0.01  # a tracker's conversion further than this from the ECB's is shown beside it


@dataclass
class Conversion:
    """What ``convert_all`` did, or would do.

    Attributes:
        changed: items whose EUR value, rate, rate date or basis changed.
        unchanged: items already at the rate the rules give.
        kept: items whose EUR value was given (by the source, a tracker or a person).
        no_rate: why items got no EUR value, with how many ("the ECB publishes no reference rate for UAH ...").
        undated: items in another currency with no announcement date to take a rate from.
        differing: (row id, item, the tracker's EUR, the ECB's EUR) where they differ by more than 1%.
    """

    changed: int = 0
    unchanged: int = 0
    kept: int = 0
    no_rate: Counter[str] = field(default_factory=Counter)
    undated: int = 0
    differing: list[tuple[int, str, float, float]] = field(default_factory=list)


def convert_all(
    ledger: Ledger,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Conversion:
    """Fill or refresh the EUR values of the Aid items in a currency other than EUR; nothing written if ``dry_run``.

    Raises:
        Cancelled: ``is_cancelled`` said so; nothing was written.
    """
    done = Conversion()
    sql = (
        "SELECT a.id, a.uid, a.item, a.value, a.currency, a.announced_on, a.value_eur, a.eur_rate, a.eur_rate_date,"
        f" a.eur_basis, a.package_id IN (SELECT id FROM packages WHERE {CARRYING_EUR}) FROM aid a"
        " WHERE a.value IS NOT NULL AND a.currency IS NOT NULL AND a.currency <> 'EUR'"
    )
    rows = ledger.conn.execute(sql).fetchall()
    writes: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    kind = KINDS_BY_NAME["aid"]
    with ledger.batch("Convert EUR values at the ECB's rates") if not dry_run else nullcontext():
        for n, (rid, uid, item, value, currency, date, eur, rate, rate_date, basis, in_valued) in enumerate(rows):
            if n % 5000 == 0:
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(n, len(rows))
            if basis in KEPT or in_valued:
                done.kept += 1
                if basis == TRACKER and date and eur is not None:
                    _compare(done, rid, item, float(eur), float(value), currency, date)
                continue
            new: dict[str, Any] = dict.fromkeys(COLUMNS)
            rated = False
            if not date:
                done.undated += 1
            else:
                try:
                    converted, r = ecb.in_eur(float(value), currency, date)
                    new = {
                        "value_eur": converted,
                        "eur_rate": r.eur_per_unit,
                        "eur_rate_date": r.on,
                        "eur_basis": r.basis,
                    }
                    rated = True
                except ecb.NoRate as exc:
                    done.no_rate[str(exc)] += 1
            old = dict(zip(COLUMNS, (eur, rate, rate_date, basis), strict=True))
            if new == old:
                done.unchanged += rated  # one with no rate to take is counted under its reason only
                continue
            done.changed += 1
            if not dry_run:
                writes.append((*new.values(), rid))
                history += [
                    history_row(ledger, "update", kind, rid, uid, name, old[name], new[name])
                    for name in COLUMNS
                    if old[name] != new[name]
                ]
        if writes:
            stamp = now_iso()
            ledger.conn.executemany(
                f"UPDATE aid SET {', '.join(f'{c} = ?' for c in COLUMNS)}, updated_at = '{stamp}' WHERE id = ?",
                writes,
            )
            write_history_rows(ledger, history)
    if writes:
        touch_caches(ledger, kind)
    if progress is not None:
        progress(len(rows), len(rows))
    return done


def _compare(done: Conversion, rid: int, item: str, eur: float, value: float, currency: str, date: str) -> None:
    try:
        theirs, _ = ecb.in_eur(value, currency, date)
    except ecb.NoRate:
        return
    if theirs and abs(eur - theirs) > DIFFERENCE * abs(theirs):
        done.differing.append((rid, item, eur, theirs))
