"""Fair shares under a flood: one sender who writes faster than anyone reads cannot hold the
bot back for everyone else.

Why: answers leave at about 30 messages a second in all, one a second into a private chat and
20 a minute into a group (Telegram's limits). One person who sends 600 messages at once (a
prankster, or a panicked group chat during a raid) would otherwise have all 600 answered first,
while 60 other people wait 20 s for theirs; a group that mentions the bot 100 times fills the
backlog with replies that Telegram lets out at 20 a minute, and nothing else is fetched.

The rule, per person (their user id, in every chat) and per group chat, decided when an update
is fetched and before it takes a backlog slot (bot/telegram/backlog.py):
- a person may send `PERSON.burst` (4) messages at once, then one every `PERSON.every` (3 s,
  20 a minute): people often split one question into two to four short messages, and nobody
  reads an answer in under three seconds;
- a group may send `GROUP.burst` (5) at once, then one every 4 s (15 a minute): Telegram lets a
  bot send 20 a minute into a group, and this leaves room for the notices and the multi-part
  replies, so a reply almost never waits on the group's budget while it holds a slot;
- past that, the sender gets one short "please wait a moment" (`notice`, at most one a minute),
  and the rest is skipped: never stored, only counted (`FloodGate.skipped`, shown in /stats);
- a message written as it happens ("ICE está en mi puerta") is answered over the limit too,
  once a minute (`URGENT_EVERY_SECONDS`): the right-now steps must never be held back. Over the
  limit, up to 20 messages at once, then one every 3 s, are read for urgency (`URGENCY_CHECKS`):
  a script sending thousands cannot make the gate read them all.

Button presses (quicker than writing: browsing the topics) and inline queries (the user typing
"@bot ..." anywhere, one at every keystroke) have budgets of their own (`BUTTONS`, `INLINE`);
over them they are skipped silently (a button press or an inline query has no chat to tell).

Memory stays bounded whatever anyone sends: two numbers per sender, for at most `MAX_SENDERS`
senders (the least recently seen are forgotten first), and nothing of what they wrote.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["answer", "notice", "skip"]
Key = tuple[str, int]

URGENT_EVERY_SECONDS = 60.0  # an urgent message over the limit is still answered this often
# Over the limit, at most URGENCY_CHECKS.burst messages at once (then one every 3 s) per sender
# are read for urgency: reading is cheap but not free (a few ms for a long message), and a
# script sending thousands must not make the gate read them all; someone typing sends fewer.
# Over the limit, at most this many messages a minute per sender are read for urgency: reading
# is cheap but not free (up to a few ms for a long message), and a script sending thousands
# must not make the gate read them all. Someone typing by hand sends far fewer.
NOTICE_EVERY_SECONDS = 60.0  # at most one "please wait a moment" a minute per sender
MAX_SENDERS = 20_000  # about 3 MiB of buckets at most


@dataclass(frozen=True)
class Budget:
    """A token bucket: `burst` messages at once, then one every `every` seconds."""

    burst: float
    every: float


URGENCY_CHECKS = Budget(burst=20, every=3.0)  # see above
PERSON = Budget(burst=4, every=3.0)  # 20 a minute
GROUP = Budget(burst=5, every=4.0)  # 15 a minute; Telegram sends 20 a minute into a group
BUTTONS = Budget(burst=10, every=1.0)  # browsing topics is quicker than writing
INLINE = Budget(burst=20, every=0.5)  # keystrokes


class _Sender:
    """What the gate remembers about one sender: its bucket and two timestamps, no content."""

    __slots__ = ("checks", "last_notice", "last_urgent", "tokens", "updated")

    def __init__(self, budget: Budget, now: float) -> None:
        self.tokens = budget.burst
        self.checks = URGENCY_CHECKS.burst
        self.updated = now
        self.last_notice = -float("inf")
        self.last_urgent = -float("inf")

    def refill(self, budget: Budget, now: float) -> None:
        elapsed = now - self.updated
        self.tokens = min(budget.burst, self.tokens + elapsed / budget.every)
        self.checks = min(URGENCY_CHECKS.burst, self.checks + elapsed / URGENCY_CHECKS.every)
        self.updated = now


@dataclass(frozen=True)
class Sender:
    """Who sent an update, read from its JSON: the keys whose budgets it spends."""

    keys: tuple[tuple[Key, Budget], ...]
    text: str  # what urgency is read from ("" for a button press)
    can_notice: bool  # there is a chat to tell "please wait" in


def sender_of(update: dict[str, Any]) -> Sender | None:
    """The budgets an update (as Telegram sent it) spends; None for kinds that are not limited."""
    message = update.get("message")
    if isinstance(message, dict):
        chat = message.get("chat") or {}
        user = message.get("from") or {}
        text = message.get("text") or message.get("caption") or ""
        keys: list[tuple[Key, Budget]] = []
        if isinstance(user.get("id"), int):
            keys.append((("person", user["id"]), PERSON))
        if chat.get("type") != "private" and isinstance(chat.get("id"), int):
            keys.append((("group", chat["id"]), GROUP))
        return Sender(tuple(keys), text if isinstance(text, str) else "", True) if keys else None
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance((query.get("from") or {}).get("id"), int):
        return Sender(((("buttons", query["from"]["id"]), BUTTONS),), "", False)
    inline = update.get("inline_query")
    if isinstance(inline, dict) and isinstance((inline.get("from") or {}).get("id"), int):
        return Sender(((("inline", inline["from"]["id"]), INLINE),), "", False)
    return None


class FloodGate:
    """Decides, per update and in arrival order, whether it is answered, gets the one notice,
    or is skipped. `is_urgent` reads a message's text (the Assistant's urgency detector);
    `clock` is a fake in tests."""

    def __init__(self, is_urgent: Callable[[str], bool],
                 clock: Callable[[], float] = time.monotonic,
                 max_senders: int = MAX_SENDERS) -> None:
        self.is_urgent = is_urgent
        self.clock = clock
        self.max_senders = max_senders
        self.skipped = 0  # messages not answered because their sender was over the limit
        self.notices = 0
        self._senders: OrderedDict[Key, _Sender] = OrderedDict()

    def verdict(self, update: dict[str, Any]) -> Verdict:
        sender = sender_of(update)
        if sender is None:
            return "answer"
        now = self.clock()
        states = [(self._state(key, budget, now), budget) for key, budget in sender.keys]
        if all(state.tokens >= 1 for state, _ in states):
            for state, _ in states:
                state.tokens -= 1
            return "answer"
        if (sender.text and all(now - s.last_urgent >= URGENT_EVERY_SECONDS for s, _ in states)
                and self._may_read(states) and self.is_urgent(sender.text)):
            for state, _ in states:
                state.last_urgent = now
            return "answer"
        if sender.can_notice and all(now - s.last_notice >= NOTICE_EVERY_SECONDS
                                     for s, _ in states):
            for state, _ in states:
                state.last_notice = now
            self.notices += 1
            return "notice"
        self.skipped += 1
        return "skip"

    @staticmethod
    def _may_read(states: list[tuple[_Sender, Budget]]) -> bool:
        """Whether this over-the-limit message may still be read for urgency (and count it)."""
        if any(state.checks < 1 for state, _ in states):
            return False
        for state, _ in states:
            state.checks -= 1
        return True

    @property
    def senders(self) -> int:
        return len(self._senders)

    def _state(self, key: Key, budget: Budget, now: float) -> _Sender:
        state = self._senders.get(key)
        if state is None:
            state = self._senders[key] = _Sender(budget, now)
            while len(self._senders) > self.max_senders:
                self._senders.popitem(last=False)  # the least recently seen
        else:
            self._senders.move_to_end(key)
            state.refill(budget, now)
        return state
