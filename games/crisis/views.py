"""What each role may see of a round (crisis-model.md §2.2; DESIGN.md "The player protocol").

A role's view is JSON-ready (floats, strings, lists, dicts) and is built only from public information plus
that role's own private information:

* the US sees its type (`us_type`: "resolute" / "non_resolute") and its own `w` and `g`;
* in Module C the Challenger sees its type (`challenger_type`: "determined" / "hesitant") and its own war
  costs once Nature has drawn it (after Japan resists);
* Japan has no private information.

All parameters are public (the spec: "all parameters except theta"), so wR and wN are public; what must
not leak is *which* of them is the US's.  Hence the end-of-round `outcome` shows each role only its own
payoff: the US payoff at SQ is w - aK and would reveal theta, the Challenger's war payoff in Module C
would reveal t.  Revealing the types is the debrief's job (`debrief_view`, after the instructor releases
it).  The property tests check the strong form: a non-owner's view is identical whatever the hidden type.
"""

from __future__ import annotations

from dataclasses import fields
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import game
from .analysis import solution_at
from .debrief import primary_label
from .game import State

if TYPE_CHECKING:
    from .params import Params
    from .solver import Benchmark, Solution

US_TYPE_NAMES = {"R": "resolute", "N": "non_resolute"}
CHALLENGER_TYPE_NAMES = {"L": "determined", "H": "hesitant"}

# Keys that may appear only in their owner's view (and in the instructor's / debrief views).
PRIVATE_KEYS = frozenset({"us_type", "challenger_type"})
PRIVATE_OWNER = {"us_type": "us", "challenger_type": "challenger"}


def private_keys() -> frozenset[str]:
    return PRIVATE_KEYS


def view_for(state: State, role: str, *, show_benchmark_belief: bool = False,
             solution: Solution | Benchmark | None = None) -> dict[str, Any]:
    """The round as `role` may see it now."""
    if role not in game.ROLES:
        raise ValueError(f"unknown role {role!r}")
    mover = game.to_move(state)
    view: dict[str, Any] = {
        "node": state.node,
        "to_move": mover,
        "actions": list(game.legal_actions(state)) if mover == role else [],
        "history": game.public_history(state),
        "private": private_info(state, role),
        "public": public_info(state, show_benchmark_belief=show_benchmark_belief, solution=solution),
    }
    if game.is_terminal(state):
        view["outcome"] = _outcome(state, (role,))
    return view


def private_info(state: State, role: str) -> dict[str, Any]:
    if role == "us":
        core = state.core
        return {"us_type": US_TYPE_NAMES[state.theta], "w": float(core.w(state.theta)),
                "g": float(core.g(state.theta))}
    if role == "challenger" and state.ctype is not None:
        core = state.core
        return {"challenger_type": CHALLENGER_TYPE_NAMES[state.ctype], "cC": float(core.cC_t(state.ctype)),
                "cCa": float(core.cCa_t(state.ctype))}
    return {}


@lru_cache(maxsize=256)
def _public_params(params: Params) -> dict[str, Any]:
    """`params.as_dict()`, once per scenario: every view carries it (callers copy it before changing it)."""
    return params.as_dict()


def public_info(state: State, *, show_benchmark_belief: bool = False,
                solution: Solution | Benchmark | None = None) -> dict[str, Any]:
    """Every scenario parameter, the effective numbers of this round, and the Challenger's public belief."""
    out = dict(_public_params(state.params))
    out["pi"] = float(state.prior)  # the round's prior is the public reputation (§4)
    core = state.core
    out.update(K=float(core.K), R=float(core.R), K1=float(core.K1))
    out["effective"] = _core_numbers(state)
    out["armed"] = state.armed
    out["alliance"] = state.alliance
    out["belief"] = float(state.prior)
    if state.params.arf:
        out.update(_arf_info(state))
    if show_benchmark_belief and solution is not None and state.alliance is not None:
        out["benchmark_belief"] = float(solution_at(solution, state).belief(state.alliance))
    return out


def _arf_info(state: State) -> dict[str, Any]:
    """Module D (§9.10): the CBM choices so far (public) and, once stage 0 is over, the ARF's success
    chances.  `arf` replaces the parameter switch of the same name (always true here) by an object, whose
    chances are null during stage 0."""
    phi: dict[str, float | None] = {"phi_if_allied": None, "phi_if_not_allied": None}
    if state.cbm is not None:
        core = state.core
        phi = {"phi_if_allied": float(core.phi(1)), "phi_if_not_allied": float(core.phi(0))}
    return {"cbm": {"japan": state.e1, "challenger": state.eC}, "arf": phi}


# Core fields that exist for Module D only: left out of the effective numbers while it is off.
_ARF_CORE_FIELDS = frozenset({"arf", "e1", "eC", "phi_a0", "phi_a1", "betaD", "challenger_shift"})


def _core_numbers(state: State) -> dict[str, Any]:
    core = state.core
    numbers: dict[str, Any] = {}
    for f in fields(core):
        if not core.arf and f.name in _ARF_CORE_FIELDS:
            continue
        value = getattr(core, f.name)
        numbers[f.name] = float(value) if isinstance(value, Fraction) else value
    numbers.update(DC=float(core.DC), D1=float(core.D1), hands_tied=core.h)
    return numbers


def _outcome(state: State, roles: tuple[str, ...]) -> dict[str, Any]:
    label, qualifier = primary_label(game.terminal(state), state.alliance or 0)
    pay = game.payoffs(state)
    return {"terminal": game.terminal(state), "label": label, "qualifier": qualifier,
            "payoffs": {r: float(pay[r]) for r in roles}}


def instructor_view(state: State, *, solution: Solution | Benchmark | None = None) -> dict[str, Any]:
    """Everything, for staff: both hidden types, every role's private block and, at the end, all payoffs."""
    view: dict[str, Any] = {
        "node": state.node,
        "to_move": game.to_move(state),
        "actions": list(game.legal_actions(state)),
        "history": game.public_history(state),
        "us_type": US_TYPE_NAMES[state.theta],
        "challenger_type": CHALLENGER_TYPE_NAMES.get(state.ctype or ""),
        "seed": state.seed,
        "private": {role: private_info(state, role) for role in game.ROLES},
        "public": public_info(state, show_benchmark_belief=solution is not None, solution=solution),
    }
    if game.is_terminal(state):
        view["outcome"] = _outcome(state, game.ROLES)
    return view


def debrief_view(state: State, *, solution: Solution | Benchmark | None = None) -> dict[str, Any]:
    """The full view once the instructor has released the debrief (same content as the instructor's)."""
    return instructor_view(state, solution=solution)
