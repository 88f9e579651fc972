"""The extensive-form crisis game of crisis-model.md §2, with §1.3 Module A and §3.9 Module C.

The rules are pure functions over an immutable `State` (OpenSpiel's kuhn_poker shape, scalachess's
"apply returns a new game or an error"): `apply` never mutates its argument, it returns a new state or
raises `IllegalMove`.  Nature's draws are seeded: the state keeps the seed, never a random generator, so
`replay` of a move log reproduces the live state exactly (dataclass equality).

Tree (DESIGN.md node names): `arming` (Japan, Module A only) -> [Module D: `cbm_japan` (Japan) ->
`cbm_challenger` (Challenger; skipped when dphiC = 0)] -> `alliance` (US; skipped under a
US-Challenger neutrality pact, recorded as an automatic public event) -> `challenge` (Challenger) ->
`response` (Japan) -> [Module C: Nature draws the Challenger's type, seen by the Challenger only]
[Module D: after `resist` Nature's `preventive_diplomacy` step, resolved at once and recorded as an
automatic public event: `defused` ends the round at `DEF`, `failed` goes on] -> `attack` (Challenger) ->
`intervention` (US) -> `end`.

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
NODES = (
    "arming",
    "cbm_japan",
    "cbm_challenger",
    "alliance",
    "challenge",
    "response",
    "attack",
    "intervention",
    "end",
)
CBM_NODES = ("cbm_japan", "cbm_challenger")  # Module D's stage 0 (§9.3)

ACTIONS: dict[str, tuple[str, ...]] = {
    "arming": ("arm", "no_arm"),
    "alliance": ("alliance", "no_alliance"),
    "challenge": ("challenge", "status_quo"),
    "response": ("resist", "concede"),
    "attack": ("attack", "withdraw"),
    "intervention": ("intervene", "stay_out"),
    "cbm_japan": ("cbm", "no_cbm"),
    "cbm_challenger": ("cbm", "no_cbm"),
}

MOVER: dict[str, str] = {
    "arming": "japan",
    "cbm_japan": "japan",
    "cbm_challenger": "challenger",
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
ARF_EVENT = "arf"  # `auto` of the preventive-diplomacy history event (Module D)
PREVENTIVE_DIPLOMACY = "preventive_diplomacy"  # its `node`; `action` is "defused" or "failed"
# Nature's moves that the history records (its type draws are private and recorded apart).
CHANCE_ACTIONS: dict[str, tuple[str, ...]] = {PREVENTIVE_DIPLOMACY: ("defused", "failed")}
# Where each of Nature's recorded moves leads, as _NEXT says for the players' moves.
_CHANCE_NEXT: dict[tuple[str, str], tuple[str, str | None]] = {
    (PREVENTIVE_DIPLOMACY, "defused"): ("end", "DEF"),
    (PREVENTIVE_DIPLOMACY, "failed"): ("attack", None),
}


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
        """Effective numbers for this round: tripwire, alliance type, Japan's arming, (Module D) the CBM
        choices so far (none yet counts as no CBMs) and the round prior."""
        if self.params.arf:
            return self.params.core(bool(self.armed), (self.e1 or 0, self.eC or 0)).with_prior(self.prior)
        return self.params.core(bool(self.armed)).with_prior(self.prior)

    @property
    def moves(self) -> tuple[str, ...]:
        """The players' actions so far (automatic events excluded): the log `replay` consumes."""
        return tuple(m.action for m in self.history if m.auto is None)

    # ----- Module D: read from the public history, so a state rebuilt from a snapshot has them too -----
    @property
    def e1(self) -> int | None:
        """Japan's CBM choice (1 = cbm) once made; None before it or without Module D."""
        return _choice(self.history, "cbm_japan")

    @property
    def eC(self) -> int | None:
        """The Challenger's CBM choice once made (0 once Japan has chosen when dphiC = 0: no such node)."""
        choice = _choice(self.history, "cbm_challenger")
        if choice is None and self.params.arf and not self.params.dphiC and self.e1 is not None:
            return 0
        return choice

    @property
    def cbm(self) -> tuple[int, int] | None:
        """e = (e1, eC) once stage 0 is over (Module D); None before that or without the module."""
        e1, eC = self.e1, self.eC
        return None if e1 is None or eC is None else (e1, eC)

    @property
    def arf_draw(self) -> str | None:
        """The preventive-diplomacy draw, "defused" or "failed", once resolved (Module D); None before."""
        return next((m.action for m in self.history if m.auto == ARF_EVENT), None)


def _choice(history: tuple[Move, ...], node: str) -> int | None:
    return next((int(m.action == "cbm") for m in history if m.node == node), None)


# ----- Nature ---------------------------------------------------------------------------------------

def _draw(seed: int | str, label: str, prob: Fraction) -> bool:
    """A reproducible Bernoulli(prob) draw from a generator derived from (seed, label)."""
    return random.Random(f"{seed}:{label}").random() < prob


def draw_us_type(seed: int | str, prior: Fraction) -> str:
    return "R" if _draw(seed, "theta", prior) else "N"


def draw_challenger_type(seed: int | str, q: Fraction) -> str:
    return "L" if _draw(seed, "ctype", q) else "H"


def draw_preventive_diplomacy(seed: int | str, phi: Fraction) -> bool:
    """Module D: True (defused) with probability phi."""
    return _draw(seed, PREVENTIVE_DIPLOMACY, phi)


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
    return _enter_stage_zero(
        State(params=params, prior=pi, seed=seed, theta=theta, node="alliance", armed=False)
    )


def _enter_stage_zero(state: State) -> State:
    """Module D: Japan's CBM decision comes first (after arming); otherwise straight to the alliance."""
    if state.params.arf:
        return dataclasses.replace(state, node="cbm_japan")
    return _enter_alliance_stage(state)


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
        return _enter_stage_zero(dataclasses.replace(state, armed=action == "arm", history=history))
    if state.node in CBM_NODES:
        return _after_cbm(dataclasses.replace(state, history=history))
    node, result = _NEXT[(state.node, action)]
    changes: dict[str, Any] = {"node": node, "result": result, "history": history}
    if state.node == "alliance":
        changes["alliance"] = int(action == "alliance")
    if state.node == "response" and action == "resist" and state.params.module_c:
        changes["ctype"] = draw_challenger_type(state.seed, state.params.q)
    after = dataclasses.replace(state, **changes)
    if state.node == "response" and action == "resist" and state.params.arf:
        defused = draw_preventive_diplomacy(state.seed, after.core.phi(after.alliance or 0))
        return resolve_preventive_diplomacy(after, defused)
    return after


def _after_cbm(state: State) -> State:
    """After a CBM decision: the Challenger's turn (unless dphiC = 0 or it has chosen), then the alliance."""
    if state.node == "cbm_japan" and state.params.dphiC:
        return dataclasses.replace(state, node="cbm_challenger")
    return _enter_alliance_stage(state)


def resolve_preventive_diplomacy(state: State, defused: bool) -> State:
    """Module D's chance step, at the state just after `resist` (node `attack`): `defused` ends the round at
    DEF, `failed` leaves the Challenger to decide; either way a public automatic event is recorded."""
    action = "defused" if defused else "failed"
    node, result = _CHANCE_NEXT[(PREVENTIVE_DIPLOMACY, action)]
    history = (*state.history, Move(node=PREVENTIVE_DIPLOMACY, role=None, action=action, auto=ARF_EVENT))
    return dataclasses.replace(state, node=node, result=result, history=history)


def preventive_diplomacy_outcomes(state: State) -> list[tuple[State, Fraction]]:
    """Both outcomes of `resist` at a `response` node with Module D on, with Nature's probabilities phi_a(e)
    and 1 - phi_a(e) (outcomes of probability 0 left out); for brute-force evaluation of the tree."""
    if state.node != "response" or not state.params.arf:
        raise ValueError("preventive diplomacy follows `resist` at a response node, with Module D on")
    history = (*state.history, Move(node="response", role=MOVER["response"], action="resist"))
    after = dataclasses.replace(state, node="attack", history=history)
    phi = after.core.phi(after.alliance or 0)
    branches = ((True, phi), (False, 1 - phi))
    return [(resolve_preventive_diplomacy(after, defused), prob) for defused, prob in branches if prob]


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


# ----- the round's shape, for pages that draw it ----------------------------------------------------

def spine(params: Params) -> list[dict[str, Any]]:
    """The steps a round with these parameters can pass, top to bottom, as JSON: each with its `node`,
    its `mover` (None: Nature) and its `edges` in the order of ACTIONS, each edge an `action` and the
    `terminal` it ends the round at, or None when the round goes on to the next step.

    Optional steps appear when their module is on: Japan's arming (Module A), the CBM decisions and
    preventive diplomacy (Module D; the Challenger's CBM only when its measures count, dphiC > 0). The
    alliance step is always there: under a neutrality pact it is the automatic public event."""
    present = {
        "arming": params.module_a,
        "cbm_japan": params.arf,
        "cbm_challenger": params.arf and bool(params.dphiC),
        PREVENTIVE_DIPLOMACY: params.arf,
    }
    return [_step(node) for node in _STEP_ORDER if present.get(node, True)]


def _step_order() -> tuple[str, ...]:
    """Every step in the order a round passes them: the decision nodes, and Nature's preventive-diplomacy
    step where `apply` resolves it, just before the node its `failed` outcome goes on to."""
    decisions = [node for node in NODES if node in ACTIONS]
    at = decisions.index(_CHANCE_NEXT[(PREVENTIVE_DIPLOMACY, "failed")][0])
    return (*decisions[:at], PREVENTIVE_DIPLOMACY, *decisions[at:])


_STEP_ORDER = _step_order()
_FOLLOWING = {**_NEXT, **_CHANCE_NEXT}


def _step(node: str) -> dict[str, Any]:
    edges = [{"action": action, "terminal": _FOLLOWING.get((node, action), (None, None))[1]}
             for action in CHANCE_ACTIONS.get(node) or ACTIONS[node]]
    return {"node": node, "mover": MOVER.get(node), "edges": edges}
