"""References a user can make where they stand: "Create 'Estonia'…", fields that offer their own type, best first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gui.dialogs.record_form import RecordForm
from gui.editing import Editor
from gui.main_window import MainWindow
from gui.widgets.fields import IdRole, RefCombo, RefEditor
from storage import Ledger
from storage import records as rec
from tests.gui.forms import take_offer


def _combo(form: RecordForm, name: str) -> RefCombo:
    editor = form.editors[name]
    assert isinstance(editor, RefEditor)
    return editor.combo


def _offered(combo: RefCombo) -> list[str]:
    model = combo.completer_.offered
    return [model.item(row).text() for row in range(model.rowCount())]


def test_a_country_typed_in_donor_is_created_from_the_completer(qtbot: QtBot, sample_ledger: Ledger) -> None:
    editor = Editor(sample_ledger)
    form = RecordForm(editor, "aid", None)
    qtbot.addWidget(form)
    form.show()
    donor = _combo(form, "donor")
    line = donor.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Estonia")
    assert _offered(donor)[-1] == "Create country 'Estonia'…"
    take_offer(qtbot, donor)  # the only offer, and so the current one
    made = rec.find_ids(sample_ledger, "actors", "Estonia")
    assert len(made) == 1
    assert rec.get(sample_ledger, "actors", made[0])["type"] == "country"
    assert donor.raw_value() == made[0] and line.text() == "Estonia"
    assert not form.errors["donor"].isVisible() and "fix" not in form.status.text()  # checked again at once
    assert editor.undo_stack.undoText() == "add actor"
    qtbot.keyClicks(line, "x")  # a name that is there already is not offered to be made again
    line.clear()
    qtbot.keyClicks(line, "estonia")
    assert not any(text.startswith("Create") for text in _offered(donor))


def test_the_country_field_offers_countries_only(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = RecordForm(Editor(sample_ledger), "actors", None)
    qtbot.addWidget(form)
    country = _combo(form, "country")
    offered = {country.itemText(row) for row in range(country.count())}
    assert "Lithuania" in offered and "Ukraine" in offered
    people = {r[0] for r in sample_ledger.conn.execute("SELECT name FROM actors WHERE type = 'person'")}
    assert people and not offered & people


def test_a_name_that_starts_so_comes_before_longer_names(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = RecordForm(Editor(sample_ledger), "aid", None)
    qtbot.addWidget(form)
    form.show()
    recipient = _combo(form, "recipient")
    line = recipient.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Ukr")
    offered = _offered(recipient)
    assert offered.index("Ukraine") < offered.index("Armed Forces of Ukraine")
    assert offered[0] == "Ukraine"
    first = recipient.completer_.offered.item(0)
    assert first.data(IdRole) == rec.resolve(sample_ledger, "actors", "Ukraine")
    take_offer(qtbot, recipient)  # Enter takes the best offer
    assert recipient.raw_value() == rec.resolve(sample_ledger, "actors", "Ukraine")


def test_a_table_cell_makes_the_record_it_names_too(qtbot: QtBot, sample_ledger: Ledger) -> None:
    window = MainWindow(sample_ledger)
    qtbot.addWidget(window)
    window.show()
    window.show_kind("aid")
    page = window.current_page()
    assert page is not None
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    index = page.model.index(0, page.model.column_of("donor"))
    rid = page.model.record_id(0)
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    qtbot.waitUntil(lambda: page.view.findChild(RefCombo) is not None)
    combo = page.view.findChild(RefCombo)
    assert isinstance(combo, RefCombo)
    line = combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, "Latvia")
    take_offer(qtbot, combo)
    qtbot.keyClick(line, Qt.Key.Key_Return)  # the cell's edit is done
    latvia = rec.find_ids(sample_ledger, "actors", "Latvia")
    assert len(latvia) == 1
    qtbot.waitUntil(lambda: rec.get(sample_ledger, "aid", rid)["donor"] == latvia[0])


def test_a_stored_reference_the_field_does_not_offer_still_shows_and_stays(qtbot: QtBot, sample_ledger: Ledger) -> None:
    ministry = rec.insert(sample_ledger, "actors", {"name": "Estonian Ministry of Defence", "type": "organisation"})
    person = rec.insert(sample_ledger, "actors", {"name": "Hanno Pevkur", "type": "person", "country": ministry})
    form = RecordForm(Editor(sample_ledger), "actors", person)
    qtbot.addWidget(form)
    country = _combo(form, "country")  # offers countries only, but this one points to an organisation
    assert country.currentText() == "Estonian Ministry of Defence" and country.raw_value() == ministry
    form.save()
    assert rec.get(sample_ledger, "actors", person)["country"] == ministry  # saving did not erase it


def test_a_web_address_typed_in_a_source_link_makes_a_source_with_that_url(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = RecordForm(Editor(sample_ledger), "aid", None)
    qtbot.addWidget(form)
    form.show()
    links = form.editors["sources"]
    combo = links.add_row()  # type: ignore[attr-defined]
    line = combo.lineEdit()
    qtbot.keyClicks(line, "https://www.err.ee/1609999/estonia-package")
    take_offer(qtbot, combo)
    made = sample_ledger.conn.execute("SELECT title, url FROM sources WHERE url LIKE '%estonia-package'").fetchone()
    assert made == ("www.err.ee: estonia-package", "https://www.err.ee/1609999/estonia-package")


def test_a_name_made_in_one_picker_is_offered_by_the_others(qtbot: QtBot, sample_ledger: Ledger) -> None:
    form = RecordForm(Editor(sample_ledger), "totals", None)
    qtbot.addWidget(form)
    form.show()
    subject, reporter = _combo(form, "subject"), _combo(form, "reported_by")
    line = subject.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "Latvia")
    take_offer(qtbot, subject)
    latvia = rec.resolve(sample_ledger, "actors", "Latvia")
    other = reporter.lineEdit()
    assert other is not None
    qtbot.keyClicks(other, "Latvia")
    assert _offered(reporter)[0] == "Latvia" and not any(t.startswith("Create") for t in _offered(reporter))
    assert reporter.completer_.offered.item(0).data(IdRole) == latvia
