"""Usage counts for /stats: how many questions, how they were decided, which entries answered.

Counts only, never text or user ids. In memory they are plain Counters; when a store is attached
(the Telegram bot attaches its bot/state.py store), each question's increments are also written
there in one transaction, so /stats survives restarts and redeploys.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from bot.matching import MatchResult

DECISION, ENTRY, NOT_COVERED = "decision", "entry", "not_covered"  # counter kinds in the store


class CountStore(Protocol):
    """Where counts are kept between runs (bot.state.StateStore)."""

    def add_counts(self, increments: list[tuple[str, str]]) -> bool: ...

    def counts(self) -> dict[str, Counter[str]]: ...


@dataclass
class Stats:
    """Counters of questions per (language, decision), of answers per entry, and of questions
    the FAQ does not cover per out-of-scope topic (what organizers might write an entry for)."""

    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    entries: Counter[str] = field(default_factory=Counter)
    not_covered: Counter[str] = field(default_factory=Counter)
    # Messages from senders over the flood limit (bot/telegram/fairness.py): "skip" and
    # "notice" counts. In memory only: a flood must not become hundreds of disk writes.
    flood: Counter[str] = field(default_factory=Counter)
    store: CountStore | None = field(default=None, repr=False, compare=False)

    def attach(self, store: CountStore) -> None:
        """Add the counts kept in `store` to these, and write every later count there too."""
        kept = store.counts()
        for key, count in kept.get(DECISION, Counter()).items():
            lang, _, decision = key.partition(":")
            self.decisions[(lang, decision)] += count
        self.entries.update(kept.get(ENTRY, Counter()))
        self.not_covered.update(kept.get(NOT_COVERED, Counter()))
        self.store = store

    def record(self, match: MatchResult) -> None:
        increments = [(DECISION, f"{match.lang}:{match.decision}")]
        self.decisions[(match.lang, match.decision)] += 1
        if match.decision == "answer" and match.entry_id:
            self.entries[match.entry_id] += 1
            increments.append((ENTRY, match.entry_id))
        if match.not_covered:
            self.not_covered[match.not_covered] += 1
            increments.append((NOT_COVERED, match.not_covered))
        if self.store is not None:
            self.store.add_counts(increments)  # a failed write is logged there; counting goes on

    def record_flood(self, verdict: str) -> None:
        self.flood[verdict] += 1

    @property
    def total(self) -> int:
        return sum(self.decisions.values())

    def top_entries(self, n: int = 5) -> list[tuple[str, int]]:
        return self.entries.most_common(n)

    def top_not_covered(self, n: int = 5) -> list[tuple[str, int]]:
        return self.not_covered.most_common(n)
