"""Started on content with errors, the bot serves the last good copy and tells the admins."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.assistant import Assistant
from bot.loading.last_good import last_good_dir, start_content
from bot.telegram.app import build_application
from bot.telegram.start_notice import then_tell_admins
from tests.conftest import ADMIN_ID, FIXTURE_CONTENT, Launch, Person, make_settings, running
from tests.fake_telegram import FakeTelegram


def copy_of_fixture(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return content


async def test_admins_are_told_and_people_get_the_last_good_content(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    content = copy_of_fixture(tmp_path)
    settings = make_settings(tg, tmp_path, content_dir=content)
    start_content(content, settings.state_file)  # an earlier start, on good content
    path = content / "en" / "schools.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "FIXTURE-ENROLL.", "BROKEN-EDIT.").replace("    question: Can my child",
                                                   "   question: Can my child"))
    start = start_content(content, settings.state_file)  # as run_bot does at the redeploy
    assert start.fallback
    app = build_application(settings, Assistant(start.knowledge, settings.locale_dir))
    app.post_init = then_tell_admins(app.post_init, start)
    async with running(app):
        notices = [c for c in tg.calls_to("sendMessage") if c.params["chat_id"] == ADMIN_ID]
        (notice,) = notices
        text = notice.params["text"]
        assert "<b>Content has errors</b>" in text
        assert "serving the last content that passed the checks" in text
        assert "en/schools.yaml:" in text and "python -m bot validate" in text
        person = Person(tg, user_id=1001)
        answer = await person.ask("/start school-enrollment")
        assert "FIXTURE-ENROLL." in answer and "BROKEN-EDIT." not in answer


async def test_nobody_is_told_when_the_content_passes(tg: FakeTelegram, tmp_path: Path) -> None:
    settings = make_settings(tg, tmp_path)
    start = start_content(settings.content_dir, settings.state_file)
    app = build_application(settings, Assistant(start.knowledge, settings.locale_dir))
    app.post_init = then_tell_admins(app.post_init, start)
    async with running(app):
        assert not tg.calls_to("sendMessage")


async def test_reload_of_valid_content_becomes_the_last_good_copy(
    tg: FakeTelegram, launch: Launch, tmp_path: Path
) -> None:
    content = copy_of_fixture(tmp_path)
    app = await launch(content_dir=content)
    path = content / "es" / "ice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("FIXTURE-PUERTA", "NUEVO"))
    reply = await Person(tg, user_id=ADMIN_ID).ask("/reload")
    assert "Content reloaded" in reply
    copy = last_good_dir(app.runtime.settings.state_file)
    assert "NUEVO" in (copy / "es" / "ice.yaml").read_text()
