"""File > New from article, driven as a user would: paste seed 003, read it, look at the evidence, accept, undo."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from gui.dialogs.article import ArticleDialog
from gui.dialogs.record_form import RecordForm
from gui.main_window import MainWindow
from gui.widgets.article_text import SELECTED_SHADE, SENTENCE_SHADE, SPAN_SHADE
from importers.article import Draft
from storage import Ledger
from storage import records as rec
from storage.sample import load_sample, sample_data
from storage.stats import counts

SEED_TITLE = "[Lithuanian delegation meets Minister Umerov"


def seed_003() -> str:
    """Seed 003's text, as the sample keeps it: the source's full text."""
    source = next(s for s in sample_data()["sources"] if str(s["title"]).startswith(SEED_TITLE))
    return str(source["full_text"])


def open_dialog(qtbot: QtBot, window: MainWindow) -> ArticleDialog:
    """Ctrl+Shift+N in the main window, and the dialog it opens."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.findChild(ArticleDialog) is not None)
    dialog = window.findChild(ArticleDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def paste_and_read(qtbot: QtBot, dialog: ArticleDialog) -> None:
    """Paste the article into the empty text (Ctrl+V) and read it (Ctrl+Return), until the drafts are all there."""
    assert dialog.text.toPlainText() == ""
    QGuiApplication.clipboard().setText(seed_003())
    dialog.text.setFocus()
    qtbot.keyClick(dialog.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.extraction is not None, timeout=10000)


def total_641(dialog: ArticleDialog) -> Draft:
    return next(d for d in dialog.drafts if d.kind == "totals" and d.fields.get("amount") == 641_000_000)


def select(qtbot: QtBot, dialog: ArticleDialog, d: Draft) -> None:
    """Walk the list with the Down key to the draft, as a keyboard user would."""
    dialog.draft_list.setFocus()
    for _ in range(200):
        if dialog.current_draft() is d:
            return
        qtbot.keyClick(dialog.draft_list, Qt.Key.Key_Down)
    raise AssertionError(f"{d} not reached")


def shades_at(dialog: ArticleDialog, position: int) -> list[Any]:
    """The background colours the extra selections give the character at ``position``."""
    return [
        s.format.background().color()
        for s in dialog.text.extraSelections()
        if s.cursor.selectionStart() <= position < s.cursor.selectionEnd()
    ]


@pytest.fixture
def empty_window(qtbot: QtBot, ledger: Ledger) -> MainWindow:
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    return window


def test_ctrl_shift_n_opens_it_and_reading_fills_the_drafts(qtbot: QtBot, empty_window: MainWindow) -> None:
    dialog = open_dialog(qtbot, empty_window)
    assert dialog.windowTitle() == "New from article"
    paste_and_read(qtbot, dialog)
    total = total_641(dialog)
    assert total.fields["qualifier"] == "over" and total.fields["currency"] == "EUR"
    item = dialog._item_of(dialog.drafts.index(total))
    assert item is not None and "over EUR 641 million" in item.text(1)
    assert item.checkState(0) == Qt.CheckState.Checked  # 0.85: sure enough to start checked
    assert "guessed" in item.text(3) and "as of" in item.toolTip(3).lower()  # the date is the article's own
    weak = next(d for d in dialog.drafts if d.confidence < 0.8)
    weak_item = dialog._item_of(dialog.drafts.index(weak))
    assert weak_item is not None and weak_item.checkState(0) == Qt.CheckState.Unchecked
    assert dialog.text.isReadOnly()


def test_selecting_a_draft_and_a_field_shows_where_they_came_from(qtbot: QtBot, empty_window: MainWindow) -> None:
    dialog = open_dialog(qtbot, empty_window)
    paste_and_read(qtbot, dialog)
    total = total_641(dialog)
    start, end = total.sentence
    first_sentence = min(d.sentence[0] for d in dialog.drafts)
    assert SELECTED_SHADE not in shades_at(dialog, start)
    select(qtbot, dialog, total)
    assert SELECTED_SHADE in shades_at(dialog, start) and SELECTED_SHADE in shades_at(dialog, end - 1)
    assert SELECTED_SHADE not in shades_at(dialog, first_sentence)  # another draft's sentence: the pale shade
    assert SENTENCE_SHADE in shades_at(dialog, first_sentence)
    assert dialog.text.textCursor().position() in range(start, end + 1)  # scrolled to it
    labels = [dialog.field_list.topLevelItem(i).text(0) for i in range(dialog.field_list.topLevelItemCount())]
    assert "As of (guessed)" in labels
    assert "article's date" in dialog.notes.text()
    amount_row = next(
        dialog.field_list.topLevelItem(i)
        for i in range(dialog.field_list.topLevelItemCount())
        if dialog.field_list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1) == "amount"
    )
    dialog.field_list.setFocus()
    dialog.field_list.setCurrentItem(amount_row)
    a, b = total.spans["amount"]
    assert "641 million" in seed_003()[a:b]
    assert SPAN_SHADE in shades_at(dialog, a) and SPAN_SHADE not in shades_at(dialog, start)


def test_keys_check_uncheck_and_accept_all_is_one_undo_step(qtbot: QtBot, empty_window: MainWindow) -> None:
    ledger = empty_window.ledger
    dialog = open_dialog(qtbot, empty_window)
    paste_and_read(qtbot, dialog)
    total = total_641(dialog)
    select(qtbot, dialog, total)
    qtbot.keyClick(dialog.draft_list, Qt.Key.Key_Delete)
    assert total not in dialog.checked_drafts()
    qtbot.keyClick(dialog.draft_list, Qt.Key.Key_Space)
    assert total in dialog.checked_drafts()
    before = counts(ledger)
    with qtbot.waitSignal(dialog.drafts_added):  # Alt+A: Accept &all, clicked as the button shows it pressed
        qtbot.keyClick(dialog.draft_list, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    after = counts(ledger)
    assert after["totals"] == before["totals"] + 2, dialog.status.text()
    assert after["aid"] > before["aid"] and after["sources"] == 1
    assert "Ctrl+Z" in dialog.status.text() and "Added" in empty_window.statusBar().currentMessage()
    assert not dialog.checked_drafts() and not dialog.accept_all_button.isEnabled()
    dialog.close()
    empty_window.activateWindow()
    qtbot.waitUntil(empty_window.isActiveWindow)
    qtbot.keyClick(empty_window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert counts(ledger) == before


@pytest.fixture
def sample_window(qtbot: QtBot, ledger: Ledger) -> MainWindow:
    load_sample(ledger)
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    return window


def test_seed_003_read_again_is_marked_as_recorded_and_adds_nothing(qtbot: QtBot, sample_window: MainWindow) -> None:
    ledger = sample_window.ledger
    dialog = open_dialog(qtbot, sample_window)
    paste_and_read(qtbot, dialog)
    assert "already a source" in dialog.article_label.text()
    total = total_641(dialog)
    assert total.duplicate_of is not None
    item = dialog._item_of(dialog.drafts.index(total))
    assert item is not None and "recorded" in item.text(3)
    assert "adds this article as a source" in item.toolTip(3)
    select(qtbot, dialog, total)
    assert "Already recorded" in dialog.notes.text() and "cites this article already" in dialog.notes.text()
    before = counts(ledger)
    cited_before = rec.get(ledger, "totals", total.duplicate_of)["sources"]
    for d in dialog.drafts:  # only this one
        other = dialog._item_of(dialog.drafts.index(d))
        assert other is not None
        other.setCheckState(0, Qt.CheckState.Checked if d is total else Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.accept_checked_button, Qt.MouseButton.LeftButton)
    assert counts(ledger) == before  # no second total, no second copy of the article
    assert rec.get(ledger, "totals", total.duplicate_of)["sources"] == cited_before  # it cites this article already


def test_a_total_already_recorded_gains_a_citation_not_a_copy(qtbot: QtBot, sample_window: MainWindow) -> None:
    """Seed 003's last paragraph, pasted as an article of its own: its total is the one seed 003 gave."""
    ledger = sample_window.ledger
    dialog = open_dialog(qtbot, sample_window)
    paragraph = next(p for p in seed_003().split("\n") if "641 million" in p)
    dialog.text.setPlainText(paragraph)
    qtbot.keyClicks(dialog.published, "16 Aug 2024")
    qtbot.keyClick(dialog.published, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.extraction is not None, timeout=10000)
    assert dialog.extraction is not None and dialog.extraction.source.duplicate_of is None  # a new article
    total = total_641(dialog)
    assert total.duplicate_of is not None
    cited_before = len(rec.get(ledger, "totals", total.duplicate_of)["sources"])
    totals_before = counts(ledger)["totals"]
    for d in dialog.drafts:
        other = dialog._item_of(dialog.drafts.index(d))
        assert other is not None
        other.setCheckState(0, Qt.CheckState.Checked if d is total else Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.accept_checked_button, Qt.MouseButton.LeftButton)
    assert counts(ledger)["totals"] == totals_before
    cited = rec.get(ledger, "totals", total.duplicate_of)["sources"]
    assert len(cited) == cited_before + 1 and "641 million" in str(cited[-1]["quote"]), dialog.status.text()
    assert "cited it in 1 record" in dialog.status.text()


def test_enter_opens_the_draft_in_the_record_form_and_saving_adds_it(qtbot: QtBot, empty_window: MainWindow) -> None:
    ledger = empty_window.ledger
    dialog = open_dialog(qtbot, empty_window)
    paste_and_read(qtbot, dialog)
    drones = next(d for d in dialog.drafts if d.fields.get("item") == "Maritime drones")
    select(qtbot, dialog, drones)
    qtbot.keyClick(dialog.draft_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.findChild(RecordForm) is not None)
    form = dialog.findChild(RecordForm)
    assert form is not None and form.isVisible()
    assert form.editors["item"].raw_value() == "Maritime drones"
    # the article and the names the draft gives are recorded first, as accepting would: the form is ready to save
    lithuania = rec.find_ids(ledger, "actors", "Lithuania")
    assert form.editors["donor"].raw_value() == lithuania[0]
    assert counts(ledger)["sources"] == 1
    assert form.validate(), form.status.text()
    form.save()
    assert counts(ledger)["aid"] == 1
    item = dialog._item_of(dialog.drafts.index(drones))
    assert item is not None and "added as #" in item.text(3)
    assert drones not in dialog.checked_drafts()
