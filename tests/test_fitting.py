"""Models are fit once per content version, and scikit-learn never enters the bot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.fitting import cached_fit

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
