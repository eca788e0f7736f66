"""Kept so that older imports still work: the loader now lives in the `bot.loading` package."""

from bot.loading import (  # noqa: F401
    CONTACTS_FILE,
    DEFAULT_LANGUAGE,
    LANGUAGE_DIR_PATTERN,
    OUT_OF_SCOPE_FILE,
    REQUIRED_FILE,
    RIGHT_NOW_FILE,
    VOCABULARY_FILE,
    ContentError,
    Problem,
    check_content,
    load_knowledge,
)
