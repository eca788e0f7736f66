"""The core every adapter talks to: a question in, a `Reply` out.

The Telegram handlers and the console chat call the same methods here, so the same question gets
the same answer in both. Nothing here knows about Telegram.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from bot.i18n import Catalogs, negotiate_language
from bot.knowledge import Knowledge
from bot.loading import load_knowledge
from bot.matching import Matcher, MatchResult, MatchSettings
from bot.matching.text import fold
from bot.replies import Reply, ReplyBuilder
from bot.stats import Stats

log = logging.getLogger(__name__)

# Telegram caps a message at 4096 characters; past this, a "question" is a pasted document.
# The question is usually at the end of a long story, so the end is what we keep.
MAX_QUESTION_CHARS = 2000


def settle_long_lived_objects() -> None:
    """Keep the loaded content and index out of Python's garbage collection passes.

    They are tens of thousands of objects that live as long as the process; without this, every
    full collection walks them all, and the message being answered at that moment waits 50-150 ms
    (seen in benchmarks/telegram_burst.py). A long-running bot calls this after (re)loading.
    """
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class Answer:
    """The reply to a free-text message, and the match behind it (None when nothing was read)."""

    reply: Reply
    match: MatchResult | None


class Assistant:
    """Knowledge + matcher + interface text, built once and then used read-only."""

    def __init__(
        self, knowledge: Knowledge, locale_dir: Path, settings: MatchSettings | None = None,
        stats: Stats | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.locale_dir = locale_dir
        self.matcher = Matcher(knowledge, settings)
        self.catalogs = Catalogs(locale_dir, knowledge.language_codes)
        self.stats = stats or Stats()

    @classmethod
    def load(
        cls, content_dir: Path, locale_dir: Path, stats: Stats | None = None
    ) -> Assistant:
        """Load and validate content; raises ContentError with every problem if it is invalid."""
        return cls(load_knowledge(content_dir), locale_dir, stats=stats)

    @property
    def languages(self) -> tuple[str, ...]:
        return self.knowledge.language_codes

    def language_for(self, *, chosen: str | None = None, telegram_code: str | None = None) -> str:
        """Interface language: the user's choice, else their app language, else the default."""
        if chosen in self.knowledge.languages:
            return chosen  # type: ignore[return-value]
        negotiated = negotiate_language(telegram_code, self.languages)
        return negotiated or self.knowledge.default_language

    def replies(self, lang: str) -> ReplyBuilder:
        lang = lang if lang in self.knowledge.languages else self.knowledge.default_language
        return ReplyBuilder(self.knowledge, lang, self.catalogs.translator(lang))

    def ask(
        self, text: str, *, chosen: str | None = None, telegram_code: str | None = None,
        record: bool = True,
    ) -> Answer:
        """Answer a free-text question.

        The answer is in the user's chosen language if they chose one, else in the language the
        message is written in (Telegram's language code is only a hint for detection).
        `record=False` leaves the stats alone (Telegram inline queries arrive at every keystroke).
        """
        started = time.perf_counter()
        text = text[-MAX_QUESTION_CHARS:] if len(text) > MAX_QUESTION_CHARS else text
        if not fold(text):
            lang = self.language_for(chosen=chosen, telegram_code=telegram_code)
            log.info("question unreadable lang=%s", lang)
            return Answer(self.replies(lang).empty(), None)
        hint = negotiate_language(telegram_code, self.languages)
        match = self.matcher.match(text, hint)
        lang = chosen if chosen in self.knowledge.languages else match.lang
        reply = self.replies(lang).from_match(match)
        if record:
            self.stats.record(match)
        log.info(
            "question lang=%s decision=%s entry=%s score=%d suggestions=%d urgent=%s "
            "not_covered=%s ms=%.2f",
            match.lang, match.decision, match.entry_id, match.score, len(match.suggestions),
            match.urgent, match.not_covered, (time.perf_counter() - started) * 1000,
        )
        return Answer(reply, match)

    def act(self, action: str, lang: str) -> Reply | None:
        """The reply to a button press (see bot/replies.py for the action format); None if stale."""
        kind, _, rest = action.partition(":")
        build = self.replies(lang)
        if kind == "e":
            entry_id, _, in_lang = rest.partition(":")
            if in_lang:
                build = self.replies(in_lang)
            entry = build.content.entries.get(entry_id)
            return build.entry(entry) if entry else None
        if kind == "t":
            return build.topic(rest)
        if kind == "s":
            return build.sources(rest)
        if kind == "l" and rest in self.knowledge.languages:
            return self.replies(rest).language_set()
        simple = {"T": build.topics, "L": build.language_menu, "c": build.contacts}
        return simple[kind]() if kind in simple and not rest else None

    def entry_or_topic(self, ref: str, lang: str) -> Reply | None:
        """Deep links (/start <ref>, console shortcuts): an entry id or a topic id."""
        build = self.replies(lang)
        if ref in build.content.entries:
            return build.entry(build.content.entries[ref])
        return build.topic(ref)
