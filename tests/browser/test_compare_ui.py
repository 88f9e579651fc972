"""Sections side by side in a real browser (issue 18): two finished classes, the instructor ticks both on
the index and presses Compare; the table has one column per class with its n, the downloads work, and the
page fits a projector (1280x720) and a phone (360 px: the table scrolls inside its wrapper, not the page),
in Japanese. Screenshots: compare-*.png in the screenshot directory."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer, log_in

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
# Class CMPA: the US allies and stays out when Japan is attacked (abandonment). Class CMPB: no alliance,
# no challenge (general deterrence held).
PLANS = {
    "CMPA": {"alliance": "alliance", "challenge": "challenge", "response": "resist", "attack": "attack",
             "intervention": "stay_out"},
    "CMPB": {"alliance": "no_alliance", "challenge": "status_quo"},
}  # fmt: skip


@pytest.fixture(scope="module")
def finished_classes(crisis_server: LiveServer) -> list[str]:
    """Two finished classes of two rounds each, played through the services."""
    crisis_server.manage(
        "shell",
        "-c",
        "from games.models import Scenario\n"
        "from games.play import services\n"
        "from tests.live import make_class, play_first_actions\n"
        f"plans = {PLANS!r}\n"
        "for code, plan in plans.items():\n"
        "    c, people = make_class(Scenario.objects.get(slug='baseline'), rounds=2, seed=7, code=code)\n"
        "    services.start_class(c.code)\n"
        "    play_first_actions(c, people, choose=lambda view, plan=plan: plan[view['round']['node']])\n",
    )
    return list(PLANS)


def page_fits(page: Page) -> None:
    """The page itself never scrolls sideways; the table may, inside its wrapper."""
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


def test_instructor_compares_two_finished_classes(
    new_page: Callable[..., Page],
    finished_classes: list[str],
    instructor: tuple[str, str],
    screenshot_dir: Path,
) -> None:
    a, b = finished_classes
    page = new_page(PROJECTOR, "ja-JP")
    log_in(page, instructor, "/instructor/")

    # The index: a box for each finished class, and Compare.
    expect(page.locator(f'[data-compare="{a}"]')).to_be_visible()
    page.check(f'[data-compare="{a}"]')
    page.check(f'[data-compare="{b}"]')
    expect(page.locator('[data-control="compare"]')).to_have_text("比較")
    page.screenshot(path=str(screenshot_dir / "compare-index-ja.png"))
    page.click('[data-control="compare"]')
    # The boxes go in the index's order (newest first), as one short link.
    page.wait_for_url(re.compile(rf"/instructor/compare/\?classes={b}%2C{a}$"))
    page.goto(f"/instructor/compare/?classes={a},{b}")  # typed: the columns in the order asked

    # One column per class: code, scenario, date, rounds; every figure with its n.
    expect(page.locator("h1")).to_have_text("クラスの比較")
    table = page.locator('table[data-table="compare"]')
    expect(table.locator("thead th[data-class]")).to_have_count(2)
    for code in (a, b):
        head = table.locator(f'thead th[data-class="{code}"]')
        expect(head).to_contain_text(code)
        expect(head.locator("[data-scenarios]")).to_have_text("基準シナリオ：防御同盟")
        expect(head.locator("time")).to_have_count(1)
        expect(head.locator("[data-rounds]")).to_have_text("2 ラウンド中 2 ラウンド終了")
    general = table.locator('tbody[data-section="rates"] tr[data-row="general_deterrence"] td')
    expect(general.nth(0)).to_have_attribute("data-count", "0")
    expect(general.nth(1)).to_have_attribute("data-count", "2")
    expect(general.nth(1)).to_have_attribute("data-n", "2")
    expect(general.nth(1)).to_contain_text("100 % (2/2)")
    honoured = table.locator('tbody[data-section="rates"] tr[data-row="honoured"] td')
    expect(honoured.nth(0)).to_contain_text("(0/2)")  # two tested alliances, both abandoned
    expect(honoured.nth(1)).to_contain_text("該当ラウンドなし")  # no alliance: nothing tested
    expect(table.locator('tbody[data-section="rates"] tr[data-row="general_deterrence"] th')).to_contain_text(
        "一般抑止"
    )
    expect(
        table.locator('tbody[data-section="node-response"] tr[data-row="resist"] td').nth(1)
    ).to_contain_text("該当ラウンドなし")  # class B never reached Japan's response
    page_fits(page)
    page.screenshot(path=str(screenshot_dir / "compare-projector-ja.png"))
    page.screenshot(path=str(screenshot_dir / "compare-projector-ja-full.png"), full_page=True)

    # The downloads: the same figures, as CSV and JSON.
    with page.expect_download() as download:
        page.click('[data-link="compare-csv"]')
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    by = {(r["class_code"], r["section"], r["figure"]): r for r in rows}
    assert (by[(b, "rate", "general_deterrence")]["count"], by[(b, "rate", "general_deterrence")]["n"]) == (
        "2",
        "2",
    )
    assert by[(a, "outcome", "ABANDONMENT")]["count"] == "2"
    with page.expect_download() as download:
        page.click('[data-link="compare-json"]')
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [c["code"] for c in data["classes"]] == [a, b]
    honoured_a = data["classes"][0]["rates"]["honoured"]
    assert (honoured_a["count"], honoured_a["n"]) == (0, 2)

    # A phone: the table scrolls inside its wrapper; the page does not.
    phone = new_page(PHONE, "ja-JP")
    log_in(phone, instructor, "/instructor/")
    phone.goto(f"/instructor/compare/?classes={a},{b}")
    wrap = phone.locator("[data-compare-wrap]")
    expect(wrap).to_be_visible()
    page_fits(phone)
    sizes = wrap.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert sizes[1] <= PHONE["width"]
    phone.screenshot(path=str(screenshot_dir / "compare-phone-ja.png"))
    phone.screenshot(path=str(screenshot_dir / "compare-phone-ja-full.png"), full_page=True)


def test_a_comparison_that_cannot_be_made_says_why(
    new_page: Callable[..., Page],
    finished_classes: list[str],
    instructor: tuple[str, str],
    screenshot_dir: Path,
) -> None:
    page = new_page(PHONE, "ja-JP")
    log_in(page, instructor, "/instructor/")
    page.goto(f"/instructor/compare/?classes={finished_classes[0]}")
    expect(page.locator("[data-errors]")).to_contain_text(
        "比較するには、終了したクラスを2つ以上選んでください。"
    )
    page_fits(page)
    page.screenshot(path=str(screenshot_dir / "compare-error-phone-ja.png"))
