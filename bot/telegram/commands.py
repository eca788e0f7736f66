"""The command menu Telegram shows next to the text box, in each language that has content."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.assistant import Assistant
from bot.i18n import N_

log = logging.getLogger(__name__)

# Admin commands (/reload, /stats) are left out on purpose: the menu is the same for everyone.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start: what I can do, and the topics")),
    ("topics", N_("Browse the questions by topic")),
    ("contacts", N_("Groups that can help")),
    ("language", N_("Change the language")),
    ("help", N_("How to use this bot")),
    ("privacy", N_("What this bot keeps about you")),
    ("forget", N_("Delete your language choice")),
)


def commands_for(assistant: Assistant, lang: str) -> list[BotCommand]:
    _ = assistant.catalogs.translator(lang).gettext
    return [BotCommand(name, _(description)) for name, description in COMMANDS]


def telegram_language_code(lang: str) -> str:
    """Telegram wants a two-letter ISO 639-1 code: 'es-419' -> 'es'."""
    return lang.replace("_", "-").split("-")[0].lower()


async def register_commands(bot: Bot, assistant: Assistant) -> None:
    """The default menu in the default language, plus one per other language with content."""
    default = assistant.knowledge.default_language
    try:
        await bot.set_my_commands(commands_for(assistant, default))
        done = {telegram_language_code(default)}
        for lang in assistant.languages:
            code = telegram_language_code(lang)
            if code not in done:
                await bot.set_my_commands(commands_for(assistant, lang), language_code=code)
                done.add(code)
    except TelegramError as error:  # the menu is a convenience: never a reason not to start
        log.warning("could not register the command menu: %s", type(error).__name__)
