"""Find the FAQ entry a message asks about, or say honestly that there is none.

Built once from a `Knowledge` (the index is the expensive part); `match()` is pure and fast.

Three rankers score every entry and every out-of-scope topic (content/<lang>/out-of-scope.yaml):
- the scorer: how much of the message the entry explains (each term weighted by its rarity and by
  how central it is to the entry; words the content never uses count against it), and how close
  the message is to the entry's single closest phrasing (Dice, refined with rapidfuzz). In a story
  of several sentences, the terms of the last one (where the question usually is) weigh more;
- BM25 (bm25.py) over each entry's phrasings joined together, as analyzer terms and folded words;
- a linear classifier over character and word n-grams (classifier.py), trained on the phrasings
  and on the messages people wrote (examples.yaml).
They are fused (fusion.py) by a weighted sum of each one's scores over its top score. When an
out-of-scope topic comes first, the answer is `none` ("how do I get a divorce"). Otherwise a
logistic regression over named features of the ranking (decision.py, fit on the tuning sets only
by `python -m bot calibrate`) says whether the best entry is answered with confidence; if not, the
bot asks "did you mean…?" with the top three entries. A confident wrong legal answer is the worst
outcome, so the threshold keeps those rare on the tuning sets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from rapidfuzz import fuzz

from bot.knowledge import Knowledge, LanguageContent
from bot.matching.analyzer import CONCEPT_PREFIX, Analyzer
from bot.matching.bm25 import BM25
from bot.matching.classifier import PhrasingClassifier
from bot.matching.common_words import LEANING_RATIO, common_words, distinctive_words
from bot.matching.decision import RANKERS, Calibration, load_calibration
from bot.matching.fusion import fuse, ranked
from bot.matching.language import (
    LanguageLexicon,
    detect_language,
    distinctive_letters,
    distinguish,
    letters_used,
)
from bot.matching.text import fold, last_sentence

Decision = Literal["answer", "suggest", "none"]

OUT_OF_SCOPE_LABEL = "out-of-scope:"  # classifier labels of out-of-scope topics
MAX_CLASSIFIER_LABELS = 1_000
WORD_PREFIX = "="  # BM25 indexes folded words beside terms; this keeps "ice" the word apart


@dataclass(frozen=True)
class MatchSettings:
    """The scorer's weights (the decision thresholds are learned: see decision.py).

    These shape one of the three rankers and were tuned on the tuning sets (tests/data/dev_,
    tune_ and tune2_ to tune5_messages.jsonl) before the ranking became a fusion.
    """

    # a word only out-of-scope questions use, in this many phrasings of one of them, marks the
    # message as asking about something the FAQ does not cover ("texas", "divorce", "landlord")
    off_topic_min_phrasings: int = 3
    max_suggestions: int = 3  # "did you mean" offers the top three entries of the ranking
    # A message that is one term used by more than this share of the entries ("school", "ICE",
    # "police") does not say which is meant: never a confident answer. The tuning sets hold
    # almost none for the decision to learn it from; 0.2 is the share that keeps "school"
    # ambiguous and costs the fewest right answers there (8 of 1,187 in-scope messages).
    ambiguous_share: float = 0.2
    coverage_weight: float = 0.7
    fuzzy_weight: float = 0.1
    unknown_word_weight: float = 2.5  # a word the content never uses weighs like a rare one
    answer_word_weight: float = 1.0  # a word only the answers use is on topic: context, not noise
    # closeness to a phrasing for the best few by coverage: 12 before fusion; 6 ranks and
    # decides as well on the tuning sets, in half the time
    candidates_for_closeness: int = 6
    last_sentence_boost: float = 1.6
    classifier_last_sentence_repeat: int = 1  # the classifier reads a story's last sentence twice
    scenery_factor: float = 0.2  # unknown words before the last sentence of a story
    centrality_floor: float = 0.35


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided about one message."""

    entry_id: str | None
    lang: str
    score: int
    decision: Decision
    suggestions: tuple[str, ...] = ()
    # Written as it happens: not the matcher's business but the message's (bot/urgency.py); the
    # Assistant sets it, so logs and /stats see it beside the decision.
    urgent: bool = False
    understood: bool = True  # False when no word was left to match: "hola", "thanks", "ok"
    not_covered: str | None = None  # the out-of-scope topic the message fits best, if any

    def as_json(self) -> dict[str, object]:
        """The stable `python -m bot match` contract."""
        return {
            "id": self.entry_id, "lang": self.lang, "score": self.score,
            "decision": self.decision, "suggestions": list(self.suggestions),
        }


@dataclass
class _EntryIndex:
    """One entry's phrasings as term sets: which phrasings hold each term, and their weights."""

    entry_id: str
    term_docs: dict[str, tuple[int, ...]] = field(default_factory=dict)
    doc_weights: list[float] = field(default_factory=list)
    doc_texts: list[str] = field(default_factory=list)
    centrality: dict[str, float] = field(default_factory=dict)
    out_of_scope: bool = False


class _LanguageIndex:
    """The index of one language: its entries, then its out-of-scope questions."""

    def __init__(
        self, analyzer: Analyzer, entries: Sequence[tuple[str, Sequence[str]]],
        settings: MatchSettings, calibration: Calibration, answers: Sequence[str] = (),
        out_of_scope: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> None:
        self.analyzer = analyzer
        # Terms the answers use but no phrasing does: on topic, yet not what any entry is about.
        self.answer_terms = frozenset(t for a in set(answers) for t in analyzer.terms(a))
        self.covered = covered = len(entries)
        # Each phrasing is read once: its words (for BM25 and the classifier) and its terms.
        self.read = [
            (entry_id, [analyzer.words(t) for t in texts])
            for entry_id, texts in (*entries, *out_of_scope)
        ]
        term_lists = [[analyzer.terms_of(w) for w in words] for _, words in self.read]
        doc_terms = [
            (entry_id, [frozenset(terms) for terms in lists])
            for (entry_id, _), lists in zip(self.read, term_lists, strict=True)
        ]
        document_frequency = _document_frequency(docs for _, docs in doc_terms)
        n = max(len(doc_terms), 1)
        self.idf = {t: math.log(1 + n / df) for t, df in document_frequency.items()}
        # Specificity among the entries alone, for the decision's evidence: it must not drift
        # when organizers add out-of-scope topics ("school" stays a word of six entries).
        entry_frequency = _document_frequency(docs for _, docs in doc_terms[:covered])
        self.entry_idf = {
            t: math.log(1 + max(covered, 1) / df) for t, df in entry_frequency.items()
        }
        self.off_topic_terms = _off_topic_terms(
            [docs for _, docs in doc_terms[covered:]],
            set(entry_frequency) | self.answer_terms, settings.off_topic_min_phrasings,
        )
        self.ids = [entry_id for entry_id, _ in doc_terms]
        self.entries: list[_EntryIndex] = []
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for position, (entry_id, docs) in enumerate(doc_terms):
            item = _EntryIndex(entry_id, out_of_scope=position >= covered)
            usable = [d for d in docs if d]
            for terms in usable:
                item.doc_weights.append(sum(self.idf[t] for t in sorted(terms)))
                item.doc_texts.append(" ".join(sorted(terms)))
            for term in sorted(set().union(*usable)) if usable else ():
                holders = tuple(i for i, d in enumerate(usable) if term in d)
                item.term_docs[term] = holders
                share = len(holders) / len(usable)
                floor = settings.centrality_floor
                item.centrality[term] = floor + (1 - floor) * share
                positions, centralities = postings.setdefault(term, ([], []))
                positions.append(position)
                centralities.append(item.centrality[term])
            self.entries.append(item)
        # Per term: the entries that use it and how central it is to each, as arrays, so that
        # scoring a message against 10,000 entries is a few vector additions, not a loop.
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            term: (np.array(positions, dtype=np.int32), np.array(centralities))
            for term, (positions, centralities) in postings.items()
        }
        # BM25 documents: every phrasing of an entry joined, as terms and as folded words.
        ranking = calibration.ranking
        self.bm25 = BM25(
            [
                [t for terms in lists for t in terms]
                + [WORD_PREFIX + x for w in words for x in w if x not in analyzer.stopwords]
                for (_, words), lists in zip(self.read, term_lists, strict=True)
            ],
            ranking.bm25_k1, ranking.bm25_b,
        )


def _document_frequency(items: Iterable[list[frozenset[str]]]) -> dict[str, int]:
    """In how many items (entries or out-of-scope topics, each a list of phrasings) each term is."""
    return Counter(term for docs in items for term in set().union(*docs))


def _off_topic_terms(
    topics: list[list[frozenset[str]]], on_topic: set[str], min_phrasings: int
) -> frozenset[str]:
    """Terms only out-of-scope questions use ("texas", "divorce", "bail"), in at least
    `min_phrasings` phrasings of one of them (so a stray word is not enough). A term that an
    entry's phrasings *or answer* use is on topic ("test" is in the Drive Only answer, "vaccine"
    in enrollment's) and never counts. Numbers are never such terms."""
    found: set[str] = set()
    for phrasings in topics:
        uses = Counter(term for terms in phrasings for term in terms)
        found |= {
            term for term, count in uses.items()
            if count >= min_phrasings and term not in on_topic
            and not any(ch.isdigit() for ch in term)
        }
    return frozenset(found)


def _phrasing_words(content: LanguageContent) -> Counter[str]:
    """The words of a language's phrasings, entries' and out-of-scope questions', with how often
    each is used (a typo one letter from two words is read as the more used one: "hlep" is help).

    Out-of-scope phrasings add their words but not their numbers: a number the entries do not
    use stays context ("call me at 8"), whatever "n-400" or "i-94" may mean elsewhere.
    """
    words = Counter(
        word for e in content.entries.values() for text in e.match_texts
        for word in fold(text).split()
    )
    words.update(
        word for texts in content.out_of_scope.values() for text in texts
        for word in fold(text).split() if not any(ch.isdigit() for ch in word)
    )
    return words


def _lexicon(content: LanguageContent) -> LanguageLexicon:
    """Every word a language's content uses (entries, answers, vocabulary), for detection."""
    words: set[str] = set()
    for entry in content.entries.values():
        for text in (*entry.match_texts, entry.answer):
            words.update(fold(text).split())
    for phrasings in content.out_of_scope.values():
        for text in phrasings:
            words.update(fold(text).split())
    vocabulary = content.vocabulary
    for terms in vocabulary.concepts.values():
        for term in terms:
            words.update(fold(term).split())
    words.update(fold(w) for w in vocabulary.abbreviations)
    stopwords = frozenset(fold(w) for w in vocabulary.stopwords)
    return LanguageLexicon(frozenset(words), stopwords, common_words(content.lang))


def language_lexicons(knowledge: Knowledge) -> dict[str, LanguageLexicon]:
    """Every language's lexicon for language detection, with the words and letters that tell
    it from the others (see language.py)."""
    codes = tuple(knowledge.languages)
    several = len(codes) > 1
    return distinguish(
        {lang: _lexicon(c) for lang, c in knowledge.languages.items()},
        {lang: distinctive_words(lang, codes) for lang in codes} if several else {},
        distinctive_letters({lang: letters_used(_written_texts(c))
                             for lang, c in knowledge.languages.items()}),
        {lang: distinctive_words(lang, codes, LEANING_RATIO) for lang in codes}
        if len(codes) > 2 else None,  # with two, a tie always holds the default
    )


def _written_texts(content: LanguageContent) -> Iterable[str]:
    """What organizers wrote in a language (for the letters it uses): entries, right-now steps,
    out-of-scope phrasings, vocabulary. Contacts are left out: names are often in another
    language ("Fixture Legal Aid" in pt/)."""
    for entry in content.entries.values():
        yield from (entry.label, entry.answer, *entry.match_texts)
    for phrasings in content.out_of_scope.values():
        yield from phrasings
    if content.right_now is not None:
        yield from content.right_now.steps
    for terms in content.vocabulary.concepts.values():
        yield from terms


@dataclass(frozen=True)
class Ranking:
    """Every ranker's scores for one message, fused, and the decision's features for the best
    entry. `scores` rows follow RANKERS; columns follow the language's entries, then its
    out-of-scope topics."""

    lang: str
    ids: tuple[str, ...]
    covered: int  # columns before this one are entries, the rest out-of-scope topics
    scores: np.ndarray
    fused: np.ndarray
    order: np.ndarray  # columns from best to worst (fused)
    features: dict[str, float]
    ambiguous: bool = False  # one term several entries use: never a confident answer

    @property
    def best(self) -> int:
        return int(self.order[0])

    def top_entries(self, count: int) -> list[str]:
        """The first `count` entries (not out-of-scope topics) of the fused ranking that share
        something with the message."""
        return [
            self.ids[i] for i in self.order.tolist()
            if i < self.covered and self.fused[i] > 0
        ][:count]

    def ranker_top(self, ranker: str) -> str | None:
        """The id a single ranker puts first (for measuring each ranker alone)."""
        row = self.scores[RANKERS.index(ranker)]
        return self.ids[int(np.argmax(row))] if row.size and row.max() > 0 else None


class Matcher:
    """Matches messages against every language's entries. Build once; call `match` often."""

    def __init__(
        self, knowledge: Knowledge, settings: MatchSettings | None = None,
        calibration: Calibration | None = None, isolated_fit: bool = True,
    ) -> None:
        """`isolated_fit`: fit the classifier, when its weights are not cached, in a child
        process (keeps scikit-learn out of a long-running bot); False is faster for a caller
        that builds many matchers in a row (see PhrasingClassifier.trained)."""
        self.knowledge = knowledge
        self.settings = settings or MatchSettings()
        self.calibration = calibration or load_calibration()
        vocabularies = {lang: c.vocabulary for lang, c in knowledge.languages.items()}
        self._lexicons = language_lexicons(knowledge)
        # Words of any language's phrasings are known as they are (Spanglish included); typos
        # are corrected towards the message's own language only (see Analyzer).
        phrasing_words = {lang: _phrasing_words(c) for lang, c in knowledge.languages.items()}
        lexicon = set().union(*phrasing_words.values())
        self._indexes: dict[str, _LanguageIndex] = {}
        texts: list[str] = []
        labels: list[str] = []
        for lang, content in knowledge.languages.items():
            analyzer = Analyzer(
                lang, vocabularies, lexicon, phrasing_words[lang], common_words(lang)
            )
            entries = [(e.id, e.match_texts) for e in content.entries.values()]
            out_of_scope = list(content.out_of_scope.items())
            index = self._indexes[lang] = _LanguageIndex(
                analyzer, entries, self.settings, self.calibration,
                [e.answer for e in content.entries.values()], out_of_scope,
            )
            for position, (entry_id, phrasings) in enumerate(index.read):
                label = (OUT_OF_SCOPE_LABEL if position >= index.covered else "") + entry_id
                for words in phrasings:
                    texts.append(" ".join(words))
                    labels.append(label)
            del index.read
            # Messages people wrote (examples.yaml) teach the classifier alone: they are noisy
            # (stories, typos), which a linear model over many n-grams absorbs, while the
            # scorer's closeness to one phrasing and the typo lexicon would be misled by them.
            for entry_id, messages in content.examples.items():
                for message in messages:
                    texts.append(" ".join(analyzer.words(message)))
                    labels.append(entry_id)
            analyzer.keep_stems()  # the content's words only: no message has been read yet
        ranking = self.calibration.ranking
        # The classifier's weights are labels x n-grams: for a FAQ (tens of entries) a few MB,
        # for 10,000 entries gigabytes and minutes of fitting. Past MAX_CLASSIFIER_LABELS the
        # matcher ranks with the scorer and BM25 alone (the classifier's features are then 0).
        self._classifier = (
            PhrasingClassifier.trained(
                texts, labels, ranking.classifier_c, ranking.classifier_min_df,
                isolated=isolated_fit,
            )
            if len(set(labels)) <= MAX_CLASSIFIER_LABELS else None
        )
        # For each language, the classifier's label -> that language's column (-1: none).
        self._label_columns: dict[str, np.ndarray] = {}
        for lang, index in self._indexes.items():
            column = {
                (OUT_OF_SCOPE_LABEL if i >= index.covered else "") + entry_id: i
                for i, entry_id in enumerate(index.ids)
            }
            known = self._classifier.labels if self._classifier is not None else ()
            self._label_columns[lang] = np.array(
                [column.get(label, -1) for label in known], dtype=np.int64
            )

    def off_topic_words(self, lang: str) -> list[str]:
        """The single words of out-of-scope phrasings that only out-of-scope topics use (see
        MatchSettings.off_topic_min_phrasings), as organizers wrote them: `validate` lists them
        so that a common word slipped in by accident ("away", "much") is easy to spot."""
        index = self._indexes[lang]
        words = {
            word for texts in self.knowledge.languages[lang].out_of_scope.values()
            for text in texts for word in index.analyzer.words(text)
            if any(t in index.off_topic_terms for t in index.analyzer.terms_of([word]))
        }
        return sorted(words)

    def catch_all_out_of_scope(self, lang: str) -> list[str]:
        """Out-of-scope phrasings that, once read, are a single word the entries also use
        ("a quién le llamo" is only "call"): every message made of that word would then be
        taken as not covered. `validate` lists them so organizers can add the topic's own words
        ("...desde la detención")."""
        index = self._indexes[lang]
        entry_terms = set(index.entry_idf)
        return [
            text for texts in self.knowledge.languages[lang].out_of_scope.values()
            for text in texts
            if len(terms := set(index.analyzer.terms(text))) == 1 and terms <= entry_terms
        ]

    def detect_language(self, text: str, lang_hint: str | None = None,
                        chosen: str | None = None) -> str:
        """The message's language (see language.py); a tie goes to the user's `chosen`
        language, then to `lang_hint` (Telegram's), then to the default."""
        hint = lang_hint if lang_hint in self._indexes else None
        return detect_language(
            fold(text).split(), self._lexicons, hint, self.knowledge.default_language,
            text=text, chosen=chosen if chosen in self._indexes else None,
        )

    def match(self, text: str, lang_hint: str | None = None, chosen: str | None = None
              ) -> MatchResult:
        """Best entry for the message, in the message's own language, with a decision."""
        ranking = self.rank(text, lang_hint, chosen)
        if isinstance(ranking, MatchResult):
            return ranking
        return self._decide(ranking)

    def rank(self, text: str, lang_hint: str | None = None, chosen: str | None = None
             ) -> Ranking | MatchResult:
        """Every ranker's scores and the decision's features; a `none` result when nothing in
        the message is a word the FAQ can match ("hola", "ok", emoji) or nothing is shared."""
        lang = self.detect_language(text, lang_hint, chosen)
        index = self._indexes[lang]
        words = index.analyzer.words(text)
        tail = last_sentence(text)
        # A story's last sentence, read once: the scorer weighs its terms more, the classifier
        # reads its words twice.
        tail_words = index.analyzer.words(tail) if tail is not None else None
        focus = set(index.analyzer.terms_of(tail_words)) if tail_words is not None else set()
        terms = index.analyzer.terms_of(words)
        if not terms:
            return MatchResult(None, lang, 0, "none", (), understood=False)
        scorer, details = self._score(index, terms, focus)
        if not scorer.any():  # no entry or topic uses any term of the message: nothing fits
            return MatchResult(None, lang, 0, "none", ())
        bm25 = index.bm25.scores(
            [*terms, *(WORD_PREFIX + w for w in words if w not in index.analyzer.stopwords)]
        )
        # The classifier's linear scores, and for fusion exp(score - top score): positive, the
        # best at 1, each unit of linear score behind it a factor e less.
        columns = self._label_columns[lang]
        known = columns >= 0
        if self._classifier is not None and known.any():
            classifier_raw = np.full(len(index.ids), -np.inf)
            classifier_raw[columns[known]] = self._classifier.scores(
                self._classifier_text(words, tail_words))[known]
            classifier = np.exp(classifier_raw - classifier_raw.max())
        else:
            classifier_raw = classifier = np.zeros(len(index.ids))
        scores = np.vstack([scorer, bm25, classifier])
        fused = fuse(list(scores), self.calibration.ranking.weight_list())
        order = ranked(fused)
        features = self._features(
            index, terms, focus, scores, fused, order, details, classifier_raw
        )
        return Ranking(lang, tuple(index.ids), index.covered, scores, fused, order, features,
                       self._one_shared_word(index, set(terms)))

    def _classifier_text(self, words: list[str], tail_words: list[str] | None) -> str:
        """What the classifier reads: the message, then its last sentence again when it has
        several. In a story the question usually comes last, and told three times, "I work in a
        restaurant" would otherwise outweigh "do I have to open the door" (the scorer weighs the
        last sentence the same way: MatchSettings.last_sentence_boost)."""
        text = " ".join(words)
        repeat = self.settings.classifier_last_sentence_repeat
        if tail_words is None or not repeat:
            return text
        return " ".join([text, *[" ".join(tail_words)] * repeat])

    def _score(
        self, index: _LanguageIndex, terms: list[str], focus: set[str]
    ) -> tuple[np.ndarray, dict[str, object]]:
        """The scorer: 0-1 per column (entries and out-of-scope topics), and what the decision
        needs to know about the message (its weighted terms, coverage per column).

        `focus` holds the terms of the message's last sentence, which weigh more: in a long
        story, that is where the question usually is. Closeness to a phrasing is computed for
        the best candidates by coverage; the others score by coverage alone.
        """
        s = self.settings
        query = sorted(set(terms))  # sorted: float sums in the same order under any hash seed
        weights = {
            t: index.idf.get(t) or (
                s.answer_word_weight if t in index.answer_terms else s.unknown_word_weight
            )
            for t in query
        }
        for term in focus:
            if term in weights:
                weights[term] *= s.last_sentence_boost
        if focus:  # a story: words the content does not know, outside the question, are scenery
            for term in weights:
                if term not in focus and term not in index.idf:
                    weights[term] *= s.scenery_factor
        total = sum(weights.values())
        central = np.zeros(len(index.entries))
        explained = np.zeros(len(index.entries))
        for term in query:
            posting = index.postings.get(term)
            if posting is not None:
                positions, centrality = posting
                central[positions] += weights[term] * centrality
                explained[positions] += weights[term]
        coverage = central / total
        scores = s.coverage_weight * coverage
        details: dict[str, object] = {
            "weights": weights, "total": total, "explained": explained, "closeness": {},
        }
        found = np.flatnonzero(explained)
        if not found.size:
            return scores, details
        keep = min(s.candidates_for_closeness, found.size)
        # Best coverage first, content order on ties: the same shortlist on every run.
        shortlist = found[np.argsort(-coverage[found], kind="stable")[:keep]]
        for position in shortlist.tolist():
            dice, fuzzy, recall = self._closeness(index, position, weights, total)
            details["closeness"][position] = recall  # type: ignore[index]
            scores[position] += (1.0 - s.coverage_weight - s.fuzzy_weight) * dice
            scores[position] += s.fuzzy_weight * fuzzy
        return np.minimum(scores, 1.0), details

    @staticmethod
    def _closeness(
        index: _LanguageIndex, position: int, weights: dict[str, float], total: float
    ) -> tuple[float, float, float]:
        """(Dice with the closest phrasing, rapidfuzz token_sort_ratio with it, the largest
        share of one phrasing's weight that the message has) for one column."""
        item = index.entries[position]
        shared_terms = sorted(t for t in weights if t in item.centrality)
        # Only the phrasings that share a term with the message can be the closest one.
        shared: dict[int, float] = {}
        found_in_doc: dict[int, float] = {}  # unboosted, to compare with the phrasing
        for term in shared_terms:
            weight, idf = weights[term], index.idf[term]
            for doc in item.term_docs[term]:
                shared[doc] = shared.get(doc, 0.0) + weight
                found_in_doc[doc] = found_in_doc.get(doc, 0.0) + idf
        best_dice, best_doc, recall = 0.0, "", 0.0
        for doc in sorted(shared):
            doc_weight = item.doc_weights[doc]
            dice = 2 * shared[doc] / (total + doc_weight)
            if dice > best_dice:
                best_dice, best_doc = dice, item.doc_texts[doc]
            if found_in_doc[doc] > recall * doc_weight:
                recall = found_in_doc[doc] / doc_weight
        query_text = " ".join(sorted(weights))
        fuzzy = fuzz.token_sort_ratio(query_text, best_doc) / 100 if best_doc else 0.0
        return best_dice, fuzzy, recall

    def _features(
        self, index: _LanguageIndex, terms: list[str], focus: set[str], scores: np.ndarray,
        fused: np.ndarray, order: np.ndarray, details: dict[str, object],
        classifier: np.ndarray,
    ) -> dict[str, float]:
        """The decision's named features (decision.FEATURES) for the best-fused column."""
        best = int(order[0])
        weights: dict[str, float] = details["weights"]  # type: ignore[assignment]
        total: float = details["total"]  # type: ignore[assignment]
        explained: np.ndarray = details["explained"]  # type: ignore[assignment]
        closeness: dict[int, float] = details["closeness"]  # type: ignore[assignment]
        recall = closeness.get(best)
        if recall is None:
            recall = self._closeness(index, best, weights, total)[2]
        item = index.entries[best]
        shared = [t for t in weights if t in item.centrality]

        def lead(row: np.ndarray, absolute: bool = False) -> float:
            """The best entry's score minus the highest other score (over the top score)."""
            mine = float(row[best])
            row[best] = -np.inf
            runner_up = float(row.max()) if row.size > 1 else 0.0
            row[best] = mine
            top = max(mine, runner_up)
            if absolute:
                return mine - runner_up
            return (mine - runner_up) / top if top > 0 else 0.0

        scorer, bm25, _ = scores
        # np.argmax returns the first of equal scores: content order, as the fused ranking.
        tops = [int(np.argmax(row)) if row.max() > 0 else -1 for row in scores]
        out_of_scope = fused[index.covered:]
        query = set(terms)
        return {
            "fused_top": float(fused[best]),
            "fused_margin": lead(fused, absolute=True),
            "scorer_score": float(scorer[best]),
            "scorer_margin": lead(scorer, absolute=True),
            "bm25_margin": lead(bm25),
            "classifier_score": float(classifier[best]),
            "classifier_margin": lead(classifier, absolute=True),
            "agreement": float(sum(top == best for top in tops)),
            "coverage": float(explained[best]) / total if total else 0.0,
            "recall": recall,
            "evidence": sum(index.entry_idf.get(t, 0.0) for t in shared),
            "terms": math.log1p(len(query)),
            "unknown_share": sum(t not in index.idf for t in query) / len(query),
            "out_of_scope": (
                float(out_of_scope.max()) / float(fused[best])
                if out_of_scope.size and fused[best] > 0 else 0.0
            ),
            "off_topic": float(any(
                t in index.off_topic_terms and (not focus or t in focus) for t in query
            )),
            "vague": float(len(shared) == 1 and not shared[0].startswith(CONCEPT_PREFIX)),
            "missing_subject": self._missing_subject(index, best, query),
        }

    @staticmethod
    def _missing_subject(index: _LanguageIndex, best: int, query: set[str]) -> float:
        """How strongly the message names a subject that the best entry is never asked about
        but another entry or out-of-scope topic is: the largest IDF x centrality elsewhere of a
        message term that none of the entry's phrasings use.

        "Can ICE arrest me at my check-in?" shares most of its words with the arrest entry,
        so coverage and the rankers' margins look sure; but "check-in" is what it is about,
        and another entry is built around it. A word that many entries use ("ice", "help")
        has a low IDF and barely counts; a word no column uses is not a subject (unknown_share
        speaks for those). Its answer may mention the word ("a judge's warrant names a court"),
        but what an entry is about is what people ask it: its phrasings. The decision learns
        how much this weighs (calibrate)."""
        item = index.entries[best]
        strongest = 0.0
        for term in sorted(query):
            if term in item.centrality:
                continue
            posting = index.postings.get(term)
            if posting is not None:
                strongest = max(strongest, index.idf[term] * float(posting[1].max()))
        return strongest

    def _one_shared_word(self, index: _LanguageIndex, terms: set[str]) -> bool:
        """Whether the only term of the message that the FAQ uses is one that many entries use
        ("school", "ICE is here, what do I do"): it does not say which of them is meant, so it
        is never answered with confidence, whatever the rankers' tie-break (see
        MatchSettings.ambiguous_share). The one rule kept beside the learned decision."""
        known = [t for t in terms if t in index.idf]  # words the FAQ never uses say nothing
        if len(known) != 1:
            return False
        (term,) = known
        posting = index.postings.get(term)
        users = int((posting[0] < index.covered).sum()) if posting is not None else 0
        return users > index.covered * self.settings.ambiguous_share

    def _decide(self, ranking: Ranking) -> MatchResult:
        s = self.settings
        best = ranking.best
        if best >= ranking.covered:
            # A question the FAQ knows it does not answer.
            return MatchResult(
                None, ranking.lang, round(100 * float(ranking.fused[best])), "none", (),
                not_covered=ranking.ids[best],
            )
        top = ranking.top_entries(s.max_suggestions)
        model = self.calibration.decision
        probability = model.probability(ranking.features) if model is not None else 0.0
        confident = model is not None and probability >= model.threshold and not ranking.ambiguous
        # An out-of-scope topic among the first few is what the question may be about instead:
        # /stats counts it ("driver's license in Texas" may be the Drive Only entry, or not).
        close = [i for i in ranking.order[: s.max_suggestions].tolist() if i >= ranking.covered]
        not_covered = ranking.ids[close[0]] if close and not confident else None
        return MatchResult(
            top[0], ranking.lang, round(100 * probability),
            "answer" if confident else "suggest", tuple(top[1:]),
            not_covered=not_covered,
        )
