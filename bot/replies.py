"""What the bot says, described without any transport: text blocks, contacts and buttons.

The Telegram adapter renders a `Reply` as HTML with an inline keyboard; the console renders it as
plain text with numbered choices. Building replies here, once, is what makes the same question get
the same answer everywhere.

Written for a small phone screen and a frightened reader: one message per question; the answer
first; at most two contacts, one line each, chosen per entry (the first two of its `contacts`);
the full contact cards, the sources and the review date one tap away; button labels of at most 40
characters (entries' short titles). A message written as it happens starts with the right-now
steps (content/<lang>/right-now.yaml), whatever it matched. Button actions: see bot/actions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot import actions
from bot.i18n import Translator, language_name
from bot.knowledge import Contact, Entry, Knowledge, LanguageContent
from bot.matching import MatchResult

ReplyKind = Literal[
    "answer", "urgent", "suggest", "none", "empty", "thanks", "unsupported-language", "welcome",
    "topics", "topic", "contacts", "need", "more-help", "sources", "language", "language-set",
    "help", "privacy", "forgotten", "non-text", "error", "entry-languages", "slow-down",
]
# Contacts shown with an answer, one line each; the rest are behind "More help".
INLINE_CONTACTS = 2
# Phones cut longer button labels off.
BUTTON_LABEL_LIMIT = 40


@dataclass(frozen=True)
class Button:
    """A choice offered to the user: what it says, and the action it triggers (bot/actions.py)."""

    label: str
    action: str


@dataclass(frozen=True)
class ContactCard:
    """A contact in full, labels already translated: for "More help"."""

    name: str
    description: str
    details: tuple[tuple[str, str], ...] = ()  # (label, value), e.g. ("Phone", "2-1-1")


@dataclass(frozen=True)
class ContactLine:
    """A contact in one line: its name, then how to reach it (a phone, or a link)."""

    name: str
    reach: str


@dataclass(frozen=True)
class RightNow:
    """The block a reply to a message written as it happens starts with."""

    heading: str
    steps: tuple[str, ...]
    contacts: tuple[ContactLine, ...] = ()


@dataclass(frozen=True)
class Reply:
    """One message from the bot, in the order it is shown."""

    lang: str
    kind: ReplyKind
    right_now: RightNow | None = None
    title: str | None = None
    paragraphs: tuple[str, ...] = ()
    contacts_heading: str | None = None
    contacts: tuple[ContactCard, ...] = ()
    contact_lines: tuple[ContactLine, ...] = ()
    footer: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry_id: str | None = None


class ReplyBuilder:
    """Builds replies for one language from the knowledge and that language's interface text."""

    def __init__(self, knowledge: Knowledge, lang: str, translator: Translator) -> None:
        self.knowledge = knowledge
        self.lang = lang
        self.content: LanguageContent = knowledge.content(lang)
        self.t = translator

    # -- pieces --------------------------------------------------------------------------------
    def contact_card(self, contact: Contact) -> ContactCard:
        _ = self.t.gettext
        details: list[tuple[str, str]] = []
        if contact.phones:
            details.append((_("Phone"), " · ".join(contact.phones)))
        if contact.url:
            details.append((_("Website"), contact.url))
        if contact.email:
            details.append((_("Email"), contact.email))
        if contact.address:
            details.append((_("Address"), contact.address))
        if contact.hours:
            details.append((_("Hours"), contact.hours))
        return ContactCard(contact.name, contact.description, tuple(details))

    def reachable(self, contact_ids: tuple[str, ...]) -> list[Contact]:
        """The contacts a person can reach from here (a phone or a link), in the order given.

        A contact with neither stays in contacts.yaml for organizers but is never shown."""
        found = (self.content.contacts.get(c) for c in dict.fromkeys(contact_ids))
        return [c for c in found if c is not None and c.reachable]

    def cards(self, contact_ids: tuple[str, ...]) -> tuple[ContactCard, ...]:
        return tuple(self.contact_card(c) for c in self.reachable(contact_ids))

    def lines(self, contact_ids: tuple[str, ...], *, every_way: bool = False
              ) -> tuple[ContactLine, ...]:
        """Contacts in one line each: the first phone, else the link (`every_way`: all)."""
        out = []
        for contact in self.reachable(contact_ids):
            ways = [*contact.phones, *([contact.url] if contact.url else [])]
            out.append(ContactLine(contact.name, " · ".join(ways if every_way else ways[:1])))
        return tuple(out)

    def entry_button(self, entry_id: str) -> Button | None:
        entry = self.content.entries.get(entry_id)
        return Button(entry.label, actions.entry(entry_id)) if entry else None

    def entry_rows(self, entry_ids: tuple[str, ...]) -> list[tuple[Button, ...]]:
        return [(b,) for b in map(self.entry_button, dict.fromkeys(entry_ids)) if b is not None]

    def other_languages(self) -> list[str]:
        return [code for code in self.knowledge.language_codes if code != self.lang]

    def other_language_button(self, entry_id: str) -> tuple[Button, ...]:
        """The way from an answer to the same answer in the other languages, in one button
        whatever their number, so the keyboard is no longer with three languages than with two:
        with one other language, that answer itself ("español"); with more, a menu of them,
        named in their own words ("English · português"), or "Other languages" when the
        names no longer fit a button."""
        others = self.other_languages()
        if not others:
            return ()
        if len(others) == 1:
            return (Button(language_name(others[0]), actions.entry(entry_id, others[0])),)
        label = " · ".join(language_name(code) for code in others)
        if len(label) > BUTTON_LABEL_LIMIT:
            label = self.t.gettext("Other languages")
        return (Button(label, actions.languages(entry_id)),)

    def topics_button(self) -> Button:
        return Button(self.t.gettext("Browse topics"), actions.TOPICS)

    def contacts_button(self) -> Button:
        return Button(self.t.gettext("Contacts"), actions.CONTACTS)

    def right_now(self) -> RightNow | None:
        """The right-now steps and hotline of this language's right-now.yaml, if it has one."""
        block = self.content.right_now
        if block is None:
            return None
        return RightNow(
            self.t.gettext("If this is happening right now:"), block.steps,
            self.lines(block.contacts),
        )

    # -- replies to a question -----------------------------------------------------------------
    def entry(self, entry: Entry, kind: ReplyKind = "answer",
              right_now: RightNow | None = None) -> Reply:
        """An FAQ answer: the answer, two contacts in a line each, and buttons for the rest."""
        _ = self.t.gettext
        rows = self.entry_rows(entry.related)
        more = [Button(_("More help"), actions.more_help(entry.id))] if self.reachable(
            entry.contacts) else []
        rows.append((*more, Button(_("Sources"), actions.sources(entry.id))))
        rows.append((self.topics_button(), *self.other_language_button(entry.id)))
        shown_above = right_now.contacts if right_now else ()  # the hotline, once is enough
        inline = tuple(c for c in self.lines(entry.contacts) if c not in shown_above)
        inline = inline[:INLINE_CONTACTS]
        return Reply(
            lang=self.lang, kind=kind, right_now=right_now, title=entry.question,
            paragraphs=(entry.answer,), contacts_heading=_("Who can help") if inline else None,
            contact_lines=inline, buttons=tuple(rows), entry_id=entry.id,
        )

    def suggestions(self, entry_ids: tuple[str, ...]) -> Reply:
        """ "Did you mean…?": its buttons open the entries like any other (bot/actions.py
        `suggestion`), and say which one people meant for the counts."""
        _ = self.t.gettext
        rows = [(Button(b.label, actions.suggestion(entry_id)),) for entry_id in
                dict.fromkeys(entry_ids) if (b := self.entry_button(entry_id)) is not None]
        rows.append((self.topics_button(), self.contacts_button()))
        return Reply(
            lang=self.lang, kind="suggest", title=_("Did you mean…?"),
            paragraphs=(_("I am not sure I understood. Is your question one of these?"),),
            buttons=tuple(rows),
        )

    def no_answer(self) -> Reply:
        _ = self.t.gettext
        general = self.lines(self.content.general_contacts)
        return Reply(
            lang=self.lang, kind="none",
            paragraphs=(
                _("Sorry, I don't have an answer to that question. I only know about immigrants' "
                  "rights in Connecticut: schools, police, ICE, detainers and where to find help."),
            ),
            contacts_heading=_("Who can help") if general else None, contact_lines=general,
            buttons=((self.topics_button(), self.contacts_button()),),
        )

    def urgent(self, match: MatchResult | None) -> Reply:
        """A message written as it happens: the right-now steps first, then the matched urgent
        entry; when the match is not an urgent entry (or there is none), the urgent entries as
        buttons instead of a background answer, the matched entry last among them."""
        _ = self.t.gettext
        block = self.right_now()
        entry = self.content.entries.get(match.entry_id or "") if match else None
        if entry is not None and entry.urgent and match is not None and (
                match.decision == "answer"):
            return self.entry(entry, kind="urgent", right_now=block)
        urgent_ids = tuple(e.id for e in self.content.entries.values() if e.urgent)
        offered = (*urgent_ids, entry.id) if entry is not None else urgent_ids
        rows = self.entry_rows(offered)
        rows.append((self.topics_button(), self.contacts_button()))
        return Reply(
            lang=self.lang, kind="urgent", right_now=block,
            paragraphs=(_("What is happening? Choose one:"),), buttons=tuple(rows),
        )

    def from_match(self, match: MatchResult) -> Reply:
        """The reply to a free-text question: urgency first (the message's, carried by the
        match), then the matcher's decision."""
        if match.urgent:
            return self.urgent(match)
        if not match.understood:  # "hola", "ok": ask for words
            return self.empty()
        entry = self.content.entries.get(match.entry_id or "")
        if match.decision == "answer" and entry is not None:
            return self.entry(entry)
        if match.decision == "suggest" and entry is not None:
            return self.suggestions((entry.id, *match.suggestions))
        return self.no_answer()

    def thanks(self) -> Reply:
        return Reply(lang=self.lang, kind="thanks", paragraphs=(
            self.t.gettext("You're welcome. Take care, and write again whenever you need."),))

    def empty(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="empty",
            paragraphs=(_("Write your question in your own words and I will look for the "
                          "answer. For example: “Can ICE come into my child's school?”"),),
            buttons=((self.topics_button(),),),
        )

    def welcome(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="welcome", title=_("Know your rights in Connecticut"),
            paragraphs=(
                _("Hello! I answer common questions about immigrants' rights in Connecticut: "
                  "schools, police, ICE, detainers and where to find free help."),
                _("Write your question in your own words, in {languages}, or choose a topic "
                  "below.").format(languages=self.t.language_list(self.languages_listed())),
                self.disclaimer(),
                _("I do not save what you write. Send /privacy to learn more."),
            ),
            buttons=(*self.topic_rows(), self.language_row()),
        )

    def languages_listed(self) -> list[str]:
        """The languages the bot reads, the reader's own first ("español, inglés o portugués")."""
        return [self.lang, *self.other_languages()]

    def disclaimer(self) -> str:
        return self.t.gettext(
            "This is general information, not legal advice. For your own case, talk to a lawyer "
            "or an accredited representative."
        )

    def topic_rows(self) -> tuple[tuple[Button, ...], ...]:
        return tuple((Button(t.title, actions.topic(t.id)),) for t in self.content.topics)

    def language_row(self) -> tuple[Button, ...]:
        return tuple(
            Button(language_name(code), actions.language(code)) for code in self.other_languages()
        )

    def topics(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="topics", title=_("Topics"),
            paragraphs=(_("Choose a topic:"),),
            buttons=(*self.topic_rows(), (self.contacts_button(),)),
        )

    def topic(self, topic_id: str) -> Reply | None:
        _ = self.t.gettext
        topic = self.content.topic(topic_id)
        if topic is None:
            return None
        rows = self.entry_rows(topic.entry_ids)
        rows.append((Button(_("« Back to topics"), actions.TOPICS),))
        return Reply(
            lang=self.lang, kind="topic", title=topic.title,
            paragraphs=(_("Choose a question:"),), buttons=tuple(rows),
        )

    def contacts(self) -> Reply:
        """/contacts: a menu by need; each choice is one short message (see `need`)."""
        _ = self.t.gettext
        rows = [(Button(n.title, actions.need(n.id)),) for n in self.content.needs]
        rows.append((self.topics_button(),))
        return Reply(
            lang=self.lang, kind="contacts", title=_("Who can help"),
            paragraphs=(_("In an emergency, call 911. What do you need help with?"),),
            buttons=tuple(rows),
        )

    def need(self, need_id: str) -> Reply | None:
        """The contacts for one need, one line each with every way to reach them."""
        _ = self.t.gettext
        need = next((n for n in self.content.needs if n.id == need_id), None)
        if need is None:
            return None
        return Reply(
            lang=self.lang, kind="need", title=need.title,
            contact_lines=self.lines(need.contacts, every_way=True),
            buttons=((Button(_("« All contacts"), actions.CONTACTS), self.topics_button()),),
        )

    def more_help(self, entry_id: str) -> Reply | None:
        """An entry's contacts in full: what each does, phones, links, hours."""
        _ = self.t.gettext
        entry = self.content.entries.get(entry_id)
        if entry is None:
            return None
        return Reply(
            lang=self.lang, kind="more-help", title=entry.label,
            contacts_heading=_("Who can help"), contacts=self.cards(entry.contacts),
            buttons=((Button(_("« Back to the answer"), actions.entry(entry_id)),),),
            entry_id=entry_id,
        )

    def entry_languages(self, entry_id: str) -> Reply | None:
        """The menu behind an answer's language button: the same answer in each other
        language, and the way back."""
        _ = self.t.gettext
        entry = self.content.entries.get(entry_id)
        if entry is None:
            return None
        rows = [(Button(language_name(code), actions.entry(entry_id, code)),)
                for code in self.other_languages()]
        rows.append((Button(_("« Back to the answer"), actions.entry(entry_id)),))
        return Reply(
            lang=self.lang, kind="entry-languages", title=entry.label,
            paragraphs=(_("Read this answer in:"),), buttons=tuple(rows), entry_id=entry_id,
        )

    def sources(self, entry_id: str) -> Reply | None:
        _ = self.t.gettext
        entry = self.content.entries.get(entry_id)
        if entry is None:
            return None
        lines = tuple(f"{s.title} — {s.url}" if s.url else s.title for s in entry.sources)
        footer = None
        if entry.reviewed is not None:
            footer = _("Reviewed on {date}.").format(date=self.t.format_date(entry.reviewed))
        return Reply(
            lang=self.lang, kind="sources", title=_("Sources"),
            paragraphs=(_("Where this answer comes from:"), "\n".join(f"• {x}" for x in lines)),
            footer=footer,
            buttons=((Button(_("« Back to the answer"), actions.entry(entry_id)),),),
            entry_id=entry_id,
        )

    def language_menu(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="language", title=_("Language"),
            paragraphs=(_("Choose your language:"),),
            buttons=tuple(
                (Button(language_name(code), actions.language(code)),)
                for code in self.knowledge.language_codes
            ),
        )

    def language_set(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="language-set",
            paragraphs=(_("I will answer in {language} from now on.").format(
                language=language_name(self.lang)),),
            buttons=self.topic_rows(),
        )

    def help(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="help", title=_("How to use this bot"),
            paragraphs=(
                _("Write your question in your own words. For example: “Do I have to open the "
                  "door to ICE?”"),
                _("Commands:\n/topics – browse the questions\n/contacts – groups that can help\n"
                  "/language – change the language\n/privacy – what this bot keeps\n"
                  "/forget – delete your language choice"),
                self.disclaimer(),
            ),
            buttons=((self.topics_button(),),),
        )

    def privacy(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="privacy", title=_("Your privacy"),
            paragraphs=(
                _("This bot does not save what you write. Its records keep only counts, such as "
                  "how many questions were answered."),
                _("The only thing it keeps about you is your language choice, stored under a "
                  "scrambled code instead of your Telegram account number. Send /forget to "
                  "delete it."),
                _("Telegram itself keeps your chat history. You can delete the chat in Telegram. "
                  "Do not write your name, address or details of your case here: talk about your "
                  "case only with a lawyer."),
            ),
        )

    def forgotten(self) -> Reply:
        _ = self.t.gettext
        return Reply(lang=self.lang, kind="forgotten", paragraphs=(
            _("Done. I deleted your language choice. I keep nothing else about you."),))

    def non_text(self) -> Reply:
        _ = self.t.gettext
        return Reply(lang=self.lang, kind="non-text", paragraphs=(
            _("I can only read text messages. Please type your question."),),
            buttons=((self.topics_button(),),))

    def error(self) -> Reply:
        _ = self.t.gettext
        return Reply(lang=self.lang, kind="error", paragraphs=(
            _("Sorry, something went wrong on my side. Please try again in a moment."),),
            buttons=((self.topics_button(), self.contacts_button()),))


    def slow_down(self) -> Reply:
        """To someone sending faster than anyone reads (bot/telegram/fairness.py): once."""
        _ = self.t.gettext
        return Reply(lang=self.lang, kind="slow-down", paragraphs=(
            _("You are sending messages faster than I can answer them. Please wait a moment "
              "and send your question again: I will answer it."),))


def unsupported_language(builders: list[ReplyBuilder]) -> Reply:
    """To a message in a language the bot does not read: one line in each language it does,
    naming them, so the reader finds their way whichever of them they know."""
    codes = [b.lang for b in builders]
    lines = tuple(
        b.t.gettext("I can read {languages}. Please write your question in one of them.").format(
            languages=b.t.language_list(codes))
        for b in builders
    )
    return Reply(
        lang=builders[0].lang, kind="unsupported-language", paragraphs=("\n".join(lines),),
        buttons=(tuple(Button(language_name(c), actions.language(c)) for c in codes),),
    )
