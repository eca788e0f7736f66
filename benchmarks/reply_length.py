"""How replies read on a phone, and how often a message written as it happens gets 911 first.

    python benchmarks/reply_length.py               # lengths, labels, urgency on every set
    python benchmarks/reply_length.py --show-misses  # also list the urgency sets' misses

Lengths are visible characters of the first Telegram message (the HTML the adapter sends, tags
removed), as tests/test_phone_sized_replies.py receives it through the fake Bot API. Targets
(issue #11): answers median <= 1,100 (en) / 1,300 (es, pt and others), none over 1,800; button
labels <= 40;
911 within the first 600 visible characters for >= 95% of as-it-happens messages; calm
questions flagged urgent <= 10%.

Urgency sets: urgency_tune_ and urgency_tune2_messages.jsonl chose the words in vocabulary.yaml
and are the examples in content/<lang>/urgency-examples.yaml (so the bot has seen them: their
figures are not a measure). urgency_heldout_messages.jsonl measured the first round before and
after; urgency_heldout2_messages.jsonl, written by someone who saw nothing of the bot, measured
the second round (the examples) before and after. Neither was used to choose anything.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import paths  # noqa: E402
from bot.assistant import Assistant  # noqa: E402
from bot.replies import Reply  # noqa: E402
from bot.telegram.render import render, visible_text  # noqa: E402

URGENCY_SETS = {
    "tune": ROOT / "tests" / "data" / "urgency_tune_messages.jsonl",
    "tune2": ROOT / "tests" / "data" / "urgency_tune2_messages.jsonl",
    "held-out": ROOT / "tests" / "data" / "urgency_heldout_messages.jsonl",
    "held-out2": ROOT / "tests" / "data" / "urgency_heldout2_messages.jsonl",
}
# Any other urgency set (a Portuguese one, say) is measured under its own name.
URGENCY_SETS.update({
    path.name.removeprefix("urgency_").removesuffix("_messages.jsonl"): path
    for path in sorted((ROOT / "tests" / "data").glob("urgency_*_messages.jsonl"))
    if path not in URGENCY_SETS.values()
})
FIRST_SCREEN = 600  # about one phone screen of text


def first_message(reply: Reply) -> str:
    return visible_text(render(reply)[0].text)


def labels(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def spread(values: list[int]) -> str:
    return f"median {statistics.median(values):,.0f}, max {max(values):,}, n={len(values)}"


def lengths(assistant: Assistant) -> None:
    print("Replies (visible characters of the first message)")
    every_label: list[str] = []
    for lang in assistant.languages:
        build = assistant.replies(lang)
        answers = [build.entry(e) for e in build.content.entries.values()]
        messages = [len(render(r)) for r in answers]
        sizes = [len(first_message(r)) for r in answers]
        longest = max(answers, key=lambda r: len(first_message(r)))
        print(f"  {lang} answers: {spread(sizes)} (longest: {longest.entry_id}); "
              f"messages per answer: {max(messages)} at most")
        right_now = build.right_now()
        urgent_answers = [build.entry(e, kind="urgent", right_now=right_now)
                          for e in build.content.entries.values() if e.urgent]
        if urgent_answers:
            print(f"  {lang} urgent answers (right-now steps first): "
                  f"{spread([len(first_message(r)) for r in urgent_answers])}")
        urgent = build.urgent(None)
        needs = [build.need(n.id) for n in build.content.needs]
        need_sizes = [len(first_message(r)) for r in needs if r is not None]
        print(f"  {lang} right-now reply with urgent buttons: {len(first_message(urgent))}; "
              f"/contacts menu: {len(first_message(build.contacts()))}; "
              f"each need: {spread(need_sizes) if need_sizes else '-'}")
        replies = [*answers, urgent, build.contacts(), build.topics(), build.welcome(),
                   *(build.topic(t.id) for t in build.content.topics),
                   build.suggestions(tuple(build.content.entries)[:3]), *needs]
        every_label += [label for r in replies if r is not None for label in labels(r)]
    long_labels = [x for x in every_label if len(x) > 40]
    print(f"  button labels: {len(every_label)}, longest {max(map(len, every_label))} characters, "
          f"{len(long_labels)} over 40")


def urgency(assistant: Assistant, show_misses: bool) -> None:
    print("Urgency: 911 in the first 600 visible characters / calm questions flagged urgent")
    for name, path in URGENCY_SETS.items():
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for lang in assistant.languages:
            urgent = [r for r in rows if r["lang"] == lang and r["urgent"]]
            calm = [r for r in rows if r["lang"] == lang and not r["urgent"]]
            if not urgent and not calm:
                continue
            misses = [r["q"] for r in urgent
                      if "911" not in first_message(assistant.ask(r["q"], record=False).reply)[
                          :FIRST_SCREEN]]
            alarms = [r["q"] for r in calm
                      if assistant.ask(r["q"], record=False).reply.kind == "urgent"]
            caught = len(urgent) - len(misses)
            print(f"  {name:9} {lang}: 911 first {caught}/{len(urgent)} "
                  f"({100 * caught / max(len(urgent), 1):.1f}%), calm flagged "
                  f"{len(alarms)}/{len(calm)} ({100 * len(alarms) / max(len(calm), 1):.1f}%)")
            if show_misses:
                for q in misses:
                    print(f"      missed: {q}")
                for q in alarms:
                    print(f"      alarm:  {q}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    assistant = Assistant.load(paths.content_dir(), paths.locale_dir())
    lengths(assistant)
    urgency(assistant, args.show_misses)


if __name__ == "__main__":
    main()
