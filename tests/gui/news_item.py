"""One short news item entered by keyboard alone, as issue 14 measured it: its keys are counted.

The item: Estonia's minister Hanno Pevkur announces a EUR 100 million package of 155mm ammunition and Javelin
missiles, and a total of over EUR 500 million. Seven records: the article, the package, its two items, the reported
total, the announcement with its participant, and the minister (Estonia and its ministry are made on the way).

``enter_news_item`` drives the real window with key events sent where a keyboard's go (the open pick list, else
the focused widget), used by the test (``test_news_item_by_keyboard.py``) and by ``make bench`` (its key count).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from gui.main_window import OVERVIEW, MainWindow
from storage import DISPLAY_ORDER

# What the first release took for the same item: about 1,670 keys and 13 trips to the mouse.
FIRST_RELEASE_KEYS = 1670
GOAL_KEYS = 560

CTRL = Qt.KeyboardModifier.ControlModifier


class Keyboard:
    """Keys typed into the window as a person types them, counted: a character, a key or a chord is one."""

    def __init__(self, window: MainWindow, settle: Callable[[], None]) -> None:
        self.window = window
        self.settle = settle
        self.count = 0

    def _target(self) -> QWidget:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            return popup
        top = QApplication.activeModalWidget() or self.window
        if not top.isActiveWindow():  # what a window manager does when a dialog opens (none runs offscreen)
            top.activateWindow()
            self.settle()
        focus = QApplication.focusWidget()
        return focus if focus is not None else top

    def type(self, text: str) -> None:
        """Type ``text``, a key per character."""
        for char in text:
            QTest.keyClicks(self._target(), char)
            self.count += 1
        self.settle()

    def press(
        self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier, times: int = 1
    ) -> None:
        """Press ``key`` (with ``modifiers``, as one chord) ``times`` times."""
        for _ in range(times):
            QTest.keyClick(self._target(), key, modifiers)
            self.count += 1
            self.settle()

    def tab(self, times: int = 1) -> None:
        """Go on down the form."""
        self.press(Qt.Key.Key_Tab, times=times)

    def pick(self, text: str) -> None:
        """Type a name into a reference and take the best offer (or "Create …" when it is new)."""
        self.type(text)
        self.press(Qt.Key.Key_Return)

    def save(self) -> None:
        """Save the form (Ctrl+Enter)."""
        self.press(Qt.Key.Key_Return, CTRL)

    def page(self, number: int) -> None:
        """Go to the sidebar's page ``number`` (Ctrl+1 is the Overview, Ctrl+2 Aid, …)."""
        self.press(Qt.Key(Qt.Key.Key_0 + number), CTRL)

    def new(self) -> None:
        """A new record of the page shown (Ctrl+N)."""
        self.press(Qt.Key.Key_N, CTRL)


def enter_news_item(window: MainWindow, settle: Callable[[], None]) -> int:
    """Enter the Estonian news item's seven records by keyboard alone; returns the keys it took."""
    keys = Keyboard(window, settle)
    page = [OVERVIEW, *DISPLAY_ORDER].index  # the sidebar's order: Ctrl+1 is the Overview

    # The article, which every record after it cites, with its date.
    keys.page(page("sources") + 1)
    keys.new()
    keys.type("Estonia to send Ukraine 155mm ammunition and Javelin missiles worth EUR 100 million")
    keys.tab()
    keys.type("ERR News")
    keys.tab(2)  # past the author
    keys.type("3 Mar 2025")
    keys.save()

    # The package: Estonia is not known yet, and is made where it is typed.
    keys.page(page("packages") + 1)
    keys.new()
    keys.type("Estonian EUR 100 million package, March 2025")
    keys.tab(3)  # code, and the date the article gave
    keys.pick("Estonia")  # Create country 'Estonia'…
    keys.tab()
    keys.pick("Ukr")
    keys.tab()
    keys.type("EUR 100 million")
    keys.save()

    # Its two items.
    keys.page(page("aid") + 1)
    for category, item in (("am", "155mm artillery ammunition"), ("anti-t", "Javelin anti-tank missiles")):
        keys.new()
        keys.tab()
        keys.pick("Estonian EUR")  # the package: its donor, recipient and date come with it
        keys.tab(3)
        keys.type(category)
        keys.tab()
        keys.type(item)
        keys.save()

    # The reported total, and who reported it.
    keys.page(page("totals") + 1)
    keys.new()
    keys.pick("Eston")
    keys.tab()
    keys.pick("Ukr")
    keys.tab(2)  # the measure: military assistance
    keys.type("over EUR 500 million")
    keys.tab(4)  # currency, qualifier (both from the amount), and the date the article gave
    keys.pick("Estonian Ministry of Defence")  # Create organisation '…'
    keys.save()

    # The announcement, with the minister as its participant.
    keys.page(page("events") + 1)
    keys.new()
    keys.type("an")  # announcement
    keys.tab(3)  # the article's date, the place
    keys.type("Pevkur announces a EUR 100 million package for Ukraine")
    keys.tab(2)  # past the summary, to the package it announced
    keys.pick("Estonian EUR")
    keys.tab()  # Participants: Add participant
    keys.press(Qt.Key.Key_Space)
    keys.pick("Hanno Pevkur")  # Create person 'Hanno Pevkur'…
    keys.tab()
    keys.type("Minister of Defence")
    keys.save()
    return keys.count
