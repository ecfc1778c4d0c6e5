"""An actor's role on a date, as a participant's role is suggested from it."""

from __future__ import annotations

from storage import Ledger
from storage import records as rec
from storage.roles import role_on


def test_the_minister_of_the_day(sample_ledger: Ledger) -> None:
    kasciunas = rec.resolve(sample_ledger, "actors", "Laurynas Kasčiūnas")
    anusauskas = rec.resolve(sample_ledger, "actors", "Arvydas Anušauskas")
    assert role_on(sample_ledger, kasciunas, "2024-08-16") == "Minister of National Defence"
    assert role_on(sample_ledger, kasciunas, "2023-11-10") is None  # not yet
    assert role_on(sample_ledger, anusauskas, "2023-11-10") == "Minister of National Defence"
    assert role_on(sample_ledger, anusauskas, "2025-01") is None  # no longer
    assert role_on(sample_ledger, kasciunas, None) == "Minister of National Defence"  # now
