"""urgency-examples.yaml: read like the rest of the content, mistakes named at their line."""

from __future__ import annotations

from pathlib import Path

from bot.loading import check_content


def test_the_examples_are_loaded_for_the_urgency_classifier(content_copy: Path) -> None:
    knowledge, _ = check_content(content_copy)
    assert knowledge is not None
    for lang in ("en", "es"):
        examples = knowledge.content(lang).urgency_examples
        assert len(examples.happening) >= 50 and len(examples.calm) >= 50


def test_a_message_in_both_lists_is_refused_at_its_line(content_copy: Path) -> None:
    path = content_copy / "es" / "urgency-examples.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    first_happening = lines[lines.index("happening:") + 1][2:]
    lines.append(f"- {first_happening}")  # the same message, now also under calm:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    knowledge, problems = check_content(content_copy)
    assert knowledge is None
    (problem,) = [p for p in problems if p.severity == "error"]
    assert problem.file.endswith("urgency-examples.yaml") and problem.line == len(lines)
    assert "happening too" in problem.message
