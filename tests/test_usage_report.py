"""Weekly counts and `python -m bot report`: what people ask that the FAQ misses, from counts."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from bot import usage
from bot.assistant import Assistant
from bot.cli import main, usage_report
from bot.gap_report import from_legacy, select
from bot.matching import MatchResult
from bot.state import StateStore, read_weekly_counts
from bot.stats import Stats
from tests.conftest import FIXTURE_CONTENT, FIXTURE_LOCALE

MONDAY = date(2026, 12, 7)  # 2026-W50
QUESTIONS = [  # (message, what the fixture content makes of it)
    ("what is the weather tomorrow", "not covered: small-talk"),
    ("who won the game yesterday", "not covered: small-talk"),
    ("ice", "did you mean"),
    ("can ice go into my kids school", "answered"),
    ("puede entrar la migra a la escuela de mis hijos", "answered, in Spanish"),
    ("🙂", "understood nothing"),
]


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(FIXTURE_CONTENT, FIXTURE_LOCALE)


def session(assistant: Assistant, store: StateStore, today: date = MONDAY) -> None:
    """Questions as people would ask them, and the first "did you mean" choice tapped."""
    assistant.stats = Stats(today=lambda: today)
    assistant.stats.attach(store)
    for text, _what in QUESTIONS:
        reply = assistant.ask(text).reply
        if reply.kind == "suggest":
            assert assistant.act(reply.buttons[0][0].action, reply.lang) is not None


def csv_of(state: Path, *args: str, today: date = MONDAY) -> list[dict[str, str]]:
    out = io.StringIO()
    weeks = int(args[1]) if args[:1] == ("--weeks",) else None
    assert usage_report(state, weeks, True, out, today=today) == 0
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_a_session_reads_back_as_counts_per_week_language_kind_and_id(
    assistant: Assistant, tmp_path: Path
) -> None:
    state = tmp_path / "bot-state.sqlite3"
    store = StateStore.open(state)
    session(assistant, store)
    store.close()

    rows = csv_of(state)
    assert list(rows[0]) == ["week", "lang", "kind", "id", "count"]
    counts = {(r["week"], r["lang"], r["kind"], r["id"]): int(r["count"]) for r in rows}
    assert counts[("2026-W50", "en", "not_covered", "small-talk")] == 2
    assert counts[("2026-W50", "en", "did_you_mean", "")] == 1
    assert counts[("2026-W50", "es", "answered", "school-ice-visit")] == 1
    assert sum(n for (_w, _l, kind, _i), n in counts.items() if kind == "not_understood") == 1
    offered = {i for (_w, _l, kind, i) in counts if kind == "offered"}
    (tapped,) = [i for (_w, _l, kind, i) in counts if kind == "tapped"]
    assert tapped in offered  # the choice people tapped is one the bot offered

    # counts, content ids and nothing else: no word of any message
    words = {w for text, _ in QUESTIONS for w in text.split() if len(w) > 3}
    written = "\n".join(",".join(r.values()) for r in rows)
    assert not {w for w in words if w in written} - {"school"}  # ids may share a word...
    assert "kids school" not in written and "weather" not in written
    assert {r["kind"] for r in rows} <= set(usage.KINDS)


def test_the_report_in_words_names_the_gaps(assistant: Assistant, tmp_path: Path) -> None:
    state = tmp_path / "bot-state.sqlite3"
    session(assistant, StateStore.open(state))
    out = io.StringIO()
    assert usage_report(state, None, False, out, today=MONDAY) == 0
    text = out.getvalue()
    assert "2026-W50 (2026-12-07 to 2026-12-13)" in text
    assert "not covered, by topic: small-talk 2" in text
    assert "small-talk: asked 2 times (en 2), out of scope: consider an entry" in text
    assert 'chosen 1 time from "did you mean"' in text
    assert "weather" not in text


def test_weeks_are_iso_weeks_and_weeks_limits_to_the_last_n(
    assistant: Assistant, tmp_path: Path
) -> None:
    state = tmp_path / "bot-state.sqlite3"
    store = StateStore.open(state)
    session(assistant, store, today=date(2026, 11, 29))  # a Sunday: 2026-W48
    session(assistant, store, today=MONDAY)
    store.close()
    weeks = {r["week"] for r in csv_of(state)}
    assert weeks == {"2026-W48", "2026-W50"}
    assert {r["week"] for r in csv_of(state, "--weeks", "2")} == {"2026-W50"}
    assert {r["week"] for r in csv_of(state, "--weeks", "3")} == {"2026-W48", "2026-W50"}
    assert usage.iso_week(date(2027, 1, 1)) == "2026-W53"  # ISO years do not end on Dec 31


def old_state_file(path: Path) -> None:
    """A state file as the bot wrote it before weekly counts: languages and all-time counters."""
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE languages (user_key TEXT PRIMARY KEY, lang TEXT NOT NULL);
            CREATE TABLE counters (kind TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,
                                   PRIMARY KEY (kind, key));
            INSERT INTO languages VALUES ('0123456789abcdef', 'es');
            INSERT INTO counters VALUES ('decision', 'en:answer', 12),
                ('decision', 'en:suggest', 3), ('decision', 'en:none', 5),
                ('decision', 'es:answer', 7),
                ('entry', 'ice-at-home', 15), ('entry', 'trust-act', 4),
                ('not_covered', 'itin-taxes', 4);
        """)
    db.close()


def test_a_state_file_from_before_weekly_counts_is_read_without_changing_it(
    tmp_path: Path
) -> None:
    state = tmp_path / "bot-state.sqlite3"
    old_state_file(state)
    before = state.read_bytes()

    rows = csv_of(state)
    counts = {(r["week"], r["lang"], r["kind"], r["id"]): int(r["count"]) for r in rows}
    assert counts[("earlier", "", "not_covered", "itin-taxes")] == 4
    assert counts[("earlier", "en", "questions", "")] == 20
    assert counts[("earlier", "en", "did_you_mean", "")] == 3
    assert counts[("earlier", "", "answered", "ice-at-home")] == 15
    assert state.read_bytes() == before  # read-only: the bot may be running on it
    assert csv_of(state, "--weeks", "4") == []  # no week of those counts is known
    words = io.StringIO()
    assert usage_report(state, None, False, words, today=MONDAY) == 0
    text = words.getvalue()
    assert "Earlier (counted before weeks were kept" in text and "itin-taxes 4" in text
    assert "urgent" not in text and "no choice tapped" not in text  # not counted back then
    assert state.read_bytes() == before


def test_the_bot_migrates_an_old_state_file_once_and_keeps_counting(tmp_path: Path) -> None:
    state = tmp_path / "bot-state.sqlite3"
    old_state_file(state)
    store = StateStore.open(state)
    stats = Stats(today=lambda: MONDAY)
    stats.attach(store)
    assert stats.total == 27 and stats.top_not_covered() == [("itin-taxes", 4)]  # as before
    stats.record(MatchResult(entry_id=None, lang="es", score=5, decision="none",
                             not_covered="itin-taxes"))
    store.close()

    again = StateStore.open(state)  # opened again: migrated once, not twice
    weekly = again.weekly_counts()
    assert weekly[("earlier", "", "not_covered", "itin-taxes")] == 4
    assert weekly[("2026-W50", "es", "not_covered", "itin-taxes")] == 1
    assert again.counts()["not_covered"]["itin-taxes"] == 5
    assert read_weekly_counts(state) == weekly


def test_each_question_counts_as_the_reply_it_gets() -> None:
    stats = Stats(today=lambda: MONDAY)
    stats.record(MatchResult("a", "en", 90, "answer"))
    stats.record(MatchResult("a", "en", 40, "suggest", suggestions=("b", "c")))
    stats.record(MatchResult("a", "en", 40, "suggest", suggestions=("b",), urgent=True))
    stats.record(MatchResult(None, "es", 0, "none", understood=False))
    stats.record(MatchResult(None, "es", 9, "none"))
    stats.record_tap("b", "en")
    stats.record_reply(usage.THANKS, "es")
    week = "2026-W50"
    assert stats.weekly == Counter({
        (week, "en", "questions", ""): 3, (week, "en", "answered", "a"): 1,
        (week, "en", "did_you_mean", ""): 1,  # the urgent one got the right-now steps instead
        (week, "en", "offered", "a"): 1, (week, "en", "offered", "b"): 1,
        (week, "en", "offered", "c"): 1, (week, "en", "urgent", ""): 1,
        (week, "en", "tapped", "b"): 1,
        (week, "es", "questions", ""): 2, (week, "es", "not_understood", ""): 1,
        (week, "es", "not_covered", ""): 1, (week, "es", "thanks", ""): 1,
    })
    gaps = stats.gaps(stats.recent_weeks())
    assert gaps.weeks == ("2026-W49", "2026-W50") and gaps.tapped == Counter({"b": 1})


def test_an_old_keyboard_still_opens_entries_and_a_stale_choice_is_refused(
    assistant: Assistant
) -> None:
    assert assistant.act("e:school-ice-visit", "en") is not None  # sent before "d:" existed
    assert assistant.act("d:no-such-entry", "en") is None
    assert assistant.act("d:", "en") is None


def test_select_keeps_the_earlier_counts_only_without_a_week_limit() -> None:
    counts = from_legacy(Counter({("earlier", "", "entry", "x"): 2,
                                  ("2026-W50", "en", "answered", "x"): 1}))
    assert select(counts, None, MONDAY) == counts
    assert select(counts, 1, MONDAY) == Counter({("2026-W50", "en", "answered", "x"): 1})


def test_report_without_a_state_file_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--state", str(tmp_path / "none.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No state file" in err and "--state" in err
    (tmp_path / "garbage.sqlite3").write_bytes(b"not a database at all" * 100)
    assert main(["report", "--state", str(tmp_path / "garbage.sqlite3")]) == 2
    assert "cannot be read" in capsys.readouterr().err
