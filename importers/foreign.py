"""Any other team's spreadsheet: one sheet read into one kind through a column mapping.

Each row is checked against the records already here for a likely duplicate.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage import FieldType, Kind, Ledger, UserError
from storage import records as rec
from storage.values import fold

from .duplicates import DuplicateIndex
from .keyed import ReleaseRows
from .mapping import Mapping, guess
from .model import Add, Duplicate, Issue, Plan
from .reading import Sheet
from .rows import BAD, RowReader, blank_means_default, month_first_columns


def plan_foreign(
    ledger: Ledger,
    path: Path,
    sheet: Sheet,
    kind: Kind,
    mapping: Mapping | None = None,
    *,
    defaults: dict[str, Any] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    key: tuple[str, ...] = (),
    where: dict[str, str] | None = None,
) -> Plan:
    """The plan for any other spreadsheet: one sheet, read into one kind through a column mapping.

    ``key`` names the fields by which a tracker names its records (its layout's): a row with the key of a record
    here, at the same place among equal keys, is that record, left as it is; the near-duplicate check is for rows
    without such a key.

    ``defaults`` gives a value for every row whose cell is empty or whose column the file lacks ("recipient":
    "Ukraine" for a tracker of aid to Ukraine).
    """
    mapping = mapping or guess(kind, sheet.rows, merged=sheet.merged)
    plan = Plan(path, False, [kind.name], read_at=ledger.last_batch())
    plan.mappings[sheet.name] = mapping
    if not mapping.field_columns():
        plan.issues.append(
            Issue(
                sheet.name,
                mapping.header_row + 1,
                "",
                f"no column matches a field of {kind.label}: give the columns with --map",
            )
        )
        return plan
    builder = RowReader(ledger, plan, is_cancelled, progress, len(sheet.rows))
    dates = month_first_columns(kind, mapping, sheet.rows[mapping.header_row + 1 :])
    existing = DuplicateIndex(ledger, kind)
    keyed = ReleaseRows(builder, kind, key, sheet, mapping) if key else None
    kept = [
        r for r in range(mapping.header_row + 1, len(sheet.rows)) if any(v not in (None, "") for v in sheet.rows[r])
    ]
    if where:
        kept = _only_where(sheet, mapping, kept, where)
    given = builder.defaults(kind, defaults or {})
    given_refs = {name: kind.field(name).ref or "" for name in given if kind.field(name).type is FieldType.REF}
    lacking = [f for f in kind.missing_required({}, defaults_fill=True) if f.name not in mapping.field_columns()]
    lacking = [f for f in lacking if f.name not in given]
    if lacking:  # said once, not on every row (the window asks for the value before it plans)
        f = lacking[0]
        example = "NAME" if f.type is FieldType.REF else "VALUE"
        raise UserError(f"every row lacks {f.label}: no column holds it; add --set {f.name}={example}")
    rows = [sheet.rows[r] for r in kept]
    names, raws, stored_names, storeds, said = builder.split_columns(kind, mapping, rows, dates)
    extras = builder.extras_by_row(mapping, rows)
    raw_rows = zip(*raws, strict=True) if names else itertools.repeat(())
    stored_rows = zip(*storeds, strict=True) if stored_names else itertools.repeat(())
    valued: set[int] | None = None  # the packages that carry their own EUR value
    for r, raw_row, stored_row, row_extras, row_said in zip(kept, raw_rows, stored_rows, extras, said, strict=False):
        row = sheet.rows[r]
        builder.tick()
        plan.rows_read += 1
        preset = (dict(zip(names, raw_row, strict=True)), dict(zip(stored_names, stored_row, strict=True)))
        values, bad = builder.row_values(kind, sheet, mapping, r, row, dates, preset, row_extras, row_said)
        for name, (raw, value) in given.items():
            if values.get(name) in (None, ""):
                if name in given_refs:
                    raw = builder.reference(kind, given_refs[name], raw, sheet, r, None)
                    bad = bad or raw is BAD
                else:
                    builder.stored[name] = value
                values[name] = raw
        stored = None if bad else builder.validate(kind, values, sheet, r, mapping, require=True)
        if stored is None:
            continue
        builder.accept()
        blank_means_default(kind, values, stored)
        package = stored["package"] if "package" in stored else values.get("package")
        if not isinstance(package, str):  # a package still to be made may carry the EUR value itself
            if valued is None:  # read once, not per row
                valued = {r[0] for r in ledger.conn.execute(f"SELECT id FROM packages WHERE {rec.CARRYING_EUR}")}
            merged = {**values, **stored}
            stored.update(rec.eur_of_value(ledger, kind, {}, merged, valued))  # the preview shows it in EUR too
        add = Add(kind.name, values, sheet.name, r + 1, None, stored)
        if keyed is not None:  # a new record, or one here: told a chunk of rows at a time
            keyed.take(add)
            continue
        match = existing.find(values, stored, f"{sheet.name} row {r + 1}")
        if match is not None:
            plan.duplicates.append(Duplicate(add, match[0], match[1], match[2]))
        else:
            plan.adds.append(add)
    if keyed is not None:
        keyed.finish()
    return plan


def _only_where(sheet: Sheet, mapping: Mapping, rows: list[int], where: dict[str, str]) -> list[int]:
    """The rows whose cell for each field says its value (``--where "donor=Lithuania"``), in any case or accents.

    Raises:
        UserError: no column fills one of the fields.
    """
    columns = mapping.field_columns()
    wanted = []
    for name, value in where.items():
        if name not in columns:
            raise UserError(f"--where: no column of {sheet.name} fills {name}")
        wanted.append((columns[name], fold(str(value))))
    return [
        r
        for r in rows
        if all(c < len(sheet.rows[r]) and fold(str(sheet.rows[r][c] or "")) == value for c, value in wanted)
    ]
