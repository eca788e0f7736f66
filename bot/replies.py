"""What the bot says, described without any transport: text blocks, contacts and buttons.

The Telegram adapter renders a `Reply` as HTML with an inline keyboard; the console renders it as
plain text with numbered choices. Building replies here, once, is what makes the same question get
the same answer everywhere.

Button actions are short strings (Telegram allows 64 bytes of callback data):
  "e:<entry>"          show an entry            "e:<entry>:<lang>"  show it in another language
  "t:<topic>"          list a topic's entries   "T"                 list the topics
  "l:<lang>"           choose a language        "L"                 the language menu
  "c"                  the contacts list        "s:<entry>"         an entry's sources
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.i18n import Translator, language_name
from bot.knowledge import Contact, Entry, Knowledge, LanguageContent
from bot.matching import MatchResult


@dataclass(frozen=True)
class Button:
    """A choice offered to the user: what it says, and the action it triggers."""

    label: str
    action: str


@dataclass(frozen=True)
class ContactCard:
    """A contact ready to show: labels already translated."""

    name: str
    description: str
    details: tuple[tuple[str, str], ...] = ()  # (label, value), e.g. ("Phone", "2-1-1")


@dataclass(frozen=True)
class Reply:
    """One message from the bot."""

    lang: str
    kind: str
    title: str | None = None
    paragraphs: tuple[str, ...] = ()
    contacts_heading: str | None = None
    contacts: tuple[ContactCard, ...] = ()
    footer: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry_id: str | None = None
    extra: tuple[Reply, ...] = field(default=())  # further messages sent right after this one


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

    def cards(self, contact_ids: tuple[str, ...]) -> tuple[ContactCard, ...]:
        found = (self.content.contacts.get(c) for c in dict.fromkeys(contact_ids))
        return tuple(self.contact_card(c) for c in found if c is not None)

    def entry_button(self, entry_id: str) -> Button | None:
        entry = self.content.entries.get(entry_id)
        return Button(entry.question, f"e:{entry_id}") if entry else None

    def other_languages(self) -> list[str]:
        return [code for code in self.knowledge.language_codes if code != self.lang]

    def topics_button(self) -> Button:
        return Button(self.t.gettext("Browse topics"), "T")

    # -- replies -------------------------------------------------------------------------------
    def entry(self, entry: Entry, kind: str = "answer", lead: str | None = None) -> Reply:
        """An FAQ answer with its contacts, related questions and a switch to other languages."""
        _ = self.t.gettext
        rows: list[tuple[Button, ...]] = []
        for related_id in entry.related:
            button = self.entry_button(related_id)
            if button is not None:
                rows.append((button,))
        rows.append((Button(_("Sources"), f"s:{entry.id}"), self.topics_button()))
        switches = tuple(
            Button(language_name(code), f"e:{entry.id}:{code}") for code in self.other_languages()
        )
        if switches:
            rows.append(switches)
        footer = None
        if entry.reviewed is not None:
            footer = _("Reviewed on {date}.").format(date=self.t.format_date(entry.reviewed))
        paragraphs = (lead, entry.answer) if lead else (entry.answer,)
        return Reply(
            lang=self.lang, kind=kind, title=entry.question, paragraphs=paragraphs,
            contacts_heading=_("Who can help") if entry.contacts else None,
            contacts=self.cards(entry.contacts), footer=footer, buttons=tuple(rows),
            entry_id=entry.id,
        )

    def suggestions(self, entry_ids: tuple[str, ...]) -> Reply:
        _ = self.t.gettext
        rows = [(b,) for b in map(self.entry_button, entry_ids) if b is not None]
        rows.append((self.topics_button(), Button(_("Contacts"), "c")))
        return Reply(
            lang=self.lang, kind="suggest", title=_("Did you mean…?"),
            paragraphs=(_("I am not sure I understood. Is your question one of these?"),),
            buttons=tuple(rows),
        )

    def no_answer(self, urgent: bool = False) -> Reply:
        _ = self.t.gettext
        paragraphs = [
            _("Sorry, I don't have an answer to that question. I only know about immigrants' "
              "rights in Connecticut: schools, police, ICE, detainers and where to find help."),
            _("You can browse the topics, or ask one of these groups:"),
        ]
        contacts = self.content.general_contacts
        if urgent:
            contacts = self.content.urgent_contacts + contacts
            paragraphs.insert(0, _("If you or someone else is in danger right now, call 911."))
        return Reply(
            lang=self.lang, kind="none", paragraphs=tuple(paragraphs),
            contacts_heading=_("Who can help"), contacts=self.cards(contacts),
            buttons=((self.topics_button(), Button(_("Contacts"), "c")),),
        )

    def from_match(self, match: MatchResult) -> Reply:
        """The reply to a free-text question, following the matcher's decision."""
        _ = self.t.gettext
        if not match.understood and not match.urgent:  # "hola", "thanks", "ok": ask for words
            return self.empty()
        if match.decision == "answer" and match.entry_id in self.content.entries:
            return self.entry(self.content.entries[match.entry_id])
        if match.decision == "suggest" and match.entry_id is not None:
            candidates = (match.entry_id, *match.suggestions)
            urgent_entry = next(
                (self.content.entries[c] for c in candidates
                 if c in self.content.entries and self.content.entries[c].urgent), None,
            )
            if match.urgent and urgent_entry is not None:
                # Someone may be in danger: the what-to-do-now answer comes first, then the choice.
                others = tuple(c for c in candidates if c != urgent_entry.id)
                first = self.entry(urgent_entry, kind="urgent",
                                   lead=_("If this is happening right now:"))
                extra = (self.suggestions(others),) if others else ()
                return replace(first, extra=extra)
            return self.suggestions(candidates)
        return self.no_answer(urgent=match.urgent)

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
                _("Write your question in your own words, in English or Spanish, or choose a "
                  "topic below."),
                self.disclaimer(),
                _("I do not save what you write. Send /privacy to learn more."),
            ),
            buttons=(*self.topic_rows(), self.language_row()),
        )

    def disclaimer(self) -> str:
        return self.t.gettext(
            "This is general information, not legal advice. For your own case, talk to a lawyer "
            "or an accredited representative."
        )

    def topic_rows(self) -> tuple[tuple[Button, ...], ...]:
        return tuple((Button(t.title, f"t:{t.id}"),) for t in self.content.topics)

    def language_row(self) -> tuple[Button, ...]:
        return tuple(Button(language_name(code), f"l:{code}") for code in self.other_languages())

    def topics(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="topics", title=_("Topics"),
            paragraphs=(_("Choose a topic:"),),
            buttons=(*self.topic_rows(), (Button(_("Contacts"), "c"),)),
        )

    def topic(self, topic_id: str) -> Reply | None:
        _ = self.t.gettext
        topic = self.content.topic(topic_id)
        if topic is None:
            return None
        rows = [(b,) for b in map(self.entry_button, topic.entry_ids) if b is not None]
        rows.append((Button(_("« Back to topics"), "T"),))
        return Reply(
            lang=self.lang, kind="topic", title=topic.title,
            paragraphs=(_("Choose a question:"),), buttons=tuple(rows),
        )

    def contacts(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="contacts", title=_("Who can help"),
            paragraphs=(_("These organizations help immigrant families in Connecticut. In an "
                          "emergency, call 911."),),
            contacts=tuple(self.contact_card(c) for c in self.content.contacts.values()),
            buttons=((self.topics_button(),),),
        )

    def sources(self, entry_id: str) -> Reply | None:
        _ = self.t.gettext
        entry = self.content.entries.get(entry_id)
        if entry is None:
            return None
        lines = tuple(f"{s.title} — {s.url}" if s.url else s.title for s in entry.sources)
        return Reply(
            lang=self.lang, kind="sources", title=_("Sources"),
            paragraphs=(_("Where this answer comes from:"), "\n".join(f"• {x}" for x in lines)),
            buttons=((Button(_("« Back to the answer"), f"e:{entry_id}"),),),
        )

    def language_menu(self) -> Reply:
        _ = self.t.gettext
        return Reply(
            lang=self.lang, kind="language", title=_("Language"),
            paragraphs=(_("Choose your language:"),),
            buttons=tuple(
                (Button(language_name(code), f"l:{code}"),)
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
            buttons=((self.topics_button(), Button(_("Contacts"), "c")),))
