"""The core every adapter talks to: a question in, a `Reply` out.

The Telegram handlers and the console chat call the same methods here, so the same question gets
the same answer in both. Nothing here knows about Telegram.
"""

from __future__ import annotations

import gc
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from bot import usage
from bot.actions import Action
from bot.i18n import Catalogs, negotiate_language
from bot.knowledge import Knowledge
from bot.loading import load_knowledge
from bot.matching import Matcher, MatchResult, MatchSettings
from bot.message import MAX_QUESTION_CHARS, Message
from bot.replies import Reply, ReplyBuilder, unsupported_language
from bot.stats import Stats
from bot.thanks import ThanksDetector
from bot.unsupported_language import UnsupportedLanguageDetector
from bot.urgency import UrgencyDetector

log = logging.getLogger(__name__)

__all__ = ["MAX_QUESTION_CHARS", "Answer", "Assistant", "settle_long_lived_objects"]

# What a reply that is not an answer to a question counts as, per week (bot/usage.py).
COURTESY_COUNTS = {"thanks": usage.THANKS, "empty": usage.NOT_UNDERSTOOD,
                   "unsupported-language": usage.OTHER_LANGUAGE}


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
        vocabularies = {lang: c.vocabulary for lang, c in knowledge.languages.items()}
        # After a content change both models are fit, each in a child process: the urgency
        # model's fit runs while the matcher indexes and fits its classifier (new content is
        # served in about 5 s instead of 8).
        with ThreadPoolExecutor(max_workers=1) as pool:
            urgency = pool.submit(
                UrgencyDetector, vocabularies,
                [c.urgency_examples for c in knowledge.languages.values()],
                [t for c in knowledge.languages.values() for ts in c.out_of_scope.values()
                 for t in ts],
            )
            self.matcher = Matcher(knowledge, settings)
            self.urgency = urgency.result()
        self.thanks = ThanksDetector(vocabularies)
        self.unsupported = UnsupportedLanguageDetector(knowledge.language_codes)
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

        What the message is comes first: written as it happens (the right-now steps lead,
        whatever it matches), a thank-you, or in a language the bot does not read; then the
        match. The answer is in the user's chosen language if they chose one, else in the
        language the message is written in (Telegram's language code is only a hint).
        `record=False` leaves the stats alone (Telegram inline queries arrive at every keystroke).
        """
        started = time.perf_counter()
        message = Message.read(text)  # read once; every step below takes it (bot/message.py)
        hint = negotiate_language(telegram_code, self.languages)
        urgent = self.urgency.is_urgent(message)
        if not urgent and (courtesy := self._courtesy(message, chosen, hint)) is not None:
            if record:
                kind = COURTESY_COUNTS[courtesy.kind]  # a language we do not read has no code
                self.stats.record_reply(kind, "" if kind == usage.OTHER_LANGUAGE else courtesy.lang)
            log.info("question kind=%s lang=%s", courtesy.kind, courtesy.lang)
            return Answer(courtesy, None)
        match = replace(self.matcher.match(message, hint, chosen), urgent=urgent)
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

    def _courtesy(self, message: Message, chosen: str | None, hint: str | None) -> Reply | None:
        """The reply to a message that is not a question: nothing readable, a thank-you, or a
        language the bot does not read. None for a question."""
        if self.unsupported.is_unsupported(message):
            return unsupported_language([self.replies(code) for code in self.languages])
        if not message.folded:
            return self.replies(self.language_for(chosen=chosen, telegram_code=hint)).empty()
        if self.thanks.is_thanks(message):
            lang = chosen if chosen in self.knowledge.languages else (
                self.matcher.detect_language(message, hint))
            return self.replies(lang).thanks()
        return None

    def act(self, action: str, lang: str, *, record: bool = True) -> Reply | None:
        """The reply to a button press (actions: bot/actions.py); None if stale or unknown.
        A "did you mean" choice is counted (`record=False` leaves the stats alone)."""
        decoded = Action.decode(action)
        if decoded is None:
            return None
        build = self.replies(lang)
        ref = decoded.ref
        match decoded.kind:
            case "entry":
                if decoded.lang:
                    if decoded.lang not in self.knowledge.languages:
                        return None
                    build = self.replies(decoded.lang)
                entry = build.content.entries.get(ref)
                return build.entry(entry) if entry else None
            case "suggestion":
                entry = build.content.entries.get(ref)
                if entry is None:
                    return None
                if record:
                    self.stats.record_tap(entry.id, build.lang)
                return build.entry(entry)
            case "topic":
                return build.topic(ref)
            case "topics":
                return build.topics()
            case "language":
                return self.replies(ref).language_set() if ref in self.languages else None
            case "language-menu":
                return build.language_menu()
            case "contacts":
                return build.contacts()
            case "need":
                return build.need(ref)
            case "more-help":
                return build.more_help(ref)
            case "sources":
                return build.sources(ref)
            case "languages":
                return build.entry_languages(ref)
        return None

    def entry_or_topic(self, ref: str, lang: str) -> Reply | None:
        """Deep links (/start <ref>, console shortcuts): an entry id or a topic id."""
        build = self.replies(lang)
        if ref in build.content.entries:
            return build.entry(build.content.entries[ref])
        return build.topic(ref)
