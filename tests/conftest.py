"""Shared fixtures. Qt runs offscreen, and every test gets its own user data folder and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from storage import Field, Kind, Ledger
from storage.sample import load_sample

# `make test-all` sets this: tests marked slow then run at full length instead of their short form.
FULL = os.environ.get("AID_LEDGER_FULL") == "1"
# How many examples each property-based test tries: a short run in `make test`, a long one in `make fuzz`.
FUZZ_EXAMPLES = int(os.environ.get("AID_LEDGER_FUZZ_EXAMPLES", "300"))


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user data folder of the test's own, so nothing touches the real one."""
    home = tmp_path / "xdg-data"
    home.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return home


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    """An empty database."""
    with Ledger.open(tmp_path / "test.db") as opened:
        yield opened


@pytest.fixture
def sample_ledger(tmp_path: Path) -> Iterator[Ledger]:
    """A database holding the sample records."""
    with Ledger.open(tmp_path / "sample.db") as opened:
        load_sample(opened)
        yield opened


@contextmanager
def field_added(kind_name: str, field: Field) -> Iterator[Kind]:
    """The kind ``kind_name`` with one more field, as if its description had been edited, for the test's length."""
    from storage import kinds

    kind = kinds.KINDS_BY_NAME[kind_name]
    before = kind.fields
    object.__setattr__(kind, "fields", (*before, field))
    kinds._DERIVED.clear()
    kinds._FIELD_INDEX.clear()
    try:
        yield kind
    finally:
        object.__setattr__(kind, "fields", before)
        kinds._DERIVED.clear()
        kinds._FIELD_INDEX.clear()
