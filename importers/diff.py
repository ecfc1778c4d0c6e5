"""An Aid Ledger export coming back, compared with the records here.

Every kind's sheet is matched by the records' stable IDs, and each record compared three ways (as exported, as it
is here, as the workbook has it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage import KINDS_BY_NAME, Field, FieldType, Kind, Ledger, UserError, extra
from storage import records as rec
from storage.extra import EXTRA
from storage.ids import is_uid
from storage.schema import q
from storage.values import fold
from storage.workbook import ID_LABEL, UPDATED_LABEL

from .mapping import ColumnMatch, Mapping
from .model import Add, Conflict, Plan, Update, column_letter
from .reading import CellError, Sheet
from .rows import RowReader, blank_means_default, month_first_columns

# How many rows' records are read from the database at once.
_CHUNK = 1000


def export_sheets(sheets: list[Sheet]) -> dict[str, list[Sheet]]:
    """The sheets of an export by kind: "Aid", then its continuations "Aid (2)", and so on."""
    by_label = {KINDS_BY_NAME[k].label: k for k in KINDS_BY_NAME}
    found: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        base = sheet.name.rsplit(" (", 1)[0] if sheet.name.endswith(")") else sheet.name
        if base in by_label and sheet.rows:
            found.setdefault(by_label[base], []).append(sheet)
    return found


def plan_export(
    ledger: Ledger,
    path: Path,
    sheets: list[Sheet] | dict[str, list[Sheet]],
    meta: dict[str, Any],
    *,
    is_cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    delete_missing: bool = False,
) -> Plan:
    """The plan for an Aid Ledger export coming back: every kind's sheet, matched by the records' IDs.

    ``sheets`` are the workbook's sheets, or the sheets by kind (a CSV export of one kind, which has no hidden
    sheet: ``meta`` is then empty, and the records missing from it are not listed).

    Raises:
        UserError: ``delete_missing`` where the file cannot say which records it left out (no ID column, IDs
            that cannot be read, no hidden sheet).
    """
    by_kind = export_sheets(sheets) if isinstance(sheets, list) else sheets
    kinds = [k for k in meta.get("kinds", []) if k in by_kind] or list(by_kind)
    plan = Plan(path, True, kinds, delete_missing=delete_missing, read_at=ledger.last_batch())
    total = sum(len(s.rows) - 1 for k in kinds for s in by_kind[k])
    builder = RowReader(ledger, plan, is_cancelled, progress, total)
    filtered = meta.get("filtered", {})
    unreadable: list[str] = []  # why the records missing from the workbook cannot be told
    blind: set[str] = set()  # kinds whose sheets cannot say which records they hold
    if "exported_at" not in meta:
        unreadable.append("the file does not say whether it held every record")
    for name in kinds:
        kind = KINDS_BY_NAME[name]
        labels = {f.label: f.name for f in kind.all_fields} | {ID_LABEL: "uid", UPDATED_LABEL: "updated_at"}
        seen: set[str] = set()
        for sheet in by_kind[name]:
            mapping = _export_mapping(builder, plan, sheet, labels)
            if "uid" not in mapping.field_columns():
                builder.issue(sheet, 0, None, "the ID column is missing: the rows cannot be matched to records")
                unreadable.append(f"sheet {sheet.name} has no ID column")
                blind.add(name)
                continue
            id_col, updated_col = mapping.field_columns()["uid"], mapping.field_columns().get("updated_at")
            dates = month_first_columns(kind, mapping, sheet.rows[1:])
            special = special_fields(kind)
            extra_headers = [name for _, name, _ in builder.kept_columns(mapping)]
            kept = [r for r in range(1, len(sheet.rows)) if not all(v in (None, "") for v in sheet.rows[r])]
            # The columns whose every distinct value reads cleanly are read whole, the others cell by cell (as
            # another team's file is): a big export repeats a few values in most of its columns.
            rows = [sheet.rows[r] for r in kept]
            names, raws, stored_names, storeds, said = builder.split_columns(kind, mapping, rows, dates)
            extras = builder.extras_by_row(mapping, rows)
            raw_rows = zip(*raws, strict=True) if names else itertools.repeat(())
            stored_rows = zip(*storeds, strict=True) if stored_names else itertools.repeat(())
            here: dict[str, dict[str, Any]] = {}
            elsewhere: dict[str, Kind] = {}
            for n, (r, raw_row, stored_row, row_extras, row_said) in enumerate(
                zip(kept, raw_rows, stored_rows, extras, said, strict=False)
            ):
                row = sheet.rows[r]
                if n % _CHUNK == 0:  # the records the next rows name, read together: not one query per row
                    here, elsewhere = _records_named(
                        ledger, kind, [sheet.rows[k] for k in kept[n : n + _CHUNK]], id_col
                    )
                builder.tick()
                plan.rows_read += 1
                cell = row[id_col] if id_col < len(row) else None
                uid = str(cell or "").strip().upper()
                if isinstance(cell, CellError):
                    builder.issue(sheet, r, id_col, f"the ID is an Excel error ({cell}), not an ID")
                    unreadable.append(f"{sheet.name} row {r + 1} has an ID that cannot be read")
                    continue
                if uid and not is_uid(uid):
                    builder.issue(
                        sheet, r, id_col, f"'{uid}' is not an Aid Ledger ID (leave it empty for a new record)"
                    )
                    unreadable.append(f"{sheet.name} row {r + 1} has an ID that cannot be read")
                    continue
                if uid and uid in seen:
                    builder.issue(sheet, r, id_col, f"the ID {uid} is on another row too")
                    continue
                seen.add(uid)  # a row refused below still names its record: it is not missing
                preset = (dict(zip(names, raw_row, strict=True)), dict(zip(stored_names, stored_row, strict=True)))
                values, bad = builder.row_values(kind, sheet, mapping, r, row, dates, preset, row_extras, row_said)
                if bad:
                    continue
                current = here.get(uid) if uid else None
                if current is None:
                    holder = elsewhere.get(uid) if uid else None
                    if holder is not None:  # taken, it would give two records one ID
                        message = f"the ID {uid} is a{'n' if holder.singular[0] in 'AEIOU' else ''}"
                        message += f" {holder.singular.lower()}'s: leave it empty for a new record"
                        builder.issue(sheet, r, id_col, message)
                        continue
                    _plan_add(builder, plan, kind, values, sheet, r, mapping, uid)
                    continue
                if extra_headers:  # the extra values the file has columns for; the others stay as they are here
                    given = extra.merged(current.get(EXTRA), builder.extra_given, extra_headers)
                    values[EXTRA] = builder.stored[EXTRA] = given
                if unchanged(kind, current, read_as_stored(builder, special, current, values)):
                    plan.unchanged += 1  # most rows of an export coming back: no history read, nothing cleaned again
                    continue
                builder.accept()  # the records it names that are not here yet will be made
                stamp = row[updated_col] if updated_col is not None and updated_col < len(row) else None
                # the export's time; a CSV's rows say their own, and one that cannot be read says nothing
                since = meta.get("exported_at") or _stamp(stamp)
                diff_record(builder, kind, current, uid, values, since, sheet, r, mapping)
        if not filtered.get(name, False) and "exported_at" in meta and name not in blind:
            # a filtered export says nothing of the records it left out
            # the records the export could hold: made before it, and within the ids its snapshot saw (one made by
            # an import that committed while the export ran is neither in it nor missing from it)
            last = meta.get("last_ids", {}).get(name, 2**63 - 1)
            for rid, uid, title in ledger.conn.execute(
                f"SELECT id, uid, {q(kind.title_field)} FROM {q(name)} WHERE created_at <= ? AND id <= ?",
                (meta.get("exported_at", ""), last),
            ):
                if uid not in seen:
                    plan.missing.append((name, rid, str(title or uid)))
    if delete_missing and unreadable:
        raise UserError(f"--delete-missing refused, nothing was deleted or imported: {unreadable[0]}")
    _drop_targets_the_file_adds(plan)
    return plan


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _stamp(cell: Any) -> str:
    """A row's "Last updated" as the history's times are written, or "" when it is not one (text typed over it)."""
    if isinstance(cell, dt.datetime):  # a spreadsheet program took it for a date and time
        return cell.isoformat(timespec="milliseconds") + "Z"
    text = str(cell or "").strip()
    return text if _STAMP.fullmatch(text) else ""


def _export_mapping(builder: RowReader, plan: Plan, sheet: Sheet, labels: dict[str, str]) -> Mapping:
    """An export sheet's columns by their headers, which are the app's labels.

    A header written twice is read for neither column (one of them was retyped), and a header that names no field
    is listed as not read.
    """
    header = [str(h or "").strip() for h in sheet.rows[0]]
    count: dict[str, list[int]] = {}
    for i, h in enumerate(header):
        if h:
            count.setdefault(h, []).append(i)
    mapping = Mapping(0)
    for i, h in enumerate(header):
        twice = len(count.get(h, [])) > 1
        column = _match(i, h, None if twice else labels.get(h))
        if twice:
            column.how = "twice"  # neither is read, nor kept as an extra value
        mapping.columns.append(column)
    for h, where in count.items():
        if len(where) > 1:
            letters = " and ".join(column_letter(i) for i in where)
            message = f"columns {letters} are both headed '{h}': neither is read; give each its own header"
            builder.issue(sheet, 0, where[-1], message)
    plan.mappings[sheet.name] = mapping
    return mapping


def _plan_add(
    builder: RowReader, plan: Plan, kind: Kind, values: dict[str, Any], sheet: Sheet, r: int, mapping: Mapping, uid: str
) -> None:
    """A row of an export whose ID this database does not know: a new record, or one here under another ID."""
    stored = builder.validate(kind, values, sheet, r, mapping, require=True)
    if stored is None:
        return
    if kind.unique_titles:
        title = str(values.get(kind.title_field) or "")
        key = fold(title)
        if key in builder.adding.setdefault(kind.name, set()):
            column = mapping.field_columns().get(kind.title_field)
            builder.issue(sheet, r, column, f"'{title}' is on another row too")
            return
        builder.adding[kind.name].add(key)
        if rec.find_ids(builder.ledger, kind, title):
            plan.matched_by_name += 1  # another database's record of the same actor: rows naming it point here
            builder.accept()
            return
    blank_means_default(kind, values, stored)
    plan.adds.append(Add(kind.name, values, sheet.name, r + 1, uid or None, stored))
    builder.accept()


def _drop_targets_the_file_adds(plan: Plan) -> None:
    """A record the file adds on its own sheet (a new actor) is not made a second time for the rows that name it."""
    for add in plan.adds:
        kind = KINDS_BY_NAME[add.kind]
        if kind.creatable:
            plan.new_targets.get(add.kind, {}).pop(fold(str(add.values.get(kind.title_field) or "")), None)


def _match(index: int, header: str, name: str | None) -> ColumnMatch:
    return ColumnMatch(index, header, name, "name" if name else "")


def _merged_links(
    current: list[dict[str, Any]], items: list[dict[str, Any]], target_ids: list[int | None], f: Any
) -> list[dict[str, Any]]:
    """The links a cell gives, keeping the extras it does not show (a quote, a period) from the links here.

    The extras are matched by position when the cell lists the same records in the same order, else taken from the
    first unused link to each record.
    """
    same_targets = [link["target_id"] for link in current] == target_ids
    unused = list(current)
    merged = []
    for n, (item, tid) in enumerate(zip(items, target_ids, strict=True)):
        if same_targets:
            old: dict[str, Any] = current[n]
        else:
            old = next((link for link in unused if link["target_id"] == tid), {})
            if old:
                unused.remove(old)
        link: dict[str, Any] = {"target_id": tid}
        for field in f.link.extras:
            given = item.get(field.name)
            link[field.name] = given if given not in (None, "") else old.get(field.name)
        merged.append(link)
    return merged


def _records_named(
    ledger: Ledger, kind: Kind, rows: list[list[Any]], id_col: int
) -> tuple[dict[str, dict[str, Any]], dict[str, Kind]]:
    """The records here that these rows name by their IDs, read in one go, and the kinds holding the others.

    Returns:
        The records (links too) by ID; and by ID, the kind of each other ID that a record of another kind holds (a
        row given it would give two records one ID).
    """
    uids = []
    for row in rows:
        cell = row[id_col] if id_col < len(row) else None
        uid = "" if isinstance(cell, CellError) else str(cell or "").strip().upper()
        if uid:  # one that is not an ID matches no record
            uids.append(uid)
    if not uids:
        return {}, {}
    here = rec.get_by_uids(ledger, kind, uids)
    others = json.dumps([u for u in uids if u not in here])
    elsewhere: dict[str, Kind] = {}
    for other in KINDS_BY_NAME.values():
        if other is not kind and others != "[]":
            sql = f"SELECT r.uid FROM json_each(?) j CROSS JOIN {q(other.name)} r ON r.uid = j.value"
            elsewhere.update((uid, other) for (uid,) in ledger.conn.execute(sql, (others,)))
    return here, elsewhere


def special_fields(kind: Kind) -> list[Field]:
    """The fields whose stored form the reader does not give for every row: references and links."""
    return [f for f in kind.all_fields if f.type in (FieldType.REF, FieldType.LINKS)]


def read_as_stored(
    builder: RowReader, special: list[Field], current: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """A row's values as storage would keep them, from what the reader already parsed.

    That is the reader's memo: the stored values overlaid on the raw ones, with what an amount implies. A value
    that only ``_diff`` can tell (a record still to be made) gets a mark that differs from anything here.
    """
    cleaned = {**values, **builder.stored}
    for f in special:
        if f.name not in values:
            continue
        value = values[f.name]
        if f.type is FieldType.LINKS and f.link is not None:
            ids = [builder.only_id(f.link.target, item["target"]) for item in value or []]
            cleaned[f.name] = _merged_links(current[f.name], value or [], ids, f)
        elif isinstance(value, str):
            cleaned[f.name] = _NEW  # a record made at apply
    return cleaned


def unchanged(kind: Kind, current: dict[str, Any], cleaned: dict[str, Any]) -> bool:
    """Whether ``_changes`` would find nothing: the first difference ends the look."""
    get = current.get
    for name, new in cleaned.items():
        old = get(name)
        if old == new or not _differs(kind, name, old, new):
            continue
        if name == "uncertain" and new is None:
            continue  # Uncertain left blank is not a change to "no" (as ``_changes`` has it)
        return False
    return True


def _changes(kind: Kind, current: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value in the row differs from the record's here: {field: (here, in the row)}."""
    changes = {n: (current.get(n), v) for n, v in cleaned.items() if _differs(kind, n, current.get(n), v)}
    if kind.field("uncertain") and "uncertain" in changes and changes["uncertain"][1] is None:
        changes.pop("uncertain")  # Uncertain left blank is not a change to "no"
    return changes


_NEW = object()  # a value that only the full comparison can read (a name of a record still to be made)


def diff_record(
    builder: RowReader,
    kind: Kind,
    current: dict[str, Any],
    uid: str,
    values: dict[str, Any],
    exported_at: str,
    sheet: Sheet,
    r: int,
    mapping: Mapping,
) -> None:
    """Compare a row with the record here, three ways.

    The three are the record as exported (from the history since ``exported_at``), as it is here, and as the
    workbook has it.

    A field changed only in the workbook is an update; changed only here, it keeps its value here, and nothing is
    written; changed in both, or where the history cannot tell (no ``exported_at``), it is a conflict. A blank
    required cell, or a name another record has, is a problem of the row, and the field keeps its value.
    """
    ledger, plan = builder.ledger, builder.plan
    rid: int = current["id"]
    cleaned: dict[str, Any] = {}
    plain = {
        n: v
        for n, v in values.items()
        if not (kind.field(n).type is FieldType.REF and isinstance(v, str))
        and kind.field(n).type is not FieldType.LINKS
    }
    columns, _ = rec.clean_record(ledger, kind, plain)
    cleaned.update(columns)
    for name, value in values.items():
        f = kind.field(name)
        if f.type is FieldType.REF and isinstance(value, str):
            cleaned[name] = value  # a new record, made at apply; it differs from anything here
        elif f.type is FieldType.LINKS and f.link is not None:
            ids = [builder.only_id(f.link.target, item["target"]) for item in value or []]
            cleaned[name] = _merged_links(current[name], value or [], ids, f)
    changes = _changes(kind, current, cleaned)
    where = mapping.field_columns()
    for name in list(changes):
        f = kind.field(name)
        new = changes[name][1]
        if f.required and new in (None, ""):
            message = f"{f.label} is required: the cell is empty, and the record keeps its value"
            builder.issue(sheet, r, where.get(name), message)
            changes.pop(name)
        elif name == kind.title_field and kind.unique_titles and any(i != rid for i in rec.find_ids(ledger, kind, new)):
            message = f"another {kind.singular.lower()} is named '{new}': the record keeps its name"
            builder.issue(sheet, r, where.get(name), message)
            changes.pop(name)
    if not changes:
        plan.unchanged += 1
        return
    title = str(current.get(kind.title_field) or uid)
    as_exported = _as_exported(ledger, kind, rid, exported_at) if exported_at else None
    for name in list(changes):
        if as_exported is None or name in as_exported:
            ours, theirs = changes.pop(name)
            if as_exported is not None:
                exported = as_exported[name]
                if not _differs(kind, name, exported, _read_over(kind, name, values, exported, theirs)):
                    continue  # changed only here: the workbook still has the old value, ours stays
            plan.conflicts.append(Conflict(kind.name, rid, title, name, ours, theirs, sheet.name, r + 1))
    if changes:
        plan.updates.append(Update(kind.name, rid, uid, title, changes, sheet.name, r + 1))
    elif not any(c.rid == rid and c.kind == kind.name for c in plan.conflicts):
        plan.unchanged += 1


def _read_over(kind: Kind, name: str, values: dict[str, Any], exported: Any, theirs: Any) -> Any:
    """The workbook's value of a field as it reads over the value exported, not over the one here.

    A Sources cell does not show the citations' quotes: the row takes them from the links here. Once a link is
    removed here, that reading differs from the export though the cell is as exported, and it looked like a
    change in the workbook. Read over the exported links, an untouched cell gives the exported value back.
    """
    f = kind.field(name)
    if f.type is FieldType.LINKS and f.link is not None:
        items = values.get(name) or []
        ids = [link["target_id"] for link in theirs or []]  # found already, in the items' order
        return _merged_links(exported or [], items, ids, f)
    return theirs


def _as_exported(ledger: Ledger, kind: Kind, rid: int, since: str) -> dict[str, Any]:
    """The fields of a record changed here since ``since``, each with its value at that time.

    Changes are those of batches begun after ``since``: the write that set a row's "Last updated" stamped its own
    history a moment later, and is not a change made since.
    """
    if since.endswith("Z") and "." not in since:  # an export to the second: the changes in that second count too
        since = since[:-1] + ".000Z"
    found: dict[str, Any] = {}
    for name, old in ledger.conn.execute(
        "SELECT field, old FROM history WHERE kind = ? AND record_id = ? AND field IS NOT NULL"
        " AND batch_id IN (SELECT id FROM batches WHERE at > ?) ORDER BY id",
        (kind.name, rid, since),
    ):
        if name not in found:
            found[name] = None if old is None else json.loads(old)
    return found


def _differs(kind: Kind, name: str, old: Any, new: Any) -> bool:
    if old in (None, "") and new in (None, ""):
        return False
    if isinstance(old, int | float) and isinstance(new, int | float):
        return abs(float(old) - float(new)) > 1e-9
    return bool(old != new)
