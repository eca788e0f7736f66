"""No lost answers: the real bot against a fake Bot API that fails on purpose.

Telegram answers some calls with 5xx or 429, answers late, and bots get killed or redeployed in
the middle of a burst. These tests pin down what the bot does then: it retries, it says so in
one log line, it never holds more than it can answer in about two seconds, and what it stores
survives. The lost/duplicated figures per fault mix are in benchmarks/telegram_faults.py.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import weakref
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.assistant import Assistant, settle_long_lived_objects
from bot.telegram import context as bot_context
from bot.telegram.app import build_application
from bot.telegram.backlog import MAX_HELD
from bot.telegram.context import BotApplication
from bot.telegram.sending import TRIES
from tests.conftest import (
    ADMIN_ID,
    FIXTURE_CONTENT,
    TOKEN,
    Launch,
    Person,
    bot_process,
    make_settings,
    running,
    stop,
)
from tests.fake_telegram import FakeTelegram, FaultMix

SCHOOL = "can ice go into my kids school"
SCHOOL_ANSWER = "FIXTURE-SCHOOL-ICE"
APOLOGY = "Sorry, something went wrong"


async def ask_slowly(tg: FakeTelegram, text: str, user_id: int = 1001) -> str:
    """The first answer to `text`, waiting long enough for every retry (about 10 s)."""
    tg.send_text(text, user_id=user_id)
    calls = await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == user_id,
                              timeout=20)
    return str(calls[0].params["text"])


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def assert_no_traceback_or_error(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        assert not record.exc_info and not record.exc_text, record.getMessage()
        assert record.levelno < logging.ERROR, record.getMessage()


# -- retries -------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_5xx_is_retried_with_one_warning_line(
    tg: FakeTelegram, launch: Launch, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    await launch()
    tg.fail_next("sendMessage", status=status)
    assert SCHOOL_ANSWER in await Person(tg).ask(SCHOOL)
    gc.unfreeze()  # leave the test process as it was
    assert [c.error_code for c in tg.calls_to("sendMessage")] == [status, None]
    (warning,) = problems(caplog)
    line = warning.getMessage()
    assert warning.levelname == "WARNING" and "sendMessage" in line and str(status) in line
    assert "retrying" in line
    assert_no_traceback_or_error(caplog)


async def test_after_the_last_try_the_person_gets_the_apology(
    tg: FakeTelegram, launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    await launch()
    tg.fail_next("sendMessage", status=502, times=TRIES)
    assert APOLOGY in await ask_slowly(tg, SCHOOL)
    warnings = problems(caplog)
    assert len(warnings) == TRIES  # one line per failed try, the last one says it gave up
    assert all("sendMessage failed: 502 Bad Gateway" in r.getMessage() for r in warnings)
    assert "giving up" in warnings[-1].getMessage()
    assert_no_traceback_or_error(caplog)


async def test_a_refused_request_is_not_retried(
    tg: FakeTelegram, launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    await launch()
    tg.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    tg.send_text(SCHOOL, user_id=31)
    assert SCHOOL_ANSWER in await Person(tg, user_id=32).ask(SCHOOL)  # answered after it
    to_first = [c.error_code for c in tg.calls_to("sendMessage") if c.params["chat_id"] == 31]
    assert to_first == [403]  # no retry, and no apology to someone who blocked the bot
    (warning,) = problems(caplog)
    assert "sendMessage failed: 403 Forbidden" in warning.getMessage()


async def test_429_past_the_limiters_retries_is_one_warning_line(
    tg: FakeTelegram, launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    await launch()
    tg.fail_next("sendMessage", status=429, retry_after=1, times=4)  # the limiter tries 4 times
    assert APOLOGY in await ask_slowly(tg, SCHOOL)
    (warning,) = problems(caplog)
    assert "sendMessage failed: 429" in warning.getMessage()
    assert_no_traceback_or_error(caplog)


async def test_a_failing_get_updates_is_one_warning_line_and_polling_goes_on(
    tg: FakeTelegram, launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    await launch()
    tg.fail_next("getUpdates", status=502)
    assert SCHOOL_ANSWER in await ask_slowly(tg, SCHOOL)
    (warning,) = problems(caplog)
    assert "getUpdates failed: 502 Bad Gateway" in warning.getMessage()
    assert_no_traceback_or_error(caplog)


async def test_one_in_ten_sends_failing_loses_no_answer(
    tg: FakeTelegram, launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    await launch()
    tg.inject_faults(FaultMix(server_errors=0.1, seed=7))
    users = range(5000, 5100)
    for user_id in users:
        tg.send_text(SCHOOL, user_id=user_id)
    calls = await tg.wait_for("sendMessage", lambda c: SCHOOL_ANSWER in c.params["text"],
                              count=100, timeout=40)
    assert any(c.error_code for c in tg.calls_to("sendMessage"))  # faults did happen
    assert Counter(c.params["chat_id"] for c in calls) == dict.fromkeys(users, 1)
    assert_no_traceback_or_error(caplog)


# -- the backlog ---------------------------------------------------------------------------------
async def test_the_bot_never_holds_more_than_it_can_answer_soon(
    tg: FakeTelegram, launch: Launch
) -> None:
    """Fetched but unanswered updates stay under MAX_HELD, and Telegram is never told an update
    was handled before its answer was sent."""
    app = await launch()
    users = range(7000, 7200)
    for user_id in users:
        tg.send_text(SCHOOL, user_id=user_id)
    most_held = 0
    while len(answered := {c.params["chat_id"] for c in tg.calls_to("sendMessage")
                           if c.error_code is None}) < len(users):
        assert tg.confirmed <= len(answered)
        most_held = max(most_held, app.runtime.backlog.held)
        await asyncio.sleep(0.02)
    assert 0 < most_held <= MAX_HELD
    assert await tg.all_confirmed()
    assert app.runtime.backlog.held == 0


# -- what is stored ------------------------------------------------------------------------------
async def test_stats_survive_a_restart(tg: FakeTelegram, tmp_path: Path) -> None:
    settings = make_settings(tg, tmp_path)

    def app() -> BotApplication:
        return build_application(settings, Assistant.load(settings.content_dir,
                                                           settings.locale_dir))

    async with running(app()):
        await Person(tg, user_id=11).ask(SCHOOL)
        await Person(tg, user_id=12).ask(SCHOOL)
    async with running(app()) as again:
        stats = again.runtime.assistant.stats
        assert stats.total == 2 and stats.top_entries() == [("school-ice-visit", 2)]
        admin = Person(tg, user_id=ADMIN_ID)
        assert "2 questions" in await admin.ask("/stats")


@pytest.mark.parametrize("content", [b"", b"\x00garbage\xff" * 100, b"\x80\x04truncated pick"])
async def test_the_bot_starts_and_answers_whatever_the_state_file_holds(
    tg: FakeTelegram, launch: Launch, tmp_path: Path, content: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    state_file = tmp_path / "state.sqlite3"
    state_file.write_bytes(content)
    await launch(state_file=state_file)
    ana = Person(tg)
    assert SCHOOL_ANSWER in await ana.ask(SCHOOL)
    await ana.press("en|l:es")  # and it can store a choice again
    assert len(problems(caplog)) == (1 if content else 0)
    assert_no_traceback_or_error(caplog)


# -- stopping: kill -9 and SIGTERM in the middle of a burst --------------------------------------
def bot_env(tg: FakeTelegram, state_file: Path) -> dict[str, str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
           "CONTENT_DIR": str(FIXTURE_CONTENT), "STATE_FILE": str(state_file),
           "LOG_LEVEL": "INFO"}
    env.pop("WEBHOOK_URL", None)
    return env


MAX_REPEATED = 3  # answers sent twice after a timed-out send: a few at most, and never lost


def answered_chats(tg: FakeTelegram) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in tg.calls_to("sendMessage")
                   if c.error_code is None and SCHOOL_ANSWER in c.params.get("text", ""))


@dataclass
class Stopped:
    code: int
    log: str
    unconfirmed: set[int]  # chats answered whose update Telegram still held at the signal


async def burst_then_signal(tg: FakeTelegram, tmp_path: Path, sig: int) -> Stopped:
    """200 questions; the signal after 40 answers; then a fresh process answers the rest."""
    state_file = tmp_path / "state.sqlite3"
    async with bot_process(bot_env(tg, state_file)) as process:
        await tg.wait_for("getUpdates", timeout=30)
        for user_id in range(8000, 8200):
            tg.send_text(SCHOOL, user_id=user_id)
        await tg.wait_for("sendMessage", count=40, timeout=30)
        code, log = await stop(process, sig, 25)
    pending = {update["message"]["chat"]["id"] for update in tg.pending_updates}
    unconfirmed = pending & set(answered_chats(tg))
    async with bot_process(bot_env(tg, state_file)) as restarted:
        await tg.wait_for("getUpdates", timeout=30)
        # What Telegram still had is answered after the restart: wait until nothing is left
        # there and no answer has been sent for two seconds.
        clock = asyncio.get_running_loop().time
        sent, quiet_since = -1, clock()
        while tg.pending_updates or clock() - quiet_since < 2:
            if len(tg.calls_to("sendMessage")) != sent:
                sent, quiet_since = len(tg.calls_to("sendMessage")), clock()
            await asyncio.sleep(0.1)
        await stop(restarted, signal.SIGTERM, 25)
    assert "Traceback" not in log, log
    return Stopped(code, log, unconfirmed)


async def test_kill_9_mid_burst_loses_nothing(tg: FakeTelegram, tmp_path: Path) -> None:
    """Telegram keeps every update the bot has not confirmed, and the bot confirms only what it
    handled: what the killed process held is answered by the next one."""
    stopped = await burst_then_signal(tg, tmp_path, signal.SIGKILL)
    answers = answered_chats(tg)
    assert len(answers) == 200
    # At least once rather than lost: an answer sent just before the kill, whose update was not
    # confirmed yet, is sent again by the next process (how many depends on how busy the
    # machine is: the benchmark measures it). Nothing confirmed is answered again, and on a
    # loaded machine a sendMessage that outlives its 5 s timeout may be sent again (sending.py).
    repeated = {chat for chat, count in answers.items() if count > 1}
    assert len(repeated - stopped.unconfirmed) <= MAX_REPEATED, (repeated, stopped.unconfirmed)
    assert len(stopped.unconfirmed) <= MAX_HELD


async def test_sigterm_mid_burst_answers_what_is_held_and_loses_nothing(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    stopped = await burst_then_signal(tg, tmp_path, signal.SIGTERM)
    assert stopped.code == 0, stopped.log
    assert not stopped.unconfirmed  # what it answered before it exited, it confirmed
    answers = answered_chats(tg)
    assert len(answers) == 200 and all(count == 1 for count in answers.values())


# -- memory --------------------------------------------------------------------------------------
async def test_reload_frees_the_content_it_replaces(tg: FakeTelegram, launch: Launch) -> None:
    """gc.freeze() after loading kept every replaced content alive; /reload now frees it.
    (RSS per reload: benchmarks/telegram_faults.py --reloads.)"""
    app = await launch()
    settle_long_lived_objects()  # as run_bot does after the first load
    admin = Person(tg, user_id=ADMIN_ID)
    replaced = []
    for _ in range(3):
        replaced.append(weakref.ref(app.runtime.assistant))
        assert "Content reloaded" in await admin.ask("/reload")
    gc.collect()
    assert [ref() for ref in replaced] == [None, None, None]
    assert app.runtime.assistant is not None
    assert SCHOOL_ANSWER in await Person(tg).ask(SCHOOL)
    gc.unfreeze()  # leave the test process as it was


async def test_a_stop_never_waits_longer_than_its_deadline(
    tg: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Telegram failing every send must not keep a redeploy waiting past the deadline."""
    monkeypatch.setattr(bot_context, "STOP_DEADLINE_SECONDS", 0.5)
    settings = make_settings(tg, tmp_path)
    app = build_application(settings, Assistant.load(settings.content_dir, settings.locale_dir))
    async with running(app):
        tg.fail_next("sendMessage", status=502, times=100)
        tg.send_text(SCHOOL)
        assert await tg._wait_until(lambda: bool(tg.calls_to("sendMessage")), 10)
        assert app.runtime.backlog.held == 1
    stopped = [r for r in caplog.records if "not answered" in r.getMessage()]
    assert len(stopped) == 1 and stopped[0].levelname == "WARNING"
    assert "1 update(s) not answered" in stopped[0].getMessage()
