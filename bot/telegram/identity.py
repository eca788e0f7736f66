"""The bot's own username, asked of Telegram (`getMe`) with the token, for printed links.

Used by `python -m bot card|flyer` when neither `--bot-username` nor `BOT_USERNAME` is given:
the token is what an organizer running the bot already has set.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from telegram import Bot
from telegram.error import TelegramError

from bot.telegram.app import api_urls
from bot.telegram.config import ConfigError, _token, _url


class UsernameUnavailable(Exception):
    """Telegram could not be asked, or did not answer: one line that says why."""


def username_from_telegram(env: Mapping[str, str]) -> str | None:
    """The username Telegram gives the token in TELEGRAM_BOT_TOKEN; None without a token."""
    raw = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not raw:
        return None
    try:
        token = _token(raw)
        base_url = _url("TELEGRAM_API_BASE_URL", env.get("TELEGRAM_API_BASE_URL", "").strip()
                        or None)
    except ConfigError as error:
        raise UsernameUnavailable(str(error)) from None
    try:
        return asyncio.run(_get_me(token, base_url))
    except TelegramError as error:  # a wrong token, no network, Telegram down
        # Only the kind of error: its text may hold the request's address, token included.
        raise UsernameUnavailable(
            f"could not ask Telegram for the bot's username ({type(error).__name__}); "
            "give --bot-username NAME") from None


async def _get_me(token: str, base_url: str | None) -> str:
    async with Bot(token, **api_urls(base_url)) as bot:
        return bot.username
