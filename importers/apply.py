"""Writing a plan: all of it in one transaction, one batch in the history (one undo step), or nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage import KINDS_BY_NAME, Ledger
from storage import records as rec

from .plan import CREATABLE, Cancelled, Plan


def apply(
    ledger: Ledger,
    plan: Plan,
    *,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """Make every change the plan lists, as one batch; a cancel or an error leaves the database as it was.

    Returns:
        How many records were added, updated and deleted.

    Raises:
        Cancelled: the user cancelled; nothing was written.
        UserError: the database refused a change (locked, full, a record changed meanwhile); nothing was written.
    """
    adds = plan.adds + [d.add for d in plan.duplicates if d.import_anyway]
    total = len(adds) + len(plan.updates) + len(plan.conflicts) + (len(plan.missing) if plan.delete_missing else 0)
    done = {"added": 0, "updated": 0, "deleted": 0, "created": 0}
    step = 0

    def tick() -> None:
        nonlocal step
        step += 1
        if step % 200 == 0:
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            if progress is not None:
                progress(step, total)

    with ledger.batch(f"Import {plan.source.name}"):
        for kind, names in plan.new_targets.items():
            for name in names.values():
                if not rec.find_ids(ledger, kind, name):
                    values: dict[str, Any] = {CREATABLE[kind]: name}
                    if kind == "packages":
                        values["code"] = name
                    rec.insert(ledger, kind, values, where=f"new {KINDS_BY_NAME[kind].singular.lower()}")
                    done["created"] += 1
        for add in adds:
            rec.insert(ledger, add.kind, add.values, uid=add.uid, where=f"{add.sheet} row {add.row}")
            done["added"] += 1
            tick()
        for update in plan.updates:
            rec.update(
                ledger,
                update.kind,
                update.rid,
                {n: new for n, (_, new) in update.changes.items()},
                where=f"{update.sheet} row {update.row}",
            )
            done["updated"] += 1
            tick()
        for conflict in plan.conflicts:
            if conflict.take_theirs:
                rec.update(
                    ledger,
                    conflict.kind,
                    conflict.rid,
                    {conflict.field: conflict.theirs},
                    where=f"{conflict.sheet} row {conflict.row}",
                )
                done["updated"] += 1
            tick()
        if plan.delete_missing:
            order = {k: i for i, k in enumerate(reversed(list(KINDS_BY_NAME)))}  # what points elsewhere goes first
            for kind, rid, _ in sorted(plan.missing, key=lambda m: order[m[0]]):
                rec.delete(ledger, kind, rid)
                done["deleted"] += 1
                tick()
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
    if progress is not None:
        progress(total, total)
    return done
