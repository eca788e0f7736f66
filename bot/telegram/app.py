"""The Telegram bot: build the PTB Application over the core, then poll or serve a webhook.

`python -m bot run` calls `run_bot()`. It reads the settings (see config.py), loads and checks the
content, builds the Application and runs it: long polling by default, a webhook server when
WEBHOOK_URL is set. The handler table in `add_handlers` is the map of everything the bot answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import sys
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.assistant import Assistant, settle_long_lived_objects
from bot.loading import ContentError
from bot.loading.last_good import start_content
from bot.loading.report import print_problems
from bot.state import StateStore
from bot.telegram import handlers
from bot.telegram.backlog import BoundedBot
from bot.telegram.commands import register_commands
from bot.telegram.config import ConfigError, Settings, load_settings
from bot.telegram.context import BotApplication, BotContext, Runtime
from bot.telegram.privacy import quiet_libraries
from bot.telegram.sending import (
    BotRequest,
    RetryingRateLimiter,
    install_log_filters,
    skip_the_failed_import_per_request,
)
from bot.telegram.start_notice import then_tell_admins
from bot.telegram.updates import UpdatesRequest
from bot.telegram.webhook import serve_webhook

log = logging.getLogger(__name__)

# Edited messages, channel posts, reactions, member updates: not asked for, the bot ignores them.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
BOOTSTRAP_RETRIES = 5  # start-up survives a few failed getMe/deleteWebhook calls
# Sending calls may wait on the rate limiter and retry: a pool big enough for every update held.
CONNECTION_POOL_SIZE = 256


def run_bot() -> int:
    """Check the settings and the content, build the bot, run it until stopped; an exit code."""
    try:
        settings = load_settings()
    except ConfigError as error:
        return stop(str(error))
    prepare_process(settings.token)
    try:  # content with errors: the last good copy, and the admins are told (see last_good.py)
        start = start_content(settings.content_dir, settings.state_file)
    except ContentError as error:
        print_problems(error.problems, sys.stderr, quiet=True)
        return stop("The content has errors and no earlier content ever passed, so there is "
                    "nothing to serve; run `python -m bot validate` for details.")
    assistant = Assistant(start.knowledge, settings.locale_dir)
    settle_long_lived_objects()
    application = build_application(settings, assistant)
    application.post_init = then_tell_admins(application.post_init, start)
    try:
        if settings.webhook_url:
            log.info("starting: webhook on port %d", settings.port)
            asyncio.run(serve_webhook(application, settings, ALLOWED_UPDATES))
        else:
            log.info("starting: long polling")
            application.run_polling(**polling_options())
    except InvalidToken:
        return stop("TELEGRAM_BOT_TOKEN was refused by Telegram (check it with @BotFather)")
    except NetworkError as error:
        return stop(f"Could not reach Telegram ({type(error).__name__}); is the network up?", 1)
    log.info("stopped")
    return 0


def stop(line: str, code: int = 2) -> int:
    """Start-up failed: one line on stderr, no traceback."""
    print(line, file=sys.stderr)
    return code


def prepare_process(token: str) -> None:
    """Process-wide settings: quiet library logs, and PTB's timedelta semantics.

    PTB 22 warns (PTBDeprecationWarning) each time it builds a RetryAfter for a 429 unless
    PTB_TIMEDELTA opts in to its timedelta semantics; the bot never reads retry_after itself.
    """
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    quiet_libraries(token)
    install_log_filters()


def build_application(settings: Settings, assistant: Assistant) -> BotApplication:
    """The PTB Application: rate limiting and retries, concurrency, state and every handler."""
    skip_the_failed_import_per_request()
    state = StateStore.open(settings.state_file)
    assistant.stats.attach(state)  # /stats counts survive restarts
    runtime = Runtime(settings, assistant, state=state)
    bot = BoundedBot(
        token=settings.token,
        backlog=runtime.backlog,  # getUpdates waits while too many updates are held
        request=BotRequest(connection_pool_size=CONNECTION_POOL_SIZE),  # 5xx keep their status
        # Repeats of held updates and flood skips are dropped before PTB parses them; one
        # unreadable update must not stall polling.
        get_updates_request=UpdatesRequest(backlog=runtime.backlog),
        rate_limiter=RetryingRateLimiter(),  # 429s, and 5xx/timeouts retried with backoff
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_sending_without_reply=True,
        ),
        **api_urls(settings.api_base_url),
    )
    builder = (
        Application.builder()
        .application_class(BotApplication, kwargs={"runtime": runtime})
        .bot(bot)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    application = builder.build()
    assert isinstance(application, BotApplication)
    add_handlers(application)
    quiet_libraries(settings.token)  # after build: the bot and HTTP clients create loggers too
    install_log_filters()
    return application


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """What the bot answers, in the order PTB tries the handlers (the first match wins)."""
    new = filters.UpdateType.MESSAGE  # not edited messages, not channel posts
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    addressed = handlers.AddressedToBot()

    def command(names: str | list[str], callback: Any, **kwargs: Any) -> CommandHandler[Any, Any]:
        return CommandHandler(names, callback, filters=new, **kwargs)

    # First: an update over the sender's flood limit gets the one "please wait" (fairness.py).
    application.add_handler(TypeHandler(Update, handlers.flood_notice), group=-1)
    application.add_handlers([
        command("start", handlers.start_link, has_args=True),  # deep links before plain /start
        command("start", handlers.start),
        command("topics", handlers.topics),
        command("contacts", handlers.contacts),
        command("language", handlers.language),
        command("help", handlers.help_),
        command("privacy", handlers.privacy),
        command("forget", handlers.forget),
        command("reload", handlers.reload_content),
        command("stats", handlers.stats),
        MessageHandler(new & private & filters.COMMAND, handlers.help_),
        MessageHandler(new & private & text, handlers.question),
        MessageHandler(new & private & filters.CAPTION, handlers.question),  # a photo's question
        MessageHandler(
            new & filters.ChatType.GROUPS & (text | filters.CAPTION) & addressed, handlers.question
        ),
        MessageHandler(
            new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text
        ),
        CallbackQueryHandler(handlers.button),
        InlineQueryHandler(handlers.inline_query),
    ])
    application.add_error_handler(handlers.on_error)


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """After getMe: register the command menu in every language."""
    assert isinstance(application, BotApplication)
    await register_commands(application.bot, application.runtime.assistant)


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """After the last update: close the state file (every change is already written)."""
    assert isinstance(application, BotApplication)
    application.runtime.state.close()


def polling_options() -> dict[str, Any]:
    return {
        "poll_interval": 0.0,
        "timeout": dt.timedelta(seconds=10),
        "bootstrap_retries": BOOTSTRAP_RETRIES,
        "allowed_updates": ALLOWED_UPDATES,
    }


def api_urls(api_base_url: str | None) -> dict[str, str]:
    """base_url and base_file_url for another Bot API server (tests), else PTB's defaults."""
    if not api_base_url:
        return {}
    return {"base_url": api_base_url, "base_file_url": file_url(api_base_url)}


def file_url(api_base_url: str) -> str:
    """A local Bot API server serves files at /file/bot<token>, next to /bot<token>."""
    head, _, tail = api_base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if tail.startswith("bot") else api_base_url
