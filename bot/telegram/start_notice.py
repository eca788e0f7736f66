"""Telling the admins, once the bot is up, that it serves the last good content (and why).

Admins are reached in their private chat with the bot (the chat id of a private chat is the
user's id); one who never opened a chat with the bot cannot be messaged, which is logged as a
count, never as an id.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import TelegramError

from bot.loading.last_good import StartContent
from bot.telegram import admin
from bot.telegram.context import BotApplication
from bot.telegram.render import render

log = logging.getLogger(__name__)


async def tell_admins(application: BotApplication, start: StartContent) -> None:
    if not start.fallback:
        return
    runtime = application.runtime
    assistant = runtime.assistant
    saved_on = start.saved_at.strftime("%Y-%m-%d %H:%M") if start.saved_at else "?"
    unreached = 0
    for admin_id in sorted(runtime.settings.admin_ids):
        lang = assistant.language_for(chosen=runtime.chosen_language(admin_id))
        reply = admin.started_on_last_good(
            start.problems, saved_on, assistant.catalogs.translator(lang), lang)
        try:
            for part in render(reply):
                await application.bot.send_message(admin_id, part.text, reply_markup=part.markup)
        except TelegramError:
            unreached += 1
    if unreached:
        log.warning("could not tell %d admin(s) about the content errors (they may never have "
                    "opened a chat with the bot)", unreached)


PostInit = Callable[[Any], Awaitable[None]]


def then_tell_admins(post_init: PostInit | None, start: StartContent) -> PostInit:
    """The Application's post_init, followed by `tell_admins` (once the bot can send)."""
    async def post_init_then_tell(application: Any) -> None:
        if post_init is not None:
            await post_init(application)
        await tell_admins(application, start)

    return post_init_then_tell
