"""Seeded bot strategies, and the action the server plays when a decision times out (§2.1).

A bot sees only what its role may know: the fixed strategies read only the node, and the equilibrium bot
asks the benchmark for the behaviour at the mover's information set (`analysis.behaviour_at` passes theta
only at US nodes and the Challenger's type only at its attack node).
All randomness comes from the `random.Random` the caller passes in, so a seeded run is reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from . import game
from .analysis import behaviour_at, solution_at
from .game import State

if TYPE_CHECKING:
    from .solver import Benchmark, Solution

STRATEGIES = ("equilibrium", "hawkish", "dovish", "random")

HAWKISH = {
    "arming": "arm",
    "alliance": "alliance",
    "challenge": "challenge",
    "response": "resist",
    "attack": "attack",
    "intervention": "intervene",
    "cbm_japan": "no_cbm",
    "cbm_challenger": "no_cbm",
}  # Module D: CBMs are the conciliatory move
DOVISH = {
    "arming": "no_arm",
    "alliance": "no_alliance",
    "challenge": "status_quo",
    "response": "concede",
    "attack": "withdraw",
    "intervention": "stay_out",
    "cbm_japan": "cbm",
    "cbm_challenger": "cbm",
}


def choose(strategy: str, state: State, role: str, solution: Solution | Benchmark | None,
           rng: random.Random) -> str:
    """The action `role`'s bot plays now (raises ValueError when it is not `role`'s turn)."""
    mover = game.to_move(state)
    if mover is None or mover != role:
        raise ValueError(f"it is not the {role}'s turn at {state.node}")
    if strategy == "hawkish":
        return HAWKISH[state.node]
    if strategy == "dovish":
        return DOVISH[state.node]
    if strategy == "random":
        return rng.choice(game.legal_actions(state))
    if strategy == "equilibrium":
        if solution is None:
            raise ValueError("the equilibrium bot needs the benchmark")
        return draw(benchmark_behaviour(state, solution), rng)
    raise ValueError(f"unknown bot strategy {strategy!r}; choose from {', '.join(STRATEGIES)}")


def benchmark_behaviour(state: State, solution: Solution | Benchmark) -> dict[str, Fraction]:
    """The benchmark's action probabilities at the mover's information set (theta only for the US)."""
    if state.node == "arming":
        arming = getattr(solution, "arming_behaviour", None)
        if not callable(arming):
            raise ValueError("the arming decision needs the whole Benchmark, not one core Solution")
        return dict(arming())
    if state.node in game.CBM_NODES:
        cbm = getattr(solution, "cbm_behaviour", None)
        if not callable(cbm):
            raise ValueError("the confidence-building decisions need the whole Benchmark, not one Solution")
        return dict(cbm(state.node, armed=bool(state.armed), e1=state.e1))
    return behaviour_at(state, solution_at(solution, state).behaviour)


def draw(probs: Mapping[str, Fraction], rng: random.Random) -> str:
    """One action from a distribution (actions in the listed order; a pure strategy uses no randomness)."""
    support = [(action, prob) for action, prob in probs.items() if prob > 0]
    if len(support) == 1:
        return support[0][0]
    u = Fraction(rng.random())
    cumulative = Fraction(0)
    for action, prob in support:
        cumulative += prob
        if u < cumulative:
            return action
    return support[-1][0]


def timeout_action(state: State, solution: Solution | Benchmark, rng: random.Random) -> str:
    """What the server plays for the mover on a deadline: the benchmark action, drawn when it mixes."""
    role = game.to_move(state)
    if role is None:
        raise ValueError("the round is over")
    return choose("equilibrium", state, role, solution, rng)
