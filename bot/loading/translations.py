"""Languages in step: the same ids everywhere, the same contact details, translations reviewed
together and written in their own language.

Every message names the line in each language, so the organizer can open both files side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta

from bot.knowledge import Contact, Entry, LanguageContent
from bot.loading.contacts import CONTACT_DETAILS, RIGHT_NOW_FILE
from bot.loading.places import Places
from bot.loading.problems import Place, Problem

# A translation reviewed this long after (or before) its original may no longer say the same.
REVIEW_GAP = timedelta(days=90)


def check_same_ids(
    languages: Mapping[str, LanguageContent], places: Mapping[str, Places],
    problems: list[Problem],
) -> None:
    """Every language holds the same entries, topics, contacts, out-of-scope topics and needs."""
    if len(languages) < 2:
        return
    kinds: list[tuple[str, Callable[[LanguageContent], set[str]], Callable[[Places], dict]]] = [
        ("entry", lambda c: set(c.entries), lambda p: p.entries),
        ("topic", lambda c: {t.id for t in c.topics}, lambda p: p.topics),
        ("contact", lambda c: set(c.contacts), lambda p: p.contacts),
        ("out-of-scope topic", lambda c: set(c.out_of_scope), lambda p: p.out_of_scope),
        ("need", lambda c: {n.id for n in c.needs}, lambda p: p.needs),
        ("file", lambda c: {RIGHT_NOW_FILE} if c.right_now else set(), lambda p: p.files),
    ]
    for kind, ids_of, places_of in kinds:
        # Each language's ids once: linear in the number of ids (it was rebuilt for every
        # missing id, so 60,000 entries missing in one language took minutes).
        ids = {lang: ids_of(content) for lang, content in languages.items()}
        everywhere = set.union(*ids.values())
        for lang in languages:
            for missing in sorted(everywhere - ids[lang]):
                other = next(o for o in languages if missing in ids[o])
                place = places_of(places[other]).get(missing, Place(other, 0))
                problems.append(Problem(
                    *place, f"{kind} '{missing}' is in {other}/ but not in {lang}/",
                    fix=f"add it to {lang}/ with the same id, or remove it here"))


def check_entries_agree(
    languages: Mapping[str, LanguageContent], places: Mapping[str, Places],
    problems: list[Problem],
) -> None:
    """An entry's contacts, related entries, topic, urgency and sources agree in every language;
    its translations were reviewed within REVIEW_GAP of each other."""
    (first, reference), *others = languages.items()
    for lang, content in others:
        for entry_id, entry in content.entries.items():
            original = reference.entries.get(entry_id)
            if original is None:
                continue

            def differ(name: str, here: object, there: object, field: str,
                       *, entry_id: str = entry_id, lang: str = lang) -> None:
                problems.append(Problem(
                    *places[lang].entry_field(entry_id, field),
                    f"entry '{entry_id}' {name} {here} here but {there} in "
                    f"{places[first].entry_field(entry_id, field)}",
                    fix="make them the same in every language"))

            if entry.contacts != original.contacts:  # the first two are shown with the answer
                differ("lists contacts", list(entry.contacts), list(original.contacts),
                       "contacts")
            if set(entry.related) != set(original.related):
                differ("lists related entries", sorted(entry.related), sorted(original.related),
                       "related")
            if entry.topic != original.topic:
                differ("is in topic", repr(entry.topic), repr(original.topic), "id")
            if entry.urgent != original.urgent:
                differ("has urgent", str(entry.urgent).lower(), str(original.urgent).lower(),
                       "urgent" if entry.urgent else "id")
            if len(entry.sources) != len(original.sources):
                differ("has sources:", len(entry.sources), len(original.sources), "sources")
            _check_review_gap(entry_id, {first: original, lang: entry}, places, problems)


def _check_review_gap(entry_id: str, versions: dict[str, Entry], places: Mapping[str, Places],
                      problems: list[Problem]) -> None:
    dated = [(entry.reviewed, lang) for lang, entry in versions.items() if entry.reviewed]
    if len(dated) < 2:
        return
    (older, old_lang), (newer, new_lang) = sorted(dated)
    if newer - older > REVIEW_GAP:
        problems.append(Problem(
            *places[old_lang].entry_field(entry_id, "reviewed"),
            f"entry '{entry_id}' was reviewed on {older} here but on {newer} in "
            f"{places[new_lang].entry_field(entry_id, 'reviewed')}, "
            f"{(newer - older).days} days later: this translation may be out of date",
            "warning", fix="compare the two, update this one, then set its reviewed date"))


def _detail(contact: Contact, name: str) -> object:
    return contact.phones if name == "phone" else getattr(contact, name)


def check_contact_details(
    languages: Mapping[str, LanguageContent], places: Mapping[str, Places],
    problems: list[Problem],
) -> None:
    """Phones, web address, email and street address are the same in every language: a person
    reading Spanish must reach the same office as one reading English."""
    (first, reference), *others = languages.items()
    for lang, content in others:
        for contact_id, contact in content.contacts.items():
            original = reference.contacts.get(contact_id)
            if original is None:
                continue
            refused = contact_id in places[lang].refused_phones | places[first].refused_phones
            for name in CONTACT_DETAILS:
                here, there = _detail(contact, name), _detail(original, name)
                if here == there or (name == "phone" and refused):
                    continue
                shown = {v: ", ".join(v) if isinstance(v, tuple) else v for v in (here, there)}
                problems.append(Problem(
                    *places[lang].contact_field(contact_id, name),
                    f"contact '{contact_id}' has {name} {shown[here] or 'none'} here but "
                    f"{shown[there] or 'none'} in {places[first].contact_field(contact_id, name)}",
                    fix=f"contact details must be the same in every language: copy the right "
                    f"{name} to both files"))


WRITTEN_FIELDS = ("short_title", "question", "answer")


def check_written_language(
    languages: Mapping[str, LanguageContent], detect: Callable[[str, str], str],
    places: Mapping[str, Places],
) -> list[Problem]:
    """An entry's title, question and answer are written in its folder's language: English
    pasted into es/ would reach Spanish speakers in English. `detect(text, folder_language)` is
    the bot's own language detection (the folder's language wins a tie). Phrasings are left
    alone: people do write Spanglish."""
    problems: list[Problem] = []
    for lang, content in languages.items():
        for entry in content.entries.values():
            for name in WRITTEN_FIELDS:
                text = getattr(entry, name)
                written = detect(text, lang) if text else lang
                if written != lang:
                    problems.append(Problem(
                        *places[lang].entry_field(entry.id, name),
                        f"the {name.replace('_', ' ')} of entry '{entry.id}' reads as {written}, "
                        f"not {lang}", "warning",
                        fix=f"put the {lang} translation here (the {written} text belongs in "
                        f"{written}/)"))
    return problems
