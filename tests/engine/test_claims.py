"""`games.crisis.claims`: what theory says at a decision, checked against the teaching review's computed
cases (../shared/reviews/teaching-review.md §5) and the spec's examples."""

from __future__ import annotations

import random
from fractions import Fraction as F

from games.crisis import bots, claims, game
from games.crisis.claims import RangePosition, Tendency
from games.crisis.params import Params
from games.crisis.solver import solve


def round_at_challenge(params: Params, alliance: int, theta: str = "N") -> game.State:
    state = game.new_round(params, prior=params.pi, us_type=theta, seed="claims")
    state = game.apply(state, "alliance" if alliance else "no_alliance")
    assert state.node == "challenge"
    return state


def test_baseline_allied_the_challenger_is_indifferent_and_mixes_at_the_boundary():
    """Example 1 (E5): mu1 = 4/5, the range at rho = 4/5 is [39/100, 1]: the status quo is on the edge and
    the Challenger challenges with probability 15/26. "General deterrence should hold" would be false."""
    params = Params()
    verdict = claims.deterrence(solve(params), round_at_challenge(params, 1))
    assert (verdict.belief, verdict.rho) == (F(4, 5), F(4, 5))
    assert verdict.status_quo is RangePosition.BOUNDARY
    assert verdict.challenge.probability == F(15, 26)
    assert verdict.challenge.tendency is Tendency.SOMETIMES and verdict.challenge.indifferent
    assert not verdict.hands_tied


def test_baseline_without_alliance_a_challenge_is_certain():
    params = Params()
    verdict = claims.deterrence(solve(params), round_at_challenge(params, 0, theta="R"))
    assert verdict.belief == 0 and verdict.status_quo is RangePosition.OUTSIDE
    assert verdict.challenge.tendency is Tendency.ALWAYS and not verdict.challenge.indifferent


def test_a_tripwire_ties_hands_and_deters_whatever_the_belief():
    params = Params(tripwire=True)
    verdict = claims.deterrence(solve(params), round_at_challenge(params, 1))
    assert verdict.hands_tied and verdict.rho == 1
    assert verdict.challenge.tendency is Tendency.NEVER


def test_the_forum_deters_where_the_range_alone_says_war_d2():
    """D2: the status quo lies outside the core range at rho = 1/2, yet the forum (psi = 1) makes a
    challenge unprofitable: theory expects the status quo, not a challenge."""
    params = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(1))
    bench = solve(params)
    state = game.new_round(params, prior=params.pi, us_type="N", seed="d2")
    while state.node != "challenge":  # stage 0 and the alliance as the benchmark plays them
        state = game.apply(state, bench_choice(bench, state))
    verdict = claims.deterrence(bench, state)
    assert verdict.status_quo is RangePosition.OUTSIDE
    assert verdict.challenge.tendency is Tendency.NEVER


def bench_choice(bench, state: game.State) -> str:


    return bots.choose("equilibrium", state, game.to_move(state), bench, random.Random(0))


def test_the_challenge_state_of_the_other_alliance_decision():
    params = Params()
    allied = round_at_challenge(params, 1)
    finished = game.apply(game.apply(allied, "challenge"), "concede")
    assert claims.challenge_state(finished) == allied
    other = claims.challenge_state(finished, alliance=0)
    assert other is not None and other.alliance == 0 and other.node == "challenge"
    assert claims.at_node(game.new_round(params, prior=params.pi, us_type="R", seed=1), "attack") is None
