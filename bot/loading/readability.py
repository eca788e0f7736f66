"""Plain language: the reading level of the English answers (Flesch-Kincaid grade, textstat).

The FAQ is read by frightened people, many in their second language: the project's standard is
a median English answer at grade 8 or below and no answer above grade 10. Spanish and other
languages have no agreed formula and threshold yet (benchmarks/readability.py prints Spanish
Fernández-Huerta ease for review), so only English is checked.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping

import textstat

from bot.knowledge import LanguageContent
from bot.loading.places import Places
from bot.loading.problems import Problem

MEDIAN_GRADE = 8.0
MAX_GRADE = 10.0
FIX = "shorter sentences and everyday words; one idea per sentence"


def english_grade(text: str) -> float:
    textstat.set_lang("en")
    return float(textstat.flesch_kincaid_grade(text))


def check_reading_level(languages: Mapping[str, LanguageContent], places: Mapping[str, Places]
                        ) -> list[Problem]:
    content = languages.get("en")
    if content is None or not content.entries:
        return []
    grades = {entry.id: english_grade(entry.answer) for entry in content.entries.values()}
    problems = [
        Problem(*places["en"].entry_field(entry_id, "answer"),
                f"the answer of entry '{entry_id}' reads at grade {grade:.1f}; at most grade "
                f"{MAX_GRADE:.0f}", fix=FIX)
        for entry_id, grade in grades.items() if grade > MAX_GRADE
    ]
    median = statistics.median(grades.values())
    if median > MEDIAN_GRADE:
        problems.append(Problem(
            "en", 0, f"the English answers read at a median grade of {median:.1f}; at most "
            f"{MEDIAN_GRADE:.0f}", fix=FIX))
    return problems
