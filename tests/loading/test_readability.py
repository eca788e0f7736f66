"""Plain language is a validator rule: an English answer above grade 10 is refused."""

from __future__ import annotations

from pathlib import Path

from bot.loading import inspect_content
from bot.loading.review import review_content
from bot.paths import locale_dir

HARD = ("Notwithstanding jurisdictional considerations, administrative immigration enforcement "
        "authorities necessitate judicially authorized documentation prior to effectuating "
        "nonconsensual residential entry, irrespective of countervailing representations.")


def test_an_english_answer_above_grade_ten_is_an_error(content_copy: Path) -> None:
    path = content_copy / "en" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("    answer: |\n") + len("    answer: |\n")
    path.write_text(text[:first] + f"      {HARD}\n" * 4 + text[first:], encoding="utf-8")
    inspection = inspect_content(content_copy)
    assert inspection.knowledge is not None  # the bot could serve it; validate and CI refuse it
    problems = review_content(inspection, locale_dir(), phrasings=False)
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.file == "en/ice.yaml"
    assert error.message.startswith("the answer of entry 'ice-at-home' reads at grade ")
    assert "shorter sentences" in error.fix
