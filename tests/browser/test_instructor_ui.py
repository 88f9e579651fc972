"""The instructor's experience in a real browser (Debian's Chromium, driven by Playwright; issue 5): logging
in, opening a class from a library scenario on `/instructor/classes/new/`, starting it from the dashboard
and watching the bots play it live without a reload; the projector showing the join code and QR code with
nothing private on it; and a student's session kept out of every staff page (docs/instructor.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LAPTOP, PHONE, LiveServer, join, log_in

pytestmark = pytest.mark.browser

LIVE_SECONDS = 30  # the longest any live update may take
# What the projector (the classroom screen) must never show: the US's type, as a key or as a value.
PRIVATE_WORDS = ("us_type", "non_resolute", "resolute")
GROUP_CARD = "article[data-group]"


def card_state(page: Page) -> tuple[str, str]:
    card = page.locator(GROUP_CARD).first
    return card.get_attribute("data-node") or "", card.get_attribute("data-outcome") or ""


def test_instructor_creates_starts_and_watches_a_class_live(
    new_page: Callable[..., Page], instructor: tuple[str, str]
) -> None:
    page = new_page(LAPTOP)
    log_in(page, instructor, "/instructor/classes/new/?scenario=tripwire")

    # The new-class form, on a library scenario, with short decisions; bots fill every seat.
    expect(page.locator("#id_scenario option:checked")).to_contain_text(re.compile("tripwire", re.I))
    page.fill("#id_rounds", "1")
    page.fill("#id_decision_seconds", "5")
    page.fill("#id_result_seconds", "1")
    page.fill("#id_code", "ins5a")
    expect(page.locator("#id_bots_fill")).to_be_checked()
    page.click('[data-control="create"]')
    page.wait_for_url("**/instructor/classes/INS5A/")

    # The dashboard, in the lobby, live.
    expect(page.locator("[data-message]")).to_have_attribute("data-message", "success")
    expect(page.locator("[data-class-status]")).to_have_attribute("data-class-status", "lobby")
    expect(page.locator("[data-join-code]")).to_have_text("INS5A")
    expect(page.locator('[data-control="start"]')).to_be_enabled()

    # One student joins (with fixed groups, a class started with nobody in it has no group); the lobby
    # count updates live. Bots take the two other seats, and her moves time out after 5 s if she idles.
    join(new_page(PHONE), "INS5A", "Aiko")
    expect(page.locator("[data-people] [data-participant]")).to_have_count(1, timeout=LIVE_SECONDS * 1000)
    page.click('[data-control="start"]')
    page.wait_for_url("**/instructor/classes/INS5A/")
    expect(page.locator("[data-connection]")).to_have_attribute("data-connection", "live")
    expect(page.locator("[data-class-status]")).to_have_attribute("data-class-status", "running")
    expect(page.locator(GROUP_CARD)).to_have_count(1)
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads
    first = card_state(page)

    # The moves reach the open dashboard (socket frame or its 10 s refetch): the group moves on, then ends.
    outcome = f'{GROUP_CARD}[data-outcome]:not([data-outcome=""])'
    if not first[1]:
        expect(page.locator(GROUP_CARD)).not_to_have_attribute(
            "data-node", first[0], timeout=LIVE_SECONDS * 1000
        )
    expect(page.locator(outcome)).to_have_count(1, timeout=LIVE_SECONDS * 1000)
    expect(page.locator('[data-outcomes="all"] [data-outcome]').first).to_be_visible()
    assert page.evaluate("() => window.__sameDocument === true"), "the dashboard reloaded"
    # The instructor's page does show private information (never the projector's).
    expect(page.locator(f'{GROUP_CARD} [data-private="us_type"]')).to_be_visible()


def test_projector_shows_the_join_code_and_nothing_private(
    new_page: Callable[..., Page], crisis_server: LiveServer, instructor: tuple[str, str]
) -> None:
    code = crisis_server.create_class("PROJ5B")  # opens in the lobby
    page = new_page(LAPTOP)
    log_in(page, instructor, f"/instructor/classes/{code}/projector/")

    lobby = page.locator('[data-view="lobby"]')
    expect(lobby).to_be_visible()
    expect(page.locator('[data-view="live"]')).to_be_hidden()
    expect(lobby.locator("[data-join-code]")).to_have_text(code)
    expect(lobby.locator("svg.qr")).to_be_visible()
    expect(lobby.locator("svg.qr")).to_have_attribute("role", "img")
    expect(lobby).to_contain_text("127.0.0.1")  # where to go, next to the code
    expect(lobby.locator("[data-joined]")).to_have_text(re.compile(r"\b0\b"))

    shown = (page.inner_text("body") + "\n" + page.content()).lower()
    for word in PRIVATE_WORDS:
        assert word not in shown, f"the projector shows {word!r}"
    data = page.evaluate(f"() => fetch('/instructor/classes/{code}/projector.json').then(r => r.text())")
    assert json.loads(data)["class"]["code"] == code
    for word in PRIVATE_WORDS:
        assert word not in data.lower(), f"projector.json holds {word!r}"


def test_a_student_cannot_open_the_staff_pages(
    new_page: Callable[..., Page], crisis_server: LiveServer
) -> None:
    code = crisis_server.create_class("STUD5C")
    page = join(new_page(PHONE), code, "Aiko")

    for path in (
        f"/instructor/classes/{code}/",
        f"/instructor/classes/{code}/projector/",
        "/instructor/",
        "/admin/",
    ):
        response = page.goto(path)
        assert response is not None
        assert re.search(r"/admin/login/\?next=", page.url) or response.status == 403, (path, page.url)
        expect(page.locator("#dashboard, #projector, [data-control], [data-groups]")).to_have_count(0)
        expect(page.locator("svg.qr")).to_have_count(0)

    for path in (f"/instructor/classes/{code}/snapshot.json", f"/instructor/classes/{code}/projector.json"):
        response = page.goto(path)
        assert response is not None and response.status == 403, path
        assert response.json()["error"]["code"] == "forbidden"
        assert "groups" not in response.text() and code not in response.text()

    # Her own page still works: the refusals did not cost her the seat.
    page.goto("/play/")
    expect(page.locator("#play-board")).to_be_attached()
