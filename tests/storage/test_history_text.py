"""A record's history as people read it: stored values shown as the tables show them, who by name, reverts refused."""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator

import pytest

from storage import Ledger
from storage import history as hist
from storage import records as rec


@pytest.fixture
def actors(ledger: Ledger) -> dict[str, int]:
    return {
        name: rec.insert(ledger, "actors", {"name": name, "type": kind})
        for name, kind in (("Lithuania", "country"), ("Ukraine", "country"), ("Laurynas Kasčiūnas", "person"))
    }


def test_values_read_as_in_the_tables(ledger: Ledger, actors: dict[str, int]) -> None:
    assert hist.history_text(ledger, "aid", "value", 5_000_000) == "5,000,000"
    assert hist.history_text(ledger, "aid", "value_eur", 1_234.5) == "EUR 1,234.5"
    assert hist.history_text(ledger, "aid", "donor", actors["Lithuania"]) == "Lithuania"
    assert hist.history_text(ledger, "aid", "announced_on", "2024-08-13") == "13 Aug 2024"
    assert hist.history_text(ledger, "aid", "announced_on", "2024-08") == "Aug 2024"
    assert hist.history_text(ledger, "aid", "status", "delivered") == "Delivered"
    assert hist.history_text(ledger, "aid", "uncertain", 0) == "no"  # a change to "no" says so, unlike the table
    assert hist.history_text(ledger, "aid", "notes", "first line\nsecond line") == "first line\nsecond line"
    assert hist.history_text(ledger, "aid", "value", None) == ""
    links = [{"target_id": actors["Laurynas Kasčiūnas"], "role": "visitor"}, {"target_id": actors["Ukraine"]}]
    assert hist.history_text(ledger, "events", "participants", links) == "Laurynas Kasčiūnas (visitor); Ukraine"
    assert hist.history_text(ledger, "events", "participants", []) == ""
    assert hist.history_text(ledger, "aid", "a_field_since_removed", 7) == "7"


def test_a_deleted_reference_reads_by_its_last_name_and_cannot_be_reverted(
    ledger: Ledger, actors: dict[str, int]
) -> None:
    gone = rec.insert(ledger, "actors", {"name": "Estonia", "type": "country"})
    assert hist.revert_refusal(ledger, "aid", "donor", gone) == ""
    rec.delete(ledger, "actors", gone)
    assert hist.history_text(ledger, "aid", "donor", gone) == "Estonia (deleted)"
    refusal = hist.revert_refusal(ledger, "aid", "donor", gone)
    assert "Donor" in refusal and "Estonia (deleted)" in refusal and "has since been deleted" in refusal
    links = [{"target_id": gone, "role": "host"}, {"target_id": actors["Ukraine"]}]
    assert "Estonia" in hist.revert_refusal(ledger, "events", "participants", links)
    assert hist.revert_refusal(ledger, "events", "participants", [{"target_id": actors["Ukraine"]}]) == ""
    assert hist.revert_refusal(ledger, "aid", "value", 5) == ""
    assert "no longer exists" in hist.revert_refusal(ledger, "aid", "a_field_since_removed", 7)


class _Entry:
    def __init__(self, gecos: str) -> None:
        self.pw_gecos = gecos


@pytest.fixture
def full_name(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The system's GECOS field for the current user, as the test sets it."""
    gecos = ["Anna Kowalska,Room 4,,"]
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: _Entry(gecos[0]) if uid == os.getuid() else None)
    monkeypatch.setattr(hist, "current_user", lambda: "anna")
    hist._full_name.cache_clear()
    yield gecos
    hist._full_name.cache_clear()


def test_who_is_the_full_name_and_login_where_the_system_knows_it(full_name: list[str]) -> None:
    assert hist.user_name("anna") == "Anna Kowalska (anna)"
    assert hist.user_name("bogdan") == "bogdan"  # another login (another computer's): not matched to anyone here
    full_name[0] = "anna"
    hist._full_name.cache_clear()
    assert hist.user_name("anna") == "anna"  # not "anna (anna)"
    full_name[0] = ""
    hist._full_name.cache_clear()
    assert hist.user_name("anna") == "anna"
