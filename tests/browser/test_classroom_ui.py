"""A lecture hall in a real browser (Debian's Chromium, driven by Playwright): the instructor sets the pace
(a class set to wait does not move on until "Next round"), a student whose move the timeout made is told
at once and the history marks it, the turn alerts fire when switched on, and a class can be opened again
"like this one" (docs/instructor.md, docs/student-ui.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, LiveServer, join, log_in

pytestmark = pytest.mark.browser

LIVE_MS = 30_000  # the longest any live update may take
# Records what the page announces to screen readers, the vibration patterns and the chimes it plays.
WATCH_ALERTS = """
window.__announced = [];
window.__vibrations = [];
window.__tones = 0;
navigator.vibrate = (pattern) => { window.__vibrations.push(pattern); return true; };
const Original = window.AudioContext;
if (Original) {
  window.AudioContext = class extends Original {
    createOscillator() { window.__tones += 1; return super.createOscillator(); }
  };
}
document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("play-live");
  const record = () => window.__announced.push(live.textContent);
  const changes = { childList: true, characterData: true, subtree: true };
  if (live) new MutationObserver(record).observe(live, changes);
});
"""


def test_a_class_set_to_wait_does_not_advance_until_the_instructor_says_so(
    new_page: Callable[..., Page],
    instructor: tuple[str, str],
) -> None:
    dashboard = new_page(LAPTOP)
    log_in(dashboard, instructor, "/instructor/classes/new/")
    pace_help = dashboard.locator('[data-field="pace"] .help')
    expect(pace_help).to_contain_text("whether you started the class or it started by itself")
    expect(dashboard.locator('[data-field="autostart"] .help')).to_contain_text("unless its pace is")
    dashboard.fill("#id_rounds", "2")
    dashboard.fill("#id_decision_seconds", "3")
    dashboard.fill("#id_result_seconds", "1")
    dashboard.select_option("#id_pace", "instructor")
    dashboard.fill("#id_code", "WAIT16")
    dashboard.click('[data-control="create"]')
    dashboard.wait_for_url("**/instructor/classes/WAIT16/")
    next_round = dashboard.locator('[data-control="next_round"]')
    extend = dashboard.locator('[data-control="extend"]')
    expect(next_round).to_be_disabled()
    expect(dashboard.locator('[data-control="release"]')).to_be_disabled()  # nothing to release yet

    student = join(new_page(PHONE), "WAIT16", "Aiko")
    expect(dashboard.locator("[data-people] [data-participant]")).to_have_count(1, timeout=LIVE_MS)
    dashboard.click('[data-control="start"]')
    dashboard.wait_for_url("**/instructor/classes/WAIT16/")
    expect(dashboard.locator("[data-message]")).to_have_count(0, timeout=15_000)  # the flash message clears

    # Round 1 ends (bots, or the 3 s timeout); the result stays up far longer than its 1 s.
    result = student.locator("#play-result")
    expect(result).to_be_visible(timeout=LIVE_MS)
    expect(student.locator("#result-next")).to_have_attribute("data-pace", "instructor")
    expect(student.locator("#result-next")).to_contain_text("Waiting for your instructor")
    expect(next_round).to_be_enabled(timeout=LIVE_MS)
    expect(extend).to_be_disabled()  # nothing counts down while the class waits
    expect(dashboard.locator("[data-pace-note]")).to_have_attribute("data-waiting", "true")
    student.wait_for_timeout(3_000)  # three times the result time, and the sweeper's ticks
    expect(student.locator("#play-round")).to_have_text(re.compile(r"\b1\b.*\b2\b"))
    expect(result).to_be_visible()

    keeps_its_step_across_points_of_view(dashboard)

    next_round.click()
    dashboard.wait_for_url("**/instructor/classes/WAIT16/")
    expect(student.locator("#play-round")).to_have_text(re.compile(r"\b2\b.*\b2\b"), timeout=LIVE_MS)
    expect(next_round).to_be_disabled()


def keeps_its_step_across_points_of_view(dashboard: Page) -> None:
    """The replay of the round just played: switching whose view it shows keeps the step shown."""
    replay = dashboard.context.new_page()
    replay.goto(dashboard.locator('[data-link="round"]').first.get_attribute("href") or "")
    replay.click('[data-link="replay"]')
    expect(replay.locator("[data-viewer-heading]")).to_have_attribute("data-viewer-heading", "all")
    expect(replay.locator("h1")).not_to_contain_text("as seen by everything")
    replay.click('[data-step-control="next"]')
    replay.click('[data-step-control="next"]')
    replay.click('.viewer-switch [data-viewer="japan"]')
    expect(replay.locator("[data-viewer-heading]")).to_have_attribute("data-viewer-heading", "japan")
    expect(replay.locator("[data-replay]")).to_have_attribute("data-current", "2")
    replay.close()


def test_a_timed_out_student_is_told_and_the_history_marks_the_move(
    new_page: Callable[..., Page], crisis_server: LiveServer
) -> None:
    # Hawkish bots ally and challenge at once, so the lone student (Japan) must answer the challenge; she
    # does not, and the 3 s timeout answers for her. Turn alerts are on (remembered on the device).
    code = crisis_server.create_class(
        "LATE16", "--autostart", "1", "--rounds", "1", "--decision-seconds", "3",
        "--bot-strategy", "hawkish", "--bot-seconds", "0",
    )  # fmt: skip
    page = new_page(PHONE)
    page.add_init_script(WATCH_ALERTS)
    page.add_init_script("localStorage.setItem('ct-turn-alerts', 'on')")
    join(page, code, "Aiko")
    expect(page.locator("#play-board")).to_have_attribute("data-node", "response", timeout=LIVE_MS)
    expect(page.locator("#play-alerts")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => document.documentElement.dataset.turnAlert === '1'")
    assert page.evaluate("() => window.__vibrations.length") >= 1
    assert page.evaluate("() => window.__tones") == 2  # the two notes of the chime

    notice = page.locator("#play-moved")
    expect(notice).to_be_visible(timeout=LIVE_MS)
    expect(notice).to_have_attribute("data-moved-by", "timeout")
    expect(notice).to_have_attribute("data-node", "response")
    expect(notice).to_contain_text("Time ran out")
    said = notice.inner_text()
    page.wait_for_function("(text) => window.__announced.includes(text)", arg=said)
    history = page.locator("#play-history")
    expect(history).to_contain_text("Bot 1")
    expect(history).not_to_contain_text("(bot)")  # a bot's name says it is one: not "Bot 1 (bot)"
    marked = page.locator('#play-history li[data-moved-by="timeout"]')
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("time ran out")
    expect(page.locator("#play-result")).to_be_visible(timeout=LIVE_MS)
    expect(notice).to_be_visible()  # still there with the result


def test_a_class_can_be_opened_again_like_this_one(
    new_page: Callable[..., Page],
    crisis_server: LiveServer,
    instructor: tuple[str, str],
) -> None:
    code = crisis_server.create_class("LIKE16", "--rounds", "4", "--decision-seconds", "45", "--no-bots")
    page = new_page(LAPTOP)
    log_in(page, instructor, "/instructor/")
    page.click(f'tr[data-class="{code}"] [data-control="new-like"]')
    page.wait_for_url(f"**/instructor/classes/new/?like={code}")
    expect(page.locator("#id_rounds")).to_have_value("4")
    expect(page.locator("#id_decision_seconds")).to_have_value("45")
    expect(page.locator("#id_bots_fill")).not_to_be_checked()
    expect(page.locator("#id_code")).to_have_value("")
    page.goto(f"/instructor/classes/{code}/")
    expect(page.locator('[data-control="new-like"]')).to_have_attribute(
        "href", f"/instructor/classes/new/?like={code}"
    )
