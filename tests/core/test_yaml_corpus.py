"""The 402 documents of the official YAML test suite each give a valid routine or a clean, located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from massage_guide.core.loader import load_routine_bytes
from tests.conftest import CORPUS_DIR

CORPUS_FILES = sorted(CORPUS_DIR.glob("*.yaml")) if CORPUS_DIR.is_dir() else []
ERROR_CASES = (
    set((CORPUS_DIR / "ERRORS.txt").read_text().split()) if (CORPUS_DIR / "ERRORS.txt").is_file() else set()
)


@pytest.mark.skipif(not CORPUS_FILES, reason=f"the shared YAML corpus is not at {CORPUS_DIR}")
def test_corpus_is_complete() -> None:
    """The corpus folder holds the 402 documents the project relies on."""
    assert len(CORPUS_FILES) == 402


@pytest.mark.skipif(not CORPUS_FILES, reason=f"the shared YAML corpus is not at {CORPUS_DIR}")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_corpus_document_gives_routine_or_clean_error(path: Path) -> None:
    """No exception, hang or crash: either a routine, or problems that each name file, line and column."""
    data = path.read_bytes()
    routine, problems = load_routine_bytes(data, path)
    assert (routine is None) == bool(problems)
    for problem in problems:
        text = str(problem)
        assert text.startswith(f"{path}:{problem.line}:{problem.column}: ")
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message and "Traceback" not in text
    case = path.stem.split("-", 1)[0]
    if case in ERROR_CASES or path.stem in ERROR_CASES:
        # Documents the YAML specification says must fail can never be a routine.
        assert routine is None
