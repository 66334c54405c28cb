"""The layers stay apart: core never loads Qt or pygame, and ``--version`` stays cheap."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT

CHECK = """
import importlib, pkgutil, sys
import massage_guide.core as core
for info in pkgutil.iter_modules(core.__path__):
    importlib.import_module(f"massage_guide.core.{info.name}")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pygame", "numpy"))
print(",".join(loaded))
"""


def test_core_imports_neither_qt_nor_pygame() -> None:
    """Importing every core module in a fresh interpreter loads no PySide6, pygame or numpy."""
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_version_does_not_import_qt_or_pygame() -> None:
    """``--version`` answers without touching Qt or pygame."""
    code = (
        "import sys\nfrom massage_guide.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print([m for m in sys.modules if m.startswith(('PySide6', 'pygame'))])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip().endswith("[]"), result.stdout


def test_services_do_not_import_qt() -> None:
    """The audio and speech services never load Qt."""
    code = (
        "import importlib, pkgutil, sys\nimport massage_guide.services as s\n"
        "[importlib.import_module(f'massage_guide.services.{i.name}') for i in pkgutil.iter_modules(s.__path__)]\n"
        "print([m for m in sys.modules if m.startswith('PySide6')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
