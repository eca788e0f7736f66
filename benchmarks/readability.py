"""Reading level and length of every FAQ answer, per language.

    python benchmarks/readability.py

Each language is measured as `validate` measures it (bot/loading/reading-levels.yaml):
English: Flesch-Kincaid grade (validate's limits: median at grade 8 or below, none above 10).
Spanish: Fernández-Huerta reading ease (higher is easier; 70-80 is "fairly easy", 80-90 "easy";
validate's limits: median at 70 or above, none under 60).
Other languages (Portuguese: textstat has no Portuguese formula): length only, validate's
limits in that file (median answer at most 1,050 characters, none over 1,400).
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge import Knowledge  # noqa: E402
from bot.loading import load_knowledge  # noqa: E402
from bot.loading.readability import LENGTH_UNIT, rule_for  # noqa: E402

PHONE_LENGTH = 900


@dataclass(frozen=True)
class Reading:
    entry_id: str
    score: float | None
    characters: int


def readings(knowledge: Knowledge, lang: str) -> list[Reading]:
    rule = rule_for(lang)
    formula = rule.score if rule.unit != LENGTH_UNIT else None
    return [
        Reading(e.id, formula(e.answer) if formula else None, len(e.answer))
        for e in knowledge.content(lang).entries.values()
    ]


def main() -> int:
    knowledge = load_knowledge(ROOT / "content")
    for lang in knowledge.language_codes:
        rows = readings(knowledge, lang)
        rule = rule_for(lang)
        name = (f"length only, at most {rule.each:,.0f} characters, median {rule.median:,.0f}"
                if rule.unit == LENGTH_UNIT else f"{rule.unit}, limits {rule.each:.0f} / "
                f"median {rule.median:.0f}")
        lengths = [r.characters for r in rows]
        short = sum(n <= PHONE_LENGTH for n in lengths)
        print(f"\n== {lang}: {len(rows)} answers, {name} ==")
        for r in sorted(rows, key=lambda r: -(r.score or 0)):
            score = f"{r.score:6.1f}" if r.score is not None else "     -"
            print(f"  {score}  {r.characters:5d} chars  {r.entry_id}")
        scores = [r.score for r in rows if r.score is not None]
        if scores:
            print(f"  median {statistics.median(scores):.1f}, min {min(scores):.1f}, "
                  f"max {max(scores):.1f}")
        print(f"  length: median {statistics.median(lengths):.0f} characters, "
              f"{short}/{len(rows)} at or under {PHONE_LENGTH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
