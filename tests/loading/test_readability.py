"""Plain language is a validator rule: an English answer above grade 10, or a Spanish one under
Fernández-Huerta ease 60, is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.loading import inspect_content
from bot.loading.review import review_content
from bot.paths import locale_dir

HARD = ("Notwithstanding jurisdictional considerations, administrative immigration enforcement "
        "authorities necessitate judicially authorized documentation prior to effectuating "
        "nonconsensual residential entry, irrespective of countervailing representations.")


DIFICIL = ("No obstante las consideraciones jurisdiccionales correspondientes, las autoridades "
           "administrativas encargadas de la aplicación migratoria requieren documentación "
           "judicialmente autorizada anteriormente a efectuar cualquier ingreso residencial "
           "involuntario, independientemente de representaciones contradictorias.")


def _prepend_to_first_answer(path: Path, sentence: str) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.index("    answer: |\n") + len("    answer: |\n")
    path.write_text(text[:first] + f"      {sentence}\n" * 4 + text[first:], encoding="utf-8")


def test_the_real_answers_pass_in_both_languages(content_copy: Path) -> None:
    problems = review_content(inspect_content(content_copy), locale_dir(), phrasings=False)
    assert not [p for p in problems if "reads at" in p.message or "median" in p.message]


def test_an_english_answer_above_grade_ten_is_an_error(content_copy: Path) -> None:
    _prepend_to_first_answer(content_copy / "en" / "ice.yaml", HARD)
    inspection = inspect_content(content_copy)
    assert inspection.knowledge is not None  # the bot could serve it; validate and CI refuse it
    problems = review_content(inspection, locale_dir(), phrasings=False)
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.file == "en/ice.yaml"
    assert error.message.startswith("the answer of entry 'ice-at-home' reads at grade ")
    assert "shorter sentences" in error.fix


def test_a_spanish_answer_under_ease_sixty_is_an_error(content_copy: Path) -> None:
    _prepend_to_first_answer(content_copy / "es" / "ice.yaml", DIFICIL)
    problems = review_content(inspect_content(content_copy), locale_dir(), phrasings=False)
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.file == "es/ice.yaml"
    assert error.message.startswith("the answer of entry 'ice-at-home' reads at ease ")
    assert error.message.endswith("; at least ease 60")


def test_a_language_without_a_formula_is_held_to_lengths(tmp_path: Path) -> None:
    """Portuguese: textstat has no Portuguese formula, so its answers are held to the length
    limits of bot/loading/reading-levels.yaml, with no code for the language."""
    from bot.loading.readability import LENGTH_UNIT, rule_for
    from tests.conftest import FIXTURE_CONTENT

    rule = rule_for("pt")
    assert rule.unit == LENGTH_UNIT and (rule.each, rule.median) == (1400, 1050)
    assert rule_for("es").unit == "ease" and rule_for("en").unit == "grade"
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    long_answer = "      Fique calmo e não abra a porta para ninguém sem um mandado.\n" * 25
    _prepend_to_first_answer_text(content / "pt" / "ice.yaml", long_answer)
    problems = review_content(inspect_content(content), locale_dir(), phrasings=False)
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.file == "pt/ice.yaml"
    assert error.message.startswith("the answer of entry 'ice-at-door' has 1,")
    assert error.message.endswith("characters; at most 1,400 characters")
    assert not [p for p in problems if p.file.startswith(("en/", "es/")) and "reads at" in
                p.message]


def _prepend_to_first_answer_text(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.index("    answer: |\n") + len("    answer: |\n")
    path.write_text(text[:first] + lines + text[first:], encoding="utf-8")
