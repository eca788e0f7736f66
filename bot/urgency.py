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
Beside the phrases, a small classifier learns from each language's urgency-examples.yaml
(messages written as it happens, and calm ones) what the phrases do not list (LearnedUrgency).

A word written "*ando" in a phrase stands for any word ending so ("están *ando": "están
tocando", "están llevando"), so one phrase covers every verb in the same tense.

Misspellings are expected (these messages are typed with shaking hands): a word of six or more
letters matches a vocabulary word one edit away, of nine or more two edits away, as long as it
starts and ends with the same letter (in Spanish the last letter is the tense: "paró" is not
"para"; "yelling" is not "telling"), and letters
repeated for emphasis ("ayudaaa", "helppp") count once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from itertools import pairwise
from typing import Any

from rapidfuzz.distance import Levenshtein

from bot.fitting import cached_fit
from bot.knowledge import UrgencyExamples, Vocabulary
from bot.matching.text import fold
from bot.message import Message

# This many different phrases (of something happening, or cries) make a message urgent even in
# an "if" sentence.
SEVERAL = 2
_REPEATS = re.compile(r"([a-z])\1{2,}")

Same = Callable[[str, str], bool]


def _phrase_words(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as words; "*ando" (any word ending in "ando") keeps its star."""
    return tuple(
        f"*{fold(word)}" if word.startswith("*") and fold(word) else fold(word)
        for word in text.split() if fold(word)
    )


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
    """Equal, or close enough given both words' lengths ("tocamdo" is "tocando"); a vocabulary
    word "*ando" is any word of five letters or more that ends in "ando" ("tocando")."""
    if written == known:
        return True
    if known.startswith("*"):
        return written.endswith(known[1:]) and len(written) >= max(len(known), 5)
    limit = min(allowed_edits(written), allowed_edits(known))
    if not limit or abs(len(written) - len(known)) > limit:
        return False
    if written[0] != known[0] or written[-1] != known[-1]:
        return False
    return Levenshtein.distance(written, known, score_cutoff=limit) <= limit


def exact_word(written: str, known: str) -> bool:
    """Calm markers are short words ("if", "si", "ayer"): only an exact match counts."""
    return written == known or (known.startswith("*") and same_word(written, known))


class PhraseList:
    """Folded phrases (tuples of words), matched word after word, allowing typos.

    Phrases are grouped by their first word, and which first words a message word can be is
    worked out once per distinct word: a 400-word story is then a dictionary look-up per word,
    not every phrase tried at every position (that took 90 ms)."""

    _CACHE_LIMIT = 50_000

    def __init__(self, phrases: tuple[tuple[str, ...], ...]) -> None:
        self.phrases = phrases
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            self._by_first.setdefault(phrase[0], []).append(phrase)
        # same_word and exact_word only ever match a word that equals a first word, is one or
        # two edits from it with the same first and last letters, or ends as a "*ando" word
        # says: so a message word is compared with those first words only, not with every
        # one (a 4,096-character message of unknown words compared each of its words with
        # every phrase's first word: 100-200 ms).
        self._by_ends: dict[tuple[str, str], list[str]] = {}
        self._stars: list[str] = []
        for first in self._by_first:
            if first.startswith("*"):
                self._stars.append(first)
            else:
                self._by_ends.setdefault((first[0], first[-1]), []).append(first)
        self._starts: dict[tuple[str, Same], list[tuple[str, ...]]] = {}

    @classmethod
    def of(cls, texts: Iterable[str]) -> PhraseList:
        found = {_phrase_words(t) for t in texts}
        return cls(tuple(sorted(p for p in found if p)))

    def _starting_with(self, word: str, same: Same) -> list[tuple[str, ...]]:
        """The phrases whose first word this message word can be."""
        found = self._starts.get((word, same))
        if found is None:
            firsts = (self._by_first if same not in (same_word, exact_word) or not word
                      else [*self._by_ends.get((word[0], word[-1]), ()), *self._stars])
            found = [p for first in firsts if same(word, first) for p in self._by_first[first]]
            if len(self._starts) < self._CACHE_LIMIT:
                self._starts[(word, same)] = found
        return found

    def spans(self, words: tuple[str, ...], same: Same) -> list[tuple[int, int]]:
        """Where phrases occur, as (start, end) word positions."""
        return [
            (start, start + len(phrase))
            for start, word in enumerate(words)
            for phrase in self._starting_with(word, same)
            if start + len(phrase) <= len(words)
            and all(same(words[start + i], phrase[i]) for i in range(1, len(phrase)))
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


_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def char_ngrams(text: str) -> list[str]:
    """Character 2-5-grams inside each word, padded with a space (scikit-learn's "char_wb")."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(2, 6):
            if len(padded) <= n:  # a short word counts once, whole
                grams.append(padded)
                break
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


def word_ngrams(text: str) -> list[str]:
    """Words of two letters or more, and pairs of them."""
    tokens = _TOKEN.findall(text)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


ANALYZERS = (char_ngrams, word_ngrams)


def fit_urgency(job: dict[str, Any]) -> dict[str, Any]:
    """Fit the classifier (scikit-learn; run by bot.fitting, in a child process): TF-IDF over
    each analyzer, logistic regression over both. Returns the weights as plain data."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    happening, calm, background = job["happening"], job["calm"], job["background"]
    texts = [" ".join(message_words(t)) for t in (*happening, *calm, *background)]
    labels = [True] * len(happening) + [False] * (len(calm) + len(background))
    weights = [1.0] * (len(happening) + len(calm)) + [job["background_weight"]] * len(background)
    vectorizers = [TfidfVectorizer(analyzer=a, sublinear_tf=True) for a in ANALYZERS]
    features = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
    model = LogisticRegression(C=job["C"], solver="liblinear")
    model.fit(features, labels, sample_weight=weights)
    coefficients = model.coef_[0]
    parts: list[dict[str, list[float]]] = []
    offset = 0
    for vectorizer in vectorizers:
        vocabulary = vectorizer.vocabulary_
        parts.append({
            feature: [float(vectorizer.idf_[i]), float(coefficients[offset + i])]
            for feature, i in vocabulary.items()
        })
        offset += len(vocabulary)
    return {"intercept": float(model.intercept_[0]), "parts": parts}


class LearnedUrgency:
    """A linear classifier over character and word n-grams, fit on urgency-examples.yaml.

    The phrases catch what organizers wrote down; this catches the rest of what people write
    in the moment ("immigration officers inside the building going door to door", "rodearon la
    casa") by resemblance to examples, typos included. It is fit once per version of the
    examples, out of the bot's process (bot/fitting.py), and only its weights are kept: a
    message is scored with a few dictionary look-ups (0.3 ms).
    The out-of-scope phrasings (divorce, the DMV, "hello") are calm examples too, weighing less:
    without them any short message unlike the examples ("hey", "directory opt out") looked
    urgent, because most calm examples are long questions.
    C, that weight and the threshold were chosen by 5-fold cross-validation on the examples
    (tests/data/urgency_tune_messages.jsonl and urgency_tune2_messages.jsonl): with the phrases,
    out of fold on the second set, 98.6% of as-it-happens messages caught in English and 90% in
    Spanish, 7% and 6% of calm ones flagged, and 135 of the 1,722 matching tuning messages
    flagged (the phrases alone: 85, most of them "ICE is knocking" questions). A lower threshold
    catches a few more and alarms many more calm questions.
    """

    C = 10.0
    THRESHOLD = 0.5
    BACKGROUND_WEIGHT = 0.1
    _GRAM_CACHE_LIMIT = 20_000  # words: a few MiB at most

    def __init__(self, happening: list[str], calm: list[str], background: list[str]) -> None:
        fitted = cached_fit("urgency", fit_urgency, {
            "happening": happening, "calm": calm, "background": background, "C": self.C,
            "background_weight": self.BACKGROUND_WEIGHT,
        })
        self.intercept: float = fitted["intercept"]
        self.parts = [
            (analyze, {f: (idf, w) for f, (idf, w) in table.items()})
            for analyze, table in zip(ANALYZERS, fitted["parts"], strict=True)
        ]
        # A word's character n-grams that the model knows, per word: words repeat from one
        # message to the next, and building the n-grams was half of this model's time.
        self._char_table = {f: (*v, f) for f, v in self.parts[0][1].items()}
        self._known_grams: dict[str, tuple[str, ...]] = {}

    def _grams_of(self, word: str) -> tuple[str, ...]:
        grams = self._known_grams.get(word)
        if grams is None:
            known = self._char_table  # the table's own strings are kept, not new copies
            grams = tuple(known[g][2] for g in char_ngrams(word) if g in known)
            if len(self._known_grams) < self._GRAM_CACHE_LIMIT:
                self._known_grams[word] = grams
        return grams

    def probability(self, words: tuple[str, ...]) -> float:
        """What the fitted model's predict_proba gives, computed from the kept weights."""
        text = " ".join(words)
        score = self.intercept
        for analyze, table in self.parts:
            if analyze is char_ngrams:  # the same n-grams, in the same order, word by word
                counts = Counter(g for word in text.split() for g in self._grams_of(word))
            else:
                counts = Counter(feature for feature in analyze(text) if feature in table)
            norm_squared = weighted = 0.0
            for feature, n in counts.items():
                idf, weight = table[feature]
                value = (1 + math.log(n)) * idf if n > 1 else idf
                norm_squared += value * value
                weighted += value * weight
            if norm_squared:
                score += weighted / math.sqrt(norm_squared)
        return 1 / (1 + math.exp(-score))

    def is_urgent(self, words: tuple[str, ...]) -> bool:
        return self.probability(words) >= self.THRESHOLD


class UrgencyDetector:
    """Built once from every language's vocabulary and urgency examples; `is_urgent(text)` is
    pure and fast (a fraction of a millisecond)."""

    def __init__(
        self, vocabularies: Mapping[str, Vocabulary], examples: Iterable[UrgencyExamples] = (),
        background: Iterable[str] = (),
    ) -> None:
        """`examples`: each language's urgency-examples.yaml; `background`: other calm
        messages (the out-of-scope phrasings)."""
        every = list(vocabularies.values())
        happening = [t for e in examples for t in e.happening]
        calm = [t for e in examples for t in e.calm]
        self.learned = (
            LearnedUrgency(happening, calm, list(background)) if happening and calm else None
        )
        self.happening = PhraseList.of(p for v in every for p in v.urgent)
        self.distress = PhraseList.of(p for v in every for p in v.distress)
        self.right_now = PhraseList.of(p for v in every for p in v.right_now)
        self.calm = PhraseList.of(p for v in every for p in v.calm)

    def is_urgent(self, text: str | Message) -> bool:
        """Written as it happens: the phrases say so, or the examples do."""
        message = Message.read(text)
        words = message.plain_words
        if not words:
            return False
        # The phrases are looked for everywhere; the model reads what the matcher reads.
        return self.phrases_say_urgent(words) or (
            self.learned is not None and self.learned.is_urgent(message.tail.plain_words))

    def phrases_say_urgent(self, words: tuple[str, ...]) -> bool:
        """The vocabulary's rule (see the module docstring)."""
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
