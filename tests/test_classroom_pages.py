"""What the pages of a lecture hall get from the server: outcomes' tones from one mapping, the projector's
summaries beside theory (with nothing private in them) and its leaderboard on request only, the pace on the
new-class form and a class opened "like" another, the result card's lesson and payoff reference, the
student debrief's strips and folded numbers, counts in words with their plurals, and CSV links that open
in Excel with Japanese names intact."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import timedelta
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from games.crisis import game
from games.crisis.debrief import OUTCOME_KEYS
from games.crisis.solver import round_benchmark
from games.debrief import glance
from games.debrief import svg as debrief_svg
from games.instructor import classroom
from games.models import ClassSession, Participant, Round, Scenario
from games.play import participant_view, round_state, services
from games.vocabulary import tones
from tests.live import make_class, mover

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def finish_round(class_session: ClassSession, people: list[Participant]) -> None:
    """The current round to its end: students take their first action, bots move in the sweep."""
    now = timezone.now()
    for step in range(60):
        turn = mover(people)
        if turn is not None:
            person, seq, view = turn
            services.submit_move(
                person.pk, view["round"]["actions"][0], f"c-{step}-{person.pk}", seq, now=now
            )
        elif not Round.objects.filter(class_session=class_session, status=Round.Status.PLAYING).exists():
            return
        else:
            services.sweep(now=now + timedelta(seconds=step))
    raise AssertionError("the round did not finish")


# ----- one mapping from an outcome to its tone ------------------------------------------------------------


def test_every_outcome_has_one_tone() -> None:
    assert {tones.tone(key) for key in OUTCOME_KEYS} == set(tones.TONES)
    assert tones.tone("ABANDONMENT") == "abandoned"
    assert tones.tone("GENERAL_DETERRENCE_HELD/with_alliance") == "held"
    assert tones.tone("IMMEDIATE_DETERRENCE_HELD") == "held"
    assert tones.tone("PREVENTIVE_DIPLOMACY_SUCCEEDED/unbacked") == "held"
    assert tones.tone("DETERRENCE_FAILED_JAPAN_CONCEDED") == "failed"
    assert tones.tone("DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored") == "failed"
    assert tones.tone(None) is None
    assert tones.count_tones(["ABANDONMENT", "GENERAL_DETERRENCE_HELD", "ABANDONMENT"]) == {
        "held": 1,
        "failed": 0,
        "abandoned": 2,
    }


def test_the_pages_get_the_tones_as_data(admin_client: Client, baseline_scenario: Scenario) -> None:
    class_session, people = make_class(baseline_scenario, students=3, rounds=1)
    services.start_class(class_session.code)
    finish_round(class_session, people)
    _seq, view = participant_view.participant_state(people[0].pk)
    outcome = view["round"]["outcome"]
    assert outcome["tone"] == tones.tone(outcome["label"])
    page = admin_client.get(f"/instructor/classes/{class_session.code}/").content.decode()
    strings = json.loads(
        page.split('<script id="dashboard-strings" type="application/json">')[1].split("</script>")[0]
    )
    assert (
        strings["tones"]["ABANDONMENT"] == "abandoned"
        and strings["tones"]["GENERAL_DETERRENCE_HELD"] == "held"
    )


# ----- the projector ------------------------------------------------------------------------------------


def test_between_rounds_the_projector_summarises_the_round_beside_theory(admin_client: Client) -> None:
    class_session, people = make_class(students=6, rounds=2, pace=ClassSession.Pace.INSTRUCTOR)
    services.start_class(class_session.code)
    during = admin_client.get(f"/instructor/classes/{class_session.code}/projector.json").json()
    assert during["round_summary"] is None and during["class_summary"] is None
    assert during["class"]["deadline"] and during["class"]["pace"] == "instructor"
    finish_round(class_session, people)
    data = admin_client.get(f"/instructor/classes/{class_session.code}/projector.json").json()
    summary = data["round_summary"]
    assert summary["round"] == 1 and summary["n"] == 2 and sum(summary["tones"].values()) == 2
    assert sum(summary["theory"].values()) == pytest.approx(1.0)
    alliance = next(row for row in summary["choices"] if row["node"] == "alliance")
    assert alliance["role"] == "us" and alliance["n"] == 2  # every US here is a student
    assert [a["action"] for a in alliance["actions"]] == ["alliance", "no_alliance"]
    assert sum(a["share"] for a in alliance["actions"]) == pytest.approx(1.0)
    assert sum(a["theory"] for a in alliance["actions"]) == pytest.approx(1.0)
    assert "leaderboard" not in data and data["class"]["deadline"] is None


def test_theory_on_the_projector_never_depends_on_a_hidden_type(baseline_scenario: Scenario) -> None:
    params = round_state.class_params(services.create_class(baseline_scenario))
    bench = round_benchmark(params, Fraction(1, 2))
    resolute = game.new_round(params, prior=Fraction(1, 2), us_type="R", seed="s")
    shown = {
        theta: classroom.public_theory(dataclasses.replace(resolute, theta=theta), bench) for theta in "RN"
    }
    assert shown["R"] == shown["N"]
    by_type = {
        theta: classroom.bots.benchmark_behaviour(dataclasses.replace(resolute, theta=theta), bench)
        for theta in "RN"
    }
    expected = {a: (by_type["R"][a] + by_type["N"][a]) / 2 for a in by_type["R"]}  # the prior is 1/2
    assert shown["R"] == expected


def test_the_leaderboard_comes_only_when_asked_for_at_the_end(admin_client: Client) -> None:
    class_session, people = make_class(students=3, rounds=1)
    for person in people:
        Participant.objects.filter(pk=person.pk).update(name=f"Hidden {person.pk.hex[:5]}")
    services.start_class(class_session.code)
    url = f"/instructor/classes/{class_session.code}/projector.json"
    assert "leaderboard" not in admin_client.get(url + "?leaderboard=1").json()  # not before the end
    finish_round(class_session, people)
    plain = admin_client.get(url).content.decode()
    assert "Hidden" not in plain and json.loads(plain)["class_summary"]["n"] == 1
    leaders = admin_client.get(url + "?leaderboard=1").json()["leaderboard"]
    assert set(leaders) == {"japan", "us", "challenger"}
    rnd = Round.objects.get(class_session=class_session)
    for role in game.ROLES:
        (leader,) = leaders[role]
        assert leader["name"].startswith("Hidden") and leader["rounds"] == 1
        assert leader["points"] == round(float(Fraction(rnd.state["payoffs"][role])) * 100)


# ----- the pace and "a new class like this one" ---------------------------------------------------------


def test_the_form_sets_the_pace_and_says_which_classes_move_on_by_themselves(admin_client: Client) -> None:
    page = admin_client.get("/instructor/classes/new/").content.decode()
    assert 'name="pace"' in page and "unless its pace is" in page
    assert "whether you started the class or it started by itself" in page
    data = {
        "scenario": Scenario.objects.get(slug="baseline").pk,
        "rounds": 2,
        "matching": "fixed_rotating",
        "bot_strategy": "equilibrium",
        "max_students": 30,
        "result_seconds": 15,
        "pace": "instructor",
        "code": "PACE16",
    }
    assert admin_client.post("/instructor/classes/new/", data).status_code == 302
    assert ClassSession.objects.get(code="PACE16").pace == "instructor"


def test_a_new_class_like_this_one_copies_the_settings_not_the_code(admin_client: Client) -> None:
    scenario = Scenario.objects.get(slug="tripwire")
    make_class(
        scenario, students=0, rounds=5, decision_seconds=40, pace="instructor", code="LIKEME", autostart=9
    )
    form = admin_client.get("/instructor/classes/new/?like=likeme").context["form"]
    assert form.initial["scenario"] == scenario
    assert (form.initial["rounds"], form.initial["decision_seconds"], form.initial["pace"]) == (
        5,
        40,
        "instructor",
    )
    assert form.initial["autostart"] == 9 and "code" not in form.initial
    for page in ("/instructor/", "/instructor/classes/LIKEME/"):
        assert 'href="/instructor/classes/new/?like=LIKEME"' in admin_client.get(page).content.decode()


# ----- the student's result card ---------------------------------------------------------------------------


def test_the_result_carries_the_lesson_and_the_payoffs_reference(baseline_scenario: Scenario) -> None:
    class_session, people = make_class(baseline_scenario, students=3, rounds=1)
    services.start_class(class_session.code)
    _seq, view = participant_view.participant_state(people[0].pk)
    assert "reputation" not in view["round"] and "expected_payoff" not in view["round"]
    finish_round(class_session, people)
    rnd = Round.objects.get(class_session=class_session)
    bench = round_benchmark(round_state.class_params(class_session), Fraction(rnd.prior))
    for person in people:
        _seq, view = participant_view.participant_state(person.pk)
        role = view["you"]["role"]
        assert view["round"]["reputation"] == {"before": 0.5, **rnd.reputation}
        assert view["round"]["expected_payoff"] == pytest.approx(
            float(getattr(bench.main.expected_payoffs, role))
        )


# ----- the debriefs ---------------------------------------------------------------------------------------


def test_decisions_are_counted_with_their_own_plurals() -> None:
    text = glance.decisions_in_words({"move": 9, "timeout": 1, "standin": 2})
    assert text == "Decisions: 9 by students, 0 by bots, 1 timeout, 2 by stand-in bots."
    with override("ja"):
        assert (
            glance.decisions_in_words({"timeout": 1}) == "決定：学生 0、ボット 0、時間切れ 1、代理ボット 0。"
        )


def released(students: int = 3, rounds: int = 2) -> tuple[ClassSession, list[Participant], list[Client]]:
    class_session = services.create_class(Scenario.objects.get(slug="baseline"), rounds=rounds, bot_seconds=0)
    browsers = [Client() for _ in range(students)]
    for i, browser in enumerate(browsers):
        assert (
            browser.post("/join", {"code": class_session.code, "name": f"Student {i + 1}"}).status_code == 302
        )
    people = list(class_session.participants.filter(is_bot=False).order_by("joined"))
    services.start_class(class_session.code)
    for _ in range(rounds):
        finish_round(class_session, people)
        services.sweep(now=timezone.now() + timedelta(minutes=5))
    services.release_debrief(class_session.code)
    return class_session, people, browsers


def test_the_student_debrief_leads_with_a_strip_per_round_and_folds_the_numbers(admin_client: Client) -> None:
    class_session, _people, browsers = released()
    page = browsers[0].get("/play/debrief/").content.decode()
    strips = re.findall(r'<li class="round-strip" data-round="\d+" data-tone="(\w+)"', page)
    assert len(strips) == 2 and set(strips) <= set(tones.TONES)
    assert page.index('class="round-strips"') < page.index('data-chart="outcomes"')
    assert page.count('<li class="role-') >= 2 and "points</strong>" in page
    for table in ("outcomes", "rates", "lecture"):
        assert re.search(
            r'<details class="numbers"><summary>Numbers</summary>\s*<table class="data" data-table="' + table,
            page,
        )
    assert "PREVENTIVE_DIPLOMACY" not in page  # no Module D in the baseline
    assert 'data-lecture="offensive"' not in page and 'data-lecture="neutrality"' not in page
    staff = admin_client.get(f"/instructor/classes/{class_session.code}/debrief/").content.decode()
    assert '<details class="numbers" open>' in staff and "data-decisions>Decisions:" in staff


def test_student_charts_are_laid_out_for_a_phone() -> None:
    rows = [
        {
            "key": "ABANDONMENT",
            "label": "Abandonment: " + "a very long label " * 6,
            "share": 0.5,
            "theory": 0.2,
            "count": 1,
        },
        {
            "key": "GENERAL_DETERRENCE_HELD",
            "label": "一般抑止が成功した" * 4,
            "share": 0.5,
            "theory": 0.8,
            "count": 1,
        },
    ]
    chart = str(debrief_svg.share_bars(rows, "Outcomes", "outcomes"))
    assert 'viewBox="0 0 336 ' in chart and ' width="' not in chart.split(">")[0]
    assert 'data-tone="abandoned"' in chart and 'data-tone="held"' in chart
    assert chart.count("<tspan") >= 4  # both long labels wrapped
    for line in debrief_svg.wrap("一般抑止が成功した" * 4, 300):
        assert debrief_svg._text_width(line) <= 300


# ----- the CSV downloads ----------------------------------------------------------------------------------


def test_the_pages_link_the_csv_files_with_a_byte_order_mark(admin_client: Client) -> None:
    class_session, _people, _browsers = released(students=3, rounds=1)
    Participant.objects.filter(class_session=class_session, is_bot=False).update(name="健太")
    pages = [
        f"/instructor/classes/{class_session.code}/",
        f"/instructor/classes/{class_session.code}/debrief/",
    ]
    links = set()
    for page in pages:
        links |= set(re.findall(r'href="([^"]+\.csv[^"]*)"', admin_client.get(page).content.decode()))
    assert len(links) == 2 and all(link.endswith("?excel=1") for link in links)
    for link in links:
        content = admin_client.get(link).content
        assert content.startswith(b"\xef\xbb\xbf")
        assert "健太" in content.decode("utf-8-sig") or link.endswith("rounds.csv?excel=1")
