"""CPU per answered update: the real bot beside a bare echo bot, in the same run.

    python benchmarks/telegram_cpu.py [--messages 300] [--users 300] [--rounds 2]

Both run as their own process (`python -m bot run` with the real content, and
benchmarks/echo_bot.py: PTB's AIORateLimiter, one reply per message) against the fake Bot API
of tests/fake_telegram.py, which runs in this process so its work is not counted. Each gets the
same burst: `--messages` questions from tests/data/dev_messages.jsonl, from `--users` people,
queued at once. Printed: each bot's CPU seconds (user + system, from /proc) from the first
message queued to the last answer, divided by the answers, and the ratio. Rounds alternate
between the two bots, so that a change in the machine's load hits both.

The machine these figures come from is shared (2 cores, several jobs): absolute times move
with the load, the ratio much less.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from benchmarks.telegram_faults import cpu_seconds, stop_bot  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:CPU-benchmark"


def questions() -> list[str]:
    lines = (ROOT / "tests" / "data" / "dev_messages.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["q"] for line in lines.splitlines() if line.strip()]
    return [t for t in texts if t.strip() and not t.startswith("/")]


async def start(tg: FakeTelegram, kind: str) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
           "CONTENT_DIR": str(ROOT / "content"), "LOG_LEVEL": "WARNING",
           "STATE_FILE": str(Path(tempfile.mkdtemp()) / "bot-state.sqlite3"),
           "PYTHONPATH": str(ROOT)}
    env.pop("WEBHOOK_URL", None)
    command = (["-m", "bot", "run"] if kind == "bot"
               else [str(ROOT / "benchmarks" / "echo_bot.py")])
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    await tg.wait_for("getUpdates", timeout=60)
    await asyncio.sleep(1.0)  # start-up work (command menu, first poll) is not the burst's
    return process


async def burst(kind: str, texts: list[str], messages: int, users: int) -> tuple[float, int]:
    """(CPU seconds, answers) of one bot answering one burst."""
    async with FakeTelegram() as tg:
        process = await start(tg, kind)
        try:
            before = len(tg.calls_to("sendMessage"))
            cpu = cpu_seconds(process.pid)
            for i in range(messages):
                tg.send_text(texts[i % len(texts)], user_id=200_000 + i % users)
            # Every message gets one answer (the bot's burst stays under each person's limit).
            await tg.wait_for("sendMessage", count=before + messages, timeout=300)
            cpu = cpu_seconds(process.pid) - cpu
            answers = len([c for c in tg.calls_to("sendMessage") if c.error_code is None])
        finally:
            await stop_bot(process)
        return cpu, answers - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # a stopped bot's sockets
    texts = questions()
    totals = {"echo": [0.0, 0], "bot": [0.0, 0]}
    print(f"{args.messages} messages from {args.users} people at once, {args.rounds} round(s)")
    for round_number in range(1, args.rounds + 1):
        for kind in ("echo", "bot"):
            started = time.monotonic()
            cpu, answers = asyncio.run(burst(kind, texts, args.messages, args.users))
            totals[kind][0] += cpu
            totals[kind][1] += answers
            print(f"round {round_number} {kind:<4}: {answers} answers in "
                  f"{time.monotonic() - started:.1f} s, CPU {cpu:.2f} s = "
                  f"{1000 * cpu / answers:.2f} ms per answer", flush=True)
    echo = totals["echo"][0] / totals["echo"][1]
    bot = totals["bot"][0] / totals["bot"][1]
    print(f"CPU per answered update: bot {1000 * bot:.2f} ms, echo bot {1000 * echo:.2f} ms: "
          f"x{bot / echo:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
