"""Turn a message (or a phrasing) into the terms the matcher compares, for one language.

The steps, in order, and why each exists:
1. fold: case, accents, punctuation and emoji never decide a match;
2. abbreviations: "q", "xq", "pls", "u" become the words they stand for;
3. spelling and typo correction: a word the content never uses is first respelled the way it
   sounds, by the language's `spellings` ("yega" -> "llega"), then replaced by the closest word
   the content does use ("escula" -> "escuela", rapidfuzz), unless it is a common word of the
   language ("enero" is January, not a misspelled "entro");
4. concepts: slang, variants and the other language's words become one shared concept term
   ("la migra", "ICE", "immigration agents" -> "#ice"), so paraphrases and Spanglish still meet;
5. stop words are dropped (they are in every question and tell entries apart badly), and so are
   numbers the content does not use (times, amounts, dates: context, not topic);
6. stemming (Snowball, chosen from the language code) so "arrested" and "arrest" agree.
All of the vocabulary comes from the content folder; nothing about a language is written here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import snowballstemmer
from babel import Locale, UnknownLocaleError
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.fitting import cache_dir, save_json
from bot.knowledge import Vocabulary
from bot.matching.text import fold

CONCEPT_PREFIX = "#"
MIN_TYPO_LENGTH = 4  # shorter words are too often other real words ("jia" is not "hija")
LONG_WORD = 8  # words this long may hold two typos; shorter ones one
MAX_RESPELLINGS = 2  # "yebo" -> "llevo" needs two: y -> ll, b -> v
MAX_RESPELL_LENGTH = 20  # longer "words" are not words; their variants would grow as length^2


def max_typos(word: str) -> int:
    return 2 if len(word) >= LONG_WORD else 1


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def stemmer_for(lang: str) -> snowballstemmer.stemmer | None:
    """The Snowball stemmer for a language code, or None when Snowball has none for it."""
    try:
        name = Locale.parse(lang, sep="-" if "-" in lang else "_").english_name
    except (ValueError, UnknownLocaleError):
        return None
    algorithm = (name or "").split(" ")[0].lower()
    if algorithm in snowballstemmer.algorithms():
        return snowballstemmer.stemmer(algorithm)
    return None


def _stem_table_path(stemmer: snowballstemmer.stemmer | None) -> Path | None:
    """Where a stemmer's results are kept: one table per algorithm and Snowball version (a stem
    depends on nothing else, so the table holds for any content)."""
    if stemmer is None:
        return None
    algorithm = type(stemmer).__name__.removesuffix("Stemmer").lower()
    return cache_dir() / f"stems-{algorithm}-{version('snowballstemmer')}.json"


def _read_stem_table(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, str)}


class Analyzer:
    """Text -> terms for one language, using every language's vocabulary (for Spanglish)."""

    def __init__(
        self, lang: str, vocabularies: Mapping[str, Vocabulary], lexicon: Iterable[str],
        own_words: Mapping[str, int] | Iterable[str], common: Iterable[str] = (),
    ) -> None:
        """`lexicon`: every word the content uses, in any language (a known word is kept as is).
        `own_words`: the words of this language's phrasings (with how often each is used, if
        known), the only targets of typo correction (with this language's vocabulary): "extra"
        in an English message must not become the Spanish "entra"; between two words one typo
        away, the more used wins. `common`: real words that are never corrected."""
        self.lang = lang
        self._stemmer = stemmer_for(lang)
        self._stem_table = _stem_table_path(self._stemmer)
        self._stem_cache: dict[str, str] = _read_stem_table(self._stem_table)
        self._stems_read = len(self._stem_cache)
        # The message's own language wins when two languages disagree on a word.
        ordered = [vocabularies[lang]] if lang in vocabularies else []
        ordered += [v for code, v in vocabularies.items() if code != lang]
        uses = Counter(own_words)
        self._common = frozenset(common)
        own = set(uses) | self._common | (
            {fold(w) for w in ordered[0].stopwords} if ordered else set()
        )
        self._abbreviations: dict[str, list[str]] = {}
        self._phrases: dict[tuple[str, ...], str] = {}
        self._stems: dict[str, str] = {}
        self.stopwords: frozenset[str] = frozenset()
        stopwords: set[str] = set()
        for index, vocabulary in enumerate(ordered):
            for short, expansion in vocabulary.abbreviations.items():
                # Another language's texting ("idk" in a Spanish message) is expanded, unless it
                # is a word of this one: "ya" is "already" in Spanish, "yes" only in English.
                if index == 0 or fold(short) not in own:
                    self._abbreviations.setdefault(fold(short), fold(expansion).split())
            for concept, terms in vocabulary.concepts.items():
                for term in terms:
                    key = tuple(fold(term).split())
                    if key:
                        self._phrases.setdefault(key, concept)
                        if index == 0 and len(key) == 1:
                            self._stems.setdefault(self._stem(key[0]), concept)
            stopwords.update(fold(w) for w in vocabulary.stopwords)
        self.stopwords = frozenset(stopwords)
        self._max_phrase = max((len(k) for k in self._phrases), default=1)
        known = {w for w in lexicon if w} | {w for k in self._phrases for w in k}
        self._lexicon = frozenset(known)
        self._spellings = ordered[0].spellings if ordered else ()
        own_vocabulary = ordered[0].concepts.values() if ordered else ()
        targets = {w for w in uses if w} | {
            w for terms in own_vocabulary for term in terms for w in fold(term).split()
        }
        # Typos rarely hit the first letter; bucketing by it keeps look-ups small and safe. The
        # most used words come first, so they win ties (rapidfuzz keeps the first best match).
        self._by_initial: dict[str, list[str]] = {}
        for word in sorted(targets, key=lambda w: (-uses[w], w)):
            if len(word) >= MIN_TYPO_LENGTH and not word.isdigit():
                self._by_initial.setdefault(word[0], []).append(word)
        self._correct = lru_cache(maxsize=20_000)(self._closest_known_word)

    def _stem(self, word: str) -> str:
        # Snowball in pure Python is the slowest step; the vocabulary is small, so memoize.
        stem = self._stem_cache.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word) if self._stemmer else word
            if len(self._stem_cache) < 50_000:
                self._stem_cache[word] = stem
        return stem

    def keep_stems(self) -> None:
        """Write the stems computed so far to disk, so the next start reads them instead of
        running Snowball again (half of the index's build time). Called once the content is
        indexed and before any message is read: no word of a message is ever written."""
        if self._stem_table is not None and len(self._stem_cache) > self._stems_read:
            save_json(self._stem_table, self._stem_cache)
            self._stems_read = len(self._stem_cache)

    def words(self, text: str) -> list[str]:
        """Folded words with abbreviations expanded and typos corrected."""
        out: list[str] = []
        for word in fold(text).split():
            expansion = self._abbreviations.get(word)
            if expansion is not None:
                out.extend(expansion)
            elif word in self._lexicon or word in self.stopwords or word in self._common:
                out.append(word)
            else:
                out.append(self._correct(word))
        return out

    def _respelled(self, word: str) -> str | None:
        """The known or common word the unknown word sounds like, changing one or two letter
        groups by the language's spellings ("yebo" -> "llebo" -> "llevo"), or None."""
        level = [word]
        for _ in range(MAX_RESPELLINGS):
            variants: list[str] = []
            for base in level:
                for written, meant in self._spellings:
                    start = base.find(written)
                    while start != -1:
                        variants.append(base[:start] + meant + base[start + len(written):])
                        start = base.find(written, start + 1)
            for variant in variants:
                if variant in self._lexicon or variant in self._common or variant in self.stopwords:
                    return variant
            level = variants
        return None

    def _closest_known_word(self, word: str) -> str:
        """The word it sounds like (see `spellings`), else the content word one typo away (two
        for long words), else the word itself.

        Optimal string alignment distance counts a swap of two letters ("pleace") as one typo.
        """
        if self._spellings and len(word) <= MAX_RESPELL_LENGTH and not word.isdigit():
            respelled = self._respelled(word)
            if respelled is not None:
                return respelled
        if len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return word
        choices = self._by_initial.get(word[0], [])
        best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=max_typos(word))
        return best[0] if best else word

    def terms(self, text: str) -> list[str]:
        """The comparable terms of a text: concepts (prefixed '#') and stemmed content words."""
        return self.terms_of(self.words(text))

    def terms_of(self, words: list[str]) -> list[str]:
        """`terms` for words already passed through `words` (a message is read once)."""
        terms: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self._max_phrase, len(words) - i), 0, -1):
                concept = self._phrases.get(tuple(words[i:i + size]))
                if concept is not None:
                    # A concept listed among the stop words is recognized (so its words are
                    # not misread as another concept) but does not count.
                    if concept not in self.stopwords:
                        terms.append(CONCEPT_PREFIX + concept)
                    i += size
                    break
            else:
                word = words[i]
                i += 1
                if word in self.stopwords or (_has_digit(word) and word not in self._lexicon):
                    continue  # numbers are times, amounts and dates: context, not topic
                stem = self._stem(word)
                concept = self._stems.get(stem)
                if concept in self.stopwords:
                    continue
                terms.append(CONCEPT_PREFIX + concept if concept else stem)
        return terms

