"""Fit a small model once per content version, outside the bot's process.

scikit-learn and scipy are the standard tools to fit a linear model, but importing them costs a
long-running bot about 100 MB for good. So a fit runs in a child process (`python -c ...`), its
result (plain weights, as JSON) is cached on disk keyed by a hash of everything it depends on,
and the bot reads it back with the standard library alone: a restart on the same content fits
nothing. A process that has imported scikit-learn already (a benchmark, a cross-validation)
fits in place: there is nothing left to keep out.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.private_files import private_dir

log = logging.getLogger(__name__)

CACHE_KEEP = 8  # results of this many content versions stay on disk, per kind of model


def cache_dir() -> Path:
    """Where fitted weights are kept: $KYR_CACHE_DIR, else ~/.cache/kyr-bot."""
    configured = os.environ.get("KYR_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "kyr-bot"


def cached_fit(name: str, fitter: Callable[[dict[str, Any]], dict[str, Any]],
               job: dict[str, Any]) -> dict[str, Any]:
    """`fitter(job)`'s result: from the cache, else fit (in a child process unless scikit-learn
    is already here) and cached. `fitter` is a module-level function; its result is JSON."""
    return _cached(name, fitter, job, in_child="sklearn" not in sys.modules)


def cached(name: str, compute: Callable[[dict[str, Any]], Any], job: dict[str, Any]) -> Any:
    """`compute(job)`'s JSON result, computed here the first time and read from the cache
    after: for work that costs start-up time but no lasting memory (common word lists)."""
    return _cached(name, compute, job, in_child=False)


def _cached(name: str, compute: Callable[[dict[str, Any]], Any], job: dict[str, Any],
            in_child: bool) -> Any:
    key = hashlib.sha256(
        json.dumps([name, compute.__module__, compute.__qualname__, job], sort_keys=True).encode()
    ).hexdigest()[:32]
    path = cache_dir() / f"{name}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    if not in_child:
        result = compute(job)
    else:
        request = json.dumps({"fitter": [compute.__module__, compute.__qualname__], "job": job})
        package_root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, (package_root, os.environ.get("PYTHONPATH"))))}
        done = subprocess.run(
            [sys.executable, "-c", "from bot.fitting import fit_job; fit_job()"],
            input=request, capture_output=True, text=True, check=True, env=env,
        )
        result = json.loads(done.stdout)
    save_json(path, result)
    return result


def save_json(path: Path, result: Any) -> None:
    """Write atomically, owner-only; a read-only disk costs only the next start its fitting
    time."""
    try:
        private_dir(path.parent)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.partial")
        partial.touch(mode=0o600)
        partial.write_text(json.dumps(result), encoding="utf-8")
        partial.replace(path)
        kind = path.name.rsplit("-", 1)[0]
        older = sorted(path.parent.glob(f"{kind}-*.json"), key=lambda f: f.stat().st_mtime)
        for stale in older[:-CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    except OSError as error:
        log.warning("fitted weights not cached (%s): %s", path.parent, error.strerror)


def fit_job() -> None:
    """In the child process: run the fitter named on stdin, print its result as JSON."""
    request = json.loads(sys.stdin.read())
    module, name = request["fitter"]
    fitter = getattr(importlib.import_module(module), name)
    sys.stdout.write(json.dumps(fitter(request["job"])))
