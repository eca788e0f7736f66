"""The local console chat: the same core as the Telegram bot, rendered as plain text.

Type a question and get the same answer, contacts, suggestions and fallback the Telegram bot
gives. Buttons become numbered choices: type the number to press one. Commands work as on
Telegram (/topics, /contacts, /language, /help, /privacy). With piped input it answers each line
and exits at the end of input.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.actions import Action
from bot.assistant import Assistant
from bot.replies import Button, Reply
from bot.stdio import input_lines

RULE = "─" * 40


def render_text(reply: Reply) -> str:
    """A reply as plain text, in the order a phone shows it, with its buttons numbered from 1."""
    lines: list[str] = []
    if reply.right_now:
        lines += [reply.right_now.heading, *(f"• {step}" for step in reply.right_now.steps)]
        lines += [f"• {c.name}: {c.reach}" for c in reply.right_now.contacts]
        lines.append("")
    if reply.title:
        lines += [reply.title.upper(), ""]
    for paragraph in reply.paragraphs:
        lines += [paragraph.rstrip(), ""]
    if reply.contacts or reply.contact_lines:
        if reply.contacts_heading:
            lines.append(f"{reply.contacts_heading}:")
        for card in reply.contacts:
            lines.append(f"• {card.name} — {card.description}")
            lines += [f"    {label}: {value}" for label, value in card.details]
        lines += [f"• {c.name}: {c.reach}" for c in reply.contact_lines]
        lines.append("")
    if reply.footer:
        lines += [reply.footer, ""]
    for number, button in enumerate(flat_buttons(reply), start=1):
        lines.append(f"  [{number}] {button.label}")
    return "\n".join(lines).rstrip()


def flat_buttons(reply: Reply) -> list[Button]:
    """The reply's buttons in the order they are numbered."""
    return [b for row in reply.buttons for b in row]


class ConsoleChat:
    """One console conversation: remembers the chosen language and the last reply's buttons."""

    def __init__(self, assistant: Assistant, lang: str | None = None) -> None:
        self.assistant = assistant
        self.chosen = lang if lang in assistant.languages else None
        self.lang = self.chosen or assistant.knowledge.default_language
        self.buttons: list[Button] = []

    def respond(self, line: str) -> Reply:
        """The reply to one typed line: a choice number, a command or a question."""
        text = line.strip()
        reply: Reply | None = None
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            action = self.buttons[int(text) - 1].action
            decoded = Action.decode(action)
            if decoded is not None and decoded.kind == "language":
                self.chosen = decoded.ref
            reply = self.assistant.act(action, self.lang)
        elif text.startswith("/"):
            reply = self.command(text[1:])
        if reply is None:
            reply = self.assistant.ask(text, chosen=self.chosen, telegram_code=self.lang).reply
        self.lang = reply.lang
        self.buttons = flat_buttons(reply)
        return reply

    def command(self, command: str) -> Reply:
        name, _, argument = command.partition(" ")
        build = self.assistant.replies(self.lang)
        if name == "start" and argument:
            return self.assistant.entry_or_topic(argument.strip(), self.lang) or build.welcome()
        if name == "forget":
            self.chosen = None
            return build.forgotten()
        commands = {
            "start": build.welcome, "topics": build.topics, "contacts": build.contacts,
            "language": build.language_menu, "help": build.help, "privacy": build.privacy,
        }
        return commands.get(name, build.help)()

    def run(self, lines: Iterable[str], out: TextIO, interactive: bool) -> None:
        if interactive:  # the welcome's buttons work like any reply's
            welcome = self.assistant.replies(self.lang).welcome()
            self.buttons = flat_buttons(welcome)
            out.write(render_text(welcome) + "\n\n> ")
            out.flush()
        for line in lines:
            if line.strip().lower() in {"/quit", "/exit"}:
                break
            out.write(render_text(self.respond(line)) + "\n")
            out.write(f"{RULE}\n> " if interactive else "\n")
            out.flush()


def run_console(assistant: Assistant, lang: str | None = None) -> int:
    interactive = sys.stdin.isatty()
    with contextlib.suppress(KeyboardInterrupt):
        ConsoleChat(assistant, lang).run(input_lines(sys.stdin.buffer), sys.stdout, interactive)
    if interactive:
        sys.stdout.write("\n")
    return 0
