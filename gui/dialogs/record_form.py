"""The form of one record, built from its kind's description: validated as you type, saved in one undoable step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from importers.duplicates import DuplicateIndex
from storage import KINDS_BY_NAME, FieldType, Ledger, UserError, ValidationError, ecb
from storage import records as rec
from storage.records import clean_record
from storage.roles import role_on
from storage.values import date_precision, format_date, parse_money

from ..editing import Editor
from ..widgets.fields import ExtraEditor, FieldEditor, LinksEditor, editor_for
from ..widgets.new_items import NewItems
from .history import HistoryDialog

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: palette(placeholder-text);"
# The field the keys go to, plain to see (the style's own focus frame is faint): a frame in the highlight colour.
FOCUS_STYLE = (
    "QLineEdit:focus, QPlainTextEdit:focus { border: 2px solid palette(highlight); border-radius: 3px; }"
    " QComboBox:focus, QCheckBox:focus { outline: none; border: 2px solid palette(highlight); border-radius: 3px; }"
)


class RecordForm(QDialog):
    """Add or edit one record of a kind.

    Save stays disabled until every field is valid; Enter saves, Esc cancels (asking only if something changed).

    Signals:
        saved(rid): the record was written (as one undoable step).
    """

    saved = Signal(int)

    def __init__(
        self,
        editor: Editor,
        kind: str,
        rid: int | None = None,
        *,
        initial: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        ask: Any = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.ledger: Ledger = editor.ledger
        self.kind = KINDS_BY_NAME[kind]
        self.rid = rid
        self._ask = ask or self._ask_discard
        self.setWindowTitle(f"{'Edit' if rid else 'New'} {self.kind.singular.lower()}")
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}

        self.labels: dict[str, QLabel] = {}
        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for f in self.kind.all_fields:
            widget = editor_for(f, self.ledger, self.kind.name, create=self._create_record)
            self.editors[f.name] = widget
            hint, error = QLabel(), QLabel()
            hint.setStyleSheet(HINT_STYLE)
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            for label in (hint, error):
                label.hide()
            if f.type in (FieldType.DATE, FieldType.AMOUNT):  # their hint comes as one types: its line is kept
                policy = hint.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                hint.setSizePolicy(policy)
            self.hints[f.name], self.errors[f.name] = hint, error
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(hint)
            cell.addWidget(error)
            label = QLabel(f"{f.label}{' *' if f.required else ''}")
            label.setBuddy(widget.focus_widget())
            if f.help:
                label.setToolTip(f.help)
                widget.setToolTip(f.help)
            form.addRow(label, cell)
            self.labels[f.name] = label
            widget.edited.connect(lambda name=f.name: self._on_field_edited(name))
        if "sources" in self.editors:
            self._add_new_source_button(form)
        self.package_items = None
        self.new_items: NewItems | None = None
        if self.kind.name == "packages" and rid is None:  # its items can be typed before it is saved
            self.new_items = NewItems()
            below = list(self.editors).index("summary") + 1  # a row per field, in order: under the summary
            form.insertRow(below, QLabel("<b>Items</b>"), self.new_items)
        if self.kind.name == "packages" and rid is not None:
            from ..widgets.package_items import PackageItems

            self.package_items = PackageItems(editor, rid)
            form.addRow(QLabel("<b>Items</b>"), self.package_items)

        body = QWidget()
        body.setLayout(form)
        body.setStyleSheet(FOCUS_STYLE)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save the record and close (Ctrl+Enter, from any field)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.status.setStyleSheet(ERROR_STYLE)
        bottom = QHBoxLayout()
        if rid is not None:
            self.history_button = history = QPushButton("&History…")
            history.setToolTip("Every change to this record, each one to revert (Ctrl+H)")
            history.clicked.connect(self._on_history_clicked)
            QShortcut(QKeySequence("Ctrl+H"), self, self._on_history_clicked)
            bottom.addWidget(history)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        self.resize(720, 760)

        for widget in self.editors.values():
            link = widget.field.link
            if isinstance(widget, LinksEditor) and link is not None and link.target == "actors":
                if any(x.name == "role" and x.type is FieldType.TEXT for x in link.extras):
                    widget.suggest = self._role_of
        for button in self.findChildren(QPushButton):  # Enter saves: only Save looks like the button it presses
            if button is not self.save_button:
                button.setAutoDefault(False)
        self._load(initial)
        self._initial_values = self._values()
        self.validate()
        first = self.editors[self.kind.fields[0].name]
        first.focus_widget().setFocus()

    def _tab_chain(self) -> list[QWidget]:
        """The widgets Tab goes through: down the form in its order, through a table's rows, then the buttons."""
        chain: list[QWidget] = []
        for name, widget in self.editors.items():
            chain += widget.tab_widgets()
            if name == "summary" and self.new_items is not None:  # where the form shows it
                chain += self.new_items.tab_widgets()
        if hasattr(self, "source_title"):
            chain += [self.source_title, self.source_url, self.create_source_button, self.quote_button]
        if self.package_items is not None:
            chain.append(self.package_items)
        if hasattr(self, "history_button"):
            chain.append(self.history_button)
        return [*chain, self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab goes on down the form, never back up; Qt's own order follows the widgets' creation, not the form."""
        focus = QApplication.focusWidget()
        chain = self._tab_chain()
        at = None
        for i, widget in enumerate(chain):
            if focus is not None and (widget is focus or widget.isAncestorOf(focus)):
                at = i
        if at is None:
            return super().focusNextPrevChild(forward)
        for step in range(1, len(chain)):
            index = (at + step if forward else at - step) % len(chain)
            widget = chain[index]
            takes = (widget.focusProxy() or widget).focusPolicy() != Qt.FocusPolicy.NoFocus
            if widget.isVisible() and widget.isEnabled() and takes:
                widget.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                self.scroll_area.ensureWidgetVisible(widget)
                return True
        return False

    # --- values ---------------------------------------------------------------------------------------------------

    def _load(self, initial: dict[str, Any] | None) -> None:
        if self.rid is not None:
            record = rec.get(self.ledger, self.kind, self.rid)
        else:
            record = {f.name: f.default for f in self.kind.all_fields}
            record.update(self._from_current_article())
            record.update(initial or {})
        for name, widget in self.editors.items():
            widget.set_stored(record.get(name))
            if isinstance(widget, ExtraEditor):  # only a record from another team's file has them
                self.form.setRowVisible(self.labels[name], not widget.is_empty())

    def _from_current_article(self) -> dict[str, Any]:
        """What a new record takes from the article being entered: a citation of it, and its date where one is asked."""
        article = self.editor.current_article() if self.kind.name != "sources" else None
        if article is None:
            return {}
        taken: dict[str, Any] = {}
        if "sources" in self.editors:
            taken["sources"] = [{"target_id": article["id"], "quote": None}]
        if self.kind.date_filter and article.get("published_on"):
            taken[self.kind.date_filter] = article["published_on"]
        return taken

    def _role_of(self, actor: int) -> dict[str, Any]:
        """A participant's role: the actor's role on the record's date, as its relations say."""
        name, date = self.kind.date_filter, None
        if name:
            try:
                date = clean_record(self.ledger, self.kind, {name: self.editors[name].raw_value()})[0].get(name)
            except UserError:
                date = None  # a date not readable yet: the role it holds now
        return {"role": role_on(self.ledger, actor, date)}

    def _show_what_the_amount_says(self, name: str) -> None:
        """'over EUR 500 million' sets the Qualifier and Currency boxes still at their defaults, as saving will."""
        f = self.kind.field(name)
        raw = self.editors[name].raw_value()
        if f.type is not FieldType.AMOUNT or not isinstance(raw, str) or not raw.strip():
            return
        try:
            implied = rec.implied_by_amount(self.kind, f, raw)
        except ValueError:
            return
        for other, value in implied.items():
            editor = self.editors.get(other)
            if editor is not None and editor.raw_value() in (None, "", self.kind.field(other).default):
                editor.set_stored(value)

    def _take_from_reference(self, name: str) -> None:
        """A package picked lends its donor, recipient and date to the fields still empty: its items share them."""
        f = self.kind.field(name)
        rid = self.editors[name].raw_value()
        if f.type is not FieldType.REF or f.ref != "packages" or not isinstance(rid, int):
            return
        package = rec.get(self.ledger, "packages", rid)
        for shared in KINDS_BY_NAME["packages"].stored_fields:
            if shared.type not in (FieldType.REF, FieldType.DATE) or shared.name not in self.editors:
                continue
            editor = self.editors[shared.name]
            if package.get(shared.name) is not None and editor.raw_value() in (None, ""):
                editor.set_stored(package[shared.name])

    def _create_record(self, kind: str, values: dict[str, Any]) -> int | None:
        """Make the record a reference names ("Create 'Estonia'…"), as an undo step of its own; None if it cannot be."""
        try:
            return self.editor.insert(kind, values)
        except UserError as exc:  # a locked file, a name taken meanwhile: said, and the form keeps what was typed
            self.status.setText(str(exc))
            return None

    def _values(self) -> dict[str, Any]:
        return {name: widget.raw_value() for name, widget in self.editors.items()}

    def is_dirty(self) -> bool:
        """Whether the form holds values that are not saved."""
        return self._values() != self._initial_values

    # --- validation -----------------------------------------------------------------------------------------------

    def _on_field_edited(self, name: str) -> None:
        if not self.isVisible():  # closed: its pickers may still settle as they go, with nothing to check
            return
        self._take_from_reference(name)
        self._show_what_the_amount_says(name)
        self.validate()
        self._show_hint(name)
        if name in ("currency", "announced_on", "value_eur", "eur_basis") and name != "value" and "value" in self.hints:
            self._show_hint("value")  # the value's EUR at the ECB rate follows its currency and date

    def _show_hint(self, name: str) -> None:
        """Say what was understood: a date's precision, an amount in full units."""
        f = self.kind.field(name)
        hint = self.hints[name]
        raw = self.editors[name].raw_value()
        text = ""
        if (
            f.type in (FieldType.DATE, FieldType.AMOUNT)
            and isinstance(raw, str)
            and raw.strip()
            and not self.errors[name].isVisible()
        ):
            try:
                if f.type is FieldType.DATE:
                    iso = clean_record(self.ledger, self.kind, {name: raw})[0][name]
                    text = f"= {format_date(iso)} ({date_precision(iso)})"
                else:
                    money = parse_money(raw)
                    text = f"= {money.describe()}" if money else ""
            except (ValueError, UserError):
                text = ""
        if name == "value" and "eur_rate" in self.editors and not self.errors[name].isVisible():
            text = "; ".join(t for t in (text, self._ecb_says()) if t)
        hint.setText(text)
        hint.setVisible(bool(text))

    def _ecb_says(self) -> str:
        """The value in EUR at the ECB rate of its date, or why there is none; beside a tracker's own figure."""
        try:
            cleaned = clean_record(
                self.ledger, self.kind, {n: self.editors[n].raw_value() for n in ("value", "currency", "announced_on")}
            )[0]
        except (ValueError, UserError):
            return ""
        if cleaned.get("value") is None:
            return ""
        given = None
        if "eur_basis" in self.editors and self.editors["eur_basis"].raw_value() == "the tracker's own conversion":
            given = self.editors["value_eur"].raw_value() if "value_eur" in self.editors else None
            try:
                given = float(given) if given not in (None, "") else None
            except (TypeError, ValueError):
                given = None
            if given is None:
                return ""
        return ecb.said_in_eur(float(cleaned["value"]), str(cleaned.get("currency") or ""), cleaned.get("announced_on"),
                               given_eur=given)  # fmt: skip

    def validate(self) -> bool:
        """Check every field as storage will; show each reason beside its field; enable Save only when valid."""
        values = self._values()
        problems: dict[str, str] = {}
        try:
            clean_record(self.ledger, self.kind, values)
        except ValidationError as exc:
            problems = {e.field: e.message for e in exc.errors}
        for f in self.kind.missing_required(values):
            problems.setdefault(f.name, f"{f.label} is required")
        missing = [self.kind.field(n).label for n, m in problems.items() if m.endswith("is required")]
        for name, label in self.errors.items():
            # A field still to fill says so by its star and below, not by a line that goes as one types: the form
            # does not move under the mouse.
            message = "" if problems.get(name, "").endswith("is required") else problems.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
            if message and name in self.hints:
                self.hints[name].hide()
        self.save_button.setEnabled(not problems)
        wrong = len(problems) - len(missing)
        parts = [f"{wrong} field{'' if wrong == 1 else 's'} to fix"] if wrong else []
        if missing:
            parts.append("to fill in: " + ", ".join(missing))
        self.status.setText("; ".join(parts))
        self.status.setStyleSheet(ERROR_STYLE if wrong else HINT_STYLE)
        return not problems

    # --- saving and closing ---------------------------------------------------------------------------------------

    def save(self) -> None:
        """Validate and save the record as one undo step, then close; a failed save keeps the entries in the form."""
        if not self.validate():
            return
        values = self._values()
        if self.rid is None and not self._not_a_duplicate(values):
            return
        try:
            if self.rid is None and self.new_items is not None and self.new_items.values():
                self.rid = self._insert_package_with_items(values, self.new_items.values())
            elif self.rid is None:
                self.rid = self.editor.insert(self.kind.name, values)
                if self.kind.name == "sources":  # a new article: the records entered next cite it
                    self.editor.set_current_source(self.rid)
            else:
                changed = {n: v for n, v in values.items() if v != self._initial_values.get(n)}
                if changed:
                    self.editor.update(self.kind.name, self.rid, changed)
        except UserError as exc:  # a locked file or a full disk: the values stay in the form to retry or copy
            self.status.setText(str(exc))
            QMessageBox.warning(self, "Not saved", f"{exc}\n\nYour entries are still in the form.")
            return
        self._initial_values = values
        self.saved.emit(self.rid)
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves from any field but a multi-line one (where it starts a new line)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(self.focusWidget(), QPlainTextEdit):
            self.save()
            return
        super().keyPressEvent(event)

    def _insert_package_with_items(self, values: dict[str, Any], items: list[dict[str, Any]]) -> int:
        """The new package and its items, as one undo step.

        Each item takes the package's donor, recipient, date and sources.
        """
        with self.editor.action(f"Add package with {len(items)} item{'' if len(items) == 1 else 's'}"):
            rid = rec.insert(self.ledger, "packages", values, where="the package")
            package = rec.get(self.ledger, "packages", rid)
            lent = {n: package.get(n) for n in ("donor", "recipient", "announced_on")}
            lent["sources"] = [{"target_id": s["target_id"], "quote": s.get("quote")} for s in package["sources"]]
            for n, item in enumerate(items, start=1):
                rec.insert(self.ledger, "aid", {**lent, **item, "package": rid}, where=f"item {n}")
        return rid

    def _not_a_duplicate(self, values: dict[str, Any]) -> bool:
        """Whether to go on saving a new record: it looks like none already here, or the user says it is another.

        The import's check (same donor, recipient and date or package, and a similar item).
        """
        if not self.kind.duplicate_bucket:
            return True
        try:
            columns, _ = clean_record(self.ledger, self.kind, values)
        except UserError:
            return True  # storage says what is wrong when it saves
        found = DuplicateIndex(self.ledger, self.kind).find(columns, {}, "this form")
        if found is None:
            return True
        _, title, why = found
        answer = QMessageBox.question(
            self,
            "Already recorded?",
            f"This looks like “{title}”, already recorded: {why}.\n\nSave this one as a record of its own?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def reject(self) -> None:
        """Close without saving, once the user agrees to lose unsaved entries."""
        if self.is_dirty() and not self._ask(self):
            return
        super().reject()

    @staticmethod
    def _ask_discard(parent: QWidget) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question, "Discard changes?", "This record has changes that are not saved.", parent=parent
        )
        discard = box.addButton("&Discard them", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    # --- sources and history --------------------------------------------------------------------------------------

    def _add_new_source_button(self, form: QFormLayout) -> None:
        row = QHBoxLayout()
        self.source_title = QLineEdit()
        self.source_title.setPlaceholderText("title of a new source")
        self.source_url = QLineEdit()
        self.source_url.setPlaceholderText("https://… (optional)")
        self.create_source_button = add = QPushButton("Create and link")
        add.clicked.connect(self._on_create_source_clicked)
        row.addWidget(self.source_title, 2)
        row.addWidget(self.source_url, 2)
        row.addWidget(add)
        form.addRow("New source", row)
        self.quote_button = QPushButton("Quote from the article…")
        self.quote_button.setToolTip("Select the words in the source's kept text: they become the citation's quote")
        self.quote_button.clicked.connect(self._on_quote_clicked)
        form.addRow("", self.quote_button)

    def _on_quote_clicked(self) -> None:
        links = self.editors["sources"]
        assert isinstance(links, LinksEditor)
        current = links.current_target()
        if current is None or not isinstance(current[1], int):
            self.status.setText("Pick the source first: its kept text is where the quote comes from.")
            return
        source = rec.get(self.ledger, "sources", current[1])
        text = str(source.get("full_text") or source.get("excerpt") or "")
        if not text:
            self.status.setText("This source keeps no text to quote from: paste the article into its Full text.")
            return
        dialog = QuoteDialog(str(source.get("title") or ""), text, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.quote():
            links.set_extra(current[0], "quote", dialog.quote())

    def _on_create_source_clicked(self) -> None:
        title, url = self.source_title.text().strip(), self.source_url.text().strip()
        if not title:
            self.source_title.setFocus()
            return
        try:
            rid = self.editor.insert("sources", {"title": title, "url": url or None})
        except UserError as exc:
            QMessageBox.warning(self, "Source not created", str(exc))
            return
        links = self.editors["sources"]
        assert isinstance(links, LinksEditor)
        links.refresh_targets(select_id=rid)
        self.editor.set_current_source(rid)  # the article being entered: the next records cite it too
        self.source_title.clear()
        self.source_url.clear()

    def _on_history_clicked(self) -> None:
        assert self.rid is not None
        dialog = HistoryDialog(self.editor, self.kind.name, self.rid, self)
        dialog.exec()
        if dialog.reverted:  # show what a revert wrote, in the fields not edited here since the form opened
            record = rec.get(self.ledger, self.kind, self.rid)
            values = self._values()
            for name in dialog.reverted & self.editors.keys():
                if values[name] == self._initial_values.get(name):
                    self.editors[name].set_stored(record.get(name))
                    self._initial_values[name] = self.editors[name].raw_value()
            self.validate()


class QuoteDialog(QDialog):
    """A source's kept text, to select the words a record rests on."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Quote from {title}" if title else "Quote from the article")
        self.text = QPlainTextEdit(text)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Use the selected words")
        ok.setEnabled(False)
        self.text.selectionChanged.connect(lambda: ok.setEnabled(bool(self.quote())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Select the words the record rests on (mouse, or Shift and the arrow keys):"))
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def quote(self) -> str:
        """The words selected, on one line."""
        return " ".join(self.text.textCursor().selectedText().replace("\u2029", " ").split())
