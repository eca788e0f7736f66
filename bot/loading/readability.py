"""Plain language: the reading level of the answers, English and Spanish (textstat).

The FAQ is read by frightened people, many in their second language, at a 6th-8th grade level
(the content brief). Each language is measured by its own usual formula:
- English, Flesch-Kincaid grade (lower is easier): a median answer at grade 8 or below, and none
  above grade 10;
- Spanish, Fernández-Huerta ease (higher is easier; 70-80 is "bastante fácil", about 7th grade;
  60-70 "normal", about 8th-9th): a median answer at 70 or above, and none under 60. These sit
  where the English limits do on the two scales' usual grade tables.
Other languages have no formula here yet: they are not checked.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import textstat

from bot.knowledge import LanguageContent
from bot.loading.places import Places
from bot.loading.problems import Problem

FIX = "shorter sentences and everyday words; one idea per sentence"


def english_grade(text: str) -> float:
    textstat.set_lang("en")
    return float(textstat.flesch_kincaid_grade(text))


def spanish_ease(text: str) -> float:
    textstat.set_lang("es")
    return float(textstat.fernandez_huerta(text))


@dataclass(frozen=True)
class ReadingRule:
    """One language's formula and its limits (`higher_is_harder`: a grade, not an ease)."""

    language: str
    score: Callable[[str], float]
    each: float  # no answer may be harder than this
    median: float  # nor the median answer harder than this
    higher_is_harder: bool
    unit: str

    def harder(self, score: float, limit: float) -> bool:
        return score > limit if self.higher_is_harder else score < limit

    def said(self, score: float) -> str:
        return f"{self.unit} {score:.1f}"

    def limit(self, value: float) -> str:
        return f"at most {self.unit} {value:.0f}" if self.higher_is_harder else \
            f"at least {self.unit} {value:.0f}"


RULES = {
    "en": ReadingRule("English", english_grade, 10.0, 8.0, True, "grade"),
    "es": ReadingRule("Spanish", spanish_ease, 60.0, 70.0, False, "ease"),
}


def check_reading_level(languages: Mapping[str, LanguageContent], places: Mapping[str, Places]
                        ) -> list[Problem]:
    problems: list[Problem] = []
    for lang, rule in RULES.items():
        content = languages.get(lang)
        if content is None or not content.entries:
            continue
        scores = {entry.id: rule.score(entry.answer) for entry in content.entries.values()}
        problems += [
            Problem(*places[lang].entry_field(entry_id, "answer"),
                    f"the answer of entry '{entry_id}' reads at {rule.said(score)}; "
                    f"{rule.limit(rule.each)}", fix=FIX)
            for entry_id, score in scores.items() if rule.harder(score, rule.each)
        ]
        median = statistics.median(scores.values())
        if rule.harder(median, rule.median):
            problems.append(Problem(
                lang, 0, f"the {rule.language} answers read at a median {rule.said(median)}; "
                f"{rule.limit(rule.median)}", fix=FIX))
    return problems
