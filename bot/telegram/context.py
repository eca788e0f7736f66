"""What every handler can reach: the Assistant, the settings and the users' language choices.

The Assistant is rebuilt from the content folder at every start and by /reload. It lives in a
small `Runtime` held by the Application; /reload swaps `runtime.assistant` in one assignment, and
each handler reads it once, so an update is answered by one content version from start to end.

What must survive a restart (language choices, /stats counts) is in `runtime.state`, the SQLite
store of bot/state.py; each change is written at once, in its own transaction. PTB's own
persistence (bot_data, user_data) is not used.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram import Update, User
from telegram.ext import Application, CallbackContext, ExtBot

from bot.assistant import Assistant, settle_long_lived_objects
from bot.state import StateStore
from bot.telegram.backlog import Backlog
from bot.telegram.config import Settings
from bot.telegram.privacy import legacy_user_key_secret, user_key, user_key_secret

log = logging.getLogger(__name__)

# A stop (SIGTERM on a redeploy) answers what is held, but never takes longer than this: the
# platform kills the process after its own grace period (Heroku: 30 s, Kubernetes: 30 s).
STOP_DEADLINE_SECONDS = 15.0

def free_replaced_content() -> None:
    """After /reload swapped the content: free the old one, then freeze the new one.

    settle_long_lived_objects() freezes the loaded content out of the garbage collector's reach
    (gc.freeze), and frozen objects are never collected: without gc.unfreeze() first, every
    /reload kept the whole previous content and index alive (about 3 MiB each).
    """
    gc.unfreeze()
    settle_long_lived_objects()
    return_freed_memory()


def return_freed_memory() -> None:
    """Hand the freed heap back to the system (glibc's malloc_trim), so that RSS shows it.

    Without it glibc keeps the old content's freed pages for later use: RSS then moves by a
    few MiB from one /reload to the next instead of staying flat. Elsewhere this does nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass
class Runtime:
    """The live, non-persisted state of the bot."""

    settings: Settings
    assistant: Assistant
    state: StateStore = field(default_factory=StateStore.in_memory)
    backlog: Backlog = field(default_factory=Backlog)
    key_secret: bytes = b""  # the user-key secret; read or created from the settings if empty
    legacy_secret: bytes = field(init=False, default=b"")
    reload_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        if not self.key_secret:
            self.key_secret = user_key_secret(self.settings.user_key_secret,
                                              self.settings.state_file.parent)
        self.legacy_secret = legacy_user_key_secret(self.settings.token)

    def user_key(self, user_id: int) -> str:
        return user_key(user_id, self.key_secret)

    def legacy_user_key(self, user_id: int) -> str:
        """The key an older version stored this user under (derived from the bot token)."""
        return user_key(user_id, self.legacy_secret)

    def chosen_language(self, user_id: int) -> str | None:
        return self.state.language(self.user_key(user_id), self.legacy_user_key(user_id))

    def choose_language(self, user_id: int, lang: str) -> None:
        self.state.set_language(self.user_key(user_id), lang, self.legacy_user_key(user_id))

    def forget(self, user_id: int) -> None:
        self.state.forget(self.user_key(user_id), self.legacy_user_key(user_id))

    def is_admin(self, user: User | None) -> bool:
        return user is not None and user.id in self.settings.admin_ids


class BotApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application plus the `Runtime` (created by ApplicationBuilder.application_class),
    which tells the backlog when an update is handled and bounds how long a stop may take."""

    def __init__(self, *, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            if isinstance(update, Update):
                self.runtime.backlog.done(update.update_id)

    async def stop(self) -> None:
        """Answer every update already fetched (PTB waits for them), within the deadline."""
        held = self.runtime.backlog.held
        if held:
            log.info("stopping: answering %d update(s) already fetched", held)
        try:
            await asyncio.wait_for(super().stop(), STOP_DEADLINE_SECONDS)
        except TimeoutError:
            log.warning("stopped after %g s with %d update(s) not answered",
                        STOP_DEADLINE_SECONDS, self.runtime.backlog.held)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[str, Any]]):
    """The callback context, with the bot's own helpers (see PTB's ContextTypes)."""

    @property
    def runtime(self) -> Runtime:
        application = self.application
        assert isinstance(application, BotApplication)
        return application.runtime

    @property
    def assistant(self) -> Assistant:
        return self.runtime.assistant

    def chosen_language(self, user: User | None) -> str | None:
        """The language this person chose with /language, if any (stored under their key)."""
        return self.runtime.chosen_language(user.id) if user else None

    def choose_language(self, user: User | None, lang: str) -> None:
        if user is not None:
            self.runtime.choose_language(user.id, lang)

    def forget_user(self, user: User | None) -> None:
        if user is not None:
            self.runtime.forget(user.id)

    def language(self, update: object, assistant: Assistant | None = None) -> str:
        """Interface language: the user's choice, else their Telegram language, else the default."""
        assistant = assistant or self.assistant
        user = update.effective_user if isinstance(update, Update) else None
        return assistant.language_for(
            chosen=self.chosen_language(user),
            telegram_code=user.language_code if user else None,
        )
