"""The pages fit their screens (Debian's Chromium, driven by Playwright): the projector fits 1280×720,
1024×768 and 1920×1080 in English and Japanese without scrolling, in the lobby, during a round, between
rounds and at the end (with the leaderboard too); and on a 360×740 phone no student page (join, lobby,
board, result, debrief, its folded numbers opened) is wider than the screen, the debrief's chart text and
the result's tree text rendered at least 12 px tall. The tests save screenshots of what they check
(tests/browser/conftest.py says where).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer, join, log_in

pytestmark = pytest.mark.browser

LIVE_MS = 30_000
PROJECTOR_SIZES = ((1280, 720), (1024, 768), (1920, 1080))
LANGUAGES = {"en": "en-GB", "ja": "ja-JP"}
# A class whose bots escalate at once (ally, challenge): its lone student, Japan, decides at "response"
# and has ten minutes for it; after that, bots attack and intervene, and the result stays ten minutes.
HAWKISH = ("--autostart", "1", "--decision-seconds", "600", "--result-seconds", "600",
           "--bot-strategy", "hawkish", "--bot-seconds", "0")  # fmt: skip
MIN_CHART_TEXT_PX = 12

OVERFLOW = """() => ({
  width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
  innerWidth: window.innerWidth, innerHeight: window.innerHeight })"""
# The rendered height of every SVG text under `selector`: its font size times the chart's scale.
TEXT_SIZES = """(selector) => Array.from(document.querySelectorAll(selector + " text")).filter(
  (t) => t.getClientRects().length && t.textContent.trim()).map((t) => ({
    text: t.textContent.trim().slice(0, 40),
    px: parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a }))"""


def overflow(page: Page) -> dict[str, int]:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate(OVERFLOW)


def fits_height(page: Page, where: str) -> None:
    size = overflow(page)
    assert size["height"] <= size["innerHeight"], (
        f"{where}: {size['height']} px tall in {size['innerHeight']}"
    )
    assert size["width"] <= size["innerWidth"], f"{where}: {size['width']} px wide in {size['innerWidth']}"


def fits_width(page: Page, where: str) -> None:
    size = overflow(page)
    assert size["width"] <= size["innerWidth"], f"{where}: {size['width']} px wide in {size['innerWidth']}"


def text_at_least(page: Page, selector: str, where: str) -> None:
    sizes = page.evaluate(TEXT_SIZES, selector)
    assert sizes, f"{where}: no chart text under {selector}"
    small = [s for s in sizes if s["px"] < MIN_CHART_TEXT_PX - 0.05]
    assert not small, f"{where}: chart text under {MIN_CHART_TEXT_PX} px: {small[:5]}"


# ----- the projector --------------------------------------------------------------------------------------


@pytest.fixture
def projectors(
    new_page: Callable[..., Page],
    instructor: tuple[str, str],
) -> Iterator[dict[str, Page]]:
    """One logged-in staff page per language."""
    pages = {}
    for language, locale in LANGUAGES.items():
        page = new_page({"width": 1280, "height": 720}, locale)
        log_in(page, instructor, "/instructor/")
        pages[language] = page
    yield pages


def check_projector(pages: dict[str, Page], code: str, view: str, shots: Path, moment: str) -> None:
    for language, page in pages.items():
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(f"/instructor/classes/{code}/projector/")
        expect(page.locator("#projector")).to_have_attribute("data-moment", view, timeout=LIVE_MS)
        page.screenshot(path=str(shots / f"projector-{moment}-{language}-1280x720.png"))
        for width, height in PROJECTOR_SIZES:
            page.set_viewport_size({"width": width, "height": height})
            fits_height(page, f"projector {moment}, {language}, {width}×{height}")


def test_the_projector_fits_its_screens_in_both_languages(
    new_page: Callable[..., Page],
    crisis_server: LiveServer,
    projectors: dict[str, Page],
    screenshot_dir: Path,
) -> None:
    check_projector(projectors, crisis_server.create_class("FITLOB"), "lobby", screenshot_dir, "lobby")

    code = crisis_server.create_class("FITRUN", *HAWKISH, "--rounds", "2")
    student = join(new_page(PHONE), code, "Aiko")
    expect(student.locator("#play-board")).to_have_attribute("data-node", "response", timeout=LIVE_MS)
    check_projector(projectors, code, "playing", screenshot_dir, "round")
    expect(projectors["en"].locator("[data-clock]")).to_have_text(re.compile(r"Decision time left: \d+:\d\d"))
    expect(projectors["ja"].locator("[data-tones='all'] li")).to_have_count(3)

    student.locator("[data-action]").first.click()
    expect(student.locator("#play-result")).to_be_visible(timeout=LIVE_MS)
    check_projector(projectors, code, "between", screenshot_dir, "between")
    between = projectors["en"]
    expect(between.locator("[data-summary-line]")).to_contain_text("Groups this round: 1. Deterrence held in")
    expect(between.locator(".proj-choice[data-node='response']")).to_have_attribute("data-n", "1")
    expect(between.locator("[data-corner]")).to_be_visible()  # latecomers can still join

    code = crisis_server.create_class("FITEND", *HAWKISH, "--rounds", "1")
    ended = join(new_page(PHONE), code, "Chihiro")
    expect(ended.locator("[data-action]").first).to_be_visible(timeout=LIVE_MS)
    ended.locator("[data-action]").first.click()
    expect(ended.locator("#play-result")).to_be_visible(timeout=LIVE_MS)
    check_projector(projectors, code, "end", screenshot_dir, "end")
    for language, page in projectors.items():
        expect(page.locator("[data-corner]")).to_be_hidden()  # no QR code at the end
        expect(page.locator("[data-debrief-link]")).to_have_attribute(
            "href", f"/instructor/classes/{code}/debrief/"
        )
        expect(page.locator("[data-questions] li").first).to_be_visible()  # the debrief's discussion
        page.click('[data-control="leaderboard"]')
        expect(page.locator('[data-leaderboard] [data-role="japan"] li')).to_contain_text("Chihiro")
        page.screenshot(path=str(screenshot_dir / f"projector-leaderboard-{language}-1280x720.png"))
        for width, height in PROJECTOR_SIZES:
            page.set_viewport_size({"width": width, "height": height})
            fits_height(page, f"projector leaderboard, {language}, {width}×{height}")


# ----- the student's pages on a phone -----------------------------------------------------------------------


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_no_student_page_is_wider_than_a_phone(
    new_page: Callable[..., Page], crisis_server: LiveServer, screenshot_dir: Path, language: str
) -> None:
    locale, suffix = LANGUAGES[language], language.upper()

    def shot(page: Page, name: str, **options: Any) -> None:
        page.screenshot(path=str(screenshot_dir / f"phone-{name}-{language}.png"), **options)

    waiting = new_page(PHONE, locale)
    waiting.goto(f"/?code={crisis_server.create_class('FITW' + suffix, '--autostart', '2')}")
    fits_width(waiting, "join page")
    waiting.fill("#id_name", "Aiko Yamamoto-Fernández")
    waiting.click(".join-form button[type=submit]")
    waiting.wait_for_url("**/play/")
    expect(waiting.locator("#play-lobby")).to_be_visible()
    fits_width(waiting, "lobby")
    shot(waiting, "lobby")

    code = crisis_server.create_class("FITP" + suffix, *HAWKISH, "--rounds", "1")
    page = join(new_page(PHONE, locale), code, "健太")
    expect(page.locator("#play-board")).to_have_attribute("data-node", "response", timeout=LIVE_MS)
    fits_width(page, "board")
    shot(page, "decision")
    page.locator("[data-action]").first.click()
    expect(page.locator("#play-result")).to_be_visible(timeout=LIVE_MS)
    expect(page.locator("#result-lesson")).to_be_visible()
    expect(page.locator("#result-tree svg")).to_be_visible()
    fits_width(page, "result")
    text_at_least(page, "#result-tree", "the result's tree")
    shot(page, "result")
    shot(page, "result-full", full_page=True)

    crisis_server.manage(
        "shell", "-c", f"from games.play import services; services.release_debrief({code!r})"
    )
    page.goto("/play/debrief/")
    expect(page.locator(".round-strip")).to_have_count(1)
    fits_width(page, "debrief")
    text_at_least(page, ".chart-figure", "debrief charts")
    shot(page, "debrief")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    fits_width(page, "debrief, every section opened")
    text_at_least(page, ".chart-figure", "debrief charts, opened")
    shot(page, "debrief-full", full_page=True)
