"""Stable record IDs: ULIDs, unique across databases that colleagues fill offline, sortable by creation time."""

from __future__ import annotations

import base64
import os
import threading
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Standard base32 (RFC 4648) and Crockford's share the order of their 32 symbols: translating one into the other
# lets the C encoder do the work for the random part (80 bits: exactly 16 symbols).
_FROM_BASE32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _CROCKFORD)
_RANDOM_MASK = (1 << 80) - 1
_lock = threading.Lock()
_last_ms = -1
_last_random = 0
_last_time_text = ""


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
    return new_uids(1)[0]


def new_uids(count: int) -> list[str]:
    """``count`` new ULIDs in creation order: what ``new_uid`` called ``count`` times gives, in one go."""
    global _last_ms, _last_random, _last_time_text
    with _lock:
        now = time.time_ns() // 1_000_000
        if now <= _last_ms:
            start = _last_random + 1
        else:
            start = int.from_bytes(os.urandom(10), "big")
            _last_ms = now
            _last_time_text = _encode(now, 10)
        _last_random = (start + count - 1) & _RANDOM_MASK
        prefix = _last_time_text
    # 80 bits are exactly 16 base32 symbols: the random parts, laid end to end, are encoded by one C call.
    blob = b"".join(((start + n) & _RANDOM_MASK).to_bytes(10, "big") for n in range(count))
    text = base64.b32encode(blob).decode("ascii").translate(_FROM_BASE32)
    return [prefix + text[n : n + 16] for n in range(0, 16 * count, 16)]


def is_uid(text: str) -> bool:
    """Whether ``text`` has the form of a record ID this app makes."""
    return len(text) == 26 and all(c in _CROCKFORD for c in text.upper())
