"""The printable handouts in a real browser (issue 18): in print media every role's briefing and the answer
key start a new page and the toolbar is gone; Chromium's PDF of the page, on A4 and on Letter, has at least
four pages, and each sheet's heading begins a page (adding it to the sheets before it adds exactly one
page); screenshots of the screen and print views, in English and Japanese.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, LiveServer, log_in

pytestmark = pytest.mark.browser

SHEETS = ("japan", "us", "challenger", "key")
PAPERS = {"a4": "A4", "letter": "Letter"}
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-z])")


def staff_page(new_page: Callable[..., Page], account: tuple[str, str], path: str) -> Page:
    page = new_page(LAPTOP)
    log_in(page, account, path)
    return page


def pdf_pages(page: Page, paper: str) -> int:
    """Pages of Chromium's PDF of the page as it prints (Skia writes each page's dictionary in the clear)."""
    return len(PDF_PAGE.findall(page.pdf(format=PAPERS[paper], print_background=True)))


def show(page: Page, upto: int, *, heading_only: bool = False, breaks: bool = True) -> None:
    """Print the sheets before `upto` whole and sheet `upto` (if any) whole or by its heading alone;
    with `breaks` off, no sheet is forced onto a new page (the check's control)."""
    page.evaluate(
        """([upto, headingOnly, breaks]) => document.querySelectorAll('.sheet').forEach((sheet, i) => {
          sheet.style.display = i <= upto ? '' : 'none';
          sheet.style.breakBefore = breaks ? '' : 'auto';
          [...sheet.children].forEach((child, k) => {
            child.style.display = i === upto && headingOnly && k > 1 ? 'none' : '';
          });
        })""",
        [upto, heading_only, breaks],
    )


def headings_begin_pages(page: Page, paper: str, count: int, *, breaks: bool = True) -> list[bool]:
    """For each sheet after the first: does its heading (the kicker line and the h1) begin a page of its
    own? The sheets before it printed whole, then with its heading added: one page more iff it does."""
    out = []
    for k in range(1, count):
        show(page, k - 1, breaks=breaks)
        before = pdf_pages(page, paper)
        show(page, k, heading_only=True, breaks=breaks)
        out.append(pdf_pages(page, paper) == before + 1)
    show(page, count)
    return out


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_each_briefing_and_the_key_print_on_pages_of_their_own(
    new_page: Callable[..., Page], instructor: tuple[str, str], paper: str, screenshot_dir: Path
) -> None:
    path = f"/instructor/scenarios/hesitant-challenger/handouts/?lang=en&paper={paper}"
    page = staff_page(new_page, instructor, path)
    expect(page.locator(".sheet")).to_have_count(4)
    expect(page.locator(".toolbar")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"handouts-screen-{paper}.png"), full_page=True)

    page.emulate_media(media="print")
    expect(page.locator(".toolbar")).to_be_hidden()
    for name in SHEETS:
        sheet = page.locator(f'.sheet[data-role="{name}"]' if name != "key" else "#answer-key")
        assert sheet.evaluate("(el) => getComputedStyle(el).breakBefore") == "page", name
    size = page.evaluate(
        "() => [...document.styleSheets[0].cssRules].find((rule) => rule instanceof CSSPageRule).style.size"
    )
    assert size.lower() == PAPERS[paper].lower()

    assert pdf_pages(page, paper) >= 4
    assert headings_begin_pages(page, paper, len(SHEETS)) == [True] * (len(SHEETS) - 1)
    # The check can fail: without the page breaks, a heading fits on the page before it.
    assert not all(headings_begin_pages(page, paper, len(SHEETS), breaks=False))
    page.screenshot(path=str(screenshot_dir / f"handouts-print-{paper}.png"), full_page=True)


def test_the_students_copy_prints_three_briefings_in_japanese(
    new_page: Callable[..., Page], instructor: tuple[str, str], screenshot_dir: Path
) -> None:
    path = "/instructor/scenarios/baseline/handouts/?lang=ja&paper=a4&key=0"
    page = staff_page(new_page, instructor, path)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(".sheet")).to_have_count(3)
    expect(page.locator('h1[data-heading="us"]')).to_have_text("米国")
    expect(page.locator("#answer-key")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "handouts-ja-screen.png"), full_page=True)
    page.emulate_media(media="print")
    assert pdf_pages(page, "a4") >= 3
    assert headings_begin_pages(page, "a4", 3) == [True, True]
    page.screenshot(path=str(screenshot_dir / "handouts-ja-print.png"), full_page=True)


def test_the_print_button_is_the_only_script_and_no_request_leaves_the_page(
    new_page: Callable[..., Page], instructor: tuple[str, str], crisis_server: LiveServer
) -> None:
    page = staff_page(new_page, instructor, "/instructor/scenarios/tripwire/handouts/?lang=en")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert [url for url in requests if not url.startswith(crisis_server.url + "/instructor/")] == []
    assert len(requests) == 1  # the page itself: no stylesheet, script, font or image
    expect(page.locator("script")).to_have_count(0)
    expect(page.get_by_role("button")).to_have_attribute("onclick", "window.print()")
