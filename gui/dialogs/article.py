"""File > New from article: a news article read into draft records, each shown with the words it came from.

The text is on the left, every draft's sentence shaded; the drafts are on the right, by kind, each checked when the
rules are sure of it. Selecting a draft shades its sentence darker and lists its fields; selecting a field marks its
words. Reading runs off the UI thread on a connection of its own (``importers.article.extract_text``), and the list
fills as the drafts come. Accepting writes the chosen drafts through the editor's door: one undo step.
"""

from __future__ import annotations

import html
import queue
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

import importers.article as article
from importers.article import Article, Draft, Extraction
from storage import KINDS_BY_NAME, FieldType, Ledger, UserError
from storage import records as rec
from storage.values import counted, format_date, format_number, parse_date

from ..editing import Editor
from ..workers import CANCELLED, Job, runner
from .record_form import ERROR_STYLE, HINT_STYLE, RecordForm

# Three shades far apart in lightness, so that they read in greyscale too: every draft's sentence (pale), the
# selected draft's sentence (mid), the selected field's words (dark, in white letters).
SENTENCE_SHADE = QColor("#fff3c4")
SELECTED_SHADE = QColor("#f7c04a")
SPAN_SHADE = QColor("#1f4e99")
KIND_ORDER = ("aid", "packages", "events", "agreements", "totals", "actors")
HIDDEN_FIELDS = ("uncertain", "uncertain_note", "full_text")
KEY_FIELDS = {
    "aid": ("donor", "status", "quantity_committed", "quantity_delivered", "value", "delivered_on", "announced_on"),
    "packages": ("donor", "value", "announced_on"),
    "events": ("date", "participants"),
    "agreements": ("parties", "signed_on"),
    "totals": ("amount", "as_of"),
    "actors": ("type", "description"),
}
FILE_TYPES = "Articles (*.txt *.html *.htm *.eml *.pdf);;All files (*)"
DraftRole = Qt.ItemDataRole.UserRole
FieldRole = Qt.ItemDataRole.UserRole + 1


def _short_number(value: float) -> str:
    """641000000 -> "641 million": amounts as articles write them."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{value / size:,.3f}".rstrip("0").rstrip(".") + f" {word}"
    return format_number(value)


def shown_value(d: Draft, name: str, *, short: bool = False) -> str:
    """A draft's field as people read it: dates and amounts written out, participants with their roles."""
    value = d.fields.get(name)
    kind = KINDS_BY_NAME[d.kind]
    f = kind.field(name)
    if isinstance(value, list):
        return "; ".join(f"{x.get('name')} ({x['role']})" if x.get("role") else str(x.get("name")) for x in value)
    if f.type is FieldType.DATE and isinstance(value, str):
        return format_date(value)
    if f.type is FieldType.AMOUNT and isinstance(value, int | float):
        qualifier = str(d.fields.get(f.qualifier) or "") if f.qualifier else ""
        number = _short_number(value) if short else format_number(value)
        parts = [qualifier if qualifier != "exact" else "", str(d.fields.get("currency") or ""), number]
        return " ".join(p for p in parts if p)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def draft_title(d: Draft) -> str:
    """What names a draft in the list: its title field (a total: whose, and what it measures)."""
    kind = KINDS_BY_NAME[d.kind]
    if d.kind == "totals":
        return f"{d.fields.get('subject') or '?'}: {d.fields.get('measure') or 'total'}"
    return str(d.fields.get(kind.title_field) or kind.singular)


def guessed_reasons(d: Draft) -> list[str]:
    """What was guessed and why, each led by its field's label rather than its identifier."""
    kind = KINDS_BY_NAME[d.kind]
    out = []
    for reason in d.guessed:
        name, sep, why = reason.partition(":")
        try:
            out.append(f"{kind.field(name.strip()).label}:{why}" if sep else reason)
        except KeyError:
            out.append(reason)
    return out


def _guessed_fields(d: Draft) -> set[str]:
    return {g.partition(":")[0].strip() for g in d.guessed if ":" in g}


class ArticleDialog(QDialog):
    """Read an article, check its drafts, correct them in the usual form, and add them as one undo step.

    Signals:
        drafts_added(counts): drafts were accepted; what ``importers.article.apply`` did.
    """

    drafts_added = Signal(object)

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.ledger: Ledger = editor.ledger
        self.extraction: Extraction | None = None
        self.drafts: list[Draft] = []  # as listed; the items hold their index
        self.outcome: dict[int, str] = {}  # draft index -> what became of it ("added", "cited")
        self.job: Job | None = None
        self._generation = 0  # a reading's callbacks that arrive after a newer one started are dropped
        self._article: Article | None = None  # read from a file: its title, date and publisher go with its text
        self._made_source = False  # the article was recorded here (for a form), not found already recorded
        self.setWindowTitle("New from article")

        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            "Paste the article's text here (Ctrl+V), or open a file. Then Read (Ctrl+Return).\n\n"
            "Each record the article seems to hold becomes a draft on the right, with the sentence it came from."
        )
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.published = QLineEdit()
        self.published.setPlaceholderText("optional, e.g. 16 Aug 2024")
        self.published.setToolTip(
            "The day the article was published, if it does not say: weekdays and years are read against it"
        )
        self.published.returnPressed.connect(self.read)
        published_label = QLabel("Pu&blished on")
        published_label.setBuddy(self.published)
        self.open_button = QPushButton("&Open file…")
        self.open_button.setToolTip("A .txt, .html, .eml or .pdf article")
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.read_button = QPushButton("&Read")
        self.read_button.setToolTip("Read the text into drafts (Ctrl+Return); again after changing the text or date")
        self.read_button.clicked.connect(self.read)
        self.change_button = QPushButton("Change the &text")
        self.change_button.setToolTip("Edit the text again, then Read")
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.change_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(published_label)
        top.addWidget(self.published, 1)
        for button in (self.open_button, self.read_button, self.change_button):
            top.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.text, 1)

        self.article_label = QLabel("No article read yet.")
        self.article_label.setWordWrap(True)
        self.article_label.setStyleSheet(HINT_STYLE)
        self.draft_list = QTreeWidget()
        self.draft_list.setHeaderLabels(["Draft", "Key fields", "Sure", "Notes"])
        self.draft_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.draft_list.setAllColumnsShowFocus(True)
        self.draft_list.setUniformRowHeights(True)
        header = self.draft_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 270)
        header.resizeSection(2, 44)
        header.resizeSection(3, 170)
        self.draft_list.currentItemChanged.connect(self._on_draft_list_current_item_changed)
        self.draft_list.itemDoubleClicked.connect(lambda item, _col: self.edit_current())
        self.draft_list.itemChanged.connect(lambda *_: self._count_checked())
        self.draft_list.installEventFilter(self)
        self.field_list = QTreeWidget()
        self.field_list.setHeaderLabels(["Field", "Value", "From the article"])
        self.field_list.setRootIsDecorated(False)
        self.field_list.setAllColumnsShowFocus(True)
        self.field_list.header().resizeSection(0, 180)
        self.field_list.header().resizeSection(1, 220)
        self.field_list.currentItemChanged.connect(self._on_field_list_current_item_changed)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_label = QLabel("&Fields of the selected draft (select one to see its words)")
        details_label.setBuddy(self.field_list)
        details_layout.addWidget(details_label)
        details_layout.addWidget(self.field_list, 1)
        details_layout.addWidget(self.notes)
        right_split = QSplitter(Qt.Orientation.Vertical)
        drafts_box = QWidget()
        drafts_layout = QVBoxLayout(drafts_box)
        drafts_layout.setContentsMargins(0, 0, 0, 0)
        drafts_layout.addWidget(self.article_label)
        drafts_label = QLabel("&Drafts (Space checks, Enter edits, Delete unchecks)")
        drafts_label.setBuddy(self.draft_list)
        drafts_layout.addWidget(drafts_label)
        drafts_layout.addWidget(self.draft_list, 1)
        right_split.addWidget(drafts_box)
        right_split.addWidget(details)
        right_split.setStretchFactor(0, 3)
        right_split.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right_split)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setToolTip("Open the selected draft in the record's form, to correct it and save it (Enter)")
        self.edit_button.clicked.connect(self.edit_current)
        self.accept_checked_button = QPushButton("Accept &checked")
        self.accept_checked_button.clicked.connect(lambda: self.accept_drafts(checked_only=True))
        self.accept_all_button = QPushButton("Accept &all")
        self.accept_all_button.clicked.connect(lambda: self.accept_drafts(checked_only=False))
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.edit_button, self.accept_checked_button, self.accept_all_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        for button in self.findChildren(QPushButton):  # Enter belongs to the list (edit) and the date (read)
            button.setAutoDefault(False)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.read)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.read)
        chain = [
            self.text,
            self.published,
            self.open_button,
            self.read_button,
            self.change_button,
            self.draft_list,
            self.field_list,
            self.edit_button,
            self.accept_checked_button,
            self.accept_all_button,
            self.close_button,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)
        self._enable()
        self.resize(1320, 820)
        self.splitter.setSizes([560, 760])

    # --- reading --------------------------------------------------------------------------------------------------

    def open_file(self, path: Path) -> None:
        """Read an article's file (off the UI thread), show its text and date, and read it into drafts."""
        self._say(f"Opening {path.name}…")

        def done(read: Article) -> None:
            self._article = read
            self.text.setReadOnly(False)
            self.text.setPlainText(read.text)
            if read.published_on:
                self.published.setText(format_date(read.published_on))
            self.read()

        runner().start(
            Job(
                self.ledger.path,
                lambda _conn: article.read_file(path),
                on_done=done,
                on_failed=self._on_failed,
                owner=self,
            )
        )

    def read(self) -> None:
        """Read the text into drafts, off the UI thread; the list fills as they come."""
        text = self.text.toPlainText()
        if not text.strip():
            self._say("Paste the article's text first, or open its file.", error=True)
            self.text.setFocus()
            return
        try:
            published = parse_date(self.published.text().strip()) if self.published.text().strip() else None
        except ValueError as exc:
            self._say(f"Published on: {exc}", error=True)
            self.published.setFocus()
            return
        if self.job is not None:
            self.job.cancel()
        self._generation += 1
        generation = self._generation
        given: str | Article = self._article if self._article is not None and self._article.text == text else text
        arrived: queue.SimpleQueue[Draft] = queue.SimpleQueue()  # filled on the worker, emptied on the UI thread

        def work(conn: Ledger) -> Extraction:
            def made(d: Draft) -> None:
                arrived.put(d)
                job.report(arrived.qsize(), 0)

            return article.extract_text(conn, given, published_on=published, on_draft=made)

        def progress(_done: int, _total: int) -> None:
            if generation == self._generation:
                while not arrived.empty():
                    d = arrived.get()
                    if d.kind != "sources":
                        self._add_draft(d)

        def finished(extraction: Extraction) -> None:
            if generation == self._generation:
                self.job = None
                self._show(extraction)

        def failed(message: str) -> None:
            if generation == self._generation:
                self.job = None
                self._on_failed(message)

        self.extraction = None
        self.drafts, self.outcome, self._made_source = [], {}, False
        self.draft_list.clear()
        self.field_list.clear()
        self.notes.clear()
        self._say("Reading…")
        job = Job(self.ledger.path, work, on_done=finished, on_failed=failed, on_progress=progress, owner=self)
        self.job = runner().start(job)
        self._enable()

    def _on_failed(self, message: str) -> None:
        if message != CANCELLED:
            self._say(message, error=True)
        self._enable()

    def _show(self, extraction: Extraction) -> None:
        """The reading is done: the text as read, every sentence shaded, the drafts (complete now) by kind."""
        self.extraction = extraction
        self.text.setPlainText(extraction.article.text)  # the spans count in this text
        self.text.setReadOnly(True)
        self.drafts = []
        self.draft_list.clear()
        for d in extraction.drafts[1:]:
            self._add_draft(d)
        source = extraction.source
        title = source.fields.get("title") or "(no title)"
        said = [f"<b>Article:</b> {_escape(title)}"]
        if source.fields.get("published_on"):
            said.append(f"published {format_date(source.fields['published_on'])}")
        if source.duplicate_of is not None:
            said.append(f"— {_escape(source.duplicate_note)}; the records will cite it")
        self.article_label.setText(", ".join(said[:2]) + (" " + said[2] if len(said) > 2 else ""))
        self.article_label.setToolTip("\n".join(guessed_reasons(source)))
        self._highlight()
        first = self.draft_list.topLevelItem(0)
        child = first.child(0) if first is not None else None
        if child is not None:
            self.draft_list.setCurrentItem(child)
        self.draft_list.setFocus()
        self._count_checked()
        self._enable()

    # --- the list of drafts ---------------------------------------------------------------------------------------

    def _group(self, kind: str) -> QTreeWidgetItem:
        for i in range(self.draft_list.topLevelItemCount()):
            item = self.draft_list.topLevelItem(i)
            if item is not None and item.data(0, FieldRole) == kind:
                return item
        group = QTreeWidgetItem([KINDS_BY_NAME[kind].label])
        group.setData(0, FieldRole, kind)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        at = 0
        while at < self.draft_list.topLevelItemCount():
            other = self.draft_list.topLevelItem(at)
            other_kind = other.data(0, FieldRole) if other is not None else ""
            if (KIND_ORDER.index(other_kind) if other_kind in KIND_ORDER else len(KIND_ORDER)) > rank:
                break
            at += 1
        self.draft_list.insertTopLevelItem(at, group)
        group.setExpanded(True)
        return group

    def _add_draft(self, d: Draft) -> None:
        index = len(self.drafts)
        self.drafts.append(d)
        group = self._group(d.kind)
        keys = [shown_value(d, n, short=True) for n in KEY_FIELDS.get(d.kind, ()) if d.fields.get(n) not in (None, "")]
        item = QTreeWidgetItem([draft_title(d), ", ".join(keys), f"{d.confidence:.0%}", ""])
        item.setData(0, DraftRole, index)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(2, "How sure the rules are; drafts at 80% or more start checked")
        self.draft_list.blockSignals(True)  # one count when the reading ends, not one per draft
        group.addChild(item)
        item.setCheckState(
            0, Qt.CheckState.Checked if d.confidence >= article.MIN_CONFIDENCE else Qt.CheckState.Unchecked
        )
        self.draft_list.blockSignals(False)
        self._mark(item, d)
        group.setText(0, f"{KINDS_BY_NAME[d.kind].label} ({group.childCount()})")

    def _mark(self, item: QTreeWidgetItem, d: Draft) -> None:
        """The Notes column: guessed fields, an existing record it repeats, what became of it."""
        index = item.data(0, DraftRole)
        marks, tips = [], []
        if index in self.outcome:
            marks.append(f"✓ {self.outcome[index]}")
            tips.append("Done: this draft is in the database now.")
        if d.duplicate_of is not None:
            marks.append("≡ recorded")
            tips.append(f"{d.duplicate_note}.\nAccepting adds this article as a source of that record, not a copy.")
        if d.guessed:
            marks.append("? guessed")
            tips += ["Guessed:", *(f"• {g}" for g in guessed_reasons(d))]
        item.setText(3, ", ".join(marks))
        item.setToolTip(3, "\n".join(tips))
        item.setToolTip(0, "\n".join(tips) or draft_title(d))
        font = item.font(0)
        font.setItalic(index in self.outcome)
        for column in range(4):
            item.setFont(column, font)

    def _item_of(self, index: int) -> QTreeWidgetItem | None:
        for g in range(self.draft_list.topLevelItemCount()):
            group = self.draft_list.topLevelItem(g)
            for c in range(group.childCount() if group is not None else 0):
                child = group.child(c) if group is not None else None
                if child is not None and child.data(0, DraftRole) == index:
                    return child
        return None

    def _items(self) -> list[QTreeWidgetItem]:
        return [item for i in range(len(self.drafts)) if (item := self._item_of(i)) is not None]

    def current_draft(self) -> Draft | None:
        """The draft selected in the list, or None (a kind's heading, or nothing)."""
        item = self.draft_list.currentItem()
        index = item.data(0, DraftRole) if item is not None else None
        return self.drafts[index] if isinstance(index, int) else None

    def checked_drafts(self) -> list[Draft]:
        """The drafts checked and not yet added."""
        return [
            self.drafts[i]
            for i in range(len(self.drafts))
            if i not in self.outcome
            and (item := self._item_of(i)) is not None
            and item.checkState(0) == Qt.CheckState.Checked
        ]

    def _count_checked(self) -> None:
        if self.extraction is None:
            return
        left = len(self.drafts) - len(self.outcome)
        self._say(f"{counted(left, 'draft')} to decide on, {len(self.checked_drafts())} checked.")
        self._enable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the list: Space checks or unchecks, Enter edits, Delete unchecks."""
        if watched is self.draft_list and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            item = self.draft_list.currentItem()
            plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            if item is not None and plain:
                if event.key() == Qt.Key.Key_Space:
                    on = item.checkState(0) != Qt.CheckState.Checked
                    item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                    return True
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.edit_current()
                    return True
                if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    item.setCheckState(0, Qt.CheckState.Unchecked)
                    return True
        return super().eventFilter(watched, event)

    # --- evidence -------------------------------------------------------------------------------------------------

    def _on_draft_list_current_item_changed(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        d = self.current_draft()
        self.field_list.clear()
        self.notes.clear()
        self._enable()
        if d is None:
            self._highlight()
            return
        kind = KINDS_BY_NAME[d.kind]
        guessed = _guessed_fields(d)
        for name in d.fields:
            if name in HIDDEN_FIELDS or d.fields[name] in (None, "", []):
                continue
            label = kind.field(name).label + (" (guessed)" if name in guessed else "")
            quote = " ".join(d.quotes.get(name, "").split())
            row = QTreeWidgetItem([label, shown_value(d, name), quote])
            row.setData(0, FieldRole, name)
            if name in guessed:
                font = row.font(0)
                font.setItalic(True)
                for column in range(3):
                    row.setFont(column, font)
                why = [g for g in guessed_reasons(d) if g.startswith(kind.field(name).label)]
                row.setToolTip(0, "\n".join(why))
                row.setToolTip(1, "\n".join(why))
            self.field_list.addTopLevelItem(row)
        notes = []
        if d.duplicate_of is not None:
            then = (
                "It cites this article already: accepting changes nothing."
                if self._cites_the_article(d)
                else "Accepting adds this article as a second source of that record, not a copy."
            )
            notes.append(f"<b>Already recorded</b> (#{d.duplicate_of}): {_escape(d.duplicate_note)}. {then}")
        if d.guessed:
            notes.append("<b>Guessed</b>, to check:<br>" + "<br>".join(f"• {_escape(g)}" for g in guessed_reasons(d)))
        index = self.drafts.index(d)
        if index in self.outcome:
            notes.append(f"<b>Done:</b> {self.outcome[index]}.")
        self.notes.setText("<br>".join(notes))
        self._highlight(d)

    def _cites_the_article(self, d: Draft) -> bool:
        """Whether the record a draft repeats cites this very article already (read before, and recorded)."""
        source = self.extraction.source.duplicate_of if self.extraction is not None else None
        if source is None or d.duplicate_of is None:
            return False
        try:
            return any(link["target_id"] == source for link in rec.get(self.ledger, d.kind, d.duplicate_of)["sources"])
        except UserError:  # deleted since
            return False

    def _on_field_list_current_item_changed(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        d = self.current_draft()
        name = current.data(0, FieldRole) if current is not None else None
        self._highlight(d, name)
        if d is None or not name:
            return
        label = KINDS_BY_NAME[d.kind].field(name).label
        if name in d.spans:
            self._say(f"{label}, from the words “{' '.join(d.quotes.get(name, '').split())}” (shaded dark blue).")
        else:
            self._say(f"{label}: not read from particular words; the sentence as a whole, or guessed.")

    def _highlight(self, d: Draft | None = None, field: str | None = None) -> None:
        """Shade every draft's sentence, the selected draft's darker, and the selected field's words darkest."""
        if self.extraction is None:
            self.text.setExtraSelections([])
            return
        text = self.extraction.article.text
        shades: list[tuple[tuple[int, int], QTextCharFormat]] = []
        pale = QTextCharFormat()
        pale.setBackground(SENTENCE_SHADE)
        for span in sorted({x.sentence for x in self.drafts if x.sentence[1] > x.sentence[0]}):
            shades.append((span, pale))
        if d is not None and d.sentence[1] > d.sentence[0]:
            mid = QTextCharFormat()
            mid.setBackground(SELECTED_SHADE)
            shades.append((d.sentence, mid))
            self._scroll_to(_position(text, d.sentence[0]), _position(text, d.sentence[1]))
        if d is not None and field and field in d.spans:
            dark = QTextCharFormat()
            dark.setBackground(SPAN_SHADE)
            dark.setForeground(QBrush(QColor("white")))
            dark.setFontWeight(QFont.Weight.Bold)
            shades.append((d.spans[field], dark))
            self._scroll_to(_position(text, d.spans[field][0]), _position(text, d.spans[field][1]))
        selections = []
        for (start, end), fmt in shades:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(_position(text, start))
            cursor.setPosition(_position(text, end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.text.setExtraSelections(selections)

    def _scroll_to(self, start: int, end: int) -> None:
        """Bring the words into view, in the middle when they are not in view already."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(end)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        cursor.setPosition(start)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    # --- correcting one draft in the usual form -------------------------------------------------------------------

    def edit_current(self) -> RecordForm | None:
        """Open the selected draft in its kind's form, filled in and citing the article; saving adds the record."""
        d = self.current_draft()
        if d is None or self.extraction is None:
            return None
        index = self.drafts.index(d)
        if index in self.outcome:
            self._say("This draft is in the database already: edit it in its table.", error=True)
            return None
        source_id = self._prepare_for_form(d)
        if source_id is None:
            return None
        kind = KINDS_BY_NAME[d.kind]
        initial: dict[str, Any] = {}
        unresolved: dict[str, Any] = {}  # names not in the database yet: typed into their pickers
        for name, value in d.fields.items():
            f = kind.field(name)
            if name == "full_text" or value in (None, "", []):
                continue
            if f.type is FieldType.REF:
                ids = rec.find_ids(self.ledger, f.ref or "", value)
                initial[name] = ids[0] if len(ids) == 1 else None
                if len(ids) != 1:
                    unresolved[name] = value
            elif f.type is FieldType.LINKS and f.link is not None and isinstance(value, list):
                links = []
                for x in value:
                    ids = rec.find_ids(self.ledger, f.link.target, x.get("name", ""))
                    links.append({"target_id": ids[0] if len(ids) == 1 else None, **{k: v for k, v in x.items()}})
                initial[name] = links
            else:
                initial[name] = value
        if any(f.name == "sources" for f in kind.all_fields):
            initial["sources"] = [{"target_id": source_id, "quote": d.quote(self.extraction.article.text)}]
        form = RecordForm(self.editor, d.kind, initial=initial, parent=self)
        for name, value in unresolved.items():
            form.editors[name].combo.setEditText(str(value))  # type: ignore[attr-defined]
        for name, value in initial.items():
            links_editor = form.editors.get(name)
            if isinstance(value, list) and name != "sources" and links_editor is not None:
                for row, x in enumerate(value):
                    if x.get("target_id") is None:
                        links_editor.table.cellWidget(row, 0).setEditText(str(x.get("name", "")))  # type: ignore[attr-defined]
        form.validate()
        form.saved.connect(lambda rid, i=index: self._on_form_saved(i, rid))
        form.open()
        return form

    def _on_form_saved(self, index: int, rid: int) -> None:
        self.outcome[index] = f"added as #{rid}"
        item = self._item_of(index)
        if item is not None:
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self._mark(item, self.drafts[index])
        title = draft_title(self.drafts[index])
        self.editor.said.emit(f"Added “{title}” from the article.")
        self._on_draft_list_current_item_changed(self.draft_list.currentItem(), None)
        self._count_checked()

    def _forget_undone_source(self) -> None:
        """The article recorded here, then taken back by an undo: it is to be recorded again."""
        assert self.extraction is not None
        source = self.extraction.source
        if source.duplicate_of is not None and self._made_source:
            try:
                rec.get(self.ledger, "sources", source.duplicate_of)
            except UserError:
                source.duplicate_of, self._made_source = None, False

    def _prepare_for_form(self, d: Draft) -> int | None:
        """What the form needs in the database: the article as a source, and the actors the draft names.

        Made as one undo step, as accepting would make them; returns the source's row id (None: it failed, said).
        """
        assert self.extraction is not None
        self._forget_undone_source()
        source = self.extraction.source
        if source.duplicate_of is not None and not article.missing_actors(self.ledger, d):
            return source.duplicate_of
        try:
            with self.editor.action("Record an article's source and names, for a draft"):
                self._made_source = self._made_source or source.duplicate_of is None
                # accept() then cites this record, as it does an article found already recorded
                article.record_source(self.ledger, self.extraction)
                made = article.make_missing_actors(self.ledger, d)
        except UserError as exc:
            self._forget_undone_source()
            self._say(str(exc), error=True)
            return None
        self._say("The article is recorded as a source" + (f", and {', '.join(made)} as actors" if made else "") + ".")
        return source.duplicate_of

    # --- accepting ------------------------------------------------------------------------------------------------

    def accept_drafts(self, *, checked_only: bool) -> dict[str, int] | None:
        """Add the checked drafts (or all not yet added) as one undo step; returns what was done."""
        if self.extraction is None:
            return None
        pending = [d for i, d in enumerate(self.drafts) if i not in self.outcome]
        chosen = self.checked_drafts() if checked_only else pending
        if not chosen:
            self._say("No draft checked: check one with Space, or Accept all.", error=True)
            return None
        self._forget_undone_source()
        extraction = self.extraction
        label = f"Add {counted(len(chosen), 'record')} from an article"
        was_new = extraction.source.duplicate_of is None
        try:
            with self.editor.action(label):
                done = article.apply(self.ledger, extraction, chosen)
        except UserError as exc:
            self._say(f"Nothing was added: {exc}", error=True)
            return None
        if was_new:  # the article is a source now, and the extraction names it: later drafts cite the same one
            self._made_source = True
        for d in chosen:
            index = self.drafts.index(d)
            self.outcome[index] = "cited" if d.duplicate_of is not None else "added"
            item = self._item_of(index)
            if item is not None:
                self.draft_list.blockSignals(True)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                self.draft_list.blockSignals(False)
                self._mark(item, d)
        message = f"Added {counted(done.get('added', 0), 'record')} from the article"
        if done.get("cited"):
            message += f", and cited it in {counted(done['cited'], 'record')} already recorded"
        if done.get("actors made"):
            message += f" ({counted(done['actors made'], 'actor')} made for the names they give)"
        message += ". Ctrl+Z takes it all back."
        self.editor.said.emit(message)
        self._on_draft_list_current_item_changed(self.draft_list.currentItem(), None)
        self._count_checked()
        self._say(message)
        self.drafts_added.emit(done)
        return done

    # --- the rest -------------------------------------------------------------------------------------------------

    def _on_open_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open an article", str(Path.home()), FILE_TYPES)
        if path:
            self.open_file(Path(path))

    def _on_change_button_clicked(self) -> None:
        self.text.setReadOnly(False)
        self.text.setExtraSelections([])
        self.text.setFocus()
        self._say("Change the text, then Read (Ctrl+Return) for new drafts.")

    def _enable(self) -> None:
        reading = self.job is not None
        ready = self.extraction is not None and not reading
        self.read_button.setEnabled(not reading)
        self.change_button.setEnabled(ready and self.text.isReadOnly())
        self.edit_button.setEnabled(ready and self.current_draft() is not None)
        self.accept_checked_button.setEnabled(ready and bool(self.checked_drafts()))
        self.accept_all_button.setEnabled(ready and len(self.outcome) < len(self.drafts))

    def _say(self, message: str, *, error: bool = False) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)

    def reject(self) -> None:
        """Close, stopping a reading under way (reading writes nothing)."""
        if self.job is not None:
            self.job.cancel()
        super().reject()


def _position(text: str, index: int) -> int:
    """A Python index into ``text`` as a Qt document position, which counts UTF-16 units (an emoji counts two)."""
    head = text[:index]
    return index + sum(1 for ch in head if ord(ch) > 0xFFFF)


def _escape(text: Any) -> str:
    return html.escape(str(text), quote=False)


def open_article_dialog(editor: Editor, parent: QWidget | None) -> ArticleDialog:
    """Show the dialog beside the window, without waiting for it to close."""
    dialog = ArticleDialog(editor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.text.setFocus()
    return dialog
