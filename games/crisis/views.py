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

from dataclasses import dataclass, field, fields
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import claims, game
from .analysis import solution_at
from .crisis import Crisis
from .debrief import primary_label
from .game import State
from .params import ONE, ZERO, Params
from .solver import bargaining_range, round_benchmark

if TYPE_CHECKING:
    from .params import Core
    from .solver import Benchmark, Solution

US_TYPE_NAMES = {"R": "resolute", "N": "non_resolute"}
CHALLENGER_TYPE_NAMES = {"L": "determined", "H": "hesitant"}

# Keys that may appear only in their owner's view (and in the instructor's / debrief views).
PRIVATE_KEYS = frozenset({"us_type", "challenger_type"})
PRIVATE_OWNER = {"us_type": "us", "challenger_type": "challenger"}


def private_keys() -> frozenset[str]:
    return PRIVATE_KEYS


def view_for(state: State, role: str, *, show_benchmark_belief: bool = False,
             solution: Solution | Benchmark | None = None,
             public: dict[str, Any] | None = None) -> dict[str, Any]:
    """The round as `role` may see it now. `public`: the round's `public_info`, when the caller built it
    once for every seat of the round (it is the same for all three)."""
    if role not in game.ROLES:
        raise ValueError(f"unknown role {role!r}")
    mover = game.to_move(state)
    view: dict[str, Any] = {
        "node": state.node,
        "to_move": mover,
        "actions": list(game.legal_actions(state)) if mover == role else [],
        "history": game.public_history(state),
        "private": private_info(state, role),
        "public": public if public is not None else public_info(
            state, show_benchmark_belief=show_benchmark_belief, solution=solution),
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
    belief = state.prior
    # Under a neutrality pact nothing is decided, so nothing is signalled: the meter keeps the reputation.
    decided = state.alliance is not None and state.core.alliance_allowed
    shown = show_benchmark_belief and solution is not None and decided
    if shown:
        belief = solution_at(solution, state).belief(state.alliance)
        out["benchmark_belief"] = float(belief)
    out["theory"] = theory_info(state, belief, benchmark_belief=shown)
    return out


def theory_info(state: State, belief: Fraction, *, benchmark_belief: bool = False) -> dict[str, Any]:
    """What the model says about the round now, from public information only, computed exactly and sent
    as floats so that pages only draw it (crisis-model.md §3.2, §3.3; §9.2 with Module D):

    * `belief`: the belief in US resolve the page shows, and `belief_kind`: "reputation" before the
      alliance decision (the round's prior, the Challenger's belief then; always under a neutrality pact,
      where the US decides nothing and the belief stays at the prior), "benchmark" after it when the class
      shows the benchmark belief (`belief_is_benchmark`), "hidden" after it when the class does not (the
      meter then shows the prior from before the decision);
    * `rho`: the probability of US intervention that belief implies after the alliance decision (no
      alliance while it is undecided); None when the belief is hidden and rho depends on it;
    * `ranges`: the bargaining range [low, high] and the expected result of war `p` at rho = 0 (`alone`),
      at rho (`now`, None with rho) and at rho = 1 (`certain`); `deal`: the range now within the good's
      [0, 1] (None with rho);
    * `claims`: what theory says about this round's crisis once the alliance decision is made (its codes and
      numbers, `games.crisis.claims.round_claims`: the verdicts on general deterrence and Japan's response
      and their reasons), where rho is shown;
    * `consequences`: the payoffs a decision's line quotes, costs already paid included (`concede`: Japan's
      payoff if it concedes now);
    * `g_N_allied`: g_N + R (- r_N), what the non-resolute type's intervention for an ally nets it (the
      treaty ties its hands iff >= 0); both types' values are public, only which one is the US's is not;
    * `challenger_wins`: the Challenger's chance of winning a war against Japan `alone` and against the
      `coalition`;
    * with Module D, `arf`: the ARF's chances before any confidence-building measure and what each side's
      measures add (`arf_stage_zero`).

    Every view of a round carries it, so it is cached per subgame and belief: the dict is shared, and
    read-only."""
    subgame = _Subgame.of(state)
    base = _theory(subgame, belief, benchmark_belief)
    if base["rho"] is None or subgame.alliance is None:
        return base
    # The claims depend on how far the round has gone, which the subgame's numbers do not.
    return {**base, "claims": _claims(_Moment(subgame, state.node, state.history))}


@dataclass(frozen=True)
class _Subgame:
    """What the theory numbers depend on, as a cache key; the state rides along to compute them."""

    params: Params
    prior: Fraction
    armed: bool
    cbm: tuple[int, int]
    alliance: int | None
    state: State = field(compare=False, hash=False)

    @classmethod
    def of(cls, state: State) -> _Subgame:
        cbm = (state.e1 or 0, state.eC or 0)
        return cls(state.params, state.prior, bool(state.armed), cbm, state.alliance, state)


@dataclass(frozen=True)
class _Moment:
    """A subgame and how far its round has gone (node and public history): what the claims depend on."""

    subgame: _Subgame
    node: str
    history: tuple[Any, ...]


def belief_kind(alliance: int | None, benchmark_belief: bool, alliance_allowed: bool = True) -> str:
    """Which belief the meter shows: the reputation before any alliance decision (and throughout under a
    neutrality pact, where nothing is decided and nothing signalled), else the benchmark's or, hidden, the
    reputation from before the decision."""
    if alliance is None or not alliance_allowed:
        return "reputation"
    return "benchmark" if benchmark_belief else "hidden"


@lru_cache(maxsize=1024)
def _theory(subgame: _Subgame, belief: Fraction, benchmark_belief: bool) -> dict[str, Any]:
    core, a = subgame.state.core, subgame.alliance
    kind = belief_kind(a, benchmark_belief, core.alliance_allowed)
    crisis = Crisis(core)
    rho = crisis.rho(a or 0, belief)
    belief_free = crisis.intervene[("R", a or 0)] == crisis.intervene[("N", a or 0)]
    shown = kind != "hidden" or belief_free
    low, high = bargaining_range(core, rho)
    out: dict[str, Any] = {
        "belief": float(belief),
        "belief_kind": kind,
        "belief_is_benchmark": kind == "benchmark",
        "rho": float(rho) if shown else None,
        "ranges": {
            "alone": _range_at(core, ZERO),
            "now": _range_at(core, rho) if shown else None,
            "certain": _range_at(core, ONE),
        },
        "deal": {"low": float(max(ZERO, low)), "high": float(min(ONE, high))} if shown else None,
        "claims": [],  # filled in per moment of the round by theory_info
        "consequences": {"concede": float(core.payoffs("CON", a or 0, "R")[2])},
        "g_N_allied": float(core.g("N") - core.rN + core.R),
        "challenger_wins": {"alone": float(1 - core.p), "coalition": float(1 - core.p2)},
    }
    if subgame.params.arf:
        out["arf"] = arf_stage_zero(subgame.params)
    return out


@lru_cache(maxsize=4096)
def _claims(moment: _Moment) -> list[dict[str, Any]]:
    """The round's claims at the benchmark of its prior (`claims.round_claims`), as JSON (shared: read
    only)."""
    state = moment.subgame.state
    bench = round_benchmark(state.params, state.prior)
    return [claim.as_json() for claim in claims.round_claims(bench, state)]


def _range_at(core: Core, rho: Fraction) -> dict[str, float]:
    """The §3.3 bargaining range at intervention probability rho, and p_rho, the expected result of war."""
    low, high = bargaining_range(core, rho)
    return {"rho": float(rho), "p": float(core.p + rho * core.Dp), "low": float(low), "high": float(high)}


@lru_cache(maxsize=64)
def arf_stage_zero(params: Params) -> dict[str, Any]:
    """Module D (§9.2): the ARF's chances of defusing a stand-off before any confidence-building measure,
    with the alliance behind Japan (`allied`) and without (`alone`), and the points each side's measures
    add (the Challenger's None when its measures count for nothing, dphiC = 0)."""

    def chances(e: tuple[int, int]) -> dict[str, Fraction]:
        core = params.core(False, e)
        return {"allied": core.phi(1), "alone": core.phi(0)}

    def added(e: tuple[int, int]) -> dict[str, float]:
        return {key: float(value - base[key]) for key, value in chances(e).items()}

    base = chances((0, 0))
    return {
        "without_measures": {key: float(value) for key, value in base.items()},
        "japan_adds": added((1, 0)),
        "challenger_adds": added((0, 1)) if params.dphiC else None,
    }


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
