"""Telegram callbacks: resolve the language, ask the core, render, send. No FAQ logic lives here.

Every callback reads `context.assistant` once, so /reload can swap the content between updates
but never in the middle of one. Replies quote the user's message in groups (PTB's default) so it
is clear whom the bot answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import traceback
from collections.abc import Callable
from pathlib import Path

from telegram import (
    CallbackQuery,
    InlineQueryResultsButton,
    Message,
    MessageEntity,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import filters

from bot.actions import Action
from bot.assistant import Assistant
from bot.loading import ContentError
from bot.loading.last_good import remember
from bot.replies import Reply, ReplyBuilder
from bot.telegram import admin
from bot.telegram.commands import register_commands
from bot.telegram.context import BotContext, free_replaced_content
from bot.telegram.render import inline_article, parse_callback_data, render
from bot.telegram.sending import describe

log = logging.getLogger(__name__)

INLINE_CACHE_SECONDS = 10
INLINE_RESULTS = 5  # Telegram allows 50; a few good ones are easier to pick from
INLINE_START_PARAMETER = "inline"
UPDATE_KINDS = ("message", "edited_message", "callback_query", "inline_query", "channel_post")


# -- sending -------------------------------------------------------------------------------------
async def send_reply(message: Message, reply: Reply) -> None:
    """A reply as one message (more only past Telegram's limit); only the first one quotes."""
    for index, part in enumerate(render(reply)):
        await message.reply_text(
            part.text, reply_markup=part.markup, do_quote=None if index == 0 else False
        )


async def edit_reply(query: CallbackQuery, reply: Reply) -> None:
    """Show a reply in place of the message whose button was pressed (new messages if it can't)."""
    parts = render(reply)
    message = query.message
    unsent = parts
    if query.inline_message_id is not None or (message is not None and message.is_accessible):
        try:
            await query.edit_message_text(parts[0].text, reply_markup=parts[0].markup)
            unsent = parts[1:]
        except BadRequest as error:
            if "not modified" in str(error).lower():  # the button of what is already shown
                unsent = parts[1:]
            else:  # too old, deleted, ...: say it in a new message instead
                log.info("edit failed (%s); sending a new message", type(error).__name__)
    if message is not None:
        for part in unsent:
            await query.get_bot().send_message(
                message.chat.id, part.text, reply_markup=part.markup
            )


def builder(update: Update, context: BotContext) -> ReplyBuilder:
    assistant = context.assistant
    return assistant.replies(context.language(update, assistant))


async def show(update: Update, context: BotContext, make: Callable[[ReplyBuilder], Reply]) -> None:
    if update.effective_message is not None:
        await send_reply(update.effective_message, make(builder(update, context)))


# -- commands ------------------------------------------------------------------------------------
async def start(update: Update, context: BotContext) -> None:
    """/start: what the bot does, the disclaimer, and buttons for the topics and languages."""
    await show(update, context, ReplyBuilder.welcome)


async def start_link(update: Update, context: BotContext) -> None:
    """/start <entry or topic>: a deep link (t.me/<bot>?start=school-ice-visit) opens it."""
    if update.effective_message is None:
        return
    assistant = context.assistant
    lang = context.language(update, assistant)
    ref = context.args[0].lower() if context.args else ""
    reply = assistant.entry_or_topic(ref, lang) or assistant.replies(lang).welcome()
    await send_reply(update.effective_message, reply)


async def topics(update: Update, context: BotContext) -> None:
    """/topics: the topics, to browse entries with buttons."""
    await show(update, context, ReplyBuilder.topics)


async def contacts(update: Update, context: BotContext) -> None:
    """/contacts: the organizations that can help."""
    await show(update, context, ReplyBuilder.contacts)


async def language(update: Update, context: BotContext) -> None:
    """/language: buttons to choose the language the bot answers in."""
    await show(update, context, ReplyBuilder.language_menu)


async def help_(update: Update, context: BotContext) -> None:
    """/help (and unknown commands): how to use the bot."""
    await show(update, context, ReplyBuilder.help)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy: what the bot keeps, and what it does not."""
    await show(update, context, ReplyBuilder.privacy)


async def forget(update: Update, context: BotContext) -> None:
    """/forget: delete the user's language choice, the only thing kept about them."""
    build = builder(update, context)  # answer in the language they were using
    context.forget_user(update.effective_user)  # written at once: a /forget is a promise
    if update.effective_message is not None:
        await send_reply(update.effective_message, build.forgotten())


# -- admin commands ------------------------------------------------------------------------------
def admin_in_private(update: Update, context: BotContext) -> bool | None:
    """True for an admin in a private chat with the bot; None for an admin anywhere else (a
    group would see the usage counts, or file paths in /reload's errors: say nothing there);
    False for everyone else."""
    if not context.runtime.is_admin(update.effective_user) or update.effective_message is None:
        return False
    chat = update.effective_chat
    if chat is None or chat.type != chat.PRIVATE:
        log.info("admin command in a %s chat: not answered there", chat.type if chat else "?")
        return None
    return True


async def reload_content(update: Update, context: BotContext) -> None:
    """/reload (admins, in a private chat): load the content again and switch to it only if it
    is valid."""
    allowed = admin_in_private(update, context)
    if not allowed:
        if allowed is False:
            await help_(update, context)
        return
    assert update.effective_message is not None
    runtime = context.runtime
    settings = runtime.settings
    async with runtime.reload_lock:
        old = runtime.assistant
        lang = context.language(update, old)
        try:
            new = await _load(settings.content_dir, settings.locale_dir, old)
        except ContentError as error:
            log.warning("content reload refused: %d problem(s)", len(error.problems))
            translator = old.catalogs.translator(lang)
            reply = admin.reload_refused(error.problems, settings.content_dir, translator, lang)
        else:
            runtime.assistant = new  # one assignment: the next update sees the new content
            del old  # the last reference here: the collection below can free the old content
            free_replaced_content()
            await asyncio.to_thread(remember, settings.content_dir, settings.state_file)
            log.info("content reloaded: %s", ", ".join(
                f"{code}={len(c.entries)}" for code, c in new.knowledge.languages.items()))
            await register_commands(context.bot, new)
            lang = context.language(update, new)
            reply = admin.reloaded(new, new.catalogs.translator(lang), lang)
    await send_reply(update.effective_message, reply)


async def _load(content_dir: Path, locale_dir: Path, old: Assistant) -> Assistant:
    """Build the new Assistant off the event loop; the counts carry over."""
    return await asyncio.to_thread(Assistant.load, content_dir, locale_dir, old.stats)


async def stats(update: Update, context: BotContext) -> None:
    """/stats (admins, in a private chat): how many questions, how they were decided, the top
    entries. Counts only."""
    allowed = admin_in_private(update, context)
    if not allowed:
        if allowed is False:
            await help_(update, context)
        return
    assert update.effective_message is not None
    assistant = context.assistant
    lang = context.language(update, assistant)
    reply = admin.stats(assistant, assistant.catalogs.translator(lang), lang)
    await send_reply(update.effective_message, reply)


# -- messages ------------------------------------------------------------------------------------
class AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: they mention it, or reply to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        mention = f"@{bot.username}".lower()
        kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        entities = message.parse_entities(kinds) or message.parse_caption_entities(kinds)
        for entity, text in entities.items():
            if entity.type == MessageEntity.MENTION and text.lower() == mention:
                return True
            if entity.user is not None and entity.user.id == bot.id:
                return True
        return False


def without_mention(text: str, username: str | None) -> str:
    """The question without '@bot' (group messages address the bot by its username)."""
    if not username:
        return text
    return " ".join(re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).split())


async def question(update: Update, context: BotContext) -> None:
    """Any text, or a photo's caption: the answer (the right-now steps first for a message
    written as it happens), its contacts and follow-up buttons."""
    message = update.effective_message
    written = message and (message.text or message.caption)
    if message is None or not written:
        return
    text = without_mention(written, context.bot.username)  # "@bot question" in groups
    user = update.effective_user
    answer = context.assistant.ask(
        text, chosen=context.chosen_language(user),
        telegram_code=user.language_code if user else None,
    )
    await send_reply(message, answer.reply)


async def non_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice, locations, files: the bot reads text only."""
    await show(update, context, ReplyBuilder.non_text)


# -- buttons -------------------------------------------------------------------------------------
async def button(update: Update, context: BotContext) -> None:
    """A button press: answer the callback, then show the reply in place of the message."""
    query = update.callback_query
    if query is None:
        return
    assistant = context.assistant
    message_lang, action = parse_callback_data(query.data or "")
    lang = (message_lang if message_lang in assistant.languages
            else context.language(update, assistant))
    reply = assistant.act(action, lang)
    if reply is None:  # an old keyboard, content that changed, or data we never sent
        _ = assistant.catalogs.translator(context.language(update, assistant)).gettext
        await query.answer(_("This button is no longer available. Send /start to begin again."))
        return
    await query.answer()
    decoded = Action.decode(action)
    if decoded is not None and decoded.kind == "language":
        context.choose_language(query.from_user, reply.lang)
    await edit_reply(query, reply)


# -- inline mode ---------------------------------------------------------------------------------
async def inline_query(update: Update, context: BotContext) -> None:
    """@bot <question> in any chat: the matching answers, ready to share."""
    inline = update.inline_query
    if inline is None:
        return
    assistant = context.assistant
    user = inline.from_user
    lang = context.language(update, assistant)
    text = inline.query.strip()
    entry_ids: tuple[str, ...] = ()
    first: list[Reply] = []
    if text:
        answer = assistant.ask(
            text, chosen=context.chosen_language(user), telegram_code=user.language_code,
            record=False,  # inline queries arrive at every keystroke: they are not questions
        )
        lang = answer.reply.lang
        if answer.reply.kind == "urgent":  # the right-now steps, as in a private chat
            first.append(answer.reply)
        match = answer.match
        if match is not None and match.entry_id is not None and match.decision != "none":
            entry_ids = (match.entry_id, *match.suggestions)
    else:  # before typing: the first question of each topic
        content = assistant.replies(lang).content
        entry_ids = tuple(t.entry_ids[0] for t in content.topics if t.entry_ids)
    replies = first + [assistant.entry_or_topic(entry_id, lang) for entry_id in entry_ids]
    _ = assistant.catalogs.translator(lang).gettext
    username = context.bot.username
    results = [
        inline_article(reply, username, _("Open in the bot"))
        for reply in replies[:INLINE_RESULTS] if reply is not None
    ]
    await inline.answer(
        results, cache_time=INLINE_CACHE_SECONDS, is_personal=True,
        button=InlineQueryResultsButton(_("Ask me in a private chat"),
                                        start_parameter=INLINE_START_PARAMETER),
    )


# -- errors --------------------------------------------------------------------------------------
def update_kind(update: object) -> tuple[str, int | None]:
    """('message', 42): what kind of update failed, without anything the user wrote."""
    if not isinstance(update, Update):
        return (type(update).__name__.lower() if update is not None else "none"), None
    kind = next((k for k in UPDATE_KINDS if getattr(update, k, None) is not None), "other")
    return kind, update.update_id


def origin(error: BaseException | None) -> str:
    """Where an error was raised, as file:line(function) frames: no message, no values."""
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    return " < ".join(
        f"{Path(f.filename).name}:{f.lineno}({f.name})" for f in reversed(frames[-4:])
    ) or "-"


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure (type and update kind only: never text or user ids), then tell the user.

    A Telegram failure (5xx after the retries, a timeout, a 429 past the limiter's retries, a
    blocked bot) is expected now and then: one WARNING line, no traceback. Anything else is a
    bug: an ERROR line with where it was raised.
    """
    error = context.error
    kind, update_id = update_kind(update)
    if isinstance(error, TelegramError) and update is None:  # polling; PTB polls again
        log.warning("getUpdates failed: %s; polling again", describe(error))
    elif isinstance(error, TelegramError):
        method = getattr(error, "bot_api_method", "a Bot API call")
        if getattr(error, "already_logged", False):  # sending.py wrote the WARNING line
            log.info("%s update_id=%s not answered: %s failed", kind, update_id, method)
        else:
            log.warning("%s update_id=%s: %s failed: %s", kind, update_id, method,
                        describe(error))
    else:
        log.error("update failed: %s in %s update_id=%s at %s",
                  type(error).__name__, kind, update_id, origin(error))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(error, Forbidden):  # they blocked the bot: nobody to tell
        return
    reply = builder(update, context).error()
    try:
        if update.callback_query is not None:
            await _answer_quietly(update.callback_query)
        for part in render(reply):
            await context.bot.send_message(
                update.effective_chat.id, part.text, reply_markup=part.markup
            )
    except TelegramError as send_error:
        log.warning("could not tell the user about the error: %s", describe(send_error))


async def _answer_quietly(query: CallbackQuery) -> None:
    with contextlib.suppress(TelegramError):  # already answered, or too old
        await query.answer()
