"""Aid Ledger: wiring only. Parse the arguments, open the database, then show the window or run one command.

Exit codes, for every command: 0 done; 1 the user's input or environment is wrong (one line on stderr); 2 wrong
usage; 3 a bug (details in the log file in the user's data folder). Never a traceback on the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import importers
from exporters import csv_export
from exporters import xlsx as xlsx_export
from importers.report import write_report
from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger, UserError, kind_named
from storage.check import check
from storage.paths import app_version, default_db_path, log_path
from storage.query import Filters
from storage.sample import load_sample
from storage.stats import stats
from storage.values import format_number

log = logging.getLogger("aid_ledger")

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aid-ledger",
        description="Curate records of military aid and defence cooperation. Without a command, opens the window.",
        epilog=f"Without --db, the database is {default_db_path()} (made with the sample records on first start).",
    )
    parser.add_argument("--version", action="version", version=f"aid-ledger {app_version()}")
    parser.add_argument("--db", type=Path, metavar="PATH", help="the database file to open (made if missing)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("load-sample", help="add the records curated from the seed articles (once)")
    p = commands.add_parser("stats", help="count the records of each kind and total the EUR value of Aid")
    p.add_argument("--json", action="store_true", help='print {"counts": {...}, "eur": {...}} as JSON')
    commands.add_parser("check", help="check the database's integrity and the app's consistency rules")
    p = commands.add_parser("export", help="export records to an Excel workbook (.xlsx) or one kind to CSV")
    p.add_argument("file", type=Path, metavar="FILE", help="the .xlsx or .csv file to write")
    p.add_argument("--type", metavar="KIND", help=f"only this kind ({', '.join(DISPLAY_ORDER)}); required for CSV")
    p.add_argument("--search", metavar="TEXT", default="", help="only the records that match these words")
    p.add_argument("--delimiter", default=",", metavar="CHAR", help='CSV field separator (";" for some locales)')
    p.add_argument(
        "--long-text",
        choices=("shorten", "refuse"),
        default="shorten",
        help="texts longer than an Excel cell holds: shorten them (marked, listed) or refuse to export",
    )
    p = commands.add_parser("import", help="import a spreadsheet: an edited export, or another team's layout")
    p.add_argument("file", type=Path, metavar="FILE", help=".xlsx, .xlsm, .xls, .ods or .csv")
    p.add_argument("--type", metavar="KIND", help="the kind of record the rows are (a foreign file; default aid)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first with rows)")
    p.add_argument("--header-row", type=int, metavar="N", help="the row of the headers (default: found)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--map", metavar='"Header=field;..."', help="match columns to fields (identifiers)")
    group.add_argument("--mapping", metavar="NAME", help="use a mapping saved with --save-mapping")
    p.add_argument("--save-mapping", metavar="NAME", help="keep the mapping used, under this name")
    p.add_argument(
        "--set",
        metavar='"field=value;..."',
        dest="defaults",
        help="a value for every row that leaves the field empty (recipient=Ukraine)",
    )
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--report", type=Path, metavar="FILE.xlsx", help="write the problems and changes to a workbook")
    p.add_argument(
        "--delete-missing",
        action="store_true",
        help="delete the records an unfiltered export had and the workbook no longer has",
    )
    p.add_argument(
        "--take-theirs",
        action="store_true",
        help="in a conflict (changed here and in the workbook), take the workbook's value",
    )
    return parser


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def open_ledger(args: argparse.Namespace, *, create: bool) -> Ledger:
    """Open the chosen database. The default one is made on first use, with the sample records."""
    path = _db_path(args)
    if args.db is None and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        ledger = Ledger.open(path)
        load_sample(ledger)
        return ledger
    return Ledger.open(path, create=create)


def cmd_load_sample(args: argparse.Namespace) -> int:
    with open_ledger(args, create=True) as ledger:
        added = load_sample(ledger)
    total = sum(added.values())
    if total:
        detail = ", ".join(f"{n} {KINDS_BY_NAME[k].label.lower()}" for k, n in added.items() if n)
        print(f"Added {total} sample records to {ledger.path}: {detail}.")
    else:
        print(f"The sample records are already in {ledger.path}; nothing added.")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    with open_ledger(args, create=False) as ledger:
        figures = stats(ledger)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"Records in {ledger.path}")
    for name in DISPLAY_ORDER:
        print(f"  {KINDS_BY_NAME[name].label:<12}{figures['counts'][name]:>10,}")
    eur = figures["eur"]
    print("EUR value of Aid, by kind (items with a known value)")
    for kind, total in eur["by_kind"].items():
        print(f"  {kind:<28}{format_number(total):>18}")
    print(f"  {'aid to others, in all':<28}{format_number(eur['to_others']):>18}")
    if eur["items_without_value"]:
        print(f"  ({eur['items_without_value']} items have no known EUR value)")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    with open_ledger(args, create=False) as ledger:
        problems = check(ledger)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"aid-ledger: {ledger.path}: {len(problems)} problems found", file=sys.stderr)
        return EXIT_USER
    print(f"{ledger.path}: no problems found")
    return EXIT_OK


def cmd_window(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise UserError(
            "no display to open the window on (DISPLAY is not set); run it on a desktop, or: xvfb-run -a make run"
        )
    ledger = open_ledger(args, create=True)
    from gui.app import run_window  # Qt is loaded only for the window, so commands start fast

    return run_window(ledger)


def cmd_export(args: argparse.Namespace) -> int:
    kinds = list(DISPLAY_ORDER)
    if args.type:
        try:
            kinds = [kind_named(args.type).name]
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from exc
    suffix = args.file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"{args.file}: the file must end in .xlsx or .csv")
    with open_ledger(args, create=False) as ledger:
        if suffix == ".csv":
            if not args.type:
                raise UsageError("a CSV file holds one kind of record: add --type KIND (aid, events, …)")
            report = csv_export.run(
                ledger, args.file, kind=kinds[0], filters=Filters(search=args.search), delimiter=args.delimiter
            )
        else:
            filters = {k: Filters(search=args.search) for k in kinds}
            report = xlsx_export.run(ledger, args.file, kinds=kinds, filters=filters, long_text=args.long_text)
    print(report.describe())
    for cell in report.shortened:
        print(f"  shortened: {cell}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    kind = None
    if args.type:
        try:
            kind = kind_named(args.type).name
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from exc
    with open_ledger(args, create=False) as ledger:
        mapping: dict[str, str] | str | None = args.map
        if args.mapping:
            saved_kind, mapping = importers.saved_mapping(ledger, args.mapping)
            kind = kind or saved_kind
        plan = importers.make_plan(
            ledger,
            args.file,
            kind=kind,
            sheet=args.sheet,
            mapping=mapping,
            header_row=None if args.header_row is None else args.header_row - 1,
            defaults=args.defaults,
            delete_missing=args.delete_missing,
        )
        for conflict in plan.conflicts:
            conflict.take_theirs = args.take_theirs
        if args.save_mapping and not plan.from_export:
            importers.save_mapping(ledger, args.save_mapping, plan.kinds[0], next(iter(plan.mappings.values())))
        if not plan.from_export:
            for sheet, used in plan.mappings.items():
                print(f"{sheet}: headers on row {used.header_row + 1}; {used.describe() or 'no column matched'}")
        print(plan.summary())
        if args.report:
            print(f"Report written to {write_report(plan, args.report)}")
        counts = plan.counts()
        if args.dry_run:
            print("Dry run: nothing was written.")
        else:
            done = importers.apply(ledger, plan)
            print(
                f"Imported: {done['added']:,} added, {done['updated']:,} updated, {done['deleted']:,} deleted"
                + (f", {done['created']:,} linked records created" if done["created"] else "")
                + "."
            )
    if counts["errors"] and not (counts["add"] or counts["update"] or counts["unchanged"]):
        print(f"aid-ledger: {args.file}: nothing could be imported (see the reasons above)", file=sys.stderr)
        return EXIT_USER
    return EXIT_OK


class UsageError(Exception):
    """The command line was used wrongly in a way argparse cannot see (exit code 2)."""


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_window,
    "load-sample": cmd_load_sample,
    "stats": cmd_stats,
    "check": cmd_check,
    "export": cmd_export,
    "import": cmd_import,
}


def setup_logging() -> None:
    """Log warnings and errors to the log file in the user's data folder, made only when something is logged."""
    handler = logging.handlers.RotatingFileHandler(
        log_path(), maxBytes=1_000_000, backupCount=3, delay=True, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def report_bug(exc: BaseException) -> int:
    """Write the details of an unexpected error to the log and tell the user where they are, in one line."""
    try:
        log_path().parent.mkdir(parents=True, exist_ok=True)
        log.error("unexpected error", exc_info=exc)
        where = f"details are in {log_path()}"
    except Exception:  # noqa: BLE001 - even the log may be unwritable; the user still gets one line
        where = "the log file could not be written"
    print(f"aid-ledger: internal error ({type(exc).__name__}: {exc}); this is a bug, {where}", file=sys.stderr)
    return EXIT_BUG


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on wrong usage, as argparse does
    setup_logging()
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"aid-ledger: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UserError as exc:
        print(f"aid-ledger: {exc}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("aid-ledger: interrupted", file=sys.stderr)
        return EXIT_USER
    except Exception as exc:  # noqa: BLE001 - the one place every unexpected error is turned into exit code 3
        return report_bug(exc)


if __name__ == "__main__":
    sys.exit(main())
