"""Find the FAQ entry a message asks about, or say honestly that there is none.

Built once from a `Knowledge` (the index is the expensive part); `match()` is pure and fast.

Scoring, per candidate entry (entries sharing at least one term with the message):
- coverage: how much of the message the entry explains, each term weighted by its rarity (IDF)
  and by how central it is to the entry (the share of the entry's phrasings that use it). Words
  the content never uses count against coverage: "divorce" or "taxes" leave a question unexplained.
- closeness: the best single phrasing's weighted overlap with the message (Dice), refined with
  rapidfuzz's token_sort_ratio on the terms, so a message that *is* one of the phrasings wins.
Out-of-scope questions (content/<lang>/out-of-scope.yaml) are indexed and scored like entries: when
one fits best, the message gets `none` (or "did you mean" for a close entry), and a word that only
they use ("divorce", "landlord", "texas") keeps any entry from answering with confidence.
In a story of several sentences, the terms of the last one (where the question usually is) weigh
more. The decision (see MatchSettings) answers only when the best entry leads clearly, rests on
specific words and explains the message; a confident wrong legal answer is the worst outcome, so
otherwise the bot asks "did you mean…?" or says it has no answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
from rapidfuzz import fuzz

from bot.knowledge import Knowledge, LanguageContent
from bot.matching.analyzer import CONCEPT_PREFIX, Analyzer
from bot.matching.common_words import common_words
from bot.matching.language import LanguageLexicon, detect_language
from bot.matching.text import fold, last_sentence

Decision = Literal["answer", "suggest", "none"]


@dataclass(frozen=True)
class MatchSettings:
    """Scoring weights and decision thresholds.

    Calibrated on the tuning sets only (tests/data/dev_, tune_ and tune2_ to tune5_messages.jsonl;
    tune2 is mostly near-miss questions): a grid search that maximizes confident right answers
    while keeping confident wrong answers at or under 2.5% and out-of-scope messages safe at 94%
    or more. The point kept is within about a point of the best one found and gives fewer
    confident wrong answers. The held-out sets (heldout_, heldout2_, heldout3_messages.jsonl)
    only measure.
    """

    answer_score: float = 30.0  # a confident answer needs this score...
    answer_margin: float = 6.0  # ...this lead over the runner-up...
    # ...with enough specific evidence: "ice" alone is in half the entries, so it only suggests
    answer_evidence: float = 1.75
    # ...and it must explain the message: most of it, and some of one of its phrasings...
    answer_coverage: float = 0.6
    answer_recall: float = 0.3
    # ...or most of one phrasing, sharing several terms, when a word or two of the message are
    # unknown to it ("my kid's school in Danbury: what if the feds show up there")
    near_phrasing_coverage: float = 0.5
    near_phrasing_recall: float = 0.7
    near_phrasing_terms: int = 3
    suggest_score: float = 20.0  # below this, nothing fits: reply with contacts
    suggestion_window: float = 25.0  # "did you mean" offers entries this close to the best
    # when the best fit is a question the FAQ does not answer, entries this close are still offered
    out_of_scope_window: float = 10.0
    # a word only out-of-scope questions use, in this many phrasings of one of them, marks the
    # message as asking about something the FAQ does not cover ("texas", "divorce", "landlord")
    off_topic_min_phrasings: int = 3
    max_suggestions: int = 3
    coverage_weight: float = 0.7
    fuzzy_weight: float = 0.1
    unknown_word_weight: float = 2.5  # a word the content never uses weighs like a rare one
    answer_word_weight: float = 1.0  # a word only the answers use is on topic: context, not noise
    candidates_for_closeness: int = 12
    last_sentence_boost: float = 1.6
    scenery_factor: float = 0.2  # unknown words before the last sentence of a story
    centrality_floor: float = 0.35


class Candidate(NamedTuple):
    """An entry the message may be about: its score and the share of the message it explains."""

    entry_id: str
    score: float
    explained: float  # summed weight of the message's terms that this entry uses
    total: float  # summed weight of all the message's terms
    recall: float = 0.0  # the largest share of one phrasing's weight that the message has
    shared_terms: int = 0  # how many distinct message terms the entry uses
    vague: bool = False  # the only shared term is a plain word, not a concept from the vocabulary
    evidence: float = 0.0  # how specific the shared terms are among the FAQ's entries (summed IDF)
    out_of_scope: bool = False  # a question the FAQ knows it does not answer (out-of-scope.yaml)

    @property
    def coverage(self) -> float:
        return self.explained / self.total if self.total else 0.0


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided about one message."""

    entry_id: str | None
    lang: str
    score: int
    decision: Decision
    suggestions: tuple[str, ...] = ()
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
    """The inverted index of one language: its entries, then its out-of-scope questions."""

    def __init__(
        self, analyzer: Analyzer, entries: Sequence[tuple[str, Sequence[str]]],
        centrality_floor: float, answers: Sequence[str] = (),
        out_of_scope: Sequence[tuple[str, Sequence[str]]] = (),
        off_topic_min_phrasings: int = 3,
    ) -> None:
        self.analyzer = analyzer
        # Terms the answers use but no phrasing does: on topic, yet not what any entry is about.
        self.answer_terms = frozenset(t for a in set(answers) for t in analyzer.terms(a))
        covered = len(entries)
        doc_terms: list[tuple[str, list[frozenset[str]]]] = [
            (entry_id, [frozenset(analyzer.terms(t)) for t in texts])
            for entry_id, texts in (*entries, *out_of_scope)
        ]
        document_frequency = _document_frequency(docs for _, docs in doc_terms)
        n = max(len(doc_terms), 1)
        self.idf = {t: math.log(1 + n / df) for t, df in document_frequency.items()}
        # Specificity among the entries alone, for the evidence a confident answer needs: it must
        # not drift when organizers add out-of-scope topics ("school" stays a word of six entries).
        entry_frequency = _document_frequency(docs for _, docs in doc_terms[:covered])
        self.entry_idf = {
            t: math.log(1 + max(covered, 1) / df) for t, df in entry_frequency.items()
        }
        self.off_topic_terms = _off_topic_terms(
            [docs for _, docs in doc_terms[covered:]], set(entry_frequency), off_topic_min_phrasings
        )
        self.entries: list[_EntryIndex] = []
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for position, (entry_id, docs) in enumerate(doc_terms):
            item = _EntryIndex(entry_id, out_of_scope=position >= covered)
            usable = [d for d in docs if d]
            for terms in usable:
                item.doc_weights.append(sum(self.idf[t] for t in terms))
                item.doc_texts.append(" ".join(sorted(terms)))
            for term in set().union(*usable) if usable else set():
                holders = tuple(i for i, d in enumerate(usable) if term in d)
                item.term_docs[term] = holders
                share = len(holders) / len(usable)
                item.centrality[term] = centrality_floor + (1 - centrality_floor) * share
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


def _document_frequency(items: Iterable[list[frozenset[str]]]) -> dict[str, int]:
    """In how many items (entries or out-of-scope topics, each a list of phrasings) each term is."""
    return Counter(term for docs in items for term in set().union(*docs))


def _off_topic_terms(
    topics: list[list[frozenset[str]]], entry_terms: set[str], min_phrasings: int
) -> frozenset[str]:
    """Terms only out-of-scope questions use ("texas", "vaccine", "bail"), in at least
    `min_phrasings` phrasings of one of them (so a stray word is not enough). A message that
    says one asks about something the FAQ knows it does not cover: it is never answered with
    confidence, however well an entry explains the rest of it. Numbers are never such terms."""
    found: set[str] = set()
    for phrasings in topics:
        uses = Counter(term for terms in phrasings for term in terms)
        found |= {
            term for term, count in uses.items()
            if count >= min_phrasings and term not in entry_terms
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


class Matcher:
    """Matches messages against every language's entries. Build once; call `match` often."""

    def __init__(self, knowledge: Knowledge, settings: MatchSettings | None = None) -> None:
        self.knowledge = knowledge
        self.settings = settings or MatchSettings()
        vocabularies = {lang: c.vocabulary for lang, c in knowledge.languages.items()}
        self._lexicons = {lang: _lexicon(c) for lang, c in knowledge.languages.items()}
        # Words of any language's phrasings are known as they are (Spanglish included); typos
        # are corrected towards the message's own language only (see Analyzer).
        phrasing_words = {lang: _phrasing_words(c) for lang, c in knowledge.languages.items()}
        lexicon = set().union(*phrasing_words.values())
        self._indexes: dict[str, _LanguageIndex] = {}
        self._urgent_phrases = tuple(
            f" {fold(p)} " for c in knowledge.languages.values() for p in c.vocabulary.urgent
            if fold(p)
        )
        for lang, content in knowledge.languages.items():
            analyzer = Analyzer(
                lang, vocabularies, lexicon, phrasing_words[lang], common_words(lang)
            )
            entries = [(e.id, e.match_texts) for e in content.entries.values()]
            self._indexes[lang] = _LanguageIndex(
                analyzer, entries, self.settings.centrality_floor,
                [e.answer for e in content.entries.values()], list(content.out_of_scope.items()),
                self.settings.off_topic_min_phrasings,
            )

    def off_topic_words(self, lang: str) -> list[str]:
        """The single words of out-of-scope phrasings that keep any entry from answering (see
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

    def detect_language(self, text: str, lang_hint: str | None = None) -> str:
        hint = lang_hint if lang_hint in self._indexes else None
        return detect_language(
            fold(text).split(), self._lexicons, hint, self.knowledge.default_language
        )

    def match(self, text: str, lang_hint: str | None = None) -> MatchResult:
        """Best entry for the message, in the message's own language, with a decision."""
        lang = self.detect_language(text, lang_hint)
        index = self._indexes[lang]
        words = index.analyzer.words(text)
        urgent = index.analyzer.has_phrase(words, self._urgent_phrases)
        tail = last_sentence(text)
        focus = set(index.analyzer.terms(tail)) if tail is not None else set()
        terms = index.analyzer.terms_of(words)
        if not terms:
            return MatchResult(None, lang, 0, "none", (), urgent, understood=False)
        return self._decide(
            lang, self._rank(index, terms, focus), urgent, self._off_topic(index, terms, focus)
        )

    @staticmethod
    def _off_topic(index: _LanguageIndex, terms: list[str], focus: set[str]) -> bool:
        """Whether the message's question names something only out-of-scope topics talk about.

        In a story, only the last sentence counts: "I was at the DMV when ICE came in" is scenery.
        """
        return any(t in index.off_topic_terms and (not focus or t in focus) for t in terms)

    def _rank(
        self, index: _LanguageIndex, terms: list[str], focus: set[str] | None = None
    ) -> list[Candidate]:
        """Candidate entries with scores 0-100, best first.

        `focus` holds the terms of the message's last sentence, which weigh more: in a long
        story, that is where the question usually is.
        """
        s = self.settings
        query = set(terms)
        if not query:
            return []
        weights = {
            t: index.idf.get(t) or (
                s.answer_word_weight if t in index.answer_terms else s.unknown_word_weight
            )
            for t in query
        }
        for term in focus or ():
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
        found = np.flatnonzero(explained)
        if not found.size:
            return []
        coverage = central / total
        keep = min(s.candidates_for_closeness, found.size)
        shortlist = found[np.argpartition(-coverage[found], keep - 1)[:keep]]
        query_text = " ".join(sorted(query))
        scored: list[Candidate] = []
        closeness_weight = 1.0 - s.coverage_weight - s.fuzzy_weight
        for position in sorted(shortlist.tolist()):
            item = index.entries[position]
            shared_terms = [t for t in query if t in item.centrality]
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
            fuzzy = fuzz.token_sort_ratio(query_text, best_doc) / 100 if best_doc else 0.0
            score = 100 * (
                s.coverage_weight * float(coverage[position])
                + closeness_weight * best_dice
                + s.fuzzy_weight * fuzzy
            )
            scored.append(
                Candidate(
                    item.entry_id, min(score, 100.0), float(explained[position]), total,
                    recall, len(shared_terms),
                    len(shared_terms) == 1 and not shared_terms[0].startswith(CONCEPT_PREFIX),
                    evidence=sum(index.entry_idf.get(t, 0.0) for t in shared_terms),
                    out_of_scope=item.out_of_scope,
                )
            )
        scored.sort(key=lambda c: c.score, reverse=True)  # stable: ties keep content order
        return scored

    def _decide(
        self, lang: str, ranked: list[Candidate], urgent: bool, off_topic: bool = False
    ) -> MatchResult:
        s = self.settings
        if not ranked or ranked[0].score < s.suggest_score:
            score = round(ranked[0].score) if ranked else 0
            return MatchResult(None, lang, score, "none", (), urgent)
        best = ranked[0]
        if best.out_of_scope:
            # A question the FAQ knows it does not answer; entries close to it are only offered.
            close = [
                c for c in ranked[1:] if not c.out_of_scope
                and c.score >= s.suggest_score and best.score - c.score <= s.out_of_scope_window
            ][: s.max_suggestions]
            if not close:
                return MatchResult(
                    None, lang, round(best.score), "none", (), urgent, not_covered=best.entry_id
                )
            return MatchResult(
                close[0].entry_id, lang, round(close[0].score), "suggest",
                tuple(c.entry_id for c in close[1:]), urgent, not_covered=best.entry_id,
            )
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        others = tuple(
            c.entry_id for c in ranked[1:]
            if not c.out_of_scope
            and c.score >= s.suggest_score and best.score - c.score <= s.suggestion_window
        )[: s.max_suggestions - 1]
        explains_message = (
            best.coverage >= s.answer_coverage and best.recall >= s.answer_recall
        ) or (
            best.coverage >= s.near_phrasing_coverage
            and best.recall >= s.near_phrasing_recall
            and best.shared_terms >= s.near_phrasing_terms
        )
        confident = (
            not off_topic
            and not best.vague
            and best.evidence >= s.answer_evidence
            and best.score >= s.answer_score
            and best.score - runner_up >= s.answer_margin
            and explains_message
        )
        decision: Decision = "answer" if confident else "suggest"
        return MatchResult(best.entry_id, lang, round(best.score), decision, others, urgent)
