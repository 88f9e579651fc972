"""Property tests over random scenarios (exact fractions on a grid) and random plays.

* replay reproduces the live state; no role's view depends on another role's hidden type;
* the solver's selected equilibrium is a PBE, checked by brute force against the game tree: at every
  information set no action strictly improves the mover's expected payoff (values computed only from
  terminal payoffs, exact Fractions, tolerance 0), and beliefs follow Bayes' rule on the path;
* the solver's path distribution and expected payoffs equal the tree's under the selected profile.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from fractions import Fraction as F

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from games.crisis import analysis, game, views
from games.crisis.game import State
from games.crisis.params import AllianceType, Params
from games.crisis.solver import Solution, solve

# CRISIS_PROPERTY_EXAMPLES=5000 for a deeper sweep; the suite default keeps it fast.
EXAMPLES = int(os.environ.get("CRISIS_PROPERTY_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def grid(low: int, high: int, den: int = 20) -> st.SearchStrategy[F]:
    """Multiples of 1/den between low/den and high/den."""
    return st.integers(low, high).map(lambda n: F(n, den))


@st.composite
def wide(draw: st.DrawFn) -> dict:
    p = draw(grid(1, 19))
    return {
        "p": p,
        "p2": p + draw(grid(0, 20)) * (1 - p),
        "c1": draw(grid(1, 12)),
        "c1a": draw(grid(0, 10)),
        "cC": draw(grid(1, 10)),
        "cCa": draw(grid(0, 14)),
        "beta": draw(grid(1, 6)),
        "sigma": draw(grid(0, 4)),
        "c2": draw(grid(1, 8)),
        "wR": draw(grid(4, 30)),
        "wN": draw(grid(0, 12)),
        "pi": draw(grid(1, 19)),
        "k": draw(grid(1, 10)),
        "r": draw(grid(0, 6)),
    }


@st.composite
def local(draw: st.DrawFn) -> dict:
    """The defaults, each parameter moved by up to +-30 % (mostly inside the standard assumptions)."""
    base = Params()
    names = ("p", "p2", "c1", "c1a", "cC", "cCa", "beta", "c2", "wR", "wN", "pi", "k", "r")
    return {name: getattr(base, name) * draw(grid(14, 26)) for name in names}


@st.composite
def scenarios(draw: st.DrawFn, module_a: bool | None = None) -> Params:
    values = draw(st.one_of(wide(), local()))
    values["tripwire"] = draw(st.booleans())
    values["alliance_type"] = draw(st.sampled_from([AllianceType.DEFENCE_PACT] * 3 + list(AllianceType)))
    values["module_a"] = draw(st.integers(0, 3)) == 0 if module_a is None else module_a
    values["module_c"] = draw(st.integers(0, 2)) == 0
    if values["module_c"]:
        values["q"] = draw(grid(1, 19))
        values["cC_H"] = values["cC"] + draw(grid(0, 8))
        values["cCa_H"] = values["cCa"] + draw(grid(0, 8))
    if values["module_a"]:
        values["p_arm"] = min(values["p"] + draw(grid(0, 6)), F(19, 20))
        values["p2_arm"] = max(values["p2"], values["p_arm"]) + draw(grid(0, 4))
    params = Params(**values)
    assume(not params.errors())
    return params


def play_out(params: Params, seed: int, choices: list[int], us_type: str | None = None) -> State:
    state = game.new_round(params, seed=seed, us_type=us_type)
    for pick in choices:
        if game.is_terminal(state):
            break
        legal = game.legal_actions(state)
        state = game.apply(state, legal[pick % len(legal)])
    return state


# The spec's worked scenarios (§1.4, §3.7, §3.9) are always among the examples.
SPEC_SCENARIOS = [
    Params(),
    Params(tripwire=True),
    Params(k=F(7, 20)),
    Params(pi=F(17, 20)),
    Params(k=F(3, 5)),
    Params(module_a=True),
    Params(module_c=True),
    *(Params(alliance_type=kind) for kind in AllianceType),
]


def with_examples(scenarios: list[Params]):
    """A decorator that adds each of `scenarios` as an explicit hypothesis example."""

    def decorate(test):
        for params in scenarios:
            test = example(params)(test)
        return test

    return decorate


with_spec_examples = with_examples(SPEC_SCENARIOS)


PLAYS = st.tuples(scenarios(), st.integers(0, 10**6), st.lists(st.integers(0, 1), min_size=0, max_size=7))


# ----- replay and views --------------------------------------------------------------------------


@SETTINGS
@given(PLAYS)
def test_replay_reproduces_the_state(play: tuple[Params, int, list[int]]) -> None:
    params, seed, choices = play
    live = play_out(params, seed, choices)
    assert game.replay(params, params.pi, live.theta, seed, live.moves) == live
    assert game.replay(params, None, None, seed, live.moves) == live  # Nature's draw is seeded too


@SETTINGS
@given(PLAYS)
def test_no_view_leaks_a_hidden_type(play: tuple[Params, int, list[int]]) -> None:
    params, seed, choices = play
    assert_views_hide_the_hidden_types(play_out(params, seed, choices))


def assert_views_hide_the_hidden_types(state: State) -> None:
    """Flipping the US type (and the Challenger's, if drawn) changes no other role's view."""
    flipped = dataclasses.replace(state, theta="N" if state.theta == "R" else "R")
    for role in ("japan", "challenger"):
        assert views.view_for(state, role) == views.view_for(flipped, role)
        assert "us_type" not in str(views.view_for(state, role))
    if state.ctype is not None:
        other = dataclasses.replace(state, ctype="H" if state.ctype == "L" else "L")
        for role in ("japan", "us"):
            assert views.view_for(state, role) == views.view_for(other, role)
            assert "challenger_type" not in str(views.view_for(state, role))


# ----- the benchmark is a PBE on the tree ----------------------------------------------------------


def all_nodes(state: State) -> Iterator[State]:
    """Every decision node below `state`, with both Module C type draws."""
    if game.is_terminal(state):
        return
    yield state
    for action in game.legal_actions(state):
        for child, _weight in analysis.successors(state, action):
            yield from all_nodes(child)


def roots(params: Params, armed: bool) -> list[State]:
    out = []
    for theta in ("R", "N"):
        state = game.new_round(params, us_type=theta, seed=0)
        if params.module_a:
            state = game.apply(state, "arm" if armed else "no_arm")
        out.append(state)
    return out


def assert_sequentially_rational(root_states: list[State], solution: Solution) -> None:
    """Every action played with positive probability is a best response at its node, under the belief."""
    for root in root_states:
        for node in all_nodes(root):
            belief = solution.belief(node.alliance) if node.alliance is not None else node.prior
            values = analysis.action_values(node, solution.behaviour, belief)
            behaviour = analysis.behaviour_at(node, solution.behaviour)
            assert sum(behaviour.values()) == 1 and all(p >= 0 for p in behaviour.values())
            best = max(values.values())
            for action, prob in behaviour.items():
                assert not prob or values[action] == best, (
                    node.node,
                    node.theta,
                    node.alliance,
                    node.ctype,
                    action,
                    values,
                    behaviour,
                )


def assert_bayes_on_path(solution: Solution) -> None:
    pi = solution.core.pi
    for a, action in ((0, "no_alliance"), (1, "alliance")):
        x_R = solution.behaviour("alliance", theta="R")[action]
        x_N = solution.behaviour("alliance", theta="N")[action]
        reach = pi * x_R + (1 - pi) * x_N
        if reach:
            assert solution.belief(a) == pi * x_R / reach, (a, x_R, x_N, solution.belief(a))


def tree_path(root: State, profile: analysis.Profile, weight: F) -> dict[tuple, F]:
    """The terminal distribution under `profile`, walked on the tree."""
    if game.is_terminal(root):
        return {(root.theta, root.alliance, root.result, root.ctype): weight}
    out: dict[tuple, F] = {}
    for action, prob in analysis.behaviour_at(root, profile).items():
        if prob:
            for child, chance in analysis.successors(root, action):
                for key, value in tree_path(child, profile, weight * prob * chance).items():
                    out[key] = out.get(key, F(0)) + value
    return out


@SETTINGS
@with_spec_examples
@given(scenarios())
def test_selected_equilibrium_is_a_pbe_on_the_tree(params: Params) -> None:
    bench = solve(params)
    for armed, solution in bench.solutions.items():
        inside = all(solution.assumptions.values())
        event(
            f"{solution.selected.name}{solution.selected.variant} {'inside' if inside else 'outside'} S1-S4"
            f"{' (approximate)' if solution.approximate else ''}{' module C' if params.module_c else ''}"
        )
        assert_sequentially_rational(roots(params, armed), solution)
        assert_bayes_on_path(solution)


@SETTINGS
@with_spec_examples
@given(scenarios())
def test_solver_path_and_payoffs_match_the_tree(params: Params) -> None:
    bench = solve(params)
    for armed, solution in bench.solutions.items():
        walked: dict[tuple, F] = {}
        for root in roots(params, armed):
            weight = root.prior if root.theta == "R" else 1 - root.prior
            for key, value in tree_path(root, solution.behaviour, weight).items():
                walked[key] = walked.get(key, F(0)) + value
        reported = {}
        for e in solution.path:
            key = (e.theta, e.alliance, e.terminal, e.ctype if params.module_c else None)
            reported[key] = reported.get(key, F(0)) + e.prob
        assert {k: v for k, v in walked.items() if v} == reported
        expected = analysis.ex_ante_payoffs(roots(params, armed)[0], solution.behaviour)
        got = solution.expected_payoffs
        assert expected == {"us": got.us, "challenger": got.challenger, "japan": got.japan}


@SETTINGS
@given(scenarios(module_a=True))
def test_japan_arms_iff_strictly_better_on_the_tree(params: Params) -> None:
    bench = solve(params)
    value = {}
    for armed in (False, True):
        root = roots(params, armed)[0]
        value[armed] = analysis.ex_ante_payoffs(root, bench.solution(armed).behaviour)["japan"]
    assert bench.arm == (value[True] > value[False])
