"""Treatments within one class (issue 18): a class plays a sequence of scenarios (`ClassStage`); every round
is played, replayed and judged with the parameters of the stage in force for its number, knows its
scenario, and a stage that starts afresh restarts every group's reputation at its own base prior."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from games.crisis.params import Params
from games.debrief import class_analysis
from games.debrief.class_log import ClassLog
from games.debrief.load import load_class
from games.debrief.round_analysis import Analyzer
from games.models import ClassSession, ClassStage, Group, Round, Scenario
from games.play import round_state, services
from games.play.services import StageSpec
from tests.live import make_class, play_first_actions, state

pytestmark = pytest.mark.django_db


def scenario(slug: str) -> Scenario:
    return Scenario.objects.get(slug=slug)


def test_each_round_plays_the_parameters_of_the_stage_in_force(baseline_scenario):
    tripwire = scenario("tripwire")
    class_session, people = make_class(
        baseline_scenario, students=3, rounds=4, stages=[StageSpec(tripwire, 3, fresh_reputation=False)]
    )
    assert [(s.first_round, s.scenario_id) for s in class_session.stages.all()] == [(3, tripwire.pk)]
    assert class_session.stages.get().params == tripwire.params  # the snapshot
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    rounds = list(Round.objects.filter(class_session=class_session).order_by("number"))
    assert [r.scenario.slug for r in rounds] == ["baseline", "baseline", "tripwire", "tripwire"]
    for rnd in rounds:
        params = round_state.params_of_round(class_session, rnd.number)
        assert params.tripwire is (rnd.number >= 3)
        replayed = round_state.replay_round(rnd)
        assert replayed.params == params
        assert round_state.snapshot(replayed) == rnd.state  # the log is the truth, stage by stage
        bench = round_state.benchmark_for(class_session, Fraction(rnd.prior), rnd.number)
        assert bench.params == params.with_round_prior(Fraction(rnd.prior))
    # Without a fresh start the reputation carries over the switch.
    assert float(Fraction(rounds[2].prior)) == pytest.approx(rounds[1].reputation["pi_next"], abs=1e-6)


def test_a_class_without_stages_plays_its_own_scenario_throughout(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    assert round_state.stage_plan(class_session)[0].slug == "baseline"
    assert len(round_state.stage_plan(class_session)) == 1
    assert set(
        Round.objects.filter(class_session=class_session).values_list("scenario__slug", flat=True)
    ) == {"baseline"}
    assert round_state.params_of_round(class_session, 2) is round_state.class_params(class_session)


def test_a_fresh_stage_restarts_each_groups_reputation_at_its_base_prior(baseline_scenario):
    strong = scenario("strong-reputation")
    class_session, people = make_class(
        baseline_scenario, students=6, rounds=3, stages=[StageSpec(strong, 3, fresh_reputation=True)]
    )
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    third = list(Round.objects.filter(class_session=class_session, number=3))
    assert len(third) == 2
    base = Params.from_mapping(strong.params).base_prior
    assert base == Fraction(17, 20)
    assert {Fraction(r.prior) for r in third} == {base}
    # the US's type was drawn again, as at a class's start, from the stage's seed
    for rnd in third:
        group = Group.objects.get(pk=rnd.group_id)
        assert rnd.us_type in ("R", "N")
        assert group.number in (1, 2)
    second = list(Round.objects.filter(class_session=class_session, number=2))
    assert {Fraction(r.prior) for r in second} != {base}  # round 2 still carried the baseline's reputation


def test_the_students_view_names_the_scenario_in_force(baseline_scenario):
    tripwire = scenario("tripwire")
    class_session, people = make_class(
        baseline_scenario, students=3, rounds=2, stages=[StageSpec(tripwire, 2)]
    )
    _, view = state(people[0])
    assert view["class"]["scenario"] == "baseline"
    services.start_class(class_session.code)
    _, view = state(people[0])
    assert view["class"]["scenario"] == "baseline"
    play_first_actions(class_session, people)
    _, view = state(people[0])
    assert view["class"]["round"] == 2 and view["class"]["scenario"] == "tripwire"


def test_the_play_page_has_each_scenarios_name_and_spine(baseline_scenario, client):
    japan_arms = scenario("japan-arms")
    class_session = services.create_class(baseline_scenario, rounds=2, stages=[StageSpec(japan_arms, 2)])
    client.post("/join", {"code": class_session.code, "name": "Aiko"})
    response = client.get("/play/", HTTP_ACCEPT_LANGUAGE="ja")
    data = response.context["data"]
    assert set(data["scenarios"]) == {"baseline", "japan-arms"}
    assert data["scenarios"]["japan-arms"]["name"] == japan_arms.name_ja
    nodes = {slug: [step["node"] for step in s["spine"]] for slug, s in data["scenarios"].items()}
    assert "arming" in nodes["japan-arms"] and "arming" not in nodes["baseline"]


@pytest.mark.parametrize(
    ("stages", "code"),
    [
        ([(1, "tripwire")], "stage_round"),
        ([(5, "tripwire")], "stage_round"),
        ([(3, "tripwire"), (2, "entente")], "stage_order"),
        ([(3, "tripwire"), (3, "entente")], "stage_order"),
    ],
)
def test_switches_are_checked(baseline_scenario, stages, code):
    specs = [StageSpec(scenario(slug), first) for first, slug in stages]
    with pytest.raises(ValidationError) as refused:
        services.create_class(baseline_scenario, rounds=4, stages=specs)
    assert code in [e.code for e in refused.value.error_list]
    assert not ClassStage.objects.exists()


def test_a_switch_to_a_broken_scenario_is_refused(baseline_scenario):
    broken = Scenario.objects.create(slug="broken", name_en="Broken", name_ja="壊れた", params={"p": "2"})
    with pytest.raises(ValidationError) as refused:
        services.create_class(baseline_scenario, rounds=3, stages=[StageSpec(broken, 2)])
    assert [e.code for e in refused.value.error_list] == ["stage_params"]


# ----- manage.py create_class --then SLUG@ROUND ------------------------------------------------------
def run_command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_class", "--scenario", "baseline", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_then_switches_scenarios_in_order(baseline_scenario):
    out, err = run_command("--rounds", "6", "--then", "tripwire@4", "--then", "entente@6")
    class_session = ClassSession.objects.get(code=out.strip())
    assert [(s.first_round, s.scenario.slug, s.fresh_reputation) for s in class_session.stages.all()] == [
        (4, "tripwire", True),
        (6, "entente", True),
    ]
    assert "then tripwire from round 4, then entente from round 6" in err
    out, _ = run_command("--rounds", "3", "--then", "tripwire@2", "--keep-reputation")
    assert not ClassSession.objects.get(code=out.strip()).stages.get().fresh_reputation


@pytest.mark.parametrize(
    ("then", "message"),
    [
        (["tripwire"], r"--then takes SLUG@ROUND, e\.g\. tripwire@4, not 'tripwire'"),
        (["tripwire@x"], "--then takes SLUG@ROUND"),
        (["nope@2"], r"--then nope@2: no scenario with slug 'nope' \(known: .*tripwire"),
        (["tripwire@1"], "must come at a round from 2 to 4 .*not at round 1"),
        (["tripwire@5"], "must come at a round from 2 to 4 .*not at round 5"),
        (["tripwire@3", "entente@2"], "increasing rounds: 2 is not after 3"),
    ],
)
def test_then_is_checked_with_a_reason(baseline_scenario, then, message):
    args = [arg for spec in then for arg in ("--then", spec)]
    with pytest.raises(CommandError, match=message):
        run_command("--rounds", "4", *args)
    assert not ClassSession.objects.exists()


# ----- the debrief and the exports of a class that switched scenarios -----------------------------------
@pytest.fixture
def switched(baseline_scenario, staff):
    """Baseline for rounds 1-2, the tripwire for rounds 3-4, six students (two groups)."""
    class_session, people = make_class(
        baseline_scenario, students=6, rounds=4, seed=11, stages=[StageSpec(scenario("tripwire"), 3)]
    )
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    return class_session, staff


def test_the_log_carries_each_rounds_scenario_and_round_trips(switched):
    class_session, _ = switched
    log = load_class(class_session)
    assert [(s.first_round, s.scenario, s.fresh_reputation) for s in log.stages] == [
        (1, "baseline", False),
        (3, "tripwire", True),
    ]
    assert [r.scenario for r in log.rounds] == ["baseline"] * 4 + ["tripwire"] * 4
    assert log.engine_params_of(4).tripwire and not log.engine_params_of(2).tripwire
    data = json.loads(json.dumps(log.as_json()))
    assert ClassLog.from_json(data) == log
    # a log exported before classes had stages still loads: one scenario, the class's own parameters
    for r in data["rounds"]:
        del r["scenario"]
    del data["stages"]
    old = ClassLog.from_json(data)
    assert old.stages == () and not old.switches and old.engine_params_of(4) == log.engine_params()


def test_the_class_debrief_shows_each_stage_beside_its_own_theory(switched):
    class_session, staff = switched
    log = load_class(class_session)
    report = class_analysis.class_debrief(log)
    stages = report.summary()["stages"]
    assert [(s["scenario"], s["first_round"], s["last_round"], s["rounds"]) for s in stages] == [
        ("baseline", 1, 2, 4),
        ("tripwire", 3, 4, 4),
    ]
    assert stages[1]["tripwire"] and not stages[0]["tripwire"]
    # theory per stage is the benchmark under that stage's parameters, averaged over its rounds
    for stage in stages:
        analyzer = Analyzer(log.engine_params_of(stage["first_round"]))
        mine = [r for r in log.rounds if stage["first_round"] <= r.number <= stage["last_round"]]
        alone = class_analysis.ClassDebrief(log=log, rounds=[analyzer.analyse(r, log) for r in mine])
        assert stage["outcomes"] == alone.outcomes()
        assert sum(row["count"] for row in stage["outcomes"]["rows"]) == 4
    theory = [{row["outcome"]: row["theory"] for row in s["outcomes"]["rows"]} for s in stages]
    assert theory[0] != theory[1]  # the tripwire changes what theory expects
    page = staff.get(f"/instructor/classes/{class_session.code}/debrief/")
    html = page.content.decode()
    assert "Before and after the switch" in html
    assert html.count('data-table="stage-outcomes"') == 1 and html.count('data-stage-cell="2"') > 0
    assert 'data-scenario="tripwire"' in html and 'data-rate="general_deterrence"' in html
    japanese = staff.get(f"/instructor/classes/{class_session.code}/debrief/", HTTP_ACCEPT_LANGUAGE="ja")
    assert "切り替えの前と後" in japanese.content.decode()


def test_a_class_of_one_scenario_has_no_stage_section(baseline_scenario, staff):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    assert class_analysis.class_debrief(load_class(class_session)).summary()["stages"] is None
    html = staff.get(f"/instructor/classes/{class_session.code}/debrief/").content.decode()
    assert 'id="stages"' not in html


def test_round_pages_and_exports_name_each_rounds_scenario(switched):
    class_session, staff = switched
    third = Round.objects.filter(class_session=class_session, number=3).first()
    html = staff.get(f"/instructor/classes/{class_session.code}/rounds/{third.pk}/").content.decode()
    assert 'data-round-scenario="tripwire"' in html and scenario("tripwire").name_en in html
    table = list(
        csv.DictReader(
            io.StringIO(staff.get(f"/instructor/classes/{class_session.code}/rounds.csv").content.decode())
        )
    )
    assert [(row["round"], row["scenario"]) for row in table] == [
        (str(n), "baseline" if n < 3 else "tripwire") for n in (1, 1, 2, 2, 3, 3, 4, 4)
    ]
    data = json.loads(staff.get(f"/instructor/classes/{class_session.code}/export.json").content)
    assert [r["scenario"] for r in data["rounds"]] == [row["scenario"] for row in table]
    assert [r["scenario"] for r in data["debrief"]["round_list"]] == [row["scenario"] for row in table]
    assert [s["scenario"] for s in data["stages"]] == ["baseline", "tripwire"]
    assert class_analysis.rebuild(data) == data["debrief"]  # the export rebuilds its debrief, stages included


# ----- the instructor's new-class form and dashboard --------------------------------------------------
FORM = {
    "rounds": 6,
    "matching": "fixed_rotating",
    "bot_strategy": "equilibrium",
    "max_students": 300,
    "result_seconds": 10,
}


def test_the_form_opens_a_class_with_its_switches(baseline_scenario, admin_client):
    tripwire, entente = scenario("tripwire"), scenario("entente")
    data = {
        **FORM,
        "scenario": baseline_scenario.pk,
        "then_1_round": 3,
        "then_1_scenario": tripwire.pk,
        "then_1_fresh": "on",
        "then_2_round": 5,
        "then_2_scenario": entente.pk,  # then_2_fresh unchecked: the reputation carries over
    }
    assert admin_client.post("/instructor/classes/new/", data).status_code == 302
    class_session = ClassSession.objects.get()
    assert [(s.first_round, s.scenario.slug, s.fresh_reputation) for s in class_session.stages.all()] == [
        (3, "tripwire", True),
        (5, "entente", False),
    ]
    page = admin_client.get(f"/instructor/classes/{class_session.code}/").content.decode()
    assert page.count("data-stage-scenario=") == 3
    assert 'data-stage-scenario="baseline" data-current="true"' in page
    assert "Rounds 3 to 4" in page


@pytest.mark.parametrize(
    ("switches", "field", "english", "japanese"),
    [
        (
            {"then_1_round": 3},
            "then_1_scenario",
            "Give both the round and the scenario",
            "ラウンドとシナリオ",
        ),
        ({"then_1_round": 7, "then_1_scenario": "tripwire"}, "then_1_round", "from 2 to 6", "2から6"),
        (
            {
                "then_1_round": 4,
                "then_1_scenario": "tripwire",
                "then_2_round": 3,
                "then_2_scenario": "entente",
            },
            "then_2_round",
            "increasing rounds",
            "3はラウンド4",
        ),
    ],
)
def test_the_form_refuses_bad_switches_in_both_languages(
    baseline_scenario, admin_client, switches, field, english, japanese
):
    data = {**FORM, "scenario": baseline_scenario.pk}
    data.update({k: scenario(v).pk if k.endswith("scenario") else v for k, v in switches.items()})
    for language, words in (("en", english), ("ja", japanese)):
        response = admin_client.post("/instructor/classes/new/", data, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors and words in " ".join(errors[field]), errors
        assert f'id="id_{field}_error"' in response.content.decode()
    assert not ClassSession.objects.exists()


def test_a_students_released_debrief_shows_the_switch_too(baseline_scenario):
    """A student who played both stages sees the same before-and-after tables as the instructor."""
    from django.test import Client

    class_session = services.create_class(
        baseline_scenario, rounds=2, seed=5, bot_seconds=0, stages=[StageSpec(scenario("tripwire"), 2)]
    )
    browsers = [Client() for _ in range(3)]
    for index, browser in enumerate(browsers):
        assert browser.post("/join", {"code": class_session.code, "name": f"S{index}"}).status_code == 302
    people = list(class_session.participants.order_by("joined"))
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    services.release_debrief(class_session.code)
    page = browsers[0].get("/play/debrief/").content.decode()
    assert 'data-table="stage-outcomes"' in page and 'data-scenario="tripwire"' in page
    japanese = browsers[0].get("/play/debrief/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "切り替えの前と後" in japanese


def test_a_new_class_like_this_one_copies_its_switches(baseline_scenario, staff):
    class_session, _ = make_class(
        baseline_scenario,
        students=3,
        rounds=6,
        stages=[StageSpec(scenario("tripwire"), 4, fresh_reputation=False)],
    )
    form = staff.get(f"/instructor/classes/new/?like={class_session.code}").context["form"]
    assert form.initial["then_1_round"] == 4 and form.initial["then_1_scenario"] == scenario("tripwire")
    assert form.initial["then_1_fresh"] is False and "then_2_round" not in form.initial
