"""What theory says at one decision, as numbers the pages turn into sentences.

Every sentence that states what theory predicts or why something happened (the board, the result card, the
debriefs, the prediction panel, the projector) is chosen from one of these, never from an inequality of its
own: the benchmark's probability at the mover's information set, whether the mover is indifferent there,
the Challenger's belief, the intervention probability it implies, whether the treaty ties the US's hands,
and where the status quo lies in the bargaining range. A probability of 0 or 1 is a prediction; anything
between is a mix, and the sentence must say so and give the probability.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from . import game
from .analysis import action_values, behaviour_at, solution_at
from .game import State
from .solver import Benchmark, Solution, bargaining_range

ZERO, ONE = Fraction(0), Fraction(1)


class Tendency(StrEnum):
    NEVER = "never"  # probability 0
    SOMETIMES = "sometimes"  # strictly between 0 and 1: the benchmark mixes
    ALWAYS = "always"  # probability 1


def tendency(probability: Fraction) -> Tendency:
    if probability == ZERO:
        return Tendency.NEVER
    if probability == ONE:
        return Tendency.ALWAYS
    return Tendency.SOMETIMES


@dataclass(frozen=True)
class Expectation:
    """The benchmark at one information set: the probability of the node's first action (`challenge`,
    `resist`, `attack`, `intervene`, `alliance`) and whether the mover is indifferent between its two
    actions (then any mix is a best reply, and the benchmark's is what makes the others' play rational)."""

    node: str
    role: str
    action: str
    probability: Fraction
    indifferent: bool

    @property
    def tendency(self) -> Tendency:
        return tendency(self.probability)


class RangePosition(StrEnum):
    INSIDE = "inside"  # the Challenger strictly prefers the status quo to war
    BOUNDARY = "boundary"  # the Challenger is indifferent between the status quo and war
    OUTSIDE = "outside"  # war is worth more to the Challenger than the status quo


@dataclass(frozen=True)
class Deterrence:
    """General deterrence after the alliance decision `alliance`: the Challenger's belief that the US is
    resolute, the intervention probability it implies, where the status quo (x = 1) lies in the core
    game's bargaining range at that probability, and what the benchmark expects the Challenger to do.
    `challenge` is the verdict; the range position is only part of the reason (σ, Module D's forum and
    indifference at the boundary decide the rest)."""

    alliance: int
    belief: Fraction
    rho: Fraction
    hands_tied: bool
    status_quo: RangePosition
    challenge: Expectation


def expectation(solution: Solution | Benchmark, state: State) -> Expectation:
    """What the benchmark expects at the mover's information set containing `state` (a decision node after
    stage 0; the subgame is the one `state` is in)."""
    sub = solution_at(solution, state)
    node = state.node
    first = game.ACTIONS[node][0]
    probabilities = behaviour_at(state, sub.behaviour)
    belief = sub.belief(state.alliance) if state.alliance is not None else state.prior
    values = action_values(state, sub.behaviour, belief)
    return Expectation(
        node=node,
        role=game.MOVER[node],
        action=first,
        probability=probabilities[first],
        indifferent=len(set(values.values())) == 1,
    )


def at_node(state: State, node: str) -> State | None:
    """The round as it stood when it reached `node` (None if it never did), rebuilt from its history."""
    actions = [move.action for move in state.history if move.auto is None]
    current = game.new_round(state.params, prior=state.prior, us_type=state.theta, seed=state.seed)
    for action in actions:
        if current.node == node:
            return current
        current = game.apply(current, action)
    return current if current.node == node else None


def challenge_state(state: State, alliance: int | None = None) -> State | None:
    """The challenge decision of `state`'s round, or of the same subgame after alliance decision
    `alliance` (for "what if the US had not allied"); None before the alliance decision is made."""
    at_challenge = at_node(state, "challenge")
    if alliance is None or at_challenge is None:
        return at_challenge
    if at_challenge.alliance == alliance:
        return at_challenge
    at_alliance = at_node(state, "alliance")
    assert at_alliance is not None  # the challenge node follows the alliance node
    return game.apply(at_alliance, "alliance" if alliance else "no_alliance")


def deterrence(solution: Solution | Benchmark, state: State) -> Deterrence:
    """General deterrence at `state`, a round at its challenge decision (see `challenge_state`)."""
    if state.node != "challenge" or state.alliance is None:
        raise ValueError("general deterrence is judged at the challenge decision")
    sub = solution_at(solution, state)
    a = state.alliance
    rho = sub.rho(a)
    _low, high = bargaining_range(sub.core, rho)
    position = RangePosition.BOUNDARY if high == ONE else RangePosition.INSIDE if high > ONE else None
    return Deterrence(
        alliance=a,
        belief=sub.belief(a),
        rho=rho,
        hands_tied=bool(sub.hands_tied and a),
        status_quo=position or RangePosition.OUTSIDE,
        challenge=expectation(solution, state),
    )
