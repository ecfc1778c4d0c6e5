"""CSV files as Excel and others really write them, made byte by byte: each read whole, or refused with its line.

The forms: Excel's "CSV UTF-8" (a UTF-8 BOM, CRLF, line breaks inside quoted cells as LF), its "Unicode Text"
(UTF-16LE with a BOM, TAB between cells, CRLF), its plain "CSV" (Windows-1252; with a European list separator, ";"),
its old Mac "CSV" (MacRoman, CR alone ends a line), and Aid Ledger's own CSV export.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import importers
from exporters import csv_export
from importers.reading import UnreadableFile, read
from storage import Ledger
from storage import records as rec


@pytest.fixture
def countries(ledger: Ledger) -> Ledger:
    for name in ("Lithuania", "Ukraine"):
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    return ledger


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _items(ledger: Ledger) -> dict[str, str | None]:
    return {r["item"]: r["notes"] for r in ledger.db["aid"].rows}


def test_a_cell_longer_than_the_csv_modules_limit_is_read_whole(countries: Ledger, tmp_path: Path) -> None:
    notes = "Delivered in parts. " * 10_000 + "End."  # 200,004 characters: over the csv module's 131,072
    data = f'Donor,Recipient,Item,Notes\r\nLithuania,Ukraine,Fuel,"{notes}"\r\nLithuania,Ukraine,Boots,\r\n'
    plan, done = importers.run(countries, _file(tmp_path, "long.csv", data.encode()))
    assert done["added"] == 2, [i.message for i in plan.issues]
    assert _items(countries)["Fuel"] == notes


def test_classic_mac_line_ends_and_macroman(countries: Ledger, tmp_path: Path) -> None:
    # Excel for Mac's "Comma Separated Values": MacRoman ("é" is the byte 0x8E) and a lone CR after every row; a
    # line break typed in a cell stays LF, inside quotes.
    text = 'Donor,Recipient,Item,Notes\rLithuania,Ukraine,Café tents,"two\nlines"\rLithuania,Ukraine,Boots,\r'
    path = _file(tmp_path, "mac.csv", text.encode("mac_roman"))
    assert b"\n" not in path.read_bytes().replace(b"two\nlines", b"") and b"\x8e" in path.read_bytes()
    plan, done = importers.run(countries, path)
    assert done["added"] == 2, [i.message for i in plan.issues]
    assert _items(countries) == {"Café tents": "two\nlines", "Boots": None}


def test_a_stray_cr_inside_a_line_stays_in_its_cell(tmp_path: Path) -> None:
    # CRLF rows; one cell holds a lone CR (pasted from an old Mac text), one row ends CR CR LF.
    data = b"Donor,Recipient,Item,Notes\r\nLithuania,Ukraine,Fuel,first\rsecond\r\nLithuania,Ukraine,Boots,x\r\r\n"
    rows = read(_file(tmp_path, "stray.csv", data))[0].rows
    assert rows == [
        ["Donor", "Recipient", "Item", "Notes"],
        ["Lithuania", "Ukraine", "Fuel", "first\rsecond"],  # one row, not split in two at the CR
        ["Lithuania", "Ukraine", "Boots", "x\r"],
    ]


def test_excel_unicode_text_utf16le_with_tabs(countries: Ledger, tmp_path: Path) -> None:
    # Excel's "Unicode Text (*.txt)": FF FE, UTF-16LE, TAB between cells, CRLF; commas are plain text in cells
    # (more of them than tabs on a line), and a cell with a quote or a line break is quoted.
    lines = [
        "Donor\tRecipient\tItem\tNotes",
        "Lithuania\tUkraine\tFuel, diesel, petrol, kerosene, oil\tKasčiūnas: from Vilnius, Kaunas, Klaipėda, Šiauliai",
        'Lithuania\tUkraine\tRadios\t"the ""green"" ones\nand spares"',
    ]
    data = codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")
    plan, done = importers.run(countries, _file(tmp_path, "aid.txt", data))
    assert done["added"] == 2, [i.message for i in plan.issues]
    assert _items(countries) == {
        "Fuel, diesel, petrol, kerosene, oil": "Kasčiūnas: from Vilnius, Kaunas, Klaipėda, Šiauliai",
        "Radios": 'the "green" ones\nand spares',
    }


def test_utf16be_with_a_bom(countries: Ledger, tmp_path: Path) -> None:
    text = "Donor,Recipient,Item,Notes\nLithuania,Ukraine,Žalgiris boots,ąčę\n"
    data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    plan, done = importers.run(countries, _file(tmp_path, "be.csv", data))
    assert done["added"] == 1 and _items(countries) == {"Žalgiris boots": "ąčę"}


def test_excel_csv_utf8_with_a_bom_and_line_breaks_in_cells(countries: Ledger, tmp_path: Path) -> None:
    text = 'Donor,Recipient,Item,Notes\r\nLithuania,Ukraine,Fuel,"line one\nline two"\r\nLithuania,Ukraine,Boots,""\r\n'
    plan, done = importers.run(countries, _file(tmp_path, "utf8.csv", codecs.BOM_UTF8 + text.encode()))
    assert done["added"] == 2 and _items(countries)["Fuel"] == "line one\nline two"


def test_a_european_semicolon_csv_whose_cells_hold_commas(countries: Ledger, tmp_path: Path) -> None:
    # Excel's plain "CSV" in a German locale: Windows-1252 and ";" between cells; the commas are in the text.
    text = (
        "Donor;Recipient;Item;Notes\r\n"
        "Lithuania;Ukraine;Zelte für Müller, Schmidt, Weber;Lieferung: Kiel, Köln, Bonn, Ulm, Trier\r\n"
    )
    plan, done = importers.run(countries, _file(tmp_path, "de.csv", text.encode("cp1252")))
    assert done["added"] == 1, [i.message for i in plan.issues]
    assert _items(countries) == {"Zelte für Müller, Schmidt, Weber": "Lieferung: Kiel, Köln, Bonn, Ulm, Trier"}


@pytest.mark.parametrize(
    ("rows", "line"),
    [
        # The quote on line 3 is never closed: the csv module reads every row after it into that one cell.
        (['Lithuania,Ukraine,"Radios,sets', "Lithuania,Ukraine,Helmets,ok", "Lithuania,Ukraine,Boots,ok"], 3),
        # Closed only by the next row's own quotes: two rows would merge into one.
        (['Lithuania,Ukraine,"Radios,sets', 'Lithuania,Ukraine,"Helmets, green",ok', "Lithuania,Ukraine,x,y"], 3),
        # On the last line, with nothing after it.
        (["Lithuania,Ukraine,Boots,ok", 'Lithuania,Ukraine,"Radios'], 4),
    ],
)
def test_an_unterminated_quote_is_reported_with_its_line(
    countries: Ledger, tmp_path: Path, rows: list[str], line: int
) -> None:
    text = "Donor,Recipient,Item,Notes\nLithuania,Ukraine,Fuel,ok\n" + "\n".join(rows)
    path = _file(tmp_path, "quote.csv", text.encode())
    with pytest.raises(UnreadableFile, match=rf"quote\.csv line {line}: a quote opened here is never closed"):
        importers.run(countries, path)
    assert countries.db["aid"].count == 0


def test_quoted_cells_over_lines_and_lone_inch_marks_are_fine(countries: Ledger, tmp_path: Path) -> None:
    text = (
        "Donor,Recipient,Item,Notes\n"
        'Lithuania,Ukraine,12" shells,"said ""soon""\nthen ""now"""\n'
        'Lithuania,Ukraine,5" guns,plain\n'
        'Lithuania,Ukraine,Boots,"last cell\nover two lines"'
    )
    plan, done = importers.run(countries, _file(tmp_path, "fine.csv", text.encode()))
    assert done["added"] == 3, [i.message for i in plan.issues]
    assert _items(countries) == {
        '12" shells': 'said "soon"\nthen "now"',
        '5" guns': "plain",
        "Boots": "last cell\nover two lines",
    }


# Texts a spreadsheet would run as a formula, and texts that really start with an apostrophe.
ODD_NAMES = ["=1+1", "+1+1", "'+1+1", "'=SUM(A1)", "''", "'quoted'", "-5 brigade", "@channel", "plain"]


def test_the_csv_export_guards_formulas_reversibly(ledger: Ledger, tmp_path: Path) -> None:
    for name in ODD_NAMES:
        rec.insert(ledger, "actors", {"name": name, "type": "country"})
    csv_export.run(ledger, tmp_path / "out.csv", kind="actors")
    written = {line.split(",")[1] for line in (tmp_path / "out.csv").read_text("utf-8-sig").splitlines()[1:]}
    assert {
        "'=1+1",
        "'+1+1",
        "''+1+1",
        "''=SUM(A1)",
        "'''",
        "''quoted'",
        "'-5 brigade",
        "'@channel",
        "plain",
    } == written
    with Ledger.open(tmp_path / "other.db") as other:  # another database: every name is new there
        plan, done = importers.run(other, tmp_path / "out.csv", kind="actors")
        assert done["added"] == len(ODD_NAMES), [i.message for i in plan.issues]
        assert sorted(r["name"] for r in other.db["actors"].rows) == sorted(ODD_NAMES)


def test_the_csv_export_reads_back_as_it_went_out(sample_ledger: Ledger, tmp_path: Path) -> None:
    rec.insert(sample_ledger, "actors", {"name": "=1+1", "type": "country", "notes": "'+ kept"})
    csv_export.run(sample_ledger, tmp_path / "actors.csv", kind="actors")
    rows = read(tmp_path / "actors.csv")[0].rows
    header = rows[0]
    names = {row[header.index("Name")] for row in rows[1:]}
    assert names == {r["name"] for r in sample_ledger.db["actors"].rows}
    assert {row[header.index("Notes")] for row in rows[1:]} >= {"'+ kept"}


def test_a_csv_export_comes_back_matched_by_id(sample_ledger: Ledger, tmp_path: Path) -> None:
    rec.insert(sample_ledger, "actors", {"name": "'+1+1", "type": "country"})
    csv_export.run(sample_ledger, tmp_path / "actors.csv", kind="actors")
    plan = importers.run(sample_ledger, tmp_path / "actors.csv", kind="actors", dry_run=True)[0]
    assert plan.counts()["add"] == 0 and plan.counts()["update"] == 0 and not plan.issues
    assert plan.unchanged == sample_ledger.db["actors"].count
