"""The yardstick for benchmarks/telegram_cpu.py: a bare python-telegram-bot echo bot.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot \
        python benchmarks/echo_bot.py

What the smallest PTB bot that answers a burst costs: long polling, PTB's own AIORateLimiter
(Telegram's 30 messages/s), concurrent updates, and one reply per text message (the text
itself). No content, no matching, no backlog or flood gate.
"""

from __future__ import annotations

import datetime as dt
import os

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    if update.message is not None and update.message.text:
        await update.message.reply_text(update.message.text)


def main() -> None:
    base_url = os.environ["TELEGRAM_API_BASE_URL"]
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base_url)
        .base_file_url(base_url.replace("/bot", "/file/bot"))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.run_polling(poll_interval=0.0, timeout=dt.timedelta(seconds=10))


if __name__ == "__main__":
    main()
