"""What `python -m bot validate` costs and prints on the real content.

    python benchmarks/validate.py

Prints the number of lines `validate` prints (the target for today's content: 15 or fewer), the
time of the whole run and of the leave-one-out pass over the phrasings (target: 10 s or less),
the number of folds (fixed: bot/loading/phrasings.py FOLDS), and what it found.
"""

from __future__ import annotations

import io
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli import validate_content  # noqa: E402
from bot.loading import inspect_content  # noqa: E402
from bot.loading.phrasings import FOLDS, collisions  # noqa: E402
from bot.matching import Matcher  # noqa: E402


def main() -> int:
    content = ROOT / "content"
    out = io.StringIO()
    started = time.perf_counter()
    code = validate_content(content, out)
    total = time.perf_counter() - started
    lines = out.getvalue().splitlines()
    print(f"validate: exit {code}, {len(lines)} lines, {total:.1f} s")
    print(f"  {lines[-1]}")
    inspection = inspect_content(content)
    assert inspection.knowledge is not None
    started = time.perf_counter()
    Matcher(inspection.knowledge)
    build = time.perf_counter() - started
    started = time.perf_counter()
    found = collisions(inspection.knowledge, inspection.places)
    seconds = time.perf_counter() - started
    kinds = Counter(
        ("answered with another entry" if "would be answered with entry" in p.message
         and p.severity == "warning" else
         "called not covered" if "not covered" in p.message else
         "out-of-scope answered with an entry (note)" if p.severity == "note"
         and "out-of-scope question" in p.message else "only did-you-mean (note)")
        for p in found
    )
    print(f"leave-one-out pass: {FOLDS} folds (one matcher build {build:.2f} s), {seconds:.1f} s")
    for kind, count in kinds.most_common():
        print(f"  {count:4} {kind}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
