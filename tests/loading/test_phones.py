"""Phones: refused when invalid, shown in one format, never a number from never-publish.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.loading import check_content, format_phone
from bot.loading.phones import InvalidPhone


@pytest.mark.parametrize("raw, shown", [
    ("1-800-453-3320", "(800) 453-3320"),
    ("860-570-5327", "(860) 570-5327"),
    ("(860) 570 5327", "(860) 570-5327"),
    ("+1 860 570 5327", "(860) 570-5327"),
    ("2-1-1", "211"),
    ("911", "911"),
])
def test_every_phone_is_shown_in_one_format(raw: str, shown: str) -> None:
    assert format_phone(raw) == shown


@pytest.mark.parametrize("raw", ["203555014", "12345", "860-000-1234", "call us", "1-800"])
def test_numbers_nobody_could_dial_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        format_phone(raw)


def set_phone(content: Path, lang: str, contact_id: str, phone: str) -> int:
    """Replace the first phone of a contact in a copy of the content; returns its line."""
    path = content / lang / "contacts.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  - id: {contact_id}")
    number = next(i for i in range(start, len(lines)) if lines[i].startswith("    phone:"))
    lines[number] = f'    phone: "{phone}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def errors(content: Path) -> list[str]:
    knowledge, problems = check_content(content)
    found = [str(p) for p in problems if p.severity == "error"]
    assert knowledge is None or not found
    return found


@pytest.mark.parametrize("spelling", ["1-866-347-2423", "1-866-DHS-2-ICE", "(866) 347-2423"])
def test_the_ice_tip_line_is_refused_however_it_is_written(content_copy: Path, spelling: str
                                                            ) -> None:
    line = set_phone(content_copy, "en", "migrawatch", spelling)
    found = errors(content_copy)
    assert any(e.startswith(f"en/contacts.yaml:{line}: error: ") and "must never be published"
               in e and "ICE tip line" in e for e in found), found


def test_the_ice_tip_line_in_an_answer_is_refused(content_copy: Path) -> None:
    path = content_copy / "es" / "ice.yaml"
    text = path.read_text(encoding="utf-8")
    call = "    answer: |\n      Llame al 1 866 347 2423.\n"
    path.write_text(text.replace("    answer: |\n", call, 1), encoding="utf-8")
    found = errors(content_copy)
    assert any(e.startswith("es/ice.yaml:") and "must never be published" in e for e in found)


@pytest.mark.parametrize("phone, says", [
    ("203555014", "'203555014' is not a valid phone number (9 digits"),
    ("2035550", "'2035550' is not a valid phone number (7 digits"),
])
def test_a_mistyped_phone_is_refused_at_its_line(content_copy: Path, phone: str, says: str
                                                 ) -> None:
    line = set_phone(content_copy, "es", "migrawatch", phone)
    found = errors(content_copy)
    assert any(e.startswith(f"es/contacts.yaml:{line}: error: contact 'migrawatch': {says}")
               for e in found), found


def test_a_phone_written_without_dashes_is_accepted_and_shown_like_the_others(
        content_copy: Path) -> None:
    for lang in ("en", "es"):
        set_phone(content_copy, lang, "migrawatch", "8443631423")
    knowledge, problems = check_content(content_copy)
    assert knowledge is not None, [str(p) for p in problems if p.severity == "error"]
    assert knowledge.content("es").contacts["migrawatch"].phones == ("(844) 363-1423",)


def test_a_phone_that_differs_between_languages_names_both_files(content_copy: Path) -> None:
    es_line = set_phone(content_copy, "es", "migrawatch", "2035550142")
    found = errors(content_copy)
    (error,) = [e for e in found if "migrawatch" in e]
    en_line = (content_copy / "en" / "contacts.yaml").read_text().splitlines().index(
        '    phone: "1-844-363-1423"') + 1
    assert error.startswith(f"es/contacts.yaml:{es_line}: error: contact 'migrawatch' has phone "
                            "(203) 555-0142 here but (844) 363-1423 in "
                            f"en/contacts.yaml:{en_line}")
