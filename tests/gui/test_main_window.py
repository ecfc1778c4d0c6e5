"""The main window driven as a user would: forms, cell edits, undo, delete, filters, sort, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from gui.dialogs.bulk import EditFieldDialog, MergeDialog, MoveReferencesDialog
from gui.dialogs.record_form import RecordForm
from gui.main_window import MainWindow
from gui.models.record_table import RecordTableModel
from gui.record_page import RecordPage
from gui.widgets.fields import ChoiceEditor, LineEditor, RefEditor
from gui.workers import runner
from storage import Ledger
from storage import records as rec
from storage.bulk import bulk_insert
from storage.query import Filters
from storage.search import search_ids
from storage.stats import counts
from tests.bench.synthetic import actors, aid_rows


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes would block a test: record what they said instead."""
    said: list[str] = []

    def record(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        said.append(str(args[2] if len(args) > 2 else kwargs))
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, record)
    return said


@pytest.fixture
def window(qtbot: QtBot, sample_ledger: Ledger) -> MainWindow:
    win = MainWindow(sample_ledger)
    qtbot.addWidget(win)
    win.show()
    win.show_kind("aid")
    return win


def aid_page(window: MainWindow) -> RecordPage:
    page = window.current_page()
    assert page is not None and page.kind.name == "aid"
    return page


def cell_text(page: RecordPage, row: int, field: str) -> str:
    return str(page.model.index(row, page.model.column_of(field)).data())


def test_sidebar_lists_every_kind_with_its_count(qtbot: QtBot, window: MainWindow, sample_ledger: Ledger) -> None:
    expected = counts(sample_ledger)

    def counted() -> None:
        texts = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
        assert f"Aid  ({expected['aid']:,})" in texts and f"Actors  ({expected['actors']:,})" in texts

    qtbot.waitUntil(counted)
    assert sample_ledger.path.name in window.windowTitle()
    # the sample's only values are Lithuania's own purchases: they are not its aid to others
    qtbot.waitUntil(lambda: "EUR 606,400,000 own procurement and sales" in window.total_label.text())
    assert window.total_label.text().startswith("aid to others: no known EUR value")
    assert "27 items without a value" in window.total_label.text()


def test_models_pass_the_model_tester(qtmodeltester: Any, sample_ledger: Ledger) -> None:
    for kind in ("aid", "actors", "events"):
        model = RecordTableModel(sample_ledger, kind, edit=lambda *a: None)
        model.refresh()
        qtmodeltester.check(model)
        model.sort(model.column_of("updated_at"), Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(model)
        every = model.rowCount()
        model.set_filters(Filters(search="NASAMS"))
        assert model.rowCount() < every
        qtmodeltester.check(model)


def test_the_model_passes_the_model_tester_after_filtering_paging_and_an_edit(
    qtbot: QtBot, qtmodeltester: Any, sample_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gui.models.record_table.MAX_PAGES", 2)  # pages are dropped and read again as it scrolls
    bulk_insert(sample_ledger, "aid", aid_rows(1_200, actors(sample_ledger)))
    win = MainWindow(sample_ledger)
    qtbot.addWidget(win)
    win.show()
    win.show_kind("aid")
    page = aid_page(win)
    model = page.model
    total = model.rowCount()
    assert total > 4 * 256
    qtmodeltester.check(model)  # Qt's own tester stays on the model and checks every signal that follows

    page.filter_bar.set_equal("category", "drones")
    qtbot.waitUntil(lambda: 0 < model.rowCount() < total)
    assert {cell_text(page, r, "category") for r in range(model.rowCount())} == {"Drones"}
    qtmodeltester.check(model)

    page.filter_bar.clear()
    qtbot.waitUntil(lambda: model.rowCount() == total)
    page.view.scrollToBottom()  # far past the first cached pages
    qtbot.waitUntil(lambda: page.view.rowAt(page.view.viewport().height() - 2) > total - 100)
    last = total - 1
    rid = model.record_id(last)
    assert cell_text(page, last, "item") == rec.get(sample_ledger, "aid", rid)["item"]
    qtmodeltester.check(model)

    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, _last, *roles: changed.append((first.row(), _last.row())))
    assert model.setData(model.index(last, model.column_of("item")), "Edited at the bottom")
    assert rec.get(sample_ledger, "aid", rid)["item"] == "Edited at the bottom"
    assert cell_text(page, last, "item") == "Edited at the bottom" and changed
    qtmodeltester.check(model)


def test_create_a_record_through_the_form_by_typing(qtbot: QtBot, window: MainWindow, sample_ledger: Ledger) -> None:
    form = window.new_record()
    assert isinstance(form, RecordForm)
    assert not form.save_button.isEnabled()  # nothing entered yet
    donor, recipient = form.editors["donor"], form.editors["recipient"]
    assert isinstance(donor, RefEditor) and isinstance(recipient, RefEditor)
    qtbot.keyClicks(donor.combo.lineEdit(), "Lithuania")
    qtbot.keyClicks(recipient.combo.lineEdit(), "ukraine")
    item = form.editors["item"]
    assert isinstance(item, LineEditor)
    qtbot.keyClicks(item.edit, "Mine detectors")
    category = form.editors["category"]
    assert isinstance(category, ChoiceEditor)
    category.combo.setFocus()
    qtbot.keyClicks(category.combo, "Demin")
    value = form.editors["value_eur"]
    assert isinstance(value, LineEditor)
    qtbot.keyClicks(value.edit, "2.4m")
    assert form.hints["value_eur"].text() == "= 2,400,000"
    date = form.editors["announced_on"]
    assert isinstance(date, LineEditor)
    qtbot.keyClicks(date.edit, "13 Aug 2024")
    assert form.save_button.isEnabled(), {k: v.text() for k, v in form.errors.items() if v.text()}
    qtbot.keyClick(date.edit, Qt.Key.Key_Return)  # Enter saves
    found = search_ids(sample_ledger, "aid", "mine detectors")
    assert len(found) == 1
    saved = rec.get(sample_ledger, "aid", found[0])
    assert saved["category"] == "demining" and saved["value_eur"] == 2_400_000
    assert saved["announced_on"] == "2024-08-13"
    page = aid_page(window)
    row = page.model.row_of(found[0])
    assert row is not None and cell_text(page, row, "item") == "Mine detectors"


def test_the_form_shows_why_a_value_is_wrong_and_keeps_save_disabled(qtbot: QtBot, window: MainWindow) -> None:
    page = aid_page(window)
    page.view.selectRow(0)
    form = page.open_current()
    assert form is not None and form.save_button.isEnabled()
    date = form.editors["announced_on"]
    assert isinstance(date, LineEditor)
    date.edit.clear()
    qtbot.keyClicks(date.edit, "31 Feb 2024")
    assert form.errors["announced_on"].isVisible()
    assert "does not exist" in form.errors["announced_on"].text()
    assert not form.save_button.isEnabled()


def test_escape_asks_only_when_something_changed(qtbot: QtBot, window: MainWindow) -> None:
    asked: list[bool] = []
    page = aid_page(window)
    page.view.selectRow(0)
    form = RecordForm(
        window.editor, "aid", page.selected_ids()[0], parent=window, ask=lambda parent: asked.append(True) or False
    )
    form.show()
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked == [] and not form.isVisible()  # unchanged: closes without asking
    form = RecordForm(
        window.editor, "aid", page.selected_ids()[0], parent=window, ask=lambda parent: asked.append(True) or False
    )
    form.show()
    item = form.editors["item"]
    assert isinstance(item, LineEditor)
    qtbot.keyClicks(item.edit, " changed")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked == [True] and form.isVisible()  # changed, and the user said keep editing


def _edit_cell(qtbot: QtBot, page: RecordPage, row: int, field: str, text: str) -> None:
    index = page.model.index(row, page.model.column_of(field))
    page.view.setCurrentIndex(index)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_F2)
    editors = [w for w in page.view.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, editors
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop, as Qt queues it.
    qtbot.waitUntil(lambda: page.view.state() != page.view.State.EditingState)


def test_edit_a_cell_then_undo_and_redo(qtbot: QtBot, window: MainWindow, sample_ledger: Ledger) -> None:
    page = aid_page(window)
    rid = page.model.record_id(0)
    before = rec.get(sample_ledger, "aid", rid)["item"]
    _edit_cell(qtbot, page, 0, "item", "Edited in the table")
    assert rec.get(sample_ledger, "aid", rid)["item"] == "Edited in the table"
    assert cell_text(page, 0, "item") == "Edited in the table"
    window.undo_action.trigger()
    assert rec.get(sample_ledger, "aid", rid)["item"] == before
    assert cell_text(page, 0, "item") == before
    window.redo_action.trigger()
    assert rec.get(sample_ledger, "aid", rid)["item"] == "Edited in the table"
    assert cell_text(page, 0, "item") == "Edited in the table"


def test_a_bad_cell_value_is_refused_with_a_message(
    qtbot: QtBot, window: MainWindow, sample_ledger: Ledger, no_blocking_boxes: list[str]
) -> None:
    page = aid_page(window)
    rid = page.model.record_id(0)
    _edit_cell(qtbot, page, 0, "announced_on", "31 Feb 2024")
    assert any("does not exist" in said for said in no_blocking_boxes)
    assert rec.get(sample_ledger, "aid", rid)["announced_on"] != "2024-02-31"
    assert not window.undo_action.isEnabled()


def test_delete_then_undo(qtbot: QtBot, window: MainWindow, sample_ledger: Ledger) -> None:
    page = aid_page(window)
    shown = page.model.rowCount()
    page.view.selectRow(2)
    rid = page.selected_ids()[0]
    window.delete_action.trigger()
    assert page.model.rowCount() == shown - 1 and page.model.row_of(rid) is None
    window.undo_action.trigger()
    assert page.model.rowCount() == shown and page.model.row_of(rid) is not None
    assert rec.get(sample_ledger, "aid", rid)["uid"]


def test_filter_by_search_and_pick_list_then_sort_by_clicking_a_header(qtbot: QtBot, window: MainWindow) -> None:
    page = aid_page(window)
    all_rows = page.model.rowCount()
    qtbot.keyClicks(page.filter_bar.search, "nasams")
    qtbot.waitUntil(lambda: page.model.rowCount() < all_rows)
    assert all("NASAMS" in cell_text(page, r, "item") for r in range(page.model.rowCount()))
    page.filter_bar.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == all_rows)
    page.filter_bar.set_equal("category", "air defence")
    assert {cell_text(page, r, "category") for r in range(page.model.rowCount())} == {"Air defence"}
    page.filter_bar.clear()
    column = page.model.column_of("item")
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().center().__class__(x, 5))
    items = [cell_text(page, r, "item") for r in range(page.model.rowCount())]
    assert items == sorted(items) or items == sorted(items, reverse=True)
    assert page.model.order[0][0] == "item"
    assert window.shown_label.text().startswith(f"{all_rows} aid items shown")


def test_column_settings_and_geometry_come_back_in_a_second_window(
    qtbot: QtBot, window: MainWindow, sample_ledger: Ledger
) -> None:
    page = aid_page(window)
    notes, item = page.model.column_of("notes"), page.model.column_of("item")
    page.view.setColumnHidden(notes, True)
    page.view.horizontalHeader().resizeSection(item, 333)
    window.resize(700, 500)  # within the offscreen screen, so restoreGeometry keeps it as is
    size = window.size()
    window.close()
    second = MainWindow(sample_ledger)
    qtbot.addWidget(second)
    second.show()
    again = aid_page(second)
    assert again.view.isColumnHidden(notes)
    assert again.view.horizontalHeader().sectionSize(item) == 333
    assert second.size() == size


def test_paste_a_column_from_excel_is_validated_and_one_undo_step(
    qtbot: QtBot, window: MainWindow, sample_ledger: Ledger, no_blocking_boxes: list[str]
) -> None:
    page = aid_page(window)
    col = page.model.column_of("value_eur")
    page.view.setCurrentIndex(page.model.index(0, col))
    ids = [page.model.record_id(r) for r in range(3)]
    assert page.paste("1 000\n2.5m\nEUR 3 million\n")
    assert [rec.get(sample_ledger, "aid", i)["value_eur"] for i in ids] == [1000, 2_500_000, 3_000_000]
    window.undo_action.trigger()
    assert [rec.get(sample_ledger, "aid", i)["value_eur"] for i in ids] == [None, None, None]
    assert not page.paste("5\nlots\n")  # a bad value: nothing at all is pasted
    assert rec.get(sample_ledger, "aid", ids[0])["value_eur"] is None
    assert any("lots" in said for said in no_blocking_boxes)


def test_copy_gives_tab_separated_text(window: MainWindow) -> None:
    page = aid_page(window)
    model = page.model
    first, last = model.index(0, model.column_of("donor")), model.index(1, model.column_of("recipient"))
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    page.view.selectionModel().select(QItemSelection(first, last), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert page.copy_selection().splitlines()[0] == "Lithuania\tUkraine"
    assert QApplication.clipboard().text().startswith("Lithuania\tUkraine")


def test_edit_one_field_of_many_rows(window: MainWindow, sample_ledger: Ledger) -> None:
    page = aid_page(window)
    page.view.selectRow(0)
    from PySide6.QtCore import QItemSelectionModel

    for row in (1, 2):
        page.view.selectionModel().select(
            page.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    ids = page.selected_ids()
    dialog = page.edit_field_of_selected()
    assert isinstance(dialog, EditFieldDialog)
    dialog.select_field("status")
    editor = dialog.value_editor
    assert isinstance(editor, ChoiceEditor)
    editor.set_stored("delivered")
    assert dialog.apply()
    assert {rec.get(sample_ledger, "aid", i)["status"] for i in ids} == {"delivered"}
    window.undo_action.trigger()
    assert {rec.get(sample_ledger, "aid", i)["status"] for i in ids} != {"delivered"}


def test_merge_two_actors_and_undo(window: MainWindow, sample_ledger: Ledger) -> None:
    window.show_kind("actors")
    page = window.current_page()
    assert page is not None
    keep = rec.resolve(sample_ledger, "actors", "Volodymyr Zelensky")
    dup = rec.insert(sample_ledger, "actors", {"name": "Volodymyr Zelenskyi", "type": "person"})
    page.model.refresh()
    dialog = MergeDialog(window.editor, "actors", keep, dup, page)
    assert dialog.apply()
    assert "Volodymyr Zelenskyi" in (rec.get(sample_ledger, "actors", keep)["aliases"] or "")
    window.undo_action.trigger()
    assert rec.get(sample_ledger, "actors", dup)["name"] == "Volodymyr Zelenskyi"


def test_an_actor_in_use_is_deleted_only_by_moving_its_references(
    qtbot: QtBot, window: MainWindow, sample_ledger: Ledger
) -> None:
    window.show_kind("actors")
    page = window.current_page()
    assert page is not None
    umerov = rec.resolve(sample_ledger, "actors", "Rustem Umerov")
    assert rec.references_to(sample_ledger, "actors", umerov)
    page.select_record(umerov)
    window.delete_action.trigger()
    dialog = next(w for w in page.findChildren(MoveReferencesDialog))
    assert "still used by" in dialog.findChildren(type(dialog.error))[0].text()
    assert not dialog.apply()  # no target picked: nothing happens
    dialog.target.setEditText("Oleksandr Kamyshin")
    assert dialog.apply()
    with pytest.raises(Exception, match="no longer exists"):
        rec.get(sample_ledger, "actors", umerov)
    assert "Umerov" not in (
        rec.get(sample_ledger, "actors", "Oleksandr Kamyshin" and rec.resolve(sample_ledger, "actors", "Kamyshin"))[
            "aliases"
        ]
        or ""
    )
    window.undo_action.trigger()
    assert rec.get(sample_ledger, "actors", umerov)["name"] == "Rustem Umerov"
    assert rec.references_to(sample_ledger, "actors", umerov)


def test_duplicate_an_item_into_the_same_package(qtbot: QtBot, window: MainWindow, sample_ledger: Ledger) -> None:
    page = aid_page(window)
    nasams = search_ids(sample_ledger, "aid", "NASAMS launchers")[0]
    page.select_record(nasams)
    form = page.duplicate_current()
    assert form is not None and form.rid is None
    item = form.editors["item"]
    assert isinstance(item, LineEditor)
    item.edit.setText("Spare NASAMS launcher parts")
    item.edited.emit()
    form.save()
    copy = search_ids(sample_ledger, "aid", "spare launcher parts")[0]
    assert rec.get(sample_ledger, "aid", copy)["package"] == rec.get(sample_ledger, "aid", nasams)["package"]
    assert rec.get(sample_ledger, "aid", copy)["uid"] != rec.get(sample_ledger, "aid", nasams)["uid"]


def test_an_empty_database_says_what_to_do_next(qtbot: QtBot, tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "empty.db") as ledger:
        win = MainWindow(ledger)
        qtbot.addWidget(win)
        win.show()
        assert win.stack.currentWidget() is win.empty
        qtbot.mouseClick(win.empty.sample_button, Qt.MouseButton.LeftButton)
        assert counts(ledger)["aid"] > 0
        assert win.stack.currentWidget() is not win.empty
        win.undo_action.trigger()  # loading the sample is one step too
        assert counts(ledger)["aid"] == 0
        assert win.stack.currentWidget() is win.empty
        win.close()
        qtbot.waitUntil(lambda: not runner().busy)  # no job still reads the file when it closes


def test_a_package_shows_and_edits_its_items_together(qtbot: QtBot, window: MainWindow, sample_ledger: Ledger) -> None:
    package = rec.resolve(sample_ledger, "packages", "NASAMS handover of 10 November 2023")
    window.show_kind("packages")
    page = window.current_page()
    assert page is not None
    form = page.open_record(package)
    items = form.package_items
    assert items is not None
    in_package = {items.model.record_id(r) for r in range(items.model.rowCount())}
    expected = {r["id"] for r in sample_ledger.db["aid"].rows_where("package_id = ?", [package])}
    assert in_package == expected and len(expected) >= 2
    first = items.model.record_id(0)
    index = items.model.index(0, items.model.column_of("status"))
    assert items.model.setData(index, "cancelled")  # edited in place, through the same undo
    assert rec.get(sample_ledger, "aid", first)["status"] == "cancelled"
    items.view.setCurrentIndex(index)
    copy_form = items.duplicate_item()
    assert copy_form.editors["package"].raw_value() == package
    window.undo_action.trigger()
    assert rec.get(sample_ledger, "aid", first)["status"] != "cancelled"


def test_big_tables_sort_off_the_ui_thread_and_cancel_keeps_the_old_order(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gui.models.record_table.BACKGROUND_ROWS", 5)  # the sample counts as big here
    page = aid_page(window)
    model = page.model
    before = [model.record_id(r) for r in range(model.rowCount())]
    column = model.column_of("item")
    page.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert model.busy and window.cancel_button.isVisible()
    window.cancel_button.click()
    assert not model.busy and not window.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not runner().busy)  # the cancelled query has ended, and its order was not taken
    assert [model.record_id(r) for r in range(model.rowCount())] == before
    assert page.view.horizontalHeader().sortIndicatorSection() != column
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        page.view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    items = [cell_text(page, r, "item") for r in range(model.rowCount())]
    assert items == sorted(items, key=lambda t: t) and model.order[0] == ("item", True)


def test_renaming_an_actor_repaints_the_aid_table_without_querying_it_again(
    qtbot: QtBot, window: MainWindow, sample_ledger: Ledger
) -> None:
    page = aid_page(window)
    requeried: list[bool] = []
    page.model.refreshed.connect(lambda: requeried.append(True))
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    window.editor.update("actors", lithuania, {"name": "Republic of Lithuania"})
    assert cell_text(page, 0, "donor") == "Republic of Lithuania"  # the names it shows are read again
    assert requeried == []  # but its million ids, were there a million, are not
    window.editor.insert("aid", {"donor": lithuania, "recipient": "Ukraine", "item": "One more"})
    assert requeried == [True]  # a record added: now the ids change


def test_clearing_a_search_on_a_big_kind_requeries_off_the_ui_thread(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once decided by the rows shown: from 1 row back to a million ran on the UI thread, with no Cancel."""
    monkeypatch.setattr("gui.models.record_table.BACKGROUND_ROWS", 5)  # the sample's aid records count as big here
    page = aid_page(window)
    model = page.model
    everything = model.rowCount()
    assert everything > 5
    qtbot.keyClicks(page.filter_bar.search, "Druskininkai")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    seen: list[tuple[bool, bool]] = []
    model.busy_changed.connect(lambda busy: seen.append((busy, window.cancel_button.isVisible())))
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        page.filter_bar.search.clear()
    assert seen == [(True, True), (False, False)]  # in the background, with Cancel shown meanwhile
    assert model.rowCount() == everything
