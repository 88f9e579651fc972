"""The extensive-form crisis game of crisis-model.md §2, with §1.3 Module A and §3.9 Module C.

The rules are pure functions over an immutable `State` (OpenSpiel's kuhn_poker shape, scalachess's
"apply returns a new game or an error"): `apply` never mutates its argument, it returns a new state or
raises `IllegalMove`.  Nature's draws are seeded: the state keeps the seed, never a random generator, so
`replay` of a move log reproduces the live state exactly (dataclass equality).

Tree (DESIGN.md node names): `arming` (Japan, Module A only) -> `alliance` (US; skipped under a
US-Challenger neutrality pact, recorded as an automatic public event) -> `challenge` (Challenger) ->
`response` (Japan) -> [Module C: Nature draws the Challenger's type, seen by the Challenger only] ->
`attack` (Challenger) -> `intervention` (US) -> `end`.

Tie-breaking conventions (§2.4) belong to the benchmark, not to legality: every listed action is legal.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from .params import Core, Params

ROLES = ("japan", "us", "challenger")
NODES = ("arming", "alliance", "challenge", "response", "attack", "intervention", "end")

ACTIONS: dict[str, tuple[str, ...]] = {
    "arming": ("arm", "no_arm"),
    "alliance": ("alliance", "no_alliance"),
    "challenge": ("challenge", "status_quo"),
    "response": ("resist", "concede"),
    "attack": ("attack", "withdraw"),
    "intervention": ("intervene", "stay_out"),
}

MOVER: dict[str, str] = {
    "arming": "japan",
    "alliance": "us",
    "challenge": "challenger",
    "response": "japan",
    "attack": "challenger",
    "intervention": "us",
}

# (node, action) -> (next node, terminal or None).  "alliance" resolves through _after_arming.
_NEXT: dict[tuple[str, str], tuple[str, str | None]] = {
    ("alliance", "alliance"): ("challenge", None),
    ("alliance", "no_alliance"): ("challenge", None),
    ("challenge", "challenge"): ("response", None),
    ("challenge", "status_quo"): ("end", "SQ"),
    ("response", "resist"): ("attack", None),
    ("response", "concede"): ("end", "CON"),
    ("attack", "attack"): ("intervention", None),
    ("attack", "withdraw"): ("end", "WD"),
    ("intervention", "intervene"): ("end", "WAR_I"),
    ("intervention", "stay_out"): ("end", "WAR_S"),
}

NEUTRALITY_EVENT = "neutrality_pact"


class IllegalMove(Exception):
    """The one error `apply` raises; `code` is a protocol error code ("illegal_action", "not_your_turn")."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True)
class Move:
    """One public history entry: a player's move, or an automatic public event (`auto` names its cause)."""

    node: str
    role: str | None
    action: str
    auto: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"node": self.node, "role": self.role, "action": self.action}
        if self.auto is not None:
            out["auto"] = self.auto
        return out


@dataclass(frozen=True)
class State:
    """One round of the crisis game.  Private fields: `theta` (US only) and `ctype` (Challenger only)."""

    params: Params
    prior: Fraction  # the round's public prior Pr(theta = R): params.pi in round 1, pi_t later (§4)
    seed: int | str
    theta: str  # "R" | "N", drawn by Nature
    node: str
    armed: bool | None = None  # Module A: None until Japan decides; False when the module is off
    alliance: int | None = None  # a in {0, 1} once decided
    ctype: str | None = None  # Module C: "L" | "H" once drawn (after `resist`)
    history: tuple[Move, ...] = ()
    result: str | None = None  # terminal label once the round is over

    @cached_property
    def core(self) -> Core:
        """Effective numbers for this round: tripwire, alliance type, Japan's arming and the round prior."""
        return self.params.core(bool(self.armed)).with_prior(self.prior)

    @property
    def moves(self) -> tuple[str, ...]:
        """The players' actions so far (automatic events excluded): the log `replay` consumes."""
        return tuple(m.action for m in self.history if m.auto is None)


# ----- Nature ---------------------------------------------------------------------------------------

def _draw(seed: int | str, label: str, prob: Fraction) -> bool:
    """A reproducible Bernoulli(prob) draw from a generator derived from (seed, label)."""
    return random.Random(f"{seed}:{label}").random() < prob


def draw_us_type(seed: int | str, prior: Fraction) -> str:
    return "R" if _draw(seed, "theta", prior) else "N"


def draw_challenger_type(seed: int | str, q: Fraction) -> str:
    return "L" if _draw(seed, "ctype", q) else "H"


# ----- construction -----------------------------------------------------------------------------

def new_round(params: Params, *, prior: Fraction | None = None, us_type: str | None = None,
              seed: int | str) -> State:
    """A fresh round.  Nature draws theta with Pr(R) = prior unless `us_type` carries a persisting type."""
    pi = params.pi if prior is None else Fraction(prior)
    if not 0 < pi < 1:
        raise ValueError("prior must lie strictly between 0 and 1")
    if us_type is not None and us_type not in ("R", "N"):
        raise ValueError('us_type must be "R" or "N"')
    theta = us_type if us_type is not None else draw_us_type(seed, pi)
    if params.module_a:
        return State(params=params, prior=pi, seed=seed, theta=theta, node="arming")
    return _enter_alliance_stage(State(params=params, prior=pi, seed=seed, theta=theta, node="alliance",
                                       armed=False))


def _enter_alliance_stage(state: State) -> State:
    """At the alliance node; under a neutrality pact skip it: a = 0, recorded as a public event."""
    if state.params.alliance_allowed:
        return dataclasses.replace(state, node="alliance")
    event = Move(node="alliance", role=None, action="no_alliance", auto=NEUTRALITY_EVENT)
    return dataclasses.replace(state, node="challenge", alliance=0, history=(*state.history, event))


# ----- queries ----------------------------------------------------------------------------------

def is_terminal(state: State) -> bool:
    return state.node == "end"


def to_move(state: State) -> str | None:
    return MOVER.get(state.node)


def legal_actions(state: State) -> tuple[str, ...]:
    return ACTIONS.get(state.node, ())


def terminal(state: State) -> str:
    if state.result is None:
        raise ValueError("the round is not over")
    return state.result


def payoffs(state: State) -> dict[str, Fraction]:
    """§2.3 payoffs at the terminal (Module A's arm_cost included through the core)."""
    us, challenger, japan = state.core.payoffs(terminal(state), state.alliance or 0, state.theta,
                                               state.ctype or "L")
    return {"us": us, "challenger": challenger, "japan": japan}


# ----- transitions ------------------------------------------------------------------------------

def apply(state: State, action: str, role: str | None = None) -> State:
    """The state after `action` (by `role`, when given); raises IllegalMove and leaves `state` unchanged."""
    _check(state, action, role)
    mover = MOVER[state.node]
    history = (*state.history, Move(node=state.node, role=mover, action=action))
    if state.node == "arming":
        return _enter_alliance_stage(dataclasses.replace(state, armed=action == "arm", history=history))
    node, result = _NEXT[(state.node, action)]
    changes: dict[str, Any] = {"node": node, "result": result, "history": history}
    if state.node == "alliance":
        changes["alliance"] = int(action == "alliance")
    if state.node == "response" and action == "resist" and state.params.module_c:
        changes["ctype"] = draw_challenger_type(state.seed, state.params.q)
    return dataclasses.replace(state, **changes)


def _check(state: State, action: str, role: str | None) -> None:
    if is_terminal(state):
        raise IllegalMove("illegal_action", "the round is over")
    mover = MOVER[state.node]
    if role is not None and role != mover:
        raise IllegalMove("not_your_turn", f"it is the {mover}'s turn at {state.node}")
    if action not in legal_actions(state):
        allowed = ", ".join(legal_actions(state))
        raise IllegalMove("illegal_action", f"{action!r} is not legal at {state.node}; choose {allowed}")


def replay(params: Params, prior: Fraction | None, us_type: str | None, seed: int | str,
           actions: Iterable[str]) -> State:
    """Rebuild a round from its move log; equal (==) to the live state that produced the log."""
    state = new_round(params, prior=prior, us_type=us_type, seed=seed)
    for action in actions:
        state = apply(state, action)
    return state


def public_history(state: State) -> list[dict[str, Any]]:
    return [m.as_dict() for m in state.history]


def history_from_dicts(entries: Iterable[Mapping[str, Any]]) -> tuple[Move, ...]:
    """Inverse of `public_history` (for callers that stored the history as JSON)."""
    return tuple(Move(node=e["node"], role=e.get("role"), action=e["action"], auto=e.get("auto"))
                 for e in entries)
