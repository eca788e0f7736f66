"""A core `Reply` as Telegram messages: HTML text plus an inline keyboard, within Telegram's limits.

The Telegram twin of bot/console.py. Every piece of content is escaped with `html.escape`, so an
answer that contains "<" or "&" shows exactly as written. Limits kept here:
- a message holds at most 4096 characters: a longer reply is split between blocks (paragraphs,
  contact cards) into several messages, the keyboard going on the last one;
- callback data holds at most 64 bytes: each button carries the language of the message it is on
  ("es|e:school-ice-visit"), so a press continues in that language; a button whose data would not
  fit is left out (and logged, so organizers can shorten the id);
- at most 8 buttons in a row and 100 in a keyboard.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from bot.replies import Button, ContactCard, ContactLine, Reply, RightNow

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
ROW_LIMIT = 8
KEYBOARD_LIMIT = 100
LANG_SEPARATOR = "|"
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Rendered:
    """One Telegram message: HTML text and its keyboard (None for no keyboard)."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); counting the HTML is conservative."""
    return len(text.encode("utf-16-le")) // 2


# -- text ----------------------------------------------------------------------------------------
def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def paragraph_html(text: str) -> str:
    """One paragraph, escaped; content's "- " list items become bullets."""
    lines = text.rstrip().split("\n")
    lines = [f"• {line[2:]}" if line.startswith("- ") else line for line in lines]
    return _esc("\n".join(lines))


def card_html(card: ContactCard) -> str:
    lines = [f"• <b>{_esc(card.name)}</b> — {_esc(card.description)}"]
    lines += [f"    {_esc(label)}: {_esc(value)}" for label, value in card.details]
    return "\n".join(lines)


def card_plain(card: ContactCard) -> str:
    lines = [f"• {card.name} — {card.description}"]
    lines += [f"    {label}: {value}" for label, value in card.details]
    return "\n".join(lines)


def line_html(line: ContactLine) -> str:
    return f"• <b>{_esc(line.name)}</b>: {_esc(line.reach)}"


def line_plain(line: ContactLine) -> str:
    return f"• {line.name}: {line.reach}"


def right_now_block(block: RightNow) -> tuple[str, str]:
    """The right-now steps: heading, one bullet per step, then the hotline(s), in one block."""
    html_lines = [f"<b>{_esc(block.heading)}</b>", *(f"• {_esc(s)}" for s in block.steps)]
    plain_lines = [block.heading, *(f"• {s}" for s in block.steps)]
    html_lines += [line_html(c) for c in block.contacts]
    plain_lines += [line_plain(c) for c in block.contacts]
    return "\n".join(html_lines), "\n".join(plain_lines)


def blocks(reply: Reply) -> list[tuple[str, str]]:
    """The reply's blocks, in order, as (html, plain text) pairs; messages split between them."""
    out: list[tuple[str, str]] = []
    if reply.right_now:
        out.append(right_now_block(reply.right_now))
    if reply.title:
        out.append((f"<b>{_esc(reply.title)}</b>", reply.title))
    out += [(paragraph_html(p), p) for p in reply.paragraphs if p.strip()]
    if reply.contacts or reply.contact_lines:
        if reply.contacts_heading:
            out.append((f"<b>{_esc(reply.contacts_heading)}</b>", reply.contacts_heading))
        out += [(card_html(card), card_plain(card)) for card in reply.contacts]
        if reply.contact_lines:
            out.append((
                "\n".join(map(line_html, reply.contact_lines)),
                "\n".join(map(line_plain, reply.contact_lines)),
            ))
    if reply.footer:
        out.append((f"<i>{_esc(reply.footer)}</i>", reply.footer))
    return out


def split_plain(text: str, limit: int) -> list[str]:
    """Cut plain text into pieces whose escaped form fits `limit`: at lines, then words."""
    pieces: list[str] = []
    current = ""
    for word in _tokens(text):
        candidate = current + word
        if telegram_length(_esc(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while telegram_length(_esc(word)) > limit:  # a single enormous "word"
            cut = limit // 6 or 1  # html.escape grows a character to at most 5 ("&amp;")
            pieces.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        pieces.append(current)
    return [p.strip("\n") for p in pieces if p.strip()]


def _tokens(text: str) -> list[str]:
    """Words with their trailing whitespace, line breaks kept, so joining them gives the text."""
    out: list[str] = []
    word = ""
    for char in text:
        word += char
        if char in " \n":
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return out


def pack(parts: list[tuple[str, str]], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Group blocks into as few messages as fit; a block too long alone is split as plain text."""
    messages: list[str] = []
    current = ""
    for block_html, block_plain in parts:
        pieces = (
            [block_html] if telegram_length(block_html) <= limit
            else [_esc(p) for p in split_plain(block_plain, limit)]
        )
        for piece in pieces:
            candidate = f"{current}{BLOCK_SEPARATOR}{piece}" if current else piece
            if telegram_length(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


# -- keyboard ------------------------------------------------------------------------------------
def callback_data(lang: str, action: str) -> str:
    return f"{lang}{LANG_SEPARATOR}{action}"


def parse_callback_data(data: str) -> tuple[str | None, str]:
    """(language of the message the button was on, action); no language for foreign data."""
    lang, separator, action = data.partition(LANG_SEPARATOR)
    return (lang, action) if separator else (None, data)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    for row in reply.buttons:
        buttons = [b for b in map(lambda b: _button(reply.lang, b), row) if b is not None]
        rows += [buttons[i:i + ROW_LIMIT] for i in range(0, len(buttons), ROW_LIMIT)]
    rows = _cap(rows, KEYBOARD_LIMIT)
    return InlineKeyboardMarkup(rows) if rows else None


def _button(lang: str, button: Button) -> InlineKeyboardButton | None:
    data = callback_data(lang, button.action)
    if len(data.encode()) > CALLBACK_DATA_LIMIT:
        log.warning("button left out: callback data over %d bytes action=%s",
                    CALLBACK_DATA_LIMIT, button.action)
        return None
    return InlineKeyboardButton(button.label, callback_data=data)


def _cap(rows: list[list[InlineKeyboardButton]], limit: int) -> list[list[InlineKeyboardButton]]:
    """At most `limit` buttons; the last row (navigation: back, topics) is always kept."""
    if sum(map(len, rows)) <= limit or not rows:
        return rows
    last = rows[-1][:limit]
    kept: list[list[InlineKeyboardButton]] = []
    room = limit - len(last)
    for row in rows[:-1]:
        if len(row) > room:
            break
        kept.append(row)
        room -= len(row)
    return [*kept, last]


# -- whole replies -------------------------------------------------------------------------------
def render(reply: Reply) -> list[Rendered]:
    """One reply as messages (one, unless it is over Telegram's limit); the keyboard on the last."""
    texts = pack(blocks(reply)) or ["…"]
    markup = keyboard(reply)
    return [Rendered(t, markup if i == len(texts) - 1 else None) for i, t in enumerate(texts)]


_TAG = re.compile(r"<[^>]+>")


def visible_text(message_html: str) -> str:
    """What a person sees of a rendered message: the HTML tags removed, entities read."""
    return html.unescape(_TAG.sub("", message_html))


def render_single(reply: Reply, limit: int = MESSAGE_LIMIT) -> str:
    """The reply as one message of at most `limit` characters (inline results), trimmed."""
    texts = pack(blocks(reply), limit)
    if not texts:
        return "…"
    if len(texts) == 1:
        return texts[0]
    return texts[0] if telegram_length(texts[0] + "\n…") > limit else texts[0] + "\n…"


# -- inline mode ---------------------------------------------------------------------------------
INLINE_TITLE_LIMIT = 100
INLINE_DESCRIPTION_LIMIT = 120
INLINE_ID_LIMIT = 64  # bytes


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def inline_article(
    reply: Reply, bot_username: str | None, open_label: str
) -> InlineQueryResultArticle:
    """An answer to share from inline mode: the whole answer as HTML, and a deep link back."""
    key = f"{reply.entry_id or reply.kind}.{reply.lang}"
    if reply.kind == "urgent":  # beside the same entry without the right-now steps
        key = f"urgent.{key}"
    markup = None
    if bot_username and reply.entry_id:
        link = f"https://t.me/{bot_username}?start={reply.entry_id}"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(open_label, url=link)]])
    first = next((p for p in reply.paragraphs if p.strip()), "")
    if reply.right_now is not None:  # an urgent reply: its steps are what to see at a glance
        first = " ".join(reply.right_now.steps)
    title = reply.title or (reply.right_now.heading if reply.right_now else first)
    return InlineQueryResultArticle(
        id=key.encode()[:INLINE_ID_LIMIT].decode(errors="ignore"),
        title=_shorten(title, INLINE_TITLE_LIMIT),
        description=_shorten(first, INLINE_DESCRIPTION_LIMIT) or None,
        input_message_content=InputTextMessageContent(render_single(reply)),
        reply_markup=markup,
    )
