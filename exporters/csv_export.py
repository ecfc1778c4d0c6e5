"""The CSV export of one record kind: UTF-8 with a BOM so Excel reads accents right, formula-like text neutralised."""

from __future__ import annotations

import csv
from pathlib import Path

from storage import KINDS_BY_NAME, Ledger, UserError
from storage.query import Filters, ids, rows_by_ids
from storage.workbook import guarded

from .cells import cell_value
from .files import replaced_when_done
from .xlsx import PAGE, Cancelled, ExportReport, IsCancelled, Progress, export_columns


def csv_text(value: object) -> str:
    """A value as CSV text, safe from being run as a formula.

    Text that a spreadsheet would run as a formula gets OWASP's leading apostrophe, and so does text that starts
    with one already, so that the import can take off exactly what was added.
    """
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    text = str(value)
    return guarded(text)


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
    k = KINDS_BY_NAME[kind]
    filters = filters or Filters()
    selected = ids(ledger, k, filters)
    cols, cells = export_columns(ledger, k, selected, not filters.active)  # ID first, last updated last
    report = ExportReport(target, {kind: len(selected)})
    with replaced_when_done(target) as temp, open(temp, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
        writer.writerow([c.label for c in cols])
        for start in range(0, len(selected), PAGE):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            chunk = selected[start : start + PAGE]
            rows = rows_by_ids(ledger, k, chunk)
            for rid in chunk:
                if rid in rows:
                    row = cells(rows[rid])
                    writer.writerow([csv_text(cell_value(c, v)) for c, v in zip(cols, row, strict=True)])
            if progress is not None:
                progress(min(start + PAGE, len(selected)), len(selected))
    return report
