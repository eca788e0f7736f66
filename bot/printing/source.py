"""Where every printed word comes from: one language's content and interface catalog.

The card and the flyers print nothing of their own: the entries' questions, right-now.yaml's
steps, the contacts and print.yaml's headings come from the content folder; the few interface
lines ("Scan: ...", the disclaimer, "Reviewed on ...") from the gettext catalogs, through the
same `ReplyBuilder` the bot answers with, so paper and chat say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.i18n import Catalogs
from bot.knowledge import Knowledge, LanguageContent, PrintPlan
from bot.loading.print_plan import PRINT_FILE
from bot.printing import PrintError
from bot.replies import ReplyBuilder


@dataclass(frozen=True)
class PrintSource:
    """One language's words for paper, and the bot's username for the links."""

    knowledge: Knowledge
    lang: str
    replies: ReplyBuilder
    username: str

    @classmethod
    def of(cls, knowledge: Knowledge, locale_dir: Path, lang: str, username: str
           ) -> PrintSource:
        if lang not in knowledge.languages:
            raise PrintError(f"unknown language '{lang}': the content has "
                             f"{', '.join(knowledge.language_codes)}")
        translator = Catalogs(locale_dir, knowledge.language_codes).translator(lang)
        return cls(knowledge, lang, ReplyBuilder(knowledge, lang, translator), username)

    @property
    def content(self) -> LanguageContent:
        return self.knowledge.languages[self.lang]

    @property
    def plan(self) -> PrintPlan:
        plan = self.content.print_plan
        if plan is None:
            have = [lang for lang, c in self.knowledge.languages.items() if c.print_plan]
            copy = f": copy {have[0]}/{PRINT_FILE} there (same ids) and translate its titles" \
                if have else " (see content/README.md)"
            raise PrintError(f"{self.lang}/ has no {PRINT_FILE}, which says what to print{copy}")
        return plan

    def gettext(self, message: str) -> str:
        return self.replies.t.gettext(message)

    def reviewed_line(self, entry_ids: tuple[str, ...]) -> str | None:
        """'Reviewed on <date>.' with the oldest review date of the entries the page rests on:
        everything printed was checked on that day or later."""
        days: list[date] = [d for e in entry_ids
                            if (d := self.content.entries[e].reviewed) is not None]
        if not days:
            return None
        return self.gettext("Reviewed on {date}.").format(
            date=self.replies.t.format_date(min(days)))

    def contact_lines(self, contact_ids: tuple[str, ...]) -> list[str]:
        """Each contact as the bot shows it in one line: how to reach it, then its name (the
        number first: it is what a person dials). A contact named by its number (911) once."""
        lines = []
        for line in self.replies.lines(contact_ids):
            lines.append(line.reach if line.reach == line.name else f"{line.reach}  {line.name}")
        return lines

    def languages_line(self) -> str:
        """'Scan: answers about your rights, in English and Spanish.' from the languages of the
        content, named in this language."""
        names = self.replies.t.language_list(self.knowledge.language_codes, style="standard")
        return self.gettext("Scan: answers about your rights, in {languages}.").format(
            languages=names)
