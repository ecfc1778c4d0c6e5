"""Likely duplicates as issue 14 asks: same donor and recipient, same date or package, and a similar item."""

from __future__ import annotations

from pathlib import Path

import importers
from storage import Ledger
from storage import records as rec


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["Donor,Recipient,Item,Package,Announced on", *rows]) + "\n", encoding="utf-8")
    return path


def test_a_shorter_name_of_an_item_in_the_same_package_is_a_likely_duplicate(ledger: Ledger, tmp_path: Path) -> None:
    for name in ("Estonia", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    package = rec.insert(ledger, "packages", {"name": "EE March 2025", "donor": "Estonia"})
    rec.insert(
        ledger,
        "aid",
        {
            "donor": "Estonia",
            "recipient": "Ukraine",
            "item": "Javelin anti-tank missiles",
            "package": package,
            "announced_on": "2025-03-03",
        },
    )
    path = _csv(
        tmp_path / "colleague.csv",
        [
            "Estonia,Ukraine,Javelin missiles,EE March 2025,2025-03-04",  # a day later, the same package
            "Estonia,Ukraine,155mm ammunition,EE March 2025,2025-03-04",  # another item of it
            "Estonia,Ukraine,Javelin missiles,,2025-03-03",  # no package, the same day
        ],
    )
    plan = importers.make_plan(ledger, path, kind="aid")
    found = {d.add.row: d for d in plan.duplicates}
    assert sorted(d.add.row for d in plan.duplicates) == [2, 4]
    assert "package" in found[2].reason and "announced on" in found[4].reason
    assert [a.values["item"] for a in plan.adds] == ["155mm ammunition"]


def test_rows_of_one_file_naming_a_new_donor_are_compared_with_each_other(ledger: Ledger, tmp_path: Path) -> None:
    rec.insert(ledger, "actors", {"name": "Ukraine", "type": "country"})
    path = _csv(
        tmp_path / "twice.csv",
        ["Latvia,Ukraine,Javelin missiles,,2025-03-03", "Latvia,Ukraine,Javelin missiles,,2025-03-03"],
    )
    plan = importers.make_plan(ledger, path, kind="aid")
    assert len(plan.adds) == 1 and len(plan.duplicates) == 1
    assert plan.duplicates[0].existing_title.endswith("row 2 of this file")
