"""The command line's import preview and result, in the words the window uses: the file's cells, and plurals."""

from __future__ import annotations

from pathlib import Path

import pytest

import main


def test_the_command_line_quotes_the_cells_and_counts_one_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.db")
    assert main.main(["--db", db, "load-sample"]) == 0
    path = tmp_path / "one.csv"
    path.write_text("Donor,Recipient,Item,Announced on\nFreedonia,Ukraine,Field kitchen,unclear 10/2022\n")
    capsys.readouterr()
    assert main.main(["--db", db, "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert 'read as: 1 partly known ("unclear 10/2022")' in out
    assert "1 new actor will be created: Freedonia" in out
    assert "Imported: 1 added, 0 updated, 0 deleted, 1 linked record created." in out
    assert "(s)" not in out
