"""The import report as a workbook: the rows that cannot be imported (sheet, row, column, reason) and the changes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .plan import Plan


def write_report(plan: Plan, path: Path | str) -> Path:
    """Write the plan's problems and changes to an .xlsx file; returns its path."""
    book = openpyxl.Workbook()
    problems = book.active
    problems.title = "Cannot import"
    problems.append(["Sheet", "Row", "Column", "Reason"])
    for issue in plan.issues:
        problems.append([_text(issue.sheet), issue.row, issue.column, _text(issue.message)])
    changes = book.create_sheet("Changes")
    changes.append(["Kind", "Record", "Field", "Now", "In the file", "Conflict"])
    for update in plan.updates:
        for name, (old, new) in update.changes.items():
            changes.append([update.kind, _text(update.title), name, _text(old), _text(new), ""])
    for conflict in plan.conflicts:
        changes.append(
            [
                conflict.kind,
                _text(conflict.title),
                conflict.field,
                _text(conflict.ours),
                _text(conflict.theirs),
                "taken from the file" if conflict.take_theirs else "kept as it is here",
            ]
        )
    for sheet in (problems, changes):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a reason or value that starts with "=" stays text
    target = Path(path)
    book.save(target)
    return target


def _text(value: object) -> str:
    """A value as a report cell holds it, control characters written as their escapes.

    A workbook cannot hold control characters (an escape sequence in a colleague's cell).
    """
    text = "" if value is None else str(value)
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
