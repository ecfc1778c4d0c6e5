"""Sorting the big tables in SQL: blanks (NULL, and '' for text) last in both directions, whatever the column type."""

from __future__ import annotations

from typing import Any

import pytest

from storage import Ledger
from storage import records as rec
from storage.query import Filters, ids, ids_sql, ids_statements

# item, supplier (a reference, sorted by the name), announced_on (a date), value_eur (an amount),
# condition (a choice), delivery_years (text). '' is stored as some bulk paths and old files leave it.
ROWS: list[tuple[str, str | None, str | None, int | str | None, str | None, str | None]] = [
    ("b", "Nammo", "2023-05", 300, "new", "2024"),
    ("a", None, None, None, None, ""),
    ("c", "Aselsan", "2024", 100, "second hand", "2023"),
    ("d", None, None, "", None, None),
    ("e", "Zastava", "2022-01-02", 200, "second hand, modernised", "2025"),
]
NON_BLANK = {
    "supplier": ["c", "b", "e"],
    "announced_on": ["e", "b", "c"],
    "value_eur": ["c", "e", "b"],
    "condition": ["b", "c", "e"],
    "delivery_years": ["c", "b", "e"],
}


@pytest.fixture
def blanks_ledger(ledger: Ledger) -> Ledger:
    for name in ("Lithuania", "Ukraine", "Nammo", "Aselsan", "Zastava"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    for item, supplier, announced, value, condition, years in ROWS:
        values: dict[str, Any] = {"donor": "Lithuania", "recipient": "Ukraine", "item": item}
        values |= {"supplier": supplier, "announced_on": announced, "condition": condition}
        rid = rec.insert(ledger, "aid", values)
        # written past the record layer, which would store '' as NULL
        ledger.conn.execute("UPDATE aid SET value_eur = ?, delivery_years = ? WHERE id = ?", (value, years, rid))
    return ledger


def _items(ledger: Ledger, row_ids: Any) -> list[str]:
    by_id = dict(ledger.conn.execute("SELECT id, item FROM aid"))
    return [by_id[i] for i in row_ids]


@pytest.mark.parametrize("name", list(NON_BLANK))
def test_blanks_sort_last_in_both_directions(blanks_ledger: Ledger, name: str) -> None:
    for ascending in (True, False):
        order = [(name, ascending)]
        got = list(ids(blanks_ledger, "aid", order=order))
        valued = NON_BLANK[name] if ascending else NON_BLANK[name][::-1]
        blanks = ["a", "d"] if ascending else ["d", "a"]  # blanks among themselves by id, in the sort's direction
        assert _items(blanks_ledger, got) == valued + blanks, order
        sql, args = ids_sql("aid", Filters(), order)  # the benchmark's single statement: the same ids
        assert [row[0] for row in blanks_ledger.conn.execute(sql, args)] == got


@pytest.mark.parametrize("ascending", [True, False])
def test_blank_text_and_blank_numbers_sort_last_descending_too(blanks_ledger: Ledger, ascending: bool) -> None:
    # SQLite alone puts '' after NULL in a text column and before every number in a numeric one
    for name in ("delivery_years", "value_eur"):
        got = _items(blanks_ledger, ids(blanks_ledger, "aid", order=[(name, ascending)]))
        assert got[3:] == (["a", "d"] if ascending else ["d", "a"]), name


@pytest.mark.parametrize("ascending", [True, False])
def test_blanks_of_the_first_key_are_sorted_by_the_second_key_with_its_blanks_last(
    blanks_ledger: Ledger, ascending: bool
) -> None:
    blanks_ledger.conn.execute("UPDATE aid SET delivery_years = 'x' WHERE item = 'd'")
    order = [("supplier", True), ("delivery_years", ascending)]
    # 'a' and 'd' have no supplier; 'd' has delivery years 'x', 'a' has '' (blank, so last either way)
    got = list(ids(blanks_ledger, "aid", order=order))
    assert _items(blanks_ledger, got) == ["c", "b", "e", "d", "a"]
    sql, args = ids_sql("aid", Filters(), order)
    assert [row[0] for row in blanks_ledger.conn.execute(sql, args)] == got


def test_a_blank_second_key_sorts_last_within_its_first_key(blanks_ledger: Ledger) -> None:
    blanks_ledger.conn.execute("UPDATE aid SET condition = 'new'")
    for ascending in (True, False):
        got = _items(blanks_ledger, ids(blanks_ledger, "aid", order=[("condition", True), ("value_eur", ascending)]))
        assert got[3:] == (["a", "d"] if ascending else ["d", "a"])
        assert got[:3] == (["c", "e", "b"] if ascending else ["b", "e", "c"])


def test_blanks_last_with_a_filter(blanks_ledger: Ledger) -> None:
    lithuania = rec.resolve(blanks_ledger, "actors", "Lithuania")
    f = Filters(equals=(("donor", lithuania),))  # its value is passed to each of the statements
    assert _items(blanks_ledger, ids(blanks_ledger, "aid", f, [("value_eur", True)])) == ["c", "e", "b", "a", "d"]


def test_sorting_an_indexed_column_still_reads_its_index_without_sorting(blanks_ledger: Ledger) -> None:
    for ascending in (True, False):
        for group in ids_statements("aid", Filters(), [("announced_on", ascending)]):
            for sql, args in group:
                plan = " ".join(row[3] for row in blanks_ledger.conn.execute("EXPLAIN QUERY PLAN " + sql, args))
                assert "aid_announced_on" in plan
                assert "TEMP B-TREE" not in plan
