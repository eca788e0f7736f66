"""Every Bot API call the bot makes goes through here: rate limits, retries, one log line.

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
import logging
import random
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
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

TRIES = 4  # the first call and three retries
FIRST_PAUSE_SECONDS = 0.5
PAUSE_GROWTH = 3.0  # 0.5 s, 1.5 s, 4.5 s
JITTER = 0.2  # ±20%, so calls that failed together do not all come back together
RETRY_WINDOW_SECONDS = 10.0  # no new try starts later than this after the first
RATE_LIMIT_RETRIES = 3  # AIORateLimiter's default (0) never retries a 429


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


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter (Telegram's ~30 messages/s, 20/min per group, 429s) plus retries."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{"max_retries": RATE_LIMIT_RETRIES, **kwargs})

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


class QuietRateLimitGiveUp(logging.Filter):
    """Drops AIORateLimiter's 'Rate limit hit after maximum of N retries' record: it carries a
    full traceback for an expected event, and RetryingRateLimiter logs the give-up in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and "Rate limit hit after maximum" in str(record.msg))


def install_log_filters() -> None:
    logger = logging.getLogger("telegram.ext.AIORateLimiter")
    if not any(isinstance(f, QuietRateLimitGiveUp) for f in logger.filters):
        logger.addFilter(QuietRateLimitGiveUp())
