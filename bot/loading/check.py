"""The whole content folder: read every language, then the rules that span files and languages.

Loading is all-or-nothing: with any error no `Knowledge` is built, and the bot keeps (or falls
back to) the last good content. A file that does not parse is the root cause of everything else
wrong in its language, so then only those files' errors are reported.

Reading content never raises: whatever goes wrong on the way (a file shaped as nothing the rules
expect, a bug) is a problem at the file being read, and the line where known, so `validate`
prints one line and a restarted bot serves the last good copy instead of exiting.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge import Knowledge, LanguageContent
from bot.loading.language_folder import LanguageRead, read_language
from bot.loading.phones import check_never_published, phone_key, read_never_publish
from bot.loading.places import Places
from bot.loading.print_plan import check_print_plans
from bot.loading.problems import ContentError, Problem, sort_key
from bot.loading.required import check_required_entries
from bot.loading.translations import check_contact_details, check_entries_agree, check_same_ids
from bot.loading.vocabulary import note_silent_concepts
from bot.loading.yaml_file import YamlReader, line_of, megabytes

DEFAULT_LANGUAGE = "en"
LANGUAGE_DIR_PATTERN = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?$")
# All content files together (each one is limited too, see yaml_file.MAX_FILE_BYTES); today's
# content is 0.7 MB.
MAX_CONTENT_BYTES = 64 * 1024 * 1024


@dataclass
class Inspection:
    """What reading the content found: the Knowledge (None on errors), every problem, and where
    each entry, contact and phrasing is, for checks that run on top (see review.py)."""

    root: Path
    knowledge: Knowledge | None
    problems: list[Problem]
    places: dict[str, Places] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def language_folders(root: Path) -> list[Path]:
    return sorted(d for d in root.iterdir() if d.is_dir() and LANGUAGE_DIR_PATTERN.match(d.name))


def inspect_content(content_dir: Path | str) -> Inspection:
    """Read and check the content folder: the Knowledge if it passes, and every problem."""
    root = Path(content_dir)
    try:
        return _inspect(root)
    except Exception as error:  # never a traceback: see the module's docstring
        return Inspection(root, None, [crash_problem(error, root)])


def crash_problem(error: BaseException, root: Path) -> Problem:
    """The problem for an exception raised while reading: at the file the innermost
    `YamlReader` on the stack was reading, at the line of the node it held, if any."""
    frames: list[types.FrameType] = []
    tb = error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    file, line = str(root), 0
    for frame in reversed(frames):
        reader = frame.f_locals.get("self")
        if isinstance(reader, YamlReader):
            file = reader.name
            nodes = [v for v in frame.f_locals.values() if isinstance(v, yaml.Node)]
            line = line_of(nodes[0]) if nodes else 0
            break
    return Problem(file, line, f"the content could not be read ({type(error).__name__}): "
                   "something in this file has a shape the checks do not expect",
                   root_cause=True, fix="compare it with a file that works; if it looks "
                   "right, report it as a bug in the bot")


def _inspect(root: Path) -> Inspection:
    problems: list[Problem] = []
    where = "give the content folder: the one that holds en/ and es/"
    if not root.is_dir():
        return Inspection(root, None, [Problem(str(root), 0, "content folder not found",
                                               fix=where)])
    folders = language_folders(root)
    if not folders:
        return Inspection(root, None, [Problem(
            str(root), 0, "no language folders (such as en/ or es/) found", fix=where)])
    total = sum(p.stat().st_size for f in folders for p in f.glob("*.yaml") if p.is_file())
    if total > MAX_CONTENT_BYTES:
        return Inspection(root, None, [Problem(
            str(root), 0, f"the content files hold {megabytes(total)} in all; the bot reads at "
            f"most {megabytes(MAX_CONTENT_BYTES)}", root_cause=True,
            fix="check that only content files are in the language folders")])
    forbidden = read_never_publish(root, problems)
    reads: list[LanguageRead] = [read_language(folder, root, problems) for folder in folders]
    root_causes = [p for p in problems if p.root_cause]
    if root_causes:
        return Inspection(root, None, sorted(root_causes, key=sort_key))
    check_never_published(root, [p for f in folders for p in sorted(f.glob("*.yaml"))],
                          forbidden, problems)
    languages: dict[str, LanguageContent] = {
        r.lang: r.content for r in reads if r.content is not None}
    places = {r.lang: r.places for r in reads}
    forbidden_keys = {f.key for f in forbidden}
    for lang, content in languages.items():  # refused above: not compared across languages
        places[lang].refused_phones.update(
            c.id for c in content.contacts.values()
            if any(phone_key(phone) in forbidden_keys for phone in c.phones))
    if len(languages) == len(reads):
        check_same_ids(languages, places, problems)
        if len(languages) > 1:
            check_entries_agree(languages, places, problems)
            check_contact_details(languages, places, problems)
    check_required_entries(root, languages, problems)
    check_print_plans(languages, problems)
    note_silent_concepts(languages, problems)
    problems.sort(key=sort_key)
    if any(p.severity == "error" for p in problems) or not languages:
        return Inspection(root, None, problems, places)
    default = DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in languages else next(iter(languages))
    return Inspection(root, Knowledge(languages=languages, default_language=default), problems,
                      places)


def check_content(content_dir: Path | str) -> tuple[Knowledge | None, list[Problem]]:
    """Validate the content folder. Returns the Knowledge (None if any error) and all problems."""
    inspection = inspect_content(content_dir)
    return inspection.knowledge, inspection.problems


def load_knowledge(content_dir: Path | str) -> Knowledge:
    """Load and validate all content; raise `ContentError` if anything is wrong."""
    knowledge, problems = check_content(content_dir)
    if knowledge is None:
        raise ContentError(problems)
    return knowledge
