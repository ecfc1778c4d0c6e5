"""What a write changed, read from the history: the kinds, and the ids when only existing records were edited.

The window's one door for writes (``gui.editing.Editor``) announces a ``Changes`` after every write, whether made on
the window's own connection (a form, a paste, a merge) or on a background one (an import), so that each table
re-reads only what it must.
"""

from __future__ import annotations

from dataclasses import dataclass

from .database import Ledger
from .kinds import DISPLAY_ORDER


@dataclass(frozen=True)
class Changes:
    """What one write changed.

    Attributes:
        kinds: the kinds whose records changed.
        ids: the row ids changed, when only existing records were edited; empty when records were added or removed
            (the tables then re-query which records they show).
        batch: the history batch of the write, to undo it; None for a change that cannot be undone (a restore).
    """

    kinds: frozenset[str]
    ids: frozenset[int] = frozenset()
    batch: int | None = None

    @classmethod
    def everything(cls) -> Changes:
        """Every record may have changed: the file was replaced (a restore), or another program wrote to it."""
        return cls(frozenset(DISPLAY_ORDER))


def changes_of(ledger: Ledger, batch: int) -> Changes | None:
    """What the history batch ``batch`` changed; None when it changed nothing (a form saved as it was)."""
    conn = ledger.conn
    kinds = frozenset(row[0] for row in conn.execute("SELECT DISTINCT kind FROM history WHERE batch_id = ?", (batch,)))
    if not kinds:
        return None
    more_than_edits = conn.execute(
        "SELECT 1 FROM history WHERE batch_id = ? AND op <> 'update' LIMIT 1", (batch,)
    ).fetchone()
    ids: frozenset[int] = frozenset()
    if not more_than_edits:
        ids = frozenset(
            r[0] for r in conn.execute("SELECT DISTINCT record_id FROM history WHERE batch_id = ?", (batch,))
        )
    return Changes(kinds, ids, batch)
