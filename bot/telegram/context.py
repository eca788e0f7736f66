"""What every handler can reach: the Assistant, the settings and the users' language choices.

The Assistant is not kept in `bot_data`, because `bot_data` is persisted (pickled) and the
Assistant is rebuilt from the content folder at every start and by /reload. It lives in a small
`Runtime` held by the Application; /reload swaps `runtime.assistant` in one assignment, and each
handler reads it once, so an update is answered by one content version from start to end.

`bot_data` holds only what must survive a restart: {"languages": {user_key: lang}}.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from telegram import Update, User
from telegram.ext import Application, CallbackContext, ExtBot

from bot.assistant import Assistant
from bot.telegram.config import Settings
from bot.telegram.privacy import derive_secret, user_key

LANGUAGES = "languages"


@dataclass
class Runtime:
    """The live, non-persisted state of the bot."""

    settings: Settings
    assistant: Assistant
    key_secret: bytes = b""
    reload_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __post_init__(self) -> None:
        if not self.key_secret:
            self.key_secret = derive_secret(self.settings.token, "user-key")

    def user_key(self, user_id: int) -> str:
        return user_key(user_id, self.key_secret)

    def is_admin(self, user: User | None) -> bool:
        return user is not None and user.id in self.settings.admin_ids


class BotApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's Application plus the `Runtime` (created by ApplicationBuilder.application_class)."""

    def __init__(self, *, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime


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

    @property
    def choices(self) -> dict[str, str]:
        """{user_key: lang}: the languages people chose with /language (persisted)."""
        return self.bot_data.setdefault(LANGUAGES, {})

    def chosen_language(self, user: User | None) -> str | None:
        return self.choices.get(self.runtime.user_key(user.id)) if user else None

    def choose_language(self, user: User | None, lang: str) -> None:
        if user is not None:
            self.choices[self.runtime.user_key(user.id)] = lang

    def forget_user(self, user: User | None) -> None:
        if user is not None:
            self.choices.pop(self.runtime.user_key(user.id), None)

    def language(self, update: object, assistant: Assistant | None = None) -> str:
        """Interface language: the user's choice, else their Telegram language, else the default."""
        assistant = assistant or self.assistant
        user = update.effective_user if isinstance(update, Update) else None
        return assistant.language_for(
            chosen=self.chosen_language(user),
            telegram_code=user.language_code if user else None,
        )
