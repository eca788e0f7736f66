"""Fair shares under a flood (bot/telegram/fairness.py) and Telegram's per-chat pacing
(sending.py): one sender who writes faster than anyone reads gets a few answers and one "please
wait", and everyone else is answered as usual. Clocks are fakes: no timing assumptions."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.telegram.fairness import MAX_SENDERS, PERSON, URGENCY_CHECKS, FloodGate, Verdict
from bot.telegram.sending import ChatRateLimiter, Pacer
from tests.conftest import ADMIN_ID, FakeClock, Launch, Person
from tests.fake_telegram import FakeTelegram

SCHOOL = "can ice go into my kids school"
SCHOOL_ANSWER = "FIXTURE-SCHOOL-ICE"
URGENT = "ICE is at my door right now"
WAIT = "faster than I can answer"


def message(text: str = "hello", user: int = 1, chat: int | None = None) -> dict[str, Any]:
    chat_id = user if chat is None else chat
    kind = "private" if chat_id > 0 else "supergroup"
    return {"update_id": 1, "message": {"text": text, "from": {"id": user},
                                        "chat": {"id": chat_id, "type": kind}}}


def never_urgent(text: str) -> bool:
    return False


def verdicts(gate: FloodGate, updates: list[dict[str, Any]]) -> list[Verdict]:
    return [gate.verdict(update) for update in updates]


# -- the gate on its own -------------------------------------------------------------------------
def test_a_flood_gets_the_first_few_answers_one_notice_and_nothing_more() -> None:
    gate = FloodGate(never_urgent, clock=FakeClock())
    burst = int(PERSON.burst)
    got = verdicts(gate, [message() for _ in range(100)])
    assert got == ["answer"] * burst + ["notice"] + ["skip"] * (99 - burst)
    assert gate.skipped == 99 - burst and gate.notices == 1


def test_someone_else_is_not_held_back_by_a_flooder() -> None:
    gate = FloodGate(never_urgent, clock=FakeClock())
    verdicts(gate, [message(user=1) for _ in range(100)])
    assert gate.verdict(message(user=2)) == "answer"


def test_the_budget_comes_back_at_one_message_every_few_seconds() -> None:
    clock = FakeClock()
    gate = FloodGate(never_urgent, clock=clock)
    verdicts(gate, [message() for _ in range(10)])
    clock.now += PERSON.every
    assert gate.verdict(message()) == "answer"
    assert gate.verdict(message()) == "skip"  # the notice was given a moment ago


def test_an_urgent_message_over_the_limit_is_answered_once_a_minute() -> None:
    clock = FakeClock()
    gate = FloodGate(lambda text: "door" in text, clock=clock)
    verdicts(gate, [message() for _ in range(10)])
    assert verdicts(gate, [message(URGENT), message(URGENT)]) == ["answer", "skip"]
    clock.now += 61
    verdicts(gate, [message() for _ in range(10)])  # over the limit again
    assert gate.verdict(message(URGENT)) == "answer"


def test_a_flood_cannot_make_the_gate_read_every_message() -> None:
    reads: list[str] = []

    def reading(text: str) -> bool:
        reads.append(text)
        return False

    clock = FakeClock()
    gate = FloodGate(reading, clock=clock)
    verdicts(gate, [message() for _ in range(1000)])
    assert len(reads) == URGENCY_CHECKS.burst
    clock.now += 60  # a minute later a few more are read again
    verdicts(gate, [message() for _ in range(1000)])
    assert URGENCY_CHECKS.burst < len(reads) <= 2 * URGENCY_CHECKS.burst


def test_a_group_has_one_budget_for_all_its_members() -> None:
    gate = FloodGate(never_urgent, clock=FakeClock())
    group = -100123
    got = verdicts(gate, [message(user=user, chat=group) for user in range(1, 40)])
    assert got.count("answer") == 5 and got.count("notice") == 1
    assert gate.verdict(message(user=99)) == "answer"  # in their private chat: their own budget


def test_buttons_and_inline_queries_have_their_own_budgets_and_are_never_told() -> None:
    gate = FloodGate(never_urgent, clock=FakeClock())
    press = {"update_id": 1, "callback_query": {"from": {"id": 1}, "data": "x"}}
    inline = {"update_id": 1, "inline_query": {"from": {"id": 1}, "query": "ice"}}
    assert "notice" not in verdicts(gate, [press] * 50 + [inline] * 50)
    assert gate.verdict(message(user=1)) == "answer"  # typing and tapping spend no messages


def test_memory_stays_bounded_whatever_arrives() -> None:
    gate = FloodGate(never_urgent, clock=FakeClock(), max_senders=100)
    for user in range(1, 5000):
        gate.verdict(message(user=user))
    assert gate.senders == 100
    assert MAX_SENDERS >= 10_000


def test_updates_without_a_sender_are_not_limited() -> None:
    gate = FloodGate(never_urgent, clock=FakeClock())
    assert verdicts(gate, [{"update_id": 1}] * 20) == ["answer"] * 20


# -- pacing --------------------------------------------------------------------------------------
def test_a_pacer_lets_a_burst_through_then_spaces_calls_in_order() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=1.0, burst=3, clock=clock)
    assert [pacer.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]
    clock.now += 10
    assert pacer.idle() and pacer.reserve() == 0.0


def test_private_chats_and_groups_are_paced_apart() -> None:
    clock = FakeClock()
    limiter = ChatRateLimiter(clock=clock)
    private, group = limiter.chat_pacer(5), limiter.chat_pacer(-100)
    assert sum(private.reserve() > 0 for _ in range(6)) == 1  # a burst of five, then 1/s
    assert sum(group.reserve() > 0 for _ in range(21)) == 1  # 20 a minute
    assert limiter.chat_pacer(6).reserve() == 0.0  # another chat is not held back


async def test_a_429_pauses_only_the_chat_it_came_from(
    tg: FakeTelegram, launch: Launch
) -> None:
    await launch()
    tg.fail_next("sendMessage", status=429, retry_after=5)  # others go on meanwhile
    slow, other = Person(tg, user_id=501), Person(tg, user_id=502)
    tg.send_text(SCHOOL, user_id=slow.user_id)
    await tg._wait_until(lambda: bool(tg.calls_to("sendMessage")), 10)  # drew the 429
    assert SCHOOL_ANSWER in await other.ask(SCHOOL)
    await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == slow.user_id, timeout=15)
    order = [c.params["chat_id"] for c in tg.calls_to("sendMessage")]
    assert order == [slow.user_id, other.user_id, slow.user_id]


# -- end to end ----------------------------------------------------------------------------------
def answers_to(tg: FakeTelegram, chat: int) -> list[str]:
    return [c.params["text"] for c in tg.calls_to("sendMessage")
            if c.error_code is None and c.params["chat_id"] == chat]


async def flood_then_others(tg: FakeTelegram, flood: list[dict[str, Any]],
                            others: range) -> None:
    for kwargs in flood:
        tg.send_text(SCHOOL, **kwargs)
    for user_id in others:
        tg.send_text(SCHOOL, user_id=user_id)
    await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] in others,
                      count=len(others), timeout=30)
    assert await tg.all_confirmed(10)  # the skipped ones too: nothing left at Telegram


async def test_a_private_flood_gets_a_few_answers_and_one_please_wait(
    tg: FakeTelegram, launch: Launch
) -> None:
    app = await launch()
    app.runtime.flood.clock = FakeClock()  # the whole flood at one instant
    flooder, others = 600, range(700, 710)
    await flood_then_others(tg, [{"user_id": flooder}] * 100, others)
    texts = answers_to(tg, flooder)
    assert sum(SCHOOL_ANSWER in t for t in texts) == PERSON.burst
    assert sum(WAIT in t for t in texts) == 1 and len(texts) == PERSON.burst + 1
    assert all(answers_to(tg, user) == answers_to(tg, others[0]) for user in others)
    assert SCHOOL_ANSWER in answers_to(tg, others[0])[0]
    stats = await Person(tg, user_id=ADMIN_ID).ask("/stats")
    skipped = 100 - PERSON.burst - 1
    assert f"{skipped} skipped, 1 told to wait a moment" in stats
    assert str(flooder) not in stats


async def test_a_group_flood_gets_a_few_answers_and_one_please_wait(
    tg: FakeTelegram, launch: Launch
) -> None:
    app = await launch()
    app.runtime.flood.clock = FakeClock()
    group, mention = -100777, f"@{tg.bot_user['username']}"
    flood = [{"user_id": 800 + n % 20, "chat_id": group, "chat_type": "supergroup"}
             for n in range(100)]
    for kwargs in flood:
        tg.send_text(f"{mention} {SCHOOL}", **kwargs)
    others = range(900, 910)
    for user_id in others:
        tg.send_text(SCHOOL, user_id=user_id)
    await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] in others,
                      count=len(others), timeout=30)
    assert await tg.all_confirmed(10)
    texts = answers_to(tg, group)
    assert sum(SCHOOL_ANSWER in t for t in texts) == 5
    assert sum(WAIT in t for t in texts) == 1


async def test_the_right_now_steps_get_through_a_flood(tg: FakeTelegram, launch: Launch) -> None:
    app = await launch()
    app.runtime.flood.clock = FakeClock()
    person = Person(tg, user_id=650)
    for _ in range(20):
        tg.send_text(SCHOOL, user_id=person.user_id)
    tg.send_text(URGENT, user_id=person.user_id)
    await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == 650,
                      count=PERSON.burst + 2, timeout=20)
    assert await tg.all_confirmed(10)
    texts = answers_to(tg, 650)
    assert len(texts) == PERSON.burst + 2  # the answers, the notice, the right-now steps
    assert sum(WAIT in t for t in texts) == 1
    assert "911" in texts[-1]


async def test_the_please_wait_is_in_the_persons_language(
    tg: FakeTelegram, launch: Launch
) -> None:
    app = await launch()
    app.runtime.flood.clock = FakeClock()
    for _ in range(10):
        tg.send_text("puede mi hijo ir a la escuela sin papeles", user_id=660,
                     language_code="es")
    await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == 660,
                      count=PERSON.burst + 1, timeout=20)
    assert await tg.all_confirmed(10)
    assert sum("más rápido de lo que puedo responderlos" in t
               for t in answers_to(tg, 660)) == 1


async def test_a_webhook_flood_is_judged_the_same_way() -> None:
    """The webhook path uses the same gate before a slot (webhook.UpdateReceiver)."""
    from bot.telegram.backlog import Backlog
    from bot.telegram.webhook import UpdateReceiver

    gate = FloodGate(never_urgent, clock=FakeClock())
    backlog = Backlog(judge=gate.verdict)
    queue: asyncio.Queue[object] = asyncio.Queue()

    class NoCallbackData:
        def insert_callback_data(self, update: object) -> None:
            pass

    receiver = UpdateReceiver(NoCallbackData(), queue, backlog, "s")  # type: ignore[arg-type]
    import json
    for n in range(30):
        body = {"update_id": n + 1, "message": {
            "message_id": n + 1, "date": 0, "text": SCHOOL,
            "chat": {"id": 5, "type": "private"}, "from": {"id": 5, "is_bot": False,
                                                           "first_name": "A"}}}
        await receiver.receive(json.dumps(body).encode())
    assert queue.qsize() == PERSON.burst + 1
    assert backlog.held == PERSON.burst + 1 and gate.skipped == 30 - PERSON.burst - 1
