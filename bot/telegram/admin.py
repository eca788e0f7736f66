"""The replies of the admin commands (/reload, /stats) and the start-up notice to admins.

They are built as core `Reply` objects, so they render like every other message. Admins are
the Telegram user ids in BOT_ADMIN_IDS; everyone else gets the help reply for these commands.
"""

from __future__ import annotations

from pathlib import Path

from bot.assistant import Assistant
from bot.i18n import Translator
from bot.loading import Problem
from bot.replies import Reply
from bot.stats import Gaps

MAX_PROBLEMS_SHOWN = 10
TOP_ENTRIES = 5
TOP_GAPS = 3  # per line of the gaps: /stats is read on a phone
GAP_WEEKS = 2  # this ISO week and last


def where(problem: Problem, content_dir: Path) -> str:
    """'en/schools.yaml:12: error: …', the path relative to the content folder when possible."""
    path = Path(problem.file)
    try:
        shown = path.relative_to(content_dir).as_posix()
    except ValueError:
        shown = problem.file
    return f"{shown}:{problem.line}: {problem.severity}: {problem.message}"


def reloaded(assistant: Assistant, t: Translator, lang: str) -> Reply:
    _ = t.gettext
    lines = [
        _("{language}: {entries} entries in {topics} topics, {contacts} contacts").format(
            language=code, entries=len(c.entries), topics=len(c.topics), contacts=len(c.contacts))
        for code, c in assistant.knowledge.languages.items()
    ]
    return Reply(lang=lang, kind="admin-reloaded", title=_("Content reloaded"),
                 paragraphs=("\n".join(lines),))


def reload_refused(problems: list[Problem], content_dir: Path, t: Translator, lang: str) -> Reply:
    _ = t.gettext
    errors = [p for p in problems if p.severity == "error"] or problems
    shown = "\n".join(where(p, content_dir) for p in errors[:MAX_PROBLEMS_SHOWN])
    more = len(errors) - MAX_PROBLEMS_SHOWN
    paragraphs = [
        t.ngettext("The new content has {n} error, so I kept the content that was running.",
                   "The new content has {n} errors, so I kept the content that was running.",
                   len(errors)).format(n=len(errors)),
        shown,
    ]
    if more > 0:
        paragraphs.append(_("…and {n} more. Run `python -m bot validate` to see them all.")
                          .format(n=more))
    return Reply(lang=lang, kind="admin-reload-refused", title=_("Content not reloaded"),
                 paragraphs=tuple(paragraphs))


def started_on_last_good(problems: list[Problem], saved_on: str, t: Translator, lang: str
                         ) -> Reply:
    """Sent to every admin when the bot started on the last good copy of the content, because
    the content folder has errors: what is wrong, and that people get the older content."""
    _ = t.gettext
    shown = "\n".join(str(p).splitlines()[0] for p in problems[:MAX_PROBLEMS_SHOWN])
    paragraphs = [
        t.ngettext("I started, but the content has {n} error, so I am serving the last content "
                   "that passed the checks (saved {date}).",
                   "I started, but the content has {n} errors, so I am serving the last content "
                   "that passed the checks (saved {date}).", len(problems))
        .format(n=len(problems), date=saved_on),
        shown,
        _("Fix them (`python -m bot validate` shows each one with its line), then redeploy or "
          "send /reload."),
    ]
    return Reply(lang=lang, kind="admin-started-on-last-good",
                 title=_("Content has errors"), paragraphs=tuple(paragraphs))


def stats(assistant: Assistant, t: Translator, lang: str) -> Reply:
    _ = t.gettext
    counts = assistant.stats
    total = counts.total
    paragraphs = [t.ngettext("{n} question so far.",
                             "{n} questions so far.", total).format(n=total)]
    per_language = [
        _("{language}: {answered} answered, {suggested} with suggestions, {none} not answered")
        .format(language=code, answered=counts.decisions[(code, "answer")],
                suggested=counts.decisions[(code, "suggest")],
                none=counts.decisions[(code, "none")])
        for code in sorted({c for c, _d in counts.decisions} | set(assistant.languages))
    ]
    paragraphs.append("\n".join(per_language))
    top = counts.top_entries(TOP_ENTRIES)
    if top:
        paragraphs.append(_("Most answered:") + "\n" + "\n".join(
            f"{rank}. {entry_id} — {count}" for rank, (entry_id, count) in enumerate(top, 1)))
    uncovered = counts.top_not_covered(TOP_ENTRIES)
    if uncovered:
        paragraphs.append(_("Asked most, not covered by the FAQ:") + "\n" + "\n".join(
            f"{rank}. {topic_id} — {count}"
            for rank, (topic_id, count) in enumerate(uncovered, 1)))
    if counts.flood:
        paragraphs.append(_("Sent faster than anyone reads: {skipped} skipped, {told} told to "
                            "wait a moment").format(skipped=counts.flood["skip"],
                                                    told=counts.flood["notice"]))
    gaps = counts.gaps(counts.recent_weeks(GAP_WEEKS))
    if gaps:
        paragraphs.append(gap_paragraph(gaps, t))
    return Reply(lang=lang, kind="admin-stats", title=_("Usage"), paragraphs=tuple(paragraphs))


def gap_paragraph(gaps: Gaps, t: Translator) -> str:
    """The top gaps of this week and last, in a few lines (`python -m bot report` has them all)."""
    _ = t.gettext
    lines = [_("What the FAQ missed, weeks {first} to {last}:").format(
        first=gaps.weeks[0], last=gaps.weeks[-1])]
    topics = [(topic, n) for topic, n in gaps.not_covered.most_common(TOP_GAPS) if topic]
    if topics:
        lines.append(_("Not covered: {topics}").format(
            topics=", ".join(f"{topic} — {n}" for topic, n in topics)))
    if gaps.tapped:
        lines.append(_("Chosen from “did you mean”: {entries}").format(entries=", ".join(
            f"{entry} — {n}" for entry, n in gaps.tapped.most_common(TOP_GAPS))))
    if gaps.not_understood:
        lines.append(t.ngettext("{n} message understood not at all.",
                                "{n} messages understood not at all.",
                                gaps.not_understood).format(n=gaps.not_understood))
    lines.append(_("Every week and language: `python -m bot report`."))
    return "\n".join(lines)
