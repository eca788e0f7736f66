"""The security review's figures (issue #20): hostile webhook requests and hostile content.

    python benchmarks/security.py [--only webhook,nesting,entries]

- webhook: the real bot (`python -m bot run` in webhook mode, a separate process, fixture
  content) behind the fake Bot API. Six concurrent 30 MB POSTs with a wrong secret: their
  statuses and the bot's resident memory before and after (target: 403 each, +40 MiB at most);
  a 2 MB POST with the right secret (refused: over the 1 MB cap); 300 connections that send half
  a request and stop: how many are still open after 20 s; and the bot's log lines by level.
- nesting: a copy of the real content with one file nested 1,001 brackets deep: `validate`'s
  exit code, lines and time; then a bot whose last good copy was saved from the real content
  is restarted on the broken copy: does it answer (from the last good copy)?
- entries: entries in English only beside the real content: 60,000 with an id and nothing else
  (the review's shape), then 15,000 and 60,000 full ones (8 phrasings, answer, sources; files
  of 2,000, each under the 2 MB file limit): the time of `validate` and its summary line, and of
  the cross-language id check alone (it was quadratic: 60,000 took over 300 s).

Times are wall-clock on a shared machine (2 cores, other jobs running): read them as ±20%.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import aiohttp  # noqa: E402

from bot.telegram.privacy import webhook_secret  # noqa: E402
from bot.telegram.webhook import SECRET_HEADER  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "123456:SECURITY-benchmark"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
MIB = 1024 * 1024


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_env(tg: FakeTelegram, state: Path, content: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
           "CONTENT_DIR": str(content), "STATE_FILE": str(state), "LOG_LEVEL": "INFO", **extra}
    if "WEBHOOK_URL" not in extra:
        env.pop("WEBHOOK_URL", None)
    return env


async def post_wrong_secret(url: str, size: int) -> int:
    """One POST of `size` bytes with a wrong secret; the status, or the error's name."""
    async with aiohttp.ClientSession() as http:
        try:
            async with http.post(url, data=io.BytesIO(b"x" * size),
                                 headers={SECRET_HEADER: "wrong"}) as response:
                return response.status
        except aiohttp.ClientError as error:
            return -1 if "reset" in str(error).lower() else -2


async def half_requests(port: int, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /tg/hook HTTP/1.1\r\nHost: x\r\nContent-Len")  # and stop
        sock.setblocking(False)
        sockets.append(sock)
    return sockets


def still_open(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) != b""  # b"": closed by the bot
    except BlockingIOError:
        return True
    except OSError:
        return False


async def webhook() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    with tempfile.TemporaryDirectory() as scratch:
        async with FakeTelegram() as tg:
            env = bot_env(tg, Path(scratch) / "state.sqlite3", FIXTURE_CONTENT,
                          WEBHOOK_URL="https://kyr.example.org/tg/hook", PORT=str(port))
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
            try:
                await tg.wait_for("setWebhook", timeout=60)
                await asyncio.sleep(1.0)
                before = rss_mib(process.pid)
                statuses = await asyncio.gather(*(post_wrong_secret(url, 30 * MIB)
                                                  for _ in range(6)))
                after = rss_mib(process.pid)
                print(f"6 x 30 MB, wrong secret: statuses {statuses}; RSS {before:.0f} -> "
                      f"{after:.0f} MiB (+{after - before:.1f})")
                body, right = b"{" + b" " * (2 * MIB) + b"}", webhook_secret(TOKEN)
                async with aiohttp.ClientSession() as http, http.post(
                        url, data=io.BytesIO(body), headers={SECRET_HEADER: right}) as response:
                    print(f"2 MB body, right secret: status {response.status}")
                sockets = await half_requests(port, 300)
                await asyncio.sleep(20)
                print(f"300 half-sent requests: {sum(map(still_open, sockets))} still open "
                      "after 20 s")
                for sock in sockets:
                    sock.close()
            finally:
                process.terminate()
                await process.wait()
            assert process.stderr is not None
            log = (await process.stderr.read()).decode()
    levels = Counter(line.split()[2] for line in log.splitlines() if len(line.split()) > 2)
    print(f"bot log lines by level: {dict(levels)}")


def broken_copy(scratch: Path) -> Path:
    copy = scratch / "content"
    shutil.copytree(ROOT / "content", copy)
    (copy / "en" / "ice.yaml").write_text("topic: " + "[" * 1001 + "]" * 1001 + "\n")
    return copy


async def nesting() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        copy = broken_copy(scratch)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bot", "validate", str(copy)], cwd=ROOT,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
        lines = (done.stdout + done.stderr).splitlines()
        print(f"validate, one file nested 1,001 deep: exit {done.returncode}, {len(lines)} "
              f"lines, {seconds:.1f} s")
        for line in lines:
            print(f"  {line}")
        state = scratch / "state.sqlite3"
        async with FakeTelegram() as tg:
            for content, label in ((ROOT / "content", "real content"), (copy, "broken copy")):
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", cwd=ROOT,
                    env=bot_env(tg, state, content), stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.PIPE)
                try:
                    calls = len(tg.calls_to("getUpdates"))
                    waiting = asyncio.ensure_future(
                        tg.wait_for("getUpdates", count=calls + 1, timeout=90))
                    exited = asyncio.ensure_future(process.wait())
                    await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
                    if exited.done():
                        waiting.cancel()
                        print(f"bot on the {label}: exited with {process.returncode}")
                        continue
                    exited.cancel()
                    sent = len(tg.calls_to("sendMessage"))
                    tg.send_text("can ICE come into my kid's school?", user_id=5150)
                    await tg.wait_for("sendMessage", count=sent + 1, timeout=30)
                    print(f"bot on the {label}: answered")
                finally:
                    if process.returncode is None:
                        process.terminate()
                        await process.wait()


ENTRY = """  - id: extra-{n}
    question: Where is extra office number {n} open?
    short_title: Extra office {n}
    phrasings:
      - extra office {n} open
      - where is office {n}
      - office {n} hours
      - when does office {n} open
      - is office {n} open today
      - office number {n} address
      - how do i get to office {n}
      - office {n} on weekends
    answer: |
      Office {n} is open on weekdays. Call first to check the hours.
    contacts: [ct-legal-aid]
    sources:
      - title: Office list
        url: https://example.org/offices
    reviewed: 2025-01-15
"""


def extra_entries(copy: Path, count: int) -> None:
    """`count` entries in en/ only (files of 2,000, each under the 2 MB file limit), valid but
    for their missing Spanish translation."""
    from bot.loading import load_knowledge

    contact = next(iter(load_knowledge(ROOT / "content").content("en").contacts))
    for file in range(0, count, 2000):
        body = "".join(ENTRY.format(n=n).replace("ct-legal-aid", contact)
                       for n in range(file, min(count, file + 2000)))
        (copy / "en" / f"extra-{file // 2000:02}.yaml").write_text(
            f"topic: extra-{file // 2000}\ntitle: Extra {file // 2000}\nentries:\n{body}")


def bare_entries(copy: Path, count: int) -> None:
    """`count` entries in en/ with an id and nothing else (each is an error for every missing
    field too): the shape the review measured, where the id check was all of the time."""
    for file in range(0, count, 10_000):
        body = "".join(f"  - id: extra-{n}\n" for n in range(file, min(count, file + 10_000)))
        (copy / "en" / f"extra-{file // 10_000}.yaml").write_text(
            f"topic: extra-{file // 10_000}\ntitle: Extra {file // 10_000}\nentries:\n{body}")


def same_ids_seconds(copy: Path) -> float:
    """The cross-language id check alone (it was quadratic), on the languages as read."""
    from bot.loading.check import language_folders
    from bot.loading.language_folder import read_language
    from bot.loading.translations import check_same_ids

    problems: list = []
    reads = [read_language(folder, copy, problems) for folder in language_folders(copy)]
    languages = {r.lang: r.content for r in reads if r.content is not None}
    started = time.perf_counter()
    check_same_ids(languages, {r.lang: r.places for r in reads}, problems)
    return time.perf_counter() - started


def children_cpu() -> float:
    """CPU seconds of the finished child processes: less distorted by a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def entries() -> None:
    for count, shape, write in ((60_000, "id only", bare_entries), (15_000, "full", extra_entries),
                                (60_000, "full", extra_entries)):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "content"
            shutil.copytree(ROOT / "content", copy)
            write(copy, count)
            started, cpu = time.perf_counter(), children_cpu()
            done = subprocess.run([sys.executable, "-m", "bot", "validate", str(copy)],
                                  cwd=ROOT, capture_output=True, text=True)
            seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
            lines = done.stdout.splitlines()
            print(f"validate, {count:,} entries ({shape}) in en/ only: exit {done.returncode}, "
                  f"{seconds:.1f} s ({cpu:.1f} s of CPU); the id check alone "
                  f"{same_ids_seconds(copy):.2f} s")
            print(f"  {lines[-1] if lines else done.stderr[-300:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="webhook,nesting,entries")
    chosen = parser.parse_args().only.split(",")
    if "webhook" in chosen:
        asyncio.run(webhook())
    if "nesting" in chosen:
        asyncio.run(nesting())
    if "entries" in chosen:
        entries()
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(main())
