"""Models are fit once per content version, and scikit-learn never enters the bot."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.fitting import cached_fit
from bot.loading import load_knowledge
from bot.matching import Matcher
from tests.conftest import FIXTURE_CONTENT

CALLS: list[dict[str, Any]] = []


def double(job: dict[str, Any]) -> dict[str, Any]:
    CALLS.append(job)
    return {"twice": [2 * x for x in job["numbers"]]}


def test_a_fit_is_cached_by_what_it_depends_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KYR_CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(sys.modules, "sklearn", sys.modules.get("sklearn") or object())  # in place
    CALLS.clear()
    assert cached_fit("test", double, {"numbers": [1, 2]}) == {"twice": [2, 4]}
    assert cached_fit("test", double, {"numbers": [1, 2]}) == {"twice": [2, 4]}
    assert len(CALLS) == 1  # the second came from the cache
    assert cached_fit("test", double, {"numbers": [3]}) == {"twice": [6]}  # other data: refit
    assert len(CALLS) == 2


def test_the_cache_is_readable_by_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("KYR_CACHE_DIR", str(cache))
    monkeypatch.setitem(sys.modules, "sklearn", sys.modules.get("sklearn") or object())
    cached_fit("test", double, {"numbers": [5]})
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in cache.iterdir())


def test_the_bot_answers_without_importing_scikit_learn(tmp_path: Path) -> None:
    """The urgency classifier is fit in a child process; the bot keeps plain weights."""
    script = (
        "import sys; from pathlib import Path; from bot import paths; "
        "from bot.assistant import Assistant; "
        "a = Assistant.load(paths.content_dir(), paths.locale_dir()); "
        "assert a.urgency.learned is not None; "
        "print(a.urgency.is_urgent('rodearon la casa son como seis agentes'), "
        "'sklearn' in sys.modules, 'scipy' in sys.modules)"
    )
    env = {"KYR_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # a cold start (fit in a child), then a warm one (cached)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**env, "HOME": str(tmp_path)}, cwd=Path(__file__).parents[1])
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["True", "False", "False"]
    assert list(tmp_path.glob("urgency-*.json"))


def test_a_warm_start_reads_the_common_words_without_wordfreq(tmp_path: Path) -> None:
    """wordfreq's lists cost start-up a third of a second: the folded list is read once, then
    from the cache, and the same words come back."""
    script = (
        "import sys; from bot.matching.common_words import common_words; "
        "words = common_words('es'); "
        "print(len(words), 'escuela' in words, 'wordfreq' in sys.modules)"
    )
    env = {"KYR_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                       cwd=Path(__file__).parents[1], check=True).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][1:] == ["True", "True"]  # cold: read from wordfreq
    assert runs[1] == [runs[0][0], "True", "False"]  # warm: the same words, from the cache


def test_stems_are_kept_for_the_next_start_but_never_a_message_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snowball is half of the index's build time, so the stems of the content's words are kept
    on disk; the words of a message are not written anywhere."""
    monkeypatch.setenv("KYR_CACHE_DIR", str(tmp_path))
    matcher = Matcher(load_knowledge(FIXTURE_CONTENT))
    matcher.match("my neighbour zyxwarbling was questioned by agents")
    Matcher(load_knowledge(FIXTURE_CONTENT))  # a restart: reads the table, writes nothing new
    tables = {p.name.rsplit("-", 1)[0]: p.read_text(encoding="utf-8")
              for p in tmp_path.glob("stems-*.json")}
    # one per Snowball algorithm
    assert sorted(tables) == ["stems-english", "stems-portuguese", "stems-spanish"]
    assert '"school"' in tables["stems-english"]
    assert all("zyxwarbl" not in text for text in tables.values())
