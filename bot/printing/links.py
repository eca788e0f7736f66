"""The links printed as QR codes: `https://t.me/<bot>?start=<entry-or-topic-id>`.

Telegram opens such a link as the chat with the bot and sends `/start <id>`, which the bot answers
with that entry or topic (bot/telegram/handlers.py `start_link`). The username is the one thing
the content cannot know, so it comes from the organizer (`--bot-username`), the environment
(`BOT_USERNAME`), or Telegram itself (`getMe` with the bot's token), in that order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from bot.printing import PrintError

# Telegram: 5-32 letters, digits and underscores, starting with a letter; a bot's ends in "bot".
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]$")
START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram passes on to /start
LINK_PREFIXES = ("https://t.me/", "http://t.me/", "t.me/", "@")
NO_USERNAME = ("the bot's username is needed for the QR codes: give --bot-username NAME, set "
               "BOT_USERNAME, or set TELEGRAM_BOT_TOKEN to ask Telegram")


def clean_username(raw: str) -> str:
    """'@kyr_ct_bot', 't.me/kyr_ct_bot' or 'kyr_ct_bot' -> 'kyr_ct_bot', or `PrintError`."""
    name = raw.strip()
    for prefix in LINK_PREFIXES:
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
    name = name.strip("/")
    if not USERNAME.match(name):
        raise PrintError(f"'{raw}' is not a bot's username: 5 to 32 letters, digits or _, "
                         "ending in 'bot' (as @BotFather gave it)")
    return name


def resolve_username(option: str | None, env: Mapping[str, str],
                     ask_telegram: Callable[[], str | None]) -> str:
    """The bot's username: the option, else BOT_USERNAME, else Telegram's answer to getMe
    (`ask_telegram` returns None when there is no token to ask with)."""
    for given in (option, env.get("BOT_USERNAME", "").strip() or None):
        if given:
            return clean_username(given)
    answer = ask_telegram()
    if answer is None:
        raise PrintError(NO_USERNAME)
    return clean_username(answer)


def deep_link(username: str, ref: str | None = None) -> str:
    """The link to the bot, opening entry or topic `ref` (None: the bot's welcome)."""
    if ref is None:
        return f"https://t.me/{username}"
    if not START_PARAMETER.match(ref):
        raise PrintError(f"'{ref}' cannot be a Telegram link: ids are letters, digits and -")
    return f"https://t.me/{username}?start={ref}"
