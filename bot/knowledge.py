"""The FAQ as immutable objects: topics, entries, contacts and vocabulary, per language.

Content is data that organizers edit (see content/README.md). This module only describes its shape;
`bot.loading` reads and checks the YAML and builds these objects, whole or not at all, so the
rest of the bot never sees half-loaded or invalid content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Source:
    """A document that backs an answer."""

    title: str
    url: str | None = None


@dataclass(frozen=True)
class Contact:
    """An organization the bot refers people to. Only confirmed ways to reach it are filled."""

    id: str
    name: str
    description: str
    phones: tuple[str, ...] = ()
    url: str | None = None
    hours: str | None = None
    email: str | None = None
    address: str | None = None
    review_notes: tuple[str, ...] = ()

    @property
    def reachable(self) -> bool:
        """Whether a person can reach it from the bot: a phone number or a web address."""
        return bool(self.phones or self.url)


@dataclass(frozen=True)
class Entry:
    """One FAQ entry: a question, the ways people ask it, and the answer with its referrals."""

    id: str
    topic: str
    question: str
    answer: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed: date | None = None
    urgent: bool = False
    review_notes: tuple[str, ...] = ()
    # At most 40 characters: what buttons and lists show (phones cut longer labels off).
    short_title: str | None = None

    @property
    def label(self) -> str:
        """The entry's name on a button or in a list."""
        return self.short_title or self.question

    @property
    def match_texts(self) -> tuple[str, ...]:
        """Every text the matcher learns this entry from."""
        keywords = (" ".join(self.keywords),) if self.keywords else ()
        return (self.question, *self.phrasings, *keywords)


@dataclass(frozen=True)
class Topic:
    """A group of entries shown together when browsing."""

    id: str
    title: str
    entry_ids: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class Need:
    """A way into the contacts by what a person needs ("Right now", "Legal help")."""

    id: str
    title: str
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class RightNow:
    """The first lines of every reply to a message written as it happens (right-now.yaml):
    two or three short steps, then the contacts to call, before any answer."""

    steps: tuple[str, ...]
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class UrgencyExamples:
    """Messages written as it happens, and calm questions on the same subjects
    (urgency-examples.yaml): the bot learns from both which new messages are urgent."""

    happening: tuple[str, ...] = ()
    calm: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Words the matcher should understand beyond the entries' own phrasings.

    `concepts` maps a concept name shared by all languages to this language's words for it, so
    "la migra", "ICE" and "immigration agents" all count as the same thing.
    """

    concepts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    abbreviations: Mapping[str, str] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    # Urgency (see bot/urgency.py): phrases of something happening ("at my door", "están
    # tocando"); cries that add to them ("help", "qué hago"); phrases that make a message urgent
    # whatever else it says ("right now"); phrases of a question asked ahead of time or after
    # the fact ("what should I do if...", "ayer").
    urgent: tuple[str, ...] = ()
    distress: tuple[str, ...] = ()
    right_now: tuple[str, ...] = ()
    calm: tuple[str, ...] = ()
    # A message made only of these ("thanks", "muchas gracias") gets a one-line welcome.
    thanks: tuple[str, ...] = ()
    # (written, meant) letter groups of people who write as it sounds: ("y", "ll") for "yega"
    spellings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CardPlan:
    """The wallet card (print.yaml `card`): its heading, the entry its QR code opens, the
    phones on its front, and the entries its right-now steps rest on (for the review date)."""

    title: str
    entry: str
    contacts: tuple[str, ...]
    based_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlyerPlan:
    """One flyer (print.yaml `flyer`, or a topic's under `topics`): the questions it shows, each
    with its own QR code. `topic` is None for the flyer of the most important questions."""

    title: str
    entries: tuple[str, ...]
    contacts: tuple[str, ...]
    topic: str | None = None


@dataclass(frozen=True)
class PrintPlan:
    """What goes on paper (print.yaml): the card, the main flyer and the topics' flyers. A topic
    not listed gets a flyer of its first entries (see `flyer_for`)."""

    card: CardPlan
    flyer: FlyerPlan
    topic_flyers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class LanguageContent:
    """Everything one language folder holds."""

    lang: str
    topics: tuple[Topic, ...]
    entries: Mapping[str, Entry]
    contacts: Mapping[str, Contact]
    general_contacts: tuple[str, ...]
    urgent_contacts: tuple[str, ...]
    vocabulary: Vocabulary
    # Questions people ask that the FAQ does not answer (out-of-scope.yaml): id -> phrasings.
    # The matcher learns them like entries so that "how do I get a divorce" finds a known
    # "not covered" topic instead of the entry that happens to share a word with it.
    out_of_scope: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # /contacts by need (contacts.yaml `needs`), and the right-now block (right-now.yaml).
    needs: tuple[Need, ...] = ()
    right_now: RightNow | None = None
    urgency_examples: UrgencyExamples = field(default_factory=UrgencyExamples)
    # Messages people wrote, under the entry that answers each (examples.yaml): entry id ->
    # messages. The matcher's classifier learns from them beside the phrasings.
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What the card and the flyers show (print.yaml); None when the folder has no print.yaml.
    print_plan: PrintPlan | None = None

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


@dataclass(frozen=True)
class Knowledge:
    """All languages' content, validated together (same ids everywhere)."""

    languages: Mapping[str, LanguageContent]
    default_language: str

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(self.languages)

    def content(self, lang: str) -> LanguageContent:
        return self.languages.get(lang) or self.languages[self.default_language]
