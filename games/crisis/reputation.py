"""Multi-round reputation (crisis-model.md §4): quantal belief updates and the next round's prior.

The public belief about the US is updated after the alliance decision and, if the Challenger attacked,
after the intervention decision, using the benchmark strategies plus "quantal" errors so that the update
is defined after any student action:

    L_theta(x) = (1 - eps) * s_theta(x) + eps / (1 + exp(-lam * d_theta(x)))
    mu_new     = mu * L_R(x) / (mu * L_R(x) + (1 - mu) * L_N(x))

s_theta(x) is type theta's benchmark probability of x and d_theta(x) its payoff advantage of x over the
alternative under the benchmark continuation.  exp() makes this float arithmetic; the spec's tolerance is
1e-4, so beliefs are floats here while the benchmark quantities stay exact until the last step.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .analysis import solution_for
from .game import NEUTRALITY_EVENT, Move
from .params import Params

if TYPE_CHECKING:
    from .solver import Benchmark, Solution

Number = float | Fraction


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def likelihood(s: Number, d: Number, eps: Number, lam: Number) -> float:
    """L_theta(x) = (1 - eps) * s + eps / (1 + exp(-lam * d))."""
    return (1 - float(eps)) * float(s) + float(eps) * _logistic(float(lam) * float(d))


def bayes(mu: Number, l_r: float, l_n: float) -> float:
    """Posterior Pr(R) after an observation with likelihoods L_R, L_N (unchanged if both are 0)."""
    mu = float(mu)
    denominator = mu * l_r + (1 - mu) * l_n
    return mu if denominator == 0 else mu * l_r / denominator


_DEFAULTS = Params()
EPS: Fraction = _DEFAULTS.eps
LAM: Fraction = _DEFAULTS.lam


def update_after_alliance(mu: Number, solution: Solution, a: int, *, eps: Number = EPS,
                          lam: Number = LAM) -> float:
    """Belief after the US's alliance decision a (d_theta = U_theta(a) - U_theta(1 - a) at the benchmark)."""
    action = "alliance" if a else "no_alliance"
    l_by_type = {}
    for theta in ("R", "N"):
        s = solution.behaviour("alliance", theta=theta).get(action, Fraction(0))
        d = solution.us_value(theta, a) - solution.us_value(theta, 1 - a)
        l_by_type[theta] = likelihood(s, d, eps, lam)
    return bayes(mu, l_by_type["R"], l_by_type["N"])


def intervention_advantage(solution: Solution, theta: str, a: int) -> Fraction:
    """d_theta(intervene) = g_theta + a*R, less r_N under a US-Challenger neutrality pact (§1.4, §4)."""
    core = solution.core
    return core.g(theta) + a * core.R - core.rN


def update_after_intervention(mu: Number, solution: Solution, a: int, intervened: bool, *,
                              eps: Number = EPS, lam: Number = LAM) -> float:
    """Belief after the US intervened (or stayed out) following an attack, alliance decision a."""
    action = "intervene" if intervened else "stay_out"
    l_by_type = {}
    for theta in ("R", "N"):
        s = solution.behaviour("intervention", alliance=a, theta=theta).get(action, Fraction(0))
        d = intervention_advantage(solution, theta, a)
        l_by_type[theta] = likelihood(s, d if intervened else -d, eps, lam)
    return bayes(mu, l_by_type["R"], l_by_type["N"])


def next_prior(mu_final: Number, eta: Number, pi0: Number) -> float:
    """pi_next = (1 - eta) * mu_final + eta * pi0."""
    return (1 - float(eta)) * float(mu_final) + float(eta) * float(pi0)


def next_us_type(theta: str, eta: Number, pi0: Number, rng: random.Random) -> str:
    """The persisting US type; with probability eta a new administration is drawn from pi0."""
    if rng.random() < eta:
        return "R" if rng.random() < pi0 else "N"
    return theta


@dataclass(frozen=True)
class RoundUpdate:
    mu_after_alliance: float
    mu_after_intervention: float | None
    pi_next: float

    def as_dict(self) -> dict[str, float | None]:
        return {"mu_after_alliance": self.mu_after_alliance,
                "mu_after_intervention": self.mu_after_intervention, "pi_next": self.pi_next}


def round_update(params: Params, solution: Solution | Benchmark,
                 history: Iterable[Move | Mapping[str, Any]], *, prior: Number | None = None) -> RoundUpdate:
    """§4 for one round: the belief after the alliance and (if the Challenger attacked) the intervention
    decision, and the next round's prior.

    `params` is the scenario (round 1's parameters): eps, lam, eta and pi0 (`params.base_prior`) come from
    it, so pass the scenario, not a copy whose `pi` was replaced by a later round's prior (or set `pi0`).
    `solution` is this round's benchmark (solved with this round's prior; a whole `Benchmark` is narrowed
    to Japan's arming choice and, with Module D, to the CBM subgame found in the history).  The starting
    belief is `prior`, by default the benchmark's prior `solution.core.pi`.  `history` is the public
    history (`Move`s or their dicts).  An automatic alliance event (neutrality pact: the US had no choice)
    teaches nothing.
    """
    moves = [_as_move(entry) for entry in history]
    armed = any(m.node == "arming" and m.action == "arm" for m in moves)
    round_solution = solution_for(solution, armed, _cbm_choices(params, moves))
    eps, lam = params.eps, params.lam
    mu: float = float(round_solution.core.pi if prior is None else prior)
    alliance = next((m for m in moves if m.node == "alliance"), None)
    a = 0 if alliance is None or alliance.action == "no_alliance" else 1
    if alliance is not None and alliance.auto != NEUTRALITY_EVENT:
        mu = update_after_alliance(mu, round_solution, a, eps=eps, lam=lam)
    mu_alliance = mu
    # Module D: the US is asked only when the ARF failed and the Challenger attacked (§9.10); the
    # intervention node exists only then, so its presence in the history is the condition.
    intervention = next((m for m in moves if m.node == "intervention"), None)
    mu_intervention = None
    if intervention is not None:
        intervened = intervention.action == "intervene"
        mu = mu_intervention = update_after_intervention(mu, round_solution, a, intervened, eps=eps, lam=lam)
    return RoundUpdate(mu_alliance, mu_intervention, next_prior(mu, params.eta, params.base_prior))


def _cbm_choices(params: Params, moves: list[Move]) -> tuple[int, int] | None:
    """Module D: the CBM subgame (e1, eC) the history was played in (None without the module)."""
    if not params.arf:
        return None
    e1 = next((int(m.action == "cbm") for m in moves if m.node == "cbm_japan"), 0)
    eC = next((int(m.action == "cbm") for m in moves if m.node == "cbm_challenger"), 0)
    return e1, eC


def _as_move(entry: Move | Mapping[str, Any]) -> Move:
    if isinstance(entry, Move):
        return entry
    return Move(node=entry["node"], role=entry.get("role"), action=entry["action"], auto=entry.get("auto"))
