"""The Qt binding itself must not corrupt Python's memory.

PySide6 6.12.0's Signal.emit() lost a reference to True on every call, and a window that had emitted some 20,000
signals died with "deallocating True or False".
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    flag = Signal(bool)
    value = Signal(object)


def test_emitting_signals_keeps_refcounts_of_true_false_and_none() -> None:
    emitter = _Emitter()
    emitter.plain.connect(lambda: None)
    emitter.flag.connect(lambda on: None)
    emitter.value.connect(lambda v: None)
    before = [sys.getrefcount(x) for x in (True, False, None)]
    for _ in range(100):  # few enough that a leaking binding fails this test rather than aborting Python
        emitter.plain.emit()
        emitter.flag.emit(False)
        emitter.value.emit(None)
    after = [sys.getrefcount(x) for x in (True, False, None)]
    assert [a - b for a, b in zip(after, before, strict=True)] == [0, 0, 0]
