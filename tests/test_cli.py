"""The command line: `match` contract, console chat, `validate`, and the default command."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import paths
from bot.assistant import Assistant
from bot.cli import match_lines, validate_content

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    return Assistant.load(CONTENT, paths.locale_dir())


def run_bot(*args: str, stdin: str = "", env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "CONTENT_DIR"}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env={**clean, **(env or {})}, timeout=120, check=False,
    )


def test_match_writes_one_json_object_per_line_in_order(assistant: Assistant) -> None:
    lines = [
        "do I have to open the door to ICE",
        '{"q": "la migra esta en mi puerta", "lang": "en"}',
        "",
        "[1, 2, 3]",
        '{"q": 42}',
        '{"broken json',
        "👍",
    ]
    out = io.StringIO()
    assert match_lines(assistant, io.StringIO("\n".join(lines) + "\n"), out) == 0
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(results) == len(lines)
    for result in results:
        assert set(result) == {"id", "lang", "score", "decision", "suggestions"}
        assert result["decision"] in {"answer", "suggest", "none"}
        assert isinstance(result["score"], int) and 0 <= result["score"] <= 100
        assert isinstance(result["suggestions"], list)
    assert (results[0]["id"], results[0]["lang"]) == ("ice-at-home", "en")
    assert (results[1]["id"], results[1]["lang"]) == ("ice-at-home", "es")
    for blank in (results[2], results[4], results[6]):
        assert blank == {"id": None, "lang": "en", "score": 0, "decision": "none",
                         "suggestions": []}


def test_match_uses_the_hint_only_when_the_text_cannot_tell(assistant: Assistant) -> None:
    out = io.StringIO()
    match_lines(assistant, io.StringIO('{"q": "", "lang": "es-MX"}\n'), out)
    assert json.loads(out.getvalue())["lang"] == "es"


def test_match_command_from_the_shell() -> None:
    result = run_bot("match", stdin="what is a detainer\n\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["id"] == "detainer-what-is"
    assert second["decision"] == "none"


def test_piped_chat_answers_each_line_and_exits_zero() -> None:
    result = run_bot("chat", stdin="what is the trust act\n¿qué es un detainer?\n")
    assert result.returncode == 0, result.stderr
    assert "WHAT IS THE CONNECTICUT TRUST ACT?" in result.stdout
    assert "Quién puede ayudar" in result.stdout  # the Spanish answer has Spanish interface text


def test_without_a_token_the_default_command_is_the_console_chat() -> None:
    result = run_bot(stdin="trust act\n")
    assert result.returncode == 0, result.stderr
    assert "TRUST ACT" in result.stdout


def test_console_numbers_press_buttons() -> None:
    result = run_bot("chat", stdin="/topics\n1\n")
    assert result.returncode == 0, result.stderr
    assert "« Back to topics" in result.stdout


def test_validate_accepts_the_real_content() -> None:
    out = io.StringIO()
    assert validate_content(CONTENT, out, phrasings=False) == 0
    assert "content/: OK (en: " in out.getvalue().splitlines()[-1]


def test_validate_lists_the_words_that_mark_a_question_as_not_covered(content_copy: Path) -> None:
    """An organizer sees which words keep entries from answering, and a slip shows up there."""
    path = content_copy / "en" / "out-of-scope.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: divorce\n    phrasings:\n",
        "  - id: divorce\n    phrasings:\n      - zebra divorce\n      - zebra papers split\n"
        "      - my zebra left me\n",
    ), encoding="utf-8")
    out = io.StringIO()
    assert validate_content(content_copy, out, notes=True, phrasings=False) == 0
    (note,) = [line for line in out.getvalue().splitlines() if "zebra" in line]
    assert note.startswith("  [ ] ")  # in the checklist of en/out-of-scope.yaml
    assert "never answered with confidence" in note
    assert "divorce" in note and "zebra" in note


def test_validate_warns_about_an_out_of_scope_question_that_is_one_common_word(
    content_copy: Path,
) -> None:
    """"who do i call" read as only "call" would send every such question to "not covered"."""
    path = content_copy / "en" / "out-of-scope.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: divorce\n    phrasings:\n",
        "  - id: divorce\n    phrasings:\n      - who do i call\n",
    ), encoding="utf-8")
    out = io.StringIO()
    # a warning: the content still loads
    assert validate_content(content_copy, out, phrasings=False) == 0
    (warning,) = [line for line in out.getvalue().splitlines()
                  if line.startswith("en/out-of-scope.yaml:") and ": warning:" in line]
    assert "'who do i call' reads as a single word that entries also use" in warning


def test_validate_refuses_a_broken_edit_with_file_and_line(content_copy: Path) -> None:
    copy = content_copy
    path = copy / "en" / "schools.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: school-ice-visit",
                                                             "  - id: school-ice-visit\n  oops"))
    result = run_bot("validate", str(copy))
    assert result.returncode == 1
    assert result.stdout.startswith("en/schools.yaml:")  # the root cause first, relative
    assert "cannot be read" in result.stdout and "how to fix:" in result.stdout


def test_broken_content_stops_the_chat_with_a_clear_message(content_copy: Path) -> None:
    copy = content_copy
    (copy / "es" / "contacts.yaml").write_text("general: [\n", encoding="utf-8")
    result = run_bot("chat", stdin="hola\n", env={"CONTENT_DIR": str(copy)})
    assert result.returncode == 2
    assert "contacts.yaml" in result.stderr and "python -m bot validate" in result.stderr


# -- whatever bytes arrive, whoever reads ----------------------------------------------------------
BAD_BYTES = [
    b"do I have to open the door to ICE",
    b"la migra est\xe1 en mi puerta",  # Latin-1, not UTF-8
    b"\xff\xfe\x00broken \xc3",
    b"",
    b"what is a detainer\r",  # a CRLF file
    "¿qué es un detainer?".encode(),
]


def run_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN", "CONTENT_DIR"}}
    env |= {"PYTHONIOENCODING": "utf-8"}  # strict decoding, which used to crash on a bad byte
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin,
                          capture_output=True, cwd=ROOT, env=env, timeout=120, check=False)


def test_match_answers_every_line_whatever_its_bytes() -> None:
    result = run_bytes("match", stdin=b"\n".join(BAD_BYTES) + b"\n")
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    answers = [json.loads(line) for line in result.stdout.decode().split("\n") if line]
    assert len(answers) == len(BAD_BYTES)
    assert answers[0]["id"] == "ice-at-home" and answers[4]["id"] == "detainer-what-is"
    assert answers[1]["lang"] == "es"  # readable despite the one bad byte


def test_chat_answers_every_line_whatever_its_bytes() -> None:
    result = run_bytes("chat", stdin=b"\n".join(BAD_BYTES) + b"\n")
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    out = result.stdout.decode()
    # The lines after the bad bytes are answered too, the last one in Spanish.
    assert "WHAT IS AN ICE DETAINER" in out and "¿QUÉ ES UN DETAINER" in out


@pytest.mark.parametrize("command", ["match", "chat"])
def test_a_reader_that_stops_early_ends_the_command_quietly(
    command: str, tmp_path: Path
) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text("what is a detainer\n" * 3000, encoding="utf-8")
    errors = tmp_path / "errors.txt"
    result = subprocess.run(
        f'"{sys.executable}" -m bot {command} < "{questions}" 2> "{errors}" | head -n 1',
        shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"},
    )
    assert result.stdout.count("\n") == 1
    assert errors.read_text() == ""  # no BrokenPipeError traceback


def test_validate_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    errors = tmp_path / "errors.txt"
    result = subprocess.run(
        f'"{sys.executable}" -m bot validate --notes --collisions 2> "{errors}" | head -n 1',
        shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert result.stdout.count("\n") == 1
    assert errors.read_text() == ""  # no BrokenPipeError traceback
