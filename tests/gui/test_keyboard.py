"""Keyboard paths of issue 14: from the search box to a record; a wheel that never changes a field not clicked."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.main_window import MainWindow
from gui.widgets.fields import ChoiceEditor, RefEditor
from storage import Ledger
from storage import records as rec
from tests.gui.forms import open_form


def _aid_window(qtbot: QtBot, ledger: Ledger) -> MainWindow:
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus is the active window's
    window.show_kind("aid")
    page = window.current_page()
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return window


def _forms(page: QWidget) -> list[RecordForm]:
    return [form for form in page.findChildren(RecordForm) if form.isVisible()]  # a record's form is the page's


def test_search_then_down_then_enter_opens_the_record(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = _aid_window(qtbot, sample_ledger)
    page = window.current_page()
    assert page is not None
    search = page.filter_bar.search
    search.setFocus()
    qtbot.keyClicks(search, "NASAMS necessary")
    qtbot.keyClick(search, Qt.Key.Key_Return)  # searches now, and goes to the results
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.view.hasFocus() and page.view.currentIndex().row() == 0
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    forms = _forms(page)
    assert len(forms) == 1 and "NASAMS launchers and necessary" in forms[0].editors["item"].raw_value()


def test_down_goes_to_the_results_and_ctrl_e_opens_from_the_search_box(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = _aid_window(qtbot, sample_ledger)
    page = window.current_page()
    assert page is not None
    search = page.filter_bar.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert page.view.hasFocus() and page.view.currentIndex().isValid()
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClick(search, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(_forms(page)) == 1


def test_the_wheel_scrolls_the_form_and_changes_no_field_not_clicked(qtbot: QtBot, sample_ledger: Ledger) -> None:
    rid = sample_ledger.conn.execute("SELECT min(id) FROM aid").fetchone()[0]
    form = open_form(qtbot, sample_ledger, "aid", rid)
    donor, category = form.editors["donor"], form.editors["category"]
    assert isinstance(donor, RefEditor) and isinstance(category, ChoiceEditor)
    before = (donor.raw_value(), category.raw_value())
    for combo in (donor.combo, category.combo):
        centre = QPointF(combo.rect().center())
        wheel = QWheelEvent(
            centre,
            combo.mapToGlobal(centre),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(combo, wheel)
    assert (donor.raw_value(), category.raw_value()) == before
    category.combo.setFocus()  # clicked or tabbed to: then the wheel is the user's way to change it
    qtbot.waitUntil(category.combo.hasFocus)
    centre = QPointF(category.combo.rect().center())
    QApplication.sendEvent(
        category.combo,
        QWheelEvent(
            centre,
            category.combo.mapToGlobal(centre),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )
    assert category.raw_value() != before[1]


def test_a_record_saved_under_a_search_that_hides_it_is_said_so(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = _aid_window(qtbot, sample_ledger)
    page = window.current_page()
    assert page is not None
    page.filter_bar.search.setText("NASAMS")
    page.filter_bar.apply_now()
    qtbot.waitUntil(lambda: 0 < page.model.rowCount() < 10)
    form = window.new_record()
    lithuania = rec.resolve(sample_ledger, "actors", "Lithuania")
    ukraine = rec.resolve(sample_ledger, "actors", "Ukraine")
    for name, value in (("donor", lithuania), ("recipient", ukraine)):
        form.editors[name].set_stored(value)
    form.editors["item"].edit.setText("Field generators")
    form.validate()
    form.save()
    assert "Field generators" in window.statusBar().currentMessage()
    assert "hide it" in window.statusBar().currentMessage()
