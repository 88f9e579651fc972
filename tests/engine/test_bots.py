"""Seeded bot strategies and the timeout action (§2.1)."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction as F

import pytest

from games.crisis import bots, game
from games.crisis.game import State
from games.crisis.params import Params
from games.crisis.solver import solve

EXAMPLE_1 = Params()
BENCH_1 = solve(EXAMPLE_1)


def at(params: Params, actions: list[str], theta: str = "R", seed: int = 0) -> State:
    return game.replay(params, None, theta, seed, actions)


def play_round(params: Params, strategies: dict[str, str], seed: int) -> State:
    bench = solve(params)
    rng = random.Random(seed)
    state = game.new_round(params, seed=seed)
    while not game.is_terminal(state):
        role = game.to_move(state)
        state = game.apply(state, bots.choose(strategies[role], state, role, bench, rng), role=role)
    return state


def test_hawkish_and_dovish_moves() -> None:
    params = Params(module_a=True)
    hawk = play_round(params, dict.fromkeys(game.ROLES, "hawkish"), seed=1)
    assert hawk.moves == ("arm", "alliance", "challenge", "resist", "attack", "intervene")
    dove = play_round(params, dict.fromkeys(game.ROLES, "dovish"), seed=1)
    assert dove.moves == ("no_arm", "no_alliance", "status_quo")
    state = at(EXAMPLE_1, ["no_alliance", "challenge"])
    assert bots.choose("dovish", state, "japan", None, random.Random(0)) == "concede"
    state = at(EXAMPLE_1, ["no_alliance", "challenge", "resist"])
    assert bots.choose("dovish", state, "challenger", None, random.Random(0)) == "withdraw"
    state = at(EXAMPLE_1, ["no_alliance", "challenge", "resist", "attack"])
    assert bots.choose("dovish", state, "us", None, random.Random(0)) == "stay_out"


def test_random_bot_is_uniform_and_seeded() -> None:
    state = game.new_round(EXAMPLE_1, seed=0)
    picks = [bots.choose("random", state, "us", None, random.Random(s)) for s in range(2000)]
    assert picks == [bots.choose("random", state, "us", None, random.Random(s)) for s in range(2000)]
    assert 0.45 < picks.count("alliance") / 2000 < 0.55


def test_equilibrium_bot_plays_pure_benchmark_actions() -> None:
    rng = random.Random(0)
    assert bots.choose("equilibrium", game.new_round(EXAMPLE_1, us_type="R", seed=0), "us", BENCH_1,
                       rng) == "alliance"
    no_alliance = at(EXAMPLE_1, ["no_alliance"])
    assert bots.choose("equilibrium", no_alliance, "challenger", BENCH_1, rng) == "challenge"
    assert bots.choose("equilibrium", at(EXAMPLE_1, ["no_alliance", "challenge"]), "japan", BENCH_1,
                       rng) == "concede"
    state = at(EXAMPLE_1, ["alliance", "challenge", "resist", "attack"], theta="N")
    assert bots.choose("equilibrium", state, "us", BENCH_1.main, rng) == "stay_out"


def test_equilibrium_bot_mixes_with_the_benchmark_probabilities() -> None:
    root = game.new_round(EXAMPLE_1, us_type="N", seed=0)
    rng = random.Random(12345)
    allies = [bots.choose("equilibrium", root, "us", BENCH_1, rng) for _ in range(4000)]
    assert 0.22 < allies.count("alliance") / 4000 < 0.28  # sigma* = 1/4
    after = at(EXAMPLE_1, ["alliance"])
    challenges = [bots.choose("equilibrium", after, "challenger", BENCH_1, rng) for _ in range(4000)]
    assert abs(challenges.count("challenge") / 4000 - 15 / 26) < 0.03
    again = random.Random(12345)
    assert allies[:50] == [bots.choose("equilibrium", root, "us", BENCH_1, again) for _ in range(50)]


def test_challenger_and_japan_bots_do_not_read_the_us_type() -> None:
    for actions in (["alliance"], ["alliance", "challenge"], ["alliance", "challenge", "resist"]):
        state = at(EXAMPLE_1, actions, theta="R")
        flipped = dataclasses.replace(state, theta="N")
        role = game.to_move(state)
        for seed in range(30):
            assert bots.choose("equilibrium", state, role, BENCH_1, random.Random(seed)) == \
                bots.choose("equilibrium", flipped, role, BENCH_1, random.Random(seed))


def test_module_c_attack_depends_on_the_challengers_own_type_only() -> None:
    params = Params(module_c=True)  # Example 7: E5A, H attacks w.p. 2/13, L attacks
    bench = solve(params)
    state = at(params, ["alliance", "challenge", "resist"])
    low, high = dataclasses.replace(state, ctype="L"), dataclasses.replace(state, ctype="H")
    assert bots.benchmark_behaviour(low, bench)["attack"] == 1
    assert bots.benchmark_behaviour(high, bench)["attack"] == F(2, 13)
    war = game.apply(low, "attack")
    for theta in ("R", "N"):
        s = dataclasses.replace(war, theta=theta)
        assert bots.benchmark_behaviour(s, bench) == bots.benchmark_behaviour(
            dataclasses.replace(s, ctype="H"), bench)


def test_arming_needs_the_whole_benchmark() -> None:
    params = Params(module_a=True)
    bench = solve(params)
    state = game.new_round(params, seed=0)
    assert bots.choose("equilibrium", state, "japan", bench, random.Random(0)) == "arm"
    with pytest.raises(ValueError, match="Benchmark"):
        bots.choose("equilibrium", state, "japan", bench.main, random.Random(0))
    armed = game.apply(state, "arm")
    expected = bench.solution(True).behaviour("alliance", theta=armed.theta)
    assert bots.benchmark_behaviour(armed, bench) == expected


def test_timeout_action_is_the_benchmark_action_for_the_mover() -> None:
    rng = random.Random(0)
    assert bots.timeout_action(at(EXAMPLE_1, ["no_alliance", "challenge"]), BENCH_1, rng) == "concede"
    with pytest.raises(ValueError):
        bots.timeout_action(at(EXAMPLE_1, ["no_alliance", "status_quo"]), BENCH_1, rng)


def test_bots_refuse_to_move_out_of_turn_or_unknown_strategies() -> None:
    state = game.new_round(EXAMPLE_1, seed=0)
    with pytest.raises(ValueError, match="turn"):
        bots.choose("hawkish", state, "japan", None, random.Random(0))
    with pytest.raises(ValueError, match="unknown"):
        bots.choose("sneaky", state, "us", None, random.Random(0))
    with pytest.raises(ValueError, match="benchmark"):
        bots.choose("equilibrium", state, "us", None, random.Random(0))


def test_draw() -> None:
    assert bots.draw({"a": F(1), "b": F(0)}, random.Random(0)) == "a"
    rng = random.Random(5)
    picks = [bots.draw({"a": F(1, 3), "b": F(2, 3)}, rng) for _ in range(3000)]
    assert 0.3 < picks.count("a") / 3000 < 0.37


@pytest.mark.parametrize("strategy", bots.STRATEGIES)
def test_every_strategy_finishes_rounds(strategy: str) -> None:
    for params in (EXAMPLE_1, Params(module_a=True, module_c=True), Params(tripwire=True)):
        for seed in range(5):
            end = play_round(params, dict.fromkeys(game.ROLES, strategy), seed)
            assert game.is_terminal(end)
            assert end == play_round(params, dict.fromkeys(game.ROLES, strategy), seed)
