"""Planning an import against the database: the stage after the file is read, before it is written.

``make_plan`` is its one entry. An Aid Ledger export (its hidden sheet, or the app's own CSV of one kind) goes to
``diff.plan_export``, matched by ID; any other file is mapped (``mapping.guess``) and goes to
``foreign.plan_foreign``. Both read their rows through ``rows.RowReader``. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage import KINDS_BY_NAME, Ledger, UserError
from storage.workbook import META_SHEET, DamagedExport, is_own_export_of, read_meta

from . import layouts
from .diff import export_sheets, plan_export
from .foreign import plan_foreign
from .mapping import Mapping, apply_user_map, guess, parse_defaults, parse_map
from .model import Issue, Plan
from .reading import Sheet, UnreadableFile, read
from .rows import cycle_collector_paused

__all__ = ["Plan", "export_meta", "make_plan", "plan_foreign"]


def export_meta(sheets: list[Sheet]) -> dict[str, Any] | None:
    """The hidden sheet's facts when the workbook is an Aid Ledger export, else None.

    Raises:
        DamagedExport: the sheet names the export format, but its facts are not what the app writes.
    """
    for sheet in sheets:
        if sheet.name == META_SHEET:
            meta = read_meta(sheet.rows)
            if meta is not None:
                return meta
    return None


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
    mapping: Mapping | dict[str, str] | str | None = None,
    header_row: int | None = None,
    defaults: dict[str, Any] | str | None = None,
    delete_missing: bool = False,
    where: dict[str, str] | str | None = None,
    sheets: list[Sheet] | None = None,
    prepared: layouts.Prepared | None = None,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Plan:
    """Read a file and work out what importing it would do, writing nothing.

    An Aid Ledger export is recognised by its hidden sheet and read whole, matched by ID, unless ``kind`` is given.
    Any other file is read into ``kind`` (Aid by default) through the guessed column mapping, changed by
    ``mapping`` ({header: field} or "Header=field;…"); ``defaults`` ({field: value} or "field=value;…") fills
    a field on every row that leaves it empty; ``where`` (the same forms) keeps only the rows whose cell for the
    field says that value. A file in a known layout (``layouts``) is read through it, its fixed values under the
    user's. The window passes the ``Mapping`` its column step made, the ``sheets`` it has read already, and the
    sheet it ``prepared`` through the layout it recognised.

    Raises:
        UnreadableFile: the file cannot be read; UserError: a sheet or mapping that does not exist.
    """
    path = Path(path)
    sheets = read(path) if sheets is None else sheets
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
    if (
        meta is None
        and sheet is None
        and not (mapping or header_row or damage)
        and chosen.rows
        and is_own_export_of(chosen.rows[0], k)
    ):
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
    known = prepared  # the window's: the sheet it read through the layout it recognised
    if known is not None:
        k, chosen = known.layout.target, known.sheet
    elif not isinstance(mapping, Mapping) and header_row is None and (kind is None or sheet is None):
        found = layouts.recognise([chosen] if sheet is not None else sheets)
        if found is not None and (kind is None or kind == found[0].kind):
            known = layouts.prepare(*found)  # another tracker's published layout: its data sheet, its columns
            k, chosen = known.layout.target, known.sheet
    if isinstance(mapping, Mapping):  # the window's column step: as the user left it
        guessed, mapping = mapping, None
    elif known is not None:
        guessed = known.mapping
    else:
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
    if isinstance(where, str):
        try:
            where = parse_defaults(where, k)
        except ValueError as exc:
            raise UserError(f"--where: {exc}") from exc
    if known is not None:
        defaults = {**known.layout.fixed, **(defaults or {})}  # what the user gives stands over the layout's
    with ledger.snapshot():  # the rows are all planned against one moment (and names looked up without asking)
        plan = plan_foreign(
            ledger,
            path,
            chosen,
            k,
            guessed,
            defaults=defaults,
            progress=progress,
            is_cancelled=is_cancelled,
            key=known.layout.key if known is not None else (),
            where=where or {},
        )
    if known is not None:
        plan.layout, plan.made = known.layout.name, known.made
    if damage:
        plan.issues.insert(0, Issue(chosen.name, 1, "", damage))
    return plan
