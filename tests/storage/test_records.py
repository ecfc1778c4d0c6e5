"""Records: validation against the kinds' descriptions, stable IDs, references, history and full-text search."""

from __future__ import annotations

import pytest

from storage import Ledger, UserError, ValidationError
from storage import records as rec
from storage.ids import is_uid, new_uid, new_uids
from storage.search import fts_query, search_ids


@pytest.fixture
def basics(ledger: Ledger) -> Ledger:
    rec.insert(ledger, "sources", {"title": "Lithuanian Aid to Ukraine Continues"})
    rec.insert(ledger, "actors", {"name": "Lithuania", "type": "country", "aliases": "Lietuva"})
    rec.insert(ledger, "actors", {"name": "Ukraine", "type": "country"})
    rec.insert(
        ledger,
        "actors",
        {"name": "Volodymyr Zelensky", "type": "person", "aliases": "Zelenskyy; Zelenskiy", "country": "Ukraine"},
    )
    rec.insert(ledger, "actors", {"name": "Laurynas Kasčiūnas", "type": "person", "country": "Lithuania"})
    return ledger


def _aid(ledger: Ledger, **values: object) -> int:
    base = {"donor": "Lithuania", "recipient": "Ukraine", "item": "NASAMS launchers", "category": "air defence"}
    return rec.insert(ledger, "aid", {**base, **values})


def test_stable_ids_are_ulids_unique_and_in_creation_order() -> None:
    ids = [new_uid() for _ in range(2000)]
    ids += new_uids(3000) + [new_uid()] + new_uids(1)  # made in a block, they follow and precede the others
    assert all(is_uid(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)


def test_insert_stores_parsed_values_defaults_and_a_stable_id(basics: Ledger) -> None:
    rid = _aid(basics, value="over EUR 641 million", announced_on="13 Aug 2024", quantity_committed="1 500")
    record = rec.get(basics, "aid", rid)
    assert is_uid(record["uid"])
    assert record["value"] == 641_000_000
    assert record["currency"] == "EUR" and record["value_qualifier"] == "over"
    assert record["announced_on"] == "2024-08-13"
    assert record["quantity_committed"] == 1500
    assert record["kind"] == "military aid" and record["status"] == "announced"  # defaults
    assert record["created_at"] == record["updated_at"]


def test_references_resolve_by_alias_case_and_accents(basics: Ledger) -> None:
    rid = rec.insert(
        basics,
        "events",
        {
            "type": "talks",
            "title": "Talks in Kyiv",
            "participants": [{"actor": "zelenskyy", "role": "host"}, {"actor": "Laurynas Kasciunas"}],
        },
    )
    links = rec.get(basics, "events", rid)["participants"]
    names = [rec.display_name(basics, "actors", link["target_id"]) for link in links]
    assert names == ["Volodymyr Zelensky", "Laurynas Kasčiūnas"]
    assert links[0]["role"] == "host"


def test_links_can_be_given_as_exported_text(basics: Ledger) -> None:
    rid = rec.insert(basics, "events", {"title": "Talks", "participants": "Zelensky (host); Lietuva"})
    links = rec.get(basics, "events", rid)["participants"]
    assert [link["role"] for link in links] == ["host", None]


def test_validation_reports_every_problem_at_once_and_writes_nothing(basics: Ledger) -> None:
    before = basics.db["history"].count
    with pytest.raises(ValidationError) as caught:
        rec.insert(
            basics,
            "aid",
            {"donor": "Latvia", "category": "lasers", "announced_on": "31 Feb 2024", "value_eur": "USD 5m"},
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"donor", "category", "announced_on", "value_eur", "recipient", "item"}
    assert "no actor named 'Latvia'" in str(caught.value)
    assert basics.db["aid"].count == 0
    assert basics.db["history"].count == before


def test_actor_names_are_unique_regardless_of_case_and_accents(basics: Ledger) -> None:
    with pytest.raises(ValidationError, match="already exists"):
        rec.insert(basics, "actors", {"name": "laurynas kasciunas", "type": "person"})


def test_every_change_is_written_to_history(basics: Ledger) -> None:
    rid = _aid(basics)
    assert rec.update(basics, "aid", rid, {"status": "delivered", "delivered_on": "2023-11-10"}) == [
        "status",
        "delivered_on",
    ]
    assert rec.update(basics, "aid", rid, {"status": "delivered"}) == []  # no change, no history
    rec.update(basics, "aid", rid, {"sources": [{"source": "Lithuanian Aid to Ukraine Continues", "quote": "q"}]})
    history = rec.history_of(basics, "aid", rid)
    assert [(h["op"], h["field"]) for h in history] == [
        ("insert", None),
        ("update", "status"),
        ("update", "delivered_on"),
        ("update", "sources"),
    ]
    assert (history[1]["old"], history[1]["new"]) == ("announced", "delivered")
    assert history[0]["new"]["item"] == "NASAMS launchers"
    assert all(h["who"] and h["at"] for h in history)
    rec.delete(basics, "aid", rid)
    last = rec.history_of(basics, "aid", rid)[-1]
    assert last["op"] == "delete" and last["old"]["sources"][0]["quote"] == "q"


def test_required_fields_cannot_be_emptied(basics: Ledger) -> None:
    rid = _aid(basics)
    with pytest.raises(ValidationError, match="Item is required"):
        rec.update(basics, "aid", rid, {"item": "  "})
    assert rec.get(basics, "aid", rid)["item"] == "NASAMS launchers"


def test_an_actor_in_use_cannot_be_deleted(basics: Ledger) -> None:
    _aid(basics)
    lithuania = rec.resolve(basics, "actors", "Lithuania")
    with pytest.raises(UserError, match="still used by .*Donor"):
        rec.delete(basics, "actors", lithuania)
    assert rec.get(basics, "actors", lithuania)["name"] == "Lithuania"


def test_partial_dates_sort_year_before_month_before_day(basics: Ledger) -> None:
    for date in ("2024-08-13", "2025", "2024", "2024-08", "2023-11-10", "2024-10"):
        _aid(basics, announced_on=date)
    order = [r[0] for r in basics.conn.execute("SELECT announced_on FROM aid ORDER BY announced_on")]
    assert order == ["2023-11-10", "2024", "2024-08", "2024-08-13", "2024-10", "2025"]


def test_the_schema_refuses_a_malformed_date_written_around_validation(basics: Ledger) -> None:
    rid = _aid(basics)
    with pytest.raises(Exception, match="CHECK"):
        basics.conn.execute("UPDATE aid SET announced_on = '13/08/2024' WHERE id = ?", (rid,))


def test_full_text_search_ignores_accents_and_case(basics: Ledger) -> None:
    kasciunas = rec.resolve(basics, "actors", "Laurynas Kasčiūnas")
    assert search_ids(basics, "actors", "Kasciunas") == [kasciunas]
    assert search_ids(basics, "actors", "KASČIŪNAS") == [kasciunas]
    assert search_ids(basics, "actors", "kasc") == [kasciunas]  # prefixes, as typed in a search box


def test_search_finds_records_by_the_names_they_point_to_and_follows_renames(basics: Ledger) -> None:
    rid = _aid(basics)
    event = rec.insert(basics, "events", {"title": "Talks", "participants": [{"actor": "Zelensky"}]})
    assert search_ids(basics, "aid", "lithuania nasams") == [rid]
    assert search_ids(basics, "events", "zelenskiy") == [event]
    lithuania = rec.resolve(basics, "actors", "Lithuania")
    rec.update(basics, "actors", lithuania, {"name": "Republic of Lithuania"})
    assert search_ids(basics, "aid", "republic") == [rid]
    rec.delete(basics, "aid", rid)
    assert search_ids(basics, "aid", "nasams") == []


def test_search_text_is_never_read_as_query_syntax(basics: Ledger) -> None:
    _aid(basics)
    for text in ('"', "NEAR(", "a OR", "*", "item:x", "-"):
        search_ids(basics, "aid", text)  # no error
    assert fts_query("  ") is None


def test_a_stable_id_says_when_it_was_made() -> None:
    import time

    from storage.ids import _CROCKFORD

    before = time.time_ns() // 1_000_000
    uid = new_uid()
    after = time.time_ns() // 1_000_000
    ms = 0
    for char in uid[:10]:
        ms = ms * 32 + _CROCKFORD.index(char)
    assert before <= ms <= after
