"""A hostile or broken content file is a content error at that file, never a traceback: the
bot then serves the last good copy, as for any other error."""

from __future__ import annotations

import io
import shutil
import stat
from pathlib import Path

import pytest

from bot.cli import validate_content
from bot.loading import check_content
from bot.loading.last_good import last_good_dir, start_content
from bot.loading.yaml_file import MAX_FILE_BYTES, YamlReader
from tests.conftest import FIXTURE_CONTENT

NESTED_1001 = "topic: " + "[" * 1001 + "]" * 1001 + "\n"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


def test_a_file_nested_1001_deep_is_one_error_at_the_file(content: Path) -> None:
    (content / "en" / "schools.yaml").write_text(NESTED_1001)
    out = io.StringIO()
    assert validate_content(content, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("en/schools.yaml:1: error: the file cannot be read")
    assert "nesting depth" in lines[0] and len(lines) <= 3, lines
    assert "Traceback" not in out.getvalue() and "Recursion" not in out.getvalue()


def test_deep_nesting_the_pure_python_parser_cannot_read_is_an_error_too(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML built without libyaml: its parser recurses, and RecursionError is no YAMLError."""
    import yaml

    monkeypatch.setattr("bot.loading.yaml_file.FAST_LOADER", yaml.SafeLoader)
    (content / "en" / "schools.yaml").write_text(NESTED_1001)
    _knowledge, problems = check_content(content)
    (problem,) = problems
    assert problem.file == "en/schools.yaml" and "nested too deeply" in problem.message


def test_a_file_past_the_size_limit_is_not_read(content: Path) -> None:
    big = content / "en" / "schools.yaml"
    big.write_text(big.read_text() + "#" * MAX_FILE_BYTES)
    _knowledge, problems = check_content(content)
    (problem,) = problems
    assert problem.file == "en/schools.yaml" and problem.root_cause
    assert "a content file may be at most 2.0 MB" in problem.message and problem.fix


def test_anything_raised_while_reading_is_a_problem_at_that_file(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever shape a rule did not expect (here: a rule that raises), it is reported at the
    file being read and at the line of the node, not as a traceback."""
    real_text = YamlReader.text

    def text(self: YamlReader, node: object, what: str) -> str | None:
        if self.name == "es/schools.yaml" and what == "the topic title":
            raise TypeError("unexpected")
        return real_text(self, node, what)  # type: ignore[arg-type]

    monkeypatch.setattr(YamlReader, "text", text)
    _knowledge, problems = check_content(content)
    (problem,) = problems
    assert problem.file == "es/schools.yaml" and problem.line > 0 and problem.root_cause
    assert "(TypeError)" in problem.message


def test_a_bot_restarted_on_a_hostile_file_serves_the_last_good_copy(
    content: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state" / "bot-state.sqlite3"
    state.parent.mkdir()
    start_content(content, state)
    (content / "en" / "schools.yaml").write_text(NESTED_1001)
    start = start_content(content, state)
    assert start.fallback and start.problems[0].file == "en/schools.yaml"
    assert "school-ice-visit" in start.knowledge.content("en").entries


def test_the_last_good_copy_is_readable_by_its_owner_only(content: Path, tmp_path: Path) -> None:
    state = tmp_path / "bot-state.sqlite3"
    start_content(content, state)
    copy = last_good_dir(state)
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [copy, *copy.rglob("*")]}
    assert all(mode == (0o700 if p.is_dir() else 0o600) for p, mode in modes.items()), modes
