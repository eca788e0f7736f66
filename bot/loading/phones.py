"""Phone numbers: checked with libphonenumber's rules, shown in one format, never a listed one.

Why `phonenumbers` (the Python port of Google's libphonenumber) instead of a pattern: it knows
which area codes and exchanges exist, reads "1-866-DHS-2-ICE" as the digits it spells, and formats
every number the same way, so a 9-digit typo is refused and the ICE tip line is recognized however
it is written. The numbers that must never be published are data (never-publish.yaml), not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
import yaml
from phonenumbers import PhoneNumberFormat, shortnumberinfo

from bot.loading.problems import Problem
from bot.loading.yaml_file import YamlReader

REGION = "US"  # numbers without a country code are read as U.S. numbers
NEVER_PUBLISH_FILE = "never-publish.yaml"
# 211, 311, 411, 511, 611, 711, 811, 911: three-digit service numbers, valid without an area code
_N11 = re.compile(r"^[2-9]11$")
PHONE_HELP = "a U.S. number has 10 digits (like 860-555-0123), or is 211 or 911"


class InvalidPhone(ValueError):
    """The text is not a phone number a person could dial; the message says why, plainly."""


def parse_phone(raw: str) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"'{raw}' is not a phone number") from exc
    if phonenumbers.is_valid_number(number):
        return number
    digits = str(number.national_number)
    if _N11.match(digits) and shortnumberinfo.is_valid_short_number(number):
        return number
    count = len(re.sub(r"\D", "", raw))
    raise InvalidPhone(f"'{raw}' is not a valid phone number ({count} digits; {PHONE_HELP})")


def format_phone(raw: str) -> str:
    """How the bot shows a phone number: (860) 555-0123, 1-800 numbers the same way, 211 as 211.

    Raises InvalidPhone for text that is not a valid number (the loader refuses those first).
    """
    number = parse_phone(raw)
    if not phonenumbers.is_valid_number(number):
        return str(number.national_number)  # a service number: 211, 911
    if number.country_code != phonenumbers.country_code_for_region(REGION):
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def is_example_number(raw: str) -> bool:
    """555-0100 to 555-0199 in any area code are reserved for films and examples: such a number
    in the content is a placeholder nobody replaced."""
    digits = str(parse_phone(raw).national_number)
    return len(digits) == 10 and digits[3:6] == "555" and digits[6:8] == "01"


def phone_key(raw: str) -> str:
    """The same key for every spelling of one number (E.164), to compare numbers."""
    return phonenumbers.format_number(parse_phone(raw), PhoneNumberFormat.E164)


_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]")


def _compact(text: str) -> str:
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())


@dataclass(frozen=True)
class Forbidden:
    """A number that must never be published, with the reason and where it is listed."""

    key: str  # E.164
    spellings: tuple[str, ...]  # as written in never-publish.yaml
    why: str
    line: int

    def needles(self) -> list[tuple[str, str]]:
        """(compacted text to look for, the spelling to report) for each way it is written."""
        found = [(_compact(s).removeprefix("1"), s) for s in self.spellings]
        found.append((self.key.removeprefix("+1"), self.spellings[0]))
        return [(needle, spelling) for needle, spelling in found if needle]

    def written_in(self, text: str) -> str | None:
        """The spelling of this number written somewhere in the text, if any."""
        return written_in(_compact(text), self.needles())


def written_in(compact: str, needles: list[tuple[str, str]]) -> str | None:
    return next((spelling for needle, spelling in needles if needle in compact), None)


def read_never_publish(root: Path, problems: list[Problem]) -> list[Forbidden]:
    """never-publish.yaml: `numbers:` a list of `- spellings: [...]` with `why:`."""
    path = root / NEVER_PUBLISH_FILE
    if not path.exists():
        return []
    reader = YamlReader(path, root, problems)
    node = reader.parse()
    if node is None:
        return []
    top = reader.fields(node, {"numbers": True}, NEVER_PUBLISH_FILE)
    items = top.get("numbers") if top else None
    if items is None:
        return []
    if not isinstance(items, yaml.SequenceNode):
        reader.error(items, "numbers should be a list of '- spellings: [...]' items")
        return []
    forbidden: list[Forbidden] = []
    for item in items.value:
        f = reader.fields(item, {"spellings": True, "why": True}, "a number never to publish")
        if f is None:
            continue
        spellings = reader.text_items(f.get("spellings"), "spellings", allow_single=True)
        why = reader.text(f.get("why"), "why") or ""
        keys = set()
        for spelling, spelling_node in spellings:
            try:
                keys.add(phone_key(spelling))
            except InvalidPhone as exc:
                reader.error(spelling_node, str(exc))
        if len(keys) > 1:
            reader.error(item, "the spellings of one number should all be the same number")
        if keys:
            forbidden.append(Forbidden(keys.pop(), tuple(s for s, _ in spellings), why,
                                       reader.place(item).line))
    return forbidden


def check_never_published(root: Path, files: list[Path], forbidden: list[Forbidden],
                          problems: list[Problem]) -> None:
    """No listed number anywhere in the content's text, in any spelling: as a contact's phone,
    in an answer, a step or a note. Comment lines (starting with #) are left alone."""
    if not forbidden:
        return
    needles = [(listed, listed.needles()) for listed in forbidden]  # each line compacted once
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # reported by the reader of the file
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith("#"):
                continue
            compact = _compact(line)
            for listed, looked_for in needles:
                spelling = written_in(compact, looked_for)
                if spelling is not None:
                    problems.append(Problem(
                        path.relative_to(root).as_posix(), number,
                        f"{spelling} must never be published: {listed.why} "
                        f"({NEVER_PUBLISH_FILE}:{listed.line})",
                        fix="remove the number from this line"))
