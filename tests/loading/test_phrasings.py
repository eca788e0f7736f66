"""Phrasings as the bot reads them: each one taken out and asked as a person would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.loading import inspect_content
from bot.loading.phrasings import all_phrasings, collisions, off_topic_words_in_answers
from bot.matching import Matcher
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


def add_phrasing(content: Path, file: str, after: str, phrasing: str) -> int:
    """Add a phrasing after a given one; returns its line."""
    path = content / file
    lines = path.read_text(encoding="utf-8").split("\n")
    index = lines.index(f"      - {after}") + 1
    lines.insert(index, f"      - {phrasing}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def test_the_fixture_phrasings_all_find_their_own_entry(content: Path) -> None:
    inspection = inspect_content(content)
    assert inspection.knowledge is not None
    found = collisions(inspection.knowledge, inspection.places, folds=4)
    assert not [p for p in found if p.severity == "warning"], "\n".join(map(str, found))


def test_a_phrasing_that_belongs_to_another_entry_is_a_warning_naming_both(content: Path
                                                                            ) -> None:
    line = add_phrasing(content, "en/ice.yaml", "ice is knocking on my door",
                        "can ice go into my kids school and take my child from school")
    inspection = inspect_content(content)
    assert inspection.knowledge is not None
    warnings = [p for p in collisions(inspection.knowledge, inspection.places, folds=4)
                if p.severity == "warning"]
    (warning,) = warnings
    assert warning.place == ("en/ice.yaml", line)
    assert warning.message == (
        "'can ice go into my kids school and take my child from school' (entry 'ice-at-door') "
        "would be answered with entry 'school-ice-visit' (en/schools.yaml:5)")
    assert "reword" in warning.fix and "move it" in warning.fix and "delete it" in warning.fix


def test_every_phrasing_is_held_out_exactly_once(content: Path) -> None:
    inspection = inspect_content(content)
    assert inspection.knowledge is not None
    phrasings = all_phrasings(inspection.knowledge)
    assert len(phrasings) == 3 * (4 * 8 + 3)  # three languages: 4 entries of 8, 3 out of scope


def test_a_word_an_answer_uses_is_never_off_topic_so_there_is_nothing_to_warn(content: Path
                                                                               ) -> None:
    """The matcher (issue #10) no longer lets a word that an entry's answer uses mark a question
    as not covered, so an answer can no longer be contradicted by the out-of-scope phrasings:
    the warning has nothing left to find. A word no answer uses still counts ("clima")."""
    for lang, after in (("en", "how is the weather today"), ("es", "como esta el clima hoy")):
        path = content / lang / "out-of-scope.yaml"
        word = "weather" if lang == "en" else "clima"
        path.write_text(path.read_text(encoding="utf-8").replace(
            f"      - {after}\n",
            f"      - {after}\n      - will the {word} be bad tomorrow\n"
            f"      - {word} forecast for hartford\n"), encoding="utf-8")
    schools = content / "en" / "schools.yaml"
    schools.write_text(schools.read_text(encoding="utf-8").replace(
        "FIXTURE-SCHOOL-ICE.", "FIXTURE-SCHOOL-ICE. Bad weather closes schools too."),
        encoding="utf-8")
    inspection = inspect_content(content)
    assert inspection.knowledge is not None
    matcher = Matcher(inspection.knowledge)
    assert "weather" not in matcher.off_topic_words("en")
    assert "clima" in matcher.off_topic_words("es")
    assert off_topic_words_in_answers(inspection.knowledge, matcher, inspection.places) == []
