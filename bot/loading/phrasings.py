"""Phrasings as the matcher reads them: which ones find another entry, or "not covered".

Leave-one-out says it best: take a phrasing out of its entry, then ask the bot the phrasing as if
a person had typed it. If the bot then answers with another entry, or calls it not covered, the
two read alike to the bot, and a person asking that way gets the wrong reply. Rebuilding the
matcher once per phrasing takes a minute (benchmarks/phrasing_overlap.py); taking out one fold of
phrasings at a time (every k-th phrasing) gives nearly the same findings with k rebuilds, and k
is lowered only if one build is too slow for k of them, so `validate` stays within seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from bot.knowledge import Knowledge
from bot.loading.places import Places
from bot.loading.problems import Problem
from bot.matching import Matcher, MatchResult
from bot.matching.text import fold

# Four folds: each matcher learns from 3/4 of the phrasings. On the content of #12's round 4, 5,
# 8, 10 and 20 folds found the same phrasings within a few. The number is fixed so that the same
# content gives the same warnings on every run (it once depended on how fast the first build
# was, so a run right after an edit, with the classifier to fit, found other phrasings than the
# next one); four keeps a run after an edit to four classifier fits.
FOLDS = 4


@dataclass(frozen=True)
class Phrasing:
    lang: str
    owner: str  # an entry id, or an out-of-scope topic id
    text: str
    out_of_scope: bool


def all_phrasings(knowledge: Knowledge) -> list[Phrasing]:
    return [
        *(Phrasing(lang, e.id, text, False) for lang, c in knowledge.languages.items()
          for e in c.entries.values() for text in e.phrasings),
        *(Phrasing(lang, topic, text, True) for lang, c in knowledge.languages.items()
          for topic, texts in c.out_of_scope.items() for text in texts),
    ]


def without(knowledge: Knowledge, held_out: set[Phrasing]) -> Knowledge:
    """The same content with the held-out phrasings taken out (questions and keywords stay)."""
    keys = {(p.lang, p.owner, p.text) for p in held_out}
    languages = {}
    for lang, content in knowledge.languages.items():
        entries = {
            entry_id: replace(entry, phrasings=tuple(
                t for t in entry.phrasings if (lang, entry_id, t) not in keys))
            for entry_id, entry in content.entries.items()
        }
        out_of_scope = {
            topic: kept for topic, texts in content.out_of_scope.items()
            if (kept := tuple(t for t in texts if (lang, topic, t) not in keys))
        }
        languages[lang] = replace(content, entries=entries, out_of_scope=out_of_scope)
    return Knowledge(languages=languages, default_language=knowledge.default_language)


def held_out_matches(knowledge: Knowledge, folds: int = FOLDS
                     ) -> Iterator[tuple[Phrasing, MatchResult]]:
    """Every phrasing matched by a matcher built without it (and without its fold)."""
    phrasings = all_phrasings(knowledge)
    for fold_number in range(folds):
        held_out = [p for i, p in enumerate(phrasings) if i % folds == fold_number]
        # in-process fits: scikit-learn is imported once, not in a child process per fold
        matcher = Matcher(without(knowledge, set(held_out)), isolated_fit=False)
        for phrasing in held_out:
            yield phrasing, matcher.match(phrasing.text, phrasing.lang)


ADVICE = ("reword it with words only its own entry is about, move it to the other entry if that "
          "one answers it, or delete it")
NOT_COVERED_ADVICE = ("reword it with words only its own entry is about, or delete it; if the FAQ "
                      "really does not answer it, move it to that out-of-scope topic")


def collisions(knowledge: Knowledge, places: Mapping[str, Places], folds: int = FOLDS
               ) -> list[Problem]:
    """Warnings for entry phrasings the bot would answer with another entry or call not covered;
    notes for out-of-scope phrasings it would answer with an entry."""
    problems: list[Problem] = []
    for phrasing, result in held_out_matches(knowledge, folds):
        where = places[phrasing.lang]
        place = where.phrasing(phrasing.owner, phrasing.text)
        offered = {result.entry_id, *result.suggestions}
        if phrasing.out_of_scope:
            if result.decision == "answer" and result.entry_id:
                problems.append(Problem(
                    *place, f"out-of-scope question '{phrasing.text}' would be answered with "
                    f"entry '{result.entry_id}' ({where.entries.get(result.entry_id)})", "note"))
        elif result.decision == "answer" and result.entry_id != phrasing.owner:
            other = result.entry_id or ""
            problems.append(Problem(
                *place, f"'{phrasing.text}' (entry '{phrasing.owner}') would be answered with "
                f"entry '{other}' ({where.entries.get(other)})", "warning",
                fix=ADVICE, kind="collision"))
        elif result.not_covered and phrasing.owner not in offered:
            topic = result.not_covered
            problems.append(Problem(
                *place, f"'{phrasing.text}' (entry '{phrasing.owner}') would be called not "
                f"covered, like out-of-scope topic '{topic}' ({where.out_of_scope.get(topic)})",
                "warning", fix=NOT_COVERED_ADVICE, kind="collision"))
        elif phrasing.owner not in offered:
            problems.append(Problem(
                *place, f"'{phrasing.text}' (entry '{phrasing.owner}') would only offer "
                f"{', '.join(repr(e) for e in offered if e)} as \"did you mean\"", "note"))
    return problems


def off_topic_words_in_answers(knowledge: Knowledge, matcher: Matcher,
                               places: Mapping[str, Places]) -> list[Problem]:
    """A word that only out-of-scope questions use marks a question as not covered; if an answer
    uses it, a person asking with the answer's own words is told it is not covered."""
    problems: list[Problem] = []
    for lang, content in knowledge.languages.items():
        words = {fold(w): w for w in matcher.off_topic_words(lang)}
        for entry in content.entries.values():
            used = sorted({words[w] for w in fold(entry.answer).split() if w in words})
            if used:
                problems.append(Problem(
                    *places[lang].entry_field(entry.id, "answer"),
                    f"the answer of entry '{entry.id}' uses {', '.join(map(repr, used))}, which "
                    "only out-of-scope questions use: a question with that word is called not "
                    "covered", "warning", fix="add a phrasing with the word to this entry, or "
                    "take the word out of the out-of-scope phrasings"))
    return problems
