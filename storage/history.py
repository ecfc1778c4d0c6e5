"""A record's history as people read it: values as the tables show them, who by name, and whether a change can go back.

The history table keeps values as stored (a row id for a reference, a list of link dicts, 5000000 for an amount) and
who as a login; these turn them into the text the History dialog shows. The stored values stay as they are.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from .database import Ledger, current_user
from .kinds import KINDS_BY_NAME, FieldType, Kind
from .query import Column, amount_parts, display_in_row
from .records import display_name, kind_of
from .schema import q


def history_text(ledger: Ledger, kind: Kind | str, name: str, value: Any) -> str:
    """A field's old or new value in the history, as the kind's table shows it ("" for none).

    A reference is the name of the record it points to (with "(deleted)" when that record is gone), links read
    "Name (role); Name", dates "13 Aug 2024", amounts "5,000,000", choices capitalised. A long text is given whole,
    not only its first line as in the table: a change may be on any line of it.
    """
    if value is None or value == "" or value == []:
        return ""
    try:
        f = kind_of(kind).field(name)
    except KeyError:  # a field the description no longer has: its value as it was kept
        return str(value)
    if f.type is FieldType.REF:
        return _record_name(ledger, f.ref or "", value)
    if f.type is FieldType.LINKS:
        assert f.link is not None
        # As the table shows links: the first extra, when it is a word (a role), in brackets after the name.
        extra = f.link.extras[0].name if f.link.extras and f.link.extras[0].type in _WORD_EXTRAS else None
        parts = []
        for link in value if isinstance(value, list) else []:
            text = _record_name(ledger, f.link.target, link.get("target_id"))
            if extra and link.get(extra):
                text += f" ({link[extra]})"
            parts.append(text)
        return "; ".join(parts)
    if f.type is FieldType.BOOL:
        return "yes" if value else "no"  # the table leaves "no" blank; here a change to it must say so
    if f.type is FieldType.LONG_TEXT:
        return str(value)
    cols = [Column(f.name, f.label, f)]
    return display_in_row(cols[0], [value], 0, amount_parts(cols).get(0))


_WORD_EXTRAS = (FieldType.TEXT, FieldType.CHOICE)


def _record_name(ledger: Ledger, kind_name: str, rid: Any) -> str:
    """The name of record ``rid`` of a kind; a deleted one's from the snapshot its deletion kept."""
    if not isinstance(rid, int):
        return str(rid)
    name = display_name(ledger, kind_name, rid)
    if name:
        return name
    kind = KINDS_BY_NAME[kind_name]
    if _exists(ledger, kind, rid):  # there, only its name is blank
        return f"#{rid}"
    row = ledger.conn.execute(
        "SELECT old FROM history WHERE op = 'delete' AND kind = ? AND record_id = ? ORDER BY id DESC LIMIT 1",
        (kind.name, rid),
    ).fetchone()
    snapshot = json.loads(row[0]) if row and row[0] else {}
    gone = snapshot.get(kind.title_field) if isinstance(snapshot, dict) else None
    return f"{gone} (deleted)" if gone else f"#{rid} (deleted)"


def _exists(ledger: Ledger, kind: Kind, rid: int) -> bool:
    return ledger.conn.execute(f"SELECT 1 FROM {q(kind.name)} WHERE id = ?", (rid,)).fetchone() is not None


def revert_refusal(ledger: Ledger, kind: Kind | str, name: str, old: Any) -> str:
    """Why a field's old value cannot be written back, for the user; "" when it can.

    A reference or a link to a record deleted since cannot be restored by an edit (undo the deletion first), and a
    field the description no longer has cannot be written.
    """
    kind = kind_of(kind)
    try:
        f = kind.field(name)
    except KeyError:
        return f"The field '{name}' no longer exists; its old value cannot be written back."
    if f.type is FieldType.REF:
        targets = [old] if isinstance(old, int) else []
        target = KINDS_BY_NAME[f.ref or ""]
    elif f.type is FieldType.LINKS:
        assert f.link is not None
        targets = [link["target_id"] for link in old or [] if isinstance(link, dict) and "target_id" in link]
        target = KINDS_BY_NAME[f.link.target]
    else:
        return ""
    missing = [t for t in targets if isinstance(t, int) and not _exists(ledger, target, t)]
    gone = [_record_name(ledger, target.name, t) for t in missing]
    if not gone:
        return ""
    what, has = (target.singular.lower(), "has") if len(gone) == 1 else (target.label.lower(), "have")
    return (
        f"Cannot revert {f.label}: the {what} it named ({'; '.join(gone)}) {has} since been deleted. "
        "Undo that deletion first, or choose another in the form."
    )


def user_name(login: str) -> str:
    """Who made a change, as the history shows it: "Full Name (login)" where the system knows the name, else the login.

    Only the current user's full name is known for sure (from the system's user database); a login from another
    computer, which a shared file may hold, is shown as it is rather than matched to someone local.
    """
    full = _full_name()
    if full and login == current_user() and full != login:
        return f"{full} ({login})"
    return login


@functools.cache
def _full_name() -> str:
    """The current user's full name from the system (the first part of the GECOS field), or ""."""
    try:
        import pwd  # Unix only
    except ImportError:
        return ""
    try:
        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (KeyError, OSError):
        return ""
    return (gecos or "").split(",")[0].strip()
