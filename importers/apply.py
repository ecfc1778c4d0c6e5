"""Writing a plan: all of it in one transaction, one batch in the history (one undo step), or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from storage import KINDS_BY_NAME, FieldType, Kind, Ledger, UserError
from storage import records as rec
from storage.bulk import bulk_insert

from .model import Add, Cancelled, Plan
from .rows import cycle_collector_paused

# From this many new records of a kind, they go in through the bulk path: far faster, the same history.
BULK_FROM = 200
# How long an import waits for another program's write (another import) to finish before it says the file is locked.
LOCK_WAIT_S = 120.0


class PlanOutOfDate(UserError):
    """The database changed between the preview and the import: the plan must be made again, under the lock."""


def _bulk_add(
    ledger: Ledger,
    kind_name: str,
    adds: list[Add],
    progress: Callable[[int, int], None] | None,
    is_cancelled: Callable[[], bool] | None,
    total: int,
) -> int:
    """Insert many new records of one kind at once, from the values the plan already checked."""
    kind = KINDS_BY_NAME[kind_name]
    first = ledger.conn.execute(f'SELECT coalesce(max(id), 0) FROM "{kind.name}"').fetchone()[0]
    defaults = {f.name: rec.clean_scalar(ledger, f, f.default) for f in kind.stored_fields if f.default is not None}
    # Worked out once for the kind, not per value: a big import has millions of values.
    refs = {f.name: f.ref or "" for f in kind.stored_fields if f.type is FieldType.REF}
    resolved: dict[tuple[str, str], int] = {}
    valued = {r[0] for r in ledger.conn.execute(f"SELECT id FROM packages WHERE {rec.CARRYING_EUR}")}

    def rows() -> Iterator[dict[str, Any]]:  # one at a time: a big import is not held twice in memory
        for add in adds:
            stored = {**add.values, **add.stored}
            for name, target in refs.items():
                value = stored.get(name)
                if isinstance(value, str):  # a record made at the start of the import
                    key = (target, value)
                    if key not in resolved:
                        resolved[key] = rec.resolve(ledger, target, value)
                    stored[name] = resolved[key]
            for name, value in defaults.items():
                if stored.get(name) is None and name not in add.values:
                    stored[name] = value
            stored.update(rec.eur_of_value(ledger, kind, {}, stored, valued))
            stored["uid"] = add.uid
            yield stored

    def report(done: int) -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        if progress is not None:
            progress(done, total)

    # Links (sources cited, participants) of records that have none yet: one statement per table, not per row. Like
    # the records' other values, they are not copied into the history: its row for the insert names the record,
    # and undoing it removes the record with its links.
    links_of: dict[str, list[list[Any]]] = {f.name: [] for f in kind.link_fields}
    known: dict[str, dict[Any, int]] = {f.name: {} for f in kind.link_fields}  # a source cited by many rows: found once

    def make_links() -> None:  # while SQLite builds the indexes: the names were read before, nothing is asked
        for offset, add in enumerate(adds, start=1):
            for f in kind.link_fields:
                if add.values.get(f.name):
                    try:
                        links = rec.clean_links(ledger, f, add.values[f.name], known[f.name])
                    except ValueError as exc:
                        raise UserError(f"{add.sheet} row {add.row}: {f.label}: {exc}") from exc
                    links_of[f.name] += rec.link_args(kind, f, first + offset, links)

    for f in kind.link_fields:
        if f.link is not None:
            rec.find_ids(ledger, f.link.target, "")  # the targets' names, read now that the file's new ones are in
    there = ledger.conn.execute(f'SELECT count(*) FROM "{kind.name}"').fetchone()[0]
    added = bulk_insert(
        ledger,
        kind,
        rows(),
        history=True,
        progress=report,
        chunk=5_000,
        rebuild_indexes=len(adds) >= there,  # building indexes once beats updating them then
        by_field=True,
        meanwhile=make_links,
    )
    for f in kind.link_fields:
        rec.add_links(ledger, f, links_of[f.name])
    return added


def _bulk_targets(ledger: Ledger, kind: Kind, records: list[dict[str, Any]]) -> int:
    """Make many records named by the rows at once (a tracker's sources, its packages), checked as one by one."""
    defaults = {f.name: rec.clean_scalar(ledger, f, f.default) for f in kind.stored_fields if f.default is not None}
    where = f"new {kind.singular.lower()}"

    def rows() -> Iterator[dict[str, Any]]:  # made while SQLite writes the ones before
        for values in records:
            columns, _ = rec.clean_record(ledger, kind, values, where=where)
            columns = {**defaults, **columns}
            columns.update(rec.eur_of_value(ledger, kind, {}, columns))  # a package's value in EUR, as one by one
            yield {n: v for n, v in columns.items() if v is not None}

    added = bulk_insert(ledger, kind, rows(), history=True, chunk=5_000, by_field=True)
    rec.touch_caches(ledger, kind)  # the rows that name them look them up next
    return added


def _deferred(add: Add, adding: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new record's values split in two: those written with it, and those written once the file's records are in.

    The second are those that may name a record that comes later (an actor's coalition on a later row, its
    relations).
    """
    kind = KINDS_BY_NAME[add.kind]
    now, later = dict(add.values), {}
    for f in kind.all_fields:
        value = now.get(f.name)
        if value in (None, "", []):
            continue
        if f.type is FieldType.LINKS or (f.type is FieldType.REF and isinstance(value, str) and f.ref in adding):
            if not f.required:
                later[f.name] = now.pop(f.name)
    return now, later


@cycle_collector_paused()  # the plan's millions of objects would be scanned again and again for nothing
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
        PlanOutOfDate: another program wrote to the database since the plan was made; nothing was written.
        UserError: the database refused a change (locked, full, a record changed meanwhile); nothing was written.
    """
    order = {k: i for i, k in enumerate(KINDS_BY_NAME)}  # what others point to first: actors before their aid
    adds = sorted(plan.adds + [d.add for d in plan.duplicates if d.import_anyway], key=lambda a: order[a.kind])
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

    # The write lock is taken before the check that the plan still holds: nothing can change in between.
    with ledger.waiting(LOCK_WAIT_S), ledger.transaction(), ledger.batch(f"Import {plan.source.name}"):
        if ledger.last_batch() != plan.read_at + 1:  # + 1: this import's own batch, just begun
            raise PlanOutOfDate(
                f"{plan.source.name}: the database changed since the preview was made (another window or program"
                " wrote to it); nothing was written, so the preview can be made again"
            )
        for kind_name, names in sorted(plan.new_targets.items(), key=lambda item: order[item[0]]):
            target = KINDS_BY_NAME[kind_name]  # actors first: a new package names its donor
            known = plan.made.get(kind_name, {})
            there = rec.named(ledger, target, names)
            fresh = [(key, name) for key, name in names.items() if key not in there]
            # (a name made meanwhile by someone else is not made again: the records will point to it)
            if len(fresh) >= BULK_FROM and not target.unique_titles:  # a tracker's thousand sources: at once
                done["created"] += _bulk_targets(
                    ledger, target, [{**target.made_from_name(n), **known.get(k, {})} for k, n in fresh]
                )
                continue
            for key, name in fresh:
                values = {**target.made_from_name(name), **known.get(key, {})}  # a package's own value, say
                rec.insert(ledger, target, values, where=f"new {target.singular.lower()} '{name}'")
                done["created"] += 1
        adding = {a.kind for a in adds}
        deferred: list[tuple[str, int, dict[str, Any], str]] = []
        for kind_name in dict.fromkeys(a.kind for a in adds):
            of_kind = [a for a in adds if a.kind == kind_name]
            if len(of_kind) >= BULK_FROM and not KINDS_BY_NAME[kind_name].unique_titles:  # unique: checked one by one
                done["added"] += _bulk_add(ledger, kind_name, of_kind, progress, is_cancelled, total)
                step += len(of_kind)
                continue
            for add in of_kind:
                where = f"{add.sheet} row {add.row}"
                now, later = _deferred(add, adding)
                rid = rec.insert(ledger, add.kind, now, uid=add.uid, where=where)
                if later:
                    deferred.append((add.kind, rid, later, where))
                done["added"] += 1
                tick()
        for kind_name, rid, later, where in deferred:  # every record of the file is here now: point to them
            rec.update(ledger, kind_name, rid, later, where=where)
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
            first = {k: i for i, k in enumerate(reversed(list(KINDS_BY_NAME)))}  # what points elsewhere goes first
            for kind, rid, _ in sorted(plan.missing, key=lambda m: first[m[0]]):
                rec.delete(ledger, kind, rid)
                done["deleted"] += 1
                tick()
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
    if progress is not None:
        progress(total, total)
    return done
