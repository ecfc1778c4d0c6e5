"""The Excel export: a Summary sheet, one sheet per record kind, and a hidden sheet that names it an Aid Ledger export.

Written with XlsxWriter in constant-memory mode (rows stream to disk, memory stays flat) to a temporary file beside
the target, renamed into place only when complete: a cancelled or failed export leaves no half-written file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from storage import DISPLAY_ORDER, KINDS_BY_NAME, FieldType, Kind, Ledger, UserError, analysis, extra
from storage.database import now_iso
from storage.extra import EXTRA
from storage.paths import app_version
from storage.query import Column, Filters, columns, ids, rows_by_ids
from storage.records import display_name
from storage.schema import SCHEMA_VERSION
from storage.workbook import EXPORT_FORMAT, LISTS_SHEET, META_SHEET

from .cells import (
    EXCEL_MAX_CHARS,
    EXCEL_MAX_ROWS,
    EXCEL_MAX_URLS,
    cell_value,
    choice_label,
    looks_like_formula,
    shorten,
)
from .charts import RECONCILIATION_SHEET, reconciliations, write_figures, write_reconciliation
from .files import replaced_when_done, scratch_folder
from .summary import summary_figures

PAGE = 1000

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled the export; nothing was written."""


class LongTextRefused(UserError):
    """A text is longer than an Excel cell holds and the user chose to refuse rather than shorten."""


@dataclass
class ExportReport:
    """What an export wrote: records per kind, and every cell shortened to fit Excel."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    shortened: list[str] = field(default_factory=list)
    plain_urls: int = 0

    def describe(self) -> str:
        """The report in a sentence or three for the user: what went where, and what was shortened."""
        parts = [f"{n:,} {KINDS_BY_NAME[k].label.lower()}" for k, n in self.counts.items()]
        text = f"Exported {', '.join(parts)} to {self.path}."
        if self.shortened:
            text += f" {len(self.shortened)} texts were longer than Excel allows and were shortened (marked so)."
        if self.plain_urls:
            text += f" {self.plain_urls:,} web addresses past Excel's limit of links per sheet are plain text."
        return text


def sheet_title(kind: Kind) -> str:
    """The name of the sheet that holds ``kind``'s records: its label."""
    return kind.label


def run(
    ledger: Ledger,
    path: Path | str,
    *,
    kinds: Sequence[str] = DISPLAY_ORDER,
    filters: dict[str, Filters] | None = None,
    long_text: str = "shorten",
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
) -> ExportReport:
    """Export records to an Excel workbook.

    Args:
        ledger: the database.
        path: the workbook to write (replaced only when the export completes).
        kinds: the record kinds to export, each on its own sheet.
        filters: per kind, which records (all of them by default).
        long_text: "shorten" texts past Excel's 32,767 characters (marked, reported) or "refuse" to export.
        progress: called with (records written, records in all) now and then.
        is_cancelled: polled; when it returns True the export stops and writes nothing.

    Raises:
        Cancelled: the user cancelled.
        LongTextRefused: a text is too long and ``long_text`` is "refuse".
        UserError: the file cannot be written (folder missing or read-only, disk full).
    """
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(f"{target}: an Excel export must end in .xlsx")
    filters = filters or {}
    report = ExportReport(target)
    # Taken before the snapshot begins: a change committed in between is in the workbook and counts as made after
    # the export, which at worst makes it a conflict on the way back, never an overwrite.
    exported_at = now_iso()
    with ledger.snapshot():  # the ids, the rows and the Summary's figures all of one moment
        selected = {k: ids(ledger, k, filters.get(k, Filters())) for k in kinds}
        total = sum(len(v) for v in selected.values())
        with replaced_when_done(target) as temp, scratch_folder() as scratch:
            _write(
                ledger,
                temp,
                kinds,
                selected,
                filters,
                long_text,
                report,
                total,
                progress,
                is_cancelled,
                exported_at,
                scratch,
            )
    return report


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format(
            {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
        self.number = book.add_format({"num_format": "#,##0"})
        self.decimal = book.add_format({"num_format": "#,##0.####"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.text = book.add_format({"valign": "top"})
        self.link = book.add_format({"font_color": "#0563C1", "underline": 1})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.note = book.add_format({"italic": True, "font_color": "#595959"})


def _write(
    ledger: Ledger,
    temp: Path,
    kinds: Sequence[str],
    selected: dict[str, Any],
    filters: dict[str, Filters],
    long_text: str,
    report: ExportReport,
    total: int,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
    exported_at: str,
    scratch: Path,
) -> None:
    book = xlsxwriter.Workbook(
        str(temp),
        {
            "constant_memory": True,
            "tmpdir": str(scratch),  # its scratch files go with the folder, even when the export fails or stops
            # Never guess: text stays text, so "=1+1" or "+370 600" typed in a record is not run or reinterpreted.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            # a sum over a value stored behind the app's back (1e400: `check` names it) shows as #NUM!, not a bug
            "nan_inf_to_errors": True,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    book.set_properties({"title": "Aid Ledger export", "comments": f"From {ledger.path}"})
    styles = _Styles(book)
    summary = book.add_worksheet("Summary")  # first, so it opens first
    sheets: dict[str, list[Any]] = {}
    for k in kinds:  # every part up front, so "Aid (2)" follows "Aid" in the workbook
        parts = max(1, -(-len(selected[k]) // (EXCEL_MAX_ROWS - 1)))
        title = sheet_title(KINDS_BY_NAME[k])
        sheets[k] = [book.add_worksheet(title if n == 1 else f"{title} ({n})") for n in range(1, parts + 1)]
    reconciliation = book.add_worksheet(RECONCILIATION_SHEET) if "totals" in kinds else None
    lists = book.add_worksheet(LISTS_SHEET)
    meta = book.add_worksheet(META_SHEET)
    list_ranges = _write_lists(lists, kinds)
    lists.hide()
    done = 0
    for name in kinds:
        kind = KINDS_BY_NAME[name]
        done = _write_kind(
            ledger,
            sheets[name],
            kind,
            selected[name],
            styles,
            list_ranges,
            long_text,
            report,
            not filters.get(name, Filters()).active,
            done,
            total,
            progress,
            is_cancelled,
        )
        report.counts[name] = len(selected[name])
    _write_summary(ledger, book, summary, styles, kinds, filters, report, exported_at)
    if reconciliation is not None:
        write_reconciliation(reconciliation, styles, reconciliations(ledger, list(selected["totals"])))
    _write_meta(meta, ledger, kinds, filters, report, exported_at)
    meta.hide()
    summary.activate()
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()
    book.close()


def _ordered_columns(kind: Kind) -> list[Column]:
    """The ID first, the fields in the description's order, the last-updated time last (extra values apart)."""
    cols = [c for c in columns(kind) if c.field is None or c.field.type is not FieldType.EXTRA]
    return [cols[-2], *cols[:-2], cols[-1]]


def export_columns(
    ledger: Ledger, kind: Kind, row_ids: Any, everything: bool
) -> tuple[list[Column], Callable[[Sequence[Any]], list[Any]]]:
    """The columns an export writes, and how a row of ``rows_by_ids`` becomes their cells.

    The ID, the fields, each extra value's header as the file it came from had it, and the last-updated time. The
    extra values' headers are those of ``row_ids`` (of any record where ``everything``).
    """
    cols = _ordered_columns(kind)
    headers = extra.headers(ledger.conn, kind.name, EXTRA, None if everything else list(row_ids))
    taken = {c.label for c in cols}
    written = [Column(f"{EXTRA}:{h}", extra.column_header(h, taken)) for h in headers]
    positions = {c.name: i for i, c in enumerate(columns(kind))}
    order = [positions[c.name] for c in cols]  # worked out once: an export has a million rows
    at = positions[EXTRA]

    def cells(values: Sequence[Any]) -> list[Any]:
        row = [values[i] for i in order]
        if headers:
            given = extra.from_text(values[at]) if values[at] else {}
            row[-1:-1] = [given.get(h) for h in headers]
        return row

    return [*cols[:-1], *written, cols[-1]], cells


def _write_lists(sheet: Any, kinds: Sequence[str]) -> dict[tuple[str, str], str]:
    """Every vocabulary on the hidden Lists sheet, one column each; returns (kind, field) -> its range.

    Rows are written in order, as constant-memory mode requires (a row is flushed once the next one starts).
    """
    ranges: dict[tuple[str, str], str] = {}
    lists: list[list[str]] = []
    for name in kinds:
        for f in KINDS_BY_NAME[name].all_fields:
            if f.type is FieldType.CHOICE:
                values = [choice_label(v) for v in f.vocab]
            elif f.type is FieldType.BOOL:
                values = ["yes", "no"]
            else:
                continue
            letter = xl_col_to_name(len(lists))
            ranges[(name, f.name)] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
            lists.append([f"{name}.{f.name}", *values])
    for row in range(max((len(v) for v in lists), default=0)):
        for col, values in enumerate(lists):
            if row < len(values):
                sheet.write_string(row, col, values[row])
    return ranges


def _write_kind(
    ledger: Ledger,
    sheets: list[Any],
    kind: Kind,
    row_ids: Any,
    styles: _Styles,
    list_ranges: dict[tuple[str, str], str],
    long_text: str,
    report: ExportReport,
    everything: bool,
    done: int,
    total: int,
    progress: Progress | None,
    is_cancelled: IsCancelled | None,
) -> int:
    cols, cells = export_columns(ledger, kind, row_ids, everything)
    uid_at = [c.name for c in columns(kind)].index("uid")
    widths = _widths(ledger, kind, cols, row_ids, cells)
    part = 0
    sheet = sheets[part]
    _start_sheet(sheet, kind, cols, widths, styles)
    row = 1
    urls = 0
    for start in range(0, len(row_ids), PAGE):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        chunk = row_ids[start : start + PAGE]
        rows = rows_by_ids(ledger, kind, chunk)
        for rid in chunk:
            values = rows.get(rid)
            if values is None:
                continue
            if row >= EXCEL_MAX_ROWS:  # Excel's last row reached: continue on a sheet of its own
                part += 1
                sheet = sheets[part]
                _start_sheet(sheet, kind, cols, widths, styles)
                row = 1
            uid = values[uid_at]
            for c, value in enumerate(cells(values)):
                urls = _write_cell(sheet, row, c, cols[c], value, styles, long_text, report, kind, uid, urls)
            row += 1
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    for sheet in sheets:
        last = max(row - 1, 1) if sheet is sheets[-1] else EXCEL_MAX_ROWS - 1
        sheet.autofilter(0, 0, last, len(cols) - 1)
        for c, col in enumerate(cols):
            source = list_ranges.get((kind.name, col.name))
            if source:
                sheet.data_validation(
                    1,
                    c,
                    EXCEL_MAX_ROWS - 1,
                    c,
                    {
                        "validate": "list",
                        "source": source,
                        "ignore_blank": True,
                        "error_title": col.label,
                        "error_message": f"Pick a {col.label.lower()} from the list.",
                    },
                )
    return done


def _start_sheet(sheet: Any, kind: Kind, cols: list[Column], widths: list[float], styles: _Styles) -> None:
    sheet.freeze_panes(1, 0)
    for c, col in enumerate(cols):
        f = col.field
        style = styles.wrap if f is not None and f.type in (FieldType.LONG_TEXT, FieldType.LINKS) else None
        sheet.set_column(c, c, widths[c], style)
        sheet.write_string(0, c, col.label, styles.header)
    sheet.set_row(0, 30)


def _widths(
    ledger: Ledger, kind: Kind, cols: list[Column], row_ids: Any, cells: Callable[[Sequence[Any]], list[Any]]
) -> list[float]:
    """Column widths that fit the header and the first records, within bounds a reader can scan."""
    sample = [cells(v) for v in rows_by_ids(ledger, kind, list(row_ids[:200])).values()]
    widths: list[float] = []
    for c, col in enumerate(cols):
        longest = max([len(col.label)] + [len(str(row[c] if row[c] is not None else "")) for row in sample])
        f = col.field
        cap = 60 if f is not None and f.type in (FieldType.LONG_TEXT, FieldType.LINKS) else 45
        if f is not None and f.type is FieldType.DATE:
            longest = max(len(col.label), 10)
        widths.append(min(max(longest + 2, 8), cap))
    return widths


def _write_cell(
    sheet: Any,
    row: int,
    c: int,
    col: Column,
    raw: Any,
    styles: _Styles,
    long_text: str,
    report: ExportReport,
    kind: Kind,
    uid: str,
    urls: int,
) -> int:
    value = cell_value(col, raw)
    if value is None:
        return urls
    f = col.field
    if isinstance(value, dt.date):
        sheet.write_datetime(row, c, dt.datetime(value.year, value.month, value.day), styles.date)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, c, value, styles.number if float(value).is_integer() else styles.decimal)
    else:
        text = str(value)
        if len(text) > EXCEL_MAX_CHARS:
            where = f"{kind.label} {uid} {col.label}"
            if long_text == "refuse":
                raise LongTextRefused(
                    f"{where}: {len(text):,} characters, more than an Excel cell holds ({EXCEL_MAX_CHARS:,}); "
                    "export again choosing to shorten such texts, or shorten it in Aid Ledger"
                )
            report.shortened.append(f"{xl_rowcol_to_cell(row, c)} ({where})")
            text = shorten(text)
        if f is not None and f.type is FieldType.URL and not looks_like_formula(text) and len(text) <= 2000:
            if urls < EXCEL_MAX_URLS:
                sheet.write_url(row, c, text, styles.link, text)
                return urls + 1
            report.plain_urls += 1
        sheet.write_string(row, c, text)  # always a text cell: a formula-like text is never run
    return urls


def _write_summary(
    ledger: Ledger,
    book: xlsxwriter.Workbook,
    sheet: Any,
    styles: _Styles,
    kinds: Sequence[str],
    filters: dict[str, Filters],
    report: ExportReport,
    exported_at: str,
) -> None:
    figures = summary_figures(ledger, filters.get("aid", Filters()) if "aid" in kinds else None)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 6, 18)
    sheet.write_string(0, 0, "Aid Ledger export", styles.title)
    info = [
        ("Exported", exported_at.replace("T", " ").replace("Z", " UTC")),
        ("From database", str(ledger.path)),
        ("Aid Ledger version", app_version()),
        ("Filters", _describe_filters(ledger, kinds, filters) or "none: every record"),
    ]
    row = 2
    for label, value in info:
        sheet.write_string(row, 0, label, styles.bold)
        sheet.write_string(row, 1, value)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Records exported", styles.header)
    sheet.write_string(row, 1, "Count", styles.header)
    for name in kinds:
        row += 1
        sheet.write_string(row, 0, KINDS_BY_NAME[name].label)
        sheet.write_number(row, 1, report.counts.get(name, 0), styles.number)
    if figures is None:
        return
    row += 2
    sheet.write_string(row, 0, "EUR value of the Aid exported", styles.bold)
    row += 1
    sheet.write_string(
        row, 0, "Items with no known EUR value are counted apart; figures are values, not formulas.", styles.note
    )
    tables = [
        ("By year announced", "Year", figures["by_year"]),
        ("By category", "Category", figures["by_category"]),
        ("By kind", "Kind", figures["by_kind"]),
    ]
    chart_rows: tuple[int, int] | None = None
    for title, heading, data in tables:
        row += 2
        sheet.write_string(row, 0, title, styles.bold)
        row += 1
        sheet.write_string(row, 0, heading, styles.header)
        sheet.write_string(row, 1, "EUR", styles.header)
        sheet.write_string(row, 2, "Items", styles.header)
        sheet.write_string(row, 3, "Without value", styles.header)
        first = row + 1
        for key, eur, items, missing in data:
            row += 1
            sheet.write_string(row, 0, key)
            sheet.write_number(row, 1, eur, styles.number)
            sheet.write_number(row, 2, items, styles.number)
            sheet.write_number(row, 3, missing, styles.number)
        if heading == "Year" and data:
            chart_rows = (first, row)
    row += 2
    sheet.write_string(row, 0, "By donor and status (EUR)", styles.bold)
    row += 1
    statuses = figures["statuses"]
    sheet.write_string(row, 0, "Donor", styles.header)
    for i, status in enumerate(statuses, start=1):
        sheet.write_string(row, i, choice_label(status), styles.header)
    sheet.write_string(row, len(statuses) + 1, "Total", styles.header)
    for donor, by_status in figures["by_donor_status"]:
        row += 1
        sheet.write_string(row, 0, donor)
        for i, status in enumerate(statuses, start=1):
            sheet.write_number(row, i, by_status.get(status, 0), styles.number)
        sheet.write_number(row, len(statuses) + 1, sum(by_status.values()), styles.number)
    if chart_rows is not None:
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "EUR by year announced",
                "categories": ["Summary", chart_rows[0], 0, chart_rows[1], 0],
                "values": ["Summary", chart_rows[0], 1, chart_rows[1], 1],
                "fill": {"color": "#4472C4"},
            }
        )
        chart.set_title({"name": "EUR value of Aid by year announced"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"num_format": '#,##0,," m"'})
        chart.set_size({"width": 400, "height": 280})
        sheet.insert_chart(7, 4, chart, {"x_offset": 12})  # right of the tables, in view on opening
    aid_filters = filters.get("aid", Filters())
    write_figures(book, sheet, styles, analysis.figures(ledger, aid_filters), row, sheet_name="Summary")


def _describe_filters(ledger: Ledger, kinds: Sequence[str], filters: dict[str, Filters]) -> str:
    """The filters as a reader of the Summary says them: "Aid: Donor = Lithuania, Announced on from 2024"."""
    parts = []
    for name in kinds:
        f = filters.get(name)
        if f is None or not f.active:
            continue
        kind = KINDS_BY_NAME[name]
        words = []
        if f.search.strip():
            words.append(f"search '{f.search.strip()}'")
        for field_name, value in f.equals:
            field = kind.field(field_name)
            if value in (None, ""):
                shown = "(empty)"
            elif field.type is FieldType.REF:
                shown = display_name(ledger, field.ref or "", value) or f"#{value}"
            elif field.type is FieldType.CHOICE:
                shown = choice_label(str(value))
            else:
                shown = str(value)
            words.append(f"{field.label} = {shown}")
        if f.date_from or f.date_to:
            label = kind.field(f.date_field).label if f.date_field else "Date"
            span = [f"from {f.date_from}"] if f.date_from else []
            span += [f"to {f.date_to}"] if f.date_to else []
            words.append(f"{label} {' '.join(span)}")
        parts.append(f"{kind.label}: {', '.join(words)}")
    return "; ".join(parts)


def _write_meta(
    sheet: Any,
    ledger: Ledger,
    kinds: Sequence[str],
    filters: dict[str, Filters],
    report: ExportReport,
    exported_at: str,
) -> None:
    rows = [
        ("format", EXPORT_FORMAT),
        ("app_version", app_version()),
        ("schema_version", str(SCHEMA_VERSION)),
        ("database", str(ledger.path)),
        ("exported_at", exported_at),
        ("kinds", json.dumps(list(kinds))),
        ("filtered", json.dumps({k: f.active for k, f in filters.items()})),
        # the newest record of each kind the snapshot saw: a record past it was not there to be exported
        (
            "last_ids",
            json.dumps(
                {k: ledger.conn.execute(f'SELECT coalesce(max(id), 0) FROM "{k}"').fetchone()[0] for k in kinds}
            ),
        ),
        ("shortened", json.dumps(report.shortened, ensure_ascii=False)),
    ]
    for r, (key, value) in enumerate(rows):
        sheet.write_string(r, 0, key)
        sheet.write_string(r, 1, value[:EXCEL_MAX_CHARS])
