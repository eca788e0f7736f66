"""Is this message written as it happens? Decided from the words, before and apart from the match.

"ICE is at my door right now" must get the right-now steps first whatever entry it matches, or
whether it matches one at all: a frightened person's message is often too short or too garbled to
match with confidence, and the steps (call 911 if anyone is in danger; do not open the door; stay
silent; do not sign) are the same for every such message. So urgency is a property of the
message, not of the entry, and it is kept apart from the ranking.

The words live in each language's vocabulary.yaml, where organizers can read and change them:
- `urgent`: phrases of something happening to the person ("at my door", "están tocando");
- `distress`: cries that add to those but are everyday words alone ("help", "qué hago": "¿qué
  hago si mi hijo sufre bullying?" is not an emergency); a message made only of them ("help!!",
  "ayuda") is urgent;
- `right_now`: phrases of the moment ("right now", "ahorita"), which count like `urgent` ones;
- `calm`: phrases of a question asked ahead of time, after the fact or in general ("if", "si",
  "in case", "yesterday", "who is"): with one of these, one phrase of something happening is not
  enough ("who is ICE going after right now?"); two different ones still are (Spanish "si" is
  also "whether": "me pregunta si tengo papeles, qué le digo").
Every language's words apply to every message: people write "la migra is at my door".

Misspellings are expected (these messages are typed with shaking hands): a word of six or more
letters matches a vocabulary word one edit away, of nine or more two edits away, as long as it
starts and ends with the same letter (in Spanish the last letter is the tense: "paró" is not
"para"; "yelling" is not "telling"), and letters
repeated for emphasis ("ayudaaa", "helppp") count once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bot.knowledge import Vocabulary
from bot.matching.text import fold

# This many different phrases (of something happening, or cries) make a message urgent even in
# an "if" sentence.
SEVERAL = 2
_REPEATS = re.compile(r"([a-z])\1{2,}")

Same = Callable[[str, str], bool]


def message_words(text: str) -> tuple[str, ...]:
    """The folded words of a message, emphasis undone ("ayudaaa" -> "ayuda")."""
    return tuple(_REPEATS.sub(r"\1", word) for word in fold(text).split())


def allowed_edits(word: str) -> int:
    """How many typing mistakes a word may carry and still be recognized."""
    if len(word) >= 9:
        return 2
    return 1 if len(word) >= 6 else 0


@lru_cache(maxsize=65536)
def same_word(written: str, known: str) -> bool:
    """Equal, or close enough given both words' lengths ("tocamdo" is "tocando")."""
    if written == known:
        return True
    limit = min(allowed_edits(written), allowed_edits(known))
    if not limit or abs(len(written) - len(known)) > limit:
        return False
    if written[0] != known[0] or written[-1] != known[-1]:
        return False
    return Levenshtein.distance(written, known, score_cutoff=limit) <= limit


def exact_word(written: str, known: str) -> bool:
    """Calm markers are short words ("if", "si", "ayer"): only an exact match counts."""
    return written == known


@dataclass(frozen=True)
class PhraseList:
    """Folded phrases (tuples of words), matched word after word, allowing typos."""

    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, texts: Iterable[str]) -> PhraseList:
        found = {message_words(t) for t in texts}
        return cls(tuple(sorted(p for p in found if p)))

    def spans(self, words: tuple[str, ...], same: Same) -> list[tuple[int, int]]:
        """Where phrases occur, as (start, end) word positions."""
        return [
            (start, start + len(phrase))
            for phrase in self.phrases
            for start in range(len(words) - len(phrase) + 1)
            if all(same(words[start + i], phrase[i]) for i in range(len(phrase)))
        ]

    def found_in(self, words: tuple[str, ...], same: Same) -> bool:
        return bool(self.spans(words, same))


def separate(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that do not overlap ("están tocando" and "tocando la puerta" are one thing)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


class UrgencyDetector:
    """Built once from every language's vocabulary; `is_urgent(text)` is pure and fast."""

    def __init__(self, vocabularies: Mapping[str, Vocabulary]) -> None:
        every = list(vocabularies.values())
        self.happening = PhraseList.of(p for v in every for p in v.urgent)
        self.distress = PhraseList.of(p for v in every for p in v.distress)
        self.right_now = PhraseList.of(p for v in every for p in v.right_now)
        self.calm = PhraseList.of(p for v in every for p in v.calm)

    def is_urgent(self, text: str) -> bool:
        """Written as it happens (see the module docstring for the rule)."""
        words = message_words(text)
        if not words:
            return False
        happening = separate(
            self.happening.spans(words, same_word) + self.right_now.spans(words, same_word)
        )
        cries = separate(self.distress.spans(words, same_word))
        if not happening:
            # "help!!", "ayuda por favor": nothing but a cry
            return bool(cries) and sum(e - s for s, e in cries) >= len(words) - 1
        if len(separate(happening + cries)) >= SEVERAL:
            return True
        return not self.calm.found_in(words, exact_word)
