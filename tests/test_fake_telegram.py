"""Checks that :class:`FakeTelegram` is good enough for a real PTB ``Bot``/``Application``."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fake_telegram import FakeTelegram

TOKEN = "123:ABC"


def make_bot(tg: FakeTelegram) -> Bot:
    return Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url)


@pytest.mark.asyncio
async def test_get_me() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        me = await bot.get_me()
        assert me.username == "kyr_test_bot"
        assert me.is_bot and me.can_join_groups and me.supports_inline_queries
        assert [c.method for c in tg.calls] == ["getMe", "getMe"]  # initialize() + explicit


@pytest.mark.asyncio
async def test_send_message_records_decoded_reply_markup() -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        first = await bot.send_message(42, "Hello", reply_markup=keyboard)
        second = await bot.send_message(42, "123")
        other_chat = await bot.send_message(7, "Hi")

        assert first.text == "Hello" and first.chat.id == 42 and first.chat.type == "private"
        assert first.from_user is not None and first.from_user.username == "kyr_test_bot"
        assert first.reply_markup == keyboard
        assert second.message_id == first.message_id + 1 and other_chat.message_id == 1

        call = tg.calls_to("sendmessage")[0]
        assert call.params["chat_id"] == 42
        assert call.params["reply_markup"] == {
            "inline_keyboard": [[{"text": "Yes", "callback_data": "yes"}]]
        }
        assert tg.calls_to("sendMessage")[1].params["text"] == "123"  # text stays a string

        edited = await bot.edit_message_text("Edited", chat_id=42, message_id=first.message_id)
        assert edited.text == "Edited" and edited.reply_markup is None
        assert edited.edit_date is not None
        assert await bot.edit_message_text("x", inline_message_id="abc") is True


@pytest.mark.asyncio
async def test_get_updates_returns_queued_command() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        tg.send_text("/start@kyr_test_bot hi @kyr_test_bot", user_id=5, language_code="uk")
        (update,) = await bot.get_updates(timeout=0)
        message = update.message
        assert message is not None and message.text is not None
        assert message.from_user is not None and message.from_user.language_code == "uk"
        assert [(e.type, e.offset, e.length) for e in message.entities] == [
            ("bot_command", 0, 19),
            ("mention", 23, 13),
        ]
        assert message.parse_entity(message.entities[0]) == "/start@kyr_test_bot"

        # Confirming via offset drops the update; limit is honoured.
        tg.send_text("a")
        tg.send_text("b")
        updates = await bot.get_updates(offset=update.update_id + 1, limit=1)
        assert [u.message.text for u in updates if u.message] == ["a"]
        assert len(tg.pending_updates) == 2


@pytest.mark.asyncio
async def test_long_poll_wakes_when_update_is_queued() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        asyncio.get_running_loop().call_later(0.2, tg.send_callback, "yes", 5)
        started = time.monotonic()
        (update,) = await bot.get_updates(timeout=5)
        assert time.monotonic() - started < 2
        assert update.callback_query is not None and update.callback_query.data == "yes"

        # Without updates the long-poll returns empty after `timeout`.
        started = time.monotonic()
        assert await bot.get_updates(offset=update.update_id + 1, timeout=1) == ()
        assert 0.9 < time.monotonic() - started < 2


@pytest.mark.asyncio
async def test_shutdown_releases_pending_long_poll() -> None:
    tg = FakeTelegram()
    await tg.start()
    async with make_bot(tg) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await tg.wait_for("getUpdates")
        started = time.monotonic()
        await tg.stop()
        assert time.monotonic() - started < 2
        assert await poll == ()


@pytest.mark.asyncio
async def test_application_command_and_callback_round_trip() -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
        await update.effective_message.reply_text("Welcome!", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Pressed {query.data}")

    async with FakeTelegram() as tg:
        app = ApplicationBuilder().token(TOKEN).base_url(tg.base_url).build()
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(pressed))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)

            tg.send_text("/start", user_id=77)
            (reply,) = await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == 77)
            assert reply.params["text"] == "Welcome!"
            message_id = tg.bot_messages(77)[-1]["message_id"]

            tg.send_callback("go", user_id=77, message_id=message_id)
            await tg.wait_for("answerCallbackQuery")
            (edit,) = await tg.wait_for("editMessageText")
            assert edit.params == {"chat_id": 77, "message_id": message_id, "text": "Pressed go"}

            await app.updater.stop()
            await app.stop()
        assert not tg.pending_updates  # the bot confirmed everything it processed


@pytest.mark.asyncio
async def test_fail_next_429_raises_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # opt in to PTB 23 semantics, no deprecation warning
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        tg.fail_next("sendMessage", status=429, retry_after=3)
        with pytest.raises(RetryAfter) as excinfo:
            await bot.send_message(1, "spam")
        assert excinfo.value.retry_after == dt.timedelta(seconds=3)
        assert tg.calls_to("sendMessage")[0].error_code == 429
        assert (await bot.send_message(1, "ok")).text == "ok"  # only the next call fails


@pytest.mark.asyncio
async def test_commands_are_stored_per_scope_and_language() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        await bot.set_my_commands([("start", "Start")])
        await bot.set_my_commands([("start", "Почати")], language_code="uk")
        assert [c.description for c in await bot.get_my_commands()] == ["Start"]
        assert [c.description for c in await bot.get_my_commands(language_code="uk")] == ["Почати"]
        await bot.delete_my_commands(language_code="uk")
        assert await bot.get_my_commands(language_code="uk") == ()


@pytest.mark.asyncio
async def test_wait_for_timeout_lists_recent_calls() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        await bot.send_chat_action(1, "typing")
        with pytest.raises(AssertionError, match=r"(?s)1 x sendMessage.*sendChatAction"):
            await tg.wait_for("sendMessage", timeout=0.1)


@pytest.mark.asyncio
async def test_multipart_json_and_get_bodies_and_5xx_faults() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        photo = await bot.send_photo(9, b"\x89PNG fake", caption="42")
        assert photo.caption == "42" and photo.chat.id == 9
        (call,) = tg.calls_to("sendPhoto")
        assert call.params["caption"] == "42" and call.params["chat_id"] == 9
        assert call.params["photo"] == b"\x89PNG fake"

        async with aiohttp.ClientSession() as http:
            url = f"{tg.base_url}{TOKEN}"
            async with http.post(f"{url}/SENDMESSAGE", json={"chat_id": 9, "text": "j"}) as r:
                assert (await r.json())["result"]["message_id"] == 2
            async with http.get(f"{url}/getWebhookInfo", params={"x": "[1]"}) as r:
                assert (await r.json())["result"]["url"] == ""
        assert tg.calls_to("sendMessage")[0].params == {"chat_id": 9, "text": "j"}
        assert tg.calls_to("getwebhookinfo")[0].params == {"x": [1]}

        tg.fail_next("sendChatAction", status=502, times=2)
        tg.fail_next("sendChatAction", status=500)
        for _ in range(3):
            with pytest.raises(NetworkError):
                await bot.send_chat_action(9, "typing")
        assert await bot.send_chat_action(9, "typing") is True
        assert [c.error_code for c in tg.calls_to("sendChatAction")] == [502, 502, 500, None]


@pytest.mark.asyncio
async def test_update_builders_are_parsed_by_ptb() -> None:
    async with FakeTelegram() as tg, make_bot(tg) as bot:
        sent = await bot.send_message(5, "Pick one")
        tg.send_text("hey @kyr_test_bot", user_id=5, chat_id=-100, chat_type="supergroup")
        tg.send_text("answer", user_id=5, reply_to_bot=True)
        tg.send_callback("pick:1", 5)  # defaults to the bot's latest message
        tg.send_inline_query("cats", 5, language_code="de")
        tg.send_sticker(5)
        tg.send_photo(5, caption="look")
        tg.send_voice(5)
        tg.send_location(5)
        tg.send_edited_text("fixed", 5)
        raw = tg.send_raw({"unknown_field": {"x": 1}})
        assert raw["update_id"] == 10

        updates = await bot.get_updates()
        assert len(updates) == 10
        group, reply, cb, iq, sticker, photo, voice, loc, edited, unknown = updates
        assert group.effective_chat is not None and group.effective_chat.type == "supergroup"
        assert group.message is not None and group.message.entities[0].type == "mention"
        assert reply.message is not None and reply.message.reply_to_message == sent
        assert cb.callback_query is not None and cb.callback_query.message == sent
        assert iq.inline_query is not None and iq.inline_query.from_user.language_code == "de"
        assert sticker.message is not None and sticker.message.sticker is not None
        assert photo.message is not None and photo.message.photo[-1].width == 800
        assert voice.message is not None and voice.message.voice is not None
        assert loc.message is not None and loc.message.location is not None
        assert edited.edited_message is not None and edited.edited_message.text == "fixed"
        assert unknown.effective_message is None
