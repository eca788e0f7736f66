"""Plain language: the reading level of the answers, per language (textstat), or their length.

The FAQ is read by frightened people, many in their second language, at a 6th-8th grade level
(the content brief). Each language is measured by its own usual formula, as reading-levels.yaml
(next to this file) says:
- English, Flesch-Kincaid grade (lower is easier): a median answer at grade 8 or below, and none
  above grade 10;
- Spanish, Fernández-Huerta ease (higher is easier; 70-80 is "bastante fácil", about 7th grade;
  60-70 "normal", about 8th-9th): a median answer at 70 or above, and none under 60. These sit
  where the English limits do on the two scales' usual grade tables.
A language with no formula there (Portuguese: textstat has none) is held to the file's length
limits, so a new language folder is checked with no code change.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import textstat
import yaml

from bot.knowledge import LanguageContent
from bot.loading.places import Places
from bot.loading.problems import Problem

FIX = "shorter sentences and everyday words; one idea per sentence"
LENGTH_FIX = "keep what a person needs right away; move the rest to another entry or a source"


@dataclass(frozen=True)
class ReadingRule:
    """One language's formula and its limits (`higher_is_harder`: a grade, not an ease)."""

    language: str
    score: Callable[[str], float]
    each: float  # no answer may be harder than this
    median: float  # nor the median answer harder than this
    higher_is_harder: bool
    unit: str

    @property
    def fix(self) -> str:
        return LENGTH_FIX if self.unit == LENGTH_UNIT else FIX

    def harder(self, score: float, limit: float) -> bool:
        return score > limit if self.higher_is_harder else score < limit

    def said(self, score: float) -> str:
        """'reads at grade 9.1', 'has 1,450 characters'."""
        if self.unit == LENGTH_UNIT:
            return f"has {score:,.0f} {self.unit}"
        return f"reads at {self.unit} {score:.1f}"

    def median_said(self, score: float) -> str:
        if self.unit == LENGTH_UNIT:
            return f"have a median of {score:,.0f} {self.unit}"
        return f"read at a median {self.unit} {score:.1f}"

    def limit(self, value: float) -> str:
        if self.unit == LENGTH_UNIT:
            return f"at most {value:,.0f} {self.unit}"
        return f"at most {self.unit} {value:.0f}" if self.higher_is_harder else \
            f"at least {self.unit} {value:.0f}"


LEVELS_FILE = Path(__file__).with_name("reading-levels.yaml")
LENGTH_UNIT = "characters"


def _formula(name: str, lang: str) -> Callable[[str], float]:
    function = getattr(textstat, name)

    def score(text: str) -> float:
        textstat.set_lang(lang)
        return float(function(text))
    return score


@cache
def reading_levels() -> tuple[dict[str, ReadingRule], tuple[float, float]]:
    """The formulas per language, and the (each, median) length limits for the others."""
    data = yaml.safe_load(LEVELS_FILE.read_text(encoding="utf-8"))
    rules = {
        lang: ReadingRule(r["name"], _formula(r["formula"], lang), float(r["each"]),
                          float(r["median"]), r["harder"] == "higher", r["unit"])
        for lang, r in data["formulas"].items()
    }
    lengths = data["lengths"]
    return rules, (float(lengths["each"]), float(lengths["median"]))


def rule_for(lang: str) -> ReadingRule:
    """The language's formula, else the length limits."""
    rules, (each, median) = reading_levels()
    return rules.get(lang) or ReadingRule(lang, lambda text: float(len(text)), each, median,
                                          True, LENGTH_UNIT)


def check_reading_level(languages: Mapping[str, LanguageContent], places: Mapping[str, Places]
                        ) -> list[Problem]:
    problems: list[Problem] = []
    for lang, content in languages.items():
        if not content.entries:
            continue
        rule = rule_for(lang)
        scores = {entry.id: rule.score(entry.answer) for entry in content.entries.values()}
        problems += [
            Problem(*places[lang].entry_field(entry_id, "answer"),
                    f"the answer of entry '{entry_id}' {rule.said(score)}; "
                    f"{rule.limit(rule.each)}", fix=rule.fix)
            for entry_id, score in scores.items() if rule.harder(score, rule.each)
        ]
        median = statistics.median(scores.values())
        if rule.harder(median, rule.median):
            problems.append(Problem(
                lang, 0, f"the {rule.language} answers {rule.median_said(median)}; "
                f"{rule.limit(rule.median)}", fix=rule.fix))
    return problems
