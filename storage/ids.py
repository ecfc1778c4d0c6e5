"""Stable record IDs: ULIDs, unique across databases that colleagues fill offline, sortable by creation time."""

from __future__ import annotations

import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last_ms = -1
_last_random = 0


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_uid() -> str:
    """Return a new ULID (26 characters): 48 bits of milliseconds, then 80 random bits.

    Within one millisecond the random part counts up, so IDs made in one process stay in creation order.
    """
    global _last_ms, _last_random
    with _lock:
        now = time.time_ns() // 1_000_000
        if now <= _last_ms:
            now = _last_ms
            _last_random = (_last_random + 1) & ((1 << 80) - 1)
        else:
            _last_random = int.from_bytes(os.urandom(10), "big")
        _last_ms = now
        return _encode(now, 10) + _encode(_last_random, 16)


def is_uid(text: str) -> bool:
    """Whether ``text`` has the form of a record ID this app makes."""
    return len(text) == 26 and all(c in _CROCKFORD for c in text.upper())
