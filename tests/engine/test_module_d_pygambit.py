"""Module D against pygambit's logit limit (crisis-model.md §9.10, §9.11 item 7), one tree per CBM subgame.

Each subgame e of Examples D1 and D2 is built as its own tree (`gambit_tree.build_game` on the subgame's
core: a chance move Defused / Failed after every `Resist`, terminal DEF, CBM costs in every payoff) and
solved with `logit_solve`; the limit must be the selected equilibrium (alliance probabilities, challenge
probability after an alliance, the whole path and the expected payoffs, within TOL), as in
test_pygambit_crosscheck.py.  Subgame (0, 0) of both examples has phi = 0 and no CBM costs: its tree is
core Example 1's, which test_pygambit_crosscheck.py traces, so here it is only shown to be that tree.
(The full 51-information-set tree of §9.3 takes about 50 s per example, hence the subgame trees.)
"""

from __future__ import annotations

import functools
from fractions import Fraction as F

import pytest

pytest.importorskip("pygambit", reason="pygambit (a dev dependency, built from source) is not installed")

from gambit_tree import TOL, build_game, count_tree, describe, differences, logit_limit

from games.crisis.params import Params
from games.crisis.solver import solve

D1 = Params(arf=True)
D2 = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(1))
EXAMPLES = {"D1": D1, "D2": D2}
TRACED = [(name, e) for name in EXAMPLES for e in ((0, 1), (1, 0), (1, 1))]

logit = functools.cache(logit_limit)


def payoff_table(game) -> dict[str, tuple]:
    return {o.label: tuple(o[p] for p in game.players) for o in game.outcomes}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_subgame_0_0_is_core_example_1(name: str) -> None:
    sub = solve(EXAMPLES[name]).module_d.solution((0, 0))  # type: ignore[union-attr]
    core = Params().core()
    assert payoff_table(build_game(sub.core)) == payoff_table(build_game(core))
    assert count_tree(build_game(sub.core)) == (12, 20)
    ex1 = solve(Params()).main
    assert sub.selected == ex1.selected and sub.path == ex1.path


@pytest.mark.parametrize(("name", "e"), TRACED, ids=[f"{n}-{e[0]}{e[1]}" for n, e in TRACED])
def test_logit_limit_is_the_selected_subgame_equilibrium(name: str, e: tuple[int, int]) -> None:
    sol = solve(EXAMPLES[name]).module_d.solution(e)  # type: ignore[union-attr]
    core = sol.core
    game = build_game(core)
    assert count_tree(game) == (12, 24)  # per (theta, a): SQ, CON, DEF, WD, WAR_I, WAR_S
    lim = logit(core)
    assert differences(sol.selected, lim, core) == [], describe(core, sol, lim)
    ep = sol.expected_payoffs
    assert lim.payoffs == pytest.approx(tuple(map(float, (ep.us, ep.challenger, ep.japan))), abs=TOL)
    ours: dict[tuple, float] = {}
    for entry in sol.path:
        key = (entry.theta, entry.alliance, entry.terminal, None)
        ours[key] = ours.get(key, 0.0) + float(entry.prob)
    for key in ours.keys() | lim.path.keys():
        assert abs(ours.get(key, 0.0) - lim.path.get(key, 0.0)) <= TOL, (key, describe(core, sol, lim))


@pytest.mark.parametrize(("e", "x_N", "y1"), [((1, 0), 0.3889, 0.0577), ((0, 1), 0.2821, 0.1875)])
def test_d1_e5d_subgames_match_the_spec_printout(e: tuple[int, int], x_N: float, y1: float) -> None:
    """§9.11 item 7: D1 (1,0) logit x_N = 0.3889, y1 = 0.0577 (7/18, 3/52); (0,1) 0.2821, 0.1875
    (11/39, 3/16)."""
    lim = logit(solve(D1).module_d.solution(e).core)  # type: ignore[union-attr]
    assert lim.x("N") == pytest.approx(x_N, abs=1e-4)
    assert lim.challenge(1) == pytest.approx(y1, abs=1e-4)
