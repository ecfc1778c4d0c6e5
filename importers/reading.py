"""Reading spreadsheets into rows of cell values: .xlsx/.xlsm/.xls/.ods with python-calamine, .csv with the csv module.

python-calamine is fast but can abort the whole process (not raise) on a hostile file: a zip bomb, or a sheet that
claims a cell far out. So a zip-based workbook is checked first, entry by entry, without inflating anything big.
It also reads an error cell (#REF!, #DIV/0!) as "", like an empty one; an .xlsx sheet's error cells are found in its
XML and kept as ``CellError``.

A CSV file's encoding is found from its bytes (a byte-order mark, else UTF-8, else Windows-1252, which reads
ISO-8859-1 too), and a record that an unquoted line break split over two lines (SIPRI's register has some) is
joined again by its field counts.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import UserError
from storage.workbook import FORMULA_STARTS, GUARD, unguarded

# A part may inflate to at most this much, and at most this many times its packed size once it is big.
MAX_PART_BYTES = 1_500_000_000
MAX_RATIO = 200
RATIO_CHECK_ABOVE = 20_000_000
# A sheet that claims more cells than this is refused before it is parsed (a lying <dimension>).
MAX_CLAIMED_CELLS = 200_000_000
MAX_COLUMNS = 2_000
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


class UnreadableFile(UserError):
    """The file is not a spreadsheet this app can read; nothing was imported."""


@dataclass(frozen=True)
class CellError:
    """An Excel error cell (#REF!, #DIV/0!, #N/A…): a formula that gave no value. Not empty: its value was lost."""

    code: str

    def __str__(self) -> str:
        """The error as Excel shows it ("#N/A")."""
        return self.code


@dataclass
class Sheet:
    """One sheet's cells, as read.

    ``rows[r][c]`` counts rows and columns from 0; empty cells are None or "", error cells ``CellError``.

    Attributes:
        hidden: the sheet is hidden in the workbook (an Aid Ledger export's own sheets are).
        merged: merged ranges as (first row, first column, last row, last column).
    """

    name: str
    rows: list[list[Any]]
    hidden: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def read(path: Path | str) -> list[Sheet]:
    """Every sheet of a spreadsheet file, or the one table of a CSV file.

    Raises:
        UnreadableFile: missing, empty, not a spreadsheet, encrypted, truncated, or hostile; the message names the
            file and the problem.
    """
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return [_read_csv(path)]
    if suffix not in SPREADSHEETS:
        raise UnreadableFile(f"{path}: not a spreadsheet Aid Ledger reads (.xlsx, .xlsm, .xls, .ods or .csv)")
    head = path.read_bytes()[:8]
    if suffix in (".xlsx", ".xlsm", ".ods"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise UnreadableFile(
                f"{path}: the workbook is encrypted (password-protected); save it without a "
                "password and import it again"
            )
        if not head.startswith(b"PK"):
            raise UnreadableFile(f"{path}: not a spreadsheet (an .xlsx file is a zip archive, and this is not one)")
        _check_zip(path)
    return _read_calamine(path)


def _check_zip(path: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(f"{path}: the file is damaged or truncated ({exc})") from exc
    with archive:
        names = archive.namelist()
        if not any(n.startswith(("xl/", "content.xml")) for n in names):
            raise UnreadableFile(f"{path}: a zip archive, but not a spreadsheet")
        for info in archive.infolist():
            if info.file_size > MAX_PART_BYTES or (
                info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise UnreadableFile(
                    f"{path}: refused: the part {info.filename} would inflate to {info.file_size:,} bytes from "
                    f"{info.compress_size:,} (a zip bomb, or far beyond any real spreadsheet)"
                )
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                _check_dimension(path, archive, info)
        bad = archive.testzip() if path.stat().st_size < 50_000_000 else None
        if bad is not None:
            raise UnreadableFile(f"{path}: the file is damaged (the part {bad} is corrupt)")


def _check_dimension(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a sheet whose <dimension> claims an absurd range, which can abort the reader."""
    with archive.open(info) as part:
        head = part.read(4096).decode("utf-8", "replace")
    m = re.search(r'<dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"', head)
    if not m:
        return
    columns = 0
    for letter in m[1]:
        columns = columns * 26 + ord(letter) - 64
    rows = int(m[2])
    if columns > MAX_COLUMNS or rows * columns > MAX_CLAIMED_CELLS:
        raise UnreadableFile(
            f"{path}: refused: the sheet {info.filename} claims {rows:,} rows by {columns:,} columns "
            f"(up to {m[1]}{rows}), far beyond its real contents; save it again from a spreadsheet program"
        )


def _read_calamine(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        hidden = {m.name for m in book.sheets_metadata if "Visible" not in str(m.visible)}
        errors = _error_cells(path) if path.suffix.lower() in (".xlsx", ".xlsm") else {}
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows: list[list[Any]] = sheet.to_python(
                skip_empty_area=False
            )  # empty cells are "": read as empty everywhere
            for r, c, code in errors.get(name, []):
                if r >= len(rows) or c >= len(rows[r]):  # past what calamine read: it took the cell for empty
                    rows += [[] for _ in range(r + 1 - len(rows))]
                    rows[r] += [""] * (c + 1 - len(rows[r]))
                if rows[r][c] == "":  # calamine starts at A1 here
                    rows[r][c] = CellError(code)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            sheets.append(Sheet(name, rows, name in hidden, merged))
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors are many and untyped; each means "cannot read"
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise UnreadableFile(f"{path}: the workbook is encrypted; save it without a password") from exc
        raise UnreadableFile(f"{path}: not a readable spreadsheet ({exc})") from exc
    if not sheets:
        raise UnreadableFile(f"{path}: the workbook has no sheets")
    return sheets


# An .xlsx cell whose value is an error: <c r="D4" s="1" t="e"><f>1/0</f><v>#DIV/0!</v></c> (any namespace prefix).
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*>')
# Any cell's start, and a formula in it: a formula with no <v> was never calculated (openpyxl and scripts write
# such files), and calamine reads it as empty.
_ANY_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>")  # <v>…</v>, even empty; openpyxl writes <v /> for none
# The code a CellError gets for such a formula.
UNCALCULATED = "formula never calculated"
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")


def _error_cells(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """The error cells of each sheet of an .xlsx workbook: {sheet name: [(row, column, code)]}, counted from 0."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    with zipfile.ZipFile(path) as archive:
        for name, part in _sheet_parts(archive).items():
            cells = list(_errors_in(archive, part))
            if cells:
                found[name] = cells
    return found


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip entry that holds its cells, from the workbook and its relationships."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        rid, target = re.search(rb'\bId="([^"]*)"', tag), re.search(rb'\bTarget="([^"]*)"', tag)
        if rid and target:
            where = html.unescape(target[1].decode("utf-8", "replace"))
            targets[rid[1]] = where.lstrip("/") if where.startswith("/") else "xl/" + where
    parts = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        name, rid = re.search(rb'\bname="([^"]*)"', tag), re.search(rb'\b\w+:id="([^"]*)"', tag)
        if name and rid and targets.get(rid[1]) in archive.NameToInfo:
            parts[html.unescape(name[1].decode("utf-8", "replace"))] = targets[rid[1]]
    return parts


def _errors_in(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, int, str]]:
    """The error cells of one sheet's XML, read in chunks: a sheet can inflate to far more than fits in memory."""
    with archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 22):
            data = tail + chunk
            ends = [m.end() for m in _CELL_END.finditer(data, max(len(tail) - 8, 0))]
            done = ends[-1] if ends else 0  # whole cells only: the rest waits for the next chunk
            if b't="e"' in data[:done]:
                for m in _ERROR_CELL.finditer(data, 0, done):
                    ref = _CELL_REF.search(m[0])
                    if ref is None:  # no position given: calamine places such a cell, this cannot
                        continue
                    end = _CELL_END.search(data, m.end(), done)
                    value = _VALUE.search(data, m.end(), end.start() if end else done)
                    code = html.unescape(value[1].decode("utf-8", "replace")) if value else "#N/A"
                    column = 0
                    for letter in ref[1]:
                        column = column * 26 + letter - 64
                    yield int(ref[2]) - 1, column - 1, code
            if _FORMULA.search(data, 0, done):
                yield from _uncalculated(data, done)
            tail = data[done:]


def _uncalculated(data: bytes, done: int) -> Iterator[tuple[int, int, str]]:
    """The cells of a chunk that hold a formula and no value: the value a spreadsheet program would show is lost."""
    for m in _ANY_CELL.finditer(data, 0, done):
        if m[0].endswith(b"/>") or b't="e"' in m[0]:
            continue  # an empty cell, or an error cell (found above)
        end = _CELL_END.search(data, m.end(), done)
        stop = end.start() if end else done
        if _FORMULA.search(data, m.end(), stop) and not _HAS_VALUE.search(data, m.end(), stop):
            ref = _CELL_REF.search(m[0])
            if ref is not None:
                column = 0
                for letter in ref[1]:
                    column = column * 26 + letter - 64
                yield int(ref[2]) - 1, column - 1, UNCALCULATED


# --- CSV ------------------------------------------------------------------------------------------------------------

# Byte-order marks, longest first: Excel's "CSV UTF-8" starts with one, its "Unicode Text" is UTF-16LE with one.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
DELIMITERS = (",", ";", "\t")
# Stands for a carriage return inside a line while the csv module reads it (which ends a row at any CR); a CSV
# file with this character in it is refused as not text, so it cannot clash.
_STRAY_CR = "\x00"
_QUOTED = re.compile(r'"[^"]*"')
# Windows-1252 as the WHATWG Encoding Standard defines it, the way browsers read text labelled ISO-8859-1 too:
# ISO-8859-1 except 0x80-0x9F, where Latin-1 has control characters that no spreadsheet's text holds, and
# Windows-1252 has the curly quotes, dashes and the euro sign that such files really hold. The five bytes
# Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay the Latin-1 characters: Python's cp1252 would
# refuse the whole file for one of them.
_WINDOWS_1252 = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256))
# Where the CSV export's guard may be: most files have none, and then no cell needs looking at.
_GUARD_MAY_BE = re.compile(re.escape(GUARD) + "[" + re.escape("".join(FORMULA_STARTS) + GUARD) + "]")


def _read_csv(path: Path) -> Sheet:
    text = _decode(path, path.read_bytes())
    text, stray = _mark_stray_crs(text)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _delimiter(text)
    # A cell may be longer than the csv module's default limit (131,072 characters), never longer than the file.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    source = io.StringIO(text, newline="")  # newline="": every CR, LF or CRLF ends a line, as the csv module wants
    reader = csv.reader(source, delimiter=delimiter)
    rows: list[list[Any]] = []
    guards = _GUARD_MAY_BE.search(text) is not None
    lines = offset = 0  # the lines and characters read before the current row
    for row in reader:
        if reader.line_num - lines > 1:  # a quoted cell ran over lines: one that is never closed swallows the rest
            _check_quotes(path, text[offset : source.tell()], delimiter, lines + 1, at_end=False)
        last = (offset, lines)
        lines, offset = reader.line_num, source.tell()
        if stray:
            row = [cell.replace(_STRAY_CR, "\r") for cell in row]
        if guards:  # the guard the CSV export puts before formula-like text comes off, exactly as it went on
            row = [unguarded(cell) for cell in row]
        rows.append([cell if cell.strip() else None for cell in row])
    if rows:
        _check_quotes(path, text[last[0] :], delimiter, last[1] + 1, at_end=True)
    return Sheet(path.stem, _rejoin_broken_records(rows))


def _rejoin_broken_records(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows with each record that a line break split in two, unquoted, made whole again by its field counts.

    SIPRI's register writes a line break inside a cell bare, without quotes: the record goes on on the next line.
    Two lines are one record when each has fewer fields than the table (at least two, so that a stray one-cell row
    is never glued to a record) and together they have exactly as many. The table's width is the commonest number
    of fields; its first row that wide is taken for the header, and nothing above it (a preamble of notes) is
    touched. Only where that is unambiguous: if any other row after the header is short too (a file whose writer
    drops trailing empty fields, for one), short rows there are not broken records, and no row is joined. The last
    row is let off (a stray "0", a footer).

    The break is kept as a line break in the cell, as a quoted cell would have carried it: no character is
    invented, and the app's own export writes it back quoted. A break at the very start or end of the cell (SIPRI's
    always come after Comments' text) separates nothing and leaves no trailing line break behind.
    """
    wide = Counter(len(row) for row in rows if len(row) > 1)
    if not wide:
        return rows
    width = max(wide, key=lambda n: (wide[n], n))
    header = next(i for i, row in enumerate(rows) if len(row) == width)
    joins: list[int] = []
    stray = False
    i, last = header + 1, len(rows) - 1
    while i <= last:
        n = len(rows[i])
        if 0 < n < width:
            if i < last and 1 < len(rows[i + 1]) < width and n + len(rows[i + 1]) - 1 == width:
                joins.append(i)
                i += 2
                continue
            stray = stray or i < last
        i += 1
    if not joins or stray:
        return rows
    out = rows[: joins[0]]
    for start, end in zip(joins, [*joins[1:], len(rows)], strict=True):
        first, rest = rows[start], rows[start + 1]
        before, after = str(first[-1] or "").removesuffix("\r"), str(rest[0] or "")
        cell = f"{before}\n{after}" if before.strip() and after.strip() else before + after
        out.append([*first[:-1], cell if cell.strip() else None, *rest[1:]])
        out += rows[start + 2 : end]
    return out


def _decode(path: Path, raw: bytes) -> str:
    """The file's text: by its byte-order mark, else UTF-8, else the code page Excel writes CSV in (or MacRoman).

    Raises:
        UnreadableFile: not text, or text damaged in its encoding.
    """
    for bom, encoding, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    f"{path}: the text is damaged: it is marked {name}, but byte {exc.start:,} is not"
                ) from exc
            break
    else:
        if b"\x00" in raw[:4096]:
            raise UnreadableFile(f"{path}: not a text file (a CSV file is text)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # Excel's plain "CSV" is in its code page: Windows-1252 on Windows, MacRoman (with CR line ends) on a Mac.
            # SIPRI's ISO-8859-1 reads the same way: the two differ only in 0x80-0x9F, see _WINDOWS_1252.
            lone_crs = raw.count(b"\r") - raw.count(b"\r\n")
            if lone_crs > raw.count(b"\n"):  # CR alone ends its lines: a Mac's
                text = raw.decode("mac_roman")  # every byte is a letter in MacRoman: this cannot fail
            else:
                text = codecs.charmap_decode(raw, "strict", _WINDOWS_1252)[0]
    if _STRAY_CR in text:
        raise UnreadableFile(f"{path}: not a text file (it holds NUL characters; a CSV file is text)")
    return text


def _mark_stray_crs(text: str) -> tuple[str, bool]:
    """The text with its carriage returns that do not end lines set aside, and whether there were any.

    A file's lines end in CRLF, LF or (classic Mac) CR alone; a lone CR in a CRLF or LF file is part of a cell.
    """
    crlf = text.count("\r\n")
    cr, lf = text.count("\r") - crlf, text.count("\n") - crlf
    if not cr or cr > crlf + lf:  # no lone CR, or CR is how this file ends its lines
        return text, False
    return re.sub(r"\r(?!\n)", _STRAY_CR, text), True


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines most evenly: ',', ';' (European Excel) or TAB ("Unicode Text")."""
    lines = [_QUOTED.sub("", line) for line in text[:20_000].splitlines()[:20] if line.strip()]

    def evenness(delimiter: str) -> tuple[int, int]:
        counts = [line.count(delimiter) for line in lines if delimiter in line]
        if not counts:
            return 0, 0
        usual = max(set(counts), key=counts.count)
        return counts.count(usual), usual

    return max(DELIMITERS, key=evenness)


def _check_quotes(path: Path, record: str, delimiter: str, line: int, *, at_end: bool) -> None:
    """Refuse a row whose quotes do not pair up: a quote never closed reads every row after it as one cell.

    Args:
        path: the file, for the message.
        record: the row's text, as in the file.
        delimiter: the file's delimiter.
        line: the line the row starts on, counted from 1; the quote that runs over lines opened there.
        at_end: the row is the last: a quote opened in it runs to the end of the file even on one line.

    Raises:
        UnreadableFile: the message names the file and the line.
    """
    if _strictly_quoted(record, delimiter):
        return
    # A lenient oddity on one line ('"a"b', read as 'ab') is not an unclosed quote: one more quote would not mend it.
    if at_end and "\n" not in record.rstrip("\r\n") and not _strictly_quoted(record + '"', delimiter):
        return
    raise UnreadableFile(
        f"{path} line {line:,}: a quote opened here is never closed, so the rows after it would be read into one "
        'cell; close the quote (or double it: "" stands for one quote in a cell) and import again'
    )


def _strictly_quoted(record: str, delimiter: str) -> bool:
    try:
        for _ in csv.reader(io.StringIO(record, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return False
    return True
