"""Issue 14's measure: the Estonian news item, seven records, entered by keyboard alone through the real window."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from gui.main_window import MainWindow
from storage import Ledger
from storage import records as rec
from tests.gui.news_item import GOAL_KEYS, enter_news_item


def test_the_news_item_by_keyboard_in_a_third_of_the_keys(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    keys = enter_news_item(window, lambda: qtbot.wait(5))

    q = sample_ledger.conn.execute
    source = q("SELECT id, published_on, publisher FROM sources WHERE title LIKE 'Estonia to send%'").fetchone()
    assert source is not None and source[1:] == ("2025-03-03", "ERR News")
    estonia = rec.resolve(sample_ledger, "actors", "Estonia")
    ukraine = rec.resolve(sample_ledger, "actors", "Ukraine")
    assert rec.get(sample_ledger, "actors", estonia)["type"] == "country"
    package = q(
        "SELECT id, donor_id, recipient_id, value_eur, announced_on FROM packages WHERE name LIKE 'Estonian EUR%'"
    )
    package = package.fetchone()
    assert package[1:] == (estonia, ukraine, 100_000_000, "2025-03-03")
    items = q(
        "SELECT item, category, donor_id, recipient_id, announced_on FROM aid WHERE package_id = ? ORDER BY id",
        (package[0],),
    ).fetchall()
    assert items == [
        ("155mm artillery ammunition", "ammunition", estonia, ukraine, "2025-03-03"),
        ("Javelin anti-tank missiles", "anti-tank weapons", estonia, ukraine, "2025-03-03"),
    ]
    total = q("SELECT amount, qualifier, as_of, reported_by_id FROM totals WHERE subject_id = ?", (estonia,)).fetchone()
    ministry = rec.resolve(sample_ledger, "actors", "Estonian Ministry of Defence")
    assert total == (500_000_000, "over", "2025-03-03", ministry)
    assert rec.get(sample_ledger, "actors", ministry)["type"] == "organisation"
    event = q("SELECT id, type, date, package_id FROM events WHERE title LIKE 'Pevkur announces%'").fetchone()
    assert event[1:] == ("announcement", "2025-03-03", package[0])  # linked to the package it announced
    pevkur = rec.resolve(sample_ledger, "actors", "Hanno Pevkur")
    assert rec.get(sample_ledger, "actors", pevkur)["type"] == "person"
    assert rec.get(sample_ledger, "events", event[0])["participants"] == [
        {"target_id": pevkur, "role": "Minister of Defence"}
    ]
    for kind, rid in (("packages", package[0]), ("events", event[0]), ("totals", None)):
        if rid is not None:  # each record cites the article
            assert [s["target_id"] for s in rec.get(sample_ledger, kind, rid)["sources"]] == [source[0]]
    cited = q("SELECT count(*) FROM citations WHERE target_id = ?", (source[0],)).fetchone()[0]
    assert cited == 5  # the package, its two items, the total and the event
    assert keys < GOAL_KEYS, keys
