"""What `python -m bot card` and `python -m bot flyer` do: check the request, make the PDF, save it.

Every way it can go wrong (an unknown language or topic, a missing folder, content with errors,
no username, a text too long to fit) is a `PrintError` with one line; bot/cli.py prints it.
The cheap checks come first, and Telegram is asked for the username only when all else is fine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from bot.loading import ContentError, load_knowledge
from bot.printing import PrintError
from bot.printing.card import make_card
from bot.printing.flyer import flyer_plan, make_flyer
from bot.printing.links import resolve_username
from bot.printing.source import PrintSource


@dataclass(frozen=True)
class PaperRequest:
    """One command line: what to print, in which language, where to."""

    kind: str  # "card" or "flyer"
    lang: str | None
    out: Path | None
    bot_username: str | None = None
    topic: str | None = None
    sheet: bool = False
    a4: bool = False

    def default_name(self, lang: str) -> str:
        topic = f"-{self.topic}" if self.topic else ""
        sheet = "-sheet" if self.sheet else ""
        paper = "-a4" if self.a4 else ""
        return f"{self.kind}-{lang}{topic}{sheet}{paper}.pdf"


def make_paper(request: PaperRequest, content_dir: Path, locale_dir: Path,
               env: Mapping[str, str] | None = None,
               ask_telegram: Callable[[], str | None] | None = None) -> Path:
    """Make the PDF and write it; returns where. `ask_telegram` gives the username from getMe
    (None: no token to ask with)."""
    env = os.environ if env is None else env
    if request.out is not None:
        check_folder(request.out)
    try:
        knowledge = load_knowledge(content_dir)
    except ContentError as error:
        errors = sum(p.severity == "error" for p in error.problems)
        raise PrintError(f"the content has {errors} error(s), so nothing is printed; run "
                         "`python -m bot validate` for details") from None
    lang = request.lang or knowledge.default_language
    out = request.out or Path(request.default_name(lang))
    source = PrintSource.of(knowledge, locale_dir, lang, username="")
    source.plan  # noqa: B018 -- print.yaml is there, or one line says so
    if request.kind == "flyer":
        flyer_plan(source, request.topic)  # the topic exists
    username = resolve_username(request.bot_username, env, ask_telegram or (lambda: None))
    source = replace(source, username=username)
    pdf = (make_card(source, sheet=request.sheet) if request.kind == "card"
           else make_flyer(source, request.topic, a4=request.a4))
    save(pdf, out)
    return out


def check_folder(out: Path) -> None:
    folder = out.parent
    if not folder.is_dir():
        raise PrintError(f"the folder '{folder}' does not exist: create it, or give another --out")
    if out.is_dir():
        raise PrintError(f"'{out}' is a folder: give a file name, such as {out / 'card.pdf'}")


def save(pdf: bytes, out: Path) -> None:
    check_folder(out)
    try:
        out.write_bytes(pdf)
    except OSError as error:
        raise PrintError(f"cannot write '{out}' ({error.strerror})") from None
