"""Multi-round reputation (crisis-model.md §4): the worked table and the update rules."""

from __future__ import annotations

import math
import random
from fractions import Fraction as F

import pytest

from games.crisis import game, reputation
from games.crisis.params import AllianceType, Params
from games.crisis.solver import solve, solve_core

EXAMPLE_1 = Params()
EXAMPLE_2 = Params(tripwire=True)
TOL = 1e-4

ATTACKED = ["alliance", "challenge", "resist", "attack"]

# Scenario, round-1 actions, mu after alliance, mu after intervention, pi_2, round-2 benchmark (§4 table).
TABLE = [
    (EXAMPLE_1, ["alliance", "status_quo"], 0.7843, None, 0.7558, "E5"),
    (EXAMPLE_1, [*ATTACKED, "intervene"], 0.7843, 0.9874, 0.9386, "E3"),
    (EXAMPLE_1, [*ATTACKED, "stay_out"], 0.7843, 0.0178, 0.0660, "E5"),
    (EXAMPLE_2, [*ATTACKED, "intervene"], 0.5068, 0.5140, 0.5126, "E2"),
    (EXAMPLE_2, [*ATTACKED, "stay_out"], 0.5068, 0.0581, 0.1023, "E2"),
]


@pytest.mark.parametrize(("params", "actions", "mu1", "mu_i", "pi2", "round2"), TABLE,
                         ids=["ex1-untested", "ex1-honoured", "ex1-abandoned", "ex2-honoured",
                              "ex2-abandoned"])
def test_spec_table(params: Params, actions: list[str], mu1: float, mu_i: float | None, pi2: float,
                    round2: str) -> None:
    solution = solve(params).main
    state = game.replay(params, None, "R", 0, actions)
    update = reputation.round_update(params, solution, state.history)
    assert update.mu_after_alliance == pytest.approx(mu1, abs=TOL)
    if mu_i is None:
        assert update.mu_after_intervention is None
    else:
        assert update.mu_after_intervention == pytest.approx(mu_i, abs=TOL)
    assert update.pi_next == pytest.approx(pi2, abs=TOL)
    assert solve(params.replace(pi=F(update.pi_next))).main.selected.name == round2


def test_round_two_details() -> None:
    """E3 after an honoured alliance deters without a treaty; E5 after abandonment bluffs w.p. ~0.0177."""
    def next_solution(actions: list[str]):
        state = game.replay(EXAMPLE_1, None, "N", 0, actions)
        pi2 = reputation.round_update(EXAMPLE_1, solve(EXAMPLE_1).main, state.history).pi_next
        return solve(EXAMPLE_1.replace(pi=F(pi2))).main

    honoured = next_solution([*ATTACKED, "intervene"])
    assert {(e.alliance, e.terminal) for e in honoured.path} == {(0, "SQ")}
    abandoned = next_solution([*ATTACKED, "stay_out"])
    assert float(abandoned.selected.x_N) == pytest.approx(0.0177, abs=TOL)
    assert abandoned.behaviour("response", alliance=0)["concede"] == 1
    untested = next_solution(["alliance", "status_quo"])
    assert untested.core.pi < F(4, 5)


def test_core_with_prior_gives_the_same_round_two_benchmark() -> None:
    pi2 = F(3779, 5000)
    via_params = solve(EXAMPLE_1.replace(pi=pi2)).main.selected
    assert via_params == solve_core(EXAMPLE_1.core().with_prior(pi2)).selected


def test_likelihood_formula() -> None:
    assert reputation.likelihood(F(1, 4), 0, F(1, 10), 10) == pytest.approx(0.9 * 0.25 + 0.05)
    assert reputation.likelihood(1, F(3, 10), F(1, 10), 10) == pytest.approx(0.9 + 0.1 / (1 + math.exp(-3)))
    assert reputation.likelihood(0, -1000, F(1, 10), 10) == pytest.approx(0.0)
    assert reputation.likelihood(0, 1000, F(1, 10), 10) == pytest.approx(0.1)
    assert reputation.likelihood(0, 5, F(1, 10), 0) == pytest.approx(0.05)  # lam = 0: uniform errors


def test_alliance_update_by_hand() -> None:
    solution = solve(EXAMPLE_1).main
    d_r = float(solution.us_value("R", 1) - solution.us_value("R", 0))
    l_r = 0.9 * 1 + 0.1 / (1 + math.exp(-10 * d_r))
    l_n = 0.9 * 0.25 + 0.1 * 0.5  # N is indifferent in E5: d_N = 0
    expected = 0.5 * l_r / (0.5 * l_r + 0.5 * l_n)
    assert reputation.update_after_alliance(F(1, 2), solution, 1) == pytest.approx(expected, abs=1e-12)


def test_no_alliance_in_example_1_reveals_a_non_resolute_us() -> None:
    solution = solve(EXAMPLE_1).main
    assert reputation.update_after_alliance(0.5, solution, 0) < 0.1


def test_intervention_advantage() -> None:
    solution = solve(EXAMPLE_1).main
    assert reputation.intervention_advantage(solution, "R", 1) == F(1, 4) + F(1, 20)
    assert reputation.intervention_advantage(solution, "N", 0) == F(-13, 200)
    neutral = solve(Params(alliance_type=AllianceType.NEUTRALITY)).main
    assert reputation.intervention_advantage(neutral, "R", 0) == F(1, 4) - F(3, 10)


def test_neutrality_pact_alliance_event_teaches_nothing() -> None:
    params = Params(alliance_type=AllianceType.NEUTRALITY)
    solution = solve(params).main
    state = game.replay(params, None, "R", 0, ["challenge", "concede"])
    update = reputation.round_update(params, solution, game.public_history(state))
    assert update.mu_after_alliance == pytest.approx(0.5)
    assert update.mu_after_intervention is None
    assert update.pi_next == pytest.approx(0.5)


def test_round_update_accepts_dict_history_and_an_explicit_prior() -> None:
    solution = solve(EXAMPLE_1).main
    state = game.replay(EXAMPLE_1, None, "R", 0, ["alliance", "status_quo"])
    from_moves = reputation.round_update(EXAMPLE_1, solution, state.history)
    from_dicts = reputation.round_update(EXAMPLE_1, solution, game.public_history(state))
    assert from_moves == from_dicts
    assert from_dicts.as_dict()["mu_after_intervention"] is None
    shifted = reputation.round_update(EXAMPLE_1, solution, state.history, prior=0.3)
    assert shifted.mu_after_alliance < from_moves.mu_after_alliance


def test_next_prior_mixes_towards_the_base_prior() -> None:
    assert reputation.next_prior(1.0, F(1, 10), F(1, 2)) == pytest.approx(0.95)
    assert reputation.next_prior(0.2, 0, 0.5) == pytest.approx(0.2)
    assert reputation.next_prior(0.2, 1, 0.5) == pytest.approx(0.5)


def test_next_us_type_persists_or_is_redrawn() -> None:
    rng = random.Random(7)
    assert all(reputation.next_us_type("N", 0, F(1, 2), rng) == "N" for _ in range(200))
    redrawn = [reputation.next_us_type("N", 1, F(3, 4), rng) for _ in range(4000)]
    assert 0.72 < redrawn.count("R") / 4000 < 0.78
    kept = [reputation.next_us_type("R", F(1, 10), F(0), rng) for _ in range(4000)]
    assert 0.08 < kept.count("N") / 4000 < 0.12
    a = [reputation.next_us_type("R", F(1, 2), F(1, 2), random.Random(3)) for _ in range(5)]
    b = [reputation.next_us_type("R", F(1, 2), F(1, 2), random.Random(3)) for _ in range(5)]
    assert a == b


def test_module_a_round_update_uses_the_armed_benchmark() -> None:
    params = Params(module_a=True)
    bench = solve(params)
    state = game.replay(params, None, "R", 0, ["arm", "alliance", "status_quo"])
    whole = reputation.round_update(params, bench, state.history)
    assert whole == reputation.round_update(params, bench.solution(True), state.history)
    unarmed = game.replay(params, None, "R", 0, ["no_arm", "alliance", "status_quo"])
    assert reputation.round_update(params, bench, unarmed.history) == reputation.round_update(
        params, bench.solution(False), unarmed.history)


def test_multi_round_chain_keeps_the_base_prior() -> None:
    """Three rounds of honoured alliances: each round is solved at its own prior, pi0 stays the scenario's."""
    prior = EXAMPLE_1.pi
    for _ in range(3):
        solution = solve(EXAMPLE_1.replace(pi=prior, pi0=EXAMPLE_1.base_prior)).main
        state = game.replay(EXAMPLE_1, prior, "R", 0, [*ATTACKED, "intervene"])
        update = reputation.round_update(EXAMPLE_1, solution, state.history)
        assert update.pi_next >= 0.05  # eta * pi0 is a floor
        prior = F(update.pi_next)
    assert prior > F(9, 10)
