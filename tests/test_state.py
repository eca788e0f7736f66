"""The state store (bot/state.py): crash-safe, never a reason not to start, nothing personal."""

from __future__ import annotations

import logging
import pickle
import sqlite3
import stat
from collections import Counter
from pathlib import Path

import pytest

from bot.matching import MatchResult
from bot.state import StateStore
from bot.stats import Stats


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_choices_and_counts_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = StateStore.open(path)
    assert store.set_language("k1", "es") and store.set_language("k2", "en")
    assert store.set_language("k1", "en")  # a new choice replaces the old one
    assert store.forget("k2")
    assert store.add_counts([("decision", "es:answer"), ("entry", "ice-at-home")])
    assert store.add_counts([("decision", "es:answer")])
    store.close()

    again = StateStore.open(path)
    assert again.language("k1") == "en" and again.language("k2") is None
    assert again.counts() == {"decision": Counter({"es:answer": 2}),
                              "entry": Counter({"ice-at-home": 1})}


def test_the_file_is_written_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    StateStore.open(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_write_is_on_disk_at_once(tmp_path: Path) -> None:
    """A kill -9 right after a write keeps it: another connection sees it without a close."""
    path = tmp_path / "state.sqlite3"
    store = StateStore.open(path)
    store.set_language("k1", "es")
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT lang FROM languages").fetchall() == [("es",)]
    store.close()


GARBAGE = {
    "garbled": b"this is not a database at all \x00\xff" * 40,
    "truncated": None,  # the first 1,000 bytes of a real state file
    "pickle-like header, garbled": b"\x80\x04garbage that does not unpickle",
}


@pytest.mark.parametrize("case", sorted(GARBAGE))
def test_an_unreadable_file_is_moved_aside_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    path = tmp_path / "state.sqlite3"
    content = GARBAGE[case]
    if content is None:
        store = StateStore.open(path)
        for n in range(2000):
            store.set_language(f"key{n}", "es")
        store.close()
        content = path.read_bytes()[:1000]
    path.write_bytes(content)
    caplog.set_level(logging.INFO)

    store = StateStore.open(path)

    assert store.language("key1") is None  # empty, working state
    assert store.set_language("k", "es") and store.language("k") == "es"
    (warning,) = warnings_of(caplog)
    assert "moved it to" in warning.getMessage() and not warning.exc_info
    kept = [p for p in tmp_path.iterdir() if ".unreadable-" in p.name]
    assert kept and kept[0].read_bytes() == content  # kept for a human to look at


def test_an_empty_file_is_an_empty_state(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"")
    store = StateStore.open(path)
    assert store.set_language("k", "es") and store.language("k") == "es"
    assert not warnings_of(caplog)


def ptb_pickle(languages: dict[str, str]) -> bytes:
    """What PTB's PicklePersistence wrote for this bot (bot_data only)."""
    return pickle.dumps({"user_data": {}, "chat_data": {}, "bot_data": {"languages": languages},
                         "callback_data": None, "conversations": {}})


def test_the_old_pickle_next_to_the_state_file_is_migrated_once_and_deleted(
    tmp_path: Path,
) -> None:
    """The pickle's keys were derived from the bot token: they are legacy keys, found through
    the key an older version would have used."""
    old = tmp_path / "bot-state.pickle"
    old.write_bytes(ptb_pickle({"a1b2": "es", "c3d4": "en"}))
    path = tmp_path / "bot-state.sqlite3"

    store = StateStore.open(path)
    assert store.language("new-a", legacy_key="a1b2") == "es"
    assert store.language("new-c", legacy_key="c3d4") == "en"
    store.forget("new-a", legacy_key="a1b2")
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot-state.sqlite3"]  # no pickle kept

    again = StateStore.open(path)  # not migrated a second time: the /forget holds
    assert again.language("new-a", legacy_key="a1b2") is None
    assert again.language("new-c", legacy_key="c3d4") == "en"


def test_a_state_file_that_is_a_pickle_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "state.pickle"  # STATE_FILE kept its old value
    path.write_bytes(ptb_pickle({"a1b2": "es"}))
    store = StateStore.open(path)
    assert store.language("new", legacy_key="a1b2") == "es"
    assert path.read_bytes().startswith(b"SQLite format 3")
    assert not (tmp_path / "state.pickle.migrated").exists()


def test_a_pickle_kept_by_an_older_version_is_deleted(tmp_path: Path) -> None:
    path = tmp_path / "bot-state.sqlite3"
    StateStore.open(path).close()
    kept = tmp_path / "bot-state.pickle.migrated"  # older versions kept it, keys and all
    kept.write_bytes(ptb_pickle({"a1b2": "es"}))
    StateStore.open(path).close()
    assert not kept.exists()


def test_choices_stored_under_old_keys_move_to_the_new_key_once(tmp_path: Path) -> None:
    """A file written by a version that derived user keys from the bot token: its rows are
    set apart at the first open, and each moves when its person is next looked up."""
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE languages (user_key TEXT PRIMARY KEY, lang TEXT NOT NULL)")
        db.executemany("INSERT INTO languages VALUES (?, ?)", [("old-1", "es"), ("old-2", "en")])
    store = StateStore.open(path)
    assert store.language("old-1") is None  # a legacy key is not a current one
    assert store.legacy_count() == 2
    assert store.language("new-1", legacy_key="old-1") == "es"
    assert store.language("new-1") == "es" and store.legacy_count() == 1
    store.close()

    again = StateStore.open(path)  # set apart once: the moved row stays under its new key
    assert again.language("new-1") == "es" and again.legacy_count() == 1
    assert again.set_language("new-2", "es", legacy_key="old-2")  # a new choice wins
    assert again.legacy_count() == 0 and again.language("new-2", legacy_key="old-2") == "es"


def file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def test_after_forget_no_file_holds_the_key(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = StateStore.open(path)
    key, legacy = "5f3a9c1e7b2d4a60", "9e8d7c6b5a4f3e2d"
    for n in range(50):  # neighbours on the same page
        store.set_language(f"other-key-{n:06}", "es")
    store.set_language(key, "es")
    store._db.execute("INSERT INTO legacy_languages VALUES (?, 'en')", (legacy,))
    store._db.commit()
    assert key.encode() in file_bytes(tmp_path) and legacy.encode() in file_bytes(tmp_path)

    assert store.forget(key, legacy_key=legacy)
    assert key.encode() not in file_bytes(tmp_path)  # not in the file, the -wal or the -shm
    assert legacy.encode() not in file_bytes(tmp_path)
    assert store.language("other-key-000049") == "es"
    store.close()
    assert key.encode() not in file_bytes(tmp_path)


def test_the_state_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.touch(mode=0o644)  # made by an older version with the default umask
    store = StateStore.open(path)
    store.set_language("k", "es")
    files = [p for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3")]
    assert {p.name for p in files} >= {"state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files), files
    store.close()


def test_a_pickle_that_would_run_code_is_not_loaded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot-state.pickle"
    path.write_bytes(pickle.dumps({"bot_data": {"languages": {"k": "es"}}, "x": Path("/")}))
    store = StateStore.open(tmp_path / "bot-state.sqlite3")
    assert store.language("new", legacy_key="k") is None
    (warning,) = warnings_of(caplog)
    assert "could not be read" in warning.getMessage()


def test_a_full_disk_costs_only_the_write_that_failed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """SQLite's max_page_count makes every write past it fail with SQLITE_FULL, the error a
    full disk gives."""
    path = tmp_path / "state.sqlite3"
    store = StateStore.open(path)
    store._db.execute("PRAGMA max_page_count = 8")
    saved = [n for n in range(500) if store.set_language(f"user-key-{n:04}", "es")]
    assert 0 < len(saved) < 500  # the disk "filled up" part way
    failures = warnings_of(caplog)
    assert failures and all("could not save a language choice" in r.getMessage()
                            and "full" in r.getMessage() and not r.exc_info for r in failures)
    assert store.forget(f"user-key-{saved[0]:04}")  # deleting still works, and frees room
    store.close()

    again = StateStore.open(path)  # everything written before is intact
    assert again.language(f"user-key-{saved[0]:04}") is None
    assert all(again.language(f"user-key-{n:04}") == "es" for n in saved[1:])
    assert again.language(f"user-key-{saved[-1] + 1:04}") is None


def test_stats_count_into_the_store_and_come_back(tmp_path: Path) -> None:
    store = StateStore.open(tmp_path / "state.sqlite3")
    stats = Stats()
    stats.attach(store)
    answer = MatchResult(entry_id="ice-at-home", lang="es", score=90, decision="answer")
    unknown = MatchResult(entry_id=None, lang="en", score=10, decision="none",
                          not_covered="taxes")
    stats.record(answer)
    stats.record(answer)
    stats.record(unknown)
    store.close()

    restored = Stats()
    restored.attach(StateStore.open(tmp_path / "state.sqlite3"))
    assert restored.total == 3
    assert restored.decisions == Counter({("es", "answer"): 2, ("en", "none"): 1})
    assert restored.top_entries() == [("ice-at-home", 2)]
    assert restored.top_not_covered() == [("taxes", 1)]


def test_a_state_file_that_cannot_be_created_means_state_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """E.g. a folder removed or made read-only after start-up checks; tests run as root, so a
    folder that does not exist stands in for one the bot may not write to."""
    store = StateStore.open(tmp_path / "gone" / "state.sqlite3")
    assert store.set_language("k", "es") and store.language("k") == "es"
    (warning,) = warnings_of(caplog)
    assert "in memory only" in warning.getMessage() and not warning.exc_info
