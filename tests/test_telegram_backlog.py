"""The backlog (bot/telegram/backlog.py) on its own: room, the offset that confirms only handled
updates, repeats of what is held, and the flood gate's skips."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.telegram.backlog import Backlog
from bot.telegram.fairness import Verdict


def updates(*ids: int) -> list[dict[str, Any]]:
    return [{"update_id": update_id, "message": {}} for update_id in ids]


def ids(taken: list[Any]) -> list[int]:
    return [update["update_id"] for update in taken]


async def test_fetching_waits_while_the_backlog_is_full() -> None:
    backlog = Backlog(limit=3)
    assert await backlog.wait_for_room() == 3
    assert ids(backlog.take(updates(1, 2, 3, 4))) == [1, 2, 3]  # 4 stays with Telegram
    waiting = asyncio.create_task(backlog.wait_for_room())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # three held: no getUpdates now
    backlog.done(2)
    assert await asyncio.wait_for(waiting, 1) == 1  # one answered: room for one more
    assert backlog.held == 2


async def test_updates_the_backlog_never_held_do_not_make_room() -> None:
    """Webhook updates and repeats of a done update must not free room for others."""
    backlog = Backlog(limit=2)
    backlog.take(updates(10, 11))
    backlog.done(99)
    backlog.done(10)
    backlog.done(10)
    assert backlog.held == 1 and backlog.room == 1


def test_the_offset_confirms_only_what_was_handled() -> None:
    backlog = Backlog()
    assert backlog.offset is None  # nothing taken: Telegram's own first unconfirmed update
    backlog.take(updates(5, 6, 7))
    assert backlog.offset == 5
    backlog.done(6)  # answered out of order: 5 is still being answered, so 6 stays with Telegram
    assert backlog.offset == 5
    backlog.done(5)
    assert backlog.offset == 7
    backlog.done(7)
    assert backlog.offset == 8 and backlog.held == 0


def test_what_telegram_hands_over_again_is_not_taken_twice() -> None:
    backlog = Backlog()
    assert ids(backlog.take(updates(5, 6))) == [5, 6]
    backlog.done(6)
    assert ids(backlog.take(updates(5, 6, 7))) == [7]  # 5 held, 6 answered: only 7 is new
    assert not backlog.only_repeats
    assert backlog.take(updates(5, 6, 7)) == []
    assert backlog.only_repeats  # nothing new: the bot waits for a change before asking again
    backlog.done(5)
    backlog.done(7)
    # A reply to a getUpdates sent before 5 and 7 were confirmed can still hold them.
    assert backlog.take(updates(5, 6, 7)) == [] and backlog.held == 0


def test_skipped_updates_take_no_slot_and_are_confirmed() -> None:
    verdicts: dict[int, Verdict] = {1: "answer", 2: "notice", 3: "skip", 4: "skip", 5: "answer"}
    backlog = Backlog(limit=3, judge=lambda update: verdicts[update["update_id"]])
    assert ids(backlog.take(updates(1, 2, 3, 4, 5))) == [1, 2, 5]
    assert backlog.held == 3
    assert backlog.is_notice(2) and not backlog.is_notice(1)
    for update_id in (1, 2, 5):
        backlog.done(update_id)
    assert backlog.offset == 6  # the skipped 3 and 4 are confirmed with the others
    assert backlog.take(updates(3, 4)) == []  # and never judged again


def test_an_update_without_an_id_is_left_to_the_parser() -> None:
    backlog = Backlog()
    assert backlog.take([{"message": {}}]) == [{"message": {}}]
    assert backlog.held == 0
