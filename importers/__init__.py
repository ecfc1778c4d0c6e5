"""Importing spreadsheets: Aid Ledger's own exports coming back, and any other team's layout. No Qt here.

A file passes through five stages, each a module with one entry: ``reading.read`` (the sheets and their cells),
``mapping.guess`` (the header row, and which column fills which field), ``rows.RowReader`` (cells into a
record's values), ``plan.make_plan`` (what the rows would change here: ``diff`` for an edited export, ``foreign``
for any other layout) and ``apply.apply`` (all of it written in one transaction, or nothing).

``run()`` is the one entry point of the window, the command line and the tests: it plans, and, unless it is a dry
run, applies the plan, planning again when another program wrote to the database in between.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage import Ledger, UserError
from storage.database import now_iso

from .apply import LOCK_WAIT_S, PlanOutOfDate, apply
from .mapping import Mapping
from .model import Cancelled, Plan
from .plan import make_plan
from .reading import UnreadableFile

__all__ = [
    "Cancelled",
    "Plan",
    "PlanOutOfDate",
    "UnreadableFile",
    "apply",
    "make_plan",
    "run",
    "save_mapping",
    "saved_mapping",
]

# How many times an import plans again when another program keeps writing, before it plans under the lock.
_ATTEMPTS = 3


def run(
    ledger: Ledger,
    path: Path | str,
    *,
    dry_run: bool = False,
    plan: Plan | None = None,
    replan: bool = True,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    prepare: Callable[[Plan], None] | None = None,
    **options: Any,
) -> tuple[Plan, dict[str, int]]:
    """Plan an import of ``path`` and, unless ``dry_run``, apply it. Returns the plan applied and what was written.

    The window calls it twice: with ``dry_run`` for the preview, then with the ``plan`` the user saw. When another
    program wrote to the database in between (another import of the same file), the plan no longer holds: with
    ``replan`` it is made again until it holds when the write lock is taken (the command line, which shows each
    preview through ``prepare``); without, ``PlanOutOfDate`` tells the window to show the new preview first.

    Args:
        ledger: the database to import into.
        path: the workbook or CSV file.
        dry_run: only plan, and write nothing.
        plan: a plan already made (and shown); it is applied if it still holds.
        replan: when ``plan`` no longer holds, plan again instead of raising ``PlanOutOfDate``.
        progress: called with (done, total) as the work goes.
        is_cancelled: asked now and then; True stops the import, with nothing written.
        options: what ``plan.make_plan`` takes (kind, sheet, mapping, header_row, defaults, delete_missing).
        prepare: called with each plan before it is applied (the command line prints it, sets its conflicts).

    Raises:
        PlanOutOfDate: ``plan`` was given without ``replan``, and the database changed since it was made.
    """
    if plan is not None:
        try:
            return plan, apply(ledger, plan, progress=progress, is_cancelled=is_cancelled)
        except PlanOutOfDate:
            if not replan:
                raise
    for _attempt in range(_ATTEMPTS):
        plan = make_plan(ledger, path, progress=progress, is_cancelled=is_cancelled, **options)
        if prepare is not None:
            prepare(plan)
        if dry_run:
            return plan, {}
        try:
            return plan, apply(ledger, plan, progress=progress, is_cancelled=is_cancelled)
        except PlanOutOfDate:
            continue
    with ledger.waiting(LOCK_WAIT_S), ledger.transaction():  # busy for so long: plan under the lock, then write
        plan = make_plan(ledger, path, progress=progress, is_cancelled=is_cancelled, **options)
        if prepare is not None:
            prepare(plan)
        return plan, apply(ledger, plan, progress=progress, is_cancelled=is_cancelled)


def save_mapping(ledger: Ledger, name: str, kind: str, mapping: Mapping) -> None:
    """Keep a column mapping under a name, to use again for the next file of the same layout."""
    columns = {c.name: c.field or "-" for c in mapping.columns if c.field or c.how == "user"}  # "-": left out
    with ledger.transaction():
        ledger.conn.execute(
            "INSERT OR REPLACE INTO import_mappings(name, kind, mapping, saved_at) VALUES (?, ?, ?, ?)",
            (name, kind, json.dumps(columns, ensure_ascii=False), now_iso()),
        )


def saved_mapping(ledger: Ledger, name: str) -> tuple[str, dict[str, str]]:
    """A saved mapping: (kind, {header: field}).

    Raises:
        UserError: there is none by that name.
    """
    row = ledger.conn.execute("SELECT kind, mapping FROM import_mappings WHERE name = ?", (name,)).fetchone()
    if row is None:
        names = [r[0] for r in ledger.conn.execute("SELECT name FROM import_mappings ORDER BY name")]
        raise UserError(f"no saved mapping named '{name}'" + (f" (saved: {', '.join(names)})" if names else ""))
    return row[0], json.loads(row[1])
