"""The big tables' queries, undo and redo through the history, and merging duplicates."""

from __future__ import annotations

import pytest

from storage import Ledger, UserError
from storage import records as rec
from storage.merge import merge
from storage.query import EurTotal, Filters, columns, eur_total, ids, rows_by_ids
from storage.search import search_ids
from storage.undo import revert


@pytest.fixture
def aid_ledger(ledger: Ledger) -> Ledger:
    for name in ("Lithuania", "Ukraine", "Iceland"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    rows = [
        ("Lithuania", "NASAMS launchers", "air defence", "2023-11-10", 1000),
        ("Lithuania", "Night vision devices", "night vision and thermal imaging", "2023", None),
        ("Iceland", "Demining kits", "demining", "2024-08", 500),
        ("Lithuania", "Anti-drone equipment", "anti-drone", "2024-08-13", 250),
    ]
    for donor, item, category, date, value in rows:
        rec.insert(
            ledger,
            "aid",
            {
                "donor": donor,
                "recipient": "Ukraine",
                "item": item,
                "category": category,
                "announced_on": date,
                "value_eur": value,
            },
        )
    return ledger


def _items(ledger: Ledger, row_ids: object) -> list[str]:
    item = [c.name for c in columns("aid")].index("item")
    rows = rows_by_ids(ledger, "aid", list(row_ids))  # type: ignore[call-overload]
    return [rows[i][item] for i in row_ids]  # type: ignore[attr-defined]


def test_sort_by_a_reference_sorts_by_the_name_then_by_a_second_column(aid_ledger: Ledger) -> None:
    order = ids(aid_ledger, "aid", order=[("donor", True), ("announced_on", False)])
    assert _items(aid_ledger, order) == [
        "Demining kits",
        "Anti-drone equipment",
        "NASAMS launchers",
        "Night vision devices",
    ]


def test_filters_combine_search_fields_and_partial_date_ranges(aid_ledger: Ledger) -> None:
    lithuania = rec.resolve(aid_ledger, "actors", "Lithuania")
    f = Filters(equals=(("donor", lithuania),), date_field="announced_on", date_from="2023-11", date_to="2024-08")
    assert sorted(_items(aid_ledger, ids(aid_ledger, "aid", f))) == ["Anti-drone equipment", "NASAMS launchers"]
    assert _items(aid_ledger, ids(aid_ledger, "aid", Filters(search="lithuania drone"))) == ["Anti-drone equipment"]
    assert eur_total(aid_ledger, Filters(equals=(("donor", lithuania),))) == EurTotal(1250, 0, 1, 3)


def test_a_countrys_own_procurement_is_not_added_to_its_aid(aid_ledger: Ledger) -> None:
    rec.insert(
        aid_ledger,
        "aid",
        {"donor": "Lithuania", "recipient": "Lithuania", "item": "IRIS-T", "kind": "procurement for own forces"},
    )
    rec.update(
        aid_ledger, "aid", int(aid_ledger.conn.execute("SELECT max(id) FROM aid").fetchone()[0]), {"value_eur": 300}
    )
    lithuania = rec.resolve(aid_ledger, "actors", "Lithuania")
    assert eur_total(aid_ledger, Filters(equals=(("donor", lithuania),))) == EurTotal(1250, 300, 1, 4)


def test_rows_show_references_as_names(aid_ledger: Ledger) -> None:
    names = [c.name for c in columns("aid")]
    rows = rows_by_ids(aid_ledger, "aid", ids(aid_ledger, "aid"))
    assert {row[names.index("donor")] for row in rows.values()} == {"Lithuania", "Iceland"}


def test_undo_and_redo_an_edit_an_insert_and_a_delete(aid_ledger: Ledger) -> None:
    rid = ids(aid_ledger, "aid", Filters(search="nasams"))[0]
    with aid_ledger.batch("Edit") as edit:
        rec.update(aid_ledger, "aid", rid, {"status": "delivered", "item": "NASAMS launchers and equipment"})
    undo = revert(aid_ledger, edit)
    assert rec.get(aid_ledger, "aid", rid)["status"] == "announced"
    assert rec.get(aid_ledger, "aid", rid)["item"] == "NASAMS launchers"
    revert(aid_ledger, undo)
    assert rec.get(aid_ledger, "aid", rid)["status"] == "delivered"

    before = rec.get(aid_ledger, "aid", rid)
    with aid_ledger.batch("Delete") as deleted:
        rec.delete(aid_ledger, "aid", rid)
    revert(aid_ledger, deleted)
    after = rec.get(aid_ledger, "aid", rid)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert search_ids(aid_ledger, "aid", "nasams") == [rid]  # back in the index too

    with aid_ledger.batch("Add") as added:
        new = rec.insert(aid_ledger, "actors", {"name": "Norway"})
    revert(aid_ledger, added)
    with pytest.raises(UserError):
        rec.get(aid_ledger, "actors", new)


def test_merge_repoints_every_reference_keeps_the_alias_and_undoes_in_one_step(ledger: Ledger) -> None:
    for name in ("Ukraine", "Volodymyr Zelensky", "Zelenskyy"):
        rec.insert(ledger, "actors", {"name": name, "type": "person" if "Z" in name else "country"})
    rec.insert(ledger, "sources", {"title": "Article"})
    event = rec.insert(ledger, "events", {"title": "Talks", "participants": [{"actor": "Zelenskyy", "role": "host"}]})
    keep, drop = rec.resolve(ledger, "actors", "Volodymyr Zelensky"), rec.resolve(ledger, "actors", "Zelenskyy")
    batch = merge(ledger, "actors", keep, drop)
    assert rec.get(ledger, "events", event)["participants"] == [{"target_id": keep, "role": "host"}]
    assert rec.get(ledger, "actors", keep)["aliases"] == "Zelenskyy"
    with pytest.raises(UserError):
        rec.get(ledger, "actors", drop)
    revert(ledger, batch)
    assert rec.get(ledger, "events", event)["participants"] == [{"target_id": drop, "role": "host"}]
    assert rec.get(ledger, "actors", keep)["aliases"] is None
