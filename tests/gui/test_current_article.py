"""One article, many records: the source chosen as the current article is cited by every new record, with its date."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import QuoteDialog
from gui.main_window import MainWindow
from gui.widgets.fields import LineEditor, LinksEditor
from storage import Ledger
from storage import records as rec


def _window(qtbot: QtBot, ledger: Ledger) -> MainWindow:
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    return window


def test_new_records_cite_the_chosen_article_and_take_its_date(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = _window(qtbot, sample_ledger)
    sid, title, published = sample_ledger.conn.execute(
        "SELECT id, title, published_on FROM sources WHERE published_on IS NOT NULL ORDER BY id LIMIT 1"
    ).fetchone()
    window.show_kind("sources")
    page = window.current_page()
    assert page is not None
    qtbot.waitUntil(lambda: page.model.row_of(sid) is not None)
    page.select_record(sid)
    window.cite_action.trigger()
    assert window.article_label.isVisible() and window.article_label.text().startswith("Citing: ")
    assert title[:20] in window.article_label.text()

    for kind, date_field in (("aid", "announced_on"), ("totals", "as_of"), ("events", "date")):
        window.show_kind(kind)
        form = window.new_record()
        assert form is not None
        sources = form.editors["sources"]
        assert isinstance(sources, LinksEditor)
        assert [link["target"] for link in sources.raw_value()] == [sid]
        date = form.editors[date_field]
        assert isinstance(date, LineEditor) and date.raw_value() not in (None, "")
        assert rec.clean_record(sample_ledger, kind, {date_field: date.raw_value()})[0][date_field] == published
        assert not form.is_dirty()  # what the article gives is where a new record starts
        form.reject()

    window.stop_citing_action.trigger()
    assert not window.article_label.isVisible()
    window.show_kind("aid")
    form = window.new_record()
    assert form is not None
    assert form.editors["sources"].raw_value() == []
    form.reject()


def test_a_source_created_becomes_the_current_article(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = _window(qtbot, sample_ledger)
    window.show_kind("sources")
    form = window.new_record()
    assert form is not None
    title = form.editors["title"]
    assert isinstance(title, LineEditor)
    title.edit.setText("Estonia sends a EUR 100 million package")
    form.editors["published_on"].edit.setText("3 Mar 2025")  # type: ignore[attr-defined]
    form.validate()
    form.save()
    assert window.editor.current_source == form.rid
    assert "Estonia sends" in window.article_label.text() and "3 Mar 2025" in window.article_label.text()


def test_a_quote_is_taken_from_the_articles_kept_text_by_selecting_it(
    qtbot: QtBot, sample_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = rec.insert(
        sample_ledger,
        "sources",
        {
            "title": "Estonia's package",
            "full_text": "Pevkur said Estonia will send\nJavelin missiles worth EUR 100 million.",
        },
    )
    window = _window(qtbot, sample_ledger)
    window.editor.set_current_source(sid)
    window.show_kind("aid")
    form = window.new_record()
    assert form is not None

    def select_and_accept(dialog: QuoteDialog) -> int:
        cursor = dialog.text.textCursor()
        start = dialog.text.toPlainText().index("Javelin")
        cursor.setPosition(start - len("send\n"))
        cursor.setPosition(start + len("Javelin missiles"), QTextCursor.MoveMode.KeepAnchor)
        dialog.text.setTextCursor(cursor)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(QuoteDialog, "exec", select_and_accept)
    form.quote_button.click()
    assert form.editors["sources"].raw_value() == [{"target": sid, "quote": "send Javelin missiles"}]
    form.reject()
