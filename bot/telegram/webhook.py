"""The webhook server: Telegram POSTs each update here (when WEBHOOK_URL is set).

Why not PTB's own `run_webhook` server: after the secret check it answers a body that is not
JSON with 500, and JSON that is not an update with 400 plus a CRITICAL line and a traceback that
includes the body. Telegram retries whatever gets an error status, and holds back the updates
behind it while it does. Here, as polling already does (see updates.py), such a body is
acknowledged (200) and skipped with one WARNING line that says why, never what it contained. A
request without the right secret is still refused (403).

The secret is checked before the body is read. Tornado reads a whole body before `post()` runs
(up to 100 MB by default, waiting up to an hour for it), so a check in `post()` came too late:
six 30 MB POSTs with a wrong secret cost the bot 230 MiB. Here the handler streams
(`stream_request_body`): `prepare()` sees only the headers; a request without the secret has
its body discarded chunk by chunk as it arrives (never kept), then gets 403; a body past
MAX_BODY_BYTES (Telegram's updates are a few kilobytes) is discarded the same way and gets 413;
and a request must arrive within the timeouts below. Each refused or malformed request is one
INFO line, never ERROR (a bug in the handler still is one).

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
MAX_BODY_BYTES = 1024 * 1024  # kept at most: an update is a few kB, Telegram's largest far less
# Headers (and the wait for the next request on a kept-alive connection) and the body must each
# arrive within this: Telegram sends a whole update at once; a half-sent request is dropped.
IDLE_TIMEOUT_SECONDS = 10.0
# A refused request's body is discarded as it arrives, never kept: up to this much of it (the
# server closes the connection on a longer one).
MAX_DISCARDED_BYTES = 100 * 1024 * 1024
BODY_TIMEOUT_SECONDS = 10.0


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


@tornado.web.stream_request_body
class WebhookHandler(tornado.web.RequestHandler):
    """POST /<path>: check the secret from the headers alone, then collect the body and hand it
    to the receiver; always 200 after the check."""

    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(self, receiver: UpdateReceiver) -> None:
        self.receiver = receiver
        self.chunks: list[bytes] = []
        self.size = 0
        self.refusal: int | None = None  # the status of a refused request; its body is dropped

    def prepare(self) -> None:
        """Runs when the headers are in, before any of the body is read."""
        if not self.receiver.authorized(self.request.headers.get(SECRET_HEADER)):
            self.refuse(403, "without the right secret token")
            return
        declared = self.request.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            self.refuse(413, f"of {int(declared):,} bytes, over the cap")

    def refuse(self, status: int, why: str) -> None:
        """Answer `status` once the body is in, keeping none of it. The body is read and
        thrown away chunk by chunk (answering first would close the connection while the
        client still sends, and it would see a reset instead of the status)."""
        self.refusal = status
        self.chunks = []
        log.info("webhook: refused a request %s (%d)", why, status)

    def data_received(self, chunk: bytes) -> None:
        if self.refusal is not None:
            return
        self.size += len(chunk)
        if self.size > MAX_BODY_BYTES:  # sent without a length, or longer than it said
            self.refuse(413, "whose body went over the cap")
            return
        self.chunks.append(chunk)

    async def post(self) -> None:
        if self.refusal is not None:
            self.set_status(self.refusal)
            self.set_header("Connection", "close")
            return
        await self.receiver.receive(b"".join(self.chunks))
        self.chunks = []
        self.set_status(200)

    def log_exception(self, *args: Any) -> None:
        """Tornado would log the request with its body. A request we refuse (a GET: 405) is
        one INFO line; a bug shows as a 500 and one ERROR line."""
        error = args[1] if len(args) > 1 else None
        if isinstance(error, tornado.web.HTTPError):
            log.info("webhook: refused a %s request (%d)", self.request.method,
                     error.status_code)
            return
        log.error("webhook: handler failed (%s)", type(error).__name__)


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
    server = tornado.httpserver.HTTPServer(
        WebhookApp(settings.webhook_path, receiver), max_body_size=MAX_DISCARDED_BYTES,
        idle_connection_timeout=IDLE_TIMEOUT_SECONDS, body_timeout=BODY_TIMEOUT_SECONDS,
    )
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
