"""Debriefs from the event log (games.debrief): golden rounds for every primary label of §5, played
through the services with seeded classes, and the expected label, flags, deviations (with their exact cost)
and payoffs, worked out by hand from crisis-model.md Example 1 (and Examples 2, 4 and 7)."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest

from games.crisis import game
from games.crisis.params import Params
from games.crisis.solver import round_benchmark
from games.debrief import class_analysis, round_analysis, round_report
from games.debrief.load import load_class
from games.models import Round, Scenario
from games.play import services
from tests.live import make_class, play_first_actions

pytestmark = pytest.mark.django_db


def scenario(slug: str, **changes: Any) -> Scenario:
    params = Params().replace(**{k: F(v) if isinstance(v, str) else v for k, v in changes.items()})
    return Scenario.objects.create(slug=slug, name_en=slug, name_ja=slug, params=params.as_dict(exact=True))


def seeded(sc: Scenario, theta: str, ctype: str | None = None) -> int:
    """A class seed whose only group's US is of type theta (and whose Challenger draws ctype in round 1)."""
    params = Params.from_mapping(sc.params)
    for seed in range(10_000):
        if game.draw_us_type(f"{seed}:group:1", params.base_prior) != theta:
            continue
        if ctype is None or game.draw_challenger_type(f"{seed}:1:1", params.q) == ctype:
            return seed
    raise AssertionError("no seed found")


def play_round(sc: Scenario, theta: str, plan: dict[str, str], ctype: str | None = None):
    """One round of three students, each decision taken from `plan` (node -> action)."""
    class_session, people = make_class(sc, students=3, rounds=1, seed=seeded(sc, theta, ctype))
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=lambda view: plan[view["round"]["node"]])
    log = load_class(class_session)
    report = class_analysis.class_debrief(log)
    (result,) = report.rounds
    return class_session, people, log, report, result


def flags(result: round_analysis.RoundAnalysis) -> set[str]:
    return {f"{f.name}({f.player},{f.node})" if f.player else f.name for f in result.classification.flags}


def deviations(result: round_analysis.RoundAnalysis) -> list[tuple[str, str, F]]:
    return [(d.role, d.node, d.cost) for d in result.decisions if d.deviation]


FULL = {"alliance": "alliance", "challenge": "challenge", "response": "resist", "attack": "attack"}

# (id, scenario changes, theta, plan, outcome, flags, deviations, payoffs us/challenger/japan)
GOLDEN = [
    (
        "general-with-alliance",
        {},
        "R",
        {"alliance": "alliance", "challenge": "status_quo"},
        "GENERAL_DETERRENCE_HELD/with_alliance",
        {"COSTLY_SIGNAL_PAID", "MULTIPLE_EQUILIBRIA"},
        [],
        ("17/20", "0", "19/20"),
    ),
    # Example 4 (pi = 0.85): E3, nobody allies and the Challenger is deterred by reputation alone.
    (
        "general-without-alliance",
        {"pi": "0.85"},
        "R",
        {"alliance": "no_alliance", "challenge": "status_quo"},
        "GENERAL_DETERRENCE_HELD/without_alliance",
        {"MULTIPLE_EQUILIBRIA"},
        [],
        ("1", "0", "1"),
    ),
    # Off the benchmark: after no alliance (mu0 = 0) the benchmark Challenger challenges and Japan concedes,
    # so keeping the status quo cost the Challenger the whole good (1 -> 0).
    (
        "general-without-alliance-off-path",
        {},
        "N",
        {"alliance": "no_alliance", "challenge": "status_quo"},
        "GENERAL_DETERRENCE_HELD/without_alliance",
        {"OFF_BENCHMARK(challenger,challenge)", "MULTIPLE_EQUILIBRIA"},
        [("challenger", "challenge", F(1))],
        ("3/10", "0", "1"),
    ),
    # Withdrawing after an alliance: at mu1 = rho_W = 4/5 attacking is worth V_C = 0, withdrawing -beta.
    (
        "immediate-off-path",
        {},
        "R",
        {**FULL, "attack": "withdraw"},
        "IMMEDIATE_DETERRENCE_HELD",
        {
            "COSTLY_SIGNAL_PAID",
            "EMBOLDENED_RESISTANCE",
            "OFF_BENCHMARK(challenger,attack)",
            "MULTIPLE_EQUILIBRIA",
        },
        [("challenger", "attack", F(1, 10))],
        ("17/20", "-1/10", "19/20"),
    ),
    (
        "conceded",
        {},
        "N",
        {"alliance": "no_alliance", "challenge": "challenge", "response": "concede"},
        "DETERRENCE_FAILED_JAPAN_CONCEDED",
        {"MULTIPLE_EQUILIBRIA"},
        [],
        ("0", "1", "0"),
    ),
    (
        "alliance-honoured",
        {},
        "R",
        {**FULL, "intervention": "intervene"},
        "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored",
        {"COSTLY_SIGNAL_PAID", "EMBOLDENED_RESISTANCE", "MULTIPLE_EQUILIBRIA"},
        [],
        ("2/5", "-1/8", "9/20"),
    ),
    # The non-resolute US honours the treaty it was not expected to: stay_out was worth
    # p*wN - R - K = -11/100, intervening p2*wN - c2 - K = -1/8, a loss of 3/200.
    (
        "alliance-honoured-entrapment",
        {},
        "N",
        {**FULL, "intervention": "intervene"},
        "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored",
        {
            "ENTRAPMENT",
            "BLUFF_CALLED",
            "COSTLY_SIGNAL_PAID",
            "EMBOLDENED_RESISTANCE",
            "OFF_BENCHMARK(us,intervention)",
            "MULTIPLE_EQUILIBRIA",
        },
        [("us", "intervention", F(3, 200))],
        ("-1/8", "-1/8", "9/20"),
    ),
    # Ad hoc coalition: the resolute US skips the alliance (U_R 307/520 -> 0: after no alliance the
    # Challenger believes mu0 = 0 and Japan concedes) and Japan resists anyway (0 -> p - c1 = -1/20).
    (
        "ad-hoc-coalition",
        {},
        "R",
        {**FULL, "alliance": "no_alliance", "intervention": "intervene"},
        "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition",
        {"OFF_BENCHMARK(us,alliance)", "OFF_BENCHMARK(japan,response)", "MULTIPLE_EQUILIBRIA"},
        [("us", "alliance", F(307, 520)), ("japan", "response", F(1, 20))],
        ("11/20", "-1/8", "1/2"),
    ),
    (
        "abandonment",
        {},
        "N",
        {**FULL, "intervention": "stay_out"},
        "ABANDONMENT",
        {"BLUFF_CALLED", "COSTLY_SIGNAL_PAID", "EMBOLDENED_RESISTANCE", "MULTIPLE_EQUILIBRIA"},
        [],
        ("-11/100", "1/2", "-1/10"),
    ),
    (
        "japan-alone",
        {},
        "N",
        {**FULL, "alliance": "no_alliance", "intervention": "stay_out"},
        "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
        {"OFF_BENCHMARK(japan,response)", "MULTIPLE_EQUILIBRIA"},
        [("japan", "response", F(1, 20))],
        ("9/100", "1/2", "-1/20"),
    ),
    # Example 2 (tripwire, hands tied: E2, no challenge).  The Challenger challenges (0 -> -beta: Japan
    # resists and it would withdraw at rho = 1) and attacks (-beta -> 1 - p2 - cCa = -1/8); the non-resolute
    # US intervenes because the treaty made abandonment cost R = 3/20.
    (
        "tripwire-entrapment",
        {"tripwire": True},
        "N",
        {**FULL, "intervention": "intervene"},
        "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored",
        {
            "ENTRAPMENT",
            "BLUFF_CALLED",
            "TRIPWIRE_TRIGGERED",
            "EMBOLDENED_RESISTANCE",  # no COSTLY_SIGNAL_PAID: E2 pools, the alliance signals nothing
            "OFF_BENCHMARK(challenger,challenge)",
            "OFF_BENCHMARK(challenger,attack)",
        },
        [("challenger", "challenge", F(1, 10)), ("challenger", "attack", F(1, 40))],
        ("-7/40", "-1/8", "2/5"),
    ),
]


@pytest.mark.parametrize(
    ("changes", "theta", "plan", "outcome", "expected_flags", "expected_deviations", "payoffs"),
    [case[1:] for case in GOLDEN],
    ids=[case[0] for case in GOLDEN],
)
def test_golden_rounds_give_the_expected_debrief(
    baseline_scenario, changes, theta, plan, outcome, expected_flags, expected_deviations, payoffs
):
    sc = scenario(f"golden-{abs(hash(str(changes))) % 10**6}", **changes) if changes else baseline_scenario
    _cls, _people, log, _report, result = play_round(sc, theta, plan)
    assert result.finished and result.state.theta == theta
    assert result.outcome == outcome
    assert flags(result) == expected_flags
    assert deviations(result) == expected_deviations
    pay = result.classification.payoffs
    assert (pay["us"], pay["challenger"], pay["japan"]) == tuple(F(x) for x in payoffs)
    # every decision is a student's move, beside the benchmark at its information set
    assert [d.action for d in result.decisions] == list(result.state.moves)
    assert all(d.student and d.kind == "move" for d in result.decisions)
    row = result.as_dict(log)
    assert row["label"] + (f"/{row['qualifier']}" if row["qualifier"] else "") == outcome
    assert row["reputation"]["matches_live"] is True


def test_a_deviation_is_priced_at_its_information_set_and_on_path_moves_cost_nothing(baseline_scenario):
    *_, result = play_round(
        baseline_scenario, "R", {**FULL, "alliance": "no_alliance", "intervention": "intervene"}
    )
    us, challenger, japan, attack, intervene = result.decisions
    assert (us.infoset.key, us.probs) == ("alliance/R", {"alliance": 1, "no_alliance": 0})
    assert us.values == {"alliance": F(307, 520), "no_alliance": 0}  # U_R(1) and U_R(0) of §3.7
    assert us.on_path and not challenger.on_path  # after the US's deviation the rest is off the path
    assert challenger.infoset.key == "challenge/a0" and challenger.belief == 0  # mu0 = 0 in E5
    assert japan.values == {"resist": F(-1, 20), "concede": 0}
    assert not attack.deviation and attack.values is None and not intervene.deviation


def test_immediate_deterrence_on_the_benchmark_path_with_module_c():
    # Example 7 (Module C): E5A, after an alliance the Challenger always challenges and a hesitant one
    # attacks only with probability 2/13, so withdrawing is on the benchmark path.
    sc = scenario("module-c", module_c=True)
    plan = {**FULL, "attack": "withdraw"}
    _cls, _people, log, _report, result = play_round(sc, "R", plan, ctype="H")
    assert result.outcome == "IMMEDIATE_DETERRENCE_HELD" and result.state.ctype == "H"
    attack = result.decisions[-1]
    assert attack.infoset.key == "attack/a1/H"
    assert attack.probs == {"attack": F(2, 13), "withdraw": F(11, 13)}
    assert not any(d.deviation for d in result.decisions)
    assert "OFF_BENCHMARK" not in {f.name for f in result.classification.flags}
    assert result.classification.payoffs["challenger"] == F(-1, 10)
    assert result.as_dict(log)["challenger_type"] == "H"


def test_the_debrief_ignores_the_round_snapshot(baseline_scenario):
    """The event log is the truth: a corrupted `Round.state` cache changes nothing."""
    class_session, _people, _log, report, _result = play_round(
        baseline_scenario, "N", {**FULL, "intervention": "stay_out"}
    )
    before = report.as_dict()
    rounds = Round.objects.filter(class_session=class_session)
    rounds.update(state={"node": "end", "result": "SQ", "history": []})
    assert class_analysis.class_debrief(load_class(class_session)).as_dict() == before


def test_the_no_alliance_counterfactual_is_the_benchmark_without_the_alliance_option():
    """The cheap path (the crisis's continuation at rho(0, prior)) equals solving the core game with the
    alliance option removed, for many priors and scenarios."""
    scenarios = [
        Params(),
        Params(tripwire=True),
        Params(k=F(7, 20)),
        Params(module_c=True),
        Params(alliance_type="offensive"),
        Params(alliance_type="neutrality"),
    ]
    for params in scenarios:
        for prior in (F(1, 20), F(1, 4), F(1, 2), F(4, 5), F(17, 20), F(99, 100)):
            solution = round_benchmark(params, prior).main
            assert round_analysis.no_alliance_path(solution) == round_analysis.no_alliance(solution.core).path


def test_counterfactual_and_complete_information_of_example_1(baseline_scenario):
    """Example 1: without an alliance the prior 1/2 < rho_W makes war certain (R fights, N stays out);
    under complete information there is no war at all (§3.4): the abandonment war is caused by uncertainty."""
    _cls, _people, _log, _report, result = play_round(
        baseline_scenario, "N", {**FULL, "intervention": "stay_out"}
    )
    counter = result.counterfactual()
    assert counter["terminals"] == {"WAR_S": 1.0} and counter["war"] == 1.0
    assert counter["benchmark_war"] == pytest.approx(75 / 208)
    complete = result.complete_info()
    assert complete["terminals"] == {"CON": 1} and complete["war_caused_by_uncertainty"] is True
    low, high = result.classification.bargaining_range
    assert (low, high) == (F(39, 100), F(1))  # [0.39, 1.00] at rho = 4/5 (§3.3)


def test_round_debrief_shows_every_equilibrium_the_tree_and_what_each_player_knew(baseline_scenario):
    _cls, _people, log, _report, result = play_round(
        baseline_scenario, "N", {**FULL, "intervention": "stay_out"}
    )
    page = round_report.round_debrief(log, result.log.id)
    assert [e["name"] for e in page["equilibria"]] == ["E5", "E3"]  # selected first; both survive the IC
    e5, e3 = page["equilibria"]
    assert e5["move_probs"] == pytest.approx([1 / 4, 15 / 26, 1, 1, 1]) and e3["path_prob"] == 0
    assert e5["outcomes"]["ABANDONMENT"] == pytest.approx(15 / 208)
    assert e3["outcomes"] == pytest.approx(
        {
            "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition": 0.5,
            "DETERRENCE_FAILED_WAR_JAPAN_ALONE": 0.5,
        }
    )
    knew = {k["role"] + ":" + k["node"]: k for k in page["knowledge"]}
    assert knew["us:alliance"]["private"]["us_type"] == "non_resolute"
    assert knew["challenger:challenge"]["private"] == {} and knew["japan:response"]["private"] == {}
    assert knew["challenger:challenge"]["benchmark_belief"] == pytest.approx(0.8)
    assert [len(s["views"]) for s in page["steps"]] == [3] * 6  # the start and one step per event
    assert all("us_type" not in str(s["views"]["challenger"]) for s in page["steps"])
    terminals = []

    def walk(node: dict[str, Any]) -> None:
        if node["kind"] == "terminal":
            terminals.append(node)
        for edge in node.get("children", []):
            walk(edge["child"])

    walk(page["tree"])
    assert len(terminals) == 20  # §2.2: 20 terminal nodes
    played = [t for t in terminals if t["played"]]
    assert len(played) == 1 and played[0]["outcome"] == "ABANDONMENT" and played[0]["theta"] == "N"
    reach = {(t["theta"], t["alliance"], t["terminal"]): t["reach"] for t in terminals if t["reach"]}
    assert reach == pytest.approx(
        {
            ("N", 0, "CON"): 3 / 8,
            ("N", 1, "SQ"): 11 / 208,
            ("N", 1, "WAR_S"): 15 / 208,
            ("R", 1, "SQ"): 11 / 52,
            ("R", 1, "WAR_I"): 15 / 52,
        }
    )
    assert page["bargaining"]["now"] == pytest.approx(
        {"rho": 0.8, "low": 0.39, "high": 1.0, "p": 0.66, "c1": 0.27, "cC": 0.34}
    )
    assert page["counterfactual_path"] == [
        {
            "theta": "R",
            "alliance": 0,
            "terminal": "WAR_I",
            "ctype": None,
            "prob": 0.5,
            "outcome": "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition",
        },
        {
            "theta": "N",
            "alliance": 0,
            "terminal": "WAR_S",
            "ctype": None,
            "prob": 0.5,
            "outcome": "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
        },
    ]


def test_the_module_c_tree_has_nature_s_draw_after_japan_resists():
    sc = scenario("module-c-tree", module_c=True)
    _cls, _people, log, _report, result = play_round(sc, "R", {**FULL, "attack": "withdraw"}, ctype="H")
    tree = round_report.round_debrief(log, result.log.id)["tree"]
    count = {"terminal": 0, "chance": 0}

    def walk(node: dict[str, Any]) -> None:
        count[node["kind"]] = count.get(node["kind"], 0) + 1
        for edge in node.get("children", []):
            walk(edge["child"])

    walk(tree)
    assert count["terminal"] == 32 and count["chance"] == 1 + 4  # theta, and t after each resist
