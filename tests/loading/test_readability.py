"""Plain language is a validator rule: an English answer above grade 10, or a Spanish one under
Fernández-Huerta ease 60, is refused."""

from __future__ import annotations

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
