"""The export's analysis: the Analysis page's figures as native Excel charts, and a Reconciliation sheet.

The Summary gets the figures as tables with their charts beside them; the Reconciliation sheet has the reported
totals beside the items they cover.

The figures come from ``storage.analysis`` and ``storage.reconcile``, the same functions the window draws, so the
workbook and the window agree. Charts are Excel's own (xlsxwriter), drawn from the cells written beside them: a
colleague can restyle them, and they change if the numbers are edited. The series differ in lightness as well as
hue, so they read in greyscale too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage import Ledger
from storage.analysis import Figures
from storage.reconcile import Reconciliation

from .cells import choice_label

# Blues and oranges of stepped lightness: told apart in colour and in greyscale alike.
PALETTE = ("#1F3B73", "#E07B00", "#6C9BD2", "#8C4A00", "#B7D0EC", "#F2B872", "#3D6FB6", "#5A5A5A", "#C9C9C9")
MILLIONS = '#,##0.0,," m"'
RECONCILIATION_SHEET = "Reconciliation"


def write_figures(book: Any, sheet: Any, styles: Any, figures: Figures, row: int, *, sheet_name: str) -> int:
    """The four tables of the Analysis page, each with its chart to the right; returns the next free row."""
    row += 2
    sheet.write_string(row, 0, "Analysis: aid to others (a country's own buying and trade apart)", styles.bold)
    row += 1
    said = f"{figures.items:,} items, {figures.without_value:,} of them with no EUR value (counted apart, not as 0)"
    sheet.write_string(row, 0, said, styles.note)
    table = figures.year_category_table()
    row += 2
    sheet.write_string(row, 0, "EUR by year announced and category", styles.bold)
    row += 1
    first = row
    for r, values in enumerate(table):
        for c, value in enumerate(values):
            if r == 0 or c == 0:
                sheet.write_string(
                    row, c, choice_label(str(value)) if r == 0 and c else str(value), styles.header if r == 0 else None
                )
            else:
                sheet.write_number(row, c, value, styles.number)
        row += 1
    if len(table) > 1 and len(table[0]) > 1:
        chart = book.add_chart({"type": "column", "subtype": "stacked"})
        for c in range(1, len(table[0])):
            chart.add_series(
                {
                    "name": [sheet_name, first, c],
                    "categories": [sheet_name, first + 1, 0, row - 1, 0],
                    "values": [sheet_name, first + 1, c, row - 1, c],
                    "fill": {"color": PALETTE[(c - 1) % len(PALETTE)]},
                    "border": {"color": "#FFFFFF"},
                }
            )
        _axes(chart, "EUR value of aid by year announced and category", "Year announced", "EUR")
        sheet.insert_chart(first, len(table[0]) + 1, chart, {"x_offset": 12})
    for title, heading, data, x_title in (
        ("EUR by donor", "Donor", figures.by_donor, "Donor"),
        ("Committed against delivered: EUR by status", "Status", figures.by_status, "Status"),
    ):
        row += 2
        sheet.write_string(row, 0, title, styles.bold)
        row += 1
        for c, h in enumerate((heading, "EUR", "Items", "Without value")):
            sheet.write_string(row, c, h, styles.header)
        first = row + 1
        for key, eur, items, missing in data:
            row += 1
            sheet.write_string(row, 0, choice_label(key) if heading == "Status" else key)
            sheet.write_number(row, 1, eur, styles.number)
            sheet.write_number(row, 2, items, styles.number)
            sheet.write_number(row, 3, missing, styles.number)
        if data:
            chart = book.add_chart({"type": "bar" if heading == "Donor" else "column"})
            chart.add_series(
                {
                    "name": "EUR",
                    "categories": [sheet_name, first, 0, row, 0],
                    "values": [sheet_name, first, 1, row, 1],
                    "fill": {"color": PALETTE[0]},
                    "data_labels": {"value": True, "num_format": MILLIONS},
                }
            )
            _axes(chart, title, x_title, "EUR", horizontal=heading == "Donor")
            chart.set_legend({"none": True})
            sheet.insert_chart(first - 1, 5, chart, {"x_offset": 12})
            row = max(row, first + 15)  # room for the chart before the next table
    row += 2
    sheet.write_string(row, 0, "Timeline: aid announced, events and agreements by month", styles.bold)
    row += 1
    for c, h in enumerate(("Month", "Aid EUR announced", "Events", "Agreements signed")):
        sheet.write_string(row, c, h, styles.header)
    first = row + 1
    for month, eur, events, agreements in figures.timeline:
        row += 1
        sheet.write_string(row, 0, month)
        sheet.write_number(row, 1, eur, styles.number)
        sheet.write_number(row, 2, events, styles.number)
        sheet.write_number(row, 3, agreements, styles.number)
    if figures.timeline:
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "Aid EUR announced",
                "categories": [sheet_name, first, 0, row, 0],
                "values": [sheet_name, first, 1, row, 1],
                "fill": {"color": PALETTE[2]},
            }
        )
        lines = book.add_chart({"type": "line"})
        for c, color, dash in ((2, PALETTE[0], "solid"), (3, PALETTE[1], "dash")):
            lines.add_series(
                {
                    "name": [sheet_name, first - 1, c],
                    "categories": [sheet_name, first, 0, row, 0],
                    "values": [sheet_name, first, c, row, c],
                    "y2_axis": True,
                    "line": {"color": color, "width": 2.25, "dash_type": dash},
                    "marker": {"type": "circle" if c == 2 else "square", "size": 6},
                }
            )
        chart.combine(lines)
        _axes(chart, "Aid announced beside events and agreements, by month", "Month", "EUR")
        lines.set_y2_axis({"name": "Events and agreements", "min": 0})
        sheet.insert_chart(first - 1, 5, chart, {"x_offset": 12})
        row = max(row, first + 15)
    return row


def _axes(chart: Any, title: str, x: str, y: str, *, horizontal: bool = False) -> None:
    chart.set_title({"name": title, "name_font": {"size": 11}})
    value_axis = {"name": f"{y} (millions)", "num_format": MILLIONS, "major_gridlines": {"visible": True}}
    category_axis = {"name": x}
    chart.set_x_axis(value_axis if horizontal else category_axis)
    chart.set_y_axis(category_axis if horizontal else value_axis)
    chart.set_size({"width": 620, "height": 300})
    chart.set_legend({"position": "bottom"})


def write_reconciliation(sheet: Any, styles: Any, found: Sequence[Reconciliation]) -> None:
    """One row per reported total: as reported, in EUR, itemised, the gap, and the items without a value."""
    headers = (
        ("Subject", 18), ("Recipient", 14), ("Measure", 20), ("As of", 11), ("Reported", 16), ("Currency", 9),
        ("Qualifier", 10), ("Reported (EUR)", 16), ("Itemised (EUR)", 16), ("Items", 8), ("Without value", 12),
        ("Gap (EUR)", 16), ("Gap (%)", 9), ("Items without a value (up to 25)", 60), ("Note", 40),
    )  # fmt: skip
    for c, (name, width) in enumerate(headers):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, name, styles.header)
    sheet.freeze_panes(1, 1)
    for r, t in enumerate(found, start=1):
        cells: list[Any] = [
            t.subject, t.recipient or "", choice_label(t.measure), t.as_of or "", t.amount, t.currency,
            t.qualifier or "", t.reported_eur, t.items_eur, t.items, t.without_value, t.gap_eur,
            None if t.gap_percent is None else round(t.gap_percent, 1),
            "; ".join(f"#{i} {item}" for i, item, _ in t.unvalued), t.eur_note,
        ]  # fmt: skip
        for c, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value, styles.decimal if c == 12 else styles.number)
            else:
                sheet.write_string(r, c, str(value))


def reconciliations(ledger: Ledger, total_ids: Sequence[int]) -> list[Reconciliation]:
    """The reconciliations of the totals exported, in the order ``storage.reconcile`` gives them."""
    from storage.reconcile import reconcile

    wanted = set(total_ids)
    return [r for r in reconcile(ledger) if r.total_id in wanted]
