"""Which language a message is written in, judged from its words and its letters.

Telegram's language code is only a hint: many Spanish speakers have phones set to English. Each
language's lexicon is built from its own content folder (entries, vocabulary, stop words), so a new
language folder is detected with no code change. Stop words weigh most: "que", "la", "mi" or "the",
"my", "is" say more about the language than topic words, which Spanglish shares.

Neighbouring languages share most of those words: "Posso ir à escola?" and "¿Puedo ir a la
escuela?" have "ir" and "a" in common, and wordfreq's Portuguese and Spanish lists share thousands
of words. Two signals tell such neighbours apart, both derived from the languages the bot reads,
never written per language:
- distinctive words: everyday words (wordfreq) that are at least DISTINCTIVE_RATIO times as
  frequent in one of the bot's languages as in any other ("posso", "você", "não" / "puedo",
  "usted"), see common_words.distinctive_words;
- distinctive letters: letters ASCII cannot type that one language's content uses and no other
  language's content does ("ã", "ç" in Portuguese; "ñ", "¿" in Spanish). Many people type without
  accents, so these only add to what the words say.

A message that could be either (the leaders' scores tie) goes to the user's chosen language, then
to Telegram's hint, then to the default language; when none of them is among the leaders ("O que
é a Trust Act?" ties Spanish and Portuguese, the default is English), to the leader more of whose
words lean its way (three times as frequent there as in the others: "o", "é").
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

STOPWORD_WEIGHT = 2.0
WORD_WEIGHT = 1.0
COMMON_WORD_WEIGHT = 0.5
DISTINCTIVE_WORD_WEIGHT = 1.0
LETTER_WEIGHT = 1.0
# A letter counts as a language's own when its content uses it this often and no other language's
# content does: a borrowed name ("São Paulo" once in a Spanish answer) neither makes "ã" Spanish
# nor takes it from Portuguese.
MIN_LETTER_USES = 3


@dataclass(frozen=True)
class LanguageLexicon:
    """The folded words a language's content uses, its stop words, and the language's common
    words (see common_words): content mixes languages ("la migra" in an English phrasing), so
    whether a word is everyday Spanish or English settles what the content alone cannot.
    `shared` and `letters` are filled by `distinguish`, which sees every language: `shared` holds
    the common words that are not this language's alone (a few thousand, where its distinctive
    words are tens of thousands: the smaller set is the one kept in memory)."""

    words: frozenset[str]
    stopwords: frozenset[str]
    common: frozenset[str] = frozenset()
    shared: frozenset[str] | None = None  # None: not distinguished, no word is distinctive
    letters: frozenset[str] = frozenset()
    unleaning: frozenset[str] | None = None  # common words that do not lean this way

    def leans(self, word: str) -> bool:
        return self.unleaning is not None and word in self.common and word not in self.unleaning

    def is_distinctive(self, word: str) -> bool:
        return self.shared is not None and word in self.common and word not in self.shared

    @property
    def distinctive(self) -> frozenset[str]:
        """The common words this language has alone (for tests and reports)."""
        return frozenset(w for w in self.common if self.is_distinctive(w))


def cannot_be_typed_in_ascii(ch: str) -> bool:
    """A letter or a mark ASCII cannot type, even with accents removed: "ñ", "ã", "ç", "¿".
    Emoji, typographic quotes and "…" (which folds to "...") say nothing about a language."""
    if ch.isascii():
        return False
    category = unicodedata.category(ch)
    if category.startswith("L"):
        return True
    return category == "Po" and not unicodedata.normalize("NFKD", ch).isascii()


def letters_used(texts: Iterable[str]) -> Counter[str]:
    """How often each letter ASCII cannot type appears in a language's texts (lowercased)."""
    return Counter(ch for text in texts for ch in text.casefold() if cannot_be_typed_in_ascii(ch))


def distinctive_letters(uses: Mapping[str, Counter[str]]) -> dict[str, frozenset[str]]:
    """Per language, the letters its content uses MIN_LETTER_USES times and no other's does."""
    return {
        lang: frozenset(
            ch for ch, n in counts.items()
            if n >= MIN_LETTER_USES
            and all(uses[o][ch] < MIN_LETTER_USES for o in uses if o != lang)
        )
        for lang, counts in uses.items()
    }


def distinguish(
    lexicons: Mapping[str, LanguageLexicon], distinctive: Mapping[str, Iterable[str]],
    letters: Mapping[str, frozenset[str]], leaning: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, LanguageLexicon]:
    """The lexicons with each language's distinctive words and letters.

    A word another language's content uses is nobody's own: Spanish phrasings say "trust act"
    and "court date", so those English words must not pull a Spanish message towards English.
    The shared words are kept as the common list's own string objects (no second copy)."""
    out = {}
    for lang, lexicon in lexicons.items():
        wanted = set(distinctive.get(lang, ()))
        leans = set((leaning or {}).get(lang, ()))
        elsewhere = set().union(*(
            other.words | other.stopwords for code, other in lexicons.items() if code != lang))
        out[lang] = replace(
            lexicon, letters=letters.get(lang, frozenset()),
            shared=frozenset(w for w in lexicon.common if w not in wanted or w in elsewhere),
            unleaning=frozenset(w for w in lexicon.common if w not in leans) if leaning else None,
        )
    return out


def language_scores(
    words: Iterable[str], lexicons: Mapping[str, LanguageLexicon], text: str = "",
) -> dict[str, float]:
    """How much of the message each language's lexicon explains (`text`: the message as
    written, for its letters; `words`: its folded words)."""
    scores = dict.fromkeys(lexicons, 0.0)
    for word in words:
        for lang, lexicon in lexicons.items():
            if word in lexicon.stopwords:
                scores[lang] += STOPWORD_WEIGHT
            elif word in lexicon.words:
                scores[lang] += WORD_WEIGHT
            if word in lexicon.common:
                scores[lang] += COMMON_WORD_WEIGHT
                if lexicon.shared is not None and word not in lexicon.shared:
                    scores[lang] += DISTINCTIVE_WORD_WEIGHT
    if text and not text.isascii():
        for ch in text.casefold():
            for lang, lexicon in lexicons.items():
                if ch in lexicon.letters:
                    scores[lang] += LETTER_WEIGHT
    return scores


def detect_language(
    words: Iterable[str], lexicons: Mapping[str, LanguageLexicon], hint: str | None,
    default: str, *, text: str = "", chosen: str | None = None,
) -> str:
    """The language whose lexicon explains most of the message; on a tie, the user's chosen
    language, then Telegram's hint, then the default, among the leaders (a message with no
    known word ties every language)."""
    words = list(words)
    scores = language_scores(words, lexicons, text)
    best = max(scores.values(), default=0.0)
    leaders = [lang for lang, score in scores.items() if score == best]
    if len(leaders) == 1 and best > 0:
        return leaders[0]
    for preferred in (chosen, hint, default):
        if preferred in leaders:
            return preferred  # type: ignore[return-value]
    # Spanish and Portuguese tie, the user chose English (or nothing): still one of the two.
    return max(leaders, key=lambda lang: sum(lexicons[lang].leans(w) for w in words))
