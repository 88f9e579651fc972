"""A class that switches scenarios (issue 18) in a real browser: a student on a Japanese phone plays round 1
of the baseline and sees the class switch to the tripwire at round 2 (the bar names the scenario in force
and a notice says it changed); the instructor's dashboard shows the stage plan, and the class debrief
compares the rounds before and after the switch, each beside theory for its own parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer, join, log_in

pytestmark = pytest.mark.browser

LIVE_MS = 45_000
LAPTOP_720 = {"width": 1280, "height": 720}


def names(server: LiveServer, *slugs: str) -> dict[str, dict[str, str]]:
    out = server.manage(
        "shell",
        "-c",
        "import json\nfrom games.models import Scenario\n"
        f"print(json.dumps({{s.slug: {{'en': s.name_en, 'ja': s.name_ja}} for s in "
        f"Scenario.objects.filter(slug__in={list(slugs)!r})}}))",
    )
    return json.loads(out.strip().splitlines()[-1])


def test_a_two_scenario_class_from_join_to_its_debrief(
    new_page: Callable[..., Page],
    crisis_server: LiveServer,
    instructor: tuple[str, str],
    screenshot_dir,
) -> None:
    scenario = names(crisis_server, "baseline", "tripwire")
    code = crisis_server.create_class(
        "SWITCH18", "--autostart", "1", "--rounds", "2", "--then", "tripwire@2",
        "--decision-seconds", "2", "--result-seconds", "2", "--bot-seconds", "0",
    )  # fmt: skip
    phone = new_page(PHONE, locale="ja-JP")
    join(phone, code, "Aiko")  # she makes no move: each of her turns times out (2 s)
    bar = phone.locator("#play-scenario")
    expect(bar).to_contain_text(scenario["baseline"]["ja"], timeout=LIVE_MS)
    expect(phone.locator("#play-round")).to_contain_text("1")

    # Round 2: the tripwire. The bar names it and the notice says the scenario changed.
    expect(bar).to_contain_text(scenario["tripwire"]["ja"], timeout=LIVE_MS)
    notice = phone.locator("#play-scenario-changed")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(scenario["tripwire"]["ja"])
    expect(notice).to_contain_text("新しいシナリオ")
    phone.screenshot(path=str(screenshot_dir / "two-scenarios-phone-ja.png"), full_page=False)

    # The class ends; the instructor's dashboard shows the plan, the debrief the stages side by side.
    laptop = new_page(LAPTOP_720)
    log_in(laptop, instructor, f"/instructor/classes/{code}/")
    plan = laptop.locator("[data-stage-plan] li")
    expect(plan).to_have_count(2)
    expect(plan.nth(1)).to_have_attribute("data-stage-scenario", "tripwire")
    expect(laptop.locator("[data-class-status]")).to_have_attribute(
        "data-class-status", "finished", timeout=LIVE_MS
    )
    laptop.goto(f"/instructor/classes/{code}/debrief/")
    section = laptop.locator("#stages")
    expect(section.locator("h2")).to_have_text("Before and after the switch")
    stages = section.locator("[data-stage]")
    expect(stages).to_have_count(2)
    expect(stages.nth(0)).to_have_attribute("data-scenario", "baseline")
    expect(stages.nth(1)).to_have_attribute("data-scenario", "tripwire")
    for i in range(2):
        expect(stages.nth(i)).to_have_attribute("data-n", "1")  # one group, one finished round per stage
        theory = section.locator(f'[data-table="stage-outcomes"] td[data-theory][data-stage-cell="{i + 1}"]')
        total = sum(float(theory.nth(k).get_attribute("data-theory") or 0) for k in range(theory.count()))
        assert total == pytest.approx(1.0, abs=1e-6)  # theory's shares of each stage's outcomes
    expect(section.locator('[data-table="stage-rates"] [data-rate="general_deterrence"] td')).to_have_count(4)
    laptop.evaluate("() => window.scrollTo(0, document.getElementById('stages').offsetTop - 16)")
    laptop.screenshot(path=str(screenshot_dir / "two-scenarios-debrief.png"), full_page=False)
    # The round page of round 2 names the scenario it played.
    laptop.locator('[data-table="rounds"] tbody tr').last.locator("a").first.click()
    expect(laptop.locator("[data-round-scenario]")).to_have_attribute("data-round-scenario", "tripwire")
    expect(laptop.locator("[data-round-scenario]")).to_have_text(scenario["tripwire"]["en"])
