"""Reading spreadsheets into rows of cell values: .xlsx/.xlsm/.xls/.ods with python-calamine, .csv with the csv module.

python-calamine is fast but can abort the whole process (not raise) on a hostile file: a zip bomb, or a sheet that
claims a cell far out. So a zip-based workbook is checked first, entry by entry, without inflating anything big.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import UserError

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


@dataclass
class Sheet:
    """One sheet's cells, as read: ``rows[r][c]`` (rows and columns counted from 0), empty cells as None or "".

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
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)  # empty cells are "": read as empty everywhere
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


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise UnreadableFile(f"{path}: not a text file (a CSV file is text)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise UnreadableFile(f"{path}: the text is neither UTF-8 nor Windows-1252")
    sample = text[:20_000]
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in lines))
    rows = [
        [cell if cell.strip() else None for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]
    return Sheet(path.stem, rows)
