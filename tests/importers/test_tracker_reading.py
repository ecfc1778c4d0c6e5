"""The reading stage on the trackers' files as published: every row whole, every letter right, the preamble untouched.

The files are the generated ones of ``trackers``; each test compares what ``read()`` gives with what the generator
wrote (its ``Expect``, or the file parsed by the csv module in the encoding the file is known to be in).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from importers.reading import read
from tests.importers import trackers
from tests.importers.trackers import Expect

SIPRI_WIDTH = len(trackers.SIPRI_HEADER)


def _blanks_as_none(rows: list[list[str]]) -> list[list[Any]]:
    return [[cell if cell.strip() else None for cell in row] for row in rows]


def _parsed(raw: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode(encoding), newline="")))


def _rewrite(path: Path, lines: list[bytes], name: str) -> Path:
    out = path.with_name(name)
    out.write_bytes(b"\n".join(lines))
    return out


# --- SIPRI: ISO-8859-1 ---------------------------------------------------------------------------------------------


def test_sipri_register_reads_as_iso_8859_1_letter_for_letter(sipri: tuple[Path, Expect]) -> None:
    path, expect = sipri
    rows = read(path)[0].rows
    data = rows[12:]
    assert "Bü-181 Bestmann" in {r[6] for r in data}
    assert "Wärtsilä 12V32 (8000hp) diesel engine for 1 support ship" in {r[12] for r in data}
    assert "$69 m deal; from Türkiye production line" in {r[12] for r in data}
    assert expect.count("latin1") > 0
    # Every cell as ISO-8859-1 reads it (the split records aside: their own test is below), and no mojibake.
    physical = _blanks_as_none(_parsed(path.read_bytes(), "iso-8859-1"))
    splits = set(expect.where["split"])
    assert [r for i, r in enumerate(data) if i not in splits] == [r for r in physical[12:] if len(r) == SIPRI_WIDTH]
    assert not any("Ã" in str(cell) or "\ufffd" in str(cell) for row in rows for cell in row)


def test_bytes_0x80_to_0x9f_read_as_windows_1252_and_never_refuse_the_file(sipri: tuple[Path, Expect]) -> None:
    # A Latin-1 file may hold bytes 0x80-0x9F: control characters in ISO-8859-1, in practice Windows-1252's dashes,
    # curly quotes and euro sign. Five of them are undefined in Windows-1252, and Python's cp1252 refused the whole
    # file for one; they come back as the Latin-1 characters, nothing lost.
    path, _ = sipri
    raw = path.read_bytes()
    assert raw.count(b"$79 m deal") > 1
    odd = b"$79 m deal \x96 \x93offset\x94 \x80 5 \x81\x8d\x8f\x90\x9d"
    changed = path.with_name("register-cp1252.csv")
    changed.write_bytes(raw.replace(b"$79 m deal", odd, 1))
    comments = [r[12] for r in read(changed)[0].rows[12:]]
    dashes_quotes_euro = "\u2013 \u201coffset\u201d \u20ac"
    assert f"Second-hand; $79 m deal {dashes_quotes_euro} 5 \x81\x8d\x8f\x90\x9d; financed by EU aid" in comments
    assert "Wärtsilä 12V32 (8000hp) diesel engine for 1 support ship" in comments


# --- SIPRI: records split over two lines, the preamble ------------------------------------------------------------


def test_sipri_records_split_over_two_lines_come_back_whole(sipri: tuple[Path, Expect]) -> None:
    path, expect = sipri
    raw = path.read_bytes()
    assert raw.count(b"\n") == expect.physical_lines and b"\r\n" in raw  # one break in two ends in CR LF
    rows = read(path)[0].rows
    assert len(rows) == 12 + expect.rows  # the preamble, the header, one row a record
    data = rows[12:]
    assert {len(r) for r in data} == {SIPRI_WIDTH}
    assert [(r[1], r[0], r[6], r[2]) for r in data] == expect.keys  # no record shifted or lost
    assert expect.count("split") == 4
    lines = raw.split(b"\n")
    for k, i in enumerate(expect.where["split"]):  # a record's first line: 12 + its index + the splits before it
        head = _parsed(lines[12 + i + k], "iso-8859-1")[0]
        tail = lines[13 + i + k].decode("iso-8859-1").split(",")
        assert len(head) == 13 and tail[0] == ""  # the break comes right after Comments
        assert data[i] == _blanks_as_none([[*head, *tail[1:]]])[0]  # Comments as on its line: no trailing break
        assert all(float(str(v)) >= 0 for v in data[i][13:])


def test_a_break_inside_a_comment_stays_a_line_break_in_the_cell(sipri: tuple[Path, Expect]) -> None:
    path, expect = sipri
    lines = path.read_bytes().split(b"\n")
    first, second = expect.where["split"][:2]
    for k, i in enumerate((first, second)):
        head = lines[12 + i + k].split(b",")
        assert len(head) == 13
        head[12] = b"Second-hand; aid" + (b"\r" if head[12].endswith(b"\r") else b"")
        lines[12 + i + k] = b",".join(head)
        lines[13 + i + k] = b"financed by the EU" + lines[13 + i + k]
    assert lines[12 + first].endswith(b"\r") and not lines[13 + second].endswith(b"\r")
    data = read(_rewrite(path, lines, "register-mid-break.csv"))[0].rows[12:]
    assert len(data) == expect.rows
    for i in (first, second):  # CR LF or LF: the break is one "\n" in the cell
        assert data[i][12] == "Second-hand; aid\nfinanced by the EU"
        assert len(data[i]) == SIPRI_WIDTH and all(float(str(v)) >= 0 for v in data[i][13:])


def test_the_preamble_stays_as_written_even_where_its_lines_would_complete_each_other(
    sipri: tuple[Path, Expect],
) -> None:
    path, expect = sipri
    rows = read(path)[0].rows
    assert rows[:11] == [[note] if note else [] for note in expect.notes]
    assert rows[11] == [None if h == " " else h for h in trackers.SIPRI_HEADER]
    # Notes of 13 fields and then 4 would make one 16-field row: above the header, nothing is joined.
    lines = path.read_bytes().split(b"\n")
    lines[0] = b",".join([b"note"] * 13)
    lines[1] = b",a,b,c"
    rows = read(_rewrite(path, lines, "register-commas-in-notes.csv"))[0].rows
    assert [len(r) for r in rows[:2]] == [13, 4]
    assert rows[2:11] == [[note] if note else [] for note in expect.notes[2:]]
    assert len(rows) == 12 + expect.rows


def test_short_rows_that_are_not_broken_records_leave_every_row_as_written(sipri: tuple[Path, Expect]) -> None:
    # A record whose TIVs are missing (a writer that drops trailing empty fields) is short with a whole record
    # after it: then short rows here are not broken records, and the pairs are not joined either.
    path, expect = sipri
    lines = path.read_bytes().split(b"\n")
    k = 12 + 2
    assert lines[k].count(b",") == SIPRI_WIDTH - 1
    lines[k] = lines[k].rsplit(b",", 3)[0]
    rows = read(_rewrite(path, lines, "register-ragged.csv"))[0].rows
    assert len(rows) == expect.physical_lines
    assert rows == _blanks_as_none(_parsed(b"\n".join(lines), "iso-8859-1"))


def test_a_ragged_file_whose_short_rows_add_up_is_not_glued(tmp_path: Path) -> None:
    # Excel-like CSV with trailing empty cells dropped: "Lithuania,Ukraine" and "Estonia,Ukraine,Boots" have 2 + 3 - 1
    # fields, the table's 4, but "Latvia,Ukraine,Tents" is short too, with a whole row after it.
    text = (
        "Donor,Recipient,Item,Notes\n"
        "Lithuania,Ukraine,Fuel,first\n"
        "Lithuania,Ukraine\n"
        "Estonia,Ukraine,Boots\n"
        "Latvia,Ukraine,Tents\n"
        "Poland,Ukraine,Radios,last\n"
    )
    path = tmp_path / "ragged.csv"
    path.write_text(text, encoding="utf-8")
    assert read(path)[0].rows == [line.split(",") for line in text.splitlines()]


# --- Kiel 2023 CSV ----------------------------------------------------------------------------------------------


def test_kiel_2023_csv_rows_come_back_whole_with_the_stray_zero_row(kiel_2023: tuple[Path, Expect]) -> None:
    path, expect = kiel_2023
    rows = read(path)[0].rows
    assert len(rows) == 1 + expect.rows + 1
    assert {len(r) for r in rows} == {53}  # trailing empty fields kept, on every row alike
    assert rows[0][:38] == trackers.KIEL_CSV_2023_HEADER and rows[0][38:] == [None] * 15  # no BOM on "ID"
    assert rows[-1] == ["0"] + [None] * 52 and expect.where["stray_zero_row"] == [expect.rows]
    assert rows == _blanks_as_none(_parsed(path.read_bytes(), "utf-8-sig"))
    assert any(str(r[15]).count(",") >= 2 for r in rows[1:-1])  # "35,000,000" is one cell
    assert [(r[0], r[8]) for r in rows[1:-1]] == expect.keys


def test_kiel_2023_stray_zero_row_without_its_padding_stays_a_row(kiel_2023: tuple[Path, Expect]) -> None:
    path, expect = kiel_2023
    lines = path.read_bytes().split(b"\r\n")
    assert lines[-1] == b"" and lines[-2] == b"0" + b"," * 52
    lines[-2] = b"0"
    changed = path.with_name("kiel-zero.csv")
    changed.write_bytes(b"\r\n".join(lines))
    rows = read(changed)[0].rows
    assert len(rows) == expect.rows + 2 and rows[-1] == ["0"]


# --- Kiel workbook ------------------------------------------------------------------------------------------------


def test_kiel_workbook_keeps_its_blank_headers_and_every_row_has_its_item(kiel_book: tuple[Path, Expect]) -> None:
    path, expect = kiel_book
    sheets = read(path)
    assert len(sheets) == 37
    (main,) = [s for s in sheets if s.name == trackers.KIEL_MAIN_SHEET]
    header, data = main.rows[0], main.rows[1:]
    assert header == trackers.KIEL_WORKBOOK_HEADER  # the 9th "" (an empty cell), the last " ", "Total  "
    assert header[8] == "" and header[-1] == " " and header[17] == "Total  "
    assert len(data) == expect.rows
    assert {len(r) for r in data} == {len(header)}
    assert all(isinstance(r[8], str) and r[8] for r in data)  # the item, or "."
    assert [(r[0], r[8]) for r in data] == expect.keys
    assert [i for i, r in enumerate(data) if r[8] == "."] == expect.where["item_dot"]
