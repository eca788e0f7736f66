"""An edit with an error cannot take the bot down: it starts on the last content that passed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.loading import ContentError
from bot.loading.last_good import last_good_dir, start_content
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


def break_it(content: Path) -> None:
    path = content / "en" / "schools.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: school-ice-visit",
                                                             "  - id: school-ice-visit\n oops"))


def test_content_that_passes_is_served_and_kept_next_to_the_state(content: Path, tmp_path: Path
                                                                   ) -> None:
    state = tmp_path / "state" / "bot-state.sqlite3"
    state.parent.mkdir()
    start = start_content(content, state)
    assert not start.fallback
    copy = last_good_dir(state)
    assert copy == tmp_path / "state" / "last-good-content"
    assert (copy / "en" / "schools.yaml").read_text() == (content / "en" / "schools.yaml"
                                                          ).read_text()


def test_content_with_errors_serves_the_last_good_copy_with_its_errors(content: Path,
                                                                       tmp_path: Path) -> None:
    state = tmp_path / "bot-state.sqlite3"
    start_content(content, state)
    break_it(content)
    start = start_content(content, state)
    assert start.fallback and start.saved_at is not None
    assert start.problems[0].file == "en/schools.yaml" and start.problems[0].severity == "error"
    assert "school-ice-visit" in start.knowledge.content("en").entries
    # the broken edit never replaces the good copy
    assert "oops" not in (last_good_dir(state) / "en" / "schools.yaml").read_text()


def test_the_bot_refuses_to_start_only_if_no_content_ever_passed(content: Path, tmp_path: Path
                                                                 ) -> None:
    break_it(content)
    with pytest.raises(ContentError) as raised:
        start_content(content, tmp_path / "bot-state.sqlite3")
    assert raised.value.problems[0].file == "en/schools.yaml"
    assert not last_good_dir(tmp_path / "bot-state.sqlite3").exists()


def test_a_fixed_edit_becomes_the_new_last_good_copy(content: Path, tmp_path: Path) -> None:
    state = tmp_path / "bot-state.sqlite3"
    start_content(content, state)
    path = content / "es" / "ice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("FIXTURE-PUERTA", "NUEVO"))
    start_content(content, state)
    assert "NUEVO" in (last_good_dir(state) / "es" / "ice.yaml").read_text()
    assert not list(tmp_path.glob("last-good-content.*"))  # no half-made copies left behind
