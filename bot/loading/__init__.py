"""Reading the content folder and every rule it must follow (see content/README.md).

- yaml_file.py, yaml_mistakes.py   reading YAML with line numbers; the usual slips explained
- places.py                        where each entry, contact and phrasing is written
- entries.py, contacts.py, phones.py, vocabulary.py, out_of_scope.py, urgency_examples.py,
  required.py                      the rules of each kind of file
- language_folder.py               one language folder read into a LanguageContent
- translations.py                  languages in step (ids, contact details, review dates, the
                                   language a text is written in)
- check.py                         the whole folder: `check_content`, `load_knowledge`
- phrasings.py, readability.py     advice that needs the matcher (collisions) or a formula
- review.py                        what `validate` adds on top of check.py
- report.py                        what `validate` prints (and `print_problems`, for the
                                   commands that stop on content with errors)
- since.py                         what changed since the last content that passed: the
                                   edit's own problems, named first
- due.py                           what is due for review (old entries, RE-VERIFY notes)
- last_good.py                     the copy of the last content that passed, for start-up
"""
from bot.loading.check import (
    DEFAULT_LANGUAGE,
    LANGUAGE_DIR_PATTERN,
    Inspection,
    check_content,
    inspect_content,
    load_knowledge,
)
from bot.loading.contacts import CONTACTS_FILE, RIGHT_NOW_FILE
from bot.loading.out_of_scope import OUT_OF_SCOPE_FILE
from bot.loading.phones import NEVER_PUBLISH_FILE, InvalidPhone, format_phone
from bot.loading.problems import ContentError, Place, Problem
from bot.loading.required import REQUIRED_FILE
from bot.loading.vocabulary import VOCABULARY_FILE

__all__ = [
    "CONTACTS_FILE",
    "DEFAULT_LANGUAGE",
    "LANGUAGE_DIR_PATTERN",
    "NEVER_PUBLISH_FILE",
    "OUT_OF_SCOPE_FILE",
    "REQUIRED_FILE",
    "RIGHT_NOW_FILE",
    "VOCABULARY_FILE",
    "ContentError",
    "Inspection",
    "InvalidPhone",
    "Place",
    "Problem",
    "check_content",
    "format_phone",
    "inspect_content",
    "load_knowledge",
]
