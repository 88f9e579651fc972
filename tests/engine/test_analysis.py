"""Brute-force tree evaluation against the numbers of crisis-model.md §3.7 (Example 1 and Example 7)."""

from __future__ import annotations

from fractions import Fraction as F

from games.crisis import analysis, game
from games.crisis.params import Params
from games.crisis.solver import solve

EXAMPLE_1 = Params()


def test_example_1_indifferences_that_make_e5_an_equilibrium() -> None:
    solution = solve(EXAMPLE_1).main
    root_n = game.new_round(EXAMPLE_1, us_type="N", seed=0)
    values = analysis.action_values(root_n, solution.behaviour, solution.belief(0))
    assert values == {"alliance": F(0), "no_alliance": F(0)}  # N bluffs: indifferent, U_N = 0
    root_r = game.new_round(EXAMPLE_1, us_type="R", seed=0)
    assert analysis.action_values(root_r, solution.behaviour, F(0)) == {"alliance": F(307, 520),
                                                                          "no_alliance": F(0)}
    after = game.apply(root_r, "alliance")
    values = analysis.action_values(after, solution.behaviour, solution.belief(1))
    assert values == {"challenge": F(0), "status_quo": F(0)}  # the Challenger is indifferent at mu1 = 4/5


def test_example_1_ex_ante_payoffs() -> None:
    solution = solve(EXAMPLE_1).main
    root = game.new_round(EXAMPLE_1, seed=0)
    assert analysis.ex_ante_payoffs(root, solution.behaviour) == {
        "us": F(307, 1040), "challenger": F(3, 8), "japan": F(311, 832)}


def test_example_7_module_c_payoffs_and_intervention_weights() -> None:
    params = Params(module_c=True)
    solution = solve(params).main
    root = game.new_round(params, seed=0)
    assert analysis.ex_ante_payoffs(root, solution.behaviour) == {
        "us": F(307, 1040), "challenger": F(29, 224), "japan": F(1357, 2912)}
    war = game.replay(params, None, "N", 0, ["alliance", "challenge", "resist", "attack"])
    weights = {s.ctype: w for s, w in analysis.infoset_nodes(war, F(1, 2), solution.behaviour)}
    # Pr(t | attack) with q = 1/2, L attacks for sure, H w.p. 2/13
    assert weights == {"L": F(13, 15), "H": F(2, 15)}


def test_chance_split_after_resist() -> None:
    params = Params(module_c=True, q=F(1, 3))
    state = game.replay(params, None, "R", 0, ["alliance", "challenge"])
    children = analysis.successors(state, "resist")
    assert [(c.ctype, w) for c, w in children] == [("L", F(1, 3)), ("H", F(2, 3))]
    assert analysis.successors(game.replay(Params(), None, "R", 0, ["alliance", "challenge"]),
                               "resist")[0][1] == 1
