"""The article's text, with the words each draft came from shaded.

Every draft's sentence is shaded pale, the selected draft's darker, and the selected field's words darkest; the
shaded words are scrolled into view.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from importers.article import Draft

# Three shades far apart in lightness, so that they read in greyscale too: every draft's sentence (pale), the
# selected draft's sentence (mid), the selected field's words (dark, in white letters).
SENTENCE_SHADE = QColor("#fff3c4")
SELECTED_SHADE = QColor("#f7c04a")
SPAN_SHADE = QColor("#1f4e99")


class ArticleText(QPlainTextEdit):
    """The article's text, pasted or read from a file, and then the evidence for the drafts read from it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(
            "Paste the article's text here (Ctrl+V), or open a file. Then Read (Ctrl+Return).\n\n"
            "Each record the article seems to hold becomes a draft on the right, with the sentence it came from."
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def clear_shades(self) -> None:
        """No words shaded (the text is being changed, or nothing was read from it)."""
        self.setExtraSelections([])

    def shade(self, text: str, drafts: Sequence[Draft], d: Draft | None = None, field: str | None = None) -> None:
        """Shade every draft's sentence, the selected draft's darker, and the selected field's words darkest.

        ``text`` is the text as read, which the drafts' spans count in (the widget shows the same).
        """
        shades: list[tuple[tuple[int, int], QTextCharFormat]] = []
        pale = QTextCharFormat()
        pale.setBackground(SENTENCE_SHADE)
        for span in sorted({x.sentence for x in drafts if x.sentence[1] > x.sentence[0]}):
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
            cursor = QTextCursor(self.document())
            cursor.setPosition(_position(text, start))
            cursor.setPosition(_position(text, end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)

    def _scroll_to(self, start: int, end: int) -> None:
        """Bring the words into view, in the middle when they are not in view already."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(end)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()


def _position(text: str, index: int) -> int:
    """A Python index into ``text`` as a Qt document position, which counts UTF-16 units (an emoji counts two)."""
    head = text[:index]
    return index + sum(1 for ch in head if ord(ch) > 0xFFFF)
