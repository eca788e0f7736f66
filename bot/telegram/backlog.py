"""A bounded backlog: never hold more fetched-but-unanswered updates than ~2 s of sending.

Why: Telegram forgets an update once the bot asks for the next ones (getUpdates with a higher
offset), which python-telegram-bot does right after putting a batch in its queue, long before
the batch is answered. Answers leave at about 30 messages a second (Telegram's limit), so in a
burst PTB would fetch, confirm and hold hundreds of updates; if the process dies (kill -9, an
out-of-memory kill, a crash), everything held is lost for good, silently.

Here getUpdates is not called while `MAX_HELD` updates wait, and asks for no more than there is
room for. What Telegram has not handed out yet stays safe on its side. A process killed
mid-burst loses at most what was held (~60, about two seconds of sending); a process that is
stopped (SIGTERM) stops fetching and answers what it holds before it exits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

MAX_HELD = 60  # about two seconds of sending at Telegram's ~30 messages/s
GET_UPDATES_MAX_LIMIT = 100  # the Bot API's own maximum per getUpdates


class Backlog:
    """The ids of updates fetched from Telegram and not yet fully handled."""

    def __init__(self, limit: int = MAX_HELD) -> None:
        self.limit = limit
        self._held: set[int] = set()
        self._changed = asyncio.Event()

    @property
    def held(self) -> int:
        return len(self._held)

    @property
    def room(self) -> int:
        return max(0, self.limit - len(self._held))

    async def wait_for_room(self) -> int:
        """Wait until fewer than `limit` updates are held; how many more may be fetched."""
        while self.room == 0:
            self._changed.clear()
            await self._changed.wait()
        return self.room

    def fetched(self, update_ids: Iterable[int]) -> None:
        self._held.update(update_ids)

    def done(self, update_id: int) -> None:
        """An update was handled (answered, apologised for, or skipped)."""
        if update_id in self._held:
            self._held.discard(update_id)
            self._changed.set()


class BoundedBot(ExtBot[Any]):
    """PTB's bot, whose getUpdates waits for room in the backlog and never overfills it."""

    def __init__(self, *args: Any, backlog: Backlog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backlog = backlog

    @property
    def backlog(self) -> Backlog:
        return self._backlog

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | float | dt.timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        if not _long_poll(timeout):
            # The Updater's last call when it stops: it only confirms what was fetched. Its
            # result is thrown away (and stays unconfirmed at Telegram), so ask for just one.
            return await super().get_updates(offset, 1, timeout, allowed_updates, **kwargs)
        room = await self._backlog.wait_for_room()
        limit = min(limit or GET_UPDATES_MAX_LIMIT, room)
        updates = await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        self._backlog.fetched(update.update_id for update in updates)
        return updates


def _long_poll(timeout: int | float | dt.timedelta | None) -> bool:
    if isinstance(timeout, dt.timedelta):
        return timeout.total_seconds() > 0
    return bool(timeout)
