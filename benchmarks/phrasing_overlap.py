"""How well the content's own phrasings tell entries apart (leave-one-out).

    python benchmarks/phrasing_overlap.py            # summary per language
    python benchmarks/phrasing_overlap.py --list     # every phrasing that lands elsewhere

Each phrasing is taken out of its entry, the index is rebuilt without it, and the phrasing is
matched as if a person had typed it. A phrasing that finds another entry first points at two
entries that read alike: give each more phrasings of its own, or make the phrasing more specific.
This uses no test messages, so organizers can run it on any change. It ranks with the scorer
(bot/matching/matcher.py), rebuilt for each phrasing left out; the classifier is not refit 2,000
times, so this measures how the phrasings read, not what the bot answers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.loading import load_knowledge  # noqa: E402
from bot.matching import Matcher  # noqa: E402
from bot.matching.fusion import ranked  # noqa: E402
from bot.matching.matcher import _LanguageIndex  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every misplaced phrasing")
    args = parser.parse_args()
    knowledge = load_knowledge(ROOT / "content")
    matcher = Matcher(knowledge)
    for lang, content in knowledge.languages.items():
        analyzer = matcher._indexes[lang].analyzer
        entries = [(e.id, list(e.match_texts)) for e in content.entries.values()]
        first = total = 0
        misplaced: list[str] = []
        for position, (entry_id, texts) in enumerate(entries):
            for i, text in enumerate(texts):
                others = [*entries[:position], (entry_id, texts[:i] + texts[i + 1:]),
                          *entries[position + 1:]]
                index = _LanguageIndex(analyzer, others, matcher.settings, matcher.calibration)
                terms = analyzer.terms(text)
                scores = matcher._score(index, terms, set())[0] if terms else None
                found = (
                    index.ids[int(ranked(scores)[0])]
                    if scores is not None and scores.any() else "nothing"
                )
                total += 1
                first += found == entry_id
                if found != entry_id:
                    misplaced.append(f"  {entry_id:32} {text[:60]!r} -> {found}")
        print(f"{lang}: {first}/{total} phrasings find their own entry first "
              f"({100 * first / total:.0f}%)")
        if args.list:
            print("\n".join(misplaced))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
