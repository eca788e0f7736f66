"""Settings from the environment, start-up failures, and webhook mode."""

from __future__ import annotations

import logging
import os
import signal
import stat
from pathlib import Path

import pytest

from bot import cli
from bot.telegram import app as telegram_app
from bot.telegram.app import file_url, polling_options
from bot.telegram.config import ConfigError, load_settings
from bot.telegram.webhook import secret_of
from tests.conftest import FIXTURE_CONTENT, TOKEN, bot_process, stop
from tests.fake_telegram import FakeTelegram

GOOD = {"TELEGRAM_BOT_TOKEN": TOKEN, "CONTENT_DIR": str(FIXTURE_CONTENT)}


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a checkout without an old state file in it
    settings = load_settings(GOOD)
    assert settings.token == TOKEN and settings.port == 8080 and settings.admin_ids == frozenset()
    assert settings.webhook_url is None and settings.api_base_url is None
    assert settings.log_level == "INFO" and settings.user_key_secret is None
    assert settings.content_dir == FIXTURE_CONTENT
    # The user's state folder (conftest points XDG_STATE_HOME into the test's folder), created
    # owner-only; never the current folder, which is often the repository.
    folder = tmp_path / "xdg-state" / "kyr-bot"
    assert settings.state_file == folder / "bot-state.sqlite3"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_state_file_at_the_old_default_is_kept_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bot-state.sqlite3").touch()
    assert load_settings(GOOD).state_file == Path("bot-state.sqlite3")
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "old default" in warning.getMessage() and "STATE_FILE" in warning.getMessage()


@pytest.mark.parametrize("value", ["4242,²", "²", "٤٢", "4242,٣"])
def test_admin_ids_are_ascii_digits(value: str) -> None:
    """str.isdigit() accepts '²' (then int() raises) and Arabic-Indic digits (int() reads them)."""
    with pytest.raises(ConfigError) as excinfo:
        load_settings({**GOOD, "BOT_ADMIN_IDS": value})
    assert str(excinfo.value) == f"BOT_ADMIN_IDS must be comma-separated numbers, got {value!r}"


@pytest.mark.parametrize("value", ["²", "٨٠٨٠", "８０８０"])
def test_the_port_is_ascii_digits(value: str) -> None:
    with pytest.raises(ConfigError) as excinfo:
        load_settings({**GOOD, "PORT": value})
    assert str(excinfo.value) == f"PORT must be a number from 1 to 65535, got {value!r}"


def test_an_admin_list_without_ids_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    assert load_settings({**GOOD, "BOT_ADMIN_IDS": " , ,"}).admin_ids == frozenset()
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "BOT_ADMIN_IDS" in warning.getMessage() and "nobody" in warning.getMessage()


def test_a_short_user_key_secret_is_refused() -> None:
    with pytest.raises(ConfigError) as excinfo:
        load_settings({**GOOD, "USER_KEY_SECRET": "too-short"})
    assert str(excinfo.value).startswith("USER_KEY_SECRET must be at least 32 characters")
    assert "too-short" not in str(excinfo.value)  # a secret is never echoed


def test_every_setting(tmp_path: Path) -> None:
    settings = load_settings({
        **GOOD,
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
        "WEBHOOK_URL": "https://kyr.example.org/telegram/hook",
        "WEBHOOK_SECRET": "s3cret_-token",
        "PORT": "8443",
        "BOT_ADMIN_IDS": " 12, 345 ,",
        "LOG_LEVEL": "debug",
        "STATE_FILE": str(tmp_path / "state.sqlite3"),
        "USER_KEY_SECRET": "k" * 64,
    })
    assert settings.admin_ids == frozenset({12, 345}) and settings.port == 8443
    assert settings.user_key_secret == "k" * 64
    assert settings.log_level == "DEBUG" and settings.webhook_path == "telegram/hook"
    assert settings.webhook_url == "https://kyr.example.org/telegram/hook"
    assert secret_of(settings) == "s3cret_-token"
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_polling_options() -> None:
    options = polling_options()
    assert options["bootstrap_retries"] > 0
    assert "edited_message" not in options["allowed_updates"]


@pytest.mark.parametrize(("env", "message"), [
    ({}, "TELEGRAM_BOT_TOKEN is not set (get a token from @BotFather)"),
    ({"TELEGRAM_BOT_TOKEN": "  "}, "TELEGRAM_BOT_TOKEN is not set (get a token from @BotFather)"),
    ({"BOT_ADMIN_IDS": "abc"}, "BOT_ADMIN_IDS must be comma-separated numbers, got 'abc'"),
    ({"BOT_ADMIN_IDS": "12;34"}, "BOT_ADMIN_IDS must be comma-separated numbers, got '12;34'"),
    ({"PORT": "80a"}, "PORT must be a number from 1 to 65535, got '80a'"),
    ({"PORT": "70000"}, "PORT must be a number from 1 to 65535, got '70000'"),
    ({"WEBHOOK_URL": "kyr.example.org"}, "WEBHOOK_URL must be a web address starting with"),
    ({"TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL must be a web address"),
    ({"WEBHOOK_SECRET": "has spaces"}, "WEBHOOK_SECRET must be 1-256 characters"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ({"CONTENT_DIR": "/no/such/folder"}, "CONTENT_DIR must be a folder with the content"),
    ({"STATE_FILE": "/no/such/folder/state.pickle"}, "STATE_FILE must be in an existing folder"),
])
def test_bad_settings_name_the_setting(env: dict[str, str], message: str) -> None:
    base = {} if not env else GOOD
    with pytest.raises(ConfigError) as excinfo:
        load_settings({**base, **env})
    assert str(excinfo.value).startswith(message)
    assert "\n" not in str(excinfo.value)


def test_malformed_token_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as excinfo:
        load_settings({**GOOD, "TELEGRAM_BOT_TOKEN": "12345:AAH secret"})
    assert "TELEGRAM_BOT_TOKEN" in str(excinfo.value) and "secret" not in str(excinfo.value)


@pytest.mark.parametrize(("env", "named"), [
    ({"TELEGRAM_BOT_TOKEN": ""}, "TELEGRAM_BOT_TOKEN"),
    ({"BOT_ADMIN_IDS": "abc"}, "BOT_ADMIN_IDS"),
    ({"BOT_ADMIN_IDS": "4242,²"}, "BOT_ADMIN_IDS"),
    ({"PORT": "eighty"}, "PORT"),
    ({"PORT": "²"}, "PORT"),
])
def test_run_bot_stops_with_one_line_and_exit_code_2(
    env: dict[str, str], named: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "BOT_ADMIN_IDS", "PORT", "WEBHOOK_URL", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**GOOD, **env}.items():
        monkeypatch.setenv(name, value)
    assert telegram_app.run_bot() == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith(named)
    assert "Traceback" not in err


def test_cli_run_with_a_bad_log_level(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("LOG_LEVEL must be one of")


def test_run_bot_refuses_broken_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "topic.yaml").write_text("topic: [unclosed\n")
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # run_bot sets it; restored after the test
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))
    monkeypatch.setenv("STATE_FILE", str(tmp_path / "state.sqlite3"))  # no last good copy here
    monkeypatch.delenv("WEBHOOK_URL", raising=False)
    assert telegram_app.run_bot() == 2
    err = capsys.readouterr().err
    assert "topic.yaml:" in err and "Traceback" not in err
    assert err.rstrip().endswith("run `python -m bot validate` for details.")


async def test_python_m_bot_run_polls_answers_and_stops_cleanly(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    env = {
        **os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": tg.base_url,
        "CONTENT_DIR": str(FIXTURE_CONTENT), "STATE_FILE": str(tmp_path / "state.sqlite3"),
        "LOG_LEVEL": "DEBUG",
    }
    env.pop("WEBHOOK_URL", None)
    async with bot_process(env) as process:
        await tg.wait_for("getUpdates", timeout=30)
        tg.send_text("can ice go into my kids school", user_id=918_273)
        tg.send_text("Capybara-2718, my name and address", user_id=918_273)
        calls = await tg.wait_for("sendMessage", timeout=10, count=2)
        assert any("FIXTURE-SCHOOL-ICE" in c.params["text"] for c in calls)
        code, log = await stop(process, signal.SIGINT, 15)
    assert code == 0, log
    assert "starting: long polling" in log and "question lang=en decision=answer" in log
    for secret in ("Capybara", "918273", TOKEN.split(":")[1]):
        assert secret not in log
    assert (tmp_path / "state.sqlite3").exists()
