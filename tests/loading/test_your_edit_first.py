"""`validate` names the problems of the lines just added or changed first, each at its line; the
older ones are counted as before. And `validate --due` lists what is due for review."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main, validate_content
from bot.loading import inspect_content
from bot.loading.due import due_for_review, due_lines
from bot.loading.problems import Problem
from bot.loading.since import folder_baseline, git_baseline, new_problems, span
from tests.conftest import FIXTURE_CONTENT

NEW_PHRASING = "can ice agents come inside my child's school"  # a school question, in trust-act


def add_phrasing(content: Path, file: str, after: str, text: str) -> int:
    """Add a phrasing right after the line `after`; the line it is written on."""
    path = content / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip() == f"- {after}")
    lines.insert(index + 1, f"      - {text}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return index + 2


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


def test_a_new_phrasing_that_lands_on_another_entry_is_named_at_its_line_first(
    content_copy: Path, tmp_path: Path
) -> None:
    """The organizer's slip of issue #21, on the real content (the full phrasing pass)."""
    before = tmp_path / "last-good-content"
    shutil.copytree(content_copy, before)
    line = add_phrasing(content_copy, "en/detainers.yaml",
                        "when did the trust act start and what does it do", NEW_PHRASING)
    out = io.StringIO()
    assert validate_content(content_copy, out, since=folder_baseline(before, "the copy")) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "Since the copy: 1 line added or changed in en/detainers.yaml (1)."
    assert lines[1].startswith("At those lines (1 problem; yours, fix them first)")
    assert lines[2].startswith(f"  en/detainers.yaml:{line}: warning: '{NEW_PHRASING}' (entry "
                               "'trust-act') would be answered with entry")
    assert lines[3].strip().startswith("how to fix:")
    older = [x for x in lines if "older phrasing" in x and "would be answered" in x]
    assert len(older) <= 1  # the rest, if any, in one line
    assert sum("would be answered with entry" in x for x in lines) == 1  # only the new one named
    assert sum(NEW_PHRASING in x for x in lines) == 1


def problem(line: int, file: str = "en/ice.yaml") -> Problem:
    return Problem(file, line, "something", "warning")


def test_a_problem_is_the_edits_when_its_line_or_a_line_under_it_changed(
    fixture_copy: Path, tmp_path: Path
) -> None:
    before = tmp_path / "before"
    shutil.copytree(fixture_copy, before)
    path = fixture_copy / "en" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      - Stay calm and stay inside.",
                                 "      - Stay calm, and stay inside."), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    answer = lines.index("    answer: |") + 1
    entry = lines.index("  - id: ice-at-door") + 1
    phrasing = lines.index("      - ice is knocking on my door") + 1
    second_entry = lines.index("  - id: ice-warrant") + 1
    assert list(span(lines, phrasing)) == [phrasing]
    assert answer + 4 in span(lines, answer) and entry + 1 in span(lines, entry)

    baseline = folder_baseline(before, "before")
    found = new_problems([problem(answer), problem(entry), problem(phrasing),
                          problem(second_entry), problem(3, "en/schools.yaml"),
                          problem(0)], fixture_copy, baseline)
    assert found == [problem(answer), problem(entry)]  # the answer changed, inside the entry


def test_a_new_file_is_all_new_and_a_file_wide_problem_of_it_too(
    fixture_copy: Path, tmp_path: Path
) -> None:
    before = tmp_path / "before"
    shutil.copytree(fixture_copy, before)
    (fixture_copy / "en" / "extra.yaml").write_text("topic: extra\n", encoding="utf-8")
    found = new_problems([problem(0, "en/extra.yaml"), problem(1, "en/extra.yaml"),
                          problem(0)], fixture_copy, folder_baseline(before, "before"))
    assert found == [problem(0, "en/extra.yaml"), problem(1, "en/extra.yaml")]


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_without_a_last_good_copy_the_committed_version_is_the_baseline(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    git(fixture_copy, "init", "-q")
    git(fixture_copy, "add", ".")
    git(fixture_copy, "commit", "-q", "-m", "content")
    baseline = git_baseline(fixture_copy)
    assert baseline is not None and baseline.label.startswith("git HEAD (")
    # a repeated phrasing: a warning that check_content finds, at the line just added
    line = add_phrasing(fixture_copy, "en/ice.yaml", "should i open the door if ice knocks",
                        "ice is knocking on my door")
    assert baseline.changed_lines(fixture_copy, "en/ice.yaml") == {line}
    assert baseline.read("en/no-such-file.yaml") is None
    assert git_baseline(tmp_path / "not-a-checkout") is None

    monkeypatch.setenv("STATE_FILE", str(tmp_path / "state" / "bot-state.sqlite3"))
    main(["validate", str(fixture_copy)])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Since git HEAD (") and "en/ice.yaml (1)" in out[0]
    assert out[2].startswith(f"  en/ice.yaml:{line}: warning:")
    assert main(["validate", str(fixture_copy), "--since", "no-such-revision"]) == 2
    assert "neither a folder nor a git revision" in capsys.readouterr().err


def test_validate_without_an_earlier_version_prints_as_before(fixture_copy: Path) -> None:
    out = io.StringIO()
    validate_content(fixture_copy, out, phrasings=False)
    assert not out.getvalue().startswith("Since")


def old_and_flagged(content: Path) -> None:
    """An entry reviewed long ago, and RE-VERIFY notes on an entry and on a contact."""
    ice = content / "en" / "ice.yaml"
    ice.write_text(ice.read_text(encoding="utf-8").replace(
        "    reviewed: 2025-01-15\n\n  - id: ice-warrant",
        "    reviewed: 2024-03-01\n\n  - id: ice-warrant", 1), encoding="utf-8")
    schools = content / "en" / "schools.yaml"
    schools.write_text(schools.read_text(encoding="utf-8").replace(
        "    reviewed: 2025-01-15\n", "    reviewed: 2025-01-15\n    review_notes:\n"
        "      - \"RE-VERIFY: the 2025 guidance may have changed\"\n      - a plain note\n", 1),
        encoding="utf-8")
    contacts = content / "en" / "contacts.yaml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace(
        "  - id: legal-aid\n", "  - id: legal-aid\n    review_notes: [RE-VERIFY phone]\n", 1),
        encoding="utf-8")


def test_due_lists_old_entries_and_re_verify_notes_oldest_first_by_file(
    fixture_copy: Path
) -> None:
    old_and_flagged(fixture_copy)
    inspection = inspect_content(fixture_copy)
    assert inspection.knowledge is not None, inspection.problems
    today = date(2025, 9, 1)  # 2025-01-15 is 229 days before; 2024-03-01, 549
    items = due_for_review(inspection.knowledge, inspection.places, today, days=300)
    assert [(i.place.file, i.what, bool(i.note)) for i in items] == [
        ("en/contacts.yaml", "contact 'legal-aid'", True),  # no date: counts as oldest
        ("en/ice.yaml", "entry 'ice-at-door'", False),
        ("en/schools.yaml", "entry 'school-ice-visit'", True),
    ]
    lines = due_lines(items, today, 300)
    assert lines[1:3] == ["en/contacts.yaml",
                          f"  [ ] line {items[0].place.line}: contact 'legal-aid' (no reviewed "
                          "date): RE-VERIFY phone"]
    assert "reviewed 2024-03-01, 549 days ago" in lines[4]
    assert "a plain note" not in "\n".join(lines)
    fewer = due_for_review(inspection.knowledge, inspection.places, today)  # 180 days
    every_entry = sum(len(c.entries) for c in inspection.knowledge.languages.values())
    assert sum(not i.note for i in fewer) == every_entry  # all reviewed 2025-01-15 or before


def test_validate_says_how_many_are_due_and_due_lists_them(fixture_copy: Path) -> None:
    old_and_flagged(fixture_copy)
    quiet, listed = io.StringIO(), io.StringIO()
    today = date(2025, 9, 1)
    validate_content(fixture_copy, quiet, phrasings=False, today=today)
    summary = quiet.getvalue().splitlines()[-1]
    knowledge = inspect_content(fixture_copy).knowledge
    assert knowledge is not None
    every_entry = sum(len(c.entries) for c in knowledge.languages.values())
    assert f"{every_entry} entries older than 180 days and 2 RE-VERIFY notes due for review " \
        "(--due lists them)" in summary
    validate_content(fixture_copy, listed, phrasings=False, today=today, due_days=300)
    text = listed.getvalue()
    assert "Due for review (3)" in text and "RE-VERIFY phone" in text
    assert "1 entry older than 300 days and 2 RE-VERIFY notes due for review." in text
