"""Button actions are encoded and decoded in one place (bot/actions.py)."""

from __future__ import annotations

import pytest

from bot import actions
from bot.actions import Action


@pytest.mark.parametrize("action", [
    Action("entry", "ice-at-home"), Action("entry", "ice-at-home", "es"), Action("topic", "ice"),
    Action("topics"), Action("language", "es"), Action("language-menu"), Action("contacts"),
    Action("need", "legal-help"), Action("more-help", "find-lawyer"), Action("sources", "x"),
])
def test_every_action_survives_a_round_trip(action: Action) -> None:
    assert Action.decode(action.encode()) == action


@pytest.mark.parametrize("data", ["", "zz", "T:extra", "e:", "e:a:b:c", "n:", "c:x", "e::es"])
def test_malformed_or_forged_data_decodes_to_nothing(data: str) -> None:
    assert Action.decode(data) is None


def test_the_short_codes_stay_what_old_keyboards_carry() -> None:
    """Keyboards already sent keep working after a deploy: the codes never change."""
    assert (actions.entry("a"), actions.entry("a", "es"), actions.topic("t")) == (
        "e:a", "e:a:es", "t:t")
    assert (actions.TOPICS, actions.LANGUAGE_MENU, actions.CONTACTS) == ("T", "L", "c")
    assert (actions.need("n"), actions.more_help("a"), actions.sources("a")) == (
        "n:n", "m:a", "s:a")
