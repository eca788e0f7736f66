"""The bot never logs what people write, nor their Telegram ids, even at DEBUG; and its state
file holds neither."""

from __future__ import annotations

import io
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.cli import usage_report
from bot.telegram.privacy import (
    USER_KEY_SECRET_FILE,
    LibraryLogFilter,
    user_key,
    user_key_secret,
    webhook_secret,
)
from tests.conftest import TOKEN, Person
from tests.fake_telegram import FakeTelegram

# Distinctive texts and ids: if any of them shows up in a log record, something leaked.
TEXTS = [
    "Quetzalcoatl-5531 can ice go into my kids school",
    "Zanzibar-8812 la migra está en mi puerta ahora mismo",
    "Okapi-3307 what is the weather tomorrow",
]
SECRET_WORDS = ["Quetzalcoatl", "Zanzibar", "Okapi", "Narwhal", "Pangolin", "Axolotl"]
USER_IDS = [918_273_645, 827_364_519, 736_451_928]
GROUP_ID = -1_009_988_776_655


async def test_no_text_or_user_id_in_any_log_record_or_in_the_state_file(
    bot: tuple[FakeTelegram, object], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    tg, app = bot
    caplog.set_level(logging.DEBUG)  # the root logger: everything the process logs
    for user_id, text in zip(USER_IDS, TEXTS, strict=True):
        person = Person(tg, user_id=user_id, language_code="es")
        await person.say(text, count=1)
        await person.say("/start")
        await person.press(f"es|l:{'en' if user_id % 2 else 'es'}")
    in_group = Person(tg, user_id=USER_IDS[0], chat_id=GROUP_ID, chat_type="supergroup")
    await in_group.say("@kyr_test_bot Narwhal-1234 can ice go into my kids school")
    tg.send_inline_query("Pangolin-4455 ice door warrant", user_id=USER_IDS[1])
    await tg.wait_for("answerInlineQuery")
    def to_third(call: object) -> bool:
        return call.params["chat_id"] == USER_IDS[2]  # type: ignore[attr-defined]

    before = len([c for c in tg.calls_to("sendMessage") if to_third(c)])
    tg.send_sticker(user_id=USER_IDS[2])
    await tg.wait_for("sendMessage", to_third, count=before + 1)

    def broken_ask(self: Assistant, text: str, **kwargs: object) -> None:
        raise ValueError(f"could not read {text!r} from {kwargs}")

    monkeypatch.setattr(Assistant, "ask", broken_ask)
    await Person(tg, user_id=USER_IDS[2]).say("Axolotl-9090 help me")  # the error message
    monkeypatch.undo()

    assert caplog.records, "nothing was logged at all: is the capture working?"
    secrets = [*SECRET_WORDS, *map(str, USER_IDS), str(GROUP_ID), TOKEN.split(":")[1]]
    for record in caplog.records:
        rendered = " ".join([record.getMessage(), repr(record.args), record.exc_text or ""])
        for secret in secrets:
            assert secret not in rendered, f"{secret!r} leaked in {record.name}: {rendered}"
    for secret in secrets:
        assert secret not in caplog.text

    # The state file (and SQLite's write-ahead log beside it), as bytes and as rows.
    app.runtime.state._db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[attr-defined]
    files = sorted(tmp_path.glob("bot-state.sqlite3*"))
    assert files, "no state file was written"
    with sqlite3.connect(files[0]) as db:
        rows = "\n".join(db.iterdump())
    assert "INSERT INTO \"languages\"" in rows and "INSERT INTO \"counters\"" in rows
    assert "INSERT INTO \"weekly_counts\"" in rows
    stored = b"".join(f.read_bytes() for f in files)
    for secret in secrets:
        assert secret not in rows and secret.encode() not in stored, f"{secret!r} is stored"

    # What organizers read from it: counts per week and language, and the topic asked.
    report = io.StringIO()
    assert usage_report(files[0], None, True, report) == 0
    assert ",en,not_covered,small-talk,1" in report.getvalue()
    for secret in secrets:
        assert secret not in report.getvalue(), f"{secret!r} is in the report"


def test_user_key_is_stable_short_and_keyed() -> None:
    secret = b"k" * 32
    key = user_key(918_273_645, secret)
    assert key == user_key(918_273_645, secret) and len(key) == 16
    assert int(key, 16) >= 0  # hex
    assert key != user_key(918_273_646, secret) and key != user_key(918_273_645, b"other")
    assert "918273645" not in key


def test_webhook_secret_fits_telegram_rules() -> None:
    secret = webhook_secret(TOKEN)
    assert secret == webhook_secret(TOKEN) and secret != webhook_secret("1:other")
    assert 1 <= len(secret) <= 256 and secret.isalnum()


def test_library_filter_scrubs_the_token_and_raw_payloads() -> None:
    log_filter = LibraryLogFilter(TOKEN)
    url = logging.LogRecord("httpx", logging.WARNING, __file__, 1,
                            "HTTP Request: POST %s", (f"https://api/bot{TOKEN}/getMe",), None)
    assert log_filter.filter(url) and TOKEN not in url.getMessage()
    raw = logging.LogRecord("telegram.request.BaseRequest", logging.ERROR, __file__, 1,
                            'Can not load invalid JSON data: "%s"', ('{"text": "secret"}',), None)
    assert log_filter.filter(raw) and "secret" not in raw.getMessage()


async def test_library_loggers_are_capped(bot: tuple[FakeTelegram, object]) -> None:
    assert logging.getLogger("telegram").getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("telegram.Bot").getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


def test_the_user_key_secret_is_made_once_owner_only_and_kept(tmp_path: Path) -> None:
    first = user_key_secret(None, tmp_path)
    path = tmp_path / USER_KEY_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) >= 32
    assert user_key_secret(None, tmp_path) == first  # the next start reads the same one
    assert user_key_secret("c" * 40, tmp_path) == b"c" * 40  # USER_KEY_SECRET wins
    assert TOKEN.encode() not in first  # nothing to do with the bot token


def test_without_a_usable_secret_file_the_bot_still_starts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / USER_KEY_SECRET_FILE).write_text("short\n")  # damaged
    secret = user_key_secret(None, tmp_path)
    assert len(secret) == 32 and secret != user_key_secret(None, tmp_path / "gone")
    assert any("user-key secret" in r.getMessage() for r in caplog.records
               if r.levelno == logging.WARNING)
