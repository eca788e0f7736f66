"""The real FAQ passes the validator: CI runs the same rules as `python -m bot validate`.

Every content rule lives in bot/loading/ (tested in tests/loading/); here the real content is run
through it, so whatever `validate` accepts CI accepts, and whatever CI rejects `validate` explains.
"""

from __future__ import annotations

import io
import statistics
import sys
from pathlib import Path

import pytest

from bot.cli import validate_content
from bot.knowledge import Knowledge
from bot.loading import inspect_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT))

from benchmarks.readability import english_grade  # noqa: E402


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    inspection = inspect_content(CONTENT)
    assert inspection.knowledge is not None, "\n".join(map(str, inspection.errors))
    return inspection.knowledge


def test_the_real_content_has_no_errors() -> None:
    inspection = inspect_content(CONTENT)
    assert not inspection.errors, "\n".join(map(str, inspection.errors))


def test_validate_accepts_the_real_content_and_prints_no_review_notes() -> None:
    """The full `validate`, leave-one-out pass included (benchmarks/validate.py prints its
    lines and timing)."""
    out = io.StringIO()
    assert validate_content(CONTENT, out) == 0, out.getvalue()
    *problems, summary = out.getvalue().splitlines()
    assert summary.startswith("content/: OK (") and "(--notes lists them)" in summary
    assert all(": warning: " in line or line.startswith("    how to fix: ") for line in problems)


def test_english_answers_read_at_grade_eight_or_below(knowledge: Knowledge) -> None:
    grades = {e.id: english_grade(e.answer) for e in knowledge.content("en").entries.values()}
    assert statistics.median(grades.values()) <= 8
    hard = {k: v for k, v in grades.items() if v > 10}
    assert not hard, f"answers above grade 10: {hard}"
