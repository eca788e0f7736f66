"""Usage counts for /stats: how many questions, how they were decided, which entries answered.

Counts only, never text or user ids, kept in memory for the life of the process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.matching import MatchResult


@dataclass
class Stats:
    """Counters of questions per (language, decision), of answers per entry, and of questions
    the FAQ does not cover per out-of-scope topic (what organizers might write an entry for)."""

    decisions: Counter[tuple[str, str]] = field(default_factory=Counter)
    entries: Counter[str] = field(default_factory=Counter)
    not_covered: Counter[str] = field(default_factory=Counter)

    def record(self, match: MatchResult) -> None:
        self.decisions[(match.lang, match.decision)] += 1
        if match.decision == "answer" and match.entry_id:
            self.entries[match.entry_id] += 1
        if match.not_covered:
            self.not_covered[match.not_covered] += 1

    @property
    def total(self) -> int:
        return sum(self.decisions.values())

    def top_entries(self, n: int = 5) -> list[tuple[str, int]]:
        return self.entries.most_common(n)

    def top_not_covered(self, n: int = 5) -> list[tuple[str, int]]:
        return self.not_covered.most_common(n)
