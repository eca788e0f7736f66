"""What the bot keeps about people, and what it lets into the logs: as little as possible.

- A user is stored and logged only as a *user key*: HMAC-SHA256 of the Telegram user id, keyed
  with a secret of its own (USER_KEY_SECRET, else a random one the bot creates once in the
  state folder), truncated. The state file and the logs never hold a raw user id, and the key
  cannot be tested against a known user id without that secret. It does not depend on the bot
  token: rotating a leaked token keeps everyone's choices, and /forget still reaches them.
  Older versions keyed users with a secret derived from the token; those keys are still
  computed (`legacy_user_key`) so each stored choice can move to its new key.
- The bot never logs the text of a message. Our own log lines carry kinds, ids of FAQ entries,
  counts and user keys only.
- Libraries log more than we want: PTB at DEBUG logs every update and every API call (message
  text, chat ids), httpx at INFO logs request URLs (which contain the bot token). `quiet_libraries`
  caps them, and `LibraryLogFilter` scrubs the token and raw payloads from what is left.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from bot.private_files import FILE_MODE

log = logging.getLogger(__name__)

USER_KEY_SECRET_FILE = "user-key-secret"  # in the state file's folder, when not configured
USER_KEY_CHARS = 16  # 64 bits: no collisions in practice for one bot's users

# PTB's DEBUG level logs update contents and API parameters; httpx's INFO logs URLs with the token.
LIBRARY_LEVELS = {"telegram": logging.INFO, "httpx": logging.WARNING, "httpcore": logging.WARNING}
_REDACTED = "[not logged: may contain user data]"
MAX_LIBRARY_ARG_CHARS = 120


def derive_secret(token: str, purpose: str) -> bytes:
    """A secret for one purpose, derived from the bot token (rotating the token rotates it)."""
    return hmac.new(token.encode(), f"kyr-bot:{purpose}".encode(), hashlib.sha256).digest()


def legacy_user_key_secret(token: str) -> bytes:
    """The user-key secret of older versions (derived from the token): only for migrating."""
    return derive_secret(token, "user-key")


def user_key_secret(configured: str | None, state_folder: Path) -> bytes:
    """USER_KEY_SECRET if set; else the secret file in the state folder, created at the first
    start (random, owner-only). If it can be neither read nor created, a random secret for
    this run only: language choices then do not survive a restart (one WARNING line)."""
    if configured:
        return configured.encode()
    path = state_folder / USER_KEY_SECRET_FILE
    try:
        return _read_or_create_secret(path)
    except OSError as error:
        log.warning("cannot read or create the user-key secret %s (%s); language choices will "
                    "not survive a restart", path, error.strerror)
        return secrets.token_bytes(32)


def _read_or_create_secret(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        value = path.read_text(encoding="ascii").strip()
        if len(value) < 32:
            raise OSError(0, "the file is shorter than 32 characters") from None
        return value.encode()
    value = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(value + "\n")
        file.flush()
        os.fsync(file.fileno())
    log.info("created the user-key secret %s: back it up with the state file (see README)",
             path.name)
    return value.encode()


def user_key(user_id: int, secret: bytes) -> str:
    """The pseudonymous key a user is stored and logged under."""
    digest = hmac.new(secret, str(user_id).encode(), hashlib.sha256).hexdigest()
    return digest[:USER_KEY_CHARS]


def webhook_secret(token: str) -> str:
    """The webhook's secret_token when WEBHOOK_SECRET is not set (Telegram allows [A-Za-z0-9_-])."""
    return derive_secret(token, "webhook").hex()[:64]


class LibraryLogFilter(logging.Filter):
    """Scrubs library log records: the bot token, and any argument that may carry user data.

    PTB passes raw payloads as arguments in a few records that pass the level caps: a batch of
    updates it could not parse (CRITICAL, a list), a webhook body it could not read (a dict), a
    response that is not JSON (a string). Those arguments are replaced; numbers and short plain
    strings (endpoint names, counts, seconds) are kept.
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self._scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self._safe(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self._safe(v) for k, v in record.args.items()}
        return True

    def _scrub(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text

    def _safe(self, value: object) -> object:
        if isinstance(value, bool | int | float) or value is None:
            return value
        looks_like_data = isinstance(value, str) and value.lstrip().startswith(("{", "["))
        if isinstance(value, str) and len(value) <= MAX_LIBRARY_ARG_CHARS and not looks_like_data:
            return self._scrub(value)
        return _REDACTED


def quiet_libraries(token: str) -> None:
    """Cap the chatty library loggers and attach the scrubbing filter to each of them.

    Logger filters apply only to records created on that very logger, so the filter goes on
    every existing logger of those libraries (PTB creates its loggers at import time).
    """
    for name, level in LIBRARY_LEVELS.items():
        logging.getLogger(name).setLevel(level)
    log_filter = LibraryLogFilter(token)
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in LIBRARY_LEVELS]
    for name in (*LIBRARY_LEVELS, *names):
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, LibraryLogFilter)]:
            logger.removeFilter(old)
        logger.addFilter(log_filter)
