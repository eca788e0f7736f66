"""The core every adapter uses: a question in, a transport-neutral Reply out."""

from __future__ import annotations

import gc
import io
import logging
from pathlib import Path

import pytest

from bot import paths
from bot.actions import languages as languages_menu
from bot.assistant import MAX_QUESTION_CHARS, Assistant, settle_long_lived_objects
from bot.console import ConsoleChat, render_text
from bot.telegram.render import render

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(CONTENT, paths.locale_dir())


def test_a_clear_question_gets_the_entry_with_its_contacts(assistant: Assistant) -> None:
    reply = assistant.ask("what is the connecticut trust act").reply
    entry = assistant.knowledge.content("en").entries["trust-act"]
    assert (reply.kind, reply.entry_id, reply.title) == ("answer", "trust-act", entry.question)
    assert entry.answer in reply.paragraphs
    shown = [c.name for c in reply.contact_lines]
    reachable = [assistant.knowledge.content("en").contacts[c] for c in entry.contacts]
    assert shown == [c.name for c in reachable if c.reachable][:2]  # the entry's first two
    actions = [b.action for row in reply.buttons for b in row]
    others = [code for code in assistant.knowledge.language_codes if code != "en"]
    # the other language itself, or with several, one button to a menu of them
    assert (f"e:trust-act:{others[0]}" if len(others) == 1 else languages_menu("trust-act")) \
        in actions
    assert {"m:trust-act", "s:trust-act"} <= set(actions)  # more help, sources and date
    assert all(f"e:{r}" in actions for r in entry.related)


def test_sources_carry_the_review_date(assistant: Assistant) -> None:
    entry = assistant.knowledge.content("en").entries["trust-act"]
    sources = assistant.act("s:trust-act", "en")
    assert sources is not None and sources.footer is not None
    assert sources.footer.startswith("Reviewed on ") and str(entry.reviewed.year) in sources.footer
    spanish = assistant.act("s:trust-act", "es")
    assert spanish is not None and spanish.footer is not None
    assert spanish.footer.startswith("Revisado el ")


def test_more_help_opens_the_entrys_full_contact_cards(assistant: Assistant) -> None:
    content = assistant.knowledge.content("en")
    entry = content.entries["find-lawyer"]
    reply = assistant.act("m:find-lawyer", "en")
    assert reply is not None and reply.kind == "more-help"
    expected = [content.contacts[c] for c in entry.contacts if content.contacts[c].reachable]
    assert [c.name for c in reply.contacts] == [c.name for c in expected]
    assert all(card.details for card in reply.contacts)  # a phone or a link each


def test_the_answer_follows_the_language_of_the_message(assistant: Assistant) -> None:
    reply = assistant.ask("¿qué es la ley trust?", telegram_code="en-US").reply
    assert (reply.lang, reply.entry_id) == ("es", "trust-act")
    assert reply.title == assistant.knowledge.content("es").entries["trust-act"].question


def test_an_explicit_language_choice_wins(assistant: Assistant) -> None:
    reply = assistant.ask("¿qué es la ley trust?", chosen="en").reply
    assert (reply.lang, reply.entry_id) == ("en", "trust-act")


def test_unsure_questions_offer_did_you_mean_buttons(assistant: Assistant) -> None:
    answer = assistant.ask("ice")
    assert answer.match is not None and answer.match.decision == "suggest"
    offered = [b.action for row in answer.reply.buttons for b in row if b.action.startswith("d:")]
    assert offered == [f"d:{i}" for i in (answer.match.entry_id, *answer.match.suggestions)]
    chosen = assistant.act(offered[1], "en")  # a choice opens its entry, like any entry button
    assert chosen is not None and chosen.entry_id == answer.match.suggestions[0]


def test_out_of_scope_gets_a_kind_reply_with_general_contacts(assistant: Assistant) -> None:
    reply = assistant.ask("how do I file for divorce").reply
    assert reply.kind in {"none", "suggest"}
    if reply.kind == "none":
        content = assistant.knowledge.content("en")
        general = [content.contacts[c] for c in content.general_contacts]
        assert [c.name for c in reply.contact_lines] == [c.name for c in general if c.reachable]


def test_urgent_messages_lead_with_what_to_do_now(assistant: Assistant) -> None:
    for text in ("ICE is at my door right now", "la migra esta afuera de mi casa ahorita"):
        reply = assistant.ask(text).reply
        assert (reply.kind, reply.entry_id) == ("urgent", "ice-at-home"), text
        assert reply.right_now is not None and "911" in reply.right_now.steps[0]


def test_greetings_and_empty_messages_ask_for_a_question(assistant: Assistant) -> None:
    for text in ("", "   ", "hola", "ok", "👍🏽"):
        assert assistant.ask(text).reply.kind == "empty", text


def test_thanks_gets_a_one_line_welcome(assistant: Assistant) -> None:
    for text, lang in (("thanks!", "en"), ("Thank you so much 🙏", "en"),
                       ("muchas gracias por la información", "es")):
        reply = assistant.ask(text).reply
        assert (reply.kind, reply.lang) == ("thanks", lang), text
        assert len(reply.paragraphs) == 1 and "\n" not in reply.paragraphs[0]
    # a thank-you with a question in it is a question
    assert assistant.ask("gracias, ¿y si me detienen qué hago?").reply.kind != "thanks"


def test_a_language_the_bot_does_not_read_gets_a_reply_in_each_it_does(
    assistant: Assistant,
) -> None:
    texts = ["移民局可以进我家吗", "Bonjour, est-ce que la police peut me demander mes papiers?",
             "Czy moja córka może chodzić do szkoły bez dokumentów?"]
    if "pt" not in assistant.languages:  # until content/pt/ is there, Portuguese is foreign
        texts.append("Minha filha pode ir à escola sem documentos?")
    for text in texts:
        reply = assistant.ask(text).reply
        assert reply.kind == "unsupported-language", text
        body = reply.paragraphs[0]
        for lang in assistant.languages:  # every language it reads, named in each of them
            translator = assistant.catalogs.translator(lang)
            assert translator.language_list(assistant.languages) in body, (text, lang)
    for text in ("kiero saver si la migra puede entrar a mi kasa", "can ise come in my skool"):
        assert assistant.ask(text).reply.kind != "unsupported-language", text


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
    telegram_text = render(core_reply)[0].text
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


def test_urgent_messages_without_an_urgent_answer_offer_the_urgent_entries(
    assistant: Assistant,
) -> None:
    for text in ("they are here right now!!!", "auxilio ahorita", "help ice is here now"):
        reply = assistant.ask(text).reply
        assert reply.kind == "urgent", text
        assert reply.right_now is not None and "911" in reply.right_now.steps[0]
        content = assistant.knowledge.content(reply.lang)
        urgent = [f"e:{e.id}" for e in content.entries.values() if e.urgent]
        offered = [b.action for row in reply.buttons for b in row]
        assert offered[: len(urgent)] == urgent, text
        assert reply.entry_id is None  # no background answer in the way


def test_loaded_content_is_kept_out_of_garbage_collection_passes(assistant: Assistant) -> None:
    """A full collection would otherwise walk the whole index while a person waits."""
    try:
        settle_long_lived_objects()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_console_welcome_screen_numbers_work(assistant: Assistant) -> None:
    """Typing a number right after the welcome presses that welcome button."""
    out = io.StringIO()
    ConsoleChat(assistant, "en").run(["1\n"], out, interactive=True)
    first_topic = assistant.knowledge.content("en").topics[0]
    welcome, answer = out.getvalue().split("> ", 1)
    assert f"[1] {first_topic.title}" in welcome
    assert first_topic.title.upper() in answer  # the topic opened, not a "did you mean"


def test_urgency_is_the_messages_not_the_matchers(assistant: Assistant) -> None:
    """The match carries the urgency decided from the words, for the logs and /stats."""
    assert assistant.ask("ICE is at my door right now").match.urgent  # type: ignore[union-attr]
    assert assistant.ask("la migra esta afuera de mi casa ahorita").match.urgent  # type: ignore
    assert not assistant.ask("what is a detainer").match.urgent  # type: ignore[union-attr]
    assert not assistant.matcher.match("ICE is at my door right now").urgent
