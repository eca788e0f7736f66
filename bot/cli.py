"""Command line: `python -m bot [run|chat|match|validate|try|report|calibrate|card|flyer]`,
thin layers over the core.

- run       the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set)
- chat      the console chat over the same core (the default when no TELEGRAM_BOT_TOKEN is set)
- match     one JSON decision per input line, for organizers, checks and benchmarks
- validate  check the content folder; every problem with file and line; non-zero exit on errors
- try       what the bot would do with one message, in words (or --json), for organizers
- report    what people asked per week and language, from the counts in the state file
- calibrate refit the ranking settings and answer decision on the tuning sets (decision.json)
- card      a wallet card to print (PDF), its QR code opening the bot at an answer
- flyer     a flyer to print (PDF), a QR code to each of its questions
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from bot import paths
from bot.assistant import Assistant
from bot.dry_run import dry_run
from bot.loading import ContentError, inspect_content
from bot.loading.due import DEFAULT_DAYS, due_for_review, due_lines, due_summary
from bot.loading.last_good import last_good_dir
from bot.loading.report import print_problems, report_lines
from bot.loading.since import Baseline, edit_since, find_baseline
from bot.stats import utc_today
from bot.stdio import input_lines, silence_closed_stdout, tolerant_stdout
from bot.telegram.config import (  # plain settings code: imports nothing of Telegram
    LOG_LEVELS,
    OLD_DEFAULT_STATE_FILES,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the Telegram bot")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--lang", help="answer in this language (default: the message's language)")
    commands.add_parser("match", help="read questions on stdin, print one JSON decision per line")
    validate = commands.add_parser("validate", help="check the content files")
    validate.add_argument("content_dir", nargs="?", type=Path,
                          help="default: the content/ folder of this repository")
    validate.add_argument("--notes", action="store_true",
                          help="also list the review notes, as a checklist grouped by file")
    validate.add_argument("--collisions", action="store_true",
                          help="list every phrasing the bot would answer with another entry")
    validate.add_argument("--due", nargs="?", type=positive_int, const=DEFAULT_DAYS,
                          metavar="DAYS", help="also list the entries reviewed more than DAYS "
                          f"ago (default {DEFAULT_DAYS}) and every RE-VERIFY note, oldest first")
    validate.add_argument("--since", metavar="FOLDER_OR_REVISION",
                          help="name first the problems of lines changed since this content "
                               "folder or git revision (default: the bot's last good copy "
                               "next to STATE_FILE, else git HEAD)")
    validate.add_argument("--quiet", action="store_true", help=argparse.SUPPRESS)  # the default
    trial = commands.add_parser("try", help="show what the bot would do with a message")
    trial.add_argument("message", help="the message, in quotes")
    trial.add_argument("--lang", help="the person's app language, a hint (en, es, ...)")
    trial.add_argument("--json", action="store_true", help="one JSON object, for scripts")
    trial.add_argument("content_dir", nargs="?", type=Path,
                       help="default: the content/ folder of this repository")
    report = commands.add_parser(
        "report", help="what people asked, per week and language, from the counts only")
    report.add_argument("--state", type=Path, metavar="FILE",
                        help="the bot's state file (default: $STATE_FILE, else where "
                             "`run` keeps it)")
    report.add_argument("--weeks", type=positive_int, metavar="N",
                        help="only the last N weeks, this one included (default: every week)")
    report.add_argument("--csv", action="store_true",
                        help="one row per week, language, kind and id, for a spreadsheet")
    calibrate = commands.add_parser(
        "calibrate", help="refit the answer decision on the tuning sets (decision.json)"
    )
    calibrate.add_argument("--data", type=Path, default=Path("tests/data"),
                           help="folder of the tuning sets (default: tests/data)")
    calibrate.add_argument("--output", type=Path, help="default: bot/matching/decision.json")
    calibrate.add_argument("--keep-ranking", action="store_true",
                           help="refit only the decision, keeping BM25, classifier and fusion")
    add_paper_commands(commands)
    args = parser.parse_args(argv)

    command = args.command or ("run" if os.environ.get("TELEGRAM_BOT_TOKEN") else "chat")
    level = os.environ.get("LOG_LEVEL", "INFO" if command == "run" else "WARNING").upper()
    if level not in LOG_LEVELS:
        print(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}", file=sys.stderr)
        return 2
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:  # `validate --collisions | head`: a reader that goes away ends the command quietly
        if command == "report":
            return usage_report(args.state or default_state_file(), args.weeks, args.csv,
                                sys.stdout)
        if command == "validate":
            content_dir = args.content_dir or paths.content_dir()
            baseline = find_baseline(content_dir, args.since,
                                     last_good_dir(default_state_file()))
            if args.since and baseline is None:
                print(f"--since {args.since}: neither a folder nor a git revision of "
                      f"{content_dir}.", file=sys.stderr)
                return 2
            return validate_content(content_dir, sys.stdout, notes=args.notes,
                                    collisions=args.collisions, since=baseline,
                                    due_days=args.due)
        if command == "try":
            return try_message(args.content_dir or paths.content_dir(), args.message, args.lang,
                               args.json, sys.stdout)
    except BrokenPipeError:
        silence_closed_stdout()
        return 0
    if command in ("card", "flyer"):
        return print_paper(args)
    if command == "calibrate":
        return calibrate_decision(args.data, args.output, not args.keep_ranking)
    if command == "run":
        from bot.telegram.app import run_bot  # imported here: chat and match need no Telegram

        return run_bot()
    try:
        assistant = Assistant.load(paths.content_dir(), paths.locale_dir())
    except ContentError as error:
        print_problems(error.problems, sys.stderr, quiet=True)
        print("The content has errors; run `python -m bot validate` for details.", file=sys.stderr)
        return 2
    tolerant_stdout()
    try:
        if command == "match":
            return match_lines(assistant, input_lines(sys.stdin.buffer), sys.stdout)
        from bot.console import run_console

        return run_console(assistant, getattr(args, "lang", None))
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say to it
        silence_closed_stdout()
        return 0


def add_paper_commands(commands: argparse._SubParsersAction) -> None:
    for kind, about in (("card", "a wallet card (3.5 x 2 in, front and back) to print, as PDF"),
                        ("flyer", "a flyer (one US Letter page) to print, as PDF")):
        paper = commands.add_parser(kind, help=about)
        paper.add_argument("--lang", help="the language (default: en)")
        paper.add_argument("--out", type=Path, help=f"the PDF to write (default: {kind}-LANG.pdf)")
        paper.add_argument("--bot-username", help="the bot's @username for the QR codes "
                           "(default: BOT_USERNAME, else asked of Telegram with the token)")
        if kind == "card":
            paper.add_argument("--sheet", action="store_true",
                               help="ten cards on a US Letter sheet, with cut marks")
        else:
            paper.add_argument("--topic", help="a topic's questions (default: the main ones)")
            paper.add_argument("--a4", action="store_true", help="an A4 page instead of Letter")


def print_paper(args: argparse.Namespace) -> int:
    """`card` / `flyer`: the PDF (see bot/printing/paper.py), or one line saying what is wrong."""
    try:
        from bot.printing import PrintError
        from bot.printing.paper import PaperRequest, make_paper
    except ImportError as error:
        print(f"printing needs the print extra ({error.name} is missing): "
              "python -m pip install -e \".[print]\"", file=sys.stderr)
        return 1
    from bot.telegram.identity import UsernameUnavailable, username_from_telegram

    request = PaperRequest(args.command, args.lang, args.out, args.bot_username,
                           getattr(args, "topic", None), getattr(args, "sheet", False),
                           getattr(args, "a4", False))
    try:
        out = make_paper(request, paths.content_dir(), paths.locale_dir(),
                         ask_telegram=lambda: username_from_telegram(os.environ))
    except (PrintError, UsernameUnavailable) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def default_state_file() -> Path:
    """Where `run` keeps its state (bot/telegram/config.py): STATE_FILE, else a state file at the
    old default in the current folder, else the user's state folder. Found, never created."""
    if configured := os.environ.get("STATE_FILE"):
        return Path(configured)
    old = Path(OLD_DEFAULT_STATE_FILES[0])
    return old if old.is_file() else paths.default_state_file()


def usage_report(state_file: Path, weeks: int | None, as_csv: bool, out: TextIO,
                 today: date | None = None) -> int:
    """`report`: the weekly counts of the state file, in words or as CSV (bot/gap_report.py)."""
    from bot import gap_report
    from bot.state import read_weekly_counts

    try:
        stored = read_weekly_counts(state_file)
    except FileNotFoundError:
        print(f"No state file at {state_file}: the bot writes it where STATE_FILE says; pass "
              "--state FILE to read another one.", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error) as error:
        print(f"{state_file} cannot be read as the bot's state file ({type(error).__name__}: "
              f"{error}).", file=sys.stderr)
        return 2
    counts = gap_report.select(gap_report.from_legacy(stored), weeks, today or utc_today())
    if as_csv:
        gap_report.write_csv(counts, out)
    else:
        out.write("\n".join(gap_report.report_lines(counts, str(state_file), weeks)) + "\n")
    return 0


def calibrate_decision(data_dir: Path, output: Path | None, search_ranking: bool) -> int:
    """Refit from the tuning sets in `data_dir`, print the figures (see bot/matching/calibrate)."""
    from bot.loading import load_knowledge
    from bot.matching.calibrate import calibrate
    from bot.matching.decision import DECISION_FILE

    try:
        knowledge = load_knowledge(paths.content_dir())
    except ContentError as error:
        print_problems(error.problems, sys.stderr, quiet=True)
        return 2
    calibrate(knowledge, data_dir, sys.stdout, output or DECISION_FILE, search_ranking)
    return 0


def match_lines(assistant: Assistant, lines: Iterable[str], out: TextIO) -> int:
    """One JSON object per input line, in order: the `match` contract (see README)."""
    for line in lines:
        text, hint = parse_match_line(line)
        answer = assistant.ask(text, telegram_code=hint)
        if answer.match is not None:
            result = answer.match.as_json()
        else:
            lang = assistant.language_for(telegram_code=hint)
            result = {"id": None, "lang": lang, "score": 0, "decision": "none", "suggestions": []}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def parse_match_line(line: str) -> tuple[str, str | None]:
    """A line is plain text, or a JSON object {"q": "...", "lang": "es"}; anything else is text."""
    stripped = line.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return stripped, None
        if isinstance(data, dict):
            q, lang = data.get("q"), data.get("lang")
            return (q if isinstance(q, str) else ""), (lang if isinstance(lang, str) else None)
    return stripped, None


def validate_content(
    content_dir: Path, out: TextIO, quiet: bool = True, locale_dir: Path | None = None,
    notes: bool = False, phrasings: bool = True, collisions: bool = False,
    since: Baseline | None = None, due_days: int | None = None, today: date | None = None,
) -> int:
    """Check the content (`check_content`) and add the advice that needs the matcher and the
    interface catalogs (`review_content`); print the quiet report (see bot/loading/report.py):
    with `since`, the problems at lines changed since that version first; with `due_days`, what
    is due for review."""
    inspection = inspect_content(content_dir)
    from bot.loading.review import review_content  # here: its formulas cost the bot's start-up

    problems = inspection.problems + review_content(
        inspection, locale_dir or paths.locale_dir(), phrasings)
    edit = edit_since(problems, content_dir, since) if since is not None else None
    due, due_count = None, ""
    if inspection.knowledge is not None:
        today = today or date.today()
        days = due_days or DEFAULT_DAYS
        items = due_for_review(inspection.knowledge, inspection.places, today, days)
        due_count = due_summary(items, days) + ("" if due_days else " (--due lists them)")
        due = due_lines(items, today, days) if due_days else None
    for line in report_lines(folder_label(content_dir), inspection.knowledge, problems, notes,
                             collisions, edit=edit, due=due, due_count=due_count):
        out.write(line + "\n")
    errors = any(p.severity == "error" for p in problems)
    return 1 if errors or inspection.knowledge is None else 0


def try_message(content_dir: Path, message: str, lang: str | None, as_json: bool,
                out: TextIO) -> int:
    """`try`: the bot's reply to one message, described (see bot/dry_run.py)."""
    inspection = inspect_content(content_dir)
    if inspection.knowledge is None:
        print_problems(inspection.problems, sys.stderr)
        print("The content has errors; run `python -m bot validate` for details.",
              file=sys.stderr)
        return 2
    assistant = Assistant(inspection.knowledge, paths.locale_dir())
    result = dry_run(assistant, inspection.places, message, lang)
    if as_json:
        out.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
    else:
        out.write("\n".join(result.in_words()) + "\n")
    return 0


def folder_label(folder: Path) -> str:
    """The folder as the person typed it, or relative to where they are: 'content/'."""
    path = Path(folder)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())
    return f"{path.as_posix().rstrip('/')}/"
