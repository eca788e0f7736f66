"""Replies as a person receives them on a phone: the real content through the real Telegram
adapter and the fake Bot API. Lengths are visible characters (the HTML markup removed).

Limits (issue #11): one message per question; the first message of an answer at most 1,800
visible characters, a median of at most 1,100 (English) and 1,300 (Spanish, Portuguese and any
other language: its words run longer than English's); every button label
at most 40 characters; a message written as it happens shows 911 within its first 600 visible
characters, in private chats, groups and inline mode alike. benchmarks/reply_length.py prints the
figures these tests only bound.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from bot import paths
from bot.loading import check_content
from bot.telegram.render import visible_text
from tests.conftest import Launch, Person, buttons
from tests.fake_telegram import FakeTelegram

CONTENT = paths.content_dir()
LOCALE = paths.locale_dir()
_knowledge, _problems = check_content(CONTENT)
pytestmark = pytest.mark.skipif(
    _knowledge is None, reason="content/ does not validate yet (python -m bot validate)"
)
MAX_VISIBLE = 1800
MEDIAN_VISIBLE = {"en": 1100}
OTHER_MEDIAN_VISIBLE = 1300
# Every language of the real content (Portuguese once content/pt/ is there).
LANGUAGES = _knowledge.language_codes if _knowledge is not None else ("en", "es")
LABEL_LIMIT = 40
NINE_ONE_ONE_WITHIN = 600

AS_IT_HAPPENS = {  # from the issue, and the kinds of message it names
    "en": ["ICE is at my door right now", "help ice is here now", "they're taking my husband",
           "ICE IS OUTSIDE RN WHAT DO I DO", "agents banging on the door, help"],
    "es": ["la migra está en mi puerta ahorita qué hago", "ayuda la migra esta aqui",
           "me están deteniendo", "se lo llevan a mi esposo", "están tocando la puerta auxilio"],
    "pt": ["o ICE está na minha porta agora, o que eu faço", "socorro a imigração está aqui",
           "estão me prendendo", "estão levando o meu marido", "estão batendo na porta, socorro"],
}
CALM = {
    "en": ["what should I do if ICE comes to my door?", "can ICE come into my kid's school?"],
    "es": ["¿qué hago si la migra llega a mi puerta algún día?",
           "¿tengo que abrirle la puerta a la migra?"],
    "pt": ["o que eu faço se o ICE vier na minha porta algum dia?",
           "eu tenho que abrir a porta para a imigração?"],
}


async def test_every_answer_fits_a_phone(tg: FakeTelegram, launch: Launch) -> None:
    """Each entry, opened as a person opens it (a deep link), in each language."""
    app = await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    knowledge = app.runtime.assistant.knowledge  # type: ignore[attr-defined]
    for user_id, lang in enumerate(knowledge.language_codes, start=1):
        person = Person(tg, user_id=user_id, language_code=lang)
        lengths = []
        for entry_id in knowledge.content(lang).entries:
            calls = await person.say(f"/start {entry_id}")
            await _no_more_messages(person)
            (call,) = calls
            lengths.append(len(visible_text(call.params["text"])))
            assert lengths[-1] <= MAX_VISIBLE, (lang, entry_id, lengths[-1])
            for label, _data in buttons(call):
                assert len(label) <= LABEL_LIMIT, (lang, entry_id, label)
        limit = MEDIAN_VISIBLE.get(lang, OTHER_MEDIAN_VISIBLE)
        assert statistics.median(lengths) <= limit, (lang, sorted(lengths))


async def _no_more_messages(person: Person) -> None:
    """One message per question: nothing follows the first."""
    seen = person._seen()
    with pytest.raises(AssertionError):
        await person.expect(seen, timeout=0.2)


async def test_every_button_and_list_label_is_short(tg: FakeTelegram, launch: Launch) -> None:
    await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    for user_id, lang in enumerate(LANGUAGES, start=1):
        person = Person(tg, user_id=user_id, language_code=lang)
        (menu,) = await person.say("/topics")
        screens = [menu]
        for _label, data in buttons(menu):
            if "|t:" in data:
                screens.append((await person.press(data))[1])
        (contacts,) = await person.say("/contacts")
        screens.append(contacts)
        for screen in screens:
            for label, _data in buttons(screen):
                assert len(label) <= LABEL_LIMIT, (lang, label)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_contacts_are_a_menu_by_need_each_one_short(
    tg: FakeTelegram, launch: Launch, lang: str
) -> None:
    app = await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    content = app.runtime.assistant.knowledge.content(lang)  # type: ignore[attr-defined]
    person = Person(tg, language_code=lang)
    (menu,) = await person.say("/contacts")
    assert "911" in visible_text(menu.params["text"])
    needs = [(label, data) for label, data in buttons(menu) if "|n:" in data]
    assert [label for label, _ in needs] == [n.title for n in content.needs]
    for _label, data in needs:
        _, shown = await person.press(data)
        text = visible_text(shown.params["text"])
        assert len(text) <= MAX_VISIBLE
        for contact in content.contacts.values():
            if contact.name in text:  # never one that nobody can reach
                assert contact.phones or contact.url, contact.id


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_as_it_happens_messages_get_911_first(
    tg: FakeTelegram, launch: Launch, lang: str
) -> None:
    await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    for user_id, text in enumerate(AS_IT_HAPPENS[lang], start=1):
        (call,) = await Person(tg, user_id=user_id, language_code=lang).say(text)
        shown = visible_text(call.params["text"])
        assert "911" in shown[:NINE_ONE_ONE_WITHIN], (text, shown[:300])
        offered = [data for _label, data in buttons(call)]
        # the urgent answer follows the steps, or buttons to the urgent entries do
        assert any(
            f"|e:{entry}" in data for data in offered
            for entry in ("ice-at-home", "ice-arrest", "ice-public-work")
        ) or "|m:ice-" in " ".join(offered), (text, offered)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_calm_questions_get_the_answer_not_the_alarm(
    tg: FakeTelegram, launch: Launch, lang: str
) -> None:
    app = await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    heading = app.runtime.assistant.replies(lang).right_now().heading  # type: ignore[attr-defined]
    for user_id, text in enumerate(CALM[lang], start=1):
        (call,) = await Person(tg, user_id=user_id, language_code=lang).say(text)
        assert heading not in visible_text(call.params["text"]), text


async def test_groups_and_inline_mode_get_the_same_right_now_steps(
    tg: FakeTelegram, launch: Launch
) -> None:
    await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    group = Person(tg, user_id=7, chat_id=-100, chat_type="group")
    (call,) = await group.say("@kyr_test_bot ICE is at my door right now")
    assert "911" in visible_text(call.params["text"])[:NINE_ONE_ONE_WITHIN]

    tg.send_inline_query("la migra está en mi puerta ahorita", language_code="es")
    (inline,) = await tg.wait_for("answerInlineQuery")
    first = inline.params["results"][0]["input_message_content"]["message_text"]
    assert "911" in visible_text(first)[:NINE_ONE_ONE_WITHIN]


async def test_a_photo_with_a_question_is_answered_from_its_caption(
    tg: FakeTelegram, launch: Launch
) -> None:
    await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    person = Person(tg)
    seen = person._seen()
    tg.send_photo(caption="is this a real warrant? it says I-205 at the top")
    (call,) = await person.expect(seen)
    assert "I can only read text" not in call.params["text"]
    assert "warrant" in visible_text(call.params["text"]).lower()
