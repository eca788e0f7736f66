"""A message read once (bot/message.py): what is kept of a long one, and what every step shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import paths
from bot.assistant import Assistant
from bot.message import MAX_QUESTION_CHARS, MAX_WORDS, Message


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(Path(__file__).resolve().parent.parent / "content", paths.locale_dir())


def test_a_message_is_folded_and_split_once() -> None:
    message = Message.read("¿Puede ICE entrar a la ESCUELA?  Ayudaaa")
    assert message.folded == "puede ice entrar a la escuela ayudaaa"
    assert message.words[-1] == "ayudaaa" and message.plain_words[-1] == "ayuda"
    assert Message.read(message) is message  # every step takes the same object
    assert message.tail is message  # short: the matcher reads all of it


def test_a_long_message_keeps_its_end_and_the_matcher_reads_its_last_words() -> None:
    story = " ".join(f"word{n}" for n in range(1000)) + " what is a detainer"
    message = Message.read(story)
    assert len(message.text) <= MAX_QUESTION_CHARS
    assert message.text.endswith("what is a detainer")
    assert len(message.tail.words) == MAX_WORDS
    assert message.tail.text.endswith("what is a detainer")


def test_the_language_is_detected_once_per_hint() -> None:
    message = Message.read("hola")
    calls: list[str] = []

    def detect() -> str:
        calls.append("x")
        return "es"

    assert message.language(None, detect) == message.language(None, detect) == "es"
    assert len(calls) == 1


def test_an_urgent_start_of_a_long_message_is_still_read(assistant: Assistant) -> None:
    """The urgency phrases look at all of what is kept, not only the matcher's last words."""
    text = "ICE is at my door right now. " + "We moved here years ago and " * 30
    assert len(Message.read(text).tail.words) == MAX_WORDS
    assert assistant.ask(text).reply.kind == "urgent"


def test_a_huge_message_of_unknown_words_reads_a_bounded_number_of_them(
    assistant: Assistant,
) -> None:
    junk = " ".join("qx" + "".join(chr(97 + (n * 7 + i) % 26) for i in range(6))
                    for n in range(600))[:4096]
    message = Message.read(junk)
    assert len(message.tail.words) == MAX_WORDS
    assert assistant.ask(junk).reply.kind in {"none", "suggest", "unsupported-language"}
