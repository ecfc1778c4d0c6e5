"""Merging two records of a kind into one ("Zelenskyy" entered twice), every reference re-pointed, as one batch."""

from __future__ import annotations

from typing import Any

from .database import Ledger
from .errors import UserError
from .kinds import KINDS, FieldType, Kind
from .records import delete, get, kind_of, link_rows, update
from .schema import q
from .values import fold


def merge(ledger: Ledger, kind: Kind | str, keep: int, drop: int, *, absorb: bool = True) -> int:
    """Re-point every reference to ``drop`` at ``keep``, then delete ``drop``. One batch, so one undo.

    With ``absorb`` (two records of the same thing), ``keep``'s empty fields are filled from ``drop`` and ``drop``'s
    name becomes one of ``keep``'s aliases; without it (deleting a record in use), ``keep`` is left as it is.

    Returns:
        The batch's id.
    """
    kind = kind_of(kind)
    if keep == drop:
        raise UserError("cannot merge a record with itself")
    kept, dropped = get(ledger, kind, keep), get(ledger, kind, drop)
    with ledger.batch(f"Merge {kind.singular.lower()}s") as batch:
        for other in KINDS:
            for f in other.all_fields:
                if f.type is FieldType.REF and f.ref == kind.name:
                    rows = ledger.conn.execute(
                        f"SELECT id FROM {q(other.name)} WHERE {q(f.column)} = ?", (drop,)
                    ).fetchall()
                    for (rid,) in rows:
                        update(ledger, other, rid, {f.name: keep if rid != drop else None})
                elif f.type is FieldType.LINKS and f.link is not None and f.link.target == kind.name:
                    sql = f"SELECT DISTINCT owner_id FROM {q(f.link.table)} WHERE target_id = ?"
                    args: tuple[Any, ...] = (drop,)
                    if f.link.polymorphic:
                        sql += " AND record_kind = ?"
                        args = (drop, other.name)
                    for (owner,) in ledger.conn.execute(sql, args).fetchall():
                        if owner == drop:
                            continue
                        links = link_rows(ledger, other, f, owner)
                        moved, seen = [], set()
                        for link in links:
                            target = keep if link["target_id"] == drop else link["target_id"]
                            if target not in seen:  # both were linked: keep one link
                                seen.add(target)
                                moved.append({**link, "target_id": target})
                        update(ledger, other, owner, {f.name: moved})
        fill: dict[str, Any] = {}
        for f in kind.stored_fields if absorb else ():
            if kept.get(f.name) in (None, "", 0) and dropped.get(f.name) not in (None, "", 0) and f.name != "uncertain":
                fill[f.name] = dropped[f.name]
        if kind.aliases and absorb:  # the dropped record's names become the kept one's aliases
            title = kind.title_field
            aliases = [a.strip() for a in (kept.get(kind.aliases) or "").split(";") if a.strip()]
            for extra in [dropped[title], *(dropped.get(kind.aliases) or "").split(";")]:
                extra = extra.strip()
                if extra and fold(extra) != fold(kept[title]) and fold(extra) not in {fold(a) for a in aliases}:
                    aliases.append(extra)
            fill[kind.aliases] = "; ".join(aliases) or None
        for f in kind.link_fields if absorb else ():
            combined = list(kept[f.name])
            for link in dropped[f.name]:
                if link["target_id"] == drop:
                    continue
                if all(link["target_id"] != c["target_id"] for c in combined):
                    combined.append(link)
            if combined != kept[f.name]:
                fill[f.name] = combined
        # The dropped record's own links go first, so nothing points from it at delete time.
        update(ledger, kind, drop, {f.name: [] for f in kind.link_fields} | _cleared_refs(kind, dropped, keep))
        if fill:
            update(ledger, kind, keep, fill)
        delete(ledger, kind, drop)
    return batch


def _cleared_refs(kind: Kind, record: dict[str, Any], keep: int) -> dict[str, Any]:
    return {
        f.name: None
        for f in kind.stored_fields
        if f.type is FieldType.REF and f.ref == kind.name and record.get(f.name) is not None and not f.required
    }
