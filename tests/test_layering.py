"""Dependencies point main -> gui -> importers | exporters -> storage; nothing below gui loads Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_storage_importers_and_exporters_do_not_load_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "for pkg in ('storage', 'importers', 'exporters'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lower_layers_never_import_upper_ones() -> None:
    rules = {
        "storage": ("gui", "importers", "exporters", "main"),
        "importers": ("gui", "main", "exporters"),  # the workbook's contract is storage.workbook: one for both
        "exporters": ("gui", "main", "importers"),
        "gui": ("main",),
    }
    offenders = []
    for package, forbidden in rules.items():
        for path in (ROOT / package).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                words = line.strip().split()
                if len(words) > 1 and words[0] in ("import", "from") and words[1].split(".")[0] in forbidden:
                    offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []


def test_the_importer_does_not_load_the_export_writer() -> None:
    code = "import sys, importers\nprint('xlsxwriter' in sys.modules, 'exporters' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
