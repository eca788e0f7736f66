"""examples.yaml: messages people wrote, under the entry that answers each; read like the rest of
the content, mistakes named at their line, and learnt by the matcher's classifier."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.loading import check_content, load_knowledge
from bot.matching import Matcher
from bot.matching.decision import load_calibration
from bot.matching.matcher import Ranking
from tests.conftest import FIXTURE_CONTENT


def _append(path: Path, text: str) -> int:
    """Add lines at the end of the file; returns the line number of the first one added."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, *text.splitlines()]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_every_language_has_examples_for_every_entry(content_copy: Path) -> None:
    knowledge, problems = check_content(content_copy)
    assert knowledge is not None, [str(p) for p in problems]
    for lang, content in knowledge.languages.items():
        assert set(content.examples) == set(content.entries), lang
        assert all(len(messages) >= 10 for messages in content.examples.values()), lang


def test_an_id_that_is_not_an_entry_is_refused_at_its_line(content_copy: Path) -> None:
    line = _append(content_copy / "es" / "examples.yaml",
                   "escuela-visita-ice:\n- vino la migra a la escuela de mi hijo")
    knowledge, problems = check_content(content_copy)
    assert knowledge is None
    (problem,) = [p for p in problems if p.severity == "error"]
    assert problem.file == "es/examples.yaml" and problem.line == line
    assert "'escuela-visita-ice' is not an entry" in problem.message


def test_the_same_message_under_two_entries_is_refused(content_copy: Path) -> None:
    path = content_copy / "en" / "examples.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(line for line in lines if line.startswith("- "))  # line 7, another entry's
    where = lines.index("trust-act:") + 1
    lines.insert(where, first.upper())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    knowledge, problems = check_content(content_copy)
    assert knowledge is None
    (problem,) = [p for p in problems if p.severity == "error"]
    assert problem.line == where + 1
    assert "is already an example (line 7)" in problem.message


def test_a_folder_without_the_file_still_loads() -> None:
    knowledge = load_knowledge(FIXTURE_CONTENT)
    assert all(not c.examples for c in knowledge.languages.values())


def test_the_classifier_learns_an_example_no_phrasing_has() -> None:
    """A message only an example teaches moves to the entry it was filed under, in the
    classifier's own ranking."""
    knowledge = load_knowledge(FIXTURE_CONTENT)
    message = "my tio was taken off the bus by guys in green vests near the school"
    before = Matcher(knowledge, calibration=load_calibration()).rank(message)
    english = knowledge.languages["en"]
    assert isinstance(before, Ranking)
    target = next(e for e in english.entries if e != before.ranker_top("classifier"))
    taught = dataclasses.replace(knowledge, languages={
        **knowledge.languages,
        "en": dataclasses.replace(english, examples={target: (message, message + " today")}),
    })
    after = Matcher(taught, calibration=load_calibration()).rank(message)
    assert isinstance(before, Ranking) and isinstance(after, Ranking)
    assert after.ranker_top("classifier") == target
