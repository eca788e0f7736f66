"""`python -m bot try "..."`: what the bot would do with a message, in words an organizer reads."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.cli import try_message
from bot.dry_run import dry_run
from bot.loading import inspect_content
from tests.conftest import FIXTURE_CONTENT, FIXTURE_LOCALE


@pytest.fixture(scope="module")
def tried():
    inspection = inspect_content(FIXTURE_CONTENT)
    assert inspection.knowledge is not None
    assistant = Assistant(inspection.knowledge, FIXTURE_LOCALE)
    return lambda text, lang=None: dry_run(assistant, inspection.places, text, lang)


def test_an_answer_names_the_entry_question_and_where_it_is_written(tried) -> None:
    result = tried("can ice go into my kids school")
    assert result.outcome == "answer"
    assert result.in_words()[1:3] == [
        "The bot answers with:",
        "  What happens if ICE agents come to my child's school?",
    ]
    assert "(entry 'school-ice-visit', en/schools.yaml:5)" in result.in_words()[3]
    assert result.in_words()[-1] == "Urgent: no."


def test_a_message_written_as_it_happens_says_it_is_urgent(tried) -> None:
    result = tried("ice is knocking on my door right now")
    assert result.urgent
    assert result.in_words()[-1] == "Urgent: yes, the reply starts with the right-now steps."


def test_not_covered_names_the_out_of_scope_topic(tried) -> None:
    result = tried("how is the weather today")
    assert result.outcome == "not covered"
    assert "out-of-scope topic 'small-talk' (en/out-of-scope.yaml:3)" in result.in_words()[1]


def test_a_greeting_is_asked_for_a_question(tried) -> None:
    assert tried("what is the").outcome == "ask"  # only words too common to look up


def test_did_you_mean_lists_the_questions_offered(tried) -> None:
    result = tried("warrant")
    assert result.outcome == "suggest", result
    words = result.in_words()
    assert 'It asks "Did you mean…?" and offers:' in words
    assert any(line.startswith("  1. ") and "(entry '" in line for line in words)


def test_try_prints_json_for_scripts(tmp_path: Path) -> None:
    out = io.StringIO()
    assert try_message(FIXTURE_CONTENT, "la migra está tocando mi puerta", None, True, out) == 0
    result = json.loads(out.getvalue())
    assert result["lang"] == "es"
    assert result["outcome"] == "answer"
    assert result["entry"]["id"] == "ice-at-door"
    assert result["entry"]["place"] == "es/ice.yaml:5"
    assert set(result) >= {"urgent", "suggestions", "not_covered", "score"}


def test_urgent_without_an_urgent_answer_offers_the_urgent_entries(tried) -> None:
    result = tried("immigration agents at the school right now")
    assert result.urgent and result.outcome == "choose", result
    words = result.in_words()
    assert 'It does not answer; it asks "What is happening? Choose one:" with:' in words
    assert "(entry 'ice-at-door', en/ice.yaml:5)" in words[2]
