"""Usage counts for /stats and `python -m bot report`: how many questions, how they were decided,
which entries answered, what the FAQ does not cover, which "did you mean" choices people tapped.

Counts only, never text or user ids. Two sets: the all-time counters /stats has always shown,
and the same counts per ISO week and language (bot/usage.py) that the report reads. In memory
they are plain Counters; when a store is attached (the Telegram bot attaches its bot/state.py
store), each question's increments are also written there in one transaction, so they survive
restarts and redeploys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from bot import usage
from bot.matching import MatchResult

DECISION, ENTRY, NOT_COVERED = "decision", "entry", "not_covered"  # counter kinds in the store


class CountStore(Protocol):
    """Where counts are kept between runs (bot.state.StateStore)."""

    def add_counts(self, increments: Iterable[tuple[str, str]],
                   weekly: Iterable[tuple[str, str, str, str]] = ()) -> bool: ...

    def counts(self) -> dict[str, Counter[str]]: ...

    def weekly_counts(self) -> Counter[tuple[str, str, str, str]]: ...


def utc_today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class Gaps:
    """What people asked that the FAQ answered least well, over a few weeks (for /stats)."""

    weeks: tuple[str, ...]
    not_covered: Counter[str]  # out-of-scope topic -> questions ("" when none came close)
    offered: Counter[str]  # entry id -> times offered as "did you mean"
    tapped: Counter[str]  # entry id -> times its "did you mean" button was tapped
    not_understood: int

    def __bool__(self) -> bool:
        return bool(self.not_covered or self.offered or self.tapped or self.not_understood)


@dataclass
class Stats:
    """Counters of questions per (language, decision), of answers per entry, and of questions
    the FAQ does not cover per out-of-scope topic (what organizers might write an entry for);
    and `weekly`: (week, language, kind, key) -> count, the kinds of bot/usage.py."""

    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    entries: Counter[str] = field(default_factory=Counter)
    not_covered: Counter[str] = field(default_factory=Counter)
    # Messages from senders over the flood limit (bot/telegram/fairness.py): "skip" and
    # "notice" counts. In memory only: a flood must not become hundreds of disk writes.
    flood: Counter[str] = field(default_factory=Counter)
    weekly: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    store: CountStore | None = field(default=None, repr=False, compare=False)
    today: Callable[[], date] = field(default=utc_today, repr=False, compare=False)

    def attach(self, store: CountStore) -> None:
        """Add the counts kept in `store` to these, and write every later count there too."""
        kept = store.counts()
        for key, count in kept.get(DECISION, Counter()).items():
            lang, _, decision = key.partition(":")
            self.decisions[(lang, decision)] += count
        self.entries.update(kept.get(ENTRY, Counter()))
        self.not_covered.update(kept.get(NOT_COVERED, Counter()))
        self.weekly.update(store.weekly_counts())
        self.store = store

    def record(self, match: MatchResult) -> None:
        """One question the matcher read (the reply it got is decided the same way: see
        ReplyBuilder.from_match)."""
        increments = [(DECISION, f"{match.lang}:{match.decision}")]
        self.decisions[(match.lang, match.decision)] += 1
        if match.decision == "answer" and match.entry_id:
            self.entries[match.entry_id] += 1
            increments.append((ENTRY, match.entry_id))
        if match.not_covered:
            self.not_covered[match.not_covered] += 1
            increments.append((NOT_COVERED, match.not_covered))
        self._count(increments, weekly_kinds(match), match.lang)

    def record_reply(self, kind: str, lang: str) -> None:
        """A message that got no match: usage.THANKS, NOT_UNDERSTOOD, OTHER_LANGUAGE (lang ''),
        FLOOD_SKIPPED. Weekly only: the all-time counters are of questions matched."""
        self._count([], [(kind, "")], lang)

    def record_tap(self, entry_id: str, lang: str) -> None:
        """A "did you mean" choice tapped: which of the offered entries people meant."""
        self._count([], [(usage.TAPPED, entry_id)], lang)

    def _count(self, increments: list[tuple[str, str]], kinds: list[tuple[str, str]],
               lang: str) -> None:
        week = usage.iso_week(self.today())
        rows = [(week, lang, kind, key) for kind, key in kinds]
        self.weekly.update(rows)
        if self.store is not None:
            self.store.add_counts(increments, rows)  # a failed write is logged there

    def record_flood(self, verdict: str) -> None:
        self.flood[verdict] += 1

    @property
    def total(self) -> int:
        return sum(self.decisions.values())

    def top_entries(self, n: int = 5) -> list[tuple[str, int]]:
        return self.entries.most_common(n)

    def top_not_covered(self, n: int = 5) -> list[tuple[str, int]]:
        return self.not_covered.most_common(n)

    def recent_weeks(self, n: int = 2) -> tuple[str, ...]:
        """This ISO week and the n-1 before it, oldest first."""
        today = self.today()
        return tuple(usage.iso_week(today - timedelta(weeks=back)) for back in range(n - 1, -1, -1))

    def gaps(self, weeks: tuple[str, ...]) -> Gaps:
        """The gaps of `weeks`, all languages together."""
        by_kind: dict[str, Counter[str]] = {}
        for (week, _lang, kind, key), count in self.weekly.items():
            if week in weeks:
                by_kind.setdefault(kind, Counter())[key] += count
        return Gaps(
            weeks=weeks, not_covered=by_kind.get(usage.NOT_COVERED, Counter()),
            offered=by_kind.get(usage.OFFERED, Counter()),
            tapped=by_kind.get(usage.TAPPED, Counter()),
            not_understood=sum(by_kind.get(usage.NOT_UNDERSTOOD, Counter()).values()),
        )


def weekly_kinds(match: MatchResult) -> list[tuple[str, str]]:
    """The weekly (kind, key) counts of one matched question, as the reply is decided: nothing
    understood, then the decision. An urgent message gets the right-now steps instead of "did
    you mean" buttons, so only the entries of a real "did you mean" reply count as offered."""
    kinds = [(usage.QUESTIONS, "")] + ([(usage.URGENT, "")] if match.urgent else [])
    if not match.understood:
        kinds.append((usage.NOT_UNDERSTOOD, ""))
    elif match.decision == "answer" and match.entry_id:
        kinds.append((usage.ANSWERED, match.entry_id))
    elif match.decision == "suggest" and match.entry_id:
        if not match.urgent:
            kinds.append((usage.DID_YOU_MEAN, ""))
            kinds += [(usage.OFFERED, e) for e in dict.fromkeys((match.entry_id,
                                                                 *match.suggestions))]
    else:
        kinds.append((usage.NOT_COVERED, match.not_covered or ""))
    return kinds
