"""Polling that steps over an update PTB cannot read, instead of stalling on it forever.

PTB parses a getUpdates batch all at once. If one update does not parse (malformed, or a shape
a newer Bot API sends that this PTB version does not expect), the whole batch fails, the offset
never moves past it, and the bot stops answering everyone while PTB retries the same batch. The
getUpdates request used here keeps the batch PTB was given; when PTB fails to parse it
(BoundedBot.get_updates), each update that does not parse is replaced by an empty update with
the same update_id: no handler matches it and the offset moves on. Only the update_id and the
error type are logged, never the update itself.

The same request also hands each batch to the backlog first (backlog.py): the updates it
already holds or handled, which Telegram sends again until they are confirmed, and the ones the
flood gate skips are dropped before PTB parses anything, so a repeat costs next to nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

from bot.telegram.backlog import Backlog
from bot.telegram.sending import BotRequest

log = logging.getLogger(__name__)


class UpdatesRequest(BotRequest):
    """The HTTP client for getUpdates (PTB's default settings for it: one connection)."""

    def __init__(self, backlog: Backlog | None = None, **kwargs: Any) -> None:
        super().__init__(**{"connection_pool_size": 1, **kwargs})
        self.backlog = backlog
        self.last_result: list[Any] = []  # for `readable_updates` when PTB cannot parse it

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list) and result and self.backlog is not None:
            result = self.backlog.take(result) if self.backlog.accepting else []
            data["result"] = result
        if isinstance(result, list):
            self.last_result = result
        return data


def readable_updates(updates: list[Any]) -> list[Any]:
    """The batch, with every update PTB cannot parse replaced by an empty one. Called only
    when PTB failed to parse a batch (BoundedBot.get_updates): the usual batch is parsed once.
    (PTB's de_json never alters its input: no copies needed.)"""
    return [_readable(update) for update in updates]


def _readable(update: Any) -> Any:
    try:
        Update.de_json(update, None)
        return update
    except Exception as error:
        update_id = update.get("update_id") if isinstance(update, dict) else None
        log.warning("skipped an update that cannot be read: update_id=%s error=%s",
                    update_id, type(error).__name__)
        return {"update_id": update_id} if isinstance(update_id, int) else update
