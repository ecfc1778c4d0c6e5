"""The CSV export of one record kind: UTF-8 with a BOM so Excel reads accents right, formula-like text neutralised."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from storage import KINDS_BY_NAME, Ledger, UserError
from storage.query import Filters, columns, ids, rows_by_ids

from .cells import cell_value, looks_like_formula
from .xlsx import PAGE, Cancelled, ExportReport, IsCancelled, Progress


def csv_text(value: object) -> str:
    """A value as CSV text; text that a spreadsheet would run as a formula gets OWASP's leading apostrophe."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def run(
    ledger: Ledger,
    path: Path | str,
    *,
    kind: str,
    filters: Filters | None = None,
    delimiter: str = ",",
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExportReport:
    """Write the records of one kind as CSV: the ID first, the fields' labels as headers, the last update last.

    Raises:
        Cancelled: the user cancelled; nothing was written.
        UserError: the file cannot be written, or the delimiter is not one character.
    """
    target = Path(path)
    if len(delimiter) != 1:
        raise UserError(f"the delimiter must be one character, not '{delimiter}'")
    if not target.parent.is_dir():
        raise UserError(f"{target}: the folder {target.parent} does not exist")
    k = KINDS_BY_NAME[kind]
    cols = columns(k)
    order = [len(cols) - 2, *range(len(cols) - 2), len(cols) - 1]  # ID first, last updated last
    selected = ids(ledger, k, filters or Filters())
    report = ExportReport(target, {kind: len(selected)})
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".csv.part", dir=target.parent)
    except OSError as exc:
        raise UserError(f"{target}: cannot write in {target.parent} ({exc.strerror})") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
            writer.writerow([cols[i].label for i in order])
            for start in range(0, len(selected), PAGE):
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                chunk = selected[start : start + PAGE]
                rows = rows_by_ids(ledger, k, chunk)
                for rid in chunk:
                    if rid in rows:
                        writer.writerow([csv_text(cell_value(cols[i], rows[rid][i])) for i in order])
                if progress is not None:
                    progress(min(start + PAGE, len(selected)), len(selected))
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UserError(f"{target}: the file could not be written ({exc.strerror or exc})") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return report
