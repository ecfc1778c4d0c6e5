"""File > New from article: a news article read into draft records, each shown with the words it came from.

The text is on the left, every draft's sentence shaded; the drafts are on the right, by kind, each checked when the
rules are sure of it. Selecting a draft shades its sentence darker and lists its fields; selecting a field marks its
words. Reading runs off the UI thread (``gui.widgets.article_reader``), and the list fills as the drafts come.
Accepting writes the chosen drafts through the editor's door: one undo step; Edit opens one in the usual form.

The parts are widgets of their own: ``ArticleText`` (the text and its shades), ``DraftList`` (the drafts by kind),
``DraftFieldTable`` (the selected draft's fields); this module wires them and does the accepting and editing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

import importers.article as article
from importers.article import Article, Draft, Extraction
from storage import KINDS_BY_NAME, FieldType, Ledger, UserError
from storage import records as rec
from storage.values import counted, format_date, parse_date

from ..editing import Editor
from ..widgets.article_reader import ArticleReader
from ..widgets.article_text import ArticleText
from ..widgets.draft_fields import DraftFieldTable, draft_notes, escape
from ..widgets.draft_list import DraftList
from ..widgets.draft_values import draft_title, guessed_reasons
from ..workers import CANCELLED
from .record_form import ERROR_STYLE, HINT_STYLE, RecordForm

FILE_TYPES = "Articles (*.txt *.html *.htm *.eml *.pdf);;All files (*)"


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
        self._article: Article | None = None  # read from a file: its title, date and publisher go with its text
        self._made_source = False  # the article was recorded here (for a form), not found already recorded
        self.reader = ArticleReader(self.ledger.path, self)
        self.reader.file_read.connect(self._on_reader_file_read)
        self.reader.draft_read.connect(self._on_reader_draft_read)
        self.reader.article_read.connect(self._on_reader_article_read)
        self.reader.failed.connect(self._on_reader_failed)
        self.setWindowTitle("New from article")

        self.text = ArticleText()
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
        self.draft_list = DraftList()
        self.draft_list.currentItemChanged.connect(self._on_draft_list_current_item_changed)
        self.draft_list.edit_requested.connect(self.edit_current)
        self.draft_list.checks_changed.connect(self._count_checked)
        self.field_list = DraftFieldTable()
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

    @property
    def drafts(self) -> list[Draft]:
        """The drafts as listed (the article's own source draft is not one)."""
        return self.draft_list.drafts

    @property
    def outcome(self) -> dict[int, str]:
        """What became of each draft added (by its index in ``drafts``): "added", "cited", "added as #12"."""
        return self.draft_list.outcome

    def current_draft(self) -> Draft | None:
        """The draft selected in the list, or None (a kind's heading, or nothing)."""
        return self.draft_list.current_draft()

    def checked_drafts(self) -> list[Draft]:
        """The drafts checked and not yet added."""
        return self.draft_list.checked_drafts()

    def _item_of(self, index: int) -> QTreeWidgetItem | None:
        return self.draft_list.item_of(index)

    # --- reading --------------------------------------------------------------------------------------------------

    def open_file(self, path: Path) -> None:
        """Read an article's file (off the UI thread), show its text and date, and read it into drafts."""
        self._say(f"Opening {path.name}…")
        self.reader.read_file(path)

    def _on_reader_file_read(self, read: Article) -> None:
        self._article = read
        self.text.setReadOnly(False)
        self.text.setPlainText(read.text)
        if read.published_on:
            self.published.setText(format_date(read.published_on))
        self.read()

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
        given: str | Article = self._article if self._article is not None and self._article.text == text else text
        self.reader.read(given, published)
        self.extraction = None
        self._made_source = False
        self.draft_list.clear_drafts()
        self.field_list.clear()
        self.notes.clear()
        self._say("Reading…")
        self._enable()

    def _on_reader_draft_read(self, d: Draft) -> None:
        if d.kind != "sources":
            self.draft_list.add_draft(d)

    def _on_reader_failed(self, message: str) -> None:
        if message != CANCELLED:
            self._say(message, error=True)
        self._enable()

    def _on_reader_article_read(self, extraction: Extraction) -> None:
        """The reading is done: the text as read, every sentence shaded, the drafts (complete now) by kind."""
        self.extraction = extraction
        self.text.setPlainText(extraction.article.text)  # the spans count in this text
        self.text.setReadOnly(True)
        self.draft_list.clear_drafts()
        for d in extraction.drafts[1:]:
            self.draft_list.add_draft(d)
        source = extraction.source
        title = source.fields.get("title") or "(no title)"
        said = f"<b>Article:</b> {escape(title)}"
        if source.fields.get("published_on"):
            published = f"published {format_date(source.fields['published_on'])}"
            said += ", " + published.replace(" ", "&nbsp;")  # wrapped whole, not a year alone on a line
        tips = guessed_reasons(source)
        if source.duplicate_of is not None:  # a line of its own, not run on after the date; what follows, in the tip
            said += f"<br>{escape(source.duplicate_note)}."
            tips.insert(0, "The drafts accepted cite that source; the article is not recorded twice.")
        self.article_label.setText(said)
        self.article_label.setToolTip("\n".join(tips))
        self._highlight()
        self.draft_list.select_first()
        self.draft_list.setFocus()
        self._count_checked()
        self._enable()

    # --- evidence -------------------------------------------------------------------------------------------------

    def _on_draft_list_current_item_changed(self, _current: QTreeWidgetItem | None, _previous: Any) -> None:
        d = self.current_draft()
        self.field_list.show_draft(d)
        self.notes.clear()
        self._enable()
        if d is None:
            self._highlight()
            return
        outcome = self.outcome.get(self.drafts.index(d))
        self.notes.setText(draft_notes(d, cites_the_article=self._cites_the_article(d), outcome=outcome))
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
        name = self.field_list.field_of(current)
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
            self.text.clear_shades()
        else:
            self.text.shade(self.extraction.article.text, self.drafts, d, field)

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
        self.draft_list.mark_done(index, f"added as #{rid}")
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
            self.draft_list.mark_done(self.drafts.index(d), "cited" if d.duplicate_of is not None else "added")
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
        self.text.clear_shades()
        self.text.setFocus()
        self._say("Change the text, then Read (Ctrl+Return) for new drafts.")

    def _count_checked(self) -> None:
        if self.extraction is None:
            return
        left = len(self.drafts) - len(self.outcome)
        self._say(f"{counted(left, 'draft')} to decide on, {len(self.checked_drafts())} checked.")
        self._enable()

    def _enable(self) -> None:
        reading = self.reader.busy
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
        self.reader.cancel()
        super().reject()


def open_article_dialog(editor: Editor, parent: QWidget | None) -> ArticleDialog:
    """Show the dialog beside the window, without waiting for it to close."""
    dialog = ArticleDialog(editor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.text.setFocus()
    return dialog
