"""Command line: `python -m bot [run|chat|match|validate]`, each a few lines over the core.

- run       the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set)
- chat      the console chat over the same core (the default when no TELEGRAM_BOT_TOKEN is set)
- match     one JSON decision per input line, for organizers, checks and benchmarks
- validate  check the content folder; every problem with file and line; non-zero exit on errors
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from bot import paths
from bot.assistant import Assistant
from bot.content_loader import OUT_OF_SCOPE_FILE, ContentError, Problem, check_content
from bot.i18n import available_catalogs
from bot.matching import Matcher
from bot.telegram.config import LOG_LEVELS  # plain settings code: imports nothing of Telegram


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the Telegram bot")
    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--lang", help="answer in this language (default: the message's language)")
    commands.add_parser("match", help="read questions on stdin, print one JSON decision per line")
    validate = commands.add_parser("validate", help="check the content files")
    validate.add_argument("content_dir", nargs="?", type=Path, help="default: ./content")
    validate.add_argument("--quiet", action="store_true", help="show errors and warnings only")
    args = parser.parse_args(argv)

    command = args.command or ("run" if os.environ.get("TELEGRAM_BOT_TOKEN") else "chat")
    level = os.environ.get("LOG_LEVEL", "INFO" if command == "run" else "WARNING").upper()
    if level not in LOG_LEVELS:
        print(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}", file=sys.stderr)
        return 2
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if command == "validate":
        return validate_content(args.content_dir or paths.content_dir(), sys.stdout, args.quiet)
    if command == "run":
        from bot.telegram.app import run_bot  # imported here: chat and match need no Telegram

        return run_bot()
    try:
        assistant = Assistant.load(paths.content_dir(), paths.locale_dir())
    except ContentError as error:
        print_problems(error.problems, sys.stderr, quiet=True)
        print("The content has errors; run `python -m bot validate` for details.", file=sys.stderr)
        return 2
    if command == "match":
        return match_lines(assistant, sys.stdin, sys.stdout)
    from bot.console import run_console

    return run_console(assistant, getattr(args, "lang", None))


def match_lines(assistant: Assistant, lines: TextIO, out: TextIO) -> int:
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
    content_dir: Path, out: TextIO, quiet: bool = False, locale_dir: Path | None = None
) -> int:
    """Check the content, and that every language with content has a catalog and vice versa."""
    knowledge, problems = check_content(content_dir)
    locale_dir = locale_dir or paths.locale_dir()
    if knowledge is not None:
        catalogs = available_catalogs(locale_dir)
        for lang in knowledge.language_codes:
            if lang not in catalogs:
                problems.append(Problem(str(content_dir / lang), 0, f"language '{lang}' has "
                                        f"content but no interface catalog in {locale_dir}"))
        for lang in sorted(catalogs - set(knowledge.language_codes)):
            problems.append(Problem(str(locale_dir / lang), 0, f"language '{lang}' has an "
                                    "interface catalog but no content folder"))
        matcher = Matcher(knowledge)
        for lang in knowledge.language_codes:
            words = matcher.off_topic_words(lang)
            if words:
                problems.append(Problem(
                    str(content_dir / lang / OUT_OF_SCOPE_FILE), 0,
                    "a question with one of these words is never answered with confidence "
                    f"(only out-of-scope questions use them): {', '.join(words)}", "note",
                ))
            for phrasing in matcher.catch_all_out_of_scope(lang):
                problems.append(Problem(
                    str(content_dir / lang / OUT_OF_SCOPE_FILE), 0,
                    f"'{phrasing}' reads as a single word that entries also use, so it would "
                    "catch every question made of that word: add words of its own topic",
                    "warning",
                ))
    print_problems(problems, out, quiet)
    errors = sum(p.severity == "error" for p in problems)
    if errors or knowledge is None:
        out.write(f"\n{errors} error(s). The bot will not load this content until they are fixed."
                  "\n")
        return 1
    summary = ", ".join(
        f"{lang}: {len(c.entries)} entries in {len(c.topics)} topics, {len(c.contacts)} contacts"
        for lang, c in knowledge.languages.items()
    )
    warnings = sum(p.severity == "warning" for p in problems)
    notes = sum(p.severity == "note" for p in problems)
    out.write(f"\nContent OK ({summary}). {warnings} warning(s), {notes} review note(s).\n")
    return 0


def print_problems(problems: list[Problem], out: TextIO, quiet: bool) -> None:
    order = {"error": 0, "warning": 1, "note": 2}
    for problem in sorted(problems, key=lambda p: (order.get(p.severity, 3), p.file, p.line)):
        if quiet and problem.severity == "note":
            continue
        out.write(f"{problem}\n")
