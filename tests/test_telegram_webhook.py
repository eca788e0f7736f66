"""Webhook mode: Telegram POSTs updates; the secret is checked, anything unreadable is skipped.

An error status would make Telegram send the same body again and hold back every update behind
it, so after the secret check every body is acknowledged with 200: an update is answered, and a
body that is not one is skipped with one WARNING line (never its content).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import logging
import os
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.assistant import Assistant
from bot.telegram.app import ALLOWED_UPDATES, build_application
from bot.telegram.privacy import webhook_secret
from bot.telegram.webhook import MAX_BODY_BYTES, SECRET_HEADER, serve_webhook
from tests.conftest import FIXTURE_CONTENT, TOKEN, bot_process, make_settings, stop
from tests.fake_telegram import FakeTelegram

HOOK_URL = "https://kyr.example.org/tg/hook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def update(update_id: int, text: str, user_id: int = 5) -> dict[str, Any]:
    command = [{"type": "bot_command", "offset": 0, "length": len(text)}] if text[0] == "/" else []
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(dt.datetime.now().timestamp()),
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "A", "language_code": "es"},
        "text": text, **({"entities": command} if command else {}),
    }}


class Hook:
    """The webhook server of a running bot, and a client that posts to it as Telegram would."""

    def __init__(self, url: str, secret: str, http: aiohttp.ClientSession) -> None:
        self.url, self.secret, self.http = url, secret, http

    async def post(self, body: bytes | str, secret: str | None = "right") -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = self.secret if secret == "right" else secret
        data = io.BytesIO(body) if isinstance(body, bytes) else body  # aiohttp: big bodies
        async with self.http.post(self.url, data=data, headers=headers) as response:
            return response.status

    async def send(self, data: object) -> int:
        return await self.post(json.dumps(data))


@pytest.fixture
async def hook(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[Hook]:
    port = free_port()
    settings = make_settings(tg, tmp_path, webhook_url=HOOK_URL, port=port)
    app = build_application(settings, Assistant.load(settings.content_dir, settings.locale_dir))
    stop = asyncio.Event()
    serving = asyncio.create_task(
        serve_webhook(app, settings, ALLOWED_UPDATES, stop=stop, listen="127.0.0.1"))
    await tg.wait_for("setWebhook", timeout=10)
    async with aiohttp.ClientSession() as http:
        yield Hook(f"http://127.0.0.1:{port}/tg/hook", webhook_secret(TOKEN), http)
    stop.set()
    await asyncio.wait_for(serving, 20)


async def test_the_webhook_is_set_with_the_secret(tg: FakeTelegram, hook: Hook) -> None:
    (call,) = tg.calls_to("setWebhook")
    assert call.params["url"] == HOOK_URL
    assert call.params["secret_token"] == webhook_secret(TOKEN)  # derived: WEBHOOK_SECRET unset
    assert call.params["allowed_updates"] == ALLOWED_UPDATES


async def test_without_the_right_secret_a_request_is_refused(
    tg: FakeTelegram, hook: Hook
) -> None:
    assert await hook.post(json.dumps(update(1, "/start")), secret="wrong") == 403
    assert await hook.post(json.dumps(update(2, "/start")), secret=None) == 403
    assert await hook.post(b"not json", secret="wrong") == 403
    assert await hook.send(update(3, "/start")) == 200
    (sent,) = await tg.wait_for("sendMessage")
    assert "Conozca sus derechos" in sent.params["text"]  # only the third was answered


async def test_a_refused_request_is_refused_from_its_headers_alone(
    tg: FakeTelegram, hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    """The secret is checked before the body is read: a body far past the size cap, with the
    wrong secret, gets 403 (not 'too large'), and the refusal is one INFO line."""
    caplog.set_level(logging.DEBUG)
    assert await hook.post(b"x" * (5 * MAX_BODY_BYTES), secret="wrong") == 403
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert [r.levelname for r in refused] == ["INFO"]
    assert all(r.levelno < logging.WARNING for r in caplog.records)
    assert await hook.send(update(4, "/start")) == 200  # the server goes on serving
    await tg.wait_for("sendMessage")


async def test_a_body_past_the_cap_is_not_read(
    tg: FakeTelegram, hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    oversized = json.dumps({**update(5, "/start"), "pad": "x" * MAX_BODY_BYTES}).encode()
    assert await hook.post(oversized) == 413
    assert await hook.send(update(6, "/start")) == 200
    await tg.wait_for("sendMessage")
    assert all(r.levelno < logging.WARNING for r in caplog.records)


async def test_another_method_is_one_info_line(
    hook: Hook, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with hook.http.get(hook.url) as response:
        assert response.status == 405
    assert [r.levelname for r in caplog.records if "refused" in r.getMessage()] == ["INFO"]
    assert all(r.levelno < logging.WARNING for r in caplog.records)


BAD_BODIES = {
    "not JSON": b'{"update_id": 7, "message": Okapi-3307',
    "not UTF-8": b"\xff\xfe\x00Okapi-3307",
    "a JSON list": b'["Okapi-3307"]',
    "JSON without update_id": b'{"message": {"text": "Okapi-3307"}}',
    "an update PTB cannot read": json.dumps(
        {"update_id": 8, "message": {"chat": "Okapi-3307", "text": "Okapi-3307"}}).encode(),
}


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
async def test_a_body_that_is_not_an_update_is_acknowledged_and_skipped(
    tg: FakeTelegram, hook: Hook, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    caplog.set_level(logging.DEBUG)
    assert await hook.post(BAD_BODIES[kind]) == 200
    assert await hook.send(update(9, "/start")) == 200  # what follows is answered
    await tg.wait_for("sendMessage")
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1 and problems[0].levelname == "WARNING"
    assert "webhook: skipped" in problems[0].getMessage()
    assert all(not r.exc_info for r in caplog.records)
    assert "Okapi" not in caplog.text  # the body is never logged


async def test_python_m_bot_run_serves_the_webhook_and_stops_on_sigterm(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
           "CONTENT_DIR": str(FIXTURE_CONTENT), "STATE_FILE": str(tmp_path / "state.sqlite3"),
           "WEBHOOK_URL": HOOK_URL, "PORT": str(port)}
    async with bot_process(env) as process:
        await tg.wait_for("setWebhook", timeout=30)
        async with aiohttp.ClientSession() as http:
            hook = Hook(f"http://127.0.0.1:{port}/tg/hook", webhook_secret(TOKEN), http)
            for attempt in range(50):  # the server starts listening just before setWebhook
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    assert await hook.send(update(1, "/start")) == 200
                    break
                await asyncio.sleep(0.1 * attempt)
        await tg.wait_for("sendMessage", timeout=10)
        code, log = await stop(process, signal.SIGTERM, 25)
    assert code == 0, log
    assert "starting: webhook" in log and "Traceback" not in log
