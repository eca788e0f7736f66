"""Each kind of file and field, checked: every mistake is reported with its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.loading import ContentError, Problem, check_content, load_knowledge

CONTACTS = """\
general: [legal-aid]
urgent: [legal-aid]
contacts:
  - id: legal-aid
    name: Legal Aid
    description: Free legal help.
    phone: 860-555-0200
"""

TOPIC = """\
topic: schools
title: {title}
entries:
  - id: school-ice-visit
    question: {question}
    short_title: ICE at school
    phrasings:
      - ice at my kids school
      - immigration agents came to the school
      - can ice agents walk into a classroom
      - will immigration take my son from school
      - agents at the school office
      - is my daughter safe from ice at school
      - can the school let ice in
      - ice in the school parking lot
    answer: |
      {answer}
    contacts: [legal-aid]
    sources:
      - title: A source
        url: https://example.org/a
    reviewed: 2026-01-15
"""


def write_language(root: Path, lang: str, topic: str | None = None, contacts: str = CONTACTS
                   ) -> None:
    folder = root / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contacts.yaml").write_text(contacts, encoding="utf-8")
    (folder / "schools.yaml").write_text(
        topic or TOPIC.format(title="Schools", question="Can ICE come to school?",
                              answer="The school sends agents to the office."),
        encoding="utf-8",
    )


def errors_of(root: Path) -> list[Problem]:
    knowledge, problems = check_content(root)
    errors = [p for p in problems if p.severity == "error"]
    assert knowledge is None, "content with errors must not load"
    return errors


@pytest.fixture
def content(tmp_path: Path) -> Path:
    write_language(tmp_path, "en")
    write_language(tmp_path, "es", TOPIC.format(
        title="Escuelas", question="¿Puede ICE entrar a la escuela?",
        answer="La escuela manda a los agentes a la oficina."))
    return tmp_path


def test_valid_content_loads_every_language(content: Path) -> None:
    knowledge = load_knowledge(content)
    assert knowledge.language_codes == ("en", "es")
    entry = knowledge.content("es").entries["school-ice-visit"]
    assert entry.question == "¿Puede ICE entrar a la escuela?"
    assert entry.reviewed is not None and entry.reviewed.isoformat() == "2026-01-15"
    assert knowledge.content("en").contacts["legal-aid"].phones == ("(860) 555-0200",)


def test_yaml_syntax_error_names_file_and_line(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    lines = path.read_text().splitlines()
    lines[7] = "      - ice at my kids school: [unclosed"
    path.write_text("\n".join(lines))
    (error,) = errors_of(content)
    assert error.file == "en/schools.yaml"  # relative to the content folder
    assert error.line == 8  # the line that opens the bracket, not where the parser noticed
    assert "line 8 opens a bracket" in error.message and "not closed" in error.message


def test_missing_required_field_is_reported(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    path.write_text(path.read_text().replace("    reviewed: 2026-01-15\n", ""))
    (error,) = errors_of(content)
    assert "missing the required field 'reviewed'" in error.message
    assert (error.file, error.line) == ("en/schools.yaml", 4)


def test_unknown_field_is_reported_at_its_line(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    path.write_text(path.read_text().replace("    phrasings:", "    phrasing:"))
    errors = errors_of(content)
    assert any("unknown field 'phrasing'" in e.message and e.line == 7 for e in errors)


def test_duplicate_entry_id_points_to_the_first_use(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    text = path.read_text()
    entry = text[text.index("  - id:"):]
    path.write_text(text + entry)
    errors = errors_of(content)
    assert any("already used at" in e.message and "en/schools.yaml:4" in e.message for e in errors)


def test_unknown_contact_reference(content: Path) -> None:
    path = content / "es" / "schools.yaml"
    path.write_text(path.read_text().replace("contacts: [legal-aid]", "contacts: [nobody]"))
    errors = errors_of(content)
    assert any("contact 'nobody'" in e.message and e.file == "es/schools.yaml" for e in errors)


def test_entry_missing_in_one_language(content: Path) -> None:
    path = content / "es" / "schools.yaml"
    path.write_text(path.read_text().replace("school-ice-visit", "school-visit"))
    messages = [e.message for e in errors_of(content)]
    assert "entry 'school-ice-visit' is in en/ but not in es/" in messages
    assert "entry 'school-visit' is in es/ but not in en/" in messages


def test_answer_too_long_for_telegram(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    long_answer = "Words. " * 700
    path.write_text(path.read_text().replace("The school sends agents to the office.", long_answer))
    (error,) = errors_of(content)
    assert "too long for one Telegram message" in error.message
    assert error.line == 16


@pytest.mark.parametrize("value, message", [
    ("2026-13-40", "should be a date written like 2026-11-29"),
    ("2999-01-01", "is in the future"),
])
def test_bad_reviewed_date(content: Path, value: str, message: str) -> None:
    path = content / "en" / "schools.yaml"
    path.write_text(path.read_text().replace("2026-01-15", value))
    (error,) = errors_of(content)
    assert message in error.message
    assert error.line == 22


def test_word_in_two_concepts_is_refused(content: Path) -> None:
    path = content / "en" / "vocabulary.yaml"
    path.write_text(textwrap.dedent("""\
        concepts:
          ice: [ice, la migra]
          police: [police, la migra]
        """))
    (error,) = errors_of(content)
    assert "'la migra' is in concept 'police' and also in 'ice'" in error.message
    assert (error.file, error.line) == ("en/vocabulary.yaml", 3)


def test_spellings_load_and_a_bad_one_is_refused_at_its_line(content: Path) -> None:
    path = content / "es" / "vocabulary.yaml"
    path.write_text("spellings:\n  y: ll\n  s: [c, z]\n")
    knowledge = load_knowledge(content)
    assert knowledge.content("es").vocabulary.spellings == (("y", "ll"), ("s", "c"), ("s", "z"))
    path.write_text("spellings:\n  y: ll\n  b: '!!'\n")
    (error,) = errors_of(content)
    assert "spelling 'b: !!' should be letters on both sides" in error.message
    assert (error.file, error.line) == ("es/vocabulary.yaml", 3)


def test_review_notes_are_notes_not_errors(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    path.write_text(path.read_text() + "    review_notes: [RE-VERIFY the phone]\n")
    knowledge, problems = check_content(content)
    assert knowledge is not None
    assert [p.severity for p in problems] == ["note"]
    assert "RE-VERIFY the phone" in problems[0].message


def test_load_knowledge_raises_with_every_problem(content: Path) -> None:
    (content / "en" / "contacts.yaml").write_text("general: [x]\ncontacts: nope\n")
    with pytest.raises(ContentError) as raised:
        load_knowledge(content)
    assert all(isinstance(p, Problem) for p in raised.value.problems)
    assert str(raised.value.problems[0]).startswith("en/contacts.yaml")


OUT_OF_SCOPE = """\
out_of_scope:
  - id: school-bus
    phrasings:
      - what time does the school bus come
      - {phrasing}
"""


def write_out_of_scope(content: Path, lang: str, phrasing: str = "where is the bus stop") -> Path:
    path = content / lang / "out-of-scope.yaml"
    path.write_text(OUT_OF_SCOPE.format(phrasing=phrasing), encoding="utf-8")
    return path


def test_out_of_scope_questions_load_in_every_language(content: Path) -> None:
    write_out_of_scope(content, "en")
    write_out_of_scope(content, "es", "a que hora pasa el autobus")
    knowledge = load_knowledge(content)
    assert knowledge.content("es").out_of_scope["school-bus"][1] == "a que hora pasa el autobus"
    assert [t.id for t in knowledge.content("en").topics] == ["schools"]  # not a topic file


def test_out_of_scope_topic_missing_in_one_language(content: Path) -> None:
    write_out_of_scope(content, "en")
    messages = [e.message for e in errors_of(content)]
    assert messages == ["out-of-scope topic 'school-bus' is in en/ but not in es/"]


def test_a_question_the_faq_answers_cannot_be_out_of_scope(content: Path) -> None:
    write_out_of_scope(content, "en", "Ice at my kids school")
    write_out_of_scope(content, "es")
    (error,) = errors_of(content)
    assert "is also a phrasing of entry 'school-ice-visit' (en/schools.yaml:8)" in error.message
    assert (error.file, error.line) == ("en/out-of-scope.yaml", 5)


def test_out_of_scope_id_may_not_reuse_an_entry_id(content: Path) -> None:
    for lang in ("en", "es"):
        path = write_out_of_scope(content, lang)
        path.write_text(path.read_text().replace("school-bus", "school-ice-visit"))
    errors = errors_of(content)
    assert errors and all("already used by an entry" in e.message for e in errors)
    assert errors[0].line == 2
