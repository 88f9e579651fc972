"""Debrief classification (crisis-model.md §5): primary labels, flags and the per-round report."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from games.crisis import debrief, game
from games.crisis.game import State
from games.crisis.params import AllianceType, Params
from games.crisis.solver import solve

EXAMPLE_1 = Params()
EXAMPLE_2 = Params(tripwire=True)

PATHS = {
    "SQ": ["status_quo"],
    "CON": ["challenge", "concede"],
    "WD": ["challenge", "resist", "withdraw"],
    "WAR_I": ["challenge", "resist", "attack", "intervene"],
    "WAR_S": ["challenge", "resist", "attack", "stay_out"],
}


def round_of(params: Params, theta: str, a: int, terminal: str, seed: int = 0) -> State:
    first = [] if not params.alliance_allowed else ["alliance" if a else "no_alliance"]
    return game.replay(params, None, theta, seed, first + PATHS[terminal])


def classify(params: Params, theta: str, a: int, terminal: str, **kwargs) -> debrief.Debrief:
    return debrief.classify(round_of(params, theta, a, terminal), solve(params), **kwargs)


# ----- §5 worked labels ----------------------------------------------------------------------------

EXAMPLE_1_LABELS = [
    ("N", 0, "CON", "DETERRENCE_FAILED_JAPAN_CONCEDED", None, set()),
    ("N", 1, "SQ", "GENERAL_DETERRENCE_HELD", "with_alliance", {"BLUFF_UNTESTED"}),
    ("N", 1, "WAR_S", "ABANDONMENT", None, {"BLUFF_CALLED", "EMBOLDENED_RESISTANCE"}),
    ("R", 1, "SQ", "GENERAL_DETERRENCE_HELD", "with_alliance", set()),
    ("R", 1, "WAR_I", "DETERRENCE_FAILED_WAR_US_INTERVENED", "alliance_honored", {"EMBOLDENED_RESISTANCE"}),
]


@pytest.mark.parametrize(("theta", "a", "terminal", "label", "qualifier", "flags"), EXAMPLE_1_LABELS,
                         ids=[f"{t}-{a}-{x}" for t, a, x, *_ in EXAMPLE_1_LABELS])
def test_example_1_on_path_labels(theta: str, a: int, terminal: str, label: str, qualifier: str | None,
                                  flags: set[str]) -> None:
    result = classify(EXAMPLE_1, theta, a, terminal)
    assert (result.terminal, result.label, result.qualifier) == (terminal, label, qualifier)
    expected = flags | ({"COSTLY_SIGNAL_PAID"} if a else set())
    # Example 1 has a second IC-surviving PBE (E3, §3.7), so every round also carries MULTIPLE_EQUILIBRIA.
    assert set(result.flag_names) == expected | {"MULTIPLE_EQUILIBRIA"}
    assert not result.has("ENTRAPMENT") and not result.has("OFF_BENCHMARK")


def test_example_1_paths_are_the_benchmark_paths() -> None:
    solution = solve(EXAMPLE_1).main
    on_path = {(e.theta, e.alliance, e.terminal) for e in solution.path}
    assert on_path == {(t, a, x) for t, a, x, *_ in EXAMPLE_1_LABELS}
    assert {e.name for e in solution.candidates if e.ic} == {"E5", "E3"}


def test_example_2_off_path_entrapment() -> None:
    result = classify(EXAMPLE_2, "N", 1, "WAR_I")
    assert (result.label, result.qualifier) == ("DETERRENCE_FAILED_WAR_US_INTERVENED", "alliance_honored")
    # E2 pools on the alliance: it signals nothing, so no COSTLY_SIGNAL_PAID.
    assert set(result.flag_names) == {"ENTRAPMENT", "BLUFF_CALLED", "TRIPWIRE_TRIGGERED",
                                      "EMBOLDENED_RESISTANCE", "OFF_BENCHMARK"}
    off = [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"]
    # E2: nobody challenges an alliance (rho = 1); having challenged, attacking is strictly worse than
    # withdrawing (rho = 1 >= rho_A); Japan's resistance and the N type's intervention are benchmark play.
    assert off == [("challenger", "challenge"), ("challenger", "attack")]



def test_a_costly_signal_is_one_only_where_the_alliance_signals() -> None:
    """COSTLY_SIGNAL_PAID reports K and K1 where the benchmark's alliance separates the types (Example 3,
    E1: only the resolute US allies), not where both types ally (Example 2, E2) or none does (Example 5)."""
    paid = next(f for f in classify(Params(k=F(7, 20)), "R", 1, "SQ").flags if f.name == "COSTLY_SIGNAL_PAID")
    assert paid.as_dict() == {"name": "COSTLY_SIGNAL_PAID", "K": 0.35, "K1": 0.05}
    assert not classify(EXAMPLE_2, "N", 1, "SQ").has("COSTLY_SIGNAL_PAID")
    assert not classify(Params(k=F(3, 5)), "R", 1, "SQ").has("COSTLY_SIGNAL_PAID")


def test_off_benchmark_counts_only_students() -> None:
    result = classify(EXAMPLE_2, "N", 1, "WAR_I", students=("us", "japan"))
    assert not result.has("OFF_BENCHMARK")


def test_example_2_benchmark_path_has_no_off_benchmark_flag() -> None:
    result = classify(EXAMPLE_2, "R", 1, "SQ")
    assert set(result.flag_names) == set()
    assert result.benchmark == "E2" and result.equilibria == ("E2",)


# ----- labels and flags one by one ------------------------------------------------------------------

def test_every_primary_label() -> None:
    expected = {
        ("SQ", 1): ("GENERAL_DETERRENCE_HELD", "with_alliance"),
        ("SQ", 0): ("GENERAL_DETERRENCE_HELD", "without_alliance"),
        ("WD", 0): ("IMMEDIATE_DETERRENCE_HELD", None),
        ("WD", 1): ("IMMEDIATE_DETERRENCE_HELD", None),
        ("CON", 1): ("DETERRENCE_FAILED_JAPAN_CONCEDED", None),
        ("WAR_I", 1): ("DETERRENCE_FAILED_WAR_US_INTERVENED", "alliance_honored"),
        ("WAR_I", 0): ("DETERRENCE_FAILED_WAR_US_INTERVENED", "ad_hoc_coalition"),
        ("WAR_S", 1): ("ABANDONMENT", None),
        ("WAR_S", 0): ("DETERRENCE_FAILED_WAR_JAPAN_ALONE", None),
    }
    for (terminal, a), label in expected.items():
        assert debrief.primary_label(terminal, a) == label
        assert (classify(EXAMPLE_1, "R", a, terminal).label,
                classify(EXAMPLE_1, "R", a, terminal).qualifier) == label


def test_example_5_ad_hoc_coalition_is_benchmark_play() -> None:
    params = Params(k=F(3, 5))
    result = classify(params, "R", 0, "WAR_I")
    assert result.qualifier == "ad_hoc_coalition" and result.benchmark == "E3"
    assert not result.has("OFF_BENCHMARK") and not result.has("COSTLY_SIGNAL_PAID")
    assert classify(params, "N", 0, "WAR_S").label == "DETERRENCE_FAILED_WAR_JAPAN_ALONE"


def test_unnecessary_alliance_with_a_strong_reputation() -> None:
    params = Params(pi=F(85, 100))  # Example 4: deterrence by reputation, nobody should ally
    result = classify(params, "R", 1, "SQ")
    assert result.has("UNNECESSARY_ALLIANCE")
    # E3's off-path belief after an alliance is skeptical (mu1 = 0): Japan would concede, so the benchmark
    # Challenger challenges and its status quo is strictly worse given that belief.
    assert [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"] == [
        ("us", "alliance"), ("challenger", "challenge")]
    assert not classify(EXAMPLE_1, "R", 1, "SQ").has("UNNECESSARY_ALLIANCE")


def test_entrapment_needs_a_treaty_and_a_negative_intrinsic_gain() -> None:
    assert not classify(EXAMPLE_2, "R", 1, "WAR_I").has("ENTRAPMENT")  # g_R >= 0
    assert not classify(EXAMPLE_2, "N", 0, "WAR_I").has("ENTRAPMENT")  # no treaty


def test_emboldened_resistance_needs_japan_unable_to_fight_alone() -> None:
    assert classify(EXAMPLE_1, "R", 1, "WD").has("EMBOLDENED_RESISTANCE")  # p - c1 = -1/20
    assert not classify(EXAMPLE_1, "R", 0, "WD").has("EMBOLDENED_RESISTANCE")
    strong = Params(c1=F(1, 4))
    assert not classify(strong, "R", 1, "WD").has("EMBOLDENED_RESISTANCE")


def test_tripwire_triggered_only_when_attacked() -> None:
    assert classify(EXAMPLE_2, "R", 1, "WAR_I").has("TRIPWIRE_TRIGGERED")
    assert not classify(EXAMPLE_2, "R", 1, "WD").has("TRIPWIRE_TRIGGERED")
    assert not classify(EXAMPLE_1, "R", 1, "WAR_I").has("TRIPWIRE_TRIGGERED")


def test_off_path_tie_is_not_flagged_but_strictly_worse_is() -> None:
    """Example 2 with p = c1: after an (off-path) no-alliance, Japan is indifferent at rho = 0 and resists by
    §2.4; conceding there has benchmark probability 0 but is not strictly worse, so it is not flagged."""
    params = EXAMPLE_2.replace(c1=F(3, 10))
    solution = solve(params).main
    assert solution.selected.name == "E2" and solution.behaviour("response", alliance=0)["resist"] == 1
    conceded = game.replay(params, None, "R", 0, ["no_alliance", "challenge", "concede"])
    tie = debrief.classify(conceded, solution)
    assert [(f.player, f.node) for f in tie.flags if f.name == "OFF_BENCHMARK"] == [("us", "alliance")]
    worse = debrief.classify(game.replay(params, None, "R", 0, ["no_alliance", "status_quo"]), solution)
    assert [(f.player, f.node) for f in worse.flags if f.name == "OFF_BENCHMARK"] == [
        ("us", "alliance"), ("challenger", "challenge")]


def test_us_off_benchmark_at_its_own_intervention_node() -> None:
    result = classify(EXAMPLE_1, "R", 1, "WAR_S")
    assert [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"] == [("us", "intervention")]


def test_module_a_arming_against_the_benchmark() -> None:
    params = Params(module_a=True)  # Example 6: Japan arms
    bench = solve(params)
    assert bench.arm is True
    unarmed = game.replay(params, None, "R", 0, ["no_arm", "alliance", "status_quo"])
    result = debrief.classify(unarmed, bench)
    assert ("japan", "arming") in [(f.player, f.node) for f in result.flags if f.name == "OFF_BENCHMARK"]
    armed = game.replay(params, None, "R", 0, ["arm", "alliance", "status_quo"])
    assert not debrief.classify(armed, bench).has("OFF_BENCHMARK")
    assert debrief.classify(armed, bench).benchmark == bench.solution(True).selected.name


def test_module_c_immediate_deterrence_on_path() -> None:
    params = Params(module_c=True)
    for seed in range(30):
        state = game.replay(params, None, "R", seed, ["alliance", "challenge", "resist"])
        if state.ctype == "H":
            break
    end = game.apply(state, "withdraw")
    result = debrief.classify(end, solve(params))
    assert result.label == "IMMEDIATE_DETERRENCE_HELD" and result.challenger_type == "H"
    assert not result.has("OFF_BENCHMARK")


def test_neutrality_round() -> None:
    params = Params(alliance_type=AllianceType.NEUTRALITY)
    result = classify(params, "R", 0, "CON")
    assert result.label == "DETERRENCE_FAILED_JAPAN_CONCEDED" and not result.has("OFF_BENCHMARK")


# ----- per-round report ----------------------------------------------------------------------------

def test_report_items_example_1() -> None:
    result = classify(EXAMPLE_1, "N", 1, "WAR_S")
    assert result.us_type == "N" and result.challenger_type is None
    assert (result.mu, result.rho) == (F(4, 5), F(4, 5))
    assert result.bargaining_range == (F(39, 100), F(1))  # §3.3: [0.39, 1.00] at rho = 0.8
    assert classify(EXAMPLE_1, "N", 0, "CON").bargaining_range == (F(-1, 20), F(1, 2))
    probs = {(e.theta, e.alliance, e.terminal): e.prob for e in result.path}
    assert probs[("N", 1, "WAR_S")] == F(15, 208)
    assert result.complete_info["N"]["alliance"] == 0
    assert result.payoffs == game.payoffs(round_of(EXAMPLE_1, "N", 1, "WAR_S"))


def test_as_dict_is_json_ready() -> None:
    data = classify(EXAMPLE_2, "N", 1, "WAR_I").as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["types"] == {"us": "N", "challenger": None}
    assert data["label"] == "DETERRENCE_FAILED_WAR_US_INTERVENED"
    assert {"name": "OFF_BENCHMARK", "player": "challenger", "node": "attack"} in data["flags"]
    assert data["bargaining_range"]["low"] == pytest.approx(0.5)
    assert sum(e["prob"] for e in data["benchmark"]["path"]) == pytest.approx(1.0)
    assert data["benchmark"]["complete_information"]["R"]["alliance"] == 0


def test_abandonment_rate_across_rounds() -> None:
    rounds = [classify(EXAMPLE_1, "N", 1, "WAR_S"), classify(EXAMPLE_1, "R", 1, "WAR_I"),
              classify(EXAMPLE_1, "R", 1, "WAR_I"), classify(EXAMPLE_1, "R", 1, "WAR_I"),
              classify(EXAMPLE_1, "R", 1, "SQ"), classify(EXAMPLE_1, "N", 0, "WAR_S")]
    assert debrief.abandonment_rate(rounds) == {"tested": 4, "abandoned": 1, "rate": 0.25}
    assert debrief.abandonment_rate([])["rate"] is None


def test_running_round_cannot_be_classified() -> None:
    with pytest.raises(ValueError):
        debrief.classify(game.new_round(EXAMPLE_1, seed=0), solve(EXAMPLE_1))
