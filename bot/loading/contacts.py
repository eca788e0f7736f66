"""contacts.yaml (the organizations the bot refers people to) and right-now.yaml.

Every phone is checked and stored in the one format the bot shows (see phones.py). A contact that
an entry, a need or the right-now block lists must be reachable: a phone or a web address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge import Contact, Need, RightNow
from bot.loading.phones import InvalidPhone, format_phone, is_example_number
from bot.loading.places import Places
from bot.loading.problems import Place, Problem
from bot.loading.yaml_file import YamlReader

CONTACTS_FILE = "contacts.yaml"
RIGHT_NOW_FILE = "right-now.yaml"
CONTACTS_FIELDS = {"general": True, "urgent": False, "needs": False, "contacts": True}
NEED_FIELDS = {"id": True, "title": True, "contacts": True}
RIGHT_NOW_FIELDS = {"steps": True, "contacts": False}
RIGHT_NOW_STEP_LIMIT = 90
CONTACT_FIELDS = {
    "id": True, "name": True, "description": True, "phone": False, "url": False, "hours": False,
    "email": False, "address": False, "review_notes": False,
}
# What a person uses to reach the organization: the same in every language.
CONTACT_DETAILS = ("phone", "url", "email", "address")
WEB_ADDRESS = re.compile(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$")
EMAIL = re.compile(r"^[^@\s]+@[\w-]+(\.[\w-]+)+$")


@dataclass
class ContactsFile:
    contacts: dict[str, Contact] | None = None  # None: the file could not be read
    general: tuple[str, ...] = ()
    urgent: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()
    # (place, what lists it, contact ids): every list of contact ids outside the entries
    lists: list[tuple[Place, str, tuple[str, ...]]] = field(default_factory=list)
    unreadable: bool = False


def read_contacts(folder: Path, root: Path, problems: list[Problem], places: Places
                  ) -> ContactsFile:
    path = folder / CONTACTS_FILE
    reader = YamlReader(path, root, problems)
    if not path.exists():
        reader.error(None, f"{CONTACTS_FILE} is missing")
        return ContactsFile()
    node = reader.parse()
    if node is None:
        return ContactsFile(unreadable=reader.unreadable)
    top = reader.fields(node, CONTACTS_FIELDS, CONTACTS_FILE)
    if top is None:
        return ContactsFile()
    result = ContactsFile(
        general=reader.id_list(top.get("general"), "general"),
        urgent=reader.id_list(top.get("urgent"), "urgent"),
        needs=_read_needs(reader, top.get("needs"), places),
    )
    result.lists.append((reader.place(top.get("general")), "general", result.general))
    if "urgent" in top:
        result.lists.append((reader.place(top["urgent"]), "urgent", result.urgent))
    for need in result.needs:
        result.lists.append((places.needs[need.id], f"need '{need.id}'", need.contacts))
    items = top.get("contacts")
    if not isinstance(items, yaml.SequenceNode):
        reader.error(items or node, "contacts should be a list of '- id: ...' items")
        return result
    result.contacts = {}
    for item in items.value:
        contact = _read_contact(reader, item, places)
        if contact is None:
            continue
        if contact.id in result.contacts:
            reader.error(item, f"contact id '{contact.id}' is used twice")
            continue
        result.contacts[contact.id] = contact
    return result


def _read_contact(reader: YamlReader, node: yaml.Node, places: Places) -> Contact | None:
    f = reader.fields(node, CONTACT_FIELDS, "a contact")
    if f is None:
        return None
    contact_id = reader.identifier(f.get("id"), "contact id")
    name = reader.text(f.get("name"), "contact name")
    description = reader.text(f.get("description"), "contact description")
    phones: list[str] = []
    for raw, phone_node in reader.text_items(f.get("phone"), "phone", allow_single=True):
        try:
            phones.append(format_phone(raw))
            if is_example_number(raw):
                reader.warn(phone_node, f"contact '{contact_id}': {raw} looks made up: numbers "
                            "555-0100 to 555-0199 are reserved for examples and reach nobody",
                            fix="copy the number again from the organization's own website")
        except InvalidPhone as exc:
            places.refused_phones.add(contact_id or "")
            reader.error(phone_node, f"contact '{contact_id}': {exc}",
                         fix="copy the number again from the organization's own website")
    url = reader.text(f.get("url"), "url") if "url" in f else None
    if url is not None and not WEB_ADDRESS.match(url):
        reader.error(f["url"], f"'{url}' does not look like a web address")
    email = reader.text(f.get("email"), "email") if "email" in f else None
    if email is not None and not EMAIL.match(email):
        reader.error(f["email"], f"'{email}' does not look like an email address")
    note_items = reader.text_items(f.get("review_notes"), "review_notes")
    for note, note_node in note_items:
        reader.error(note_node, f"contact '{contact_id}': {note}", "note")
    notes = tuple(note for note, _ in note_items)
    if not (contact_id and name and description):
        return None
    places.contacts[contact_id] = reader.place(node)
    for note, note_node in note_items:
        places.review_notes.setdefault(("contact", contact_id, note), reader.place(note_node))
    for key, value_node in f.items():
        places.contact_fields[(contact_id, key)] = reader.place(value_node)
    return Contact(
        id=contact_id, name=name, description=description, phones=tuple(phones), url=url,
        hours=reader.text(f.get("hours"), "hours") if "hours" in f else None,
        email=email,
        address=reader.text(f.get("address"), "address") if "address" in f else None,
        review_notes=notes,
    )


def _read_needs(reader: YamlReader, node: yaml.Node | None, places: Places) -> tuple[Need, ...]:
    """`needs` in contacts.yaml: the /contacts menu, one button per need."""
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode):
        reader.error(node, "needs should be a list of '- id: ...' items")
        return ()
    needs: list[Need] = []
    for item in node.value:
        f = reader.fields(item, NEED_FIELDS, "a need")
        if f is None:
            continue
        need_id = reader.identifier(f.get("id"), "need id")
        title = reader.short_label(f.get("title"), f"the title of need '{need_id}'")
        contacts = reader.id_list(f.get("contacts"), f"contacts of need '{need_id}'")
        if any(n.id == need_id for n in needs):
            reader.error(item, f"need id '{need_id}' is used twice")
        elif need_id and title and contacts:
            needs.append(Need(need_id, title, contacts))
            places.needs[need_id] = reader.place(f.get("contacts"))
    return tuple(needs)


def read_right_now(folder: Path, root: Path, problems: list[Problem], places: Places
                   ) -> tuple[RightNow | None, bool]:
    """right-now.yaml (optional): what a reply to "ICE is at my door right now" starts with.
    Returns the block and whether the file could be read."""
    path = folder / RIGHT_NOW_FILE
    if not path.exists():
        return None, True
    reader = YamlReader(path, root, problems)
    node = reader.parse()
    if node is None:
        return None, not reader.unreadable
    top = reader.fields(node, RIGHT_NOW_FIELDS, RIGHT_NOW_FILE)
    if top is None:
        return None, True
    step_items = reader.text_items(top.get("steps"), "steps")
    if "steps" in top and not step_items:
        reader.error(top["steps"], "steps needs at least one line")
    for step, step_node in step_items:
        if len(step) > RIGHT_NOW_STEP_LIMIT:
            reader.error(step_node, f"this step has {len(step)} characters; a frightened person "
                         f"reads at most {RIGHT_NOW_STEP_LIMIT} on a phone, so shorten it")
    steps = tuple(step for step, _ in step_items)
    contacts = reader.id_list(top.get("contacts"), "contacts")
    places.files[RIGHT_NOW_FILE] = reader.place(top.get("contacts") or node)
    return (RightNow(steps, contacts) if steps else None), True


def check_contacts_listed(
    contacts: dict[str, Contact], listed: list[tuple[Place, str, tuple[str, ...]]],
    places: Places, problems: list[Problem],
) -> None:
    """Every contact id listed anywhere exists, and can be reached (a phone or a web address):
    the bot shows no contact card without one, so the list would promise help it cannot give.
    One problem per unreachable contact, at its line in contacts.yaml, naming who lists it (none
    for a contact whose phone was refused: that error says it already)."""
    listers: dict[str, list[str]] = {}
    for place, who, ids in listed:
        for contact_id in ids:
            contact = contacts.get(contact_id)
            if contact is None:
                problems.append(Problem(*place, f"{who} lists contact '{contact_id}', which is "
                                        f"not in {CONTACTS_FILE}"))
            elif not contact.reachable and contact_id not in places.refused_phones:
                listers.setdefault(contact_id, []).append(f"{who} ({place})")
    for contact_id, who in listers.items():
        problems.append(Problem(
            *places.contacts[contact_id], f"contact '{contact_id}' has no phone and no web "
            f"address, so people cannot reach it, yet {len(who)} place(s) list it: "
            f"{', '.join(who[:3])}{', ...' if len(who) > 3 else ''}",
            fix="add its phone or url here, or remove it from those lists"))
