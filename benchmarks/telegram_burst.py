"""End-to-end throughput and latency of the Telegram bot, against the local fake Bot API.

    python benchmarks/telegram_burst.py [--users 200] [--messages 500]

The real Application (polling, rate limiter, handlers, rendering) runs against
tests/fake_telegram.py on 127.0.0.1, so the figures include PTB and HTTP but no network.
1. one at a time: a message, wait for the answer, next (end-to-end latency);
2. a burst: every message queued at once from many users (throughput, time to answer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot import paths  # noqa: E402
from bot.assistant import Assistant, settle_long_lived_objects  # noqa: E402
from bot.telegram.app import build_application, polling_options  # noqa: E402
from bot.telegram.config import Settings  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def measure(users: int, messages: int) -> None:
    lines = (ROOT / "tests" / "data" / "dev_messages.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["q"] for line in lines.splitlines() if line.strip()]
    texts = [t for t in texts if t.strip() and not t.startswith("/")]
    async with FakeTelegram() as tg:
        state = Path(tempfile.mkdtemp()) / "bot-state.sqlite3"
        settings = Settings(token="123456:BENCH", api_base_url=tg.base_url,
                            content_dir=paths.content_dir(), locale_dir=paths.locale_dir(),
                            state_file=state)
        app = build_application(settings, Assistant.load(settings.content_dir,
                                                         settings.locale_dir))
        settle_long_lived_objects()  # as run_bot does
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(**polling_options())
        await app.start()
        try:
            sequential: list[float] = []
            for i in range(50):
                before = len(tg.calls_to("sendMessage"))
                started = time.monotonic()
                tg.send_text(texts[i % len(texts)], user_id=10_000 + i)
                await tg.wait_for("sendMessage", count=before + 1, timeout=10)
                sequential.append((time.monotonic() - started) * 1000)
            cold, warm = sequential[0], sequential[1:]
            print(f"one at a time (50 messages): first (cold) {cold:.1f} ms; then p50 "
                  f"{statistics.median(warm):.1f} ms, p99 {percentile(warm, 0.99):.1f} ms from "
                  "update queued to answer sent")

            before = len(tg.calls_to("sendMessage"))
            started = time.monotonic()
            for i in range(messages):
                tg.send_text(texts[i % len(texts)], user_id=20_000 + i % users,
                             language_code="es" if i % 3 else "en")
            calls = await tg.wait_for("sendMessage", count=before + messages, timeout=300)
            elapsed = time.monotonic() - started
            answered = [(c.at - started) * 1000 for c in calls[before:]]
            print(f"burst ({messages} messages from {users} users, queued at once): all answered "
                  f"in {elapsed:.2f} s = {messages / elapsed:,.0f} messages/s; time to answer "
                  f"p50 {statistics.median(answered):.0f} ms, p99 "
                  f"{percentile(answered, 0.99):.0f} ms")
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)  # 2-3 each: under the flood gate
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(measure(args.users, args.messages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
