"""What the views say the model gives (`public.theory`) and the round's shape the pages draw (`game.spine`):
both computed by the engine, so the student's page only draws them (crisis-model.md §3.2, §3.3, §9.2)."""

from __future__ import annotations

from fractions import Fraction as F
from typing import Any

import pytest

from games.crisis import game, views
from games.crisis.analysis import solution_at
from games.crisis.params import AllianceType, Params
from games.crisis.solver import bargaining_range, solve
from tests.engine.test_views import all_states

SCENARIOS = {
    "core": Params(),
    "tripwire": Params(tripwire=True),
    "A": Params(module_a=True),
    "C": Params(module_c=True),
    "neutrality": Params(alliance_type=AllianceType.NEUTRALITY),
    "D": Params(arf=True),
    "D-no-challenger-cbm": Params(arf=True, dphiC=F(0)),
}


def theory(state: game.State, **options: Any) -> dict[str, Any]:
    return views.view_for(state, "japan", **options)["public"]["theory"]


def test_example_1_ranges_after_an_alliance_at_the_benchmark_belief() -> None:
    """§3.3's reading of Example 1: [-0.05, 0.50] at rho = 0, [0.39, 1.00] at 0.8, [0.50, 1.125] at 1."""
    state = game.replay(Params(), None, "N", 0, ["alliance", "challenge"])
    shown = theory(state, show_benchmark_belief=True, solution=solve(Params()))
    assert (shown["belief"], shown["belief_is_benchmark"], shown["rho"]) == (0.8, True, 0.8)
    ranges = {key: (r["rho"], r["low"], r["high"]) for key, r in shown["ranges"].items()}
    assert ranges == {"alone": (0.0, -0.05, 0.5), "now": (0.8, 0.39, 1.0), "certain": (1.0, 0.5, 1.125)}
    assert shown["ranges"]["now"]["p"] == pytest.approx(0.66)
    assert shown["deal"] == {"low": 0.39, "high": 1.0}
    # The verdict is the benchmark's: exactly at the edge (rho_W = 0.8) the Challenger is indifferent and
    # challenges with probability 15/26; the range's edge is only a reason.
    codes = [claim["claim"] for claim in shown["claims"]]
    assert codes == ["challenge_indifferent", "range_boundary", "challenge_values", "resist_always"]
    assert shown["claims"][0]["p"] == pytest.approx(15 / 26)
    assert shown["challenger_wins"] == {"alone": 0.7, "coalition": 0.25}


def test_after_the_alliance_a_hidden_belief_shows_the_prior_and_no_verdict() -> None:
    """The class hides the benchmark belief: the meter keeps the reputation from before the alliance
    decision, and nothing is computed from it (no rho, no range now, no verdict)."""
    state = game.replay(Params(), None, "N", 0, ["alliance"])
    shown = theory(state)
    assert (shown["belief"], shown["belief_kind"], shown["rho"]) == (0.5, "hidden", None)
    assert shown["ranges"]["now"] is None and shown["deal"] is None and shown["claims"] == []
    tied = theory(game.replay(Params(tripwire=True), None, "N", 0, ["alliance"]))
    assert (tied["belief_kind"], tied["rho"]) == ("hidden", 1.0)  # rho does not depend on the belief
    assert tied["claims"][0]["claim"] == "challenge_never"


def test_conceding_quotes_the_costs_already_paid() -> None:
    params = Params(module_a=True, tripwire=True)
    state = game.replay(params, None, "N", 0, ["arm", "alliance", "challenge"])
    core = state.core
    assert theory(state)["consequences"]["concede"] == pytest.approx(float(-core.K1 - params.arm_cost))


def test_before_the_alliance_decision_rho_is_the_no_alliance_one_at_the_prior() -> None:
    state = game.new_round(Params(), prior=F(1, 20), seed=0)
    shown = theory(state, show_benchmark_belief=True, solution=solve(Params()))
    assert (shown["belief"], shown["belief_kind"], shown["rho"]) == (0.05, "reputation", 0.05)
    assert shown["ranges"]["now"]["low"] < 0 and shown["deal"]["low"] == 0.0
    assert shown["claims"] == []  # no verdict before the alliance decision


def test_a_tie_intervenes_exactly_as_the_engine_breaks_it() -> None:
    """g_N + R = 0: §2.4 breaks the tie towards intervening, so an alliance ties the hands (rho = 1)."""
    params = Params(r=F(13, 200))
    assert params.core().g("N") + params.core().R == 0
    allied = game.replay(params, None, "N", 0, ["alliance"])
    shown = theory(allied)  # the belief is hidden, but with tied hands rho does not depend on it
    assert shown["rho"] == 1.0 and shown["g_N_allied"] == 0.0
    assert views.view_for(allied, "japan")["public"]["effective"]["hands_tied"] is True


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_theory_is_the_solvers_at_every_state(name: str) -> None:
    params = SCENARIOS[name]
    bench = solve(params)
    for state in all_states(params):
        shown = theory(state, show_benchmark_belief=True, solution=bench)
        decided = state.alliance is not None
        belief = solution_at(bench, state).belief(state.alliance) if decided else state.prior
        rho = solution_at(bench, state).rho(state.alliance or 0, belief)
        assert (shown["belief"], shown["rho"]) == (float(belief), float(rho))
        # Under a neutrality pact nothing is decided: the belief stays the reputation.
        assert shown["belief_is_benchmark"] is (decided and params.alliance_allowed)
        for key, at in (("alone", F(0)), ("now", rho), ("certain", F(1))):
            low, high = bargaining_range(state.core, at)
            assert (shown["ranges"][key]["low"], shown["ranges"][key]["high"]) == (float(low), float(high))
        assert bool(shown["claims"]) is decided


def test_module_d_stage_zero_chances_and_what_measures_add() -> None:
    shown = theory(game.new_round(Params(arf=True, phi0=F(1, 10), dphi1=F(2, 5), psi=F(1, 4)), seed=0))
    arf = shown["arf"]
    assert arf["without_measures"] == {"allied": 0.1, "alone": 0.025}
    assert arf["japan_adds"] == {"allied": 0.4, "alone": 0.1}
    assert arf["challenger_adds"] == {"allied": 0.2, "alone": 0.05}
    assert theory(game.new_round(Params(arf=True, dphiC=F(0)), seed=0))["arf"]["challenger_adds"] is None
    assert "arf" not in theory(game.new_round(Params(), seed=0))


# ----- the spine ------------------------------------------------------------------------------------

# DESIGN.md's node names in the order a round passes them.
DESIGN_ORDER = ("arming", "cbm_japan", "cbm_challenger", "alliance", "challenge", "response",
                "preventive_diplomacy", "attack", "intervention")  # fmt: skip


def steps_reached(params: Params) -> set[str]:
    """Every step some round with these parameters passes: the nodes played and the automatic events."""
    reached = set()
    for state in all_states(params):
        if game.to_move(state):
            reached.add(state.node)
        reached.update(move.node for move in state.history)
    return reached


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_spine_lists_exactly_the_steps_a_round_can_pass(name: str) -> None:
    params = SCENARIOS[name]
    assert [step["node"] for step in game.spine(params)] == [
        node for node in DESIGN_ORDER if node in steps_reached(params)
    ]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_each_edge_ends_the_round_where_the_engine_does(name: str) -> None:
    params = SCENARIOS[name]
    edges = [(step["node"], edge) for step in game.spine(params) for edge in step["edges"]]
    terminals = {(node, edge["action"]): edge["terminal"] for node, edge in edges}
    for state in all_states(params):
        for action in game.legal_actions(state):
            child = game.apply(state, action)
            if child.arf_draw and not state.arf_draw:  # resist, then Nature's step: both of its outcomes
                for outcome, _ in game.preventive_diplomacy_outcomes(state):
                    assert terminals[(game.PREVENTIVE_DIPLOMACY, outcome.arf_draw)] == outcome.result
                assert terminals[(state.node, action)] is None
            else:
                assert terminals[(state.node, action)] == child.result, (state.node, action)


def test_the_spine_names_movers_and_actions_from_the_engine() -> None:
    for step in game.spine(Params(module_a=True, arf=True)):
        node = step["node"]
        assert step["mover"] == game.MOVER.get(node)
        actions = game.CHANCE_ACTIONS.get(node) or game.ACTIONS[node]
        assert [edge["action"] for edge in step["edges"]] == list(actions)
