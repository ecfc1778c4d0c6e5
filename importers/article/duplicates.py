"""Whether a draft repeats a record the database holds.

"A NASAMS handover of 2023-11-10 from Lithuania is already recorded; add this article as a second source instead?"

A draft is compared with the records of its kind that share what cannot differ (the donor and recipient of an aid
item, the subject of a total, the date of an event), by rapidfuzz's token-set ratio of their titles, as the
import's duplicate check does: a handful of candidates each, found by index, never the whole table.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz import fuzz

from storage import Ledger
from storage import records as rec
from storage.values import fold, format_date

from .drafts import Draft

ALIKE = 80  # token-set ratio of two titles that name the same thing


def _actor(ledger: Ledger, name: Any) -> int | None:
    ids = rec.find_ids(ledger, "actors", name) if name else []
    return ids[0] if len(ids) == 1 else None


def _dates_agree(a: Any, b: Any) -> bool:
    return not a or not b or str(a).startswith(str(b)) or str(b).startswith(str(a))


def _alike(a: Any, b: Any) -> bool:
    return bool(a) and bool(b) and fuzz.token_set_ratio(fold(str(a)), fold(str(b))) >= ALIKE


def check_duplicates(ledger: Ledger, drafts: list[Draft]) -> None:
    """Set ``duplicate_of`` (and a sentence saying what) on each draft that repeats a stored record."""
    for d in drafts:
        found = _find(ledger, d)
        if found is not None:
            d.duplicate_of, d.duplicate_note = found


def _find(ledger: Ledger, d: Draft) -> tuple[int, str] | None:
    f = d.fields
    conn = ledger.conn
    if d.kind == "sources":
        ids = [i for column in ("url", "title") if f.get(column) for i in rec.find_ids(ledger, "sources", f[column])]
        if not ids and f.get("full_text"):  # the same text under another title (a headline given by hand)
            text = " ".join(str(f["full_text"]).split())
            alike = conn.execute(
                "SELECT id, full_text FROM sources WHERE length(full_text) BETWEEN ? AND ?",
                (int(len(text) * 0.9), int(len(text) * 1.1) + 10),
            )
            ids = [rid for rid, stored in alike if fuzz.ratio(" ".join(str(stored).split())[:2000], text[:2000]) >= 95]
        if ids:
            return ids[0], f"This article is already a source: '{rec.display_name(ledger, 'sources', ids[0])}'"
        return None
    if d.kind == "aid":
        donor, recipient = _actor(ledger, f.get("donor")), _actor(ledger, f.get("recipient"))
        if donor is None:
            return None
        rows = conn.execute(
            "SELECT id, item, category, announced_on, delivered_on FROM aid WHERE donor_id = ? AND recipient_id IS ?",
            (donor, recipient),
        ).fetchall()
        when = f.get("delivered_on") or f.get("announced_on")
        for rid, item, category, announced, delivered in rows:
            same_thing = _alike(item, f.get("item")) or (
                category == f.get("category") != "other"
                and bool(when)
                and _dates_agree(delivered or announced, when)
                and fold(str(f.get("item", ""))).split()[0:1] == fold(str(item)).split()[0:1]
            )
            if same_thing and _dates_agree(delivered or announced, when):
                date = delivered or announced
                said = f" of {format_date(date)}" if date else ""
                return rid, f"{item}{said} from {f['donor']} is already recorded"
        return None
    if d.kind == "packages":
        donor = _actor(ledger, f.get("donor"))
        for rid, name, announced in conn.execute(
            "SELECT id, name, announced_on FROM packages WHERE donor_id IS ?", (donor,)
        ):
            if _alike(name, f.get("name")) or (announced and announced == f.get("announced_on")):
                return rid, f"The package '{name}' is already recorded"
        return None
    if d.kind == "events":
        date = f.get("date")
        names = {fold(p["name"].split()[-1]) for p in f.get("participants", []) if p.get("name")}
        sql = "SELECT id, title, date FROM events WHERE date IS NOT NULL AND substr(date, 1, 7) = ?"
        rows = conn.execute(sql, (str(date)[:7],)).fetchall() if date else []
        for rid, title, when in rows:
            if not _dates_agree(when, date):
                continue
            theirs = {
                fold(str(n).split()[-1])
                for (n,) in conn.execute(
                    "SELECT a.name FROM event_participants p JOIN actors a ON a.id = p.target_id WHERE p.owner_id = ?",
                    (rid,),
                )
                if n
            }
            if names & theirs or _alike(title, f.get("title")):
                return rid, f"The event '{title}' of {format_date(when)} is already recorded"
        return None
    if d.kind == "agreements":
        for rid, title in conn.execute("SELECT id, title FROM agreements"):
            if _alike(title, f.get("title")):
                return rid, f"The agreement '{title}' is already recorded"
        return None
    if d.kind == "totals":
        subject = _actor(ledger, f.get("subject"))
        if subject is None or not f.get("amount"):
            return None
        for rid, amount, as_of in conn.execute("SELECT id, amount, as_of FROM totals WHERE subject_id = ?", (subject,)):
            if amount and abs(float(amount) - float(f["amount"])) <= 0.01 * float(amount):
                said = f"A total of {float(amount):,.0f} for {f['subject']} as of {format_date(as_of)}"
                return rid, f"{said} is already recorded"
        return None
    return None
