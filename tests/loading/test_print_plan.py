"""print.yaml: which entries the card and the flyers show, its mistakes named at their line.

Ids are taken from the loaded content, never listed here: the tests hold when entries, topics
and languages are added.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.loading import check_content
from bot.loading.print_plan import FLYER_MAX_ENTRIES, PRINT_FILE


def plan_file(content: Path, lang: str) -> tuple[Path, dict]:
    path = content / lang / PRINT_FILE
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def errors_after(content: Path, lang: str, change: dict) -> list:
    path, data = plan_file(content, lang)
    for part, fields in change.items():
        data[part] = {**data[part], **fields} if isinstance(fields, dict) else fields
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    knowledge, problems = check_content(content)
    errors = [p for p in problems if p.severity == "error"]
    assert knowledge is None and errors
    return errors


def test_every_language_has_a_plan_naming_its_own_entries(content_copy: Path) -> None:
    knowledge, _ = check_content(content_copy)
    assert knowledge is not None
    for content in knowledge.languages.values():
        plan = content.print_plan
        assert plan is not None
        assert plan.card.entry in content.entries
        assert all(e in content.entries for e in plan.flyer.entries)
        assert set(plan.topic_flyers) <= {t.id for t in content.topics}


def test_an_unknown_entry_is_refused_at_its_line(content_copy: Path) -> None:
    (error,) = errors_after(content_copy, "es", {"card": {"entry": "no-such-entry"}})
    assert error.file == f"es/{PRINT_FILE}" and error.line > 0
    assert "'no-such-entry', which is not an entry" in error.message


def test_a_flyer_holds_at_most_eight_questions(content_copy: Path) -> None:
    knowledge, _ = check_content(content_copy)
    assert knowledge is not None
    ids = list(knowledge.content("en").entries)[:FLYER_MAX_ENTRIES + 1]
    (error,) = errors_after(content_copy, "en", {"flyer": {"entries": ids}})
    assert f"lists {FLYER_MAX_ENTRIES + 1} entries" in error.message


def test_a_topic_flyer_names_a_real_topic(content_copy: Path) -> None:
    _path, data = plan_file(content_copy, "en")
    topics = {**data["topics"], "no-such-topic": data["flyer"]["entries"]}
    (error,) = errors_after(content_copy, "en", {"topics": topics})
    assert "'no-such-topic', which is not a topic" in error.message


def test_the_cards_contacts_need_a_phone(content_copy: Path) -> None:
    knowledge, _ = check_content(content_copy)
    assert knowledge is not None
    web_only = next(c.id for c in knowledge.content("en").contacts.values()
                    if c.url and not c.phones)
    (error,) = errors_after(content_copy, "en", {"card": {"contacts": [web_only]}})
    assert f"'{web_only}', which has no phone" in error.message


def test_a_language_without_a_plan_is_a_warning_not_an_error(content_copy: Path) -> None:
    (content_copy / "es" / PRINT_FILE).unlink()
    knowledge, problems = check_content(content_copy)
    assert knowledge is not None and knowledge.content("es").print_plan is None
    (warning,) = [p for p in problems if PRINT_FILE in p.message and p.severity == "warning"]
    assert warning.file == "es" and "copy en/print.yaml" in warning.fix
