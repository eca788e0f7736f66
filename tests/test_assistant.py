"""The core every adapter uses: a question in, a transport-neutral Reply out."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

import pytest

from bot import paths
from bot.assistant import MAX_QUESTION_CHARS, Assistant, settle_long_lived_objects
from bot.console import ConsoleChat, render_text
from bot.telegram.render import render_all

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(CONTENT, paths.locale_dir())


def test_a_clear_question_gets_the_entry_with_its_contacts(assistant: Assistant) -> None:
    reply = assistant.ask("what is the connecticut trust act").reply
    entry = assistant.knowledge.content("en").entries["trust-act"]
    assert (reply.kind, reply.entry_id, reply.title) == ("answer", "trust-act", entry.question)
    assert entry.answer in reply.paragraphs
    assert len(reply.contacts) == len(entry.contacts)
    assert reply.footer == "Reviewed on November 29, 2026."
    actions = [b.action for row in reply.buttons for b in row]
    assert "e:trust-act:es" in actions  # the other language
    assert all(f"e:{r}" in actions for r in entry.related)


def test_the_answer_follows_the_language_of_the_message(assistant: Assistant) -> None:
    reply = assistant.ask("¿qué es la ley trust?", telegram_code="en-US").reply
    assert reply.lang == "es"
    assert reply.footer == "Revisado el 29 de noviembre de 2026."


def test_an_explicit_language_choice_wins(assistant: Assistant) -> None:
    reply = assistant.ask("¿qué es la ley trust?", chosen="en").reply
    assert (reply.lang, reply.entry_id) == ("en", "trust-act")


def test_unsure_questions_offer_did_you_mean_buttons(assistant: Assistant) -> None:
    answer = assistant.ask("ice")
    assert answer.match is not None and answer.match.decision == "suggest"
    offered = [b.action for row in answer.reply.buttons for b in row if b.action.startswith("e:")]
    assert offered == [f"e:{i}" for i in (answer.match.entry_id, *answer.match.suggestions)]


def test_out_of_scope_gets_a_kind_reply_with_general_contacts(assistant: Assistant) -> None:
    reply = assistant.ask("how do I file for divorce").reply
    assert reply.kind in {"none", "suggest"}
    if reply.kind == "none":
        general = assistant.knowledge.content("en").general_contacts
        assert [c.name for c in reply.contacts] == [
            assistant.knowledge.content("en").contacts[c].name for c in general
        ]


def test_urgent_messages_lead_with_what_to_do_now(assistant: Assistant) -> None:
    for text in ("ICE is at my door right now", "la migra esta afuera de mi casa ahorita"):
        reply = assistant.ask(text).reply
        assert reply.entry_id == "ice-at-home", text
        assert reply.kind in {"answer", "urgent"}


def test_greetings_and_empty_messages_ask_for_a_question(assistant: Assistant) -> None:
    for text in ("", "   ", "hola", "thanks!", "👍🏽"):
        assert assistant.ask(text).reply.kind == "empty", text


def test_huge_messages_are_cut_to_their_end(assistant: Assistant) -> None:
    story = "blah " * 5000 + "what is a detainer"
    assert len(story) > MAX_QUESTION_CHARS
    match = assistant.ask(story).match
    assert match is not None and match.entry_id == "detainer-what-is"


def test_the_same_question_gets_the_same_answer_in_console_and_telegram(
    assistant: Assistant,
) -> None:
    question = "can the school give my kids records to ice"
    console_reply = ConsoleChat(assistant).respond(question)
    core_reply = assistant.ask(question).reply
    assert console_reply == core_reply
    console_text = render_text(console_reply)
    telegram_text = render_all(core_reply)[0].text
    entry = assistant.knowledge.content("en").entries[core_reply.entry_id or ""]
    first_line = entry.answer.splitlines()[0]
    assert first_line in console_text
    assert first_line.replace("'", "&#x27;") in telegram_text or first_line in telegram_text


def test_buttons_resolve_to_replies(assistant: Assistant) -> None:
    assert assistant.act("T", "es").kind == "topics"  # type: ignore[union-attr]
    assert assistant.act("t:schools", "en").kind == "topic"  # type: ignore[union-attr]
    assert assistant.act("e:ice-at-home:es", "en").lang == "es"  # type: ignore[union-attr]
    assert assistant.act("s:ice-at-home", "en").kind == "sources"  # type: ignore[union-attr]
    assert assistant.act("c", "en").kind == "contacts"  # type: ignore[union-attr]
    for stale in ("e:no-such-entry", "t:nope", "l:xx", "zz", "", "T:extra"):
        assert assistant.act(stale, "en") is None


def test_the_core_never_logs_what_people_write(
    assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "my neighbor Rosalinda Quispe at 12 Elm Street"
    with caplog.at_level(logging.DEBUG):
        assistant.ask(f"{secret} ice is at my door")
        assistant.ask(secret)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "question lang=" in logged  # it does log: counts, ids, scores, timings
    for word in ("Rosalinda", "Quispe", "Elm", "neighbor"):
        assert word not in logged


def test_urgent_messages_with_no_answer_lead_with_emergency_contacts(
    assistant: Assistant,
) -> None:
    for text in ("they are here right now!!!", "auxilio ahorita"):
        reply = assistant.ask(text).reply
        assert reply.kind == "none", text
        urgent = assistant.knowledge.content(reply.lang).urgent_contacts
        first = [assistant.knowledge.content(reply.lang).contacts[c].name for c in urgent]
        assert [c.name for c in reply.contacts[: len(first)]] == first
        assert "911" in reply.paragraphs[0]


def test_loaded_content_is_kept_out_of_garbage_collection_passes(assistant: Assistant) -> None:
    """A full collection would otherwise walk the whole index while a person waits."""
    try:
        settle_long_lived_objects()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
