"""The debrief pages: who may see what, and that each page renders its charts (SVG with data-* hooks)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from games.models import ClassSession, Round
from games.play import services
from tests.conftest import IN_CI
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db

FULL = {
    "alliance": "alliance",
    "challenge": "challenge",
    "response": "resist",
    "attack": "attack",
    "intervention": "stay_out",
    "arming": "no_arm",
}


def join(client: Any, class_session: ClassSession, name: str) -> Any:
    response = client.post("/join", {"code": class_session.code, "name": name})
    assert response.status_code == 302
    return class_session.participants.get(name=name)


@pytest.fixture
def finished(baseline_scenario, client):
    """A finished class of three students who joined from three browsers, every decision from FULL."""
    from django.test import Client

    class_session = services.create_class(baseline_scenario, rounds=2, seed=4, bot_seconds=0)
    browsers = [Client() for _ in range(3)]
    people = [join(b, class_session, f"Student {i + 1}") for i, b in enumerate(browsers)]
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: FULL[view["round"]["node"]])
    class_session.refresh_from_db()
    return class_session, people, browsers


STAFF_PAGES = (
    "/instructor/classes/{code}/debrief/",
    "/instructor/classes/{code}/rounds/{round}/",
    "/instructor/classes/{code}/rounds/{round}/replay/",
    "/instructor/classes/{code}/export.csv",
    "/instructor/classes/{code}/rounds.csv",
    "/instructor/classes/{code}/export.json",
)


def urls(class_session: ClassSession) -> list[str]:
    rnd = Round.objects.filter(class_session=class_session).first()
    return [page.format(code=class_session.code, round=rnd.pk) for page in STAFF_PAGES]


def test_anonymous_visitors_and_students_cannot_reach_staff_pages_or_exports(finished, client):
    class_session, _people, browsers = finished
    student = get_user_model().objects.create_user("student", password="pw")  # logged in, not staff
    logged_in = type(client)()
    logged_in.force_login(student)
    for url in urls(class_session):
        for visitor in (client, browsers[0], logged_in):
            response = visitor.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url
            assert class_session.code not in response.content.decode()


def test_staff_get_every_page_and_export(finished, staff):
    class_session, _people, _browsers = finished
    for url in urls(class_session):
        response = staff.get(url)
        assert response.status_code == 200, url
    other = staff.get(f"/instructor/classes/{class_session.code}/rounds/999999/")
    assert other.status_code == 404
    assert staff.get("/instructor/classes/NOPE99/debrief/").status_code == 404


def test_a_round_of_another_class_is_not_found_under_this_code(finished, staff, baseline_scenario):
    class_session, _people, _browsers = finished
    other, people = make_class(baseline_scenario, students=3, rounds=1, seed=9)
    services.start_class(other.code)
    play_first_actions(other, people)
    foreign = Round.objects.filter(class_session=other).first()
    assert staff.get(f"/instructor/classes/{class_session.code}/rounds/{foreign.pk}/").status_code == 404
    assert (
        staff.get(f"/instructor/classes/{class_session.code}/rounds/{foreign.pk}/replay/").status_code == 404
    )


def test_the_class_page_renders_its_charts(finished, staff):
    class_session, _people, _browsers = finished
    page = staff.get(f"/instructor/classes/{class_session.code}/debrief/").content.decode()
    for chart in ("outcomes", "node", "reputation", "condition"):
        assert f'data-chart="{chart}"' in page, chart
    assert page.count("<svg") >= 6
    assert 'data-key="ABANDONMENT"' in page  # every round here is an abandonment or honoured alliance
    assert 'data-lecture="defence_pact"' in page and 'data-lecture-value="-0.28"' in page
    assert 'data-lecture="reliability"' in page
    assert 'data-table="rounds"' in page and page.count("<tr data-round=") == 2
    assert "Student 1" in page
    assert 'href="/instructor/classes/' + class_session.code + '/export.csv?excel=1"' in page  # with a BOM


def test_the_round_page_draws_the_tree_and_the_bargaining_range(finished, staff):
    class_session, _people, _browsers = finished
    rnd = Round.objects.filter(class_session=class_session, number=1).get()
    page = staff.get(f"/instructor/classes/{class_session.code}/rounds/{rnd.pk}/").content.decode()
    assert 'data-chart="tree"' in page and 'data-leaves="20"' in page
    assert page.count('data-terminal="') == 20
    assert len(re.findall(r'class="leaf played"', page)) == 1
    played_edges = re.findall(r'<path d="[^"]+" class="edge played[^"]*" data-action="(\w+)"', page)
    assert played_edges[1:] == ["alliance", "challenge", "resist", "attack", "stay_out"]
    assert 'data-chart="bargaining"' in page and 'data-range="now"' in page
    assert 'data-equilibrium="E5" data-selected="true"' in page and 'data-equilibrium="E3"' in page
    assert 'data-flag="COSTLY_SIGNAL_PAID"' in page
    assert 'data-table="decisions"' in page and 'data-table="counterfactual"' in page
    assert "data-war-caused-by-uncertainty=" in page


def test_the_replay_shows_each_role_only_its_own_view(finished, staff):
    class_session, _people, _browsers = finished
    rnd = Round.objects.filter(class_session=class_session, number=1).get()
    base = f"/instructor/classes/{class_session.code}/rounds/{rnd.pk}/replay/"
    everything = staff.get(base).content.decode()
    assert everything.count('class="replay-step"') == 6  # the start and five moves
    assert "data-types" in everything and "debrief/replay.js" in everything
    us_type = "resolute" if rnd.us_type == "R" else "not resolute"
    challenger = staff.get(base + "?as=challenger").content.decode()
    assert "data-types" not in challenger and "data-private" not in challenger
    assert 'data-viewer="challenger"' in challenger
    us = staff.get(base + "?as=us").content.decode()
    assert us.count("data-private") == 6 and us_type in us
    assert staff.get(base + "?as=nobody").status_code == 200  # falls back to everything


def test_students_see_a_friendly_page_until_the_debrief_is_released(finished):
    class_session, _people, browsers = finished
    page = browsers[0].get("/play/debrief/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-released="false"' in text and "<svg" not in text and "data-outcome" not in text
    services.release_debrief(class_session.code)
    released = browsers[0].get("/play/debrief/").content.decode()
    assert 'data-page="student-debrief"' in released and 'data-chart="outcomes"' in released


def test_a_student_sees_their_own_decisions_and_the_class_summary_only(finished):
    class_session, people, browsers = finished
    services.release_debrief(class_session.code)
    page = browsers[0].get("/play/debrief/").content.decode()
    mine = Round.objects.filter(class_session=class_session)
    assert page.count('class="student-round"') == mine.count()  # three students: they sit in every round
    assert "theory predicted" in page and "of the class chose" in page
    others = [p.name for p in people[1:]]
    assert 'data-table="rounds"' not in page  # no list of everyone's rounds
    sentences = re.findall(r'<li data-seq="\d+" data-node="(\w+)"', page)
    own_nodes = {e.node for e in people[0].events.filter(kind="move")}
    assert set(sentences) == own_nodes
    assert all(name not in page for name in others)  # no other student is named
    assert "export.csv" not in page and "/instructor/" not in page


def test_a_student_cannot_open_another_class_s_debrief(finished, baseline_scenario):
    class_session, _people, browsers = finished
    other, people = make_class(baseline_scenario, students=3, rounds=1, seed=2)
    services.start_class(other.code)
    play_first_actions(other, people)
    services.release_debrief(other.code)
    services.release_debrief(class_session.code)
    assert browsers[0].get(f"/play/debrief/?code={other.code}").status_code == 404
    assert browsers[0].get("/play/debrief/?code=NOPE99").status_code == 404
    own = browsers[0].get(f"/play/debrief/?code={class_session.code}")
    assert own.status_code == 200 and other.code not in own.content.decode()


def test_a_visitor_who_never_joined_is_sent_to_the_join_page(client):
    response = client.get("/play/debrief/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_pages_speak_japanese(finished, staff):
    class_session, _people, browsers = finished
    page = staff.get(f"/instructor/classes/{class_session.code}/debrief/", headers={"accept-language": "ja"})
    text = page.content.decode()
    assert '<html lang="ja">' in text
    assert "見捨てられ" in text and "一般抑止" in text and "緊急抑止" in text
    services.release_debrief(class_session.code)
    student = browsers[0].get("/play/debrief/", headers={"accept-language": "ja"}).content.decode()
    assert "理論" in student and "Theory predicted" not in student


def test_a_students_sentence_reads_as_the_brief_says(finished):
    class_session, people, browsers = finished
    services.release_debrief(class_session.code)
    japan = Round.objects.get(class_session=class_session, number=1).japan
    browser = browsers[[p.pk for p in people].index(japan.pk)]
    page = browser.get("/play/debrief/").content.decode()
    assert (
        "At Japan&#x27;s response to the challenge (after an alliance), theory predicted Resist; you chose "
        "Resist; 100 % of the class chose Resist at the same decision." in page
    )


@pytest.mark.parametrize(
    "changes",
    [{"module_a": True}, {"module_c": True}, {"alliance_type": "neutrality"}, {"tripwire": True}],
    ids=["module-a", "module-c", "neutrality", "tripwire"],
)
def test_every_module_renders(staff, changes):
    from fractions import Fraction

    from games.crisis.params import Params
    from games.models import Scenario

    params = Params().replace(**changes).as_dict(exact=True)
    scenario = Scenario.objects.create(slug="m-" + "-".join(changes), name_en="m", name_ja="m", params=params)
    class_session, people = make_class(scenario, students=3, rounds=2, seed=8)
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: FULL[view["round"]["node"]])
    for url in urls(class_session):
        assert staff.get(url).status_code == 200, url
    rnd = Round.objects.filter(class_session=class_session, number=2).get()
    page = staff.get(f"/instructor/classes/{class_session.code}/rounds/{rnd.pk}/").content.decode()
    leaves = {"module_c": 32, "alliance_type": 10}.get(
        next(iter(changes)), 20
    )  # neutrality: no alliance node
    assert f'data-leaves="{leaves}"' in page
    assert Fraction(rnd.prior) != 0


# ----- in a real browser (the system Chromium; skipped without it, except in CI) ----------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    return CHROMIUM


@pytest.mark.browser
def test_the_pages_work_in_a_browser(finished, live_server, tmp_path, settings):
    """Charts visible, the replay steps with buttons and keys, the print stylesheet hides the navigation.
    (Every query happens before Playwright starts: its sync API runs an event loop in this thread.)"""
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    class_session, _people, _browsers = finished
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(get_user_model().objects.create_user("viewer", password="pw", is_staff=True))
    session = staff_client.cookies[settings.SESSION_COOKIE_NAME].value
    rnd = Round.objects.filter(class_session=class_session, number=1).get()
    base = f"{live_server.url}/instructor/classes/{class_session.code}"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox", "--headless"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url, "value": session}]
        )
        page.goto(f"{base}/debrief/")
        assert page.locator('svg[data-chart="outcomes"]').bounding_box()["width"] > 200
        page.screenshot(path=str(tmp_path / "class-debrief.png"), full_page=True)

        page.goto(f"{base}/rounds/{rnd.pk}/replay/?as=japan")
        assert page.locator(".replay-step").count() == 6 and page.locator(".replay-step:visible").count() == 1
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        assert page.locator('.replay-step[data-step="2"]').is_visible()
        assert page.locator("[data-step-counter]").inner_text() == "Step 2 of 5"
        page.get_by_role("button", name="Previous").click()
        assert page.locator('.replay-step[data-step="1"]').is_visible() and page.url.endswith("#step-1")
        page.keyboard.press("End")
        assert page.locator('.replay-step[data-step="5"] [data-outcome]').is_visible()
        page.screenshot(path=str(tmp_path / "replay.png"))

        page.goto(f"{base}/rounds/{rnd.pk}/")
        page.emulate_media(media="print")
        assert not page.locator(".debrief-nav").is_visible()
        assert page.locator('svg[data-chart="tree"]').is_visible()
        assert page.locator('svg[data-chart="bargaining"]').is_visible()
        page.pdf(path=str(tmp_path / "round.pdf"))
        browser.close()
    assert (tmp_path / "round.pdf").stat().st_size > 10_000


def test_the_class_report_is_computed_once_and_read_in_pieces(finished, monkeypatch):
    from games.debrief import cache as debrief_cache
    from games.debrief import class_analysis

    class_session, people, browsers = finished
    services.release_debrief(class_session.code)
    assert browsers[0].get("/play/debrief/").status_code == 200  # computes and stores the report

    def fail(*args, **kwargs):
        raise AssertionError("the report must come from the cache")

    monkeypatch.setattr(class_analysis, "class_debrief", fail)
    for browser in browsers:
        assert 'class="student-round"' in browser.get("/play/debrief/").content.decode()
    assert debrief_cache.student_report(class_session, people[1])["round_list"]


def test_the_cache_key_changes_with_every_event(baseline_scenario):
    from games.debrief import cache as debrief_cache
    from tests.live import mover

    class_session, people = make_class(baseline_scenario, students=3, rounds=1, seed=6)
    services.start_class(class_session.code)
    keys = {debrief_cache.report_key(class_session)}
    for step in range(2):
        person, seq, view = mover(people)
        services.submit_move(person.pk, view["round"]["actions"][0], f"k{step}", seq)
        keys.add(debrief_cache.report_key(class_session))
    assert len(keys) == 3


def test_module_d_rounds_render_with_the_arf_report(staff):
    """Module D: stage 0 (CBMs) is priced and listed apart, the tree shows the ARF's draw after `resist`."""
    from games.crisis.params import Params
    from games.debrief import class_analysis
    from games.debrief.load import load_class
    from games.models import Scenario

    params = Params().replace(arf=True).as_dict(exact=True)
    scenario = Scenario.objects.create(slug="module-d", name_en="d", name_ja="d", params=params)
    plan = {**FULL, "cbm_japan": "cbm", "cbm_challenger": "no_cbm"}
    class_session, people = make_class(scenario, students=3, rounds=3, seed=12)
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: plan[view["round"]["node"]])
    report = class_analysis.class_debrief(load_class(class_session))
    assert all(r.finished for r in report.rounds)
    decisions = [d for r in report.rounds for d in r.decisions]
    japan_cbm = [d for d in decisions if d.node == "cbm_japan"]
    assert japan_cbm and all(d.values is not None or not d.deviation for d in japan_cbm)
    assert {d.infoset.key for d in decisions if d.node == "cbm_challenger"} == {"cbm_challenger/e1"}
    assert all(
        d.infoset.key.startswith(("alliance/e10", "cbm")) for d in decisions if d.node in ("alliance",)
    )
    for url in urls(class_session):
        assert staff.get(url).status_code == 200, url
    rnd = Round.objects.filter(class_session=class_session, number=1).get()
    page = staff.get(f"/instructor/classes/{class_session.code}/rounds/{rnd.pk}/").content.decode()
    assert "data-stage0" in page and 'data-table="stage0"' in page and 'id="arf"' in page
    # §9.8, Example D1, subgame (1,0): ρ_R^D(·,0) = −17/33, ρ_W^D = 58/75 without and 18/25 with an alliance
    thresholds = re.search(r"<p data-arf-thresholds>(.*?)</p>", page, re.S)
    assert thresholds and "ρ_R^D = -0.515 /" in thresholds[1] and "ρ_W^D = 0.773 / 0.72;" in thresholds[1]
    assert page.count('data-terminal="DEF"') == 4  # after each resist: 2 types x 2 alliance decisions


def test_a_students_sentence_says_indifferent_where_the_benchmark_mixes(finished):
    """The Challenger challenges an allied Japan with probability 15/26 in the baseline: indifferent."""
    class_session, people, browsers = finished
    services.release_debrief(class_session.code)
    challenger = Round.objects.get(class_session=class_session, number=1).challenger
    browser = browsers[[p.pk for p in people].index(challenger.pk)]
    page = browser.get("/play/debrief/").content.decode()
    mixed = "theory predicted indifference, so a mix: Challenge 58 %, Keep the status quo 42 %; you chose"
    assert mixed in page
    japanese = browser.get("/play/debrief/", headers={"accept-language": "ja"}).content.decode()
    assert "どちらも無差別なので確率的に選ぶ" in japanese
