"""The webhook server: Telegram POSTs each update here (when WEBHOOK_URL is set).

Why not PTB's own `run_webhook` server: after the secret check it answers a body that is not
JSON with 500, and JSON that is not an update with 400 plus a CRITICAL line and a traceback that
includes the body. Telegram retries whatever gets an error status, and holds back the updates
behind it while it does. Here, as polling already does (see updates.py), such a body is
acknowledged (200) and skipped with one WARNING line that says why, never what it contained. A
request without the right secret is still refused (403).

The server also keeps the backlog bound of backlog.py: while MAX_HELD updates wait to be
answered, the next one is acknowledged only when there is room, so Telegram keeps it (and
sends it again if this process dies) instead of it waiting here.

`serve_webhook` is what `run_webhook` would do, with the same order: initialize, post_init,
set the webhook, serve, and on SIGTERM/SIGINT stop serving, answer what is held, shut down.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import ExtBot

from bot.telegram.backlog import Backlog
from bot.telegram.config import Settings
from bot.telegram.context import BotApplication
from bot.telegram.privacy import webhook_secret

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_CONNECTIONS = 40  # Telegram's default: how many updates it sends at once


class UpdateReceiver:
    """Turns a webhook body into an update in the Application's queue, or skips it."""

    def __init__(self, bot: ExtBot[Any], queue: asyncio.Queue[object], backlog: Backlog,
                 secret: str) -> None:
        self.bot = bot
        self.queue = queue
        self.backlog = backlog
        self.secret = secret

    def authorized(self, header: str | None) -> bool:
        return hmac.compare_digest((header or "").encode(), self.secret.encode())

    async def receive(self, body: bytes) -> None:
        update = self.parse(body)
        if update is None:
            return
        await self.backlog.wait_for_room()
        self.backlog.fetched([update.update_id])
        self.bot.insert_callback_data(update)
        await self.queue.put(update)

    def parse(self, body: bytes) -> Update | None:
        """The update in `body`, or None (logged) when there is none to answer."""
        try:
            data = json.loads(body)
        except ValueError as error:  # not UTF-8, or not JSON
            log.warning("webhook: skipped a body that is not JSON (%d bytes, %s)",
                        len(body), type(error).__name__)
            return None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int):
            log.warning("webhook: skipped JSON that is not an update (%s without an update_id)",
                        type(data).__name__)
            return None
        try:
            return Update.de_json(data, self.bot)
        except Exception as error:  # anything PTB raises on a shape it does not expect
            log.warning("webhook: skipped an update that cannot be read: update_id=%s error=%s",
                        update_id, type(error).__name__)
            return None


class WebhookHandler(tornado.web.RequestHandler):
    """POST /<path>: check the secret, then hand the body to the receiver; always 200 after."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, receiver: UpdateReceiver) -> None:
        self.receiver = receiver

    async def post(self) -> None:
        if not self.receiver.authorized(self.request.headers.get(SECRET_HEADER)):
            self.set_status(403)
            return
        await self.receiver.receive(self.request.body)
        self.set_status(200)

    def log_exception(self, *args: Any) -> None:
        """Tornado would log the request with its body; a bug shows as a 500 and one line."""
        log.error("webhook: handler failed (%s)", type(args[1]).__name__ if len(args) > 1
                  else "?")


class WebhookApp(tornado.web.Application):
    def __init__(self, path: str, receiver: UpdateReceiver) -> None:
        super().__init__([(rf"/{path}/?", WebhookHandler, {"receiver": receiver})])

    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the bot's own lines say what happened, without addresses."""


def secret_of(settings: Settings) -> str:
    return settings.webhook_secret or webhook_secret(settings.token)


async def start_server(
    application: BotApplication, settings: Settings, listen: str = "0.0.0.0"
) -> tornado.httpserver.HTTPServer:
    """Listen on PORT at the path of WEBHOOK_URL; updates go to the application's queue."""
    receiver = UpdateReceiver(application.bot, application.update_queue,
                              application.runtime.backlog, secret_of(settings))
    server = tornado.httpserver.HTTPServer(WebhookApp(settings.webhook_path, receiver))
    server.listen(settings.port, address=listen)
    return server


async def set_webhook(application: BotApplication, settings: Settings,
                      allowed_updates: list[str]) -> None:
    await application.bot.set_webhook(
        url=settings.webhook_url or "", secret_token=secret_of(settings),
        allowed_updates=allowed_updates, max_connections=MAX_CONNECTIONS,
    )


async def serve_webhook(application: BotApplication, settings: Settings,
                        allowed_updates: list[str], stop: asyncio.Event | None = None,
                        listen: str = "0.0.0.0") -> None:
    """Run the bot behind the webhook until SIGTERM or SIGINT (or `stop` is set), then stop
    gracefully."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):  # platforms without signal handlers
                loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        server = await start_server(application, settings, listen)
        try:
            await set_webhook(application, settings, allowed_updates)
            await application.start()
            await stop.wait()
            log.info("stop requested: no new updates; answering what is held")
        finally:
            server.stop()  # no new connections; the updates already queued are answered
        if application.running:
            await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
