"""Settings from the environment, checked once at start-up.

A missing or malformed setting raises `ConfigError` with one line that names it; `run_bot` prints
that line and exits with code 2, so a deployment mistake never shows up as a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bot import paths
from bot.private_files import private_dir

log = logging.getLogger(__name__)

DEFAULT_PORT = 8080
# Before: the state file defaulted to the current folder (often a checkout of the repository).
OLD_DEFAULT_STATE_FILES = ("bot-state.sqlite3", "bot-state.pickle")
MIN_USER_KEY_SECRET_CHARS = 32
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # Telegram's rule for secret_token
# ASCII digits only: str.isdigit() also accepts "²" (int() then fails) and "٤" (int() reads 4).
_NUMBER = re.compile(r"^[0-9]+$", re.ASCII)


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line that names it."""


@dataclass(frozen=True)
class Settings:
    """Everything the Telegram bot reads from the environment."""

    token: str
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    port: int = DEFAULT_PORT
    admin_ids: frozenset[int] = frozenset()
    content_dir: Path = field(default_factory=paths.content_dir)
    locale_dir: Path = field(default_factory=paths.locale_dir)
    log_level: str = "INFO"
    state_file: Path = field(default_factory=paths.default_state_file)
    user_key_secret: str | None = None  # None: the secret file beside the state file

    @property
    def webhook_path(self) -> str:
        """The URL path the webhook server listens on: the path of WEBHOOK_URL."""
        return urlparse(self.webhook_url or "").path.strip("/")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting; raise ConfigError naming the first bad one."""
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    return Settings(
        token=_token(get("TELEGRAM_BOT_TOKEN")),
        api_base_url=_url("TELEGRAM_API_BASE_URL", get("TELEGRAM_API_BASE_URL")),
        webhook_url=_url("WEBHOOK_URL", get("WEBHOOK_URL")),
        webhook_secret=_secret(get("WEBHOOK_SECRET")),
        port=_port(get("PORT")),
        admin_ids=_admin_ids(get("BOT_ADMIN_IDS")),
        content_dir=_content_dir(get("CONTENT_DIR")),
        log_level=_log_level(get("LOG_LEVEL")),
        state_file=_state_file(get("STATE_FILE")),
        user_key_secret=_user_key_secret(get("USER_KEY_SECRET")),
    )


def _token(value: str | None) -> str:
    if value is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set (get a token from @BotFather)")
    if not _TOKEN.match(value):
        # Never echo the value: it may be a real token with a typo.
        raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token "
                          "(expected digits, a colon, then letters, digits, _ or -)")
    return value


def _url(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ConfigError(f"{name} must be a web address starting with https://, got {value!r}")
    return value


def _secret(value: str | None) -> str | None:
    if value is not None and not _SECRET.match(value):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters: letters, digits, _ or -")
    return value


def _port(value: str | None) -> int:
    if value is None:
        return DEFAULT_PORT
    if not _NUMBER.match(value) or not 1 <= int(value) <= 65535:
        raise ConfigError(f"PORT must be a number from 1 to 65535, got {value!r}")
    return int(value)


def _admin_ids(value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not all(_NUMBER.match(p) for p in parts):
        raise ConfigError(f"BOT_ADMIN_IDS must be comma-separated numbers, got {value!r}")
    if not parts:
        log.warning("BOT_ADMIN_IDS is set to %r, which holds no user id: nobody can use "
                    "/reload or /stats", value)
    return frozenset(int(p) for p in parts)


def _content_dir(value: str | None) -> Path:
    path = Path(value) if value else paths.content_dir()
    if not path.is_dir():
        raise ConfigError(f"CONTENT_DIR must be a folder with the content, got {str(path)!r}")
    return path


def _log_level(value: str | None) -> str:
    level = (value or "INFO").upper()
    if level not in LOG_LEVELS or not isinstance(logging.getLevelName(level), int):
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {value!r}")
    return level


def _state_file(value: str | None) -> Path:
    path = Path(value) if value else _default_state_file()
    if path.is_dir():
        raise ConfigError(f"STATE_FILE must be a file path, got the folder {str(path)!r}")
    if not path.parent.is_dir():
        raise ConfigError(f"STATE_FILE must be in an existing folder, got {str(path)!r}")
    return path


def _default_state_file() -> Path:
    """The user's state folder (created owner-only); but a state file already at the old default
    (the current folder) is kept where it is, with a warning, rather than silently left behind."""
    old = Path(OLD_DEFAULT_STATE_FILES[0])
    if any(Path(name).is_file() for name in OLD_DEFAULT_STATE_FILES):
        log.warning("using the state file in the current folder (%s), the old default; move it "
                    "(with %s and last-good-content/) to %s or set STATE_FILE", old,
                    "user-key-secret", paths.state_dir())
        return old
    path = paths.default_state_file()
    try:
        private_dir(path.parent)
    except OSError as error:
        raise ConfigError(f"STATE_FILE is not set and the default folder {str(path.parent)!r} "
                          f"cannot be created ({error.strerror}); set STATE_FILE") from None
    return path


def _user_key_secret(value: str | None) -> str | None:
    if value is not None and len(value) < MIN_USER_KEY_SECRET_CHARS:
        raise ConfigError(f"USER_KEY_SECRET must be at least {MIN_USER_KEY_SECRET_CHARS} "
                          "characters (e.g. python -c \"import secrets; "
                          "print(secrets.token_hex(32))\")")
    return value
