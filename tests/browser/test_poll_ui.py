"""A "predict before the reveal" poll in a real browser (docs/instructor.md): the instructor opens a question
on the dashboard, two students answer on their phones (360 px, in Japanese), the projector (1280x720, in
Japanese) shows how many answered and not the split, and once the round is over the predictions beside
what happened and what theory expected. Screenshots of the phone and of both projector states."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, LiveServer, join, log_in

pytestmark = pytest.mark.browser

LIVE_MS = 30_000
PROJECTOR = {"width": 1280, "height": 720}


def play_until_the_result(students: list[Page]) -> None:
    """Each student plays the first action offered until both see the round's result."""
    for _ in range(120):
        if all(s.locator("#play-result").is_visible() for s in students):
            return
        for student in students:
            button = student.locator("#play-actions [data-action]").first
            if button.is_visible() and button.is_enabled():
                button.click()
        students[0].wait_for_timeout(500)
    raise AssertionError("the round did not finish")


def test_a_poll_from_opening_to_the_reveal(
    new_page: Callable[..., Page],
    crisis_server: LiveServer,
    instructor: tuple[str, str],
    screenshot_dir: Path,
) -> None:
    crisis_server.create_class("POLL18", "--rounds", "1")
    dashboard = new_page(LAPTOP)
    log_in(dashboard, instructor, "/instructor/classes/POLL18/")
    students = [join(new_page(PHONE, locale="ja-JP"), "POLL18", name) for name in ("Aiko", "Ben")]
    expect(dashboard.locator("[data-people] [data-participant]")).to_have_count(2, timeout=LIVE_MS)
    open_button = dashboard.locator('[data-control="poll-open"]')
    expect(open_button).to_be_disabled()  # no round yet
    dashboard.click('[data-control="start"]')
    dashboard.wait_for_url("**/instructor/classes/POLL18/")
    expect(open_button).to_be_enabled(timeout=LIVE_MS)
    expect(dashboard.locator('[data-control="poll-close"]')).to_be_disabled()
    dashboard.select_option("[data-poll-question]", "challenge_allied")
    open_button.click()
    dashboard.wait_for_url("**/instructor/classes/POLL18/")
    expect(dashboard.locator('[data-polls] [data-question="challenge_allied"]')).to_have_attribute(
        "data-status", "open"
    )

    projector = new_page(PROJECTOR, locale="ja-JP")
    log_in(projector, instructor, "/instructor/classes/POLL18/projector/")

    for student, answer in zip(students, ("yes", "no"), strict=True):
        card = student.locator("#play-poll")
        expect(card).to_be_visible(timeout=LIVE_MS)
        expect(card.locator("#poll-title")).to_have_text("挑戦国は、米国と同盟を結んだ日本に挑戦するか？")
        student.click(f'[data-poll-answer="{answer}"]')
        expect(student.locator(f'[data-poll-answer="{answer}"]')).to_have_attribute(
            "aria-pressed", "true", timeout=LIVE_MS
        )
    students[1].click('[data-poll-answer="yes"]')  # changes the answer while the poll is open
    expect(students[1].locator('[data-poll-answer="yes"]')).to_have_attribute("aria-pressed", "true")
    expect(students[1].locator('[data-poll-answer="no"]')).to_have_attribute("aria-pressed", "false")
    expect(students[0].locator("#poll-yours")).to_have_text("あなたの予想：はい")
    students[0].screenshot(path=str(screenshot_dir / "poll-phone-ja-360.png"), full_page=True)

    item = projector.locator('[data-poll-box] [data-question="challenge_allied"]')
    expect(item).to_have_attribute("data-answers", "2", timeout=LIVE_MS)
    expect(item).to_have_attribute("data-revealed", "false")
    expect(item.locator("[data-poll-count]")).to_have_text("回答 2 人")
    expect(item.locator("[data-poll-row]")).to_have_count(0)  # no split before the result
    projector.screenshot(path=str(screenshot_dir / "poll-projector-open-ja-1280x720.png"))
    expect(dashboard.locator('[data-polls] [data-question="challenge_allied"]')).to_have_attribute(
        "data-answers", "2", timeout=LIVE_MS
    )
    expect(dashboard.locator("[data-polls] [data-tally]")).to_contain_text("2 yes · 0 no")

    play_until_the_result(students)
    for student in students:
        expect(student.locator("#play-poll")).to_be_hidden(timeout=LIVE_MS)  # predictions come before results
    expect(item).to_have_attribute("data-revealed", "true", timeout=LIVE_MS)
    rows = item.locator("[data-poll-row]")
    expect(rows).to_have_count(3)
    expect(item.locator('[data-poll-row="predicted"]')).to_have_attribute("data-share", "1")
    expect(item.locator('[data-poll-row="predicted"]')).to_contain_text("はい 2 · いいえ 0")
    theory = item.locator('[data-poll-row="theory"]').get_attribute("data-share")
    assert theory is not None and 0 <= float(theory) <= 1
    expect(item.locator('[data-poll-row="happened"]')).to_contain_text("挑戦国")
    projector.screenshot(path=str(screenshot_dir / "poll-projector-reveal-ja-1280x720.png"))
