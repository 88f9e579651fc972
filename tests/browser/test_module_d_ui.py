"""Module D on the student's board, in a real browser: three students play a round of scenario D1 by
clicking, through both confidence-building decisions; every board states the two layers' chances in words
and numbers (highlighting the one that applies once the US has chosen), the CBM choices made so far, and,
once Japan resists, whether preventive diplomacy defused the stand-off, in a banner (crisis-model.md §9;
docs/student-ui.md). One student reads it all in Japanese.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, LiveServer
from tests.browser.test_student_ui import (
    BOARD,
    CLASS,
    OUTCOME,
    ScriptedServer,
    Student,
    by_role,
    everyone_at,
    no_horizontal_scroll,
    scripted_view,
    snap,
    wait_for,
)

pytestmark = pytest.mark.browser

D1 = "arf-d1-both-build-confidence"
# D1 (§9.8): phi0 = 0, dphi1 = 1/2, dphiC = 1/5, psi = 1/2, kappa1 = kappaC = 0.02. With both sides'
# measures the ARF defuses a stand-off with probability 7/10 behind an alliance and 7/20 without one.
CHANCES_EN = (
    "The chance that preventive diplomacy defuses a stand-off: "
    "70% with the alliance behind Japan, 35% without."
)
CHANCES_JA = "予防外交が対峙を沈静化できる確率：日本の背後に同盟があれば 70%、なければ 35%。"
BANNER_EN = {
    "defused": "Preventive diplomacy worked: the ARF defused the stand-off (its chance was 35%).",
    "failed": "Preventive diplomacy failed (its chance of success was 35%).",
}
BANNER_JA = {
    "defused": "予防外交が成功した：ARF が対峙を沈静化した（成功の確率は 35% だった）。",
    "failed": "予防外交は失敗した（成功の確率は 35% だった）。",
}
HISTORY_EN = {"defused": "Preventive diplomacy defused the crisis", "failed": "Preventive diplomacy failed"}


def arf_draw(student: Student) -> str | None:
    """The preventive-diplomacy draw in the latest state this page received, or None before it."""
    states = student.states()
    history = states[-1]["view"].get("round", {}).get("history", []) if states else []
    return next((e["action"] for e in history if e["node"] == "preventive_diplomacy"), None)


def test_three_students_play_a_module_d_round_and_see_both_layers(
    new_page: Callable[..., Page], crisis_server: LiveServer, screenshot_dir: Path
) -> None:
    code = crisis_server.manage("create_class", "--scenario", D1, "--code", "ARFD1", "--rounds", "1", *CLASS)
    aiko, ben = Student(new_page(PHONE), "Aiko"), Student(new_page(PHONE), "Ben")
    chihiro = Student(new_page(LAPTOP, "ja-JP"), "千尋")
    students = [aiko, ben, chihiro]
    for student in students:
        student.join(code.strip())
    roles = by_role(students)
    japan, us, challenger = roles["japan"], roles["us"], roles["challenger"]
    english = [s for s in students if s is not chihiro]

    # Stage 0: the chances are not set yet; every board says what each side's measures would add.
    everyone_at(students, "cbm_japan")
    for student in students:
        card = student.page.locator("#play-arf")
        expect(card).to_be_visible()
        expect(card).to_have_attribute("data-arf-stage", "pending")
        expect(card.locator('[data-cbm-role="japan"]')).to_have_attribute("data-cbm", "")
    for student in english:
        card = student.page.locator("#play-arf")
        expect(card).to_contain_text(
            "Japan's measures add 50 percentage points with the alliance (25 without)."
        )
        expect(card).to_contain_text("The Challenger's measures add 20 percentage points with the alliance")
        expect(card.locator('[data-cbm-role="japan"]')).to_contain_text("not decided yet")
    expect(chihiro.page.locator("#arf-title")).to_have_text("2つの層：予防外交と同盟")
    expect(japan.page.locator("[data-action]")).to_have_count(2)
    japan.page.click('[data-action="cbm"]')

    everyone_at(students, "cbm_challenger")
    for student in english:
        expect(student.page.locator('[data-cbm-role="japan"]')).to_contain_text("adopted (cost 0.02)")
        expect(student.page.locator('[data-cbm-role="challenger"]')).to_contain_text("not decided yet")
    challenger.page.click('[data-action="cbm"]')

    # Stage 0 is over: both layers' chances, in words and numbers; none applies before the US chooses.
    everyone_at(students, "alliance")
    for student in students:
        card = student.page.locator("#play-arf")
        expect(card).to_have_attribute("data-arf-stage", "set")
        expect(card.locator('[data-arf-layer="allied"]')).to_contain_text("70%")
        expect(card.locator('[data-arf-layer="not_allied"]')).to_contain_text("35%")
        expect(card.locator('[data-applies="true"]')).to_have_count(0)
        expect(card.locator('[data-cbm-role="challenger"]')).to_have_attribute("data-cbm", "1")
    for student in english:
        expect(student.page.locator("#arf-sentence")).to_have_text(CHANCES_EN)
        expect(student.page.locator("#arf-note")).to_contain_text("alliance decision, still to come")
    expect(chihiro.page.locator("#arf-sentence")).to_have_text(CHANCES_JA)
    no_horizontal_scroll(aiko.page)
    snap(us.page, screenshot_dir, "arf-chances-phone.png", PHONE, full_page=True)

    # No alliance: the chance without one applies, on every board.
    us.page.click('[data-action="no_alliance"]')
    everyone_at(students, "challenge")
    for student in students:
        card = student.page.locator("#play-arf")
        expect(card.locator('[data-arf-layer="not_allied"]')).to_have_attribute("data-applies", "true")
        expect(card.locator('[data-arf-layer="allied"]')).to_have_attribute("data-applies", "false")
    for student in english:
        expect(student.page.locator("#arf-note")).to_have_text(
            "There is no alliance: the chance without an alliance applies."
        )
    expect(chihiro.page.locator("#arf-note")).to_have_text("同盟はない：同盟がない場合の確率が適用される。")
    challenger.page.click('[data-action="challenge"]')
    everyone_at(students, "response")
    expect(japan.page.locator("#play-arf-banner")).to_be_hidden()

    # Japan resists: the server draws preventive diplomacy at once; whatever it drew, every board says so.
    japan.page.click('[data-action="resist"]')
    wait_for(japan.page, lambda: arf_draw(japan) is not None)
    draw = arf_draw(japan)
    assert draw in ("defused", "failed")
    for student in students:
        banner = student.page.locator("#play-arf-banner")
        expect(banner).to_be_visible()
        expect(banner).to_have_attribute("data-arf-result", draw)
        expect(student.page.locator(BOARD)).to_have_attribute(
            "data-node", "end" if draw == "defused" else "attack"
        )
    for student in english:
        expect(student.page.locator("#play-arf-banner")).to_contain_text(BANNER_EN[draw])
        expect(student.page.locator("#play-history")).to_contain_text(HISTORY_EN[draw])
    expect(chihiro.page.locator("#play-arf-banner")).to_contain_text(BANNER_JA[draw])
    snap(challenger.page, screenshot_dir, f"arf-{draw}-phone.png", PHONE)

    if draw == "failed":  # the crisis goes on: the second layer, with no alliance behind Japan
        challenger.page.click('[data-action="attack"]')
        everyone_at(students, "intervention")
        us.page.click('[data-action="stay_out"]')
    label = "PREVENTIVE_DIPLOMACY_SUCCEEDED" if draw == "defused" else "DETERRENCE_FAILED_WAR_JAPAN_ALONE"
    for student in students:
        expect(student.page.locator(OUTCOME)).to_have_attribute("data-outcome", label)
        expect(student.page.locator("#play-arf-banner")).to_have_attribute("data-arf-result", draw)
        assert arf_draw(student) == draw  # the same public draw reached all three


def test_a_scenario_without_module_d_shows_no_arf_card(
    new_page: Callable[..., Page], crisis_server: LiveServer
) -> None:
    code = crisis_server.create_class("NOARF1", "--rounds", "1", *CLASS)
    students = [Student(new_page(PHONE), name) for name in ("Aiko", "Ben", "Chihiro")]
    for student in students:
        student.join(code)
    everyone_at(students, "alliance")
    for student in students:
        expect(student.page.locator("#play-public")).to_be_visible()
        expect(student.page.locator("#play-arf")).to_be_hidden()
        expect(student.page.locator("#play-arf-banner")).to_be_hidden()
        expect(student.page.locator('[data-tree-node="preventive_diplomacy"]')).to_have_count(0)


def test_the_card_follows_the_alliance_and_a_scenario_without_the_challengers_cbms(
    new_page: Callable[..., Page], crisis_server: LiveServer
) -> None:
    """With a scripted socket: no Challenger CBM decision (dphiC = 0), then the alliance's chance applying
    and a failed draw at that chance (states a live D1 round does not pass through here)."""
    code = crisis_server.create_class("ARFSCR", "--rounds", "1", *CLASS)
    student = Student(new_page(PHONE), "Aiko")
    student.join(code)
    page = student.page
    server = ScriptedServer(page)
    page.reload()
    server.connected()
    module_d = {"phi0": 0.1, "dphi1": 0.4, "dphiC": 0.0, "psi": 0.25, "kappa1": 0.03, "kappaC": 0.02}
    pending = {**module_d, "arf": {"phi_if_allied": None, "phi_if_not_allied": None},
               "cbm": {"japan": None, "challenger": None}}  # fmt: skip
    server.state(
        scripted_view("japan", "cbm_japan", to_move="japan", actions=["cbm", "no_cbm"], public=pending)
    )
    card = page.locator("#play-arf")
    expect(card).to_have_attribute("data-arf-stage", "pending")
    expect(card).to_contain_text("Without any measures: 10% with the alliance behind Japan, 2.5% without.")
    expect(card).to_contain_text("Japan's measures add 40 percentage points with the alliance (10 without).")
    expect(card).not_to_contain_text("The Challenger's measures")
    expect(card.locator('[data-cbm-role="challenger"]')).to_contain_text("no such decision in this scenario")
    expect(page.locator('[data-tree-node="cbm_challenger"]')).to_have_count(0)

    history = [{"node": "cbm_japan", "role": "japan", "action": "cbm"},
               {"node": "alliance", "role": "us", "action": "alliance"},
               {"node": "challenge", "role": "challenger", "action": "challenge"},
               {"node": "response", "role": "japan", "action": "resist"},
               {"node": "preventive_diplomacy", "role": None, "action": "failed", "auto": "arf"}]  # fmt: skip
    allied = {**module_d, "arf": {"phi_if_allied": 0.5, "phi_if_not_allied": 0.125},
              "cbm": {"japan": 1, "challenger": 0}, "alliance": 1}  # fmt: skip
    server.state(scripted_view("japan", "attack", to_move="challenger", history=history, public=allied))
    expect(card).to_have_attribute("data-arf-stage", "set")
    expect(page.locator("#arf-sentence")).to_have_text(
        "The chance that preventive diplomacy defuses a stand-off: "
        "50% with the alliance behind Japan, 12.5% without."
    )
    expect(card.locator('[data-arf-layer="allied"]')).to_have_attribute("data-applies", "true")
    expect(card.locator('[data-arf-layer="allied"]')).to_contain_text("applies")
    expect(card.locator('[data-arf-layer="not_allied"]')).to_have_attribute("data-applies", "false")
    expect(card.locator('[data-cbm-role="japan"]')).to_contain_text("adopted (cost 0.03)")
    banner = page.locator("#play-arf-banner")
    expect(banner).to_have_attribute("data-arf-result", "failed")
    expect(banner).to_contain_text("Preventive diplomacy failed (its chance of success was 50%).")
    expect(page.locator('#play-history [data-auto="arf"]')).to_have_text("Preventive diplomacy failed")
    expect(page.locator(BOARD)).to_have_attribute("data-node", "attack")
