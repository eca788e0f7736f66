"""Lost and duplicated answers when Telegram misbehaves or the bot is stopped mid-burst.

    python benchmarks/telegram_faults.py [--users 200] [--code DIR] [--mixes clean,5xx,...]
    python benchmarks/telegram_faults.py --reloads 6

The real bot (`python -m bot run`, a separate process, with the real content) polls the fake
Bot API of tests/fake_telegram.py, which answers a share of calls with faults. Each of `--users`
people asks one question at once (a burst). Per fault mix it prints how many people never got
their answer (lost) and how many got it more than once (duplicated), next to the figures in
issue #13 (measured before this work). `--code DIR` runs the bot from another checkout, e.g. an
older commit unpacked with `git archive <commit> | tar -x -C DIR`, to measure "before".

Mixes: clean; 5xx (10% of sends answered 500/502); 429 (10% answered 429, retry after 1 s);
slow (3% of sends answered 6 s late, after taking effect: the client times out at 5 s and may
send again); kill-9 and sigterm (the signal after 40 answers, then a fresh process).

The clean run also gives the CPU one bot process uses while answering at Telegram's cap (the
rate limiter holds it to ~30 messages/s): CPU seconds of the process / wall seconds.

Floods (`--floods private,group`, run after the mixes): one person sends `--flood` (600)
messages at once, or 100 mentions arrive at once in one group, and then 60 other people ask one
question each (queued behind the flood). Printed: the others' time to their answer (p50, p95,
max), what the flooder got (answers, "please wait" notices), the bot's peak RSS.

`--reloads N` measures memory instead: the bot in this process, N /reloads, RSS after each.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from tests.fake_telegram import FakeTelegram, FaultMix  # noqa: E402

TOKEN = "123456:FAULTS-benchmark"
QUESTION = "can ICE come into my kid's school?"
KILL_AFTER_ANSWERS = 40
QUIET_SECONDS = 12.0  # longer than the longest retry pause (about 4.5 s) plus a timeout (5 s)
MIXES = {
    "clean": FaultMix(),
    "5xx": FaultMix(server_errors=0.10),
    "429": FaultMix(rate_limits=0.10, retry_after=1),
    "slow": FaultMix(slow=0.03, slow_seconds=6.0),
    "kill-9": FaultMix(),
    "sigterm": FaultMix(),
}
# Issue #13, measured on the bot before this work (200 users, one question each).
ISSUE_FIGURES = {"clean": "0 lost", "5xx": "21 lost", "429": "0 lost", "kill-9": "150 lost"}


@dataclass
class Outcome:
    lost: int
    duplicated: int
    extra: str = ""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start_bot(tg: FakeTelegram, code: Path, state: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
           "CONTENT_DIR": str(code / "content"), "STATE_FILE": str(state),
           "LOG_LEVEL": "WARNING", "PYTHONPATH": str(code)}
    env.pop("WEBHOOK_URL", None)
    log_file = os.environ.get("BOT_LOG")  # the bot's own log lines, to see what happened
    stderr = open(log_file, "a") if log_file else asyncio.subprocess.DEVNULL  # noqa: SIM115
    if log_file:
        env["LOG_LEVEL"] = "INFO"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=code, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
    )
    before = len(tg.calls_to("getUpdates"))
    await tg.wait_for("getUpdates", count=before + 1, timeout=60)
    return process


async def stop_bot(process: asyncio.subprocess.Process) -> float:
    """SIGTERM and wait; the seconds it took to exit."""
    started = time.monotonic()
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 60)
        except TimeoutError:
            process.kill()
            await process.wait()
    return time.monotonic() - started


def answers_per_chat(tg: FakeTelegram) -> tuple[Counter[int], Counter[int]]:
    """(answers, apologies) per chat. The answer is the text most people received; the burst
    is one question, so every other text is the apology or a part of it."""
    sent = [c for c in tg.calls_to("sendMessage") if c.error_code is None]
    texts = Counter(c.params.get("text", "") for c in sent)
    answer = texts.most_common(1)[0][0] if texts else ""
    answers = Counter(c.params["chat_id"] for c in sent if c.params.get("text") == answer)
    others = Counter(c.params["chat_id"] for c in sent if c.params.get("text") != answer)
    return answers, others


async def wait_until_quiet(tg: FakeTelegram, users: int, timeout: float = 180) -> None:
    """Until everyone got something, or nothing was sent for QUIET_SECONDS."""
    deadline = time.monotonic() + timeout
    seen, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        answers, others = answers_per_chat(tg)
        if len(set(answers) | set(others)) >= users and not tg.pending_updates:
            await asyncio.sleep(1.0)  # a late duplicate would still show up
            return
        calls = len(tg.calls_to("sendMessage"))
        if calls != seen:
            seen, last_change = calls, time.monotonic()
        elif time.monotonic() - last_change > QUIET_SECONDS and not tg.pending_updates:
            return
        await asyncio.sleep(0.2)


async def run_mix(name: str, users: int, code: Path) -> Outcome:
    async with FakeTelegram() as tg:
        state = Path(tempfile.mkdtemp()) / "bot-state.sqlite3"
        process = await start_bot(tg, code, state)
        tg.inject_faults(MIXES[name])
        extra = ""
        try:
            started, cpu_before = time.monotonic(), cpu_seconds(process.pid)
            for user_id in range(100_000, 100_000 + users):
                tg.send_text(QUESTION, user_id=user_id)
            if name in {"kill-9", "sigterm"}:
                await tg.wait_for("sendMessage", count=KILL_AFTER_ANSWERS, timeout=120)
                answered = len(answers_per_chat(tg)[0])
                held = max(0, tg.confirmed - answered)
                unconfirmed = max(0, answered - tg.confirmed)
                extra = (f"at the signal: {held} confirmed to Telegram but unanswered, "
                         f"{unconfirmed} answered but not confirmed yet")
                if name == "kill-9":
                    process.kill()
                    await process.wait()
                else:
                    took = await stop_bot(process)
                    extra += f"; exited {took:.1f} s after SIGTERM (code {process.returncode})"
                process = await start_bot(tg, code, state)  # a redeploy / restart
                await wait_until_quiet(tg, users)
            else:
                await wait_until_quiet(tg, users)
                if name == "clean":
                    answers, _ = answers_per_chat(tg)
                    last = max(c.at for c in tg.calls_to("sendMessage") if c.error_code is None)
                    wall = last - started
                    cpu = cpu_seconds(process.pid) - cpu_before
                    extra = (f"{len(answers)} answers in {wall:.1f} s = {len(answers) / wall:.0f}"
                             f"/s; bot CPU {cpu:.2f} s = {100 * cpu / wall:.0f}% of one core")
        finally:
            await stop_bot(process)
        answers, _others = answers_per_chat(tg)
        everyone = range(100_000, 100_000 + users)
        lost = sum(1 for user_id in everyone if answers[user_id] == 0)
        duplicated = sum(1 for user_id in everyone if answers[user_id] > 1)
        return Outcome(lost, duplicated, extra)


FLOOD_OTHERS = 60
GROUP_FLOOD = 100
WAIT_NOTICE = "faster than I can answer"


def rss_mib_of(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run_flood(kind: str, flood: int, code: Path) -> str:
    """One row: the others' latency behind a flood, and what the flooder got."""
    async with FakeTelegram() as tg:
        state = Path(tempfile.mkdtemp()) / "bot-state.sqlite3"
        process = await start_bot(tg, code, state)
        try:
            flooder = 99_999 if kind == "private" else -100_999
            if kind == "private":
                for _ in range(flood):
                    tg.send_text(QUESTION, user_id=flooder)
            else:
                mention = "@" + tg.bot_user["username"]
                for n in range(GROUP_FLOOD):
                    tg.send_text(f"{mention} {QUESTION}", user_id=50_000 + n % 25,
                                 chat_id=flooder, chat_type="supergroup")
            others = range(100_000, 100_000 + FLOOD_OTHERS)
            queued = {}
            for user_id in others:
                tg.send_text(QUESTION, user_id=user_id)
                queued[user_id] = time.monotonic()
            peak = 0.0
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                peak = max(peak, rss_mib_of(process.pid))
                answered = {c.params["chat_id"] for c in tg.calls_to("sendMessage")
                            if c.error_code is None}
                if set(others) <= answered and not tg.pending_updates:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(2.0)  # what the flooder still gets
        finally:
            await stop_bot(process)
        sent = [c for c in tg.calls_to("sendMessage") if c.error_code is None]
        first: dict[int, float] = {}
        for call in sent:
            first.setdefault(call.params["chat_id"], call.at)
        waits = [first[u] - queued[u] for u in others if u in first]
        lost = len(others) - len(waits)
        to_flooder = [c.params.get("text", "") for c in sent if c.params["chat_id"] == flooder]
        notices = sum(WAIT_NOTICE in t for t in to_flooder)
        what = f"{flood} from one person" if kind == "private" else f"{GROUP_FLOOD} in one group"
        return (f"{kind + ' flood':<14} {what:<22} others p50 {percentile(waits, 0.5):.2f} s, "
                f"p95 {percentile(waits, 0.95):.2f} s, max {max(waits):.2f} s, {lost} unanswered;"
                f" flooder got {len(to_flooder) - notices} answers + {notices} notice(s); "
                f"bot peak RSS {peak:.0f} MiB")


async def measure_reloads(reloads: int) -> None:
    from bot import paths
    from bot.assistant import Assistant, settle_long_lived_objects
    from bot.telegram.app import build_application
    from bot.telegram.config import Settings
    from tests.conftest import running

    def rss_mib() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    async with FakeTelegram() as tg:
        admin = 7
        settings = Settings(token=TOKEN, api_base_url=tg.base_url, admin_ids=frozenset({admin}),
                            content_dir=paths.content_dir(), locale_dir=paths.locale_dir(),
                            state_file=Path(tempfile.mkdtemp()) / "bot-state.sqlite3")
        app = build_application(settings, Assistant.load(settings.content_dir,
                                                         settings.locale_dir))
        settle_long_lived_objects()  # as run_bot does
        async with running(app):
            previous = rss_mib()
            print(f"RSS after start: {previous:.1f} MiB")
            for n in range(1, reloads + 1):
                tg.send_text("/reload", user_id=admin)
                await tg.wait_for("sendMessage", lambda c: c.params["chat_id"] == admin,
                                  count=n, timeout=120)
                await asyncio.sleep(0.5)
                now = rss_mib()
                print(f"after /reload {n}: {now:.1f} MiB ({now - previous:+.1f} MiB)")
                previous = now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run the bot from")
    parser.add_argument("--mixes", default=",".join(MIXES), help="comma-separated, of: "
                        + ", ".join(MIXES) + " (empty: none)")
    parser.add_argument("--reloads", type=int, default=0, help="measure RSS over N /reloads")
    parser.add_argument("--floods", default="private,group",
                        help="comma-separated, of: private, group (empty: none)")
    parser.add_argument("--flood", type=int, default=600, help="messages from the flooder")
    args = parser.parse_args()
    # A killed bot drops its connections mid-request: not news for the fake server's log.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    if args.reloads:
        asyncio.run(measure_reloads(args.reloads))
        return 0
    code = args.code.resolve()
    print(f"bot from {code}; {args.users} people, one question each, all at once\n")
    print(f"{'fault mix':<10} {'lost':>5} {'duplicated':>11}   {'issue #13 (before)':<19} notes")
    for name in [name for name in args.mixes.split(",") if name]:
        with contextlib.suppress(KeyboardInterrupt):
            outcome = asyncio.run(run_mix(name, args.users, code))
            print(f"{name:<10} {outcome.lost:>5} {outcome.duplicated:>11}   "
                  f"{ISSUE_FIGURES.get(name, '-'):<19} {outcome.extra}", flush=True)
    floods = [kind for kind in args.floods.split(",") if kind]
    if floods:
        print(f"\nfloods, then {FLOOD_OTHERS} other people with one question each")
    for kind in floods:
        with contextlib.suppress(KeyboardInterrupt):
            print(asyncio.run(run_flood(kind, args.flood, code)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
