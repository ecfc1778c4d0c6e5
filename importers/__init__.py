"""Importing spreadsheets: Aid Ledger's own exports coming back, and any other team's layout. No Qt here.

``run()`` is the one entry point of the window, the command line and the tests: it reads the file, works out the
plan (the preview), and, unless it is a dry run, applies it in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage import KINDS_BY_NAME, Ledger, UserError
from storage.database import now_iso

from .apply import LOCK_WAIT_S, PlanOutOfDate, apply
from .mapping import Mapping, apply_user_map, guess, parse_defaults, parse_map
from .plan import (
    Cancelled,
    DamagedExport,
    Issue,
    Plan,
    cycle_collector_paused,
    export_meta,
    export_sheets,
    own_export_kind,
    plan_export,
    plan_foreign,
)
from .reading import Sheet, UnreadableFile, read

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


def pick_sheet(sheets: list[Sheet], name: str | None) -> Sheet:
    """The sheet named, or the first visible one with something in it.

    Raises:
        UserError: no such sheet, or nothing to read.
    """
    if name is not None:
        for sheet in sheets:
            if sheet.name == name:
                return sheet
        raise UserError(f"no sheet named '{name}' (sheets: {', '.join(s.name for s in sheets)})")
    for sheet in sheets:
        if not sheet.hidden and any(any(v not in (None, "") for v in row) for row in sheet.rows):
            return sheet
    raise UnreadableFile("the file has no rows to import")


@cycle_collector_paused()
def make_plan(
    ledger: Ledger,
    path: Path | str,
    *,
    kind: str | None = None,
    sheet: str | None = None,
    mapping: dict[str, str] | str | None = None,
    header_row: int | None = None,
    defaults: dict[str, Any] | str | None = None,
    delete_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Plan:
    """Read a file and work out what importing it would do, writing nothing.

    An Aid Ledger export is recognised by its hidden sheet and read whole, matched by ID, unless ``kind`` is given.
    Any other file is read into ``kind`` (Aid by default) through the guessed column mapping, changed by
    ``mapping`` ({header: field} or "Header=field;…"); ``defaults`` ({field: value} or "field=value;…") fills
    a field on every row that leaves it empty.

    Raises:
        UnreadableFile: the file cannot be read; UserError: a sheet or mapping that does not exist.
    """
    path = Path(path)
    sheets = read(path)
    damage = ""
    try:
        meta = export_meta(sheets)
    except DamagedExport as exc:
        meta, damage = None, f"the workbook's hidden sheet is damaged ({exc}): it is read as a plain workbook"
    if meta is not None and kind is None and sheet is None:
        return plan_export(
            ledger, path, sheets, meta, progress=progress, is_cancelled=is_cancelled, delete_missing=delete_missing
        )
    k = KINDS_BY_NAME[kind or "aid"]
    by_kind = export_sheets(sheets)
    if damage and sheet is None and k.name in by_kind:
        sheet = by_kind[k.name][0].name  # the kind's own sheet, not the Summary before it
    chosen = pick_sheet(sheets, sheet)
    if meta is None and sheet is None and not (mapping or header_row or damage) and own_export_kind(chosen, k):
        # the app's own CSV export of one kind: matched by ID like a workbook, though nothing says what it left out
        return plan_export(
            ledger,
            path,
            {k.name: [chosen]},
            {},
            progress=progress,
            is_cancelled=is_cancelled,
            delete_missing=delete_missing,
        )
    guessed = guess(k, chosen.rows, header_row=header_row, merged=chosen.merged)
    if mapping:
        try:
            user = parse_map(mapping, k, [c.name for c in guessed.columns]) if isinstance(mapping, str) else mapping
        except ValueError as exc:
            raise UserError(f"--map: {exc}") from exc
        apply_user_map(guessed, user)
    if isinstance(defaults, str):
        try:
            defaults = parse_defaults(defaults, k)
        except ValueError as exc:
            raise UserError(f"--set: {exc}") from exc
    plan = plan_foreign(
        ledger, path, chosen, k, guessed, defaults=defaults, progress=progress, is_cancelled=is_cancelled
    )
    if damage:
        plan.issues.insert(0, Issue(chosen.name, 1, "", damage))
    return plan


def run(
    ledger: Ledger,
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    prepare: Callable[[Plan], None] | None = None,
    **options: Any,
) -> tuple[Plan, dict[str, int]]:
    """Plan an import and, unless ``dry_run``, apply it. Returns the plan applied and what was written.

    When another program writes to the database between the plan and its writing (another import of the same
    file), the plan is made again, until it holds when the write lock is taken.

    Args:
        prepare: called with each plan before it is applied (the command line sets its conflicts' choice).
    """
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
    columns = {c.name: c.field for c in mapping.columns if c.field}
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
