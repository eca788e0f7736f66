"""Read the content folder, check every rule organizers must follow, and build a `Knowledge`.

Why a hand-walk over PyYAML nodes instead of `yaml.safe_load`: nodes keep their line numbers, so
every problem can name the file and line an organizer has to fix. Loading is all-or-nothing: if any
error is found, no `Knowledge` is returned and the caller keeps serving the last good one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import (
    Contact,
    Entry,
    Knowledge,
    LanguageContent,
    Need,
    RightNow,
    Source,
    Topic,
    Vocabulary,
)
from bot.matching.text import fold

DEFAULT_LANGUAGE = "en"
CONTACTS_FILE = "contacts.yaml"
REQUIRED_FILE = "required-entries.txt"
VOCABULARY_FILE = "vocabulary.yaml"
OUT_OF_SCOPE_FILE = "out-of-scope.yaml"
RIGHT_NOW_FILE = "right-now.yaml"
NOT_TOPIC_FILES = {CONTACTS_FILE, VOCABULARY_FILE, OUT_OF_SCOPE_FILE, RIGHT_NOW_FILE}
# Phones cut button labels longer than this; titles shown on buttons must fit.
SHORT_LABEL_LIMIT = 40
TELEGRAM_MESSAGE_LIMIT = 4096
# Room kept for the title, contact labels, "reviewed on" line and buttons' text around an answer.
REPLY_FRAME_ALLOWANCE = 400
LONG_ANSWER = 1500
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_DIR_PATTERN = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?$")

TOPIC_FIELDS = {"topic": True, "title": True, "entries": True, "order": False}
ENTRY_FIELDS = {
    "id": True, "question": True, "phrasings": True, "answer": True, "contacts": True,
    "sources": True, "reviewed": True, "keywords": False, "related": False, "urgent": False,
    "review_notes": False, "short_title": False,
}
SOURCE_FIELDS = {"title": True, "url": False}
CONTACTS_FIELDS = {"general": True, "urgent": False, "needs": False, "contacts": True}
NEED_FIELDS = {"id": True, "title": True, "contacts": True}
RIGHT_NOW_FIELDS = {"steps": True, "contacts": False}
CONTACT_FIELDS = {
    "id": True, "name": True, "description": True, "phone": False, "url": False, "hours": False,
    "email": False, "address": False, "review_notes": False,
}
VOCABULARY_FIELDS = {
    "concepts": False, "abbreviations": False, "stopwords": False, "urgent": False,
    "spellings": False, "right_now": False, "ahead_of_time": False, "thanks": False,
}
OUT_OF_SCOPE_FIELDS = {"out_of_scope": True}
OUT_OF_SCOPE_ITEM_FIELDS = {"id": True, "phrasings": True}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in the content, with where to find it."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" blocks loading; "warning" and "note" do not

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class ContentError(Exception):
    """Raised when the content has errors; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} content error(s); first: {errors[0] if errors else '-'}")


def load_knowledge(content_dir: Path | str) -> Knowledge:
    """Load and validate all content; raise `ContentError` if anything is wrong."""
    knowledge, problems = check_content(content_dir)
    if knowledge is None:
        raise ContentError(problems)
    return knowledge


def check_content(content_dir: Path | str) -> tuple[Knowledge | None, list[Problem]]:
    """Validate the content folder. Returns the Knowledge (None if any error) and all problems."""
    root = Path(content_dir)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), 0, "content folder not found")]
    lang_dirs = sorted(
        d for d in root.iterdir() if d.is_dir() and LANGUAGE_DIR_PATTERN.match(d.name)
    )
    if not lang_dirs:
        return None, [Problem(str(root), 0, "no language folders (such as en/ or es/) found")]
    languages: dict[str, LanguageContent] = {}
    all_readable = True
    for lang_dir in lang_dirs:
        reader = _LanguageReader(lang_dir, problems)
        content = reader.read()
        all_readable &= not reader.unreadable
        if content is not None:
            languages[lang_dir.name] = content
    if all_readable:
        _check_languages_agree(root, languages, problems)
    _check_required_entries(root, languages, problems)
    _note_silent_concepts(root, languages, problems)
    if any(p.severity == "error" for p in problems) or not languages:
        return None, problems
    default = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in languages else next(iter(languages))
    return Knowledge(languages=languages, default_language=default), problems


def _note_silent_concepts(
    root: Path, languages: dict[str, LanguageContent], problems: list[Problem]
) -> None:
    """A concept whose name is also a stop word (in any language) is recognized but never counts.

    That is how 'now' is meant to work; for any other concept it is usually a slip, so say it.
    """
    stopwords = {fold(w) for c in languages.values() for w in c.vocabulary.stopwords}
    for lang, content in languages.items():
        for concept in content.vocabulary.concepts:
            if concept in stopwords:
                problems.append(Problem(
                    str(root / lang / VOCABULARY_FILE), 0,
                    f"concept '{concept}' is also a stop word: its words are recognized but do "
                    "not count towards any answer", "note",
                ))


def _check_required_entries(
    root: Path, languages: dict[str, LanguageContent], problems: list[Problem]
) -> None:
    """Entries listed in required-entries.txt may not disappear from any language."""
    path = root / REQUIRED_FILE
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        entry_id = line.split("#", 1)[0].strip()
        if not entry_id:
            continue
        for lang, content in languages.items():
            if entry_id not in content.entries:
                problems.append(Problem(str(path), number, f"required entry '{entry_id}' is "
                                        f"missing in {lang}"))


def _check_languages_agree(
    root: Path, languages: dict[str, LanguageContent], problems: list[Problem]
) -> None:
    """Every language must hold the same entries, topics and contacts: the ids are shared."""
    if len(languages) < 2:
        return
    kinds: list[tuple[str, Callable[[LanguageContent], set[str]]]] = [
        ("entry", lambda c: set(c.entries)),
        ("topic", lambda c: {t.id for t in c.topics}),
        ("contact", lambda c: set(c.contacts)),
        ("out-of-scope topic", lambda c: set(c.out_of_scope)),
        ("need", lambda c: {n.id for n in c.needs}),
        ("file", lambda c: {RIGHT_NOW_FILE} if c.right_now else set()),
    ]
    for kind, ids_of in kinds:
        everywhere = set.union(*(ids_of(c) for c in languages.values()))
        for lang, content in languages.items():
            for missing in sorted(everywhere - ids_of(content)):
                others = [x for x, c in languages.items() if missing in ids_of(c)]
                problems.append(Problem(
                    str(root / lang), 0,
                    f"{kind} '{missing}' exists in {', '.join(others)} but not in {lang}",
                ))
    reference_lang, reference = next(iter(languages.items()))
    for lang, content in languages.items():
        if lang == reference_lang:
            continue
        for entry_id, entry in content.entries.items():
            other = reference.entries.get(entry_id)
            if other is None:
                continue
            if set(entry.contacts) != set(other.contacts):
                problems.append(Problem(
                    str(root / lang), 0,
                    f"entry '{entry_id}' lists contacts {sorted(entry.contacts)} in {lang} but "
                    f"{sorted(other.contacts)} in {reference_lang}",
                ))
            if entry.topic != other.topic:
                problems.append(Problem(
                    str(root / lang), 0,
                    f"entry '{entry_id}' is in topic '{entry.topic}' in {lang} but "
                    f"'{other.topic}' in {reference_lang}",
                ))
            if entry.urgent != other.urgent:
                problems.append(Problem(
                    str(root / lang), 0,
                    f"entry '{entry_id}' is urgent in one language but not in the other",
                ))


class _LanguageReader:
    """Reads one language folder into a LanguageContent, collecting problems as it goes."""

    def __init__(self, folder: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.problems = problems
        self.file = ""
        self.unreadable = False  # a file did not parse: its ids are unknown, not missing

    # -- problem helpers -------------------------------------------------------------------
    def error(self, node: yaml.Node | None, message: str, severity: str = "error") -> None:
        line = node.start_mark.line + 1 if node is not None else 0
        self.problems.append(Problem(self.file, line, message, severity))

    # -- YAML node helpers -----------------------------------------------------------------
    def parse(self, path: Path) -> yaml.Node | None:
        self.file = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(self.file, 0, f"cannot read file: {exc}"))
            return None
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            self.unreadable = True
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark is not None else 0
            problem = getattr(exc, "problem", None) or str(exc)
            context = getattr(exc, "context_mark", None)
            started = ""
            if context is not None and context.line + 1 != line:
                what = getattr(exc, "context", None) or "the part"
                started = f"; {what} that started on line {context.line + 1}"
            self.problems.append(
                Problem(self.file, line, f"YAML syntax error: {problem}{started} (check "
                        "indentation, colons, quotes and brackets)")
            )
            return None
        if node is None:
            self.problems.append(Problem(self.file, 1, "file is empty"))
        return node

    def fields(
        self, node: yaml.Node, spec: dict[str, bool], what: str
    ) -> dict[str, yaml.Node] | None:
        """Check a mapping: known keys only, required keys present. Returns key -> value node."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} should be a set of 'name: value' fields")
            return None
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in spec:
                known = ", ".join(spec)
                self.error(key_node, f"unknown field '{key}' in {what} (known fields: {known})")
                continue
            if key in found:
                self.error(key_node, f"field '{key}' appears twice in {what}")
            found[key] = value_node
        for key, required in spec.items():
            if required and key not in found:
                self.error(node, f"{what} is missing the required field '{key}'")
        return found

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.error(node, f"{what} should be text")
            return None
        value = str(node.value).strip()
        if not value:
            self.error(node, f"{what} is empty")
            return None
        return value

    def text_list(self, node: yaml.Node | None, what: str, allow_single: bool = False
                  ) -> tuple[str, ...]:
        if node is None:
            return ()
        if allow_single and isinstance(node, yaml.ScalarNode):
            value = self.text(node, what)
            return (value,) if value else ()
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} should be a list (lines starting with '- ')")
            return ()
        values = [self.text(item, f"an item of {what}") for item in node.value]
        return tuple(v for v in values if v)

    def short_label(self, node: yaml.Node | None, what: str) -> str | None:
        """Text shown on a button: at most SHORT_LABEL_LIMIT characters, or phones cut it."""
        value = self.text(node, what)
        if value is not None and len(value) > SHORT_LABEL_LIMIT:
            self.error(node, f"{what} has {len(value)} characters; buttons show at most "
                       f"{SHORT_LABEL_LIMIT}, so shorten it")
        return value

    def identifier(self, node: yaml.Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not ID_PATTERN.match(value):
            self.error(node, f"{what} '{value}' should use only lowercase letters, digits and "
                       "dashes")
            return None
        return value

    # -- files ---------------------------------------------------------------------------------
    def read(self) -> LanguageContent | None:
        contacts, general, urgent, needs = self.read_contacts()
        right_now = self.read_right_now()
        vocabulary = self.read_vocabulary()
        topics: list[Topic] = []
        entries: dict[str, Entry] = {}
        entry_nodes: dict[str, tuple[str, yaml.Node]] = {}
        topic_files = sorted(
            p for p in self.folder.glob("*.yaml") if p.name not in NOT_TOPIC_FILES
        )
        if not topic_files:
            self.file = str(self.folder)
            self.error(None, "no topic files (*.yaml) in this language folder")
        for path in topic_files:
            topic = self.read_topic(path, entries, entry_nodes)
            if topic is None:
                continue
            if any(t.id == topic.id for t in topics):
                self.error(None, f"topic id '{topic.id}' is used by another file too")
            topics.append(topic)
        listed = general + urgent + tuple(c for n in needs for c in n.contacts)
        if right_now is not None:
            listed += right_now.contacts
        self.check_references(entries, entry_nodes, contacts, listed)
        out_of_scope = self.read_out_of_scope(entries)
        if contacts is None:
            return None
        topics.sort(key=lambda t: (t.order, t.id))
        return LanguageContent(
            lang=self.folder.name, topics=tuple(topics), entries=entries, contacts=contacts,
            general_contacts=general, urgent_contacts=urgent, vocabulary=vocabulary,
            out_of_scope=out_of_scope, needs=needs, right_now=right_now,
        )

    def read_topic(
        self, path: Path, entries: dict[str, Entry], entry_nodes: dict[str, tuple[str, yaml.Node]]
    ) -> Topic | None:
        root = self.parse(path)
        if root is None:
            return None
        top = self.fields(root, TOPIC_FIELDS, "the topic file")
        if top is None:
            return None
        topic_id = self.identifier(top.get("topic"), "topic")
        title = self.short_label(top.get("title"), "the topic title")
        order = 100
        if "order" in top:
            try:
                order = int(top["order"].value)
            except (TypeError, ValueError):
                self.error(top["order"], "order should be a whole number")
        entries_node = top.get("entries")
        if entries_node is not None and not isinstance(entries_node, yaml.SequenceNode):
            self.error(entries_node, "entries should be a list of entries (each starting '- id:')")
            return None
        ids: list[str] = []
        for node in entries_node.value if entries_node is not None else []:
            entry = self.read_entry(node, topic_id or "")
            if entry is None:
                continue
            if entry.id in entries:
                first_file, first_node = entry_nodes[entry.id]
                self.error(node, f"entry id '{entry.id}' is already used at "
                                 f"{first_file}:{first_node.start_mark.line + 1}")
                continue
            entries[entry.id] = entry
            entry_nodes[entry.id] = (self.file, node)
            ids.append(entry.id)
        if topic_id is None or title is None:
            return None
        return Topic(id=topic_id, title=title, entry_ids=tuple(ids), order=order)

    def read_entry(self, node: yaml.Node, topic_id: str) -> Entry | None:
        f = self.fields(node, ENTRY_FIELDS, "an entry")
        if f is None:
            return None
        entry_id = self.identifier(f.get("id"), "entry id")
        where = f"entry '{entry_id}'" if entry_id else "this entry"
        question = self.text(f.get("question"), f"the question of {where}")
        short_title = (
            self.short_label(f.get("short_title"), f"the short title of {where}")
            if "short_title" in f else None
        )
        answer = self.text(f.get("answer"), f"the answer of {where}")
        phrasings = self.text_list(f.get("phrasings"), f"phrasings of {where}")
        if "phrasings" in f and not phrasings:
            self.error(f["phrasings"], f"{where} needs at least one phrasing")
        sources = self.read_sources(f.get("sources"), where)
        reviewed = self.read_date(f.get("reviewed"), where)
        urgent = False
        if "urgent" in f:
            urgent_node = f["urgent"]
            if urgent_node.tag != "tag:yaml.org,2002:bool":
                self.error(urgent_node, "urgent should be true or false")
            else:
                urgent = urgent_node.value.lower() in {"true", "yes", "on"}
        if answer is not None:
            if len(answer) + len(question or "") + REPLY_FRAME_ALLOWANCE > TELEGRAM_MESSAGE_LIMIT:
                self.error(f["answer"], f"the answer of {where} is too long for one Telegram "
                           f"message ({len(answer)} characters)")
            elif len(answer) > LONG_ANSWER:
                self.error(f["answer"], f"the answer of {where} has {len(answer)} characters; "
                           "on a phone, under 900 reads best", "warning")
        for note in self.text_list(f.get("review_notes"), "review_notes"):
            self.error(f.get("review_notes"), f"{where}: {note}", "note")
        if not (entry_id and question and answer and phrasings):
            return None
        return Entry(
            id=entry_id, topic=topic_id, question=question, answer=answer, phrasings=phrasings,
            keywords=self.text_list(f.get("keywords"), "keywords"),
            contacts=self.id_list(f.get("contacts"), "contacts"),
            related=self.id_list(f.get("related"), "related"),
            sources=sources, reviewed=reviewed, urgent=urgent, short_title=short_title,
            review_notes=self.text_list(f.get("review_notes"), "review_notes"),
        )

    def id_list(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        ids = self.text_list(node, what)
        for value in ids:
            if not ID_PATTERN.match(value):
                self.error(node, f"'{value}' in {what} is not a valid id")
        return ids

    def read_sources(self, node: yaml.Node | None, where: str) -> tuple[Source, ...]:
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.error(node, f"sources of {where} should be a list of '- title: ...' items")
            return ()
        sources = []
        for item in node.value:
            f = self.fields(item, SOURCE_FIELDS, f"a source of {where}")
            if f is None:
                continue
            title = self.text(f.get("title"), "source title")
            url = self.text(f.get("url"), "source url") if "url" in f else None
            if url is not None and not re.match(r"^https?://\S+$", url):
                self.error(f["url"], f"source url '{url}' should start with http:// or https://")
            if title:
                sources.append(Source(title=title, url=url))
        return tuple(sources)

    def read_date(self, node: yaml.Node | None, where: str) -> date | None:
        if node is None:
            return None
        try:
            value = date.fromisoformat(str(node.value))
        except (TypeError, ValueError):
            self.error(node, f"reviewed date of {where} should look like 2026-11-29")
            return None
        if value > date.today():
            self.error(node, f"reviewed date of {where} ({value}) is in the future")
        return value

    def check_references(
        self, entries: dict[str, Entry], entry_nodes: dict[str, tuple[str, yaml.Node]],
        contacts: dict[str, Contact] | None, general: tuple[str, ...],
    ) -> None:
        for entry_id, entry in entries.items():
            self.file, node = entry_nodes[entry_id]
            if contacts is not None:
                for contact_id in entry.contacts:
                    if contact_id not in contacts:
                        self.error(node, f"entry '{entry_id}' lists contact '{contact_id}', "
                                   f"which is not in {CONTACTS_FILE}")
            for related in entry.related:
                if related not in entries:
                    self.error(node, f"entry '{entry_id}' lists related entry '{related}', "
                               "which does not exist")
                elif related == entry_id:
                    self.error(node, f"entry '{entry_id}' lists itself as related")
        if contacts is not None:
            self.file = str(self.folder / CONTACTS_FILE)
            for contact_id in general:
                if contact_id not in contacts:
                    self.error(None, f"contact '{contact_id}' (in general, urgent, needs or "
                                     f"{RIGHT_NOW_FILE}) is not defined")

    def read_contacts(
        self,
    ) -> tuple[dict[str, Contact] | None, tuple[str, ...], tuple[str, ...], tuple[Need, ...]]:
        path = self.folder / CONTACTS_FILE
        if not path.exists():
            self.file = str(path)
            self.error(None, f"{CONTACTS_FILE} is missing")
            return None, (), (), ()
        root = self.parse(path)
        if root is None:
            return None, (), (), ()
        top = self.fields(root, CONTACTS_FIELDS, CONTACTS_FILE)
        if top is None:
            return None, (), (), ()
        general = self.id_list(top.get("general"), "general")
        urgent = self.id_list(top.get("urgent"), "urgent")
        needs = self.read_needs(top.get("needs"))
        contacts: dict[str, Contact] = {}
        items = top.get("contacts")
        if not isinstance(items, yaml.SequenceNode):
            self.error(items or root, "contacts should be a list of '- id: ...' items")
            return None, general, urgent, needs
        for node in items.value:
            f = self.fields(node, CONTACT_FIELDS, "a contact")
            if f is None:
                continue
            contact_id = self.identifier(f.get("id"), "contact id")
            name = self.text(f.get("name"), "contact name")
            description = self.text(f.get("description"), "contact description")
            if contact_id in contacts:
                self.error(node, f"contact id '{contact_id}' is used twice")
                continue
            url = self.text(f.get("url"), "url") if "url" in f else None
            if url is not None and not re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", url):
                self.error(f["url"], f"'{url}' does not look like a web address")
            if contact_id and name and description:
                contacts[contact_id] = Contact(
                    id=contact_id, name=name, description=description,
                    phones=self.text_list(f.get("phone"), "phone", allow_single=True),
                    url=url,
                    hours=self.text(f.get("hours"), "hours") if "hours" in f else None,
                    email=self.text(f.get("email"), "email") if "email" in f else None,
                    address=self.text(f.get("address"), "address") if "address" in f else None,
                    review_notes=self.text_list(f.get("review_notes"), "review_notes"),
                )
            for note in self.text_list(f.get("review_notes"), "review_notes"):
                self.error(f.get("review_notes"), f"contact '{contact_id}': {note}", "note")
        return contacts, general, urgent, needs

    def read_needs(self, node: yaml.Node | None) -> tuple[Need, ...]:
        """`needs` in contacts.yaml: the /contacts menu, one button per need."""
        if node is None:
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "needs should be a list of '- id: ...' items")
            return ()
        needs: list[Need] = []
        for item in node.value:
            f = self.fields(item, NEED_FIELDS, "a need")
            if f is None:
                continue
            need_id = self.identifier(f.get("id"), "need id")
            title = self.short_label(f.get("title"), f"the title of need '{need_id}'")
            contacts = self.id_list(f.get("contacts"), f"contacts of need '{need_id}'")
            if any(n.id == need_id for n in needs):
                self.error(item, f"need id '{need_id}' is used twice")
            elif need_id and title and contacts:
                needs.append(Need(need_id, title, contacts))
        return tuple(needs)

    def read_right_now(self) -> RightNow | None:
        """right-now.yaml (optional): what a reply to "ICE is at my door right now" starts with."""
        path = self.folder / RIGHT_NOW_FILE
        if not path.exists():
            return None
        root = self.parse(path)
        if root is None:
            return None
        top = self.fields(root, RIGHT_NOW_FIELDS, RIGHT_NOW_FILE)
        if top is None:
            return None
        steps = self.text_list(top.get("steps"), "steps")
        if "steps" in top and not steps:
            self.error(top["steps"], "steps needs at least one line")
        contacts = self.id_list(top.get("contacts"), "contacts")
        return RightNow(steps, contacts) if steps else None

    def read_vocabulary(self) -> Vocabulary:
        path = self.folder / VOCABULARY_FILE
        if not path.exists():
            return Vocabulary()
        root = self.parse(path)
        if root is None:
            return Vocabulary()
        top = self.fields(root, VOCABULARY_FIELDS, VOCABULARY_FILE)
        if top is None:
            return Vocabulary()
        concepts: dict[str, tuple[str, ...]] = {}
        seen_terms: dict[str, str] = {}
        concepts_node = top.get("concepts")
        for key_node, value_node in self.mapping_items(concepts_node, "concepts"):
            name = self.identifier(key_node, "concept name")
            terms = self.text_list(value_node, f"the words of concept '{key_node.value}'")
            if name is None:
                continue
            for term in terms:
                folded = fold(term)
                if len(folded) < 2:
                    self.error(value_node, f"'{term}' in concept '{name}' is only "
                               f"'{folded}' once punctuation is removed: too short to match")
                    continue
                if folded in seen_terms and seen_terms[folded] != name:
                    self.error(value_node, f"'{term}' is in concept '{name}' and also in "
                               f"'{seen_terms[folded]}': a word can mean only one thing")
                seen_terms[folded] = name
            concepts[name] = terms
        abbreviations: dict[str, str] = {}
        for key_node, value_node in self.mapping_items(top.get("abbreviations"), "abbreviations"):
            expansion = self.text(value_node, f"the meaning of '{key_node.value}'")
            if expansion:
                abbreviations[str(key_node.value).casefold()] = expansion
        return Vocabulary(
            spellings=self.read_spellings(top.get("spellings")),
            concepts=concepts,
            abbreviations=abbreviations,
            stopwords=frozenset(w.casefold() for w in self.text_list(top.get("stopwords"),
                                                                     "stopwords")),
            urgent=self.text_list(top.get("urgent"), "urgent"),
            right_now=self.text_list(top.get("right_now"), "right_now"),
            ahead_of_time=self.text_list(top.get("ahead_of_time"), "ahead_of_time"),
            thanks=self.text_list(top.get("thanks"), "thanks"),
        )

    def read_spellings(self, node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
        """`spellings`: letters as people write them -> the letters they mean ("y: ll")."""
        rules: list[tuple[str, str]] = []
        for key_node, value_node in self.mapping_items(node, "spellings"):
            written = fold(str(key_node.value))
            for meant in self.text_list(value_node, f"what '{key_node.value}' stands for",
                                        allow_single=True):
                if not written or not fold(meant) or " " in written or " " in fold(meant):
                    self.error(value_node, f"spelling '{key_node.value}: {meant}' should be "
                               "letters on both sides, like 'y: ll'")
                else:
                    rules.append((written, fold(meant)))
        return tuple(rules)

    def read_out_of_scope(self, entries: dict[str, Entry]) -> dict[str, tuple[str, ...]]:
        """Questions the FAQ does not answer. Optional file; a phrasing may not be an entry's."""
        path = self.folder / OUT_OF_SCOPE_FILE
        if not path.exists():
            return {}
        root = self.parse(path)
        if root is None:
            return {}
        top = self.fields(root, OUT_OF_SCOPE_FIELDS, OUT_OF_SCOPE_FILE)
        items = top.get("out_of_scope") if top is not None else None
        if items is None:
            return {}
        if not isinstance(items, yaml.SequenceNode):
            self.error(items, "out_of_scope should be a list of '- id: ...' items")
            return {}
        answered = {
            fold(text): entry.id for entry in entries.values() for text in entry.match_texts
        }
        topics: dict[str, tuple[str, ...]] = {}
        for node in items.value:
            f = self.fields(node, OUT_OF_SCOPE_ITEM_FIELDS, "an out-of-scope topic")
            if f is None:
                continue
            topic_id = self.identifier(f.get("id"), "out-of-scope id")
            where = f"out-of-scope topic '{topic_id}'" if topic_id else "this out-of-scope topic"
            phrasings_node = f.get("phrasings")
            phrasings = self.text_list(phrasings_node, f"phrasings of {where}")
            if phrasings_node is not None and not phrasings:
                self.error(phrasings_node, f"{where} needs at least one phrasing")
            items_nodes = phrasings_node.value if isinstance(
                phrasings_node, yaml.SequenceNode) else []
            for item_node in items_nodes:
                entry_id = answered.get(fold(str(item_node.value)))
                if entry_id is not None:
                    self.error(item_node, f"'{item_node.value}' is a phrasing of entry "
                               f"'{entry_id}': a question the FAQ answers cannot be out of scope")
            if topic_id is None or not phrasings:
                continue
            if topic_id in topics or topic_id in entries:
                what = "another out-of-scope topic" if topic_id in topics else "an entry"
                self.error(f.get("id"), f"out-of-scope id '{topic_id}' is already used by {what}")
                continue
            topics[topic_id] = phrasings
        return topics

    def mapping_items(self, node: yaml.Node | None, what: str) -> list[tuple[Any, yaml.Node]]:
        if node is None:
            return []
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} should be a set of 'name: value' lines")
            return []
        return list(node.value)
