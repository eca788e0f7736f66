"""The real content (content/, locale/) through the Telegram adapter.

Skipped while the content does not validate (`python -m bot validate`): the other Telegram tests
use the small fixture content and do not depend on it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from bot import paths
from bot.assistant import Assistant
from bot.loading import check_content
from bot.telegram.render import CALLBACK_DATA_LIMIT, MESSAGE_LIMIT, render, telegram_length
from tests.conftest import Launch, Person
from tests.fake_telegram import FakeTelegram

CONTENT = paths.content_dir()
LOCALE = paths.locale_dir()
_knowledge, _problems = check_content(CONTENT)
pytestmark = pytest.mark.skipif(
    _knowledge is None, reason="content/ does not validate yet (python -m bot validate)"
)
DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(Path(CONTENT), Path(LOCALE))


def test_every_entry_and_topic_fits_telegram(assistant: Assistant) -> None:
    for lang in assistant.languages:
        build = assistant.replies(lang)
        replies = [build.entry(e) for e in build.content.entries.values()]
        replies += [build.topic(t.id) for t in build.content.topics]
        replies += [build.welcome(), build.topics(), build.contacts(), build.help()]
        for reply in filter(None, replies):
            for message in render(reply):
                assert telegram_length(message.text) <= MESSAGE_LIMIT, (lang, reply.entry_id)
                for row in message.markup.inline_keyboard if message.markup else ():
                    for button in row:
                        data = button.callback_data or ""
                        assert len(str(data).encode()) <= CALLBACK_DATA_LIMIT, data
        for entry_id in build.content.entries:
            assert DEEP_LINK.match(entry_id), f"{entry_id} cannot be a /start deep link"


URGENT = [  # from the issue: the right-now steps come first, then the urgent answer
    ("ICE is at my door right now", "en", "en"),
    ("la migra está afuera de mi casa", "en", "es"),
    ("la migra está afuera de mi casa", "es", "es"),
]
if _knowledge is not None and "pt" in _knowledge.languages:  # once content/pt/ is there
    URGENT += [
        ("o ICE está na frente da minha casa agora", "en", "pt"),
        ("a imigração está batendo na minha porta agora", "pt-BR", "pt"),
        ("a imigração está batendo na minha porta agora", "es-MX", "pt"),
    ]


async def test_urgent_messages_get_the_right_now_steps_then_the_urgent_answer(
    tg: FakeTelegram, launch: Launch, assistant: Assistant
) -> None:
    await launch(content_dir=Path(CONTENT), locale_dir=Path(LOCALE))
    for user_id, (text, code, lang) in enumerate(URGENT, start=1):
        (first,) = await Person(tg, user_id=user_id, language_code=code).say(text)
        build = assistant.replies(lang)
        block = build.right_now()
        assert block is not None
        assert first.params["text"].startswith(f"<b>{html.escape(block.heading, quote=False)}")
        door = build.content.entries["ice-at-home"].question
        assert f"<b>{html.escape(door, quote=False)}</b>" in first.params["text"]
