"""Language detection among three languages, two of them neighbours: Portuguese and Spanish share
most of their letters ("Posso ir à escola?" / "¿Puedo ir a la escuela?"), so the words and
letters each language has alone decide, and a message either could be follows the user's
chosen language, then Telegram's hint. On the fixture content (en, es, pt);
benchmarks/language_detection.py measures the real content's figures."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.cli import validate_content
from bot.loading import load_knowledge
from bot.matching.language import (
    LanguageLexicon,
    detect_language,
    distinctive_letters,
    letters_used,
)
from bot.matching.matcher import language_lexicons
from bot.paths import locale_dir
from tests.conftest import FIXTURE_CONTENT, FIXTURE_LOCALE


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(FIXTURE_CONTENT, FIXTURE_LOCALE)


@pytest.mark.parametrize(("text", "lang"), [
    ("Posso ir à escola?", "pt"),
    ("posso ir a escola", "pt"),  # typed without accents
    ("¿Puedo ir a la escuela?", "es"),
    ("puedo ir a la escuela", "es"),
    ("Can I go to school?", "en"),
    ("Você sabe se o ICE pode entrar na minha casa?", "pt"),
    ("¿Usted sabe si ICE puede entrar a mi casa?", "es"),
    ("o ICE tem um warrant, tenho que abrir a porta?", "pt"),  # Portuguese with English words
    ("meu filho tem um court date, o que eu faço", "pt"),
    ("mi hijo tiene un court date, qué hago", "es"),
    ("não tenho documentos", "pt"),
    ("no tengo papeles", "es"),
    # Words the fixture's content does not use: wordfreq's words each language has alone, and
    # letters ("á" in "paró" is both languages'; "ó" too, so the words decide).
    ("advogado gratis", "pt"),
    ("policía me paró manejando", "es"),
    ("eres persona o robot?", "es"),
    ("thanks so much", "en"),
])
def test_each_message_is_read_in_its_language_whatever_the_phone(
    assistant: Assistant, text: str, lang: str,
) -> None:
    for hint in (None, "en", "es", "pt"):
        assert assistant.matcher.detect_language(text, hint) == lang, hint


def test_a_message_either_language_could_be_follows_the_choice_then_the_hint(
    assistant: Assistant,
) -> None:
    detect = assistant.matcher.detect_language
    # "agentes" is a word of the Spanish and the Portuguese content alike.
    assert detect("agentes", None, chosen="pt") == "pt"
    assert detect("agentes", None, chosen="es") == "es"
    assert detect("agentes", "pt") == "pt"
    assert detect("agentes", "es") == "es"
    assert detect("agentes", "pt", chosen="es") == "es"  # the choice first
    # "ICE" is every language's word: the choice, then the hint, then the default.
    assert detect("ICE", "es", chosen="pt") == "pt"
    assert detect("ICE", "es") == "es"
    assert detect("ICE") == "en"
    # A clear message is read as written, whatever was chosen.
    assert detect("puedo ir a la escuela", None, chosen="pt") == "es"


def test_the_chosen_language_matches_an_ambiguous_message(assistant: Assistant) -> None:
    answer = assistant.ask("agentes", chosen="pt", telegram_code="es-MX", record=False)
    assert answer.match is not None and answer.match.lang == "pt"
    assert answer.reply.lang == "pt"


def test_distinctive_words_and_letters_come_from_the_data() -> None:
    lexicons = language_lexicons(load_knowledge(FIXTURE_CONTENT))
    pt, es, en = lexicons["pt"], lexicons["es"], lexicons["en"]
    assert {"posso", "voce", "nao", "escola"} <= pt.distinctive
    assert {"puedo", "usted", "escuela"} <= es.distinctive
    assert "the" in en.distinctive
    # Words another language's content uses are nobody's own ("ice"), nor are shared ones.
    for word in ("ice", "casa", "de", "a"):
        assert all(word not in lexicon.distinctive for lexicon in lexicons.values()), word
    assert {"ã", "ç"} <= pt.letters and "ñ" in es.letters and "¿" in es.letters
    assert "á" not in pt.letters and "á" not in es.letters  # both write it ("está")
    assert not en.letters


def test_a_borrowed_name_neither_gives_nor_takes_a_letter() -> None:
    """"São Paulo" once in the Spanish content: "ã" stays Portuguese's, and is not Spanish."""
    uses = {"es": Counter({"ñ": 40, "ã": 1, "á": 30}), "pt": Counter({"ã": 60, "á": 25}),
            "en": Counter({"é": 1})}
    letters = distinctive_letters(uses)
    assert letters == {"es": frozenset({"ñ"}), "pt": frozenset({"ã"}), "en": frozenset()}
    assert letters_used(["¿Qué? “Sí”… 🙏 NIÑO"]) == Counter({"¿": 1, "é": 1, "í": 1, "ñ": 1})


def _replace_answer(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_validate_finds_english_or_spanish_left_in_pt(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    _replace_answer(content / "pt" / "schools.yaml",
                    "FIXTURE-MATRICULA. Sim. Toda criança pode ir à escola pública. É de graça.",
                    "FIXTURE-MATRICULA. Yes. Every child has the right to a free public school "
                    "education.")
    _replace_answer(content / "pt" / "ice.yaml",
                    "question: Que tipo de mandado permite que o ICE entre na minha casa?",
                    "question: ¿Qué tipo de orden permite que ICE entre a mi casa?")
    out = io.StringIO()
    validate_content(content, out, quiet=True, locale_dir=locale_dir(), phrasings=False)
    report = out.getvalue()
    assert "the answer of entry 'school-enrollment' reads as en, not pt" in report
    assert "the question of entry 'ice-warrant' reads as es, not pt" in report
    assert "reads as" not in report.replace("school-enrollment' reads as en", "").replace(
        "ice-warrant' reads as es", "")  # nothing else is flagged


def test_a_tie_without_a_preference_goes_to_the_language_its_words_lean_to() -> None:
    """"o" and "e" are Spanish and Portuguese stop words alike, but far more frequent in
    Portuguese (article, "and"/"is"): with no choice and no hint among the leaders, they decide."""
    def lexicon(unleaning: set[str]) -> LanguageLexicon:
        shared = {"o", "que", "e", "de", "lei"}
        return LanguageLexicon(frozenset({"lei"}), frozenset({"o", "que", "e", "de"}),
                               frozenset(shared), frozenset(shared), frozenset(),
                               frozenset(unleaning))
    lexicons = {"en": LanguageLexicon(frozenset({"law"}), frozenset({"the"})),
                "es": lexicon({"o", "que", "e", "de", "lei"}),
                "pt": lexicon({"que", "de", "lei"})}  # "o" and "e" lean Portuguese
    words = ["o", "que", "e", "de", "lei"]
    assert detect_language(words, lexicons, None, "en") == "pt"
    assert detect_language(words, lexicons, "es", "en") == "es"  # the hint first
    assert detect_language(words, lexicons, None, "en", chosen="es") == "es"
