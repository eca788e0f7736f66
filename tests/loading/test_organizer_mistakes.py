"""The mistakes organizers really make, made in a copy of the real content: each one is reported
at the line to fix, root cause first, with a fix in plain words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import validate_content
from bot.loading import Problem, check_content, inspect_content
from bot.loading.review import review_content
from bot.paths import locale_dir

ICE = "en/ice.yaml"
FIRST_PHRASING = 10  # en/ice.yaml: the first phrasing of ice-at-home
QUESTION = 6  # en/ice.yaml: the question of ice-at-home


def edit_line(content: Path, file: str, number: int, change) -> None:
    path = content / file
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = change(lines[number - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def problems_of(content: Path) -> list[Problem]:
    knowledge, problems = check_content(content)
    assert knowledge is None or not any(p.severity == "error" for p in problems)
    return problems


def only_error(content: Path) -> Problem:
    errors = [p for p in problems_of(content) if p.severity == "error"]
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def test_the_lines_edited_here_are_the_ones_meant(content_copy: Path) -> None:
    lines = (content_copy / ICE).read_text(encoding="utf-8").split("\n")
    assert lines[QUESTION - 1].startswith("    question: ICE is knocking at my door.")
    assert lines[FIRST_PHRASING - 1] == (
        "      - Do I have to open the door if immigration agents knock?")


def test_a_tab_is_the_only_thing_reported(content_copy: Path) -> None:
    edit_line(content_copy, ICE, FIRST_PHRASING, lambda line: "\t" + line.lstrip())
    error = only_error(content_copy)
    assert (error.file, error.line, error.root_cause) == (ICE, FIRST_PHRASING, True)
    assert "starts with a tab" in error.message and "spaces" in error.fix


def test_a_phrasing_indented_one_space_too_far_is_found_at_its_line(content_copy: Path) -> None:
    """Before: 12-13 errors across 6 files, the cause in the middle of "does not exist" ones."""
    edit_line(content_copy, ICE, FIRST_PHRASING, lambda line: " " + line)
    error = only_error(content_copy)
    assert (error.file, error.line) == (ICE, FIRST_PHRASING)
    assert "not lined up" in error.message and f"move line {FIRST_PHRASING}" in error.fix


def test_a_colon_in_a_question_says_to_add_quotes(content_copy: Path) -> None:
    edit_line(content_copy, ICE, QUESTION, lambda line: line + " Note: they need a warrant")
    error = only_error(content_copy)
    assert (error.file, error.line) == (ICE, QUESTION)
    assert "second ': '" in error.message and "double quotes" in error.fix


def test_a_colon_in_a_phrasing_says_to_add_quotes(content_copy: Path) -> None:
    edit_line(content_copy, ICE, FIRST_PHRASING, lambda line: line + ": help")
    errors = [p for p in problems_of(content_copy) if p.severity == "error"]
    assert errors[0].place == (ICE, FIRST_PHRASING)
    assert "read it as 'name: value'" in errors[0].message and "double quotes" in errors[0].fix


def test_a_missing_dash_is_found_where_two_phrasings_run_together(content_copy: Path) -> None:
    edit_line(content_copy, ICE, FIRST_PHRASING + 1, lambda line: line.replace("- ", "  ", 1))
    error = only_error(content_copy)
    assert (error.file, error.line) == (ICE, FIRST_PHRASING)
    assert f"runs on to line {FIRST_PHRASING + 1}" in error.message
    assert f"if line {FIRST_PHRASING + 1} is a new item of the list, start it with '- '" in \
        error.fix


def test_a_dash_without_its_space_is_found_at_its_line(content_copy: Path) -> None:
    """`-What to do if ICE...` is not a list item to YAML; it used to be reported a line later
    as a line to move."""
    edit_line(content_copy, ICE, FIRST_PHRASING + 1, lambda line: line.replace("- ", "-", 1))
    error = only_error(content_copy)
    assert (error.file, error.line) == (ICE, FIRST_PHRASING + 1)
    assert "no space after it" in error.message
    assert error.fix == "put a space after the dash, like the items above: " \
        "'- What to do if ICE comes to your door'"


def test_an_entry_with_five_phrasings_needs_eight(content_copy: Path) -> None:
    path = content_copy / ICE
    lines = path.read_text(encoding="utf-8").split("\n")
    end = next(i for i in range(FIRST_PHRASING, len(lines)) if not lines[i].startswith("      - "))
    del lines[FIRST_PHRASING + 4:end]
    path.write_text("\n".join(lines), encoding="utf-8")
    error = only_error(content_copy)
    assert (error.file, error.line) == (ICE, FIRST_PHRASING)
    assert error.message == ("entry 'ice-at-home' has 5 different phrasing(s); it needs at least "
                             "8")


def test_a_made_up_number_is_a_warning(content_copy: Path) -> None:
    langs = sorted(p.parent.name for p in content_copy.glob("*/contacts.yaml"))
    for lang in langs:
        path = content_copy / lang / "contacts.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            'phone: "1-844-363-1423"', "phone: 2035550142"), encoding="utf-8")
    knowledge, problems = check_content(content_copy)
    assert knowledge is not None  # it is a real-looking number: shown as (203) 555-0142
    assert knowledge.content("en").contacts["migrawatch"].phones == ("(203) 555-0142",)
    warnings = [p for p in problems if p.severity == "warning"]
    assert [p.file for p in warnings] == [f"{lang}/contacts.yaml" for lang in langs]
    assert "looks made up" in warnings[0].message


def test_english_pasted_into_the_spanish_folder_is_a_warning(content_copy: Path) -> None:
    english = (content_copy / ICE).read_text(encoding="utf-8").split("\n")
    answer_start = english.index("    answer: |")
    spanish_path = content_copy / "es" / "ice.yaml"
    spanish = spanish_path.read_text(encoding="utf-8").split("\n")
    start = spanish.index("    answer: |")
    end = next(i for i in range(start + 1, len(spanish))
               if spanish[i].strip() and not spanish[i].startswith("      "))
    english_end = next(i for i in range(answer_start + 1, len(english))
                       if english[i].strip() and not english[i].startswith("      "))
    spanish[start:end] = english[answer_start:english_end]
    spanish_path.write_text("\n".join(spanish), encoding="utf-8")
    inspection = inspect_content(content_copy)
    assert inspection.knowledge is not None
    advice = review_content(inspection, locale_dir(), phrasings=False)
    (warning,) = [p for p in advice if "reads as" in p.message]
    assert warning.place == ("es/ice.yaml", start + 1)
    assert warning.message == "the answer of entry 'ice-at-home' reads as en, not es"


def test_a_translation_reviewed_long_before_the_original_is_a_warning(content_copy: Path
                                                                       ) -> None:
    path = content_copy / "es" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("    reviewed: ")
    line = text[:first].count("\n") + 1
    path.write_text(text[:first] + "    reviewed: 2024-01-15" + text[first + 24:],
                    encoding="utf-8")
    knowledge, problems = check_content(content_copy)
    assert knowledge is not None
    (warning,) = [p for p in problems if "was reviewed on" in p.message]
    assert warning.place == ("es/ice.yaml", line)
    assert warning.message.startswith("entry 'ice-at-home' was reviewed on 2024-01-15 here but on ")
    assert "en/ice.yaml:" in warning.message and "this translation may be out of date" in \
        warning.message


def test_a_cross_language_problem_names_the_line_in_each_language(content_copy: Path) -> None:
    path = content_copy / "es" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    urgent: true\n", "    urgent: false\n", 1), encoding="utf-8")
    error = only_error(content_copy)
    assert error.file == "es/ice.yaml" and error.line > 0
    assert "in en/ice.yaml:" in error.message  # no more "es:0"


@pytest.fixture
def broken(content_copy: Path) -> Path:
    edit_line(content_copy, ICE, FIRST_PHRASING, lambda line: " " + line)
    return content_copy


def test_validate_puts_the_root_cause_first_and_sums_up_in_one_line(broken: Path) -> None:
    out = io.StringIO()
    assert validate_content(broken, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{ICE}:{FIRST_PHRASING}: error: the file cannot be read")
    assert lines[1].startswith("    how to fix: ")
    assert len(lines) == 3 and "cannot be read; the other checks run once it is fixed" in lines[2]


def test_review_notes_are_counted_and_listed_only_on_request(content_copy: Path) -> None:
    out = io.StringIO()
    validate_content(content_copy, out, phrasings=False)
    quiet = out.getvalue().splitlines()
    assert not any(line.startswith("  [ ] ") for line in quiet)
    assert "review notes (--notes lists them)" in quiet[-1]
    out = io.StringIO()
    validate_content(content_copy, out, notes=True, phrasings=False)
    listed = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(listed) if line.startswith("Review notes ("))
    assert listed[start + 1].endswith(".yaml") and listed[start + 2].startswith("  [ ] line ")
