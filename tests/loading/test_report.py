"""What `validate` prints: quiet by default, everything one flag away."""

from __future__ import annotations

from bot.loading.problems import Problem
from bot.loading.report import report_lines

COLLISIONS = [
    Problem("en/ice.yaml", 10 + i, f"'phrasing {i}' would be answered with entry 'x'", "warning",
            fix="reword it", kind="collision")
    for i in range(30)
]
TYPO = Problem("en/ice.yaml", 3, "unknown field 'phrasing'", "warning")


def test_collisions_are_one_line_unless_asked_for() -> None:
    quiet = report_lines("content/", None, [*COLLISIONS, TYPO])
    assert quiet[0].startswith("en/ice.yaml:3: warning: unknown field")  # still listed
    assert "30 phrasings would be answered with another entry" in quiet[1]
    assert "--collisions" in quiet[1]
    assert len(quiet) == 3  # the typo, the count, the summary
    listed = report_lines("content/", None, [*COLLISIONS, TYPO], collisions=True)
    assert sum("would be answered" in line for line in listed) == 30
    assert sum("how to fix" in line for line in listed) == 1  # the same advice once

