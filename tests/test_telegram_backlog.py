"""The backlog bound (bot/telegram/backlog.py) on its own: room, waiting, and what frees it."""

from __future__ import annotations

import asyncio

from bot.telegram.backlog import Backlog


async def test_fetching_waits_while_the_backlog_is_full() -> None:
    backlog = Backlog(limit=3)
    assert await backlog.wait_for_room() == 3
    backlog.fetched([1, 2, 3])
    waiting = asyncio.create_task(backlog.wait_for_room())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # three held: no getUpdates now
    backlog.done(2)
    assert await asyncio.wait_for(waiting, 1) == 1  # one answered: room for one more
    assert backlog.held == 2


async def test_updates_the_backlog_never_held_do_not_make_room() -> None:
    """Webhook updates and repeats of a done update must not free room for others."""
    backlog = Backlog(limit=2)
    backlog.fetched([10, 11])
    backlog.done(99)
    backlog.done(10)
    backlog.done(10)
    assert backlog.held == 1 and backlog.room == 1
