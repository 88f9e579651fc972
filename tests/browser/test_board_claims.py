"""The play page words theory's claims as the server sends them (`public.theory.claims`): after an alliance
in the baseline, with the class showing the benchmark belief, the board says the Challenger is indifferent
and challenges with probability 58 % (not "general deterrence should hold"); with the belief hidden, the
meter is the reputation from before the decision and no verdict is drawn; in Japanese as in English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from games.crisis import game, views
from games.crisis.params import Params
from games.crisis.solver import round_benchmark
from tests.browser.conftest import LAPTOP, LiveServer
from tests.browser.test_student_ui import CLASS, ScriptedServer, Student, scripted_view


def allied_theory(show: bool) -> dict[str, Any]:
    params = Params()
    state = game.replay(params, params.pi, "N", 0, ["alliance"])
    return views.view_for(
        state, "japan", show_benchmark_belief=show, solution=round_benchmark(params, params.pi)
    )["public"]["theory"]


def open_scripted(
    new_page: Callable[..., Page], crisis_server: LiveServer, code: str, locale: str
) -> tuple[Page, ScriptedServer]:
    crisis_server.create_class(code, "--rounds", "3", *CLASS)
    student = Student(new_page(LAPTOP, locale), "Aiko")
    student.join(code)
    server = ScriptedServer(student.page)
    student.page.reload()
    server.connected()
    return student.page, server


def test_the_board_says_what_the_benchmark_says(
    new_page: Callable[..., Page], crisis_server: LiveServer
) -> None:
    page, server = open_scripted(new_page, crisis_server, "CLAIMS", "en-GB")
    shown = scripted_view(
        "japan", "challenge", public={"alliance": 1, "belief": 0.5, "theory": allied_theory(True)}
    )
    server.state(shown)
    verdict = page.locator('#range-text [data-claim="challenge_indifferent"]')
    expect(verdict).to_contain_text("indifferent between challenging and keeping the status quo")
    expect(verdict).to_contain_text("probability 58%")
    expect(page.locator('#range-text [data-claim="range_boundary"]')).to_contain_text("on the edge of")
    expect(page.locator("#range-text")).not_to_contain_text("should hold")
    expect(page.locator("#public-belief .belief-value")).to_have_text("80%")

    hidden = scripted_view(
        "japan", "challenge", public={"alliance": 1, "belief": 0.5, "theory": allied_theory(False)}
    )
    server.state(hidden)
    expect(page.locator("#belief-label")).to_have_text("Public reputation before the alliance decision")
    expect(page.locator("#public-belief .belief-value")).to_have_text("50%")
    expect(page.locator("#range-text [data-claim]")).to_have_count(0)
    expect(page.locator("#public-belief .rho-line")).to_have_count(0)


def test_the_board_says_it_in_japanese(new_page: Callable[..., Page], crisis_server: LiveServer) -> None:
    page, server = open_scripted(new_page, crisis_server, "CLAIMJ", "ja-JP")
    theory = allied_theory(True)
    server.state(scripted_view("japan", "challenge", public={"alliance": 1, "belief": 0.5, "theory": theory}))
    verdict = page.locator('#range-text [data-claim="challenge_indifferent"]')
    expect(verdict).to_contain_text("挑戦と現状維持は無差別")
    expect(verdict).to_contain_text("58%")
