"""The real FAQ: every required entry in every language, languages in step, plain language."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

from bot.content_loader import REQUIRED_FILE, check_content, load_knowledge
from bot.knowledge import Knowledge

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT))

from benchmarks.readability import english_grade  # noqa: E402


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(CONTENT)


def required_ids() -> list[str]:
    lines = (CONTENT / REQUIRED_FILE).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_required_entry_exists_in_every_language(knowledge: Knowledge) -> None:
    assert len(required_ids()) == 24
    for lang, content in knowledge.languages.items():
        missing = set(required_ids()) - set(content.entries)
        assert not missing, f"{lang} is missing {sorted(missing)}"


def test_languages_share_ids_contacts_and_related(knowledge: Knowledge) -> None:
    english, spanish = knowledge.content("en"), knowledge.content("es")
    assert set(english.entries) == set(spanish.entries)
    assert set(english.contacts) == set(spanish.contacts)
    for entry_id, entry in english.entries.items():
        other = spanish.entries[entry_id]
        assert set(entry.contacts) == set(other.contacts), entry_id
        assert set(entry.related) == set(other.related), entry_id
        assert len(entry.sources) == len(other.sources), entry_id


def test_removing_a_required_entry_is_an_error(content_copy: Path) -> None:
    copy = content_copy
    path = copy / "es" / "help.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: notario-fraud",
                                                             "id: notario-scams"))
    knowledge, problems = check_content(copy)
    assert knowledge is None
    messages = [str(p) for p in problems if p.severity == "error"]
    assert any("required entry 'notario-fraud' is missing in es" in m for m in messages)
    assert any("entry 'notario-fraud' exists in en but not in es" in m for m in messages)


def test_languages_disagreeing_on_contacts_is_an_error(content_copy: Path) -> None:
    copy = content_copy
    path = copy / "es" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    assert "migrawatch" in text
    path.write_text(text.replace("migrawatch, ", "", 1).replace(", migrawatch", "", 1))
    knowledge, problems = check_content(copy)
    assert knowledge is None
    assert any("lists contacts" in p.message for p in problems)


def test_every_entry_has_enough_varied_phrasings(knowledge: Knowledge) -> None:
    for lang, content in knowledge.languages.items():
        for entry in content.entries.values():
            assert len(set(entry.phrasings)) >= 8, f"{lang}/{entry.id}"


def test_urgent_entries_are_the_ice_encounters(knowledge: Knowledge) -> None:
    for content in knowledge.languages.values():
        urgent = {e.id for e in content.entries.values() if e.urgent}
        assert {"ice-at-home", "ice-arrest", "ice-public-work"} <= urgent


def test_no_forbidden_number_is_published() -> None:
    """1-866-DHS-2-ICE reports people to ICE: it must never appear as a resource."""
    for path in CONTENT.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for needle in ("866-347-2423", "DHS-2-ICE", "8663472423"):
            assert needle not in text, path


def test_english_answers_read_at_grade_eight_or_below(knowledge: Knowledge) -> None:
    grades = {e.id: english_grade(e.answer) for e in knowledge.content("en").entries.values()}
    assert statistics.median(grades.values()) <= 8
    hard = {k: v for k, v in grades.items() if v > 10}
    assert not hard, f"answers above grade 10: {hard}"
