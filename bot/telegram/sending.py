"""Every Bot API call the bot makes goes through here: rate limits, retries, one log line.

Rate limits (`ChatRateLimiter`), as Telegram sets them: about 30 messages a second in all, 20 a
minute into one group, and about one a second into one private chat (a short burst of
`PRIVATE_BURST` is let through, as Telegram allows; the bucket then drips at one a second).
PTB's AIORateLimiter paces groups and the total but not private chats, and on any 429
(RetryAfter) it pauses *every* request of the bot: one chat that draws a 429 held everyone back.
Here a 429 pauses only the chat it came from (calls without a chat, e.g. answering a button
press, only wait themselves), and everyone else's answers keep leaving.

Why: python-telegram-bot retries nothing but 429s (and only when AIORateLimiter has
`max_retries`). A 500/502 from Telegram, a dropped connection or a timeout reaches the handler
as `NetworkError`/`TimedOut`, and that person's answer is lost. Here such a call is tried again
with growing pauses (about 0.5 s, 1.5 s, 4.5 s: four tries within ~10 s), on top of
AIORateLimiter's own handling of 429s. Retries go back through the rate limiter, so they count
against Telegram's limits like any other call. Only after the last try does the error reach the
handler, and the person gets the apology (see handlers.on_error).

Logging: an expected Telegram failure is one WARNING line naming the method and the status
(`sendMessage failed: 502 Bad Gateway (try 1 of 4), retrying in 0.5 s`); no traceback, no
parameters (they hold message text and chat ids). Tracebacks are for bugs.

A timed-out call may have reached Telegram before the connection broke, so retrying it can send
the same message twice; a rare duplicate is the price of not losing an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sys
import time
from collections.abc import Callable, Coroutine
from http import HTTPStatus
from typing import Any

from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

TRIES = 4  # the first call and three retries
FIRST_PAUSE_SECONDS = 0.5
PAUSE_GROWTH = 3.0  # 0.5 s, 1.5 s, 4.5 s
JITTER = 0.2  # ±20%, so calls that failed together do not all come back together
RETRY_WINDOW_SECONDS = 10.0  # no new try starts later than this after the first
RATE_LIMIT_RETRIES = 3  # a 429 is waited out and tried again this many times
OVERALL_PER_SECOND = 30  # Telegram: about 30 messages a second in all
OVERALL_BURST = 10  # a third of a second's worth at once: few sends in flight (a kill -9 repeats)
GROUP_PER_MINUTE = 20  # Telegram: 20 messages a minute into one group
PRIVATE_BURST = 5  # a private chat: this many at once, then one a second
MAX_CHAT_LIMITERS = 512  # past this, idle chats' limiters are dropped (memory stays bounded)


class ServerError(NetworkError):
    """Telegram answered with a 5xx status: worth another try (PTB raises a bare NetworkError)."""

    def __init__(self, status: int) -> None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Server Error"
        super().__init__(f"{phrase} ({status})")
        self.status = status
        self.phrase = phrase


class BotRequest(HTTPXRequest):
    """PTB's HTTP client, raising ServerError for a 5xx so that the status is not lost."""

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        *args: Any, **kwargs: Any,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        if code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise ServerError(code)
        return code, payload


def is_retryable(error: BaseException) -> bool:
    """5xx, timeouts, dropped connections: yes. A refused request (400, 403, ...): never."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def describe(error: BaseException) -> str:
    """The failure in a few words, never its parameters: '502 Bad Gateway', 'timed out'."""
    if isinstance(error, ServerError):
        return f"{error.status} {error.phrase}"
    if isinstance(error, RetryAfter):
        return "429 Too Many Requests"
    if isinstance(error, TimedOut):
        return "timed out"
    if isinstance(error, BadRequest):
        return "400 Bad Request"
    if isinstance(error, Forbidden):
        return "403 Forbidden"
    if isinstance(error, NetworkError):
        return "network error"
    return type(error).__name__


def pause_before(try_number: int) -> float:
    """Seconds to wait before try `try_number` + 1."""
    base = FIRST_PAUSE_SECONDS * PAUSE_GROWTH ** (try_number - 1)
    return base * random.uniform(1 - JITTER, 1 + JITTER)


Chat = int | str


def chat_of(data: dict[str, Any]) -> Chat | None:
    """The chat a call sends into (an int id, or a '@channel' name), None for other calls."""
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    with contextlib.suppress(ValueError, TypeError):
        return int(chat_id)
    return str(chat_id)


def is_group(chat: Chat) -> bool:
    """Negative ids are groups and channels; '@name' only works for those."""
    return isinstance(chat, str) or chat < 0


class Pacer:
    """Telegram's limits as a schedule: `burst` calls at once, then one every 1/`rate` s.

    Each caller reserves the next free slot when it asks (the generic cell rate algorithm), so
    calls leave strictly in the order they asked: answers go out in the order their updates
    arrived, and the backlog's offset (backlog.py) moves on steadily. (aiolimiter, which PTB's
    AIORateLimiter uses, lets a newcomer take freed capacity before the callers already
    waiting: answers finished out of order, and a crash then repeated every answer sent after
    the oldest one still waiting.)"""

    __slots__ = ("burst", "clock", "interval", "next_free")

    def __init__(self, rate: float, burst: int, clock: Callable[[], float]) -> None:
        self.interval = 1.0 / rate
        self.burst = burst
        self.clock = clock
        self.next_free = 0.0  # when the schedule would be empty again

    def reserve(self) -> float:
        """Take the next slot; the seconds to wait for it."""
        now = self.clock()
        start = max(self.next_free, now)
        self.next_free = start + self.interval
        return max(0.0, start - now - (self.burst - 1) * self.interval)

    def idle(self) -> bool:
        return self.next_free <= self.clock()


class ChatRateLimiter(BaseRateLimiter[int]):
    """Telegram's limits per chat and in all; a 429 pauses only the chat it came from."""

    def __init__(self, max_retries: int = RATE_LIMIT_RETRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_retries = max_retries
        self.clock = clock
        self._overall = Pacer(OVERALL_PER_SECOND, OVERALL_BURST, clock)
        self._chats: dict[Chat, Pacer] = {}
        self._paused_until: dict[Chat, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def chat_pacer(self, chat: Chat) -> Pacer:
        pacer = self._chats.get(chat)
        if pacer is None:
            if len(self._chats) >= MAX_CHAT_LIMITERS:
                self._forget_idle_chats()
            pacer = (Pacer(GROUP_PER_MINUTE / 60, GROUP_PER_MINUTE, self.clock) if is_group(chat)
                     else Pacer(1.0, PRIVATE_BURST, self.clock))
            self._chats[chat] = pacer
        return pacer

    def paused(self, chat: Chat | None) -> float:
        """Seconds this chat must still wait after a 429 (0 if none)."""
        if chat is None:
            return 0.0
        return max(0.0, self._paused_until.get(chat, 0.0) - self.clock())

    def _forget_idle_chats(self) -> None:
        now = self.clock()
        for chat, pacer in list(self._chats.items()):
            if pacer.idle() and self._paused_until.get(chat, 0.0) <= now:
                del self._chats[chat]
                self._paused_until.pop(chat, None)

    async def _turn(self, chat: Chat | None) -> None:
        """Wait for the chat's pause, then its slot, then a slot in the overall budget."""
        while (pause := self.paused(chat)) > 0:
            await asyncio.sleep(pause)
        if chat is None:  # getUpdates, answerCallbackQuery, ...: not counted, as in PTB
            return
        for pacer in (self.chat_pacer(chat), self._overall):
            if (wait := pacer.reserve()) > 0:
                await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat = chat_of(data)
        retries = rate_limit_args or self.max_retries
        for attempt in range(retries + 1):
            await self._turn(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == retries:
                    raise
                # As PTB's own limiter reads it (the public property warns without
                # PTB_TIMEDELTA).
                seconds = error._retry_after.total_seconds() + 0.1
                log.info("%s: 429, this chat waits %.1f s (others go on)", endpoint, seconds)
                if chat is None:
                    await asyncio.sleep(seconds)
                else:
                    until = self.clock() + seconds
                    self._paused_until[chat] = max(self._paused_until.get(chat, 0.0), until)
        raise AssertionError("unreachable: the last attempt returns or raises")


class RetryingRateLimiter(ChatRateLimiter):
    """ChatRateLimiter (Telegram's limits, 429s per chat) plus retries of 5xx and timeouts."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        started = time.monotonic()
        for try_number in range(1, TRIES + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except TelegramError as error:
                error.bot_api_method = endpoint  # type: ignore[attr-defined]  # for on_error
                pause = pause_before(try_number)
                last = (try_number == TRIES or not is_retryable(error)
                        or time.monotonic() - started + pause > RETRY_WINDOW_SECONDS)
                if is_retryable(error) or isinstance(error, RetryAfter):
                    error.already_logged = True  # type: ignore[attr-defined]
                    if last:
                        log.warning("%s failed: %s (try %d of %d), giving up",
                                    endpoint, describe(error), try_number, TRIES)
                    else:
                        log.warning("%s failed: %s (try %d of %d), retrying in %.1f s",
                                    endpoint, describe(error), try_number, TRIES, pause)
                if last:
                    raise
                await asyncio.sleep(pause)
        raise AssertionError("unreachable: the last try returns or raises")


def skip_the_failed_import_per_request() -> None:
    """httpcore asks `import sniffio` on every request (three times), and without sniffio
    installed each failed import searches the whole sys.path again: 9% of the bot's CPU in a
    burst (py-spy). A None in sys.modules makes that import fail at once, as it would anyway
    (httpcore then assumes asyncio, which is what runs); an installed sniffio is left alone."""
    try:
        import sniffio  # noqa: F401
    except ImportError:
        sys.modules.setdefault("sniffio", None)  # type: ignore[assignment]


def install_log_filters() -> None:
    """Nothing left to filter: ChatRateLimiter logs a 429 give-up in one line (PTB's
    AIORateLimiter logged it with a full traceback). Kept for the callers' start-up order."""
