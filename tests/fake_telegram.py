"""A local fake of the Telegram Bot API HTTP server for end-to-end tests.

Why this exists: the bot is built on python-telegram-bot (PTB), and the only honest way to
test handlers, conversations, keyboards and error handling end to end is to let PTB talk
HTTP to *something*. Real Telegram is off-limits in tests (network, tokens, rate limits,
flakiness), so :class:`FakeTelegram` runs a small aiohttp server on 127.0.0.1 that speaks
enough of the Bot API for PTB: it queues updates built by the test (``send_text``,
``send_callback``, ...), serves them through long-polling ``getUpdates``, answers the bot's
calls with realistic payloads, records every call for assertions and can inject failures
(429 / 5xx) to exercise retry paths.

Usage::

    async with FakeTelegram() as tg:
        app = ApplicationBuilder().token("123:ABC").base_url(tg.base_url).build()
        ...  # start the app and polling
        tg.send_text("/start", user_id=42)
        (call,) = await tg.wait_for("sendMessage")
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from http import HTTPStatus
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

BOT_USERNAME = "kyr_test_bot"
DEFAULT_USER_ID = 1001

# Parameters that stay strings even when they look like JSON ("42", "true").
_STRING_PARAMS = frozenset(
    {
        *("text", "caption", "query", "data", "message_text", "title", "description", "url"),
        *("callback_query_id", "inline_query_id", "inline_message_id", "next_offset"),
        *("parse_mode", "switch_pm_text", "switch_pm_parameter", "emoji", "name", "action"),
        *("short_description", "language_code", "first_name", "last_name", "file_id"),
        "secret_token",
    }
)
_JSONISH = re.compile(r"^\s*([\[{]|true$|false$|null$|-?\d+(\.\d+)?([eE][+-]?\d+)?$)")


@dataclass
class Call:
    """One Bot API request received by the fake (``params`` already decoded)."""

    method: str  # as sent by the client, e.g. "sendMessage"
    params: JSON
    error_code: int | None = None  # set when answered by an injected fault (``fail_next``)
    at: float = dataclass_field(default_factory=time.monotonic)  # when it arrived (benchmarks)


@dataclass
class FaultMix:
    """Random faults on a share of calls, as a flaky Telegram would answer them.

    ``server_errors``: share answered 500/502 (nothing is sent). ``rate_limits``: share answered
    429 with ``retry_after``. ``slow``: share answered ``slow_seconds`` late, *after* the call
    took effect, so a client that times out may retry what was already sent (a duplicate), as
    with Telegram.
    """

    server_errors: float = 0.0
    rate_limits: float = 0.0
    retry_after: int = 1
    slow: float = 0.0
    slow_seconds: float = 0.0
    methods: frozenset[str] = frozenset(
        {"sendmessage", "editmessagetext", "answercallbackquery", "answerinlinequery"}
    )
    seed: int = 13


@dataclass
class _Fault:
    status: int
    retry_after: int
    times: int
    description: str | None


def _decode(key: str, value: object) -> object:
    """Undo PTB's "JSON inside form fields" encoding for one parameter."""
    if not isinstance(value, str) or key in _STRING_PARAMS or not _JSONISH.match(value):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _utf16_len(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    """In-process fake Bot API server; use as ``async with FakeTelegram() as tg``."""

    def __init__(self, bot_id: int = 123, bot_username: str = BOT_USERNAME) -> None:
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Kyr Test Bot",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        self.files: dict[str, bytes] = {}  # file_path -> bytes served under base_file_url
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope json, lang) -> list
        self.webhook_url = ""
        self.port = 0
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)  # callback / inline query ids, file ids
        self._message_ids: dict[Any, int] = {}  # chat id -> last message id
        self._messages: dict[tuple[Any, int], JSON] = {}  # (chat id, message id) -> message
        self._chats: dict[Any, JSON] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._mix = FaultMix()
        self._random = random.Random(self._mix.seed)
        self.confirmed = 0  # updates the bot confirmed (getUpdates offset past them)
        self._tick = asyncio.Event()  # replaced on every change; see _notify
        self._closing = False
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        self._closing = True
        self._notify()  # release pending long-polls so shutdown is instant
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _notify(self) -> None:
        self._tick.set()
        self._tick = asyncio.Event()

    async def _wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closing:
                return condition()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._tick.wait(), remaining)
        return True

    # ------------------------------------------------------------------ assertions
    def calls_to(self, method: str) -> list[Call]:
        """All recorded calls of ``method`` (case-insensitive), including failed ones."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = 5,
    ) -> list[Call]:
        """Wait for ``count`` successful calls of ``method`` matching ``predicate(call)``."""

        def matching() -> list[Call]:
            calls = [c for c in self.calls_to(method) if c.error_code is None]
            return [c for c in calls if predicate is None or predicate(c)]

        if await self._wait_until(lambda: len(matching()) >= count, timeout):
            return matching()
        recent = "\n".join(f"  {c.method} {c.params}" for c in self.calls[-15:]) or "  (none)"
        raise AssertionError(
            f"Timed out after {timeout}s waiting for {count} x {method} "
            f"(got {len(matching())} matching); recent calls:\n{recent}"
        )

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates queued but not yet confirmed by the bot (via the getUpdates offset)."""
        return list(self._updates)

    async def all_confirmed(self, timeout: float = 5) -> bool:
        """Whether the bot confirmed every queued update within `timeout` seconds (it confirms
        an update with the getUpdates that follows its answer, a moment after it)."""
        return await self._wait_until(lambda: not self._updates, timeout)

    def bot_messages(self, chat_id: int | str) -> list[JSON]:
        """Current state of the messages the bot sent in ``chat_id``, oldest first."""
        msgs = [m for (c, _), m in sorted(self._messages.items()) if c == chat_id]
        return [m for m in msgs if m["from"]["id"] == self.bot_user["id"]]

    def _last_bot_message(self, chat_id: int | str) -> JSON | None:
        return (self.bot_messages(chat_id) or [None])[-1]

    # ------------------------------------------------------------------ fault injection
    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with a Telegram-style error."""
        fault = _Fault(status, retry_after, times, description)
        self._faults.setdefault(method.lower(), []).append(fault)

    def inject_faults(self, mix: FaultMix) -> None:
        """From now on, answer a random share of calls with faults (see FaultMix)."""
        self._mix = mix
        self._random = random.Random(mix.seed)

    def _take_fault(self, method: str) -> _Fault | None:
        faults = self._faults.get(method.lower())
        if not faults:
            return self._random_fault(method.lower())
        fault = faults[0]
        fault.times -= 1
        if fault.times <= 0:
            faults.pop(0)
        return fault

    def _random_fault(self, method: str) -> _Fault | None:
        mix = self._mix
        if method not in mix.methods or not (mix.server_errors or mix.rate_limits):
            return None
        draw = self._random.random()
        if draw < mix.server_errors:
            return _Fault(self._random.choice((500, 502)), 0, 1, None)
        if draw < mix.server_errors + mix.rate_limits:
            return _Fault(429, mix.retry_after, 1, None)
        return None

    @staticmethod
    def _error(fault: _Fault) -> web.Response:
        body: JSON = {"ok": False, "error_code": fault.status}
        description = HTTPStatus(fault.status).phrase  # e.g. "Bad Gateway"
        if fault.status == 429:
            description = f"Too Many Requests: retry after {fault.retry_after}"
            body["parameters"] = {"retry_after": fault.retry_after}
        body["description"] = fault.description or description
        return web.json_response(body, status=fault.status)

    # ------------------------------------------------------------------ HTTP
    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if path not in self.files:
            raise web.HTTPNotFound()
        return web.Response(body=self.files[path])

    async def _read_params(self, request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        body: JSON = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            else:
                for key, value in (await request.post()).items():
                    raw[key] = value.file.read() if isinstance(value, web.FileField) else value
        return {**{k: _decode(k, v) for k, v in raw.items()}, **body}

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = Call(method, await self._read_params(request))
        fault = self._take_fault(method)
        call.error_code = fault.status if fault else None
        self.calls.append(call)
        self._notify()
        if fault is not None:
            return self._error(fault)
        result = await self._api(method.lower(), call.params)
        self._notify()
        mix = self._mix
        if mix.slow and method.lower() in mix.methods and self._random.random() < mix.slow:
            await asyncio.sleep(mix.slow_seconds)  # done, but answered late
        return web.json_response({"ok": True, "result": result})

    async def _api(self, name: str, params: JSON) -> object:
        """Compute the ``result`` of one Bot API call (``name`` is lower-cased)."""
        match name:
            case "getme":
                return self.bot_user
            case "getupdates":
                return await self._get_updates(params)
            case "setwebhook" | "deletewebhook":
                self.webhook_url = str(params.get("url", ""))
                if params.get("drop_pending_updates"):
                    self._updates.clear()
            case "getwebhookinfo":
                pending = len(self._updates)
                info = {"url": self.webhook_url, "has_custom_certificate": False}
                return {**info, "pending_update_count": pending}
            case "editmessagetext" | "editmessagecaption" | "editmessagereplymarkup":
                return self._edit(params)
            case "getmycommands":
                return self.commands.get(self._commands_key(params), [])
            case "setmycommands":
                self.commands[self._commands_key(params)] = list(params.get("commands") or [])
            case "deletemycommands":
                self.commands.pop(self._commands_key(params), None)
            case "getfile":
                fid = str(params.get("file_id"))  # served from self.files[fid] if present
                return {"file_id": fid, "file_unique_id": f"u{fid}", "file_path": fid}
            case "sendchataction":
                pass
            case _ if name.startswith("send") and "chat_id" in params:
                return self._bot_message(params)  # sendMessage, sendPhoto, sendDocument, ...
        return True  # answerCallbackQuery, answerInlineQuery, setChatMenuButton, close, ...

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if (offset := params.get("offset")) is not None:
            offset = int(offset)
            before = len(self._updates)
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.confirmed += before - len(self._updates)
        limit = max(1, min(int(params.get("limit") or 100), 100))
        timeout = float(params.get("timeout") or 0)
        if timeout > 0 and not self._closing:
            await self._wait_until(lambda: bool(self._updates), timeout)
        return [] if self._closing else self._updates[:limit]

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    # ------------------------------------------------------------------ messages
    def _chat(self, chat_id: int | str) -> JSON:
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        if chat_id in self._chats:
            return self._chats[chat_id]
        if isinstance(chat_id, str):  # "@channel"
            return {"id": -1000000000001, "type": "channel", "username": chat_id.lstrip("@")}
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Ana"}
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": "Test chat"}

    def _new_message(self, chat: JSON, sender: JSON, **fields: object) -> JSON:
        chat_id = chat["id"]
        self._message_ids[chat_id] = message_id = self._message_ids.get(chat_id, 0) + 1
        msg = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": sender}
        msg.update({k: v for k, v in fields.items() if v is not None})
        self._messages[(chat_id, message_id)] = msg
        return msg

    def _stub(self, chat: JSON, message_id: int) -> JSON:
        """A bot message the fake never saw being sent (for edits / button presses)."""
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": "…",
        }

    def _bot_message(self, params: JSON) -> JSON:
        chat = self._chat(params["chat_id"])
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        content = ("text", "entities", "caption", "caption_entities", "reply_markup")
        msg = self._new_message(
            chat,
            self.bot_user,
            **{k: params.get(k) for k in content},
            reply_to_message=self._messages.get((chat["id"], reply_to)),
        )
        return msg

    def _edit(self, params: JSON) -> JSON | bool:
        if params.get("inline_message_id"):
            return True
        chat = self._chat(params["chat_id"])
        key = (chat["id"], int(params["message_id"]))
        now = int(time.time())
        msg = {**(self._messages.get(key) or self._stub(chat, key[1])), "edit_date": now}
        kind = "text" if "text" in params else "caption" if "caption" in params else None
        fields = (kind, f"{kind}_entities" if kind == "caption" else "entities") if kind else ()
        for field in (*fields, "reply_markup"):  # absent entities / markup are removed
            msg.pop(field, None)
            if params.get(field):
                msg[field] = params[field]
        self._messages[key] = msg
        return msg

    # ------------------------------------------------------------------ update builders
    def send_raw(self, update: JSON) -> JSON:
        """Queue an arbitrary (possibly malformed) update; assigns update_id if missing."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.append(update)
        self._notify()
        return update

    @staticmethod
    def _user(user_id: int, first_name: str, language_code: str | None) -> JSON:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        return {**user, "language_code": language_code} if language_code else user

    def _user_message(
        self,
        user_id: int,
        language_code: str | None,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Ana",
        **fields: object,
    ) -> JSON:
        cid = user_id if chat_id is None else chat_id
        chat: JSON = {"id": cid, "type": chat_type}
        chat |= {"first_name": first_name} if chat_type == "private" else {"title": "Test chat"}
        self._chats[cid] = chat
        return self._new_message(chat, self._user(user_id, first_name, language_code), **fields)

    def send_text(
        self,
        text: str,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        language_code: str | None = "en",
        chat_type: str = "private",
        first_name: str = "Ana",
        reply_to_bot: bool = False,
    ) -> JSON:
        """Queue a text message, with bot_command / mention entities like Telegram adds."""
        entities: list[JSON] = []
        command_end = len(text.split(maxsplit=1)[0]) if text.startswith("/") else 0
        if command_end:
            length = _utf16_len(text[:command_end])
            entities.append({"type": "bot_command", "offset": 0, "length": length})
        mention = "@" + self.bot_user["username"]
        for m in re.finditer(re.escape(mention) + r"\b", text):
            if m.start() >= command_end:  # "/start@kyr_test_bot" is covered by the command
                offset = _utf16_len(text[: m.start()])
                entities.append({"type": "mention", "offset": offset, "length": len(mention)})
        cid = user_id if chat_id is None else chat_id
        reply = self._last_bot_message(cid) if reply_to_bot else None
        msg = self._user_message(
            user_id,
            language_code,
            chat_id,
            chat_type,
            first_name,
            text=text,
            entities=entities or None,
            reply_to_message=reply,
        )
        return self.send_raw({"message": msg})

    def send_edited_text(
        self,
        text: str,
        user_id: int = DEFAULT_USER_ID,
        message_id: int | None = None,
        language_code: str | None = "en",
    ) -> JSON:
        """Queue an ``edited_message`` of the user's ``message_id`` (or of a fresh message)."""
        msg = self._messages.get((user_id, message_id)) if message_id else None
        if msg is None:
            msg = self._user_message(user_id, language_code)
            msg["message_id"] = message_id or msg["message_id"]
        msg = {**msg, "text": text, "edit_date": int(time.time())}
        self._messages[(user_id, msg["message_id"])] = msg
        return self.send_raw({"edited_message": msg})

    def send_callback(
        self,
        data: str,
        user_id: int = DEFAULT_USER_ID,
        message_id: int | None = None,
        chat_id: int | None = None,
        language_code: str | None = "en",
        inline_message_id: str | None = None,
    ) -> JSON:
        """Queue a button press on bot message ``message_id`` (default: the bot's latest)."""
        cid = user_id if chat_id is None else chat_id
        user = self._user(user_id, "Ana", language_code)
        query: JSON = {"id": str(next(self._ids)), "chat_instance": f"ci{cid}", "from": user}
        query["data"] = data
        if inline_message_id is not None:
            query["inline_message_id"] = inline_message_id
        else:
            chat = self._chat(cid)
            if message_id is None:  # the bot's latest message, else a stub
                msg = self._last_bot_message(chat["id"])
                message_id = msg["message_id"] if msg else self._message_ids.get(chat["id"], 1)
            msg = self._messages.get((chat["id"], message_id))
            query["message"] = msg or self._stub(chat, message_id)
        return self.send_raw({"callback_query": query})

    def send_inline_query(
        self, query: str, user_id: int = DEFAULT_USER_ID, language_code: str | None = "en"
    ) -> JSON:
        user = self._user(user_id, "Ana", language_code)
        inline = {"id": str(next(self._ids)), "query": query, "offset": "", "from": user}
        return self.send_raw({"inline_query": {**inline, "chat_type": "sender"}})

    def _file(self, **extra: object) -> JSON:
        n = next(self._ids)
        return {"file_id": f"file{n}", "file_unique_id": f"uniq{n}", **extra}

    def _send_media(self, user_id: int, language_code: str | None, **fields: object) -> JSON:
        return self.send_raw({"message": self._user_message(user_id, language_code, **fields)})

    def send_sticker(
        self, user_id: int = DEFAULT_USER_ID, language_code: str | None = "en"
    ) -> JSON:
        kind = {"type": "regular", "is_animated": False, "is_video": False}
        sticker = self._file(width=512, height=512, emoji="👍", **kind)
        return self._send_media(user_id, language_code, sticker=sticker)

    def send_photo(
        self,
        user_id: int = DEFAULT_USER_ID,
        language_code: str | None = "en",
        caption: str | None = None,
    ) -> JSON:
        photo = [self._file(width=90, height=90), self._file(width=800, height=800)]
        return self._send_media(user_id, language_code, photo=photo, caption=caption)

    def send_voice(self, user_id: int = DEFAULT_USER_ID, language_code: str | None = "en") -> JSON:
        voice = self._file(duration=3, mime_type="audio/ogg")
        return self._send_media(user_id, language_code, voice=voice)

    def send_location(
        self,
        user_id: int = DEFAULT_USER_ID,
        language_code: str | None = "en",
        latitude: float = 41.7658,
        longitude: float = -72.6734,  # Hartford, CT
    ) -> JSON:
        location = {"latitude": latitude, "longitude": longitude}
        return self._send_media(user_id, language_code, location=location)
