"""The real FAQ passes the validator: CI runs the same rules as `python -m bot validate`.

Every content rule lives in bot/loading/ (tested in tests/loading/); here the real content is run
through it, so whatever `validate` accepts CI accepts, and whatever CI rejects `validate` explains.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import yaml

from bot.cli import validate_content
from bot.loading import inspect_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


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
    assert all(": warning: " in line or line.startswith("    how to fix: ")
               or "(--collisions lists them" in line for line in problems)
    assert len(problems) + 1 <= 15  # one screen: the organizer sees the summary


def test_the_guide_examples_are_valid_yaml_and_name_no_file_outside_the_repository() -> None:
    guide = (CONTENT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\n(.*?)```", guide, flags=re.S)
    assert len(examples) >= 6
    for example in examples:
        yaml.safe_load(example)
    assert "fact sheet" not in guide and "/work/" not in guide
