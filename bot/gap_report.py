"""`python -m bot report`: what people ask that the FAQ misses, week by week, from counts only.

The bot keeps no message text, so organizers cannot read what people asked; what they can read
is how often each out-of-scope topic was asked, which entries "did you mean" offered and which
of them people tapped, and how many messages the bot understood nothing of, per ISO week and
language (bot/usage.py). This reads them from the state file, read-only (the bot may be running),
and prints them in words or as CSV for a spreadsheet. It prints counts, entry ids and topic ids
of the content, and nothing else: no message, no user id, not even a hash of one.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TextIO

from bot import usage

Key = tuple[str, str, str, str]  # (week, lang, kind, key)
CSV_HEADER = ("week", "lang", "kind", "id", "count")
TOP = 5  # entries and topics named per line
# The all-time decision counters of older versions, as weekly kinds (answers are per entry).
LEGACY_DECISIONS = {"answer": None, "suggest": usage.DID_YOU_MEAN, "none": usage.NOT_ANSWERED}


def from_legacy(counts: Counter[Key]) -> Counter[Key]:
    """Counts in the kinds of bot/usage.py. The all-time counters of a file from before weekly
    counts (migrated under the week "earlier" with their old kinds) are read as they were:
    ("decision", "en:suggest") is a "did you mean" in English; ("entry", id) an answer and
    ("not_covered", topic) a topic not covered, in a language nobody wrote down then."""
    result: Counter[Key] = Counter()
    for (week, lang, kind, key), count in counts.items():
        if kind == "decision":
            lang, _, decision = key.partition(":")
            result[(week, lang, usage.QUESTIONS, "")] += count
            if (mapped := LEGACY_DECISIONS.get(decision)) is not None:
                result[(week, lang, mapped, "")] += count
        elif kind == "entry":
            result[(week, lang, usage.ANSWERED, key)] += count
        elif kind.startswith("flood"):  # a flood-limit counter kept all-time (issue #19)
            result[(week, lang, usage.FLOOD_SKIPPED, "")] += count
        else:
            result[(week, lang, kind, key)] += count
    return result


def last_weeks(today: date, n: int) -> set[str]:
    """This ISO week and the n-1 before it."""
    return {usage.iso_week(today - timedelta(weeks=back)) for back in range(n)}


def select(counts: Counter[Key], weeks: int | None, today: date) -> Counter[Key]:
    """The counts of the last `weeks` weeks (all of them, "earlier" included, when None)."""
    if weeks is None:
        return Counter(counts)
    keep = last_weeks(today, weeks)
    return Counter({k: n for k, n in counts.items() if k[0] in keep})


def newest_first(weeks: Iterable[str]) -> list[str]:
    """ISO weeks newest first ("2026-W50" sorts as text), the counts from before weeks last."""
    weeks = set(weeks)
    return sorted(weeks - {usage.EARLIER}, reverse=True) + (
        [usage.EARLIER] if usage.EARLIER in weeks else [])


def csv_rows(counts: Counter[Key]) -> list[tuple[str, str, str, str, int]]:
    """One row per (week, language, kind, id), oldest week first (a spreadsheet adds new weeks
    at the bottom), counts from before weeks at the top."""
    kind_rank = {kind: i for i, kind in enumerate(usage.KINDS)}
    return [
        (week, lang, kind, key, count)
        for (week, lang, kind, key), count in sorted(
            counts.items(), key=lambda item: (
                item[0][0] != usage.EARLIER, item[0][0], item[0][1],
                kind_rank.get(item[0][2], len(kind_rank)), item[0][2], item[0][3]))
        if count
    ]


def write_csv(counts: Counter[Key], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(counts))


@dataclass
class Group:
    """The counts of one week and one language, by kind: {kind: Counter(key -> count)}."""

    kinds: dict[str, Counter[str]]

    def total(self, kind: str) -> int:
        return sum(self.kinds.get(kind, Counter()).values())

    def keys(self, kind: str) -> Counter[str]:
        return self.kinds.get(kind, Counter())


def grouped(counts: Counter[Key]) -> dict[str, dict[str, Group]]:
    """{week: {lang: Group}}."""
    weeks: dict[str, dict[str, Group]] = defaultdict(dict)
    for (week, lang, kind, key), count in counts.items():
        group = weeks[week].setdefault(lang, Group({}))
        group.kinds.setdefault(kind, Counter())[key] += count
    return weeks


def week_title(week: str) -> str:
    if week == usage.EARLIER:
        return ("Earlier (counted before weeks were kept: all-time totals, answers and topics "
                "without their language)")
    start = usage.week_start(week)
    if start is None:
        return week
    return f"{week} ({start.isoformat()} to {(start + timedelta(days=6)).isoformat()})"


def _top(counter: Counter[str], n: int = TOP) -> str:
    named = [(key or "(no out-of-scope topic came close)", count)
             for key, count in counter.most_common()]
    shown = ", ".join(f"{key} {count}" for key, count in named[:n])
    more = len(named) - n
    return shown + (f", and {more} more" if more > 0 else "")


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def group_lines(lang: str, group: Group, earlier: bool = False) -> list[str]:
    """A week's counts in one language, in words (`earlier`: the counts from before weeks,
    which had no urgent, thanks or flood counts to show)."""
    if lang == "" and set(group.kinds) <= {usage.OTHER_LANGUAGE}:
        n = group.total(usage.OTHER_LANGUAGE)
        return [f"  other languages: {_plural(n, 'message')} in a language the bot does not read"]
    name = lang or "all languages"
    head = []
    if usage.QUESTIONS in group.kinds:
        head.append(_plural(group.total(usage.QUESTIONS), "question"))
    parts = [
        (usage.ANSWERED, "answered"), (usage.DID_YOU_MEAN, '"did you mean"'),
        (usage.NOT_COVERED, "not covered"), (usage.NOT_UNDERSTOOD, "understood nothing"),
        (usage.NOT_ANSWERED, "not answered (not covered or understood nothing)"),
    ]
    counted = [f"{group.total(kind)} {words}" for kind, words in parts if kind in group.kinds]
    lines = [f"  {name}: " + ": ".join(filter(None, [", ".join(head), ", ".join(counted)]))]
    extras = [f"{group.total(usage.URGENT)} urgent", f"{group.total(usage.THANKS)} thanks",
              f"{group.total(usage.FLOOD_SKIPPED)} skipped by the flood limits"]
    if lang and not earlier:
        lines.append("      " + ", ".join(extras))
    if group.keys(usage.NOT_COVERED):
        lines.append(f"      not covered, by topic: {_top(group.keys(usage.NOT_COVERED))}")
    offered, tapped = group.keys(usage.OFFERED), group.keys(usage.TAPPED)
    if offered or tapped:
        pairs = sorted(set(offered) | set(tapped), key=lambda e: (-offered[e], -tapped[e], e))
        shown = ", ".join(f"{e} {offered[e]} → {tapped[e]}" for e in pairs[:TOP])
        more = len(pairs) - TOP
        lines.append('      "did you mean", offered → tapped: ' + shown +
                     (f", and {more} more" if more > 0 else ""))
    answered = Counter({k: n for k, n in group.keys(usage.ANSWERED).items() if k})
    if answered:
        lines.append(f"      answered most: {_top(answered)}")
    if lang == "" and group.total(usage.OTHER_LANGUAGE):
        lines.append(f"      {_plural(group.total(usage.OTHER_LANGUAGE), 'message')} in a "
                     "language the bot does not read")
    return lines


def gap_lines(counts: Counter[Key]) -> list[str]:
    """Over all the weeks shown, what to consider writing: the topics asked that are out of
    scope, the entries people chose from "did you mean" (the bot was unsure of a question they
    answer), the "did you mean" nobody chose from, the messages understood not at all."""
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    by_lang: dict[str, Counter[str]] = defaultdict(Counter)
    untapped = 0  # "did you mean" replies minus taps, in the weeks that counted taps
    for (week, lang, kind, key), count in counts.items():
        totals[kind][key] += count
        if kind == usage.NOT_COVERED:
            by_lang[key][lang or "language not recorded"] += count
        if week != usage.EARLIER:
            untapped += count if kind == usage.DID_YOU_MEAN else -count if (
                kind == usage.TAPPED) else 0
    offered, tapped = totals[usage.OFFERED], totals[usage.TAPPED]
    lines = []
    for topic, count in totals[usage.NOT_COVERED].most_common(TOP):
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang[topic].items()))
        if topic:
            lines.append(f"  {topic}: asked {_plural(count, 'time')} ({langs}), out of scope: "
                         "consider an entry if the FAQ should answer it")
        else:
            lines.append(f"  {_plural(count, 'question')} ({langs}) close to no entry and no "
                         "out-of-scope topic")
    for entry, count in tapped.most_common(TOP):
        lines.append(f"  {entry}: chosen {_plural(count, 'time')} from \"did you mean\" "
                     f"(offered {offered[entry]}): the bot was unsure of questions it answers; "
                     "add phrasings in the words people use")
    if untapped > 0:
        replies = _plural(untapped, '"did you mean" reply', '"did you mean" replies')
        lines.append(f"  {replies} with no choice tapped: none of the entries offered may be "
                     "what they asked")
    not_understood = sum(totals[usage.NOT_UNDERSTOOD].values())
    if not_understood:
        lines.append(f"  {_plural(not_understood, 'message')} the bot understood nothing of "
                     "(greetings, one word, emoji)")
    return ["What the FAQ may be missing, over these weeks:", *lines] if lines else []


def report_lines(counts: Counter[Key], source: str, weeks: int | None = None) -> list[str]:
    """The report in words: per week (newest first) and language, then the gaps."""
    if not counts:
        if weeks is not None:
            return [f"{source}: no counts in the last {_plural(weeks, 'week')}."]
        return [f"{source}: no counts yet (the bot counts each question it answers)."]
    lines = [f"{source}: counts only (no message text, no ids), per week and language."]
    weeks = grouped(counts)
    for week in newest_first(weeks):
        lines += ["", week_title(week)]
        for lang in sorted(weeks[week], key=lambda code: (code == "", code)):
            lines += group_lines(lang, weeks[week][lang], earlier=week == usage.EARLIER)
    gaps = gap_lines(counts)
    return [*lines, *(["", *gaps] if gaps else [])]

