"""The bot's state on disk: language choices and usage counts, in one SQLite file.

Why SQLite (standard library) rather than a pickle written in place: every change is one
atomic transaction in a write-ahead log, so a crash, a `kill -9` or a full disk in the middle of
a write costs at most that one write; the file itself stays readable. What is stored is small
and holds nothing about what anyone wrote:

- `languages`: user key (a keyed hash of the Telegram user id, see bot/telegram/privacy.py)
  -> the language the person chose with /language. /forget deletes the row.
- `legacy_languages`: the same, under the keys of older versions (keyed with a secret derived
  from the bot token). A row moves to `languages` the next time its person writes to the bot,
  and /forget deletes it there too; `meta` records that existing rows were moved aside once.
- `counters`: aggregate counts for /stats, e.g. ("decision", "es:answer") -> 412,
  ("entry", "ice-at-home") -> 37. Entry and topic ids come from the content, never from users.
- `weekly_counts`: the same kind of counts per ISO week and language, for `python -m bot report`
  (see bot/usage.py), e.g. ("2026-W50", "es", "not_covered", "taxes") -> 14. The week is the
  finest time stored. A file from before this table has it added once, with its all-time
  counters copied in under the week "earlier" (one transaction: all or nothing).

Losing the state must never stop the bot: a file that cannot be read is moved aside (one
WARNING line) and the bot starts with empty state. A state file left by an older version (PTB's
PicklePersistence) is migrated once: its language choices are copied and the pickle is deleted.

Forgetting is for real: `secure_delete` overwrites a deleted row with zeros, and after /forget
the write-ahead log is checkpointed and truncated, so no file of the bot still holds the key.
The file and its -wal/-shm files are readable by their owner only (bot/private_files.py).
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from bot.private_files import narrow, private_file
from bot.usage import EARLIER

log = logging.getLogger(__name__)

LEGACY_PICKLE_NAME = "bot-state.pickle"  # the default STATE_FILE before this store existed
SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMA = """
CREATE TABLE IF NOT EXISTS languages (user_key TEXT PRIMARY KEY, lang TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS legacy_languages (user_key TEXT PRIMARY KEY, lang TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
    kind TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
);
"""
WEEKLY_TABLE = "weekly_counts"
WEEKLY_SCHEMA = f"""
CREATE TABLE {WEEKLY_TABLE} (
    week TEXT NOT NULL, lang TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (week, lang, kind, key)
)
"""
WeeklyKey = tuple[str, str, str, str]  # (week, lang, kind, key)
# Waiting for a lock is for a second process opening the same file by mistake; one bot process
# never waits on itself.
BUSY_TIMEOUT_SECONDS = 2.0
# meta: the user keys of `languages` come from their own secret (USER_KEY_SECRET or the secret
# file), not from the bot token; rows written before that were moved to legacy_languages.
KEYS_META = ("user-keys", "own-secret")


class StateStore:
    """Language choices and counters; every write is its own transaction.

    Writes that fail (a full disk, a read-only file) are logged as one WARNING line and
    reported as False: the bot goes on answering, and what was stored before is intact.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.Lock()  # /reload loads content in a thread; keep access serial
        try:
            self._legacy_left = _set_keys_apart(connection)
        except sqlite3.Error as error:  # a full disk: the rows stay as they are until next time
            log.warning("state: could not set the old user keys apart (%s); tried again at the "
                        "next start", _reason(error))
            self._legacy_left = 0

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> StateStore:
        """The store at `path`: migrated from a pickle, or moved aside and fresh if unreadable."""
        legacy = _legacy_pickle(path)
        if legacy is not None:
            _migrate_pickle(legacy, path)
        remove_kept_pickles(path)
        try:
            return cls(path, _connect(path))
        except sqlite3.DatabaseError as error:
            if not path.is_file():  # nothing to move aside: the folder is not writable, ...
                return cls._in_memory_instead(path, error)
            aside = move_aside(path, "unreadable")
            log.warning("state file %s could not be read (%s); moved it to %s and started with "
                        "empty state", path, _reason(error), aside.name)
        try:
            return cls(path, _connect(path))
        except sqlite3.DatabaseError as error:
            return cls._in_memory_instead(path, error)

    @classmethod
    def _in_memory_instead(cls, path: Path, error: BaseException) -> StateStore:
        log.warning("state file %s cannot be created (%s); keeping state in memory only, so "
                    "language choices and counts will not survive a restart", path, _reason(error))
        return cls.in_memory()

    @classmethod
    def in_memory(cls) -> StateStore:
        """A store that lives as long as the process (tests, benchmarks, the console)."""
        return cls(Path(":memory:"), _connect(Path(":memory:")))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- language choices ----------------------------------------------------------------------
    def language(self, user_key: str, legacy_key: str | None = None) -> str | None:
        """The choice stored under `user_key`; else one stored by an older version under
        `legacy_key`, which then moves to `user_key` (the migration, one person at a time)."""
        with self._lock:
            row = self._db.execute(
                "SELECT lang FROM languages WHERE user_key = ?", (user_key,)
            ).fetchone()
            if row is not None or legacy_key is None or not self._legacy_left:
                return row[0] if row else None
            old = self._db.execute(
                "SELECT lang FROM legacy_languages WHERE user_key = ?", (legacy_key,)
            ).fetchone()
        if old is None:
            return None
        if self.set_language(user_key, old[0], legacy_key):
            with self._lock:
                self._legacy_left = max(0, self._legacy_left - 1)
        return str(old[0])

    def set_language(self, user_key: str, lang: str, legacy_key: str | None = None) -> bool:
        return self._write(
            "save a language choice",
            [("INSERT INTO languages (user_key, lang) VALUES (?, ?) "
              "ON CONFLICT (user_key) DO UPDATE SET lang = excluded.lang", (user_key, lang)),
             *self._legacy_deletes(legacy_key)],
        )

    def forget(self, user_key: str, legacy_key: str | None = None) -> bool:
        """Delete the choice under either key, and leave no copy of it in any file."""
        done = self._write(
            "forget a language choice",
            [("DELETE FROM languages WHERE user_key = ?", (user_key,)),
             *self._legacy_deletes(legacy_key)],
        )
        return done and self.checkpoint()

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and truncate it: with secure_delete on, a
        deleted row then exists nowhere on disk (the log held every version of its page)."""
        try:
            with self._lock:
                busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as error:
            log.warning("state: could not checkpoint the write-ahead log (%s)", _reason(error))
            return False
        if busy is not None and busy[0]:
            log.warning("state: the write-ahead log is in use; it is truncated at the next "
                        "checkpoint")
            return False
        return True

    def _legacy_deletes(self, legacy_key: str | None) -> list[tuple[str, tuple[str, ...]]]:
        if legacy_key is None:
            return []
        return [("DELETE FROM legacy_languages WHERE user_key = ?", (legacy_key,))]

    def legacy_count(self) -> int:
        """Choices still under the keys of an older version (they move as people come back)."""
        with self._lock:
            return int(self._db.execute(
                "SELECT COUNT(*) FROM legacy_languages").fetchone()[0])

    def language_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM languages").fetchone()[0])

    # -- counters ------------------------------------------------------------------------------
    def add_counts(self, increments: Iterable[tuple[str, str]],
                   weekly: Iterable[WeeklyKey] = ()) -> bool:
        """Add 1 to each (kind, key) counter and each (week, lang, kind, key) weekly count, all
        in one transaction."""
        statement = ("INSERT INTO counters (kind, key, count) VALUES (?, ?, 1) "
                     "ON CONFLICT (kind, key) DO UPDATE SET count = count + 1")
        per_week = (f"INSERT INTO {WEEKLY_TABLE} (week, lang, kind, key, count) "
                    "VALUES (?, ?, ?, ?, 1) "
                    "ON CONFLICT (week, lang, kind, key) DO UPDATE SET count = count + 1")
        return self._write("count a question", [
            *((statement, pair) for pair in increments),
            *((per_week, row) for row in weekly),
        ])

    def counts(self) -> dict[str, Counter[str]]:
        """{kind: Counter(key -> count)} for every counter kind."""
        result: dict[str, Counter[str]] = {}
        with self._lock:
            rows = self._db.execute("SELECT kind, key, count FROM counters").fetchall()
        for kind, key, count in rows:
            result.setdefault(kind, Counter())[key] = count
        return result

    def weekly_counts(self) -> Counter[WeeklyKey]:
        """Counter((week, lang, kind, key) -> count) of every weekly count."""
        with self._lock:
            return _weekly_rows(self._db)

    # -- writing -------------------------------------------------------------------------------
    def _write(self, what: str, statements: list[tuple[str, tuple[str, ...]]]) -> bool:
        if not statements:
            return True
        try:
            with self._lock, self._db:  # one transaction: all of it or none of it
                for sql, parameters in statements:
                    self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            log.warning("state: could not %s (%s); the bot goes on without it",
                        what, _reason(error))
            return False
        return True


def _connect(path: Path) -> sqlite3.Connection:
    """Open, switch to WAL and check the file; raises sqlite3.DatabaseError if unreadable.

    The file is created owner-only before SQLite opens it: SQLite gives its -wal and -shm files
    the main file's permissions. Files made by older versions are narrowed here."""
    if str(path) != ":memory:":
        try:
            private_file(path)
        except OSError as error:  # e.g. the folder is gone: SQLite says the same, below
            log.debug("state file %s not created beforehand: %s", path, error.strerror)
        for suffix in ("-wal", "-shm"):
            narrow(Path(f"{path}{suffix}"))
    db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    try:
        db.execute("PRAGMA secure_delete = ON")  # a deleted row is overwritten, not left behind
        # WAL: a writer never leaves the main file half-written; synchronous=NORMAL: a commit
        # survives the process dying (kill -9); only a power cut may lose the last commits.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        check = db.execute("PRAGMA quick_check").fetchone()
        if check is None or check[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {check[0] if check else '?'}")
        db.executescript(SCHEMA)
        db.execute("SELECT COUNT(*) FROM languages").fetchone()
        db.execute("SELECT COUNT(*) FROM counters").fetchone()
        _add_weekly_table(db)
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _set_keys_apart(db: sqlite3.Connection) -> int:
    """Once per file: move the rows written under token-derived user keys (every row of a file
    without the meta mark) to legacy_languages. How many legacy rows are left."""
    with db:
        marked = db.execute("SELECT value FROM meta WHERE name = ?", (KEYS_META[0],)).fetchone()
        if marked is None:
            db.execute("INSERT OR IGNORE INTO legacy_languages SELECT user_key, lang "
                       "FROM languages")
            db.execute("DELETE FROM languages")
            db.execute("INSERT INTO meta (name, value) VALUES (?, ?)", KEYS_META)
    return int(db.execute("SELECT COUNT(*) FROM legacy_languages").fetchone()[0])


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                      (name,)).fetchone() is not None


def _add_weekly_table(db: sqlite3.Connection) -> None:
    """Add the weekly counts to a file that has none, with its all-time counters copied in under
    the week "earlier", in one transaction: a crash leaves the old file as it was."""
    if _has_table(db, WEEKLY_TABLE):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(WEEKLY_SCHEMA)
        db.execute(f"INSERT INTO {WEEKLY_TABLE} (week, lang, kind, key, count) "
                   "SELECT ?, '', kind, key, count FROM counters", (EARLIER,))
    except sqlite3.Error:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _weekly_rows(db: sqlite3.Connection) -> Counter[WeeklyKey]:
    rows = db.execute(f"SELECT week, lang, kind, key, count FROM {WEEKLY_TABLE}").fetchall()
    return Counter({(week, lang, kind, key): count for week, lang, kind, key, count in rows})


def read_weekly_counts(path: Path) -> Counter[WeeklyKey]:
    """The weekly counts of a state file, read without changing it (the bot may be running):
    opened read-only, nothing migrated or moved aside. A file from before weekly counts gives
    its all-time counters under the week "earlier" (lang ''), as the bot would migrate them.
    Raises sqlite3.DatabaseError if the file is not a state file, OSError if it is missing."""
    if not path.is_file():
        raise FileNotFoundError(f"no state file at {path}")
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                         timeout=BUSY_TIMEOUT_SECONDS)
    try:
        if _has_table(db, WEEKLY_TABLE):
            return _weekly_rows(db)
        rows = db.execute("SELECT kind, key, count FROM counters").fetchall()
        return Counter({(EARLIER, "", kind, key): count for kind, key, count in rows})
    finally:
        db.close()


def _reason(error: BaseException) -> str:
    """The error in a few words: SQLite messages never contain stored values."""
    return f"{type(error).__name__}: {error}"[:160]


def move_aside(path: Path, label: str) -> Path:
    """Rename `path` (and SQLite's -wal/-shm files) out of the way; the new name."""
    aside = path.with_name(f"{path.name}.{label}-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{aside}{suffix}"))
    return aside


# -- migration from PTB's PicklePersistence ------------------------------------------------------
def _legacy_pickle(path: Path) -> Path | None:
    """The old pickle to migrate: STATE_FILE itself if it is one, else bot-state.pickle next to
    a state file that does not exist yet."""
    if _is_pickle(path):
        return path
    sibling = path.with_name(LEGACY_PICKLE_NAME)
    if not path.exists() and sibling != path and _is_pickle(sibling):
        return sibling
    return None


def _is_pickle(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(2)
    except OSError:
        return False
    return len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5  # pickle protocols 2-5


class _DataOnlyUnpickler(pickle.Unpickler):
    """Reads dicts, strings and numbers only: a state file must not be able to run code."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(f"refused to load {module}.{name}")

    def persistent_load(self, pid: object) -> object:
        raise pickle.UnpicklingError("refused a persistent reference")


def _read_legacy_languages(pickle_path: Path) -> dict[str, str]:
    data = _DataOnlyUnpickler(io.BytesIO(pickle_path.read_bytes())).load()
    bot_data = data.get("bot_data") if isinstance(data, dict) else None
    languages = bot_data.get("languages") if isinstance(bot_data, dict) else None
    if not isinstance(languages, dict):
        return {}
    return {k: v for k, v in languages.items() if isinstance(k, str) and isinstance(v, str)}


def _migrate_pickle(pickle_path: Path, path: Path) -> None:
    """Copy the pickle's language choices into a new SQLite file at `path`, once.

    The new file is built beside the target and renamed into place (atomic), so a crash during
    the migration leaves either the old pickle or the finished store, never half of one.
    """
    try:
        languages = _read_legacy_languages(pickle_path)
    except Exception as error:  # truncated, garbled, or not our data: nothing to migrate
        aside = move_aside(pickle_path, "unreadable")
        log.warning("old state file %s could not be read (%s); moved it to %s and started with "
                    "empty state", pickle_path, type(error).__name__, aside.name)
        return
    building = path.with_name(f"{path.name}.migrating")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    db = _connect(building)
    with db:  # the pickle's keys were derived from the bot token: legacy keys
        db.executemany("INSERT INTO legacy_languages (user_key, lang) VALUES (?, ?)",
                       languages.items())
    _set_keys_apart(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for leftover in (Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(building, path)  # when STATE_FILE was the pickle itself, this replaces it
    if pickle_path != path:
        pickle_path.unlink()  # it holds the keys: once they are in the store, it must go
    log.info("state migrated from %s: %d language choice(s); the old file is deleted",
             pickle_path.name, len(languages))


def remove_kept_pickles(path: Path) -> None:
    """Older versions kept the migrated pickle as `<name>.migrated`, keys and all, for good:
    delete it once the store it was migrated into exists."""
    if not path.is_file():
        return
    for kept in {path.with_name(f"{LEGACY_PICKLE_NAME}.migrated"),
                 path.with_name(f"{path.name}.migrated")}:
        if kept.is_file():
            kept.unlink()
            log.info("deleted %s, an old state file already migrated", kept.name)
