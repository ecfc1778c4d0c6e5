"""Aid Ledger: wiring only. Parse the arguments, open the database, then show the window or run one command.

Exit codes, for every command: 0 done; 1 the user's input or environment is wrong (one line on stderr); 2 wrong
usage; 3 a bug (details in the log file in the user's data folder). Never a traceback on the terminal. SIGTERM
stops a command as Ctrl+C does (exit 1, nothing half-written left); output into a pipe whose reader went away is
dropped, and the command runs to its end. Cell text is printed with its control characters escaped.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from io import TextIOWrapper
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, TextIO

import importers
from exporters import csv_export
from exporters import xlsx as xlsx_export
from exporters.files import replaced_when_done, scratch_folder
from importers import article
from importers.article.report import describe as describe_drafts
from importers.report import write_report
from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger, UserError, kind_named
from storage.check import check, repair
from storage.conversion import convert_all
from storage.paths import app_version, default_db_path, log_path
from storage.query import Filters
from storage.reconcile import reconcile
from storage.sample import load_sample
from storage.search import has_words
from storage.stats import stats
from storage.values import counted, format_number, parse_date

log = logging.getLogger("aid_ledger")

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3

# What must not reach the terminal raw: C0 and C1 controls but the tab and line break (ESC could clear or retitle the
# terminal, CR overwrite a line) and the bidi overrides and isolates that reorder what is shown. Letters of every
# script, accents and the bidi marks (LRM, RLM) stay as they are.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    r"""``text`` fit to print: each control character shown as its escape (ESC as ``\x1b``), line breaks kept."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def json_text(data: object) -> str:
    r"""``data`` as JSON that stays valid once printed: a control character in a string as its JSON escape (\u0096)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(data, indent=2, ensure_ascii=False))


def say(text: object = "", *, err: bool = False) -> None:
    """Print ``text`` for the user on stdout (stderr when ``err``): every line main.py prints goes through here.

    Cell text reaches the terminal only escaped (see ``terminal_text``). A reader that went away (``stats | head
    -1``) is no error: the rest of the output is dropped and the command goes on to its end.
    """
    stream = sys.stderr if err else sys.stdout
    try:
        print(terminal_text(str(text)), file=stream)
    except BrokenPipeError:
        _drop_output(stream)


def _drop_output(stream: TextIO) -> None:
    """Send what is still to be written to ``stream`` to the null device: its reader has closed the pipe."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, stream.fileno())
    os.close(null)


def _flush_output() -> None:
    """Flush stdout and stderr now, so that the interpreter's own flush at exit meets no closed pipe."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            _drop_output(stream)
        except (OSError, ValueError):  # closed by the caller; nothing can be shown anyway
            pass


def _row_number(text: str) -> int:
    """The argparse type of ``--header-row``: a spreadsheet row number, counted from 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a row number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"rows are counted from 1; {number} is no row")
    return number


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a confidence between 0 and 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line's arguments: the global options and each command's own."""
    parser = argparse.ArgumentParser(
        prog="aid-ledger",
        description="Curate records of military aid and defence cooperation. Without a command, opens the window.",
        epilog=f"Without --db, the database is {default_db_path()} (made with the sample records on first start).",
    )
    parser.add_argument("--version", action="version", version=f"aid-ledger {app_version()}")
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the database file to open (the window, load-sample and import make it if missing)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("load-sample", help="add the records curated from the seed articles (once)")
    p = commands.add_parser("stats", help="count the records of each kind and total the EUR value of Aid")
    p.add_argument("--json", action="store_true", help='print {"counts": {...}, "eur": {...}} as JSON')
    p = commands.add_parser("check", help="check the database's integrity, its schema and its stored values")
    p.add_argument(
        "--repair",
        action="store_true",
        help="rebuild what derives from the record descriptions (indexes, views, triggers, full-text indexes)",
    )
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
    p = commands.add_parser("extract", help="read a news article and propose the records it holds, as drafts")
    p.add_argument("file", type=Path, metavar="FILE", help="the article: .txt, .html, .eml or .pdf")
    p.add_argument("--published-on", metavar="DATE", help="the article's date, where the file does not say it")
    p.add_argument("--json", action="store_true", help='print {"source": {...}, "drafts": [...]} as JSON')
    p.add_argument(
        "--apply", action="store_true", help="add the drafts sure enough (one undo step), citing the article"
    )
    p.add_argument(
        "--min-confidence",
        type=_confidence,
        default=article.MIN_CONFIDENCE,
        metavar="C",
        help=f"the least confidence of a draft --apply adds (0 to 1; default {article.MIN_CONFIDENCE})",
    )
    p = commands.add_parser(
        "convert", help="fill or refresh Aid's EUR values at the ECB rate of each announcement date"
    )
    p.add_argument("--dry-run", action="store_true", help="count what would change; write nothing")
    p = commands.add_parser("reconcile", help="each reported total beside the sum of the items it covers, and the gap")
    p.add_argument("--json", action="store_true", help="print the reconciliations as a JSON list")
    p = commands.add_parser("import", help="import a spreadsheet: an edited export, or another team's layout")
    p.add_argument("file", type=Path, metavar="FILE", help=".xlsx, .xlsm, .xls, .ods or .csv")
    p.add_argument("--type", metavar="KIND", help="the kind of record the rows are (a foreign file; default aid)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read (default: the first with rows)")
    p.add_argument("--header-row", type=_row_number, metavar="N", help="the row of the headers (default: found)")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--map",
        metavar='"Header=field;..."',
        help='match columns to fields (identifiers); a column by its letters where headers repeat ("I=item"),'
        ' and "-" to leave one out ("status=-")',
    )
    group.add_argument("--mapping", metavar="NAME", help="use a mapping saved with --save-mapping")
    p.add_argument("--save-mapping", metavar="NAME", help="keep the mapping used, under this name")
    p.add_argument(
        "--set",
        metavar='"field=value;..."',
        dest="defaults",
        help="a value for every row that leaves the field empty (recipient=Ukraine)",
    )
    p.add_argument(
        "--where",
        metavar='"field=value;..."',
        help="import only the rows whose cell for the field says that value (donor=Lithuania)",
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
    return Path(args.db).expanduser() if args.db else default_db_path()


def open_ledger(args: argparse.Namespace, *, create: bool, strict: bool = True) -> Ledger:
    """Open the chosen database. The default one is made on first use, with the sample records.

    ``strict``: refuse a database whose schema another program changed (only ``check`` opens one, to say how).
    """
    path = _db_path(args)
    if args.db is None and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        ledger = Ledger.open(path)
        load_sample(ledger)
        return ledger
    ledger = Ledger.open(path, create=create, strict=strict)
    if ledger.migrated is not None:
        version, backup = ledger.migrated
        say(f"Upgraded {path} from schema version {version} to {ledger.user_version}; the old one is kept as {backup}")
    return ledger


def cmd_load_sample(args: argparse.Namespace) -> int:
    """``load-sample``: add the sample records, once."""
    with open_ledger(args, create=True) as ledger:
        added = load_sample(ledger)
    total = sum(added.values())
    if total:
        detail = ", ".join(f"{n} {KINDS_BY_NAME[k].label.lower()}" for k, n in added.items() if n)
        say(f"Added {total} sample records to {ledger.path}: {detail}.")
    else:
        say(f"The sample records are already in {ledger.path}; nothing added.")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """``stats``: how many records of each kind, and the EUR value of Aid; as JSON with --json."""
    with open_ledger(args, create=False) as ledger:
        figures = stats(ledger)
    if args.json:
        say(json_text(figures))
        return EXIT_OK
    say(f"Records in {ledger.path}")
    for name in DISPLAY_ORDER:
        say(f"  {KINDS_BY_NAME[name].label:<12}{figures['counts'][name]:>10,}")
    eur = figures["eur"]
    say("EUR value of Aid, by kind (items with a known value)")
    for kind, total in eur["by_kind"].items():
        say(f"  {kind:<28}{format_number(total):>18}")
    say(f"  {'aid to others, in all':<28}{format_number(eur['to_others']):>18}")
    if eur["not_itemised"]:
        say(f"  (of which {format_number(eur['not_itemised'])} given for packages as a whole, not itemised)")
    if eur["items_without_value"]:
        say(f"  ({eur['items_without_value']} items have no known EUR value)")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """``check``: find what is wrong with the database file, and with --repair mend what can be mended."""
    with open_ledger(args, create=False, strict=False) as ledger:
        problems = check(ledger)
        if problems and args.repair:
            for done in repair(ledger):
                say(f"repaired: {done}")
            problems = check(ledger)
    if problems:
        for problem in problems:
            say(problem, err=True)
        say(f"aid-ledger: {ledger.path}: {counted(len(problems), 'problem')} found", err=True)
        return EXIT_USER
    say(f"{ledger.path}: no problems found")
    return EXIT_OK


def cmd_window(args: argparse.Namespace) -> int:
    """Open the window on the database.

    Raises:
        UserError: there is no display to open it on.
    """
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
    """``export``: write the records (all kinds, or one with --type), filtered by --search, to a workbook or CSV.

    Raises:
        UsageError: the file's suffix or --type is wrong.
    """
    kinds = list(DISPLAY_ORDER)
    if args.type:
        try:
            kinds = [kind_named(args.type).name]
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from exc
    suffix = args.file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"{args.file}: the file must end in .xlsx or .csv")
    if suffix == ".csv" and not args.type:
        raise UsageError("a CSV file holds one kind of record: add --type KIND (aid, events, …)")
    if args.search.strip() and not has_words(args.search):
        # An export of everything under a Summary that says "filtered" would mislead; an empty file helps no one.
        raise UserError(f"the search '{args.search}' has no words to look for: nothing matched, nothing exported")
    with open_ledger(args, create=False) as ledger:
        if suffix == ".csv":
            report = csv_export.run(
                ledger, args.file, kind=kinds[0], filters=Filters(search=args.search), delimiter=args.delimiter
            )
        else:
            filters = {k: Filters(search=args.search) for k in kinds}
            report = xlsx_export.run(ledger, args.file, kinds=kinds, filters=filters, long_text=args.long_text)
    say(report.describe())
    for cell in report.shortened:
        say(f"  shortened: {cell}")
    return EXIT_OK


def _same_file(a: Path, b: Path) -> bool:
    """Whether the resolved paths ``a`` and ``b`` name one file (also through a hard link)."""
    return a == b or (a.exists() and b.exists() and os.path.samefile(a, b))


def check_report_path(args: argparse.Namespace) -> None:
    """Refuse an ``import --report`` path that would destroy a file the import needs, or that cannot be written.

    Runs before anything is read or written. Paths are compared resolved: relative paths, ``..`` and symbolic
    links name the file they lead to.

    Raises:
        UsageError: the path is the database (or its journal), the file being imported, a folder, or in a folder
            that does not exist.
    """
    report: Path | None = args.report
    if report is None:
        return
    where = report.expanduser().resolve()
    if where.is_dir():
        raise UsageError(f"--report {report}: is a folder; give the name of a file to write (report.xlsx)")
    if not where.parent.is_dir():
        raise UsageError(f"--report {report}: the folder {where.parent} does not exist")
    db = _db_path(args).resolve()
    if any(_same_file(where, Path(f"{db}{suffix}")) for suffix in ("", "-wal", "-shm", "-journal")):
        raise UsageError(f"--report {report}: is the database itself; give another file name")
    if _same_file(where, args.file.expanduser().resolve()):
        raise UsageError(f"--report {report}: is the file being imported; give another file name")
    if where.suffix.lower() != ".xlsx":  # it is a workbook: under another name, no program would open it right
        raise UsageError(f"--report {report}: the report is an Excel workbook; give a name ending in .xlsx")


def cmd_import(args: argparse.Namespace) -> int:
    """``import``: preview a workbook or CSV file and, unless --dry-run, import it."""
    kind = None
    if args.type:
        try:
            kind = kind_named(args.type).name
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from exc
    check_report_path(args)
    is_new = args.db is not None and not _db_path(args).exists()
    with ExitStack() as stack:
        if is_new and args.dry_run:  # a dry run makes nothing: it plans against an empty database of its own
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="aid-ledger-dry-run-"))
            ledger = stack.enter_context(Ledger.open(Path(scratch) / "empty.db"))
            say(f"No database at {_db_path(args)} yet: the dry run shows what importing into a new one would do.")
        else:
            ledger = stack.enter_context(open_ledger(args, create=True))
            if is_new:
                # made for this import: if it fails, the file goes too, rather than stay behind empty
                stack.callback(_remove_if_empty, ledger)
                say(f"Created a new database at {ledger.path}.")
        return _import_into(ledger, args, kind)


def _remove_if_empty(ledger: Ledger) -> None:
    """Remove a database this command made when nothing went into it (the import failed)."""
    try:
        empty = not any(ledger.db[k].count for k in DISPLAY_ORDER)
    except Exception:  # noqa: BLE001 - closed or damaged: leave it to the user
        return
    if empty:
        say(f"Nothing went into {ledger.path}: the new database was removed again.")
        ledger.close()
        for leftover in (ledger.path, ledger.path.with_name(ledger.path.name + "-wal")):
            leftover.unlink(missing_ok=True)
        ledger.path.with_name(ledger.path.name + "-shm").unlink(missing_ok=True)


def _import_into(ledger: Ledger, args: argparse.Namespace, kind: str | None) -> int:
    """The import command on an open database."""
    mapping: dict[str, str] | str | None = args.map
    if args.mapping:
        saved_kind, mapping = importers.saved_mapping(ledger, args.mapping)
        kind = kind or saved_kind
    previews = 0

    def preview(plan: importers.Plan) -> None:
        """Say what the import will do, before it does it: again when another program's write made it differ."""
        nonlocal previews
        if previews:
            say("The database changed while the file was read (another import or window wrote to it): read again.")
        previews += 1
        for conflict in plan.conflicts:
            conflict.take_theirs = args.take_theirs
        if not plan.from_export:
            for sheet, used in plan.mappings.items():
                say(f"{sheet}: headers on row {used.header_row + 1}; {used.describe() or 'no column matched'}")
                # every column is said, and what became of it
                derived = [c.name for c in used.columns if c.kept and c.how in ("derived", "taken")]
                kept = [c.name for c in used.columns if c.kept and c.how == "" and c.header.strip()]
                left = [c.name for c in used.columns if not c.field and not c.kept]
                if derived:
                    say(f"{sheet}: read by the layout to work out other fields, and kept: {'; '.join(derived)}")
                if kept:
                    say(f"{sheet}: kept with each record under Other columns (no field reads them): {'; '.join(kept)}")
                if left:
                    say(f"{sheet}: left out: {'; '.join(left)}")
        say(plan.summary())
        if args.report:
            with replaced_when_done(args.report) as temp:
                write_report(plan, temp)
            say(f"Report written to {args.report}")

    plan, done = importers.run(
        ledger,
        args.file,
        dry_run=args.dry_run,
        prepare=preview,
        kind=kind,
        sheet=args.sheet,
        mapping=mapping,
        header_row=None if args.header_row is None else args.header_row - 1,
        defaults=args.defaults,
        delete_missing=args.delete_missing,
        where=args.where,
    )
    counts = plan.counts()
    if args.dry_run:
        say("Dry run: nothing was written.")
        if args.save_mapping:
            say(f"The mapping '{args.save_mapping}' was not saved either (a dry run).")
    else:
        say(
            f"Imported: {done['added']:,} added, {done['updated']:,} updated, {done['deleted']:,} deleted"
            + (f", {counted(done['created'], 'linked record')} created" if done["created"] else "")
            + "."
        )
        if args.save_mapping and not plan.from_export:
            importers.save_mapping(ledger, args.save_mapping, plan.kinds[0], next(iter(plan.mappings.values())))
    if counts["errors"] and not (counts["add"] or counts["update"] or counts["unchanged"]):
        say(f"aid-ledger: {args.file}: nothing could be imported (see the reasons above)", err=True)
        return EXIT_USER
    return EXIT_OK


class UsageError(Exception):
    """The command line was used wrongly in a way argparse cannot see (exit code 2)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the command stops as on Ctrl+C, so that what it was writing is cleaned up on the way out."""


def cmd_extract(args: argparse.Namespace) -> int:
    """``extract``: the drafts an article holds; with --apply, those at or above --min-confidence are added."""
    published = None
    if args.published_on:
        try:
            published = parse_date(args.published_on)
        except ValueError as exc:
            raise UsageError(f"--published-on: {exc}") from exc
    with open_ledger(args, create=True) as ledger:
        result = article.extract_file(ledger, args.file, published_on=published)
        done = None
        if args.apply:
            chosen = [d for d in result.drafts[1:] if d.confidence >= args.min_confidence]
            done = article.apply(ledger, result, chosen)
    if args.json:
        out = result.as_json()
        if done is not None:
            out["applied"] = done
        say(json_text(out))
    else:
        say(describe_drafts(result, min_confidence=args.min_confidence))
        if done is not None:
            say(
                f"\nAdded {counted(done['added'], 'record')} citing the article"
                + (f", and the article to {counted(done['cited'], 'record')} already recorded" if done["cited"] else "")
                + (f"; made {counted(done['actors made'], 'actor')} they name" if done["actors made"] else "")
            )
    return EXIT_OK


def cmd_convert(args: argparse.Namespace) -> int:
    """``convert``: EUR values of items in other currencies at the ECB's rates; with --dry-run, only counted."""
    with open_ledger(args, create=False) as ledger:
        done = convert_all(ledger, dry_run=args.dry_run)
    verb = "Would change" if args.dry_run else "Changed"
    say(f"{verb} the EUR value of {counted(done.changed, 'item')}; {done.unchanged:,} already at the ECB's rate;")
    say(f"{done.kept:,} kept as given (by the source, a tracker's own conversion, or set by hand)")
    if done.undated:
        say(f"{counted(done.undated, 'item')} in another currency without an announcement date: no rate to take")
    for reason, n in done.no_rate.most_common():
        say(f"{counted(n, 'item')}: {reason}")
    if done.differing:
        say(f"{counted(len(done.differing), 'tracker conversion')} differing from the ECB's by more than 1%:")
        for rid, item, theirs, ours in done.differing[:20]:
            say(f"  #{rid} {item}: EUR {format_number(theirs)} given, EUR {format_number(ours)} at the ECB rate")
    return EXIT_OK


def cmd_reconcile(args: argparse.Namespace) -> int:
    """``reconcile``: every reported total next to the items it covers."""
    with open_ledger(args, create=False) as ledger:
        found = reconcile(ledger)
    if args.json:
        say(json_text([r.as_json() for r in found]))
        return EXIT_OK
    if not found:
        say("No reported totals to reconcile.")
    for r in found:
        said = " ".join(x for x in (r.qualifier if r.qualifier not in (None, "exact") else "", r.currency) if x)
        to = f" to {r.recipient}" if r.recipient else ""
        say(f"{r.subject}{to}, {r.measure} as of {r.as_of or '(no date)'}: {said} {format_number(r.amount)}")
        if r.reported_eur is None:
            say(f"  {r.eur_note}")
        say(
            f"  itemised: EUR {format_number(r.items_eur)} in {counted(r.items, 'item')}"
            f" ({r.without_value:,} without a value)"
        )
        if r.gap_eur is not None and r.gap_percent is not None:
            say(f"  gap: EUR {format_number(round(r.gap_eur))} ({r.gap_percent:.1f}% of the total)")
        for rid, item, on in r.unvalued[:5]:
            say(f"    no value: #{rid} {item}" + (f" ({on})" if on else ""))
    return EXIT_OK


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_window,
    "load-sample": cmd_load_sample,
    "stats": cmd_stats,
    "check": cmd_check,
    "export": cmd_export,
    "import": cmd_import,
    "extract": cmd_extract,
    "convert": cmd_convert,
    "reconcile": cmd_reconcile,
}


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file, whose folder is made when the first message is written.

    A first run with --db elsewhere has no folder yet. A log that cannot be written is no reason to print a
    traceback: the user is told in one line.
    """

    def _open(self) -> TextIOWrapper:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - the logging API's name
        pass


def setup_logging() -> None:
    """Log warnings and errors to the log file in the user's data folder, made only when something is logged."""
    handler = _LogFile(log_path(), maxBytes=1_000_000, backupCount=3, delay=True, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    # An error Python cannot raise (in a destructor, say a temporary file's flush on a full disk) goes to the log,
    # not to the terminal as a traceback. A hook someone else set (pytest's) is left alone.
    if sys.unraisablehook is sys.__unraisablehook__:
        sys.unraisablehook = _log_unraisable


def _log_unraisable(unraisable: Any) -> None:
    log.warning("ignored error in %r: %r", unraisable.object, unraisable.exc_value)


def report_bug(exc: BaseException) -> int:
    """Write the details of an unexpected error to the log and tell the user where they are, in one line."""
    try:
        log_path().parent.mkdir(parents=True, exist_ok=True)
        log.error("unexpected error", exc_info=exc)
        where = f"details are in {log_path()}"
    except Exception:  # noqa: BLE001 - even the log may be unwritable; the user still gets one line
        where = "the log file could not be written"
    say(f"aid-ledger: internal error ({type(exc).__name__}: {exc}); this is a bug, {where}", err=True)
    return EXIT_BUG


# Signals that stop a command as Ctrl+C does: killed, its terminal closed, or quit from the keyboard.
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, name))


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> NoReturn:
    for stopping in _STOPPING:  # once: the cleanup on the way out must not be cut short
        signal.signal(stopping, signal.SIG_IGN)
    raise Terminated(signal.Signals(signum).name)


@contextmanager
def command_scope() -> Iterator[None]:
    """How a command (not the window) runs.

    SIGTERM stops it as Ctrl+C does, and libraries' temporary files go into a private folder that is removed when
    the command ends, so that a failed or stopped export leaves none.
    """
    previous_handlers = {stopping: signal.signal(stopping, _stop_on_sigterm) for stopping in _STOPPING}
    previous_tempdir = tempfile.tempdir
    try:
        with ExitStack() as stack:
            try:
                tempfile.tempdir = str(stack.enter_context(scratch_folder()))
            except UserError:
                pass  # the temporary folder is full or read-only: the libraries meet that themselves, if they need it
            yield
    finally:
        tempfile.tempdir = previous_tempdir
        for stopping, handler in previous_handlers.items():
            signal.signal(stopping, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (the window without a command); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)  # exits with 2 on wrong usage, as argparse does
    except BrokenPipeError:  # --help into a pipe whose reader went away
        _drop_output(sys.stdout)
        return EXIT_OK
    setup_logging()
    try:
        if args.command is None:
            return COMMANDS[None](args)
        with command_scope():
            return COMMANDS[args.command](args)
    except UsageError as exc:
        say(f"aid-ledger {args.command}: {exc}", err=True)
        return EXIT_USAGE
    except UserError as exc:
        say(f"aid-ledger: {exc}", err=True)
        return EXIT_USER
    except Terminated as exc:
        say(f"aid-ledger: stopped ({exc.args[0] if exc.args else 'SIGTERM'}); nothing half-written was left", err=True)
        return EXIT_USER
    except KeyboardInterrupt:
        say("aid-ledger: interrupted", err=True)
        return EXIT_USER
    except Exception as exc:  # noqa: BLE001 - the one place every unexpected error is turned into exit code 3
        return report_bug(exc)
    finally:
        _flush_output()


if __name__ == "__main__":
    sys.exit(main())
