"""The backlog: updates fetched from Telegram and not yet handled, few of them, and confirmed to
Telegram only once handled, so that nothing is lost when the process dies.

Why: Telegram keeps an update until a getUpdates call asks for a later offset, and hands it over
again on every call until then. python-telegram-bot confirms a batch on its very next
getUpdates, long before the batch is answered (answers leave at ~30 a second): a process killed
mid-burst (kill -9, an out-of-memory kill, a power cut) lost everything it held. Here:

- the offset sent to Telegram is the oldest update still being handled (`Backlog.offset`), so
  Telegram keeps every unhandled update, and a restarted bot gets them all again. The price is
  a rare duplicate: an answer sent just before the process died, whose update was not confirmed
  yet (a handful in a burst of 200, see the README);
- the same unconfirmed updates come back on every getUpdates: they are dropped from the reply
  before PTB parses them (`take`), and when a reply holds nothing new the bot waits for one of
  its updates to be handled (at most `RECHECK_SECONDS`) before it asks again, instead of asking
  again at once;
- at most `MAX_HELD` updates are held (about a second of sending), and getUpdates is not
  called while the backlog is full; while it is nearly full, the next call waits for a few
  more to be handled (`gather`, at most 0.1 s), so that a burst costs ten calls a second
  rather than one per answer;
- each new update is judged by the flood gate (fairness.py) before it takes a slot: a sender
  over their limit gets one notice, the rest is skipped and takes no slot at all.

Stopping (SIGTERM): fetching stops, what is held is answered (context.py), then the handled
updates are confirmed with one last getUpdates (`BoundedBot.confirm_handled`). The message text
is never written anywhere to achieve this: Telegram keeps it, as it does anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.telegram.fairness import Verdict

log = logging.getLogger(__name__)

MAX_HELD = 30  # about a second of sending at Telegram's ~30 messages/s
GET_UPDATES_MAX_LIMIT = 100  # the Bot API's own maximum per getUpdates
RECHECK_SECONDS = 0.3  # nothing new came back: ask again once an update is handled, or this late
# While the backlog is nearly full, the next getUpdates waits until this many slots are free or
# this long: each call brings every held update back (Telegram's semantics), and one call per
# answer cost more CPU than the answers did (py-spy: 23% of the bot's time in a burst).
FETCH_BATCH = 5
GATHER_SECONDS = 0.1

Judge = Callable[[dict[str, Any]], Verdict]


def _answer_all(update: dict[str, Any]) -> Verdict:
    return "answer"


class Backlog:
    """The ids of updates fetched and not yet handled, and the offset that confirms the rest."""

    def __init__(self, limit: int = MAX_HELD, judge: Judge = _answer_all) -> None:
        self.limit = limit
        self.judge = judge
        self.accepting = True  # False for getUpdates calls that only confirm (see BoundedBot)
        self.only_repeats = False  # the last reply held nothing new: wait before asking again
        self._held: set[int] = set()
        self._notices: set[int] = set()  # held updates that get the "please wait" notice
        self._done: set[int] = set()  # handled, but newer than an update still held
        self._next: int | None = None  # one past the newest update id taken
        self._floor = 0  # every update below this was handled (a reply in flight may hold them)
        self._changed = asyncio.Event()

    @property
    def held(self) -> int:
        return len(self._held)

    @property
    def room(self) -> int:
        return max(0, self.limit - len(self._held))

    @property
    def offset(self) -> int | None:
        """The getUpdates offset that confirms every handled update and nothing else."""
        return min(self._held) if self._held else self._next

    @property
    def fetch_limit(self) -> int:
        """How many updates to ask for: Telegram sends the ones taken since the offset again
        first (every one of them is held, or handled after an older one still held), then
        new ones; asking for just room more keeps each reply, and each round trip, small."""
        return min(GET_UPDATES_MAX_LIMIT, len(self._held) + len(self._done) + self.room)

    def known(self, update_id: int) -> bool:
        """Taken before (polling: Telegram hands an update over until it is confirmed)."""
        return update_id < self._floor or update_id in self._held or update_id in self._done

    def is_notice(self, update_id: int) -> bool:
        return update_id in self._notices

    async def wait_for_room(self) -> int:
        """Wait until fewer than `limit` updates are held; how many more may be fetched."""
        while self.room == 0:
            self._changed.clear()
            await self._changed.wait()
        return self.room

    async def gather(self, batch: int = FETCH_BATCH, timeout: float = GATHER_SECONDS) -> None:
        """While the backlog is nearly full, let a few more updates be handled (at most
        `timeout` seconds) so that one getUpdates confirms several and fetches several."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._held and self.room < batch and (remaining := deadline - loop.time()) > 0:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return

    async def wait_for_change(self, timeout: float) -> None:
        """Until an update is handled, or `timeout` seconds."""
        self._changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def take(self, updates: list[Any]) -> list[Any]:
        """The updates of a getUpdates reply the bot should handle now, in order: not the ones
        it already holds or handled, not the ones the flood gate skips, and no more than there
        is room for (the rest stays with Telegram, unconfirmed, for the next call)."""
        taken: list[Any] = []
        repeats = judged = 0
        for update in updates:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int):
                taken.append(update)  # PTB's parser and updates.py deal with it
                continue
            if self.known(update_id):
                repeats += 1
                continue
            if self.room == 0:
                break
            judged += 1
            verdict = self.judge(update)
            if verdict == "skip":
                self.skipped(update_id)
                continue
            self.hold(update_id, verdict)
            taken.append(update)
        self.only_repeats = repeats > 0 and not judged
        return taken

    def hold(self, update_id: int, verdict: Verdict = "answer") -> None:
        self._held.add(update_id)
        if verdict == "notice":
            self._notices.add(update_id)
        self._next = max(self._next or 0, update_id + 1)

    def skipped(self, update_id: int) -> None:
        """Handled without a slot (a flood skip): confirmed with the next getUpdates."""
        self._done.add(update_id)
        self._next = max(self._next or 0, update_id + 1)
        self._prune()

    def done(self, update_id: int) -> None:
        """An update was handled (answered, apologised for, or skipped)."""
        if update_id in self._held:
            self._held.discard(update_id)
            self._notices.discard(update_id)
            self._done.add(update_id)
            self._prune()
            self._changed.set()

    def _prune(self) -> None:
        offset = self.offset
        if offset is None:
            return
        self._floor = max(self._floor, offset)
        if self._done and min(self._done) < offset:
            self._done = {update_id for update_id in self._done if update_id >= offset}


class BoundedBot(ExtBot[Any]):
    """PTB's bot, whose getUpdates confirms only handled updates, skips the ones it already
    has, waits for room in the backlog and never overfills it."""

    def __init__(self, *args: Any, backlog: Backlog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._backlog = backlog
        self._updates_request = kwargs.get("get_updates_request")
        self._polled = False
        self._polling: Callable[[], bool] = lambda: True  # is the Updater still running?

    @property
    def backlog(self) -> Backlog:
        return self._backlog

    def watch_polling(self, polling: Callable[[], bool]) -> None:
        """How to tell whether the Updater still runs (a reply arriving after it stopped)."""
        self._polling = polling

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | float | dt.timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        backlog = self._backlog
        if not _long_poll(timeout):
            # The Updater's last call when it stops: confirm what was handled, take nothing.
            return await self._confirm(offset, allowed_updates, **kwargs)
        self._polled = True
        while True:
            await backlog.wait_for_room()
            await backlog.gather()
            try:
                updates = await super().get_updates(
                    _or(backlog.offset, offset), backlog.fetch_limit, timeout, allowed_updates,
                    **kwargs,
                )
            except (TelegramError, asyncio.CancelledError):
                raise
            except Exception:  # PTB could not parse the batch: step over what it cannot read
                updates = self._readable_batch()
            if not self._polling():
                # Stopping: these stay held, so unconfirmed, and Telegram hands them to the
                # next process (PTB would log them as dropped).
                return ()
            if updates or not backlog.only_repeats:
                return updates
            await backlog.wait_for_change(RECHECK_SECONDS)

    def _readable_batch(self) -> tuple[Update, ...]:
        from bot.telegram.updates import readable_updates  # updates.py imports this module

        raw = getattr(self._updates_request, "last_result", [])
        updates = Update.de_list(readable_updates(raw), self)
        for update in updates:
            self.insert_callback_data(update)
        return updates

    async def confirm_handled(self) -> None:
        """After a stop has answered what was held: tell Telegram, so none comes back."""
        if not self._polled:
            return  # a webhook bot: Telegram refuses getUpdates while a webhook is set
        try:
            await self._confirm(None, None)
        except TelegramError as error:
            log.warning("could not confirm the handled updates (%s): they may be answered "
                        "again after the restart", type(error).__name__)

    async def _confirm(self, offset: int | None, allowed_updates: Sequence[str] | None,
                       **kwargs: Any) -> tuple[Update, ...]:
        self._backlog.accepting = False
        try:
            return await super().get_updates(_or(self._backlog.offset, offset), 1, 0,
                                             allowed_updates, **kwargs)
        finally:
            self._backlog.accepting = True


def _or(ours: int | None, theirs: int | None) -> int | None:
    return ours if ours is not None else theirs


def _long_poll(timeout: int | float | dt.timedelta | None) -> bool:
    if isinstance(timeout, dt.timedelta):
        return timeout.total_seconds() > 0
    return bool(timeout)
