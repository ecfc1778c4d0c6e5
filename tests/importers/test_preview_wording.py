"""The preview's words: the "read as" counts quote the file's own cells, and every count takes its plural."""

from __future__ import annotations

from pathlib import Path

import importers
from storage import Ledger

HEADER = "Donor,Recipient,Item,Category,Status,Value,Currency,Announced on\n"


def _read_as(plan: importers.Plan) -> str:
    return next(line for line in plan.summary().splitlines() if line.startswith("  read as: "))


def test_read_as_quotes_the_cells_of_the_file(sample_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "vague.csv"
    path.write_text(
        HEADER + "Lithuania,Ukraine,Radios,Other,Delivered,.,EUR,04/22\n"
        "Lithuania,Ukraine,Boats,Zeppelins,Delivered,Not given,EUR,unclear 10/2022\n"
        "Lithuania,Ukraine,Tents,Other,Delivered,5000,EUR,31 Feb 2022\n"
    )
    line = _read_as(importers.make_plan(sample_ledger, path))
    assert '2 partly known ("04/22", "unclear 10/2022")' in line
    assert '2 empty (".", "Not given")' in line
    assert "1 'other', not in the vocabulary (\"Zeppelins\")" in line
    assert '1 cell that could not be read ("31 Feb 2022"), kept in the record\'s note' in line
    assert "unclear, 10/2022" not in line  # the old fixed example


def test_read_as_quotes_a_few_distinct_cells_and_says_there_are_more(sample_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    dates = ["04/22", "05/22", "04/22", "06/22", "07/22 ", "08/22"]
    path.write_text(
        HEADER + "".join(f"Lithuania,Ukraine,Item {n},Other,Delivered,1,EUR,{d}\n" for n, d in enumerate(dates))
    )
    assert '6 partly known ("04/22", "05/22", "06/22", …)' in _read_as(importers.make_plan(sample_ledger, path))


def test_one_is_singular_and_no_count_says_s_in_brackets(sample_ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(HEADER + "Lithuania,Ukraine,Radios,Other,Delivered,1,EUR,04/22\n")
    summary = importers.make_plan(sample_ledger, path).summary()
    assert '1 partly known ("04/22")' in summary
    assert "1 row read" in summary
    assert "(s)" not in summary
