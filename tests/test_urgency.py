"""Urgency is read from the message's words (vocabulary.yaml), apart from the match."""

from __future__ import annotations

import pytest

from bot.knowledge import Vocabulary
from bot.urgency import UrgencyDetector

VOCABULARY = Vocabulary(
    urgent=("at my door", "knocking", "están tocando", "me están deteniendo", "me paró"),
    distress=("help", "ayuda", "what do i do"),
    right_now=("right now", "rn", "ahorita"),
    calm=("if", "si", "yesterday"),
)
DETECT = UrgencyDetector({"en": VOCABULARY})


@pytest.mark.parametrize("text", [
    "ICE is at my door",
    "they are KNOCKING",
    "estan tocando la puerta",  # accents folded
    "me estan deteniendo",
    "ICE at my dooor right now!!!",  # letters repeated for emphasis
    "they are knoking",  # a typo in a longer word
    "agents here rn",
    "what do i do if they come in, they are at my door right now",  # "if", but right now
    "el policía me paró y me pregunta si tengo papeles, ayuda",  # "si" = whether
    "help!!",  # nothing but a cry
    "ayuda porfa",
])
def test_messages_written_as_it_happens_are_urgent(text: str) -> None:
    assert DETECT.is_urgent(text)


@pytest.mark.parametrize("text", [
    "what should I do if ICE is at my door?",  # ahead of time
    "ICE was knocking yesterday, what are my rights",  # after the fact
    "where can I get help with a lawyer",  # "help" alone is an everyday word
    "necesito ayuda legal para mi caso",
    "¿qué hago si me para la policía?",
    "",
    "🙏🙏",
])
def test_calm_questions_are_not(text: str) -> None:
    assert not DETECT.is_urgent(text)


def test_the_last_letter_is_never_a_typo() -> None:
    """In Spanish it is the tense: 'me paró' happened; 'me para' is a question about a rule."""
    assert not DETECT.is_urgent("¿y si me para la policía?")
    assert not DETECT.is_urgent("me detuvieron el año pasado si")  # not "me están deteniendo"


def test_every_language_words_apply_to_every_message() -> None:
    detect = UrgencyDetector({
        "en": Vocabulary(urgent=("at my door",)), "es": Vocabulary(urgent=("están tocando",)),
    })
    assert detect.is_urgent("la migra is at my door")
    assert detect.is_urgent("ICE están tocando")
