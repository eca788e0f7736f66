"""What the bot would do with one message, told in words: for organizers (`python -m bot try`).

After an edit, an organizer wants to know "if someone writes this, what do they get?" without a
phone and a Telegram account. This runs the message through the same `Assistant` the bot uses and
describes the outcome: the entry it answers with (its question, and where it is written), the
questions it offers as "did you mean", or that it has no answer; and whether the message counts
as urgent (then the reply starts with the right-now steps). `as_json` is the same, for scripts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.actions import Action
from bot.assistant import Assistant
from bot.loading.places import Places
from bot.replies import Reply


@dataclass(frozen=True)
class Offered:
    id: str
    question: str
    place: str  # "en/ice.yaml:5"


@dataclass(frozen=True)
class DryRun:
    lang: str
    # "answer", "suggest", "choose" (urgent: a choice of the urgent entries), "not covered",
    # "no answer", "ask" (no words to look up), or the kind of the bot's reply when it is not
    # about the FAQ (a thank-you, another language)
    outcome: str
    urgent: bool
    entry: Offered | None = None
    suggestions: tuple[Offered, ...] = ()
    not_covered: str | None = None  # the out-of-scope topic it reads like
    not_covered_place: str | None = None
    score: int = 0
    reply_kind: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        def offered(o: Offered | None) -> dict[str, str] | None:
            return None if o is None else {"id": o.id, "question": o.question, "place": o.place}

        return {
            "lang": self.lang, "outcome": self.outcome, "urgent": self.urgent,
            "entry": offered(self.entry), "suggestions": [offered(s) for s in self.suggestions],
            "not_covered": self.not_covered, "score": self.score, "reply": self.reply_kind,
        }

    def in_words(self) -> list[str]:
        lines = [f"Language: {self.lang}"]
        if self.outcome == "answer" and self.entry is not None:
            lines += ["The bot answers with:", f"  {self.entry.question}",
                      f"  (entry '{self.entry.id}', {self.entry.place})"]
        elif self.outcome == "suggest":
            if self.not_covered:
                lines.append("It reads like a question the FAQ does not cover "
                             f"('{self.not_covered}', {self.not_covered_place}), so the bot "
                             "does not answer.")
            else:
                lines.append("The bot is not sure, so it does not answer.")
            lines.append('It asks "Did you mean…?" and offers:')
            lines += [f"  {n}. {o.question}  (entry '{o.id}', {o.place})"
                      for n, o in enumerate(self.suggestions, start=1)]
        elif self.outcome == "choose":
            lines.append('It does not answer; it asks "What is happening? Choose one:" with:')
            lines += [f"  {n}. {o.question}  (entry '{o.id}', {o.place})"
                      for n, o in enumerate(self.suggestions, start=1)]
        elif self.outcome == "not covered":
            lines.append(f"Not covered: it reads like out-of-scope topic '{self.not_covered}' "
                         f"({self.not_covered_place}). The bot says the FAQ does not answer this "
                         "and lists the organizations that can help.")
        elif self.outcome == "ask":
            lines.append("No words to look up (a greeting, \"ok\"...): the bot asks the person "
                         "to write their question in their own words.")
        elif self.outcome == "no answer":
            lines.append("No answer: no entry is close enough. The bot says so and lists the "
                         "organizations that can help.")
        else:
            lines.append(f"No FAQ entry: the bot replies with its '{self.reply_kind}' message.")
        lines.append("Urgent: yes, the reply starts with the right-now steps." if self.urgent
                     else "Urgent: no.")
        return lines


def entry_actions(reply: Reply) -> list[Action]:
    """The entries a reply's buttons open, in order."""
    actions = (Action.decode(button.action) for row in reply.buttons for button in row)
    return [a for a in actions if a is not None and a.kind in ("entry", "suggestion") and a.ref]


def dry_run(assistant: Assistant, places: dict[str, Places], text: str,
            lang_hint: str | None = None) -> DryRun:
    """What the bot would reply to `text` (nothing is counted in the stats)."""
    answer = assistant.ask(text, telegram_code=lang_hint, record=False)
    match, reply = answer.match, answer.reply
    if match is None:
        return DryRun(lang=reply.lang, outcome=reply.kind, urgent=False, reply_kind=reply.kind)

    def offered(entry_id: str) -> Offered:
        entry = assistant.knowledge.content(match.lang).entries[entry_id]
        return Offered(entry_id, entry.question, str(places[match.lang].entries.get(entry_id)))

    topic = match.not_covered
    topic_place = str(places[match.lang].out_of_scope.get(topic)) if topic else None
    common = {"lang": match.lang, "urgent": match.urgent, "score": match.score,
              "reply_kind": reply.kind, "not_covered": topic, "not_covered_place": topic_place}
    if reply.kind == "empty":
        return DryRun(outcome="ask", **common)
    if reply.kind == "urgent":  # the right-now steps, then the urgent entry or a choice of them
        if reply.entry_id:
            return DryRun(outcome="answer", entry=offered(reply.entry_id), **common)
        return DryRun(outcome="choose", suggestions=tuple(
            offered(a.ref) for a in entry_actions(reply)), **common)
    if match.decision == "answer" and match.entry_id:
        return DryRun(outcome="answer", entry=offered(match.entry_id), **common)
    if match.decision == "suggest" and match.entry_id:
        ids = (match.entry_id, *match.suggestions)
        return DryRun(outcome="suggest", suggestions=tuple(offered(i) for i in ids), **common)
    return DryRun(outcome="not covered" if topic else "no answer", **common)
