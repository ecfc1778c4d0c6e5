"""The main window: the record kinds in a sidebar, each a table; menus, shortcuts, undo, and the status bar."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from storage import DISPLAY_ORDER, KINDS_BY_NAME, Ledger, UserError
from storage.backups import backup_on_start
from storage.kinds import NOT_AID
from storage.paths import app_version
from storage.query import EurTotal, eur_total, packages_eur
from storage.sample import load_sample
from storage.stats import counts, reported_totals, stats
from storage.values import format_date, format_number

from . import settings
from .dialogs.guide import GuideDialog
from .editing import Editor
from .record_page import RecordPage
from .workers import Job, runner

OVERVIEW = "overview"
WATCH_MS = 500


def _right(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


class OverviewPage(QWidget):
    """What the database holds: records of each kind, the EUR value of Aid by kind, and the reported totals."""

    def __init__(self, ledger: Ledger, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(QLabel("<h2>Overview</h2>"))
        path = QLabel(str(ledger.path))
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(path)
        row = QHBoxLayout()
        self.counts_form, self.eur_form, self.totals_form = QFormLayout(), QFormLayout(), QVBoxLayout()
        boxes = (
            ("Records", self.counts_form, 1),
            ("EUR value of Aid, by kind", self.eur_form, 2),
            ("Reported totals, beside the items recorded here", self.totals_form, 3),
        )
        for heading, form, stretch in boxes:
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(box)
            inner.addWidget(QLabel(f"<b>{heading}</b>"))
            inner.addLayout(form)
            inner.addStretch(1)
            row.addWidget(box, stretch)
        layout.addLayout(row)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Count the records again, total the EUR value of Aid, and set each reported total beside its items."""
        figures = stats(self.ledger)
        for form in (self.counts_form, self.eur_form):
            while form.rowCount():
                form.removeRow(0)
        while self.totals_form.count():
            item = self.totals_form.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for name in DISPLAY_ORDER:
            self.counts_form.addRow(KINDS_BY_NAME[name].label, _right(f"{figures['counts'][name]:,}"))
        eur = figures["eur"]
        for kind, total in eur["by_kind"].items():
            items, missing = eur["items_by_kind"][kind], eur["without_value_by_kind"][kind]
            if not items:
                continue  # no item of this kind: no line, rather than a total of 0
            text = "unknown" if missing == items and not total else format_number(total)
            label = QLabel(kind[:1].upper() + kind[1:])
            value = _right(text)
            if missing:
                value.setToolTip(f"{_count(missing, 'item')} of this kind without a known EUR value")
            self.eur_form.addRow(label, value)
        aid = [k for k in eur["by_kind"] if k not in NOT_AID]
        unknown = eur["to_others"] == 0 and sum(eur["without_value_by_kind"][k] for k in aid) > 0
        to_others = "unknown" if unknown else format_number(eur["to_others"])  # no value known is not 0
        self.eur_form.addRow("<b>Aid to others, in all</b>", _right(f"<b>{to_others}</b>"))
        own = eur["own_procurement"]
        self.eur_form.addRow("<b>Own procurement, apart</b>", _right(f"<b>{format_number(own)}</b>"))
        if eur["items_without_value"]:
            without = _count(eur["items_without_value"], "item")
            self.eur_form.addRow(QLabel(f"<i>{without} with no known EUR value (not counted)</i>"))
        reported = reported_totals(self.ledger)
        for total in reported:
            who = total["subject"] + (f" to {total['recipient']}" if total["recipient"] else "")
            when = f" as of {format_date(total['as_of'])}" if total["as_of"] else ""
            qualifier = total["qualifier"] if total["qualifier"] not in (None, "exact") else ""
            said = " ".join(w for w in (qualifier, total["currency"] or "", format_number(total["amount"])) if w)
            itemised = f"itemised here: EUR {format_number(total['itemised_eur'])} in {_count(total['items'], 'item')}"
            if total["without_value"] and total["without_value"] == total["items"] and not total["itemised_eur"]:
                itemised = f"itemised here: {_count(total['items'], 'item')}, none with a known value"
            elif total["without_value"]:
                itemised += f", {total['without_value']:,} without a value"
            label = QLabel(
                f"<b>{html.escape(who)}</b>, {html.escape(total['measure'])}{html.escape(when)}<br>"
                f"reported: <b>{html.escape(said)}</b><br>{html.escape(itemised)}"
            )
            label.setWordWrap(True)
            self.totals_form.addWidget(label)
        if not reported:
            self.totals_form.addWidget(QLabel("<i>No reported totals yet.</i>"))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


class EmptyPage(QWidget):
    """What a new, empty database shows instead of a blank grid: what to do next."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h2>This database has no records yet</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        hint = QLabel(
            "Enter the records of an article, or start from the sample records curated from five news\n"
            "articles on Lithuania's military aid to Ukraine (2023-2024)."
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.new_button = QPushButton("New aid item  (Ctrl+N)")
        self.import_button = QPushButton("Import a spreadsheet…  (Ctrl+I)")
        self.sample_button = QPushButton("Load the sample records")
        self.open_button = QPushButton("Open another database…")
        for button in (self.new_button, self.import_button, self.sample_button, self.open_button):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.new_button.clicked.connect(window.new_record)
        self.import_button.clicked.connect(lambda: window.import_file(None))
        self.sample_button.clicked.connect(window.load_sample_records)
        self.open_button.clicked.connect(window.open_database_dialog)


class MainWindow(QMainWindow):
    """The one main window on an open database."""

    open_windows: ClassVar[set[MainWindow]] = set()

    def __init__(self, ledger: Ledger) -> None:
        super().__init__()
        self.ledger = ledger
        self.editor = Editor(ledger, self)
        self.setWindowTitle(f"{ledger.path.name} — Aid Ledger")
        self.pages: dict[str, RecordPage] = {}
        self._total_job: Job | None = None
        self._guide: GuideDialog | None = None
        self._closed = False

        self.sidebar = QListWidget()
        self.sidebar.setMinimumWidth(140)
        for name in (OVERVIEW, *DISPLAY_ORDER):
            item = QListWidgetItem("Overview" if name == OVERVIEW else KINDS_BY_NAME[name].label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.sidebar.addItem(item)
        self.stack = QStackedWidget()
        self.overview = OverviewPage(ledger)
        self.empty = EmptyPage(self)
        self.stack.addWidget(self.overview)
        self.stack.addWidget(self.empty)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 1030])
        self.setCentralWidget(splitter)

        self.shown_label = QLabel()
        self.total_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # a query has no known length: a moving bar says it is working
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.setFormat("")
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop sorting or filtering; the table stays as it was")
        self.cancel_button.clicked.connect(self.cancel_query)
        for widget in (self.busy_bar, self.cancel_button):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)
        self.article_label = QLabel()  # the article being entered, which new records cite
        self.article_label.hide()
        self.statusBar().addPermanentWidget(self.article_label)
        self.statusBar().addPermanentWidget(self.shown_label)
        self.statusBar().addPermanentWidget(self.total_label)

        self._build_actions()
        self._build_menus()
        self.sidebar.currentItemChanged.connect(self._on_sidebar_current_item_changed)
        self.editor.records_changed.connect(self._on_records_changed)
        self.editor.failed.connect(self._on_editor_failed)
        self.editor.current_source_changed.connect(self._on_current_source_changed)
        self.editor.said.connect(lambda message: self.statusBar().showMessage(message, 8000))

        self.resize(1200, 740)
        geometry, state = settings.window_geometry(), settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        settings.add_recent_database(str(ledger.path))
        self._rebuild_recent_menu()
        self._empty = sum(counts(ledger).values()) == 0
        start_kind = settings.current_kind()
        if start_kind not in (OVERVIEW, *DISPLAY_ORDER):
            start_kind = "aid"
        self.show_kind(start_kind)
        self.setAcceptDrops(True)  # a spreadsheet dropped on the window opens the import
        # Another copy of the app (or another program) may write to the same file: both edits land, and the
        # tables follow, checked twice a second by SQLite's data_version (a cheap read, no query of records).
        self._missing_reported = False
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._on_watch_timeout)
        self._watch.start()
        MainWindow.open_windows.add(self)
        # Counts over a big database, and the backup on start, wait until the first table is painted.
        QTimer.singleShot(0, self._refresh_sidebar_counts)
        QTimer.singleShot(0, self._back_up_on_start)
        if ledger.migrated is not None:  # said once, where the user looks: the old file is kept
            version, backup = ledger.migrated
            self.statusBar().showMessage(
                f"Upgraded from schema version {version}; the database as it was is kept as {backup.name}.", 15000
            )

    # --- pages ----------------------------------------------------------------------------------------------------

    def show_kind(self, name: str) -> None:
        """Show the table of the kind named ``name`` ("aid"), selecting it in the sidebar."""
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.sidebar.setCurrentRow(row)
                break
        self._show(name)

    def _on_sidebar_current_item_changed(self, current: QListWidgetItem | None, _: Any) -> None:
        if current is not None:
            self._show(current.data(Qt.ItemDataRole.UserRole))

    def _show(self, name: str) -> None:
        if self._empty:
            self.stack.setCurrentWidget(self.empty)
            self._update_status()
            return
        if name == OVERVIEW:
            self.overview.refresh()
            self.stack.setCurrentWidget(self.overview)
        else:
            page = self.page(name)
            self.stack.setCurrentWidget(page)
            page.view.setFocus()
        self._update_status()

    def page(self, name: str) -> RecordPage:
        """The page of a kind, made and filled the first time it is needed."""
        if name not in self.pages:
            page = RecordPage(self.editor, name, self)
            page.shown_changed.connect(self._update_status)
            page.model.busy_changed.connect(self._on_model_busy_changed)
            self.pages[name] = page
            self.stack.addWidget(page)
            page.load()
            if name == "totals":  # the way from the totals to their reconciliation with the items
                from .analysis.wiring import add_reconcile_button

                add_reconcile_button(page, self)
        return self.pages[name]

    def current_page(self) -> RecordPage | None:
        """The record table shown, or None when the overview is."""
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, RecordPage) else None

    def _refresh_sidebar_counts(self, figures: dict[str, int] | None = None) -> None:
        if self._closed:
            return
        figures = figures or counts(self.ledger)
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            name = item.data(Qt.ItemDataRole.UserRole)
            if name != OVERVIEW:
                item.setText(f"{KINDS_BY_NAME[name].label}  ({figures[name]:,})")

    # --- the article being entered -------------------------------------------------------------------------------

    def cite_selected_source(self) -> None:
        """Make the source selected on the Sources page the article that new records cite."""
        page = self.current_page()
        if page is None or page.kind.name != "sources" or not page.selected_ids():
            self.statusBar().showMessage("Select a source on the Sources page first: new records will cite it.", 8000)
            return
        self.editor.set_current_source(page.selected_ids()[0])

    def _on_current_source_changed(self, rid: int | None) -> None:
        article = self.editor.current_article()
        self.stop_citing_action.setEnabled(article is not None)
        if article is None:
            self.article_label.hide()
            return
        title = str(article.get("title") or "")
        short = title if len(title) <= 28 else title[:27] + "…"  # the status bar's messages need the room
        date = f", {format_date(article['published_on'])}" if article.get("published_on") else ""
        self.article_label.setText(f"Citing: {short}{date}  ·")
        self.article_label.setToolTip(
            f"New records cite “{title}”{date} and take its date. Edit > Stop citing the article to clear."
        )
        self.article_label.show()
        self.statusBar().showMessage(f"New records cite “{short}”.", 5000)

    # --- status bar -----------------------------------------------------------------------------------------------

    def _update_status(self) -> None:
        page = self.current_page()
        if page is None:
            self.shown_label.setText("")
            self.total_label.setText("")
            return
        shown = page.model.rowCount()
        noun = page.kind.singular.lower() if shown == 1 else page.kind.plural
        total_text = f"{shown:,} {noun} shown" + ("  ·" if page.kind.name in ("aid", "packages") else "")
        self.shown_label.setText(total_text)
        if self._total_job is not None:
            self._total_job.cancel()
            self._total_job = None
        sums = {"aid": eur_total, "packages": packages_eur}.get(page.kind.name)
        if sums is None:  # a page's status bar speaks of its own kind: events, sources... have no EUR value
            self.total_label.setText("")
            return
        # The EUR total runs off the UI thread: over a million items it takes a moment.
        filters, kind = page.model.filters, page.kind.name
        self.total_label.setText("EUR …")
        job = Job(
            self.ledger.path,
            lambda reader: sums(reader, filters),
            on_done=lambda result: self._on_total_finished(job, kind, result),
            on_failed=lambda message: self._on_total_failed(job),
            owner=self,
        )
        self._total_job = runner().start(job)

    def _on_model_busy_changed(self, busy: bool) -> None:
        busy = any(page.model.busy for page in self.pages.values())
        self.busy_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.statusBar().showMessage("Sorting and filtering…")
        else:
            self.statusBar().clearMessage()

    def cancel_query(self) -> None:
        """Cancel every table's query running in the background."""
        for page in self.pages.values():
            page.model.cancel_requery()

    def _on_total_failed(self, job: Job) -> None:
        if job is self._total_job:
            self.total_label.setText("")

    def _on_total_finished(self, job: Job, kind: str, result: EurTotal) -> None:
        if job is not self._total_job:
            return  # overtaken by a newer count
        what = "aid to others" if kind == "aid" else "in packages"
        known = result.to_others or not result.without_value  # nothing known is not a total of 0
        parts = [f"EUR {format_number(result.to_others)} {what}" if known else f"{what}: no known EUR value"]
        if result.not_aid:
            parts.append(f"EUR {format_number(result.not_aid)} own procurement and sales")
        if result.without_value:
            noun = "item" if kind == "aid" else "package"
            parts.append(f"{result.without_value:,} {noun}{'' if result.without_value == 1 else 's'} without a value")
        self.total_label.setText("  ·  ".join(parts))

    # --- changes --------------------------------------------------------------------------------------------------

    def _on_records_changed(self, kinds: set[str], ids: set[int]) -> None:
        figures = counts(self.ledger)
        was_empty, self._empty = self._empty, sum(figures.values()) == 0
        for name, page in self.pages.items():
            if name in kinds and not ids:  # records of this kind added or removed: which ids show changes
                page.model.requery(page.model.filters, page.model.order)
            else:  # edited records, or names this table shows (an actor renamed): the same rows, read again
                page.model.reload_rows()
            if name in kinds or kinds & page.filter_bar.named_kinds:  # its pick lists name records of these
                page.filter_bar.reload_choices()
        self._refresh_sidebar_counts(figures)
        if was_empty != self._empty:
            self._show(self.sidebar.currentItem().data(Qt.ItemDataRole.UserRole))
        elif self.stack.currentWidget() is self.overview:
            self.overview.refresh()
        self._update_status()

    def _on_watch_timeout(self) -> None:
        if not self.ledger.path.exists() and not self._missing_reported:
            self._missing_reported = True
            self.file_went_missing()
            return
        try:
            version = self.ledger.data_version()
        except Exception:  # noqa: BLE001 - a closed or vanished file is reported when the user next acts
            return
        if version != self.editor.data_version:  # not a write of this window's, which the editor expects
            self.editor.data_version = version
            self.ledger.invalidate_all()
            self._on_records_changed(set(DISPLAY_ORDER), set())
            self.statusBar().showMessage("Records changed in another window or program; the tables show them.", 5000)

    def file_went_missing(self, ask: Any = None) -> bool:
        """The database file was deleted or moved while open: offer to write it back where it was.

        The records are still in the open connection (edits would go to a file no one can see again), so they can
        be written back where the file was.
        """
        ask = ask or (
            lambda: (
                QMessageBox.question(
                    self,
                    "The database file is gone",
                    f"{self.ledger.path} was deleted or moved while Aid Ledger had it open. Its records are still "
                    "here.\n\nWrite them back to that place now? (Otherwise, edits made from now on are lost when "
                    "you close.)",
                )
                == QMessageBox.StandardButton.Yes
            )
        )
        if not ask():
            self.statusBar().showMessage(
                f"{self.ledger.path} is gone: edits are not kept. File > Back up now saves a copy."
            )
            return False
        try:
            self.ledger.write_back()  # and carry on with the file that is there again
        except UserError as exc:
            QMessageBox.warning(self, "Not written back", str(exc))
            return False
        self.editor.expect_own_version()
        self._missing_reported = False
        self.statusBar().showMessage(f"Written back to {self.ledger.path}.", 10000)
        return True

    def _on_editor_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)
        QMessageBox.warning(self, "Not changed", message)

    # --- actions --------------------------------------------------------------------------------------------------

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _on_page(self, method: str) -> Any:
        def run() -> None:
            page = self.current_page()
            if page is not None:
                getattr(page, method)()

        return run

    def _build_actions(self) -> None:
        a = self._action
        self.new_db_action = a("&New database…", self.new_database_dialog)
        self.open_db_action = a("&Open database…", self.open_database_dialog, QKeySequence.StandardKey.Open)
        self.sample_action = a("Load the &sample records", self.load_sample_records)
        self.backup_action = a("&Back up now", self.back_up_now, tip="A copy of the database beside it, made safely")
        self.restore_action = a("&Restore from a backup…", self.restore_dialog)
        self.import_action = a(
            "&Import a spreadsheet…",
            lambda: self.import_file(None),
            "Ctrl+I",
            "An edited export, or another team's spreadsheet; you see every change first",
        )
        self.article_action = a(
            "New from &article…",
            self.new_from_article,
            "Ctrl+Shift+N",
            "Paste or open a news article: the records it holds become drafts to check, correct and accept",
        )
        self.export_action = a(
            "&Export to Excel…",
            self.export_dialog,
            "Ctrl+Shift+S",
            "Every record, or what the current table shows, as a workbook for colleagues",
        )
        self.quit_action = a("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.editor.undo_stack.createUndoAction(self, "&Undo:")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.editor.undo_stack.createRedoAction(self, "&Redo:")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.new_action = a("&New record…", self.new_record, QKeySequence.StandardKey.New)
        self.open_record_action = a("&Open record…", self._on_page("open_current"), "Ctrl+E")
        self.duplicate_action = a(
            "D&uplicate record…",
            self._on_page("duplicate_current"),
            "Ctrl+D",
            "A new record filled from the selected one (an aid item stays in its package)",
        )
        self.delete_action = a("&Delete", self._on_page("delete_selected"), QKeySequence.StandardKey.Delete)
        self.copy_action = a("&Copy", self._on_page("copy_selection"), QKeySequence.StandardKey.Copy)
        self.paste_action = a("&Paste", self._on_page("paste"), QKeySequence.StandardKey.Paste)
        self.edit_field_action = a(
            "Edit a field of the selected…", self._on_page("edit_field_of_selected"), "Ctrl+Shift+E"
        )
        self.merge_action = a("&Merge two selected…", self._on_page("merge_selected"), "Ctrl+M")
        self.find_action = a("&Find", self.focus_search, QKeySequence.StandardKey.Find)
        self.cite_action = a(
            "&Cite the selected source in new records",
            self.cite_selected_source,
            "Ctrl+Shift+A",
            "The article you are entering: every new record cites it and takes its date, until you change it",
        )
        self.stop_citing_action = a("Stop citing the article", lambda: self.editor.set_current_source(None))
        self.stop_citing_action.setEnabled(False)
        self.about_action = a("&About Aid Ledger", self._on_about_triggered)
        self.guide_action = a("&User guide", self.show_guide, QKeySequence.StandardKey.HelpContents)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_db_action)
        file_menu.addAction(self.open_db_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        file_menu.addAction(self.article_action)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        for action in (
            self.undo_action,
            self.redo_action,
            None,
            self.new_action,
            self.open_record_action,
            self.duplicate_action,
            self.delete_action,
            None,
            self.copy_action,
            self.paste_action,
            self.edit_field_action,
            self.merge_action,
            None,
            self.cite_action,
            self.stop_citing_action,
            None,
            self.find_action,
        ):
            if action is None:
                edit_menu.addSeparator()
            else:
                edit_menu.addAction(action)
        view_menu = self.menuBar().addMenu("&View")
        for number, name in enumerate((OVERVIEW, *DISPLAY_ORDER), start=1):  # Ctrl+1 … Ctrl+8, in the sidebar's order
            label = "Overview" if name == OVERVIEW else KINDS_BY_NAME[name].label
            action = self._action(f"&{label}", lambda _=False, n=name: self.show_kind(n), f"Ctrl+{number}")
            view_menu.addAction(action)
        view_menu.addSeparator()
        tip = "Charts of the Aid items the Aid table's filters let through, each to save or copy"
        view_menu.addAction(self._action("Anal&ysis", self.show_analysis, "Ctrl+9", tip))
        tip = "Each reported total beside the sum of the items it covers, and the gap"
        view_menu.addAction(self._action("Re&conciliation", self.show_reconciliation, "Ctrl+0", tip))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in settings.recent_databases():
            if path == str(self.ledger.path):
                continue
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_database(Path(p)))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def new_record(self) -> Any:
        """Open the form for a new record of the kind shown (Aid from the overview); returns the form."""
        page = self.current_page()
        if page is None:
            self.show_kind("aid")
            page = self.current_page()
        return page.new_record() if page is not None else None

    def focus_search(self) -> None:
        """Put the cursor in the search box of the table shown."""
        page = self.current_page()
        if page is not None:
            page.filter_bar.search.setFocus()
            page.filter_bar.search.selectAll()

    def load_sample_records(self) -> None:
        """Add the sample records as one undo step, and say how many were added."""
        added = self.editor.run("Load the sample records", lambda: load_sample(self.ledger))
        if added is not None:
            total = sum(added.values())
            self.statusBar().showMessage(
                f"Added {total} sample records." if total else "The sample records are already here.", 8000
            )

    def import_file(self, path: Path | None) -> Any:
        """Open the import wizard, on ``path`` when a file was dropped on the window."""
        from .dialogs.import_wizard import open_wizard  # loaded when first wanted: the window opens sooner

        return open_wizard(self.editor, path, self)

    def new_from_article(self) -> Any:
        """Open the window that reads an article into draft records; returns it."""
        from .dialogs.article import open_article_dialog  # loaded when first wanted: the window opens sooner

        return open_article_dialog(self.editor, self)

    def show_analysis(self) -> Any:
        """Show the Analysis page (made on first use, when matplotlib is loaded); returns it."""
        from .analysis.wiring import show_analysis

        return show_analysis(self)

    def show_reconciliation(self) -> Any:
        """Show the Reconciliation view of the reported totals; returns it."""
        from .analysis.wiring import show_reconciliation

        return show_reconciliation(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept one dragged spreadsheet file, of a type the import reads."""
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import the file dropped on the window."""
        path = self._dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.import_file(path)

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            path = Path(urls[0].toLocalFile())
            if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".csv"):
                return path
        return None

    def export_dialog(self) -> Any:
        """Open the export dialog for the kind and filters shown; returns the dialog."""
        from .dialogs.export_dialog import ExportDialog  # loaded when first wanted: the window opens sooner

        page = self.current_page()
        dialog = ExportDialog(self.ledger, page.kind.name if page else None, page.model.filters if page else None, self)
        dialog.open()
        return dialog

    def _back_up_on_start(self) -> None:
        """A rotating backup on start, off the UI thread (a big database takes a while to copy)."""
        if self._closed or not settings.backup_on_start():
            return
        runner().start(
            Job(
                self.ledger.path,
                backup_on_start,
                on_done=self._on_backup_made,
                owner=self,
            )
        )

    def _on_backup_made(self, made: Path | None) -> None:
        if made:
            self.statusBar().showMessage(f"Backed up to {made}", 5000)

    def back_up_now(self) -> Path | None:
        """Take a backup now; returns its path, or None (with a message) when it failed."""
        try:
            made = self.ledger.backup("manual")
        except UserError as exc:
            QMessageBox.warning(self, "Not backed up", str(exc))
            return None
        self.statusBar().showMessage(f"Backed up to {made}", 10000)
        return made

    def restore_dialog(self) -> Any:
        """Open the dialog that puts a backup back; returns the dialog."""
        from .dialogs.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self.ledger, self)
        dialog.accepted.connect(self._on_restored)
        dialog.open()
        return dialog

    def _on_restored(self) -> None:
        """Every table shows the restored records; the undo steps before the restore no longer apply."""
        self.editor.replaced()
        self.statusBar().showMessage("Restored from the backup; the records as they were are backed up too.", 10000)

    def open_database_dialog(self) -> None:
        """Ask for a database file and open it in place of this one."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open database", str(self.ledger.path.parent), "Aid Ledger databases (*.db *.sqlite);;All files (*)"
        )
        if path:
            self.open_database(Path(path))

    def new_database_dialog(self) -> None:
        """Ask for a new file name and open a new database there; an existing file is refused."""
        path, _ = QFileDialog.getSaveFileName(
            self, "New database", str(self.ledger.path.parent / "new-ledger.db"), "Aid Ledger databases (*.db)"
        )
        if path:
            if Path(path).exists():
                QMessageBox.warning(
                    self, "New database", f"{path} exists already; open it instead, or pick a new name."
                )
                return
            self.open_database(Path(path))

    def open_database(self, path: Path) -> MainWindow | None:
        """Open another database in a window of its own, in place of this one."""
        try:
            ledger = Ledger.open(path)
        except UserError as exc:
            QMessageBox.warning(self, "Cannot open", str(exc))
            return None
        window = MainWindow(ledger)
        window.show()
        self.close()
        self.ledger.close()
        return window

    def show_guide(self) -> GuideDialog:
        """Show the user guide beside the window; returns its dialog."""
        if self._guide is None:
            self._guide = GuideDialog(self)
        self._guide.show()
        self._guide.raise_()
        return self._guide

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Aid Ledger",
            f"<b>Aid Ledger {app_version()}</b><p>Records of military aid and defence cooperation."
            f"</p><p>Database: {self.ledger.path}</p>",
        )

    # --- closing --------------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep the tables' and the window's layout for next time, and cancel the work still running."""
        for page in self.pages.values():
            page.save_settings()
        settings.save_window(self.saveGeometry(), self.saveState())
        current = self.sidebar.currentItem()
        if current is not None:
            settings.save_current_kind(current.data(Qt.ItemDataRole.UserRole))
        if self._total_job is not None:
            self._total_job.cancel()
        self._watch.stop()
        self._closed = True  # work queued for it (the first counts, the backup) finds it gone
        MainWindow.open_windows.discard(self)
        super().closeEvent(event)
