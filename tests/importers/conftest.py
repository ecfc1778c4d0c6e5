"""Files in the trackers' published layouts, generated once per test session and shared by the tests that read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers import trackers
from tests.importers.trackers import Expect


@pytest.fixture(scope="session")
def kiel_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expect]:
    """A Kiel tracker workbook of 400 rows (the 7th release's layout)."""
    return trackers.kiel_workbook(tmp_path_factory.mktemp("kiel"), rows=400)


@pytest.fixture(scope="session")
def kiel_2023(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expect]:
    """A Kiel tracker CSV of 900 rows (the 2023 release's layout)."""
    return trackers.kiel_csv(tmp_path_factory.mktemp("kiel-csv"), rows=900)


@pytest.fixture(scope="session")
def sipri(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expect]:
    """A SIPRI trade register of 1,200 records."""
    return trackers.sipri_register(tmp_path_factory.mktemp("sipri"), rows=1200)
