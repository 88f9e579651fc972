"""Brute-force evaluation of a behaviour-strategy profile on the game tree of `game.py`.

Values are computed only from terminal payoffs (`game.payoffs`) and the profile, walking the same tree the
players play: no threshold formula is used.  The debrief uses this to decide whether an action at a node
off the benchmark path was strictly worse given the benchmark belief (§5 OFF_BENCHMARK); the tests use it
to check that the solver's selected equilibrium is sequentially rational at every information set.

A profile is any callable shaped like `Solution.behaviour(node, alliance=, theta=, ctype=)`.  It is called
with `theta` only at US nodes and with `ctype` only at the Challenger's attack node in Module C, so a
profile cannot condition anyone's play on information the mover lacks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from . import game
from .game import State

if TYPE_CHECKING:
    from .solver import Benchmark, Solution

ZERO = Fraction(0)


class Profile(Protocol):
    def __call__(self, node: str, *, alliance: int | None = None, theta: str | None = None,
                 ctype: str | None = None) -> Mapping[str, Fraction]: ...


def solution_for(
    solution: Solution | Benchmark, armed: bool | None, e: tuple[int, int] | None = None
) -> Solution:
    """The core-game solution for Japan's arming choice and (Module D) the CBM subgame e; e = None: the
    benchmark subgame.  A `Solution` is returned unchanged."""
    chooser = getattr(solution, "solution", None)
    if not callable(chooser):
        return solution  # type: ignore[return-value]
    return chooser(bool(armed)) if e is None else chooser(bool(armed), e)


def solution_at(solution: Solution | Benchmark, state: State) -> Solution:
    """The solution of the subgame `state` is in: its arming choice and (Module D) its CBM choices."""
    return solution_for(solution, state.armed, state.cbm)


def behaviour_at(state: State, profile: Profile) -> dict[str, Fraction]:
    """The profile's action probabilities at the mover's information set containing `state`."""
    node = state.node
    role = game.to_move(state)
    theta = state.theta if role == "us" else None
    ctype = state.ctype if node == "attack" else None
    alliance = None if node == "alliance" else state.alliance
    probs = profile(node, alliance=alliance, theta=theta, ctype=ctype)
    return {action: Fraction(probs.get(action, ZERO)) for action in game.legal_actions(state)}


def chance_children(state: State, parent: State) -> list[tuple[State, Fraction]]:
    """Nature's split of a freshly drawn Module C type (the seeded draw is replaced by both outcomes)."""
    if parent.ctype is None and state.ctype is not None:
        q = state.params.q
        return [(dataclasses.replace(state, ctype="L"), q), (dataclasses.replace(state, ctype="H"), 1 - q)]
    return [(state, Fraction(1))]


def successors(state: State, action: str) -> list[tuple[State, Fraction]]:
    """The states after `action`, with Nature's draws (Module C's type, Module D's preventive diplomacy)
    replaced by all their outcomes and probabilities."""
    if state.params.arf and state.node == "response" and action == "resist":
        game.apply(state, action)  # legality
        return game.preventive_diplomacy_outcomes(state)
    return chance_children(game.apply(state, action), state)


def expected_payoffs(state: State, profile: Profile) -> dict[str, Fraction]:
    """Expected terminal payoffs from `state` (theta and any drawn type fixed) when all play `profile`."""
    if game.is_terminal(state):
        return game.payoffs(state)
    totals = dict.fromkeys(game.ROLES, ZERO)
    for action, prob in behaviour_at(state, profile).items():
        if prob:
            for child, weight in successors(state, action):
                for role, value in expected_payoffs(child, profile).items():
                    totals[role] += prob * weight * value
    return totals


def infoset_nodes(state: State, belief: Fraction, profile: Profile) -> list[tuple[State, Fraction]]:
    """The nodes of the mover's information set containing `state`, with the mover's belief weights.

    Challenger and Japan do not see theta: belief `belief` on R.  The US sees theta; at its intervention
    node in Module C it does not see t: weights q_t * Pr(t attacks), or q_t when no type attacks.
    """
    role = game.to_move(state)
    if role in ("challenger", "japan"):
        nodes = [(dataclasses.replace(state, theta="R"), belief), (dataclasses.replace(state, theta="N"),
                                                                    1 - belief)]
        return [(s, w) for s, w in nodes if w]
    if state.node == "intervention" and state.ctype is not None:
        return _intervention_nodes(state, profile)
    return [(state, Fraction(1))]


def _intervention_nodes(state: State, profile: Profile) -> list[tuple[State, Fraction]]:
    q = state.params.q
    prior = {"L": q, "H": 1 - q}
    reach = {}
    for t in ("L", "H"):
        probs = profile("attack", alliance=state.alliance, theta=None, ctype=t)
        reach[t] = prior[t] * Fraction(probs.get("attack", ZERO))
    weights = reach if any(reach.values()) else prior
    total = sum(weights.values())
    return [(dataclasses.replace(state, ctype=t), w / total) for t, w in weights.items() if w]


def action_values(state: State, profile: Profile, belief: Fraction) -> dict[str, Fraction]:
    """The mover's expected payoff of each legal action at its information set, continuation by `profile`."""
    role = game.to_move(state)
    if role is None or state.node == "arming" or state.node in game.CBM_NODES:
        raise ValueError(f"no single-game action values at {state.node}")
    values = dict.fromkeys(game.legal_actions(state), ZERO)
    for node, weight in infoset_nodes(state, belief, profile):
        for action in values:
            for child, chance in successors(node, action):
                values[action] += weight * chance * expected_payoffs(child, profile)[role]
    return values


def ex_ante_payoffs(root: State, profile: Profile) -> dict[str, Fraction]:
    """Expected payoffs before anyone but the US knows theta: the average over Nature's draw."""
    totals = dict.fromkeys(game.ROLES, ZERO)
    for theta, weight in (("R", root.prior), ("N", 1 - root.prior)):
        for role, value in expected_payoffs(dataclasses.replace(root, theta=theta), profile).items():
            totals[role] += weight * value
    return totals
