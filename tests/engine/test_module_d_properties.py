"""Property tests of Module D (crisis-model.md §9) over random scenarios (exact fractions on a grid).

* replay reproduces the live state through stage 0 and the preventive-diplomacy draw; no role's view
  depends on another role's hidden type;
* in every CBM subgame the selected equilibrium is a PBE on the tree, checked by brute force: at every
  information set (the chance step replaced by both of its outcomes) no action strictly improves the
  mover's expected payoff (values from terminal payoffs only, exact, tolerance 0), and beliefs follow
  Bayes' rule on the path; the solver's path and expected payoffs equal the tree's;
* stage 0 (§9.6) is backward induction on the tree: the Challenger's reply to each of Japan's choices and
  Japan's choice are best responses, and each undertakes CBMs only if strictly better (Module A + D: Japan
  arms iff strictly better);
* with zero effectiveness (phi0 = dphi1 = dphiC = 0) the benchmark is the core's.
"""

from __future__ import annotations

import dataclasses
import os
from fractions import Fraction as F

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from test_properties import (
    assert_bayes_on_path,
    assert_sequentially_rational,
    assert_views_hide_the_hidden_types,
    grid,
    local,
    tree_path,
    wide,
    with_examples,
)

from games.crisis import analysis, debrief, game
from games.crisis.game import State
from games.crisis.params import AllianceType, Params
from games.crisis.solver import Benchmark, Solution, solve

# Each example solves 4 CBM subgames (8 with Module A) and walks each; CRISIS_PROPERTY_EXAMPLES deepens it.
EXAMPLES = max(1, int(os.environ.get("CRISIS_PROPERTY_EXAMPLES", "200")) // 2)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@st.composite
def arf_values(draw: st.DrawFn, beta: F) -> dict:
    """Module D's parameters: psi = 0 and psi = 1 each with probability 1/4, dphiC = 0 with 1/4."""
    phi0 = draw(grid(0, 6))
    dphi1 = draw(grid(0, 14))
    dphiC = draw(st.sampled_from([F(0)]) | grid(0, 8))
    assume(phi0 + dphi1 + dphiC < 1)
    return {
        "arf": True,
        "phi0": phi0,
        "dphi1": dphi1,
        "dphiC": dphiC,
        "psi": draw(st.sampled_from([F(0), F(1)]) | grid(0, 20)),
        "kappa1": draw(grid(1, 5, 100)),
        "kappaC": draw(grid(1, 5, 100)),
        "betaD": beta * draw(grid(0, 20)),
    }


@st.composite
def arf_scenarios(draw: st.DrawFn, module_a: bool | None = None) -> Params:
    values = draw(st.one_of(wide(), local()))
    values["tripwire"] = draw(st.booleans())
    values["alliance_type"] = draw(st.sampled_from([AllianceType.DEFENCE_PACT] * 3 + list(AllianceType)))
    values["module_a"] = draw(st.integers(0, 3)) == 0 if module_a is None else module_a
    if values["module_a"]:
        values["p_arm"] = min(values["p"] + draw(grid(0, 6)), F(19, 20))
        values["p2_arm"] = max(values["p2"], values["p_arm"]) + draw(grid(0, 4))
    values.update(draw(arf_values(values["beta"])))
    params = Params(**values)
    assume(not params.errors())
    return params


D1 = Params(arf=True)
# Outside S1-S4-D (rho_W > 1): in subgame (0, 0), with phi = 1/20, the selected equilibrium is the E5
# variant at rho_R_D(e,1) in which Japan mixes (found by a random search; lotteries in every payoff).
RHO_R_VARIANT = Params(
    p=F(3, 8),
    p2=F(441, 1000),
    c1=F(501, 1000),
    c1a=F(187, 500),
    cC=F(3, 40),
    cCa=F(73, 500),
    beta=F(13, 200),
    c2=F(2, 25),
    wR=F(349, 500),
    wN=F(363, 1000),
    pi=F(217, 1000),
    k=F(113, 1000),
    r=F(7, 200),
    k1=F(31, 1000),
    arf=True,
    phi0=F(1, 20),
    dphi1=F(1, 4),
    psi=F(13, 20),
    betaD=F(13, 200),
)
SPEC_SCENARIOS = [
    D1,
    Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(1)),
    Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(0)),
    Params(arf=True, tripwire=True),
    Params(arf=True, tripwire=True, dphiC=F(0)),
    Params(arf=True, module_a=True),
    Params(arf=True, dphi1=F(4, 5), psi=F(1, 4), dphiC=F(0)),
    Params(arf=True, phi0=F(0), dphi1=F(0), dphiC=F(0)),
    Params(arf=True, alliance_type=AllianceType.NEUTRALITY),
    Params(arf=True, alliance_type=AllianceType.ENTENTE, psi=F(0)),
    RHO_R_VARIANT,
]


with_spec_examples = with_examples(SPEC_SCENARIOS)


def stage_zero_moves(params: Params, armed: bool, e: tuple[int, int]) -> list[str]:
    moves = ["arm" if armed else "no_arm"] if params.module_a else []
    moves.append("cbm" if e[0] else "no_cbm")
    if params.dphiC:
        moves.append("cbm" if e[1] else "no_cbm")
    return moves


def subgame_roots(params: Params, armed: bool, e: tuple[int, int]) -> list[State]:
    """The two (theta) states right after stage 0 in subgame e."""
    return [game.replay(params, None, theta, 0, stage_zero_moves(params, armed, e)) for theta in ("R", "N")]


def subgames(bench: Benchmark) -> list[tuple[bool, tuple[int, int], Solution]]:
    assert bench.arf is not None
    return [(armed, e, s) for armed, stage in bench.arf.items() for e, s in stage.subgames.items()]


def tree_value(params: Params, armed: bool, e: tuple[int, int], solution: Solution) -> dict[str, F]:
    """Ex-ante expected payoffs of subgame e walked on the tree under the subgame's profile."""
    root = subgame_roots(params, armed, e)[0]
    return analysis.ex_ante_payoffs(root, solution.behaviour)


def test_the_rho_r_variant_example_has_a_lottery() -> None:
    sub = solve(RHO_R_VARIANT).module_d.solution((0, 0))  # type: ignore[union-attr]
    assert (sub.selected.name, sub.selected.variant, sub.core.phi(1)) == ("E5", "R", F(1, 20))
    assert sub.selected.mu1 == sub.thresholds.rho_R_D[1] and sub.approximate  # type: ignore[index]


# ----- every CBM subgame's benchmark is a PBE on the tree ------------------------------------------------


@SETTINGS
@with_spec_examples
@given(arf_scenarios())
def test_every_subgame_equilibrium_is_a_pbe_on_the_tree(params: Params) -> None:
    bench = solve(params)
    for armed, e, solution in subgames(bench):
        inside = all(solution.assumptions.values())
        event(
            f"{solution.selected.name}{solution.selected.variant} {'inside' if inside else 'outside'} "
            f"S1-S4-D{' (approximate)' if solution.approximate else ''}"
        )
        assert_sequentially_rational(subgame_roots(params, armed, e), solution)
        assert_bayes_on_path(solution)


@SETTINGS
@with_spec_examples
@given(arf_scenarios())
def test_solver_path_and_payoffs_match_the_tree(params: Params) -> None:
    bench = solve(params)
    for armed, e, solution in subgames(bench):
        walked: dict[tuple, F] = {}
        for root in subgame_roots(params, armed, e):
            weight = root.prior if root.theta == "R" else 1 - root.prior
            for key, value in tree_path(root, solution.behaviour, weight).items():
                walked[key] = walked.get(key, F(0)) + value
        reported: dict[tuple, F] = {}
        for entry in solution.path:
            key = (entry.theta, entry.alliance, entry.terminal, None)
            reported[key] = reported.get(key, F(0)) + entry.prob
        assert {k: v for k, v in walked.items() if v} == reported
        got = solution.expected_payoffs
        assert tree_value(params, armed, e, solution) == {
            "us": got.us,
            "challenger": got.challenger,
            "japan": got.japan,
        }


# ----- stage 0 is backward induction on the tree ------------------------------------------------------------


@SETTINGS
@with_spec_examples
@given(arf_scenarios())
def test_stage_zero_is_backward_induction_on_the_tree(params: Params) -> None:
    bench = solve(params)
    assert bench.arf is not None
    japan_value = {}
    for armed, stage in bench.arf.items():
        value = {e: tree_value(params, armed, e, s) for e, s in stage.subgames.items()}
        replies = []
        for e1 in (0, 1):
            if params.dphiC:
                gain = value[(e1, 1)]["challenger"] - value[(e1, 0)]["challenger"]
                replies.append(int(gain > 0))  # CBMs only if strictly better
                probs = bench.cbm_behaviour("cbm_challenger", armed=armed, e1=e1)
                assert probs["cbm"] == replies[-1]
            else:
                replies.append(0)
        assert stage.eC_reply == tuple(replies)
        e1 = int(value[(1, replies[1])]["japan"] > value[(0, replies[0])]["japan"])
        assert stage.e == (e1, replies[e1])
        assert bench.cbm_behaviour("cbm_japan", armed=armed)["cbm"] == e1
        japan_value[armed] = value[stage.e]["japan"]
        event(f"stage 0: e* = {stage.e}, reply {stage.eC_reply}")
    if params.module_a:
        assert bench.arm == (japan_value[True] > japan_value[False])


# ----- zero effectiveness is the core -------------------------------------------------------------------


@st.composite
def core_scenarios(draw: st.DrawFn) -> Params:
    values = draw(st.one_of(wide(), local()))
    values["tripwire"] = draw(st.booleans())
    values["alliance_type"] = draw(st.sampled_from([AllianceType.DEFENCE_PACT] * 3 + list(AllianceType)))
    values["module_a"] = draw(st.integers(0, 3)) == 0
    if values["module_a"]:
        values["p_arm"] = min(values["p"] + draw(grid(0, 6)), F(19, 20))
        values["p2_arm"] = max(values["p2"], values["p_arm"]) + draw(grid(0, 4))
    params = Params(**values)
    assume(not params.errors())
    return params


@SETTINGS
@given(core_scenarios(), st.data())
def test_zero_effectiveness_is_the_core_benchmark(params: Params, data: st.DataObject) -> None:
    extra = data.draw(
        arf_values(params.beta).map(lambda v: {**v, "phi0": F(0), "dphi1": F(0), "dphiC": F(0)})
    )
    core, bench = solve(params), solve(params.replace(**extra))
    assert bench.arm == core.arm
    for armed, stage in (bench.arf or {}).items():
        assert stage.e == (0, 0) and stage.eC_reply == (0, 0)
        ours, theirs = stage.main.selected, core.solution(armed).selected
        assert dataclasses.replace(ours, variant="") == dataclasses.replace(theirs, variant="")
        assert stage.main.path == core.solution(armed).path


# ----- replay, views, debrief on random plays -------------------------------------------------------------

PLAYS = st.tuples(arf_scenarios(), st.integers(0, 10**6), st.lists(st.integers(0, 1), max_size=9))


def play_out(params: Params, seed: int, choices: list[int]) -> State:
    state = game.new_round(params, seed=seed)
    for pick in choices:
        if game.is_terminal(state):
            break
        legal = game.legal_actions(state)
        state = game.apply(state, legal[pick % len(legal)])
    return state


@SETTINGS
@given(PLAYS)
def test_replay_reproduces_the_state(play: tuple[Params, int, list[int]]) -> None:
    params, seed, choices = play
    live = play_out(params, seed, choices)
    assert game.replay(params, params.pi, live.theta, seed, live.moves) == live
    assert game.replay(params, None, None, seed, live.moves) == live
    assert game.history_from_dicts(game.public_history(live)) == live.history


@SETTINGS
@given(PLAYS)
def test_no_view_leaks_the_us_type(play: tuple[Params, int, list[int]]) -> None:
    params, seed, choices = play
    assert_views_hide_the_hidden_types(play_out(params, seed, choices))


@SETTINGS
@given(PLAYS)
def test_finished_rounds_are_classified(play: tuple[Params, int, list[int]]) -> None:
    params, seed, choices = play
    state = play_out(params, seed, choices + [0] * 9)
    assert game.is_terminal(state)
    result = debrief.classify(state, solve(params))
    assert result.arf is not None and result.arf.e == state.cbm
    assert (result.terminal == "DEF") == (result.label == "PREVENTIVE_DIPLOMACY_SUCCEEDED")
    # The insurance layer is tested only with an alliance and an attack.
    attacked = any(m.node == "attack" and m.action == "attack" for m in state.history)
    assert result.has("ARF_FAILED") == (state.arf_draw == "failed" and attacked and state.alliance == 1)
