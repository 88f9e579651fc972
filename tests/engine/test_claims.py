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


# ----- the other decisions ------------------------------------------------------------------------------


def test_stage_zero_expectations_module_a_and_d() -> None:
    """Example 6: Japan arms (4901/10320 > 311/832); D1 (§9.8): Japan and the Challenger both build CBMs."""
    params = Params(module_a=True)
    bench = solve(params)
    arming = claims.expectation(bench, game.new_round(params, prior=params.pi, us_type="R", seed=0))
    assert (arming.node, arming.probability, arming.indifferent) == ("arming", 1, False)
    assert arming.values == {"arm": F(4901, 10320), "no_arm": F(311, 832)}
    d1 = Params(arf=True)
    bench = solve(d1)
    state = game.new_round(d1, prior=d1.pi, us_type="N", seed=0)
    assert claims.expectation(bench, state).probability == 1  # Japan's CBMs
    state = game.apply(state, "cbm")
    assert claims.expectation(bench, state).probability == 1  # the Challenger's reply
    assert claims.kind(claims.expectation(bench, state)) == "always"


def test_d1_unbacked_japan_resists_although_its_end_is_below_zero() -> None:
    """D1, no alliance: p - c1 < 0, yet the forum (phi_0 = 7/20) makes resisting worth it (H2)."""
    params = Params(arf=True)
    bench = solve(params)
    state = round_at_challenge_d(bench, params, alliance=0)
    r = claims.response(bench, claims.decision_state(state, "response"))
    assert r.end_below_zero and r.resist.tendency is Tendency.ALWAYS and r.forum == F(7, 20)
    codes = [c.code for c in claims.response_claims(r)]
    assert codes == ["resist_always", "japan_end_below_zero", "resist_values"]
    forum = claims.forum(bench, state)
    assert forum is not None and (forum.without_alliance, forum.with_alliance) == (F(7, 20), F(7, 10))


def round_at_challenge_d(bench, params: Params, alliance: int) -> game.State:
    state = game.new_round(params, prior=params.pi, us_type="N", seed="claims")
    while state.node != "alliance":
        state = game.apply(state, bench_choice(bench, state))
    return game.apply(state, "alliance" if alliance else "no_alliance")


def test_a_tied_non_resolute_us_intervenes_and_no_belief_threshold_is_claimed() -> None:
    """H4: with tied hands the panel gives no belief the Challenger must reach."""
    params = Params(tripwire=True)
    bench = solve(params)
    state = game.replay(params, None, "N", 0, ["alliance", "challenge", "resist", "attack"])
    intervention = claims.intervention(bench, state)
    assert intervention.hands_tied and intervention.margin == F(17, 200)
    assert intervention.intervene.tendency is Tendency.ALWAYS
    reasons = [c.code for c in claims.scenario_reasons(bench.main)]
    assert "hands_tied_reason" in reasons and not any(code.startswith("threshold") for code in reasons)


def test_thresholds_of_example_1_are_the_specs() -> None:
    """rho_W = 4/5 (the belief after an alliance must reach it), rho_R = 1/11, rho_A = 24/25."""
    s = solve(Params()).main
    assert claims.belief_threshold(s, 1) == F(4, 5)
    assert claims.rho_threshold(s, 0, claims.resists) == F(1, 11)
    assert claims.rho_threshold(s, 0, claims.backs_down("L")) == F(24, 25)
    assert [c.code for c in claims.threshold_claims(s)] == ["threshold_belief"]
    assert claims.reputation_claim(claims.reputation(s)).code == "reputation_fails"


def test_d2_reputation_deters_only_with_the_forum() -> None:
    params = Params(arf=True, dphi1=F(7, 10), betaD=F(1, 10), psi=F(1))
    s = solve(params).main
    assert claims.reputation_claim(claims.reputation(s)).code == "reputation_and_forum_deter"


def test_claim_kinds() -> None:
    def e(p: F, indifferent: bool) -> claims.Expectation:
        return claims.Expectation("challenge", "challenger", "challenge", p, indifferent)

    assert [claims.verdict(e(p, i)).code for p, i in ((F(0), False), (F(1), False), (F(1, 2), True),
                                                     (F(1, 2), False), (F(1), True), (F(0), True))] == [
        "challenge_never", "challenge_always", "challenge_indifferent", "challenge_mixed",
        "challenge_tie_first", "challenge_tie_second",
    ]  # fmt: skip
