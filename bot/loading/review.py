"""Advice that needs the running parts of the bot (the matcher, the interface catalogs).

`check_content` decides whether content can load; it runs at every start and /reload, so it stays
fast and needs nothing but the files. `review_content` is what `validate` adds on top: how the
matcher reads the phrasings, which language each text is written in, whether every language has
its interface catalog. Nothing here is an error the bot cannot live with; a language with content
but no catalog and answers above the reading level are errors all the same, so that CI (which
runs `validate`) refuses them.
"""

from __future__ import annotations

from pathlib import Path

from bot.i18n import available_catalogs
from bot.loading.check import Inspection
from bot.loading.out_of_scope import OUT_OF_SCOPE_FILE
from bot.loading.phrasings import collisions, off_topic_words_in_answers
from bot.loading.problems import Problem
from bot.loading.readability import check_reading_level
from bot.loading.translations import check_written_language
from bot.matching import Matcher


def check_catalogs(inspection: Inspection, locale_dir: Path) -> list[Problem]:
    """Every language with content has an interface catalog: without one its readers would
    get an English interface around answers in their language, an error. A catalog without
    content is a language in preparation (its catalog is often translated before its FAQ, or
    in another branch): the bot offers only languages with content, so that is a warning."""
    assert inspection.knowledge is not None
    languages = inspection.knowledge.language_codes
    catalogs = available_catalogs(locale_dir)
    problems = [
        Problem(lang, 0, f"language '{lang}' has content but no interface catalog in "
                f"{locale_dir}", fix="see 'Languages and interface text' in the main README")
        for lang in languages if lang not in catalogs
    ]
    problems += [
        Problem(str(locale_dir / lang), 0, f"language '{lang}' has an interface catalog but "
                "no content folder yet, so the bot does not offer it", "warning",
                fix=f"to offer it, add {lang}/ to the content with the same entry ids")
        for lang in sorted(catalogs - set(languages))
    ]
    return problems


def check_out_of_scope_words(inspection: Inspection, matcher: Matcher) -> list[Problem]:
    """Out-of-scope phrasings that would catch every question made of one entry word, and (as a
    note) the words that mark a question as not covered."""
    assert inspection.knowledge is not None
    problems: list[Problem] = []
    for lang in inspection.knowledge.language_codes:
        places = inspection.places[lang]
        file = f"{lang}/{OUT_OF_SCOPE_FILE}"
        words = matcher.off_topic_words(lang)
        if words:
            problems.append(Problem(
                file, 0, "a question with one of these words is never answered with confidence "
                f"(only out-of-scope questions use them): {', '.join(words)}", "note"))
        owners = {text: owner for owner, texts in
                  inspection.knowledge.languages[lang].out_of_scope.items() for text in texts}
        for phrasing in matcher.catch_all_out_of_scope(lang):
            problems.append(Problem(
                *places.phrasing(owners.get(phrasing, ""), phrasing),
                f"'{phrasing}' reads as a single word that entries also use, so it would catch "
                "every question made of that word", "warning",
                fix="add words of its own topic"))
    return problems


def review_content(inspection: Inspection, locale_dir: Path, phrasings: bool = True
                   ) -> list[Problem]:
    """The advice `validate` adds to the content's own checks (see the module docstring).
    `phrasings=False` skips the leave-one-out pass over the phrasings (the slow part)."""
    knowledge = inspection.knowledge
    if knowledge is None:
        return []
    matcher = Matcher(knowledge)
    problems = [
        *check_catalogs(inspection, locale_dir),
        *check_out_of_scope_words(inspection, matcher),
        *check_written_language(knowledge.languages, matcher.detect_language, inspection.places),
        *off_topic_words_in_answers(knowledge, matcher, inspection.places),
        *check_reading_level(knowledge.languages, inspection.places),
    ]
    if phrasings:
        problems += collisions(knowledge, inspection.places)
    return problems
