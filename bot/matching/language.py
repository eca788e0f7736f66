"""Which language a message is written in, judged from its words.

Telegram's language code is only a hint: many Spanish speakers have phones set to English. Each
language's lexicon is built from its own content folder (entries, vocabulary, stop words), so a new
language folder is detected with no code change. Stop words weigh most: "que", "la", "mi" or "the",
"my", "is" say more about the language than topic words, which Spanglish shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STOPWORD_WEIGHT = 2.0
WORD_WEIGHT = 1.0
COMMON_WORD_WEIGHT = 0.5


@dataclass(frozen=True)
class LanguageLexicon:
    """The folded words a language's content uses, its stop words, and the language's common
    words (see common_words): content mixes languages ("la migra" in an English phrasing), so
    whether a word is everyday Spanish or English settles what the content alone cannot."""

    words: frozenset[str]
    stopwords: frozenset[str]
    common: frozenset[str] = frozenset()


def detect_language(
    words: Iterable[str], lexicons: Mapping[str, LanguageLexicon], hint: str | None,
    default: str,
) -> str:
    """The language whose lexicon explains most of the words; the hint, then default, on a tie."""
    scores = dict.fromkeys(lexicons, 0.0)
    for word in words:
        for lang, lexicon in lexicons.items():
            if word in lexicon.stopwords:
                scores[lang] += STOPWORD_WEIGHT
            elif word in lexicon.words:
                scores[lang] += WORD_WEIGHT
            if word in lexicon.common:
                scores[lang] += COMMON_WORD_WEIGHT
    best = max(scores.values(), default=0.0)
    leaders = [lang for lang, score in scores.items() if score == best]
    if len(leaders) == 1 and best > 0:
        return leaders[0]
    if hint in leaders:
        return hint  # type: ignore[return-value]
    if default in leaders:
        return default
    return hint if hint in lexicons else default  # type: ignore[return-value]
