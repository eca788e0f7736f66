"""Shared fixtures: the real Telegram Application (bot.telegram.app.build_application) running
against the fake Bot API server in tests/fake_telegram.py, with the small fixture content.

Two guards apply to every test: no connection may leave this machine (the `no_network` fixture,
also in the processes tests start), and no test reads or writes the bot's real state (the
`own_environment` fixture: settings from the developer's environment are removed and the
default state folder is the test's own).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot import paths
from bot.assistant import Assistant
from bot.telegram.app import build_application, polling_options
from bot.telegram.config import Settings
from bot.telegram.context import BotApplication
from bot.telegram.render import CALLBACK_DATA_LIMIT, MESSAGE_LIMIT, telegram_length
from tests.fake_telegram import Call, FakeTelegram
from tests.network_guard import tests_network_guard as network_guard

TOKEN = "123456:TEST-token_for-tests"
ADMIN_ID = 4242
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CONTENT = FIXTURES / "content"
FIXTURE_LOCALE = FIXTURES / "locale"
REAL_CONTENT = Path(__file__).resolve().parent.parent / "content"
NETWORK_GUARD = Path(__file__).parent / "network_guard"
# Settings a developer may have exported for a real bot: a test must never pick them up.
BOT_SETTINGS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET",
                "PORT", "BOT_ADMIN_IDS", "CONTENT_DIR", "STATE_FILE", "USER_KEY_SECRET")


@pytest.fixture(autouse=True)
def no_network() -> Iterator[list[str]]:
    """Fail the test if anything in it tried to connect outside 127.0.0.1 (the attempt itself
    is refused, and the bot may swallow that: so the test fails here, afterwards)."""
    attempts: list[str] = []
    originals = network_guard.install(attempts.append)
    try:
        yield attempts
    finally:
        for name, real in originals.items():
            setattr(socket.socket, name, real)
    if attempts:
        pytest.fail(f"the test tried to reach the network: {sorted(set(attempts))}")


@pytest.fixture(autouse=True)
def own_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in BOT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of the real content folder, for tests that break it on purpose."""
    copy = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, copy)
    return copy


def make_settings(tg: FakeTelegram, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": TOKEN,
        "api_base_url": tg.base_url,
        "admin_ids": frozenset({ADMIN_ID}),
        "content_dir": FIXTURE_CONTENT,
        "locale_dir": FIXTURE_LOCALE,
        "state_file": tmp_path / "bot-state.sqlite3",
    }
    return Settings(**{**values, **overrides})


@asynccontextmanager
async def running(app: BotApplication) -> AsyncIterator[BotApplication]:
    """What Application.run_polling does, minus the signal handling and the event loop."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        # As `python -m bot run` polls (run_polling hands polling errors to the error
        # handler), with a shorter long-poll so tests stop quickly.
        def polling_error(error: Exception) -> None:
            app.create_task(app.process_error(error=error, update=None))

        await app.updater.start_polling(
            **{**polling_options(), "timeout": dt.timedelta(seconds=5)},
            error_callback=polling_error,
        )
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()


def assert_within_telegram_limits(tg: FakeTelegram) -> None:
    """Every message the bot sent or edited fits Telegram's limits (text, buttons, inline)."""
    for call in tg.calls_to("sendMessage") + tg.calls_to("editMessageText"):
        text = call.params.get("text", "")
        assert 0 < telegram_length(text) <= MESSAGE_LIMIT, (call.method, len(text))
        for _label, data in buttons(call):
            assert len(data.encode()) <= CALLBACK_DATA_LIMIT, data
    for call in tg.calls_to("answerCallbackQuery"):
        assert len(call.params.get("text", "")) <= 200
    for call in tg.calls_to("answerInlineQuery"):
        results = call.params.get("results") or []
        assert len(results) <= 50
        for result in results:
            assert len(result["id"].encode()) <= 64
            assert telegram_length(result["input_message_content"]["message_text"]) <= 4096


@pytest.fixture
async def tg(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTelegram]:
    # As run_bot does: otherwise PTB 22 warns while building RetryAfter for a 429.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    async with FakeTelegram() as fake:
        yield fake
        assert_within_telegram_limits(fake)


Launch = Callable[..., Awaitable[BotApplication]]


@pytest.fixture
async def launch(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[Launch]:
    """Start a bot with the fixture settings (overridable); it is stopped after the test."""
    async with AsyncExitStack() as stack:

        async def start(**overrides: Any) -> BotApplication:
            settings = make_settings(tg, tmp_path, **overrides)
            assistant = Assistant.load(settings.content_dir, settings.locale_dir)
            return await stack.enter_async_context(running(build_application(settings, assistant)))

        yield start


@pytest.fixture
async def bot(tg: FakeTelegram, launch: Launch) -> tuple[FakeTelegram, BotApplication]:
    """A running bot over the fixture content: (fake Telegram, Application)."""
    return tg, await launch()


@dataclass
class Person:
    """A Telegram user talking to the bot, with helpers that wait for the bot's answers."""

    tg: FakeTelegram
    user_id: int = 1001
    language_code: str | None = "en"
    chat_id: int | None = None
    chat_type: str = "private"

    @property
    def chat(self) -> int:
        return self.user_id if self.chat_id is None else self.chat_id

    def _seen(self) -> set[int]:
        return {id(c) for c in self.tg.calls}

    async def expect(
        self, seen: set[int], method: str = "sendMessage", count: int = 1, timeout: float = 5
    ) -> list[Call]:
        def new_here(call: Call) -> bool:
            chat = call.params.get("chat_id")
            return id(call) not in seen and (chat is None or chat == self.chat)

        return (await self.tg.wait_for(method, new_here, count, timeout))[:count]

    async def say(self, text: str, count: int = 1, **kwargs: Any) -> list[Call]:
        """Send a text message; wait for `count` new sendMessage calls in this chat."""
        seen = self._seen()
        self.tg.send_text(text, user_id=self.user_id, chat_id=self.chat_id,
                          language_code=self.language_code, chat_type=self.chat_type, **kwargs)
        return await self.expect(seen, count=count)

    async def ask(self, text: str, **kwargs: Any) -> str:
        """The text of the bot's (first) answer to a message."""
        return (await self.say(text, **kwargs))[0].params["text"]

    async def press(self, data: str, message_id: int | None = None) -> tuple[Call, Call]:
        """Press a button on the bot's last message: (answerCallbackQuery, editMessageText)."""
        seen = self._seen()
        self.press_only(data, message_id)
        (answer,) = await self.expect(seen, "answerCallbackQuery")
        (edit,) = await self.expect(seen, "editMessageText")
        return answer, edit

    def press_only(self, data: str, message_id: int | None = None) -> None:
        """Queue a button press (on the bot's last message here unless `message_id` is given)."""
        if message_id is None:
            message_id = self.last_bot_message()["message_id"]
        self.tg.send_callback(data, user_id=self.user_id, chat_id=self.chat_id,
                              message_id=message_id, language_code=self.language_code)

    def last_bot_message(self) -> dict[str, Any]:
        return self.tg.bot_messages(self.chat)[-1]


def buttons(call: Call) -> list[tuple[str, str]]:
    """(label, callback data or url) of every button in a sendMessage / edit call."""
    markup = call.params.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data") or b.get("url") or "")
        for row in markup.get("inline_keyboard", []) for b in row
    ]


def data_of(call: Call, label_part: str) -> str:
    """The callback data of the first button whose label contains `label_part`."""
    for label, data in buttons(call):
        if label_part.lower() in label.lower():
            return data
    raise AssertionError(f"no button with {label_part!r} in {buttons(call)}")


@asynccontextmanager
async def bot_process(env: dict[str, str]) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run` as a real process with `env`; killed on the way out if the test left
    it running (a failed wait must not leave a bot polling the next test's fake server). It
    runs with the network guard, and must be given its own state file and content folder."""
    assert "STATE_FILE" in env and "CONTENT_DIR" in env, "give the bot its own state and content"
    blocked = Path(env["STATE_FILE"]).with_name("network-attempts.txt")
    guarded_env = {**env, network_guard.LOG_VARIABLE: str(blocked), "PYTHONPATH": os.pathsep.join(
        filter(None, (str(NETWORK_GUARD), env.get("PYTHONPATH"))))}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=paths.PROJECT_ROOT, env=guarded_env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if blocked.exists():
        pytest.fail(f"the bot process tried to reach the network: {blocked.read_text().split()}")


async def stop(process: asyncio.subprocess.Process, sig: int, timeout: float) -> tuple[int, str]:
    """Send `sig`, wait for the process to exit, and return its exit code and its log."""
    process.send_signal(sig)
    code = await asyncio.wait_for(process.wait(), timeout)
    assert process.stderr is not None
    return code, (await process.stderr.read()).decode()
