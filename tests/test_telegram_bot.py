"""End to end: the real Application against the fake Bot API, in English, Spanish and Portuguese.

Each test starts the bot built by `bot.telegram.app.build_application` (see tests/conftest.py),
sends updates the way Telegram would, and checks the Bot API calls the bot makes. The content is
the small fixture in tests/fixtures/content; Spanish and Portuguese interface text comes from the
fixture catalogs in tests/fixtures/locale.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.replies import Reply, ReplyBuilder
from bot.telegram.app import build_application
from bot.telegram.context import BotApplication
from bot.telegram.render import render, visible_text
from tests.conftest import (
    Launch,
    Person,
    buttons,
    data_of,
    make_settings,
    running,
)
from tests.fake_telegram import FakeTelegram

Bot = tuple[FakeTelegram, object]

# What the bot says, per language: fixture content (answers) and fixture catalog (interface).
TEXT = {
    "en": {
        "code": "en",
        "welcome": "Know your rights in Connecticut",
        "disclaimer": "not legal advice",
        "school_topic": "Schools & students",
        "ice_topic": "ICE at home",
        "school_question": "can ice go into my kids school",
        "school_answer": "FIXTURE-SCHOOL-ICE",
        "enroll_question": "Public school without papers",  # the entry's short title
        "enroll_answer": "FIXTURE-ENROLL",
        "door_answer": "FIXTURE-DOOR",
        "warrant_answer": "FIXTURE-WARRANT",
        "who_can_help": "Who can help",
        "phone": "(800) 555-0100",
        "ambiguous": "ice",  # one word every entry uses: it cannot say which is meant
        "did_you_mean": "Did you mean…?",
        "off_topic": "what is the weather tomorrow",
        "no_answer": "Sorry, I don't have an answer",
        "topics": "Topics",
        "choose_question": "Choose a question:",
        "back": "« Back to topics",
        "browse": "Browse topics",
        "contacts_intro": "In an emergency, call 911",
        "right_now_need": "Right now",
        "now_step": "FIXTURE-NOW",
        "help": "How to use this bot",
        "privacy": "Your privacy",
        "forgotten": "Done. I deleted your language choice",
        "non_text": "I can only read text messages",
        "error": "Sorry, something went wrong",
        "stale": "This button is no longer available",
        "urgent": "ICE is here right now, what do I do",  # ICE alone: which entry is unsure
        "urgent_lead": "If this is happening right now",
        "open_in_bot": "Open in the bot",
        "describe_start": "Start: what I can do, and the topics",
    },
    "es": {
        "code": "es-MX",
        "welcome": "Conozca sus derechos en Connecticut",
        "disclaimer": "not legal advice",  # not in the fixture catalog: falls back to English
        "school_topic": "Escuelas y estudiantes",
        "ice_topic": "ICE en la casa",
        "school_question": "puede entrar la migra a la escuela de mis hijos",
        "school_answer": "FIXTURE-ESCUELA-ICE",
        "enroll_question": "Escuela pública sin papeles",
        "enroll_answer": "FIXTURE-INSCRIPCION",
        "door_answer": "FIXTURE-PUERTA",
        "warrant_answer": "FIXTURE-ORDEN",
        "who_can_help": "Quién puede ayudar",
        "phone": "(800) 555-0100",
        "ambiguous": "la migra",
        "did_you_mean": "¿Quiso decir…?",
        "off_topic": "cual es el clima de mañana",
        "no_answer": "Lo siento, no tengo una respuesta",
        "topics": "Temas",
        "choose_question": "Elija una pregunta:",
        "back": "« Volver a los temas",
        "browse": "Ver los temas",
        "contacts_intro": "In an emergency, call 911",  # idem
        "right_now_need": "Ahora mismo",
        "now_step": "FIXTURE-AHORA",
        "help": "Cómo usar este bot",
        "privacy": "Su privacidad",
        "forgotten": "Listo. Borré su elección de idioma",
        "non_text": "Solo puedo leer mensajes de texto",
        "error": "Lo siento, algo falló",
        "stale": "Este botón ya no está disponible",
        "urgent": "la migra ahora mismo",
        "urgent_lead": "If this is happening right now",  # idem
        "open_in_bot": "Abrir en el bot",
        "describe_start": "Empezar: qué puedo hacer, y los temas",
    },
    "pt": {
        "code": "pt-BR",
        "welcome": "Conheça os seus direitos em Connecticut",
        "disclaimer": "not legal advice",  # not in the fixture catalog: falls back to English
        "school_topic": "Escolas e alunos",
        "ice_topic": "ICE em casa",
        "school_question": "a imigração pode entrar na escola dos meus filhos",
        "school_answer": "FIXTURE-ESCOLA-ICE",
        "enroll_question": "Escola pública sem documentos",
        "enroll_answer": "FIXTURE-MATRICULA",
        "door_answer": "FIXTURE-PORTA",
        "warrant_answer": "FIXTURE-MANDADO",
        "who_can_help": "Quem pode ajudar",
        "phone": "(800) 555-0100",
        "ambiguous": "imigração",
        "did_you_mean": "Você quis dizer…?",
        "off_topic": "como vai estar o tempo amanhã",
        "no_answer": "Desculpe, não tenho resposta",
        "topics": "Temas",
        "choose_question": "Escolha uma pergunta:",
        "back": "« Voltar para os temas",
        "browse": "Ver os temas",
        "contacts_intro": "In an emergency, call 911",  # idem
        "right_now_need": "Agora mesmo",
        "now_step": "FIXTURE-AGORA",
        "help": "Como usar este bot",
        "privacy": "A sua privacidade",
        "forgotten": "Pronto. Apaguei a sua escolha de idioma",
        "non_text": "Eu só consigo ler mensagens de texto",
        "error": "Desculpe, algo deu errado",
        "stale": "Este botão não está mais disponível",
        "urgent": "o ice está na minha porta agora mesmo",
        "urgent_lead": "If this is happening right now",  # idem
        "open_in_bot": "Abrir no bot",
        "describe_start": "Início: o que eu posso fazer e os temas",
    },
}
LANGUAGES = ("en", "es", "pt")
LANGS = pytest.mark.parametrize("lang", LANGUAGES)
NAMES = {"en": "English", "es": "español", "pt": "português"}


def others(lang: str) -> list[str]:
    """The fixture's other languages, in the order the bot lists them."""
    return [code for code in LANGUAGES if code != lang]


def switch_label(lang: str) -> str:
    """The one button under an answer that leads to the same answer in the other languages."""
    return " · ".join(NAMES[code] for code in others(lang))


def person(tg: FakeTelegram, lang: str, user_id: int = 1001, **kwargs: object) -> Person:
    return Person(tg, user_id=user_id, language_code=TEXT[lang]["code"], **kwargs)  # type: ignore[arg-type]


# -- /start and deep links -----------------------------------------------------------------------
@LANGS
async def test_start_welcomes_in_the_users_language(bot: Bot, lang: str) -> None:
    tg, _ = bot
    t = TEXT[lang]
    (call,) = await person(tg, lang).say("/start")
    text = call.params["text"]
    assert text.startswith(f"<b>{t['welcome']}</b>")
    assert t["disclaimer"] in text and "/privacy" in text
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    labels = [label for label, _data in buttons(call)]
    assert labels == [t["school_topic"], t["ice_topic"], *(NAMES[o] for o in others(lang))]
    for other in others(lang):
        assert data_of(call, NAMES[other]) == f"{lang}|l:{other}"
    names = {"en": "English, Spanish, or Portuguese", "es": "español, inglés o portugués",
             "pt": "português, inglês ou espanhol"}[lang]
    assert f"in {names}," in text or f"en {names}," in text or f"em {names}," in text


async def test_start_falls_back_to_english_for_other_languages(bot: Bot) -> None:
    tg, _ = bot
    for code in ("uk", None, "fr-CA"):
        text = await Person(tg, user_id=77, language_code=code).ask("/start")
        assert TEXT["en"]["welcome"] in text


async def test_every_portuguese_phone_gets_portuguese(bot: Bot) -> None:
    tg, _ = bot
    for user_id, code in enumerate(("pt", "pt-BR", "pt-PT"), start=80):
        text = await Person(tg, user_id=user_id, language_code=code).ask("/start")
        assert TEXT["pt"]["welcome"] in text


@LANGS
async def test_deep_link_opens_an_entry(bot: Bot, lang: str) -> None:
    tg, _ = bot
    text = await person(tg, lang).ask("/start school-ice-visit")
    assert TEXT[lang]["school_answer"] in text


@LANGS
async def test_deep_link_opens_a_topic(bot: Bot, lang: str) -> None:
    tg, _ = bot
    (call,) = await person(tg, lang).say("/start ice-home")
    assert call.params["text"].startswith(f"<b>{TEXT[lang]['ice_topic']}</b>")
    assert [data for _label, data in buttons(call)] == [
        f"{lang}|e:ice-at-door", f"{lang}|e:ice-warrant", f"{lang}|T"]


@LANGS
async def test_unknown_deep_link_falls_back_to_the_welcome(bot: Bot, lang: str) -> None:
    tg, _ = bot
    assert TEXT[lang]["welcome"] in await person(tg, lang).ask("/start no-such-thing")


# -- questions -----------------------------------------------------------------------------------
@LANGS
async def test_question_gets_the_answer_contacts_and_buttons(bot: Bot, lang: str) -> None:
    tg, _ = bot
    t = TEXT[lang]
    (call,) = await person(tg, lang).say(t["school_question"])
    text = call.params["text"]
    assert t["school_answer"] in text
    assert f"<b>{t['who_can_help']}</b>" in text
    assert f"• <b>Fixture Legal Aid &amp; Friends</b>: {t['phone']}" in text  # one line each
    assert data_of(call, t["enroll_question"]) == f"{lang}|e:school-enrollment"  # related
    # The last row is as long as with two languages: topics, and one button for the others.
    assert [label for label, _data in buttons(call)][-2:] == [t["browse"], switch_label(lang)]
    assert data_of(call, switch_label(lang)) == f"{lang}|o:school-ice-visit"
    keyboard = call.params["reply_markup"]["inline_keyboard"]
    assert [len(row) for row in keyboard] == [1, 2, 2]  # related; more help, sources; last row


async def test_spanish_message_from_an_english_phone_gets_spanish(bot: Bot) -> None:
    tg, _ = bot
    text = await Person(tg, language_code="en").ask("puede mi hijo ir a la escuela sin papeles")
    assert TEXT["es"]["enroll_answer"] in text and TEXT["es"]["who_can_help"] in text


@pytest.mark.parametrize(("code", "text", "lang"), [
    ("es-MX", "meu filho pode ir para a escola sem documentos", "pt"),
    ("pt-BR", "puede mi hijo ir a la escuela sin papeles", "es"),
    ("en", "Posso matricular meu filho na escola?", "pt"),
])
async def test_the_message_language_wins_over_the_phone_between_neighbours(
    bot: Bot, code: str, text: str, lang: str,
) -> None:
    tg, _ = bot
    reply = await Person(tg, language_code=code).ask(text)
    assert TEXT[lang]["enroll_answer"] in reply and TEXT[lang]["who_can_help"] in reply


@LANGS
async def test_unsure_question_offers_did_you_mean_buttons(bot: Bot, lang: str) -> None:
    tg, _ = bot
    asker = person(tg, lang)
    (call,) = await asker.say(TEXT[lang]["ambiguous"])
    assert TEXT[lang]["did_you_mean"] in call.params["text"]
    data = [d for _label, d in buttons(call)]
    assert f"{lang}|d:ice-at-door" in data and f"{lang}|d:ice-warrant" in data
    _answered, edit = await asker.press(f"{lang}|d:ice-at-door")  # a choice opens its entry
    assert TEXT[lang]["door_answer"] in edit.params["text"]


@LANGS
async def test_off_topic_question_gets_a_kind_reply_with_help_contacts(bot: Bot, lang: str) -> None:
    tg, _ = bot
    text = await person(tg, lang).ask(TEXT[lang]["off_topic"])
    assert TEXT[lang]["no_answer"] in text
    assert "Fixture Legal Aid &amp; Friends" in text and "Fixture Rapid Response Hotline" in text


@LANGS
async def test_urgent_message_gets_the_right_now_steps_first(bot: Bot, lang: str) -> None:
    tg, _ = bot
    t = TEXT[lang]
    (call,) = await person(tg, lang).say(t["urgent"])  # one message
    text = call.params["text"]
    assert text.startswith(f"<b>{t['urgent_lead']}")
    assert t["now_step"] in text and "911" in text and "(800) 555-0199" in text  # the hotline
    # then the urgent answer, or buttons to the urgent entries: never a background answer first
    assert t["door_answer"] in text or f"{lang}|e:ice-at-door" in [d for _l, d in buttons(call)]
    assert len(tg.calls_to("sendMessage")) == 1


@pytest.mark.parametrize(("text", "code", "lang"), [
    ("ICE is at my door right now", "en", "en"),
    ("la migra está afuera de mi casa", "en", "es"),
    ("tem agentes da imigração na frente da minha casa", "en", "pt"),
])
async def test_urgent_examples_from_the_issue(bot: Bot, text: str, code: str, lang: str) -> None:
    tg, _ = bot
    (first,) = await Person(tg, language_code=code).say(text)
    shown = visible_text(first.params["text"])
    assert shown.index("911") < 600
    assert TEXT[lang]["now_step"] in shown


# -- browsing with buttons -----------------------------------------------------------------------
@LANGS
async def test_browse_topics_edits_the_message_in_place(bot: Bot, lang: str) -> None:
    tg, _ = bot
    t = TEXT[lang]
    ana = person(tg, lang)
    (menu,) = await ana.say("/topics")
    assert menu.params["text"].startswith(f"<b>{t['topics']}</b>")
    message_id = ana.last_bot_message()["message_id"]

    answer, topic = await ana.press(data_of(menu, t["school_topic"]))
    assert set(answer.params) == {"callback_query_id"}  # answered, silently
    assert topic.params["message_id"] == message_id and topic.params["chat_id"] == ana.chat
    assert t["choose_question"] in topic.params["text"]

    _, entry = await ana.press(buttons(topic)[0][1])  # the topic's first question
    assert t["school_answer"] in entry.params["text"] and entry.params["message_id"] == message_id
    _, topics = await ana.press(data_of(entry, t["browse"]))
    assert topics.params["text"].startswith(f"<b>{t['topics']}</b>")
    _, topic = await ana.press(data_of(topics, t["ice_topic"]))
    _, back = await ana.press(data_of(topic, t["back"]))
    assert back.params["text"].startswith(f"<b>{t['topics']}</b>")
    assert back.params["message_id"] == message_id
    assert len(tg.calls_to("sendMessage")) == 1  # one message, edited five times
    assert len(tg.calls_to("answerCallbackQuery")) == len(tg.calls_to("editMessageText")) == 5


@LANGS
async def test_language_button_on_an_answer_reaches_each_other_language(
    bot: Bot, lang: str
) -> None:
    tg, _ = bot
    ana = person(tg, lang)
    (call,) = await ana.say(TEXT[lang]["school_question"])
    _, menu = await ana.press(data_of(call, switch_label(lang)))
    assert [label for label, _data in buttons(menu)][:2] == [NAMES[o] for o in others(lang)]
    for other in others(lang):
        _, edit = await ana.press(data_of(menu, NAMES[other]))
        assert TEXT[other]["school_answer"] in edit.params["text"]
        assert data_of(edit, TEXT[other]["enroll_question"]) == f"{other}|e:school-enrollment"
    _, back = await ana.press(buttons(menu)[-1][1])  # « back to the answer, in its language
    assert TEXT[lang]["school_answer"] in back.params["text"]


async def test_buttons_continue_in_the_language_of_their_message(bot: Bot) -> None:
    tg, _ = bot
    ana = Person(tg, language_code="en")  # English phone, asks in Spanish
    (call,) = await ana.say(TEXT["es"]["school_question"])
    _, edit = await ana.press(data_of(call, TEXT["es"]["enroll_question"]))
    assert TEXT["es"]["enroll_answer"] in edit.params["text"]


async def test_pressing_what_is_already_shown_is_quiet(bot: Bot) -> None:
    tg, _ = bot
    ana = Person(tg)
    await ana.say("/topics")
    tg.fail_next("editMessageText", status=400,
                 description="Bad Request: message is not modified: specified new message "
                             "content and reply markup are exactly the same")
    seen = {id(c) for c in tg.calls}
    ana.press_only("en|T")
    await ana.expect(seen, "answerCallbackQuery")
    await asyncio.sleep(0.1)
    assert [c.error_code for c in tg.calls_to("editMessageText")] == [400]
    assert len(tg.calls_to("sendMessage")) == 1  # no error message, no duplicate


async def test_a_message_that_cannot_be_edited_gets_a_new_one(bot: Bot) -> None:
    tg, _ = bot
    ana = Person(tg)
    await ana.say("/topics")
    tg.fail_next("editMessageText", status=400,
                 description="Bad Request: message can't be edited")
    seen = {id(c) for c in tg.calls}
    ana.press_only("en|t:schools")
    (sent,) = await ana.expect(seen, "sendMessage")
    assert TEXT["en"]["choose_question"] in sent.params["text"]
    # A button on a message Telegram no longer gives us (date 0: inaccessible): a new message.
    seen = {id(c) for c in tg.calls}
    tg.send_raw({"callback_query": {
        "id": "old", "chat_instance": "c", "data": "en|T",
        "from": {"id": ana.user_id, "is_bot": False, "first_name": "Ana"},
        "message": {"message_id": 1, "date": 0, "chat": {"id": ana.chat, "type": "private"}},
    }})
    (sent,) = await ana.expect(seen, "sendMessage")
    assert sent.params["text"].startswith("<b>Topics</b>")


@pytest.mark.parametrize("data", [
    "zzz", "en|e:no-such-entry", "es|t:nope", "en|l:xx", "xx|T:extra", "", "en|", "e:" + "x" * 60,
])
async def test_stale_or_unknown_button_gets_a_notice(bot: Bot, data: str) -> None:
    tg, _ = bot
    ana = Person(tg)
    await ana.say("/start")
    seen = {id(c) for c in tg.calls}
    ana.press_only(data)
    (answer,) = await ana.expect(seen, "answerCallbackQuery")
    assert TEXT["en"]["stale"] in answer.params["text"]
    assert not tg.calls_to("editMessageText")
    assert TEXT["en"]["welcome"] in await ana.ask("/start")  # still answering


async def test_stale_button_notice_in_spanish(bot: Bot) -> None:
    tg, _ = bot
    ana = person(tg, "es")
    await ana.say("/start")
    seen = {id(c) for c in tg.calls}
    ana.press_only("es|e:gone")
    (answer,) = await ana.expect(seen, "answerCallbackQuery")
    assert TEXT["es"]["stale"] in answer.params["text"]


# -- language choice -----------------------------------------------------------------------------
@LANGS
async def test_language_choice_sticks_until_changed(bot: Bot, lang: str) -> None:
    tg, _ = bot
    other = others(lang)[-1]
    ana = person(tg, lang)
    (menu,) = await ana.say("/language")
    assert [data for _label, data in buttons(menu)] == [
        f"{lang}|l:en", f"{lang}|l:es", f"{lang}|l:pt"]
    _, edit = await ana.press(data_of(menu, NAMES[other]))
    assert {"en": "I will answer in English", "es": "Desde ahora le responderé en español",
            "pt": "A partir de agora, vou responder em português"}[other] in edit.params["text"]
    # A question in the phone's language now gets the chosen language, and so does /start.
    assert TEXT[other]["school_answer"] in await ana.ask(TEXT[lang]["school_question"])
    assert TEXT[other]["welcome"] in await ana.ask("/start")
    assert TEXT[lang]["welcome"] in await person(tg, lang, user_id=2002).ask("/start")  # others


async def test_language_button_on_the_welcome(bot: Bot) -> None:
    tg, _ = bot
    ana = Person(tg)
    (welcome,) = await ana.say("/start")
    await ana.press(data_of(welcome, "español"))
    assert TEXT["es"]["school_answer"] in await ana.ask("can ice go into my kids school")


async def test_language_choice_survives_a_restart_without_raw_ids(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    settings = make_settings(tg, tmp_path)
    user_id = 735_194_862
    ana = Person(tg, user_id=user_id, language_code="en")

    def app() -> BotApplication:
        return build_application(settings, Assistant.load(settings.content_dir,
                                                           settings.locale_dir))

    async with running(app()):
        await ana.say("/start")
        await ana.press("en|l:es")
    with sqlite3.connect(settings.state_file) as db:
        stored = db.execute("SELECT user_key, lang FROM languages").fetchall()
        dump = "\n".join(db.iterdump())
    assert [lang for _key, lang in stored] == ["es"]
    assert str(user_id) not in dump  # only the keyed hash

    async with running(app()):
        assert TEXT["es"]["school_answer"] in await ana.ask("can ice go into my kids school")
        await ana.say("/forget")
    async with running(app()):
        assert TEXT["en"]["school_answer"] in await ana.ask("can ice go into my kids school")


async def test_a_new_bot_token_keeps_the_language_choices(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    """User keys come from their own secret, not from the token: rotating a leaked token
    keeps what people chose, and /forget still reaches it."""
    ana = Person(tg, user_id=735_194_862, language_code="en")

    def app(token: str) -> BotApplication:
        settings = make_settings(tg, tmp_path, token=token)
        return build_application(settings, Assistant.load(settings.content_dir,
                                                           settings.locale_dir))

    async with running(app("123456:TEST-token_for-tests")):
        await ana.say("/start")
        await ana.press("en|l:es")
    async with running(app("123456:ROTATED-token")) as rotated:
        assert TEXT["es"]["school_answer"] in await ana.ask("can ice go into my kids school")
        key = rotated.runtime.user_key(ana.user_id).encode()
        assert any(key in f.read_bytes() for f in tmp_path.rglob("*") if f.is_file())
        await ana.say("/forget")
        # Forgotten for real: no file of the bot holds the key (state, -wal, -shm, copies).
        assert not any(key in f.read_bytes() for f in tmp_path.rglob("*") if f.is_file())
    with sqlite3.connect(tmp_path / "bot-state.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM languages").fetchone() == (0,)


async def test_a_choice_stored_under_a_token_derived_key_moves_to_the_new_key(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    """State written by an older version, which keyed users with a secret derived from the
    token: the choice still holds, and then lives under the new key only."""
    from bot.telegram.privacy import derive_secret, user_key
    from tests.conftest import TOKEN

    settings = make_settings(tg, tmp_path)
    old_key = user_key(735_194_862, derive_secret(TOKEN, "user-key"))
    with sqlite3.connect(settings.state_file) as db:  # the older version's file
        db.execute("CREATE TABLE languages (user_key TEXT PRIMARY KEY, lang TEXT NOT NULL)")
        db.execute("INSERT INTO languages VALUES (?, 'es')", (old_key,))
    ana = Person(tg, user_id=735_194_862, language_code="en")
    async with running(build_application(settings, Assistant.load(settings.content_dir,
                                                                   settings.locale_dir))):
        assert TEXT["es"]["school_answer"] in await ana.ask("can ice go into my kids school")
    with sqlite3.connect(settings.state_file) as db:
        assert db.execute("SELECT COUNT(*) FROM legacy_languages").fetchone() == (0,)
        ((key, lang),) = db.execute("SELECT user_key, lang FROM languages").fetchall()
    assert lang == "es" and key != old_key


# -- the other commands --------------------------------------------------------------------------
@LANGS
async def test_contacts_help_privacy(bot: Bot, lang: str) -> None:
    tg, _ = bot
    t = TEXT[lang]
    ana = person(tg, lang)
    (menu,) = await ana.say("/contacts")  # a menu by need
    assert t["contacts_intro"] in menu.params["text"]
    _, need = await ana.press(data_of(menu, t["right_now_need"]))
    assert "Fixture Rapid Response Hotline" in need.params["text"]
    assert "(800) 555-0199" in need.params["text"]
    assert "Fixture Legal Aid" not in need.params["text"]  # only that need's contacts
    assert t["help"] in await ana.ask("/help")
    assert t["privacy"] in await ana.ask("/privacy")
    assert t["help"] in await ana.ask("/nonsense")  # unknown commands get the help


@LANGS
async def test_forget_deletes_the_language_choice(bot: Bot, lang: str) -> None:
    tg, app = bot
    other = others(lang)[0]
    ana = person(tg, lang)
    await ana.say("/start")
    await ana.press(f"{lang}|l:{other}")
    state = app.runtime.state  # type: ignore[attr-defined]
    assert state.language_count() == 1
    assert TEXT[other]["forgotten"] in await ana.ask("/forget")  # in the language in use
    assert state.language_count() == 0
    assert TEXT[lang]["welcome"] in await ana.ask("/start")


# -- inline mode ---------------------------------------------------------------------------------
@LANGS
async def test_inline_query_offers_answers_to_share(bot: Bot, lang: str) -> None:
    tg, app = bot
    t = TEXT[lang]
    tg.send_inline_query(t["ambiguous"], language_code=t["code"])
    (call,) = await tg.wait_for("answerInlineQuery")
    params = call.params
    assert params["is_personal"] is True and params["cache_time"] <= 60
    assert params["button"]["start_parameter"] == "inline"
    results = params["results"]
    # The top three of the ranking are offered (their order is the matcher's business).
    offered = {r["id"] for r in results}
    assert {f"ice-at-door.{lang}", f"ice-warrant.{lang}"} <= offered and len(offered) <= 3
    content = next(r for r in results if r["id"].startswith("ice-warrant"))[
        "input_message_content"]
    assert t["warrant_answer"] in content["message_text"]
    assert "&lt;b&gt;" in content["message_text"]  # escaped like every message
    assert content["parse_mode"] == "HTML"
    door = next(r for r in results if r["id"].startswith("ice-at-door"))
    url = door["reply_markup"]["inline_keyboard"][0][0]
    assert url == {"text": t["open_in_bot"], "url": "https://t.me/kyr_test_bot?start=ice-at-door"}
    assert app.runtime.assistant.stats.total == 0  # type: ignore[attr-defined]


async def test_inline_query_empty_and_off_topic(bot: Bot) -> None:
    tg, _ = bot
    tg.send_inline_query("")
    (empty,) = await tg.wait_for("answerInlineQuery")
    assert [r["id"] for r in empty.params["results"]] == ["school-ice-visit.en", "ice-at-door.en"]
    tg.send_inline_query("what is the weather tomorrow")
    off_topic = (await tg.wait_for("answerInlineQuery", count=2))[1]
    assert off_topic.params["results"] == []


# -- groups --------------------------------------------------------------------------------------
async def test_group_answers_mentions_and_replies_only(bot: Bot) -> None:
    tg, _ = bot
    group = -100_777
    ana = Person(tg, user_id=31, chat_id=group, chat_type="supergroup")
    tg.send_text("can ice go into my kids school", user_id=32, chat_id=group,
                 chat_type="supergroup")  # not for the bot
    (call,) = await ana.say("@kyr_test_bot can ice go into my kids school")
    assert TEXT["en"]["school_answer"] in call.params["text"]
    assert "reply_parameters" in call.params  # quotes the question in a group
    (reply,) = await ana.say("puede entrar la migra a la escuela de mis hijos", reply_to_bot=True)
    assert TEXT["es"]["school_answer"] in reply.params["text"]
    (reply,) = await ana.say("@kyr_test_bot " + TEXT["pt"]["school_question"])
    assert TEXT["pt"]["school_answer"] in reply.params["text"]
    assert TEXT["en"]["welcome"] in await ana.ask("/start@kyr_test_bot")
    tg.send_text("/start@other_bot", user_id=33, chat_id=group, chat_type="supergroup")
    tg.send_text("thanks @someone_else", user_id=33, chat_id=group, chat_type="supergroup")
    await ana.say("@kyr_test_bot")  # a bare mention: asks for words
    await asyncio.sleep(0.2)
    assert len(tg.calls_to("sendMessage")) == 5


async def test_group_non_text_is_ignored(bot: Bot) -> None:
    tg, _ = bot
    tg.send_raw({"message": {"message_id": 5, "date": 0, "chat": {"id": -5, "type": "group"},
                             "from": {"id": 9, "is_bot": False, "first_name": "B"},
                             "sticker": {"file_id": "f", "file_unique_id": "u", "width": 1,
                                         "height": 1, "is_animated": False, "is_video": False,
                                         "type": "regular"}}})
    assert TEXT["en"]["welcome"] in await Person(tg, user_id=9).ask("/start")
    assert [c.params["chat_id"] for c in tg.calls_to("sendMessage")] == [9]


# -- non-text, edits, malformed updates ----------------------------------------------------------
@LANGS
async def test_non_text_messages_get_a_short_reply(bot: Bot, lang: str) -> None:
    tg, _ = bot
    code = TEXT[lang]["code"]
    senders = [tg.send_sticker, tg.send_photo, tg.send_voice, tg.send_location]
    for number, send in enumerate(senders, start=1):
        send(user_id=500 + number, language_code=code)  # type: ignore[operator]
    calls = await tg.wait_for("sendMessage", count=4)
    assert sorted(c.params["chat_id"] for c in calls) == [501, 502, 503, 504]
    assert all(TEXT[lang]["non_text"] in c.params["text"] for c in calls)


async def test_edited_messages_are_ignored(bot: Bot) -> None:
    tg, _ = bot
    tg.send_edited_text("can ice go into my kids school", user_id=61)
    tg.send_edited_text("/start", user_id=61)
    assert TEXT["en"]["welcome"] in await Person(tg, user_id=62).ask("/start")
    await asyncio.sleep(0.1)
    assert [c.params["chat_id"] for c in tg.calls_to("sendMessage")] == [62]


async def test_malformed_updates_do_not_stop_the_bot(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    tg, _ = bot
    caplog.set_level(logging.DEBUG)
    chat = {"id": 71, "type": "private"}
    user = {"id": 71, "is_bot": False, "first_name": "X"}
    tg.send_raw({"message": {"message_id": 1, "date": 0, "chat": chat}})  # no text, no sender
    tg.send_raw({"message": {"message_id": 2, "date": 0, "chat": chat,  # text, no sender
                             "text": "can ice go into my kids school"}})
    tg.send_raw({"message": {"message_id": 3, "date": 0, "chat": chat, "from": user,
                             "text": "hi", "field_from_the_future": {"x": [1, 2]}}})
    tg.send_raw({"callback_query": {"id": "cb1", "chat_instance": "z", "from": user,
                                    "data": "\u0000garbage\u2603"}})  # no message at all
    tg.send_raw({"callback_query": {"id": "cb2", "chat_instance": "z", "from": user}})  # no data
    tg.send_raw({"update_kind_from_the_future": {"anything": True}})
    tg.send_raw({"edited_channel_post": {"message_id": 9, "date": 0,
                                         "chat": {"id": -100, "type": "channel"}, "text": "x"}})
    # Updates PTB cannot even parse: they must not stall polling, nor reach the logs.
    tg.send_raw({"message": {"message_id": 4, "date": "yesterday", "chat": chat, "from": user,
                             "text": "Wombat-5150 my secret"}})
    tg.send_raw({"message": "Wombat-5150 not an object"})
    tg.send_raw({"message": {"message_id": 5, "date": 0, "text": "Wombat-5150 no chat"}})
    await tg.wait_for("answerCallbackQuery", count=2)
    assert TEXT["en"]["welcome"] in await Person(tg, user_id=72).ask("/start")
    texts = [c.params["text"] for c in tg.calls_to("sendMessage")]
    assert any(TEXT["en"]["school_answer"] in text for text in texts)
    assert not any(TEXT["en"]["error"] in text for text in texts)
    assert "Wombat" not in caplog.text
    assert await tg.all_confirmed()


# -- command menu --------------------------------------------------------------------------------
async def test_commands_are_registered_per_language(bot: Bot) -> None:
    tg, _ = bot
    default = tg.commands[('{"type": "default"}', "")]
    spanish = tg.commands[('{"type": "default"}', "es")]
    portuguese = tg.commands[('{"type": "default"}', "pt")]
    names = ["start", "topics", "contacts", "language", "help", "privacy", "forget"]
    assert [c["command"] for c in default] == names == [c["command"] for c in spanish]
    assert [c["command"] for c in portuguese] == names
    assert default[0]["description"] == TEXT["en"]["describe_start"]
    assert spanish[0]["description"] == TEXT["es"]["describe_start"]
    assert portuguese[0]["description"] == TEXT["pt"]["describe_start"]
    assert "reload" not in {c["command"] for c in default}  # admin commands stay hidden


# -- HTML and limits -----------------------------------------------------------------------------
@LANGS
async def test_content_is_escaped(bot: Bot, lang: str) -> None:
    tg, _ = bot
    text = await person(tg, lang).ask("/start ice-warrant")
    assert TEXT[lang]["warrant_answer"] in text
    assert "&lt;b&gt;" in text and "&lt;/b&gt;" in text and "(I-200 &amp; I-205)" in text
    assert "<b>c" not in text  # the content's "<b>counts</b>" is text, not formatting
    if lang == "en":
        assert '"U.S. District Court" -&gt; check it' in text


async def test_long_replies_are_split_under_the_limit(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    tg, app = bot
    base = ReplyBuilder.help

    def huge_help(self: ReplyBuilder) -> Reply:
        reply = base(self)
        long = ("A & B <c> " * 500).strip()  # 4,999 characters, 6,499 once escaped
        return type(reply)(lang=reply.lang, kind="help", title=reply.title,
                           paragraphs=(long, long, "The end."), buttons=reply.buttons)

    monkeypatch.setattr(ReplyBuilder, "help", huge_help)
    parts = len(render(huge_help(app.runtime.assistant.replies("en"))))  # type: ignore[attr-defined]
    assert parts > 2
    calls = await Person(tg).say("/help", count=parts)
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert [bool(buttons(c)) for c in calls] == [False] * (parts - 1) + [True]
    assert calls[-1].params["text"].endswith("The end.")


# -- admin ---------------------------------------------------------------------------------------
@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    import shutil

    from tests.conftest import FIXTURE_CONTENT

    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


async def test_admin_reload_swaps_valid_content(
    tg: FakeTelegram, launch: Launch, content_copy: Path
) -> None:
    from tests.conftest import ADMIN_ID

    app = await launch(content_dir=content_copy)
    admin = Person(tg, user_id=ADMIN_ID)
    assert "FIXTURE-ENROLL." in await admin.ask("/start school-enrollment")
    schools = content_copy / "en" / "schools.yaml"
    schools.write_text(schools.read_text().replace("FIXTURE-ENROLL.", "FIXTURE-ENROLL-V2."))
    stats_before = app.runtime.assistant.stats  # type: ignore[attr-defined]
    reply = await admin.ask("/reload")
    assert "<b>Content reloaded</b>" in reply and "en: 4 entries in 2 topics" in reply
    assert "FIXTURE-ENROLL-V2." in await admin.ask("/start school-enrollment")
    assert app.runtime.assistant.stats is stats_before  # type: ignore[attr-defined]


async def test_admin_reload_refuses_broken_content(
    tg: FakeTelegram, launch: Launch, content_copy: Path
) -> None:
    from tests.conftest import ADMIN_ID

    await launch(content_dir=content_copy)
    admin = Person(tg, user_id=ADMIN_ID)
    schools = content_copy / "en" / "schools.yaml"
    schools.write_text(schools.read_text().replace(
        "    question: Can my child", "   question: [Can <my> child & "))
    reply = await admin.ask("/reload")
    assert "<b>Content not reloaded</b>" in reply and "1 error" in reply
    # file:line, relative to the content folder
    assert re.search(r"en/schools\.yaml:\d+: error: the file cannot be read", reply), reply
    assert "<my>" not in reply
    assert "FIXTURE-ENROLL." in await admin.ask("/start school-enrollment")  # old content serves


async def test_admin_reload_reports_at_most_ten_problems(
    tg: FakeTelegram, launch: Launch, content_copy: Path
) -> None:
    from tests.conftest import ADMIN_ID

    await launch(content_dir=content_copy)
    extra = "\n".join(f"  - id: Bad_Id_{n}\n    question: q\n" for n in range(14))
    (content_copy / "en" / "broken.yaml").write_text(f"topic: broken\ntitle: B\nentries:\n{extra}")
    reply = await Person(tg, user_id=ADMIN_ID).ask("/reload")
    assert reply.count("en/broken.yaml:") == 10 and "more" in reply


@LANGS
async def test_admin_stats_counts_only(bot: Bot, lang: str) -> None:
    from tests.conftest import ADMIN_ID

    tg, _ = bot
    asker = person(tg, "en", user_id=88)
    questions = ("can ice go into my kids school", "ice",
                 "what is the weather tomorrow", "puede entrar la migra a la escuela de mis hijos",
                 "will ice take my child from school")
    for question in questions:
        (sent,) = await asker.say(question)
        choices = [data for _label, data in buttons(sent) if data.startswith("en|d:")]
        if question == "ice":  # "did you mean": the first choice is tapped
            await asker.press(choices[0])
            chosen = choices[0].removeprefix("en|d:")
    tg.send_inline_query("can ice go into my kids school")  # not a question for the stats
    await tg.wait_for("answerInlineQuery")
    reply = await person(tg, lang, user_id=ADMIN_ID).ask("/stats")
    expected_total = {"en": "5 questions so far", "es": "5 preguntas hasta ahora",
                      "pt": "5 perguntas até agora"}[lang]
    assert expected_total in reply
    assert "en: 2 answered, 1 with suggestions, 1 not answered" in reply
    assert "es: 1 answered, 0 with suggestions, 0 not answered" in reply
    assert "1. school-ice-visit — 3" in reply
    assert "1. small-talk — 1" in reply  # the out-of-scope topic's id, never the message
    assert "weather" not in reply and "88" not in reply
    heading = {"en": "What the FAQ missed", "es": "Lo que le faltó", "pt": "O que faltou"}[lang]
    gaps = reply[reply.index(heading):]
    assert "small-talk — 1" in gaps and f"{chosen} — 1" in gaps  # the topic, the choice tapped
    assert "python -m bot report" in gaps


@pytest.mark.parametrize("command", ["/stats@kyr_test_bot", "/reload@kyr_test_bot"])
async def test_admin_commands_in_a_group_post_nothing_there(
    bot: Bot, command: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The counts, or /reload's file paths and content problems, are for the admin's eyes."""
    from tests.conftest import ADMIN_ID

    tg, _ = bot
    caplog.set_level(logging.INFO)
    group = -100_555
    admin = Person(tg, user_id=ADMIN_ID, chat_id=group, chat_type="supergroup")
    tg.send_text(command, user_id=ADMIN_ID, chat_id=group, chat_type="supergroup")
    # What the admin asks next in the group is answered: the command before it was handled.
    await admin.say("can ice go into my kids school @kyr_test_bot")
    texts = [c.params["text"] for c in tg.calls_to("sendMessage")]
    assert len(texts) == 1 and "FIXTURE-SCHOOL-ICE" in texts[0]
    assert "admin command in a supergroup chat: not answered there" in caplog.text


async def test_admin_commands_are_hidden_from_others(bot: Bot) -> None:
    tg, _ = bot
    someone = Person(tg, user_id=99)
    assert TEXT["en"]["help"] in await someone.ask("/reload")
    assert TEXT["en"]["help"] in await someone.ask("/stats")
    assert TEXT["es"]["help"] in await person(tg, "es", user_id=98).ask("/stats")


# -- errors, rate limits, load -------------------------------------------------------------------
@LANGS
async def test_handler_error_is_logged_without_text_and_the_user_is_told(
    bot: Bot, lang: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    tg, _ = bot
    secret_text = "my neighbour Rosalind-4471 was taken"

    def broken_ask(self: Assistant, text: str, **kwargs: object) -> None:
        raise RuntimeError(f"cannot handle {text}")  # a careless message: must not be logged

    monkeypatch.setattr(Assistant, "ask", broken_ask)
    text = await person(tg, lang, user_id=66_123_987).ask(secret_text)
    assert TEXT[lang]["error"] in text
    failures = [r for r in caplog.records if r.name == "bot.telegram.handlers"
                and r.levelname == "ERROR"]
    assert len(failures) == 1
    line = failures[0].getMessage()
    assert "RuntimeError" in line and "message" in line and "broken_ask" in line
    assert "Rosalind" not in caplog.text and "66123987" not in caplog.text
    assert TEXT[lang]["welcome"] in await person(tg, lang).ask("/start")  # still answering


async def test_429_is_retried_and_the_answer_arrives(bot: Bot) -> None:
    tg, _ = bot
    tg.fail_next("sendMessage", status=429, retry_after=1)
    assert TEXT["en"]["school_answer"] in await Person(tg).ask("can ice go into my kids school")
    assert [c.error_code for c in tg.calls_to("sendMessage")] == [429, None]


async def test_start_up_survives_a_failed_delete_webhook(tg: FakeTelegram, launch: Launch) -> None:
    tg.fail_next("deleteWebhook", status=502)  # bootstrap_retries: start-up retries it
    await launch()
    assert [c.error_code for c in tg.calls_to("deleteWebhook")] == [502, None]
    assert TEXT["en"]["welcome"] in await Person(tg).ask("/start")


async def test_burst_of_300_messages_from_100_people(bot: Bot) -> None:
    tg, _ = bot
    questions = ["can ice go into my kids school", "puede mi hijo ir a la escuela sin papeles",
                 "what warrant does ice need to enter my house"]
    users = range(10_000, 10_100)
    for question in questions:
        for user_id in users:
            tg.send_text(question, user_id=user_id)
    calls = await tg.wait_for("sendMessage", count=300, timeout=25)
    per_chat: dict[int, int] = {}
    for call in calls:
        per_chat[call.params["chat_id"]] = per_chat.get(call.params["chat_id"], 0) + 1
    assert per_chat == dict.fromkeys(users, 3)
    texts = [c.params["text"] for c in calls]
    assert sum("FIXTURE-SCHOOL-ICE" in t for t in texts) == 100
    assert sum("FIXTURE-INSCRIPCION" in t for t in texts) == 100
    assert sum("FIXTURE-WARRANT" in t for t in texts) == 100
    assert await tg.all_confirmed()
