"""The equilibrium benchmark of crisis-model.md §3 (and §1.3 Module A, §3.9 Module C), exact.

Public API (other modules of the engine and the Django side build on exactly this):

    solve(params) -> Benchmark            # a whole scenario, with Module A's stage 0 when it is on
    solve_core(core) -> Solution          # one core game (given effective numbers and prior)
    Solution.behaviour(node, alliance=, theta=, ctype=) -> {action: Fraction}
    Solution.us_value(theta, a) -> Fraction
    Solution.rho(a, mu=None) -> Fraction
    Solution.belief(a) -> Fraction
    bargaining_range(core, rho) -> (low, high)
    benchmark_json(benchmark) -> dict     # the `solve_scenario` output object of DESIGN.md
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache

from . import game
from .crisis import Continuation, Crisis
from .params import ONE, THETAS, ZERO, Core, F, Params

# Each node's two actions (the one a behaviour gives the probability of, then the other), players' and
# Nature's.
ACTIONS = {**game.ACTIONS, **game.CHANCE_ACTIONS}

CBM_PROFILES: tuple[tuple[int, int], ...] = ((0, 0), (0, 1), (1, 0), (1, 1))  # e = (e1, eC), §9.2


@dataclass(frozen=True)
class Thresholds:
    rho_A: Fraction
    rho_W: Fraction
    rho_R: Fraction
    rho_star: Fraction
    # Module C only (None otherwise)
    rho_A_L: Fraction | None = None
    rho_A_H: Fraction | None = None
    rho_W_star: Fraction | None = None
    # Module D only (None otherwise), indexed by the alliance decision a: (a=0, a=1)
    phi: tuple[Fraction, Fraction] | None = None
    rho_R_D: tuple[Fraction, Fraction] | None = None
    rho_W_D: tuple[Fraction, Fraction] | None = None
    rho_star_D: tuple[Fraction, Fraction] | None = None


@dataclass(frozen=True)
class Candidate:
    """One PBE family member (§3.5): who allies, the beliefs, the challenge probability after an alliance."""

    name: str  # "E1" .. "E5"
    x_R: Fraction  # Pr(resolute US allies)
    x_N: Fraction  # Pr(non-resolute US allies)
    mu0: Fraction  # Pr(R | no alliance)
    mu1: Fraction  # Pr(R | alliance)
    y1: Fraction  # Pr(Challenger challenges | alliance)
    U_R: Fraction
    U_N: Fraction
    ic: bool  # survives the Intuitive Criterion
    # E5 at rho_W: "" (core), "W" (Module C), "D" (Module D: E5-D); "A" at rho_A_H (Module C); "R" at rho_R
    variant: str = ""
    z_H: Fraction | None = None  # Module C E5A: Pr(hesitant Challenger attacks | alliance)
    r_J: Fraction | None = None  # E5 at rho_R: Pr(Japan resists | alliance, challenged)


@dataclass(frozen=True)
class PathEntry:
    theta: str  # "R" | "N"
    alliance: int  # 0 | 1
    terminal: str  # "SQ" | "CON" | "WD" | "WAR_I" | "WAR_S" | "DEF" (Module D)
    prob: Fraction
    ctype: str | None = None  # Module C: "L" | "H" (None when the type was never drawn or module off)


@dataclass(frozen=True)
class Payoffs:
    us: Fraction
    challenger: Fraction
    japan: Fraction


@dataclass(frozen=True)
class Solution:
    """The benchmark of one core game: thresholds, every candidate PBE, the selected one and its path."""

    core: Core
    thresholds: Thresholds
    hands_tied: bool
    candidates: tuple[Candidate, ...]
    selected: Candidate
    approximate: bool
    assumptions: dict[str, bool]  # S1..S4
    crisis: Crisis = field(repr=False, compare=False)

    # Computed on first use: most callers (bots, timeouts, beliefs) need only the behaviour.
    @cached_property
    def path(self) -> tuple[PathEntry, ...]:
        """The selected equilibrium's distribution over (theta, a, [t,] terminal)."""
        return _path(self.crisis, self.selected)

    @cached_property
    def expected_payoffs(self) -> Payoffs:
        return _expected(self.crisis, self.path)

    @cached_property
    def complete_info(self) -> dict[str, dict]:
        """§3.4 per theta: {"alliance", "terminals", "payoffs"}."""
        return _complete_info(self.crisis)

    @property
    def surviving(self) -> tuple[Candidate, ...]:
        """Candidates that survive the Intuitive Criterion (several: MULTIPLE_EQUILIBRIA)."""
        return tuple(c for c in self.candidates if c.ic)

    def belief(self, a: int) -> Fraction:
        return self.selected.mu1 if a else self.selected.mu0

    def rho(self, a: int, mu: Fraction | None = None) -> Fraction:
        return self.crisis.rho(a, self.belief(a) if mu is None else mu)

    def continuation(self, a: int) -> Continuation:
        return _continuation_of(self.crisis, self.selected, a)

    def behaviour(
        self, node: str, *, alliance: int | None = None, theta: str | None = None, ctype: str | None = None
    ) -> dict[str, Fraction]:
        if node == "alliance":
            x = self.selected.x_R if _need(theta, "theta") == "R" else self.selected.x_N
            return _probs(node, x)
        if node in ("cbm_japan", "cbm_challenger"):
            raise ValueError(f"stage 0 ({node}) is the whole Benchmark's: use Benchmark.cbm_behaviour")
        a = _need(alliance, "alliance")
        if node == "preventive_diplomacy":  # Nature's move (Module D): phi_a(e)
            return _probs(node, self.core.phi(a))
        if node == "intervention":
            return _probs(node, ONE if self.crisis.intervene[(_need(theta, "theta"), a)] else ZERO)
        cont = self.continuation(a)
        if node == "challenge":
            return _probs(node, cont.challenge)
        if node == "response":
            return _probs(node, cont.resist_share)
        if node == "attack":
            return _probs(node, cont.attack[ctype if self.core.module_c and ctype else "L"])
        raise ValueError(f"no benchmark behaviour at node {node!r}")

    def us_value(self, theta: str, a: int) -> Fraction:
        return self.crisis.value(theta, a, self.continuation(a))


@dataclass(frozen=True)
class ModuleD:
    """Module D's stage 0 for one arming choice (§9.6): every CBM subgame's Solution and the choices.

    `e` = (e1*, eC*(e1*)) is the benchmark subgame; `eC_reply` = (eC*(0), eC*(1)) is the Challenger's reply
    to each of Japan's choices.  Without a Challenger option (dphiC = 0) only e in {(0,0), (1,0)} exists
    and the reply is always 0.
    """

    subgames: dict[tuple[int, int], Solution]
    e: tuple[int, int]
    eC_reply: tuple[int, int]
    challenger_moves: bool  # False when dphiC = 0: the Challenger's CBM node is skipped

    @property
    def main(self) -> Solution:
        """The benchmark subgame's Solution."""
        return self.subgames[self.e]

    def solution(self, e: tuple[int, int]) -> Solution:
        return self.subgames[(int(e[0]), int(e[1]))]

    def payoffs(self, e: tuple[int, int]) -> tuple[Fraction, Fraction]:
        """(EU^J(e), EU^C(e)) of §9.6: Japan's and the Challenger's expected payoffs, CBM costs included."""
        p = self.solution(e).expected_payoffs
        return p.japan, p.challenger

    def cbm_values(self, node: str, e1: int | None = None) -> dict[str, Fraction]:
        """The mover's stage-0 payoff of each action (later stage-0 replies and subgames at the benchmark)."""
        if node == "cbm_japan":
            return {
                "cbm": self.payoffs((1, self.eC_reply[1]))[0],
                "no_cbm": self.payoffs((0, self.eC_reply[0]))[0],
            }
        if node == "cbm_challenger":
            first = int(_need(e1, "e1"))
            return {"cbm": self.payoffs((first, 1))[1], "no_cbm": self.payoffs((first, 0))[1]}
        raise ValueError(f"no stage-0 decision at node {node!r}")

    def cbm_behaviour(self, node: str, e1: int | None = None) -> dict[str, Fraction]:
        if node == "cbm_japan":
            return _probs(node, ONE if self.e[0] else ZERO)
        if node == "cbm_challenger":
            return _probs(node, ONE if self.eC_reply[int(_need(e1, "e1"))] else ZERO)
        raise ValueError(f"no stage-0 decision at node {node!r}")


@dataclass(frozen=True)
class Benchmark:
    """A whole scenario's benchmark: one Solution per arming choice and Module A's stage-0 decision.

    With Module D, `solutions[armed]` is the benchmark CBM subgame's Solution for that arming choice and
    `arf[armed]` holds the whole stage 0 (every subgame and the CBM choices).
    """

    params: Params
    solutions: dict[bool, Solution]  # armed -> solution; only False when Module A is off
    arm: bool | None  # Module A stage-0 choice; None when the module is off
    arf: dict[bool, ModuleD] | None = None  # Module D: armed -> stage 0; None when the module is off

    @property
    def main(self) -> Solution:
        return self.solutions[bool(self.arm)]

    @property
    def module_d(self) -> ModuleD | None:
        """Module D's stage 0 for the benchmark arming choice (None when the module is off)."""
        return None if self.arf is None else self.arf[bool(self.arm)]

    def solution(self, armed: bool = False, e: tuple[int, int] | None = None) -> Solution:
        """The Solution for an arming choice and (Module D) a CBM subgame e; e = None: the benchmark's."""
        if e is None or self.arf is None:
            return self.solutions[armed]
        return self.arf[armed].solution(e)

    def arming_behaviour(self) -> dict[str, Fraction]:
        return _probs("arming", ONE if self.arm else ZERO)

    def cbm_behaviour(self, node: str, *, armed: bool = False, e1: int | None = None) -> dict[str, Fraction]:
        """Module D stage 0: the benchmark at `cbm_japan`, or at `cbm_challenger` after Japan's choice e1."""
        if self.arf is None:
            raise ValueError("this scenario has no cooperative-security layer (Module D is off)")
        return self.arf[bool(armed)].cbm_behaviour(node, e1)


def _need(value, name: str):
    if value is None:
        raise ValueError(f"{name} is required at this node")
    return value


def _probs(node: str, first: Fraction) -> dict[str, Fraction]:
    yes, no = ACTIONS[node]
    return {yes: first, no: ONE - first}


def _continuation_of(crisis: Crisis, cand: Candidate, a: int) -> Continuation:
    """The selected behaviour after a: backward induction at mu_a, overridden by E5's mixing."""
    cont = crisis.continuation(a, crisis.rho(a, cand.mu1 if a else cand.mu0))
    if a == 1 and cand.name == "E5":
        attack = dict(cont.attack)
        if cand.z_H is not None:
            attack["H"] = cand.z_H
        return Continuation(challenge=cand.y1, resist=True, attack=attack, resist_prob=cand.r_J)
    return cont


# --------------------------------------------------------------------------------------------------
# Candidates (§3.5, §3.8, §3.9)
# --------------------------------------------------------------------------------------------------


def _candidate(cr: Crisis, name: str, x_R, x_N, mu0, mu1, U_R, U_N, ic: bool, **extra) -> Candidate:
    y1 = extra.pop("y1", None)
    if y1 is None:
        y1 = cr.continuation(1, cr.rho(1, mu1)).challenge
    return Candidate(
        name=name, x_R=F(x_R), x_N=F(x_N), mu0=F(mu0), mu1=F(mu1), y1=F(y1), U_R=U_R, U_N=U_N, ic=ic, **extra
    )


def _intuitive(cr: Crisis, on_a: int, mu_on: Fraction) -> bool:
    """Cho-Kreps test of a pooling equilibrium on message on_a against the off-path message."""
    off = 1 - on_a
    # It fails only if R alone could gain from the off-path message: N first (cheaper, usually decisive).
    if cr.best_value("N", off) >= cr.us_value_at("N", on_a, mu_on):
        return True
    eq_R = cr.us_value_at("R", on_a, mu_on)
    if cr.best_value("R", off) < eq_R:
        return True
    return not cr.us_value_at("R", off, ONE) > eq_R


def _pooling(cr: Crisis) -> list[Candidate]:
    U, pi, out = cr.us_value_at, cr.core.pi, []
    if not cr.core.alliance_allowed:  # neutrality pact: no message, nothing to test
        return [_candidate(cr, "E3", 0, 0, pi, 0, U("R", 0, pi), U("N", 0, pi), True)]
    if all(U(th, 1, ZERO) <= U(th, 0, pi) for th in THETAS):
        out.append(_candidate(cr, "E3", 0, 0, pi, 0, U("R", 0, pi), U("N", 0, pi), _intuitive(cr, 0, pi)))
    if all(U(th, 1, pi) >= U(th, 0, ZERO) for th in THETAS):
        out.append(_candidate(cr, "E2", 1, 1, 0, pi, U("R", 1, pi), U("N", 1, pi), _intuitive(cr, 1, pi)))
    return out


def _separating(cr: Crisis) -> list[Candidate]:
    if not cr.core.alliance_allowed:
        return []
    U, out = cr.us_value_at, []
    if U("R", 1, ONE) >= U("R", 0, ZERO) and U("N", 0, ZERO) >= U("N", 1, ONE):
        out.append(_candidate(cr, "E1", 1, 0, 0, 1, U("R", 1, ONE), U("N", 0, ZERO), True))
    if U("R", 0, ONE) >= U("R", 1, ZERO) and U("N", 1, ZERO) >= U("N", 0, ONE):
        out.append(_candidate(cr, "E4", 0, 1, 1, 0, U("R", 0, ONE), U("N", 1, ZERO), True))
    return out


def _war_gap_N(cr: Crisis) -> Fraction:
    """(1-p)*wN + R: what a tested alliance costs the non-resolute US relative to deterrence."""
    c = cr.core
    return (1 - c.p) * c.wN + c.R


def _indifference_Y(cr: Crisis) -> Fraction | None:
    """Y of §3.5: the war probability after an alliance that makes the non-resolute US indifferent."""
    gap = _war_gap_N(cr)
    if gap <= 0:
        return None
    c = cr.core
    return (c.wN - c.K - cr.us_value_at("N", 0, ZERO)) / gap


def _semi_separating(cr: Crisis) -> list[Candidate]:
    """E5: R allies, N bluffs with sigma*, the Challenger is indifferent after an alliance (§3.5, §3.9)."""
    c = cr.core
    if not c.alliance_allowed or c.h or not cr.intervene[("R", 1)]:
        return []
    Y = _indifference_Y(cr)
    if Y is None or not ZERO <= Y <= ONE:
        return []
    if c.arf:
        found = _e5_arf(cr, Y)
    else:
        found = _e5_core(cr) if not c.module_c else _e5_module_c(cr, Y)
    if found is None:
        return []
    mu1, y1, z_H, variant = found
    if not (c.pi < mu1 <= ONE):
        return []
    U_R = (1 - Y) * cr.pay[("SQ", 1, "R", "L")][0] + Y * cr.pay[("WAR_I", 1, "R", "L")][0]
    U_N0 = cr.us_value_at("N", 0, ZERO)
    if U_R < cr.us_value_at("R", 0, ZERO):
        return []
    sigma_star = c.pi * (1 - mu1) / ((1 - c.pi) * mu1)
    return [_candidate(cr, "E5", 1, sigma_star, 0, mu1, U_R, U_N0, True, y1=y1, z_H=z_H, variant=variant)]


def _semi_separating_at_rho_R(cr: Crisis) -> list[Candidate]:
    """E5 variant "R": N bluffs until mu1 = rho_R, where Japan is indifferent and resists with r_J.

    Outside S1-S4 only (inside them the alliance either deters or is challenged at rho_W >= rho_R).  The
    Challenger challenges and, when resisted, attacks; N's indifference fixes r_J:
    (1 - r_J) * U_N(CON, a=1) + r_J * U_N(WAR_S, a=1) = U_N(a=0).  Found by the pygambit cross-check.
    """
    c = cr.core
    only_r_intervenes = cr.intervene[("R", 1)] and not cr.intervene[("N", 1)]
    if c.module_c or not c.alliance_allowed or not only_r_intervenes:
        return []
    mu1 = cr.rho_R_D[1]  # = rho_R without Module D
    if not (c.pi < mu1 <= ONE and mu1 < cr.rho_A):
        return []
    con_n, war_n = cr.pay.role("CON", 1, "N", "L", 0), _standoff_us(cr, "WAR_S", "N")
    U_N0 = cr.us_value_at("N", 0, ZERO)
    if war_n == con_n:
        return []
    r_J = (U_N0 - con_n) / (war_n - con_n)
    if not ZERO <= r_J <= ONE:
        return []
    if not (1 - r_J) + r_J * _standoff_challenger(cr, mu1) > -c.sigma:  # challenging strictly pays
        return []
    U_R = (1 - r_J) * cr.pay.role("CON", 1, "R", "L", 0) + r_J * _standoff_us(cr, "WAR_I", "R")
    if U_R < cr.us_value_at("R", 0, ZERO):
        return []
    sigma_star = c.pi * (1 - mu1) / ((1 - c.pi) * mu1)
    return [_candidate(cr, "E5", 1, sigma_star, 0, mu1, U_R, U_N0, True, y1=ONE, variant="R", r_J=r_J)]


def _standoff_us(cr: Crisis, war: str, theta: str) -> Fraction:
    """The US's payoff after an alliance once Japan resists and the Challenger would attack: the war
    terminal, or (Module D) the lottery DEF w.p. phi_1, else the war."""
    value = cr.pay.role(war, 1, theta, "L", 0)
    phi = cr.phi[1]
    return phi * cr.pay.role("DEF", 1, theta, "L", 0) + (1 - phi) * value if phi else value


def _standoff_challenger(cr: Crisis, mu1: Fraction) -> Fraction:
    """The Challenger's value of a stand-off after an alliance at belief mu1 (before the CBM cost, which
    it pays whatever it does): V_C(mu1), or (Module D) phi_1 (-sigma - beta_D) + (1 - phi_1) V_C(mu1)."""
    value = cr.war_value_challenger("L", mu1)
    phi = cr.phi[1]
    return phi * (-cr.core.sigma - cr.core.betaD) + (1 - phi) * value if phi else value


def _e5_arf(cr: Crisis, Y: Fraction) -> tuple[Fraction, Fraction, None, str] | None:
    """§9.5 E5-D: mu1 = m = rho_W_D(e,1), where the Challenger is indifferent; it challenges w.p.
    y*_D = Y_D / (1 - phi_1), Y_D = (VD_D(N,e,0) - K) / D_N being the war probability after an alliance."""
    m = cr.rho_W_D[1]
    if not (cr.rho_R_D[1] <= m < cr.rho_A):
        return None
    y1 = Y / (1 - cr.phi[1])
    if y1 > ONE:
        return None
    return m, y1, None, "D" if cr.phi[1] else ""


def _e5_core(cr: Crisis) -> tuple[Fraction, Fraction, None, str] | None:
    if not (cr.rho_R <= cr.rho_W < cr.rho_A):
        return None
    return cr.rho_W, _indifference_Y(cr), None, ""


def _e5_module_c(cr: Crisis, Y: Fraction) -> tuple[Fraction, Fraction, Fraction | None, str] | None:
    c, q = cr.core, cr.core.q
    rho_W, rho_A_H = cr.rho_W_star, cr.rho_A_t["H"]
    if rho_W <= rho_A_H or Y <= q:
        mu1, y1 = rho_W, (Y if rho_W <= rho_A_H else Y / q)
        if not (ZERO <= mu1 <= ONE and cr.japan_resists(cr.rho(1, mu1))):
            return None
        return mu1, y1, None, "W"
    mu1, z_H = rho_A_H, (Y - q) / (1 - q)
    if not (c.pi < mu1 <= ONE):
        return None
    japan_ok = Y * cr.war_value_japan(mu1) + 1 - Y >= 0
    challenger_ok = cr.resist_value_challenger(mu1) > -c.sigma
    if not (japan_ok and challenger_ok):
        return None
    return mu1, ONE, z_H, "A"


def _fallback(cr: Crisis) -> Candidate:
    """No candidate family exists (only outside S1-S4): best replies at skeptical beliefs, flagged."""
    pi = cr.core.pi
    x = {
        th: ONE
        if cr.core.alliance_allowed and cr.us_value_at(th, 1, ZERO) > cr.us_value_at(th, 0, pi)
        else ZERO
        for th in THETAS
    }
    mu1 = ONE if x["R"] and not x["N"] else (pi if x["R"] else ZERO)
    mu0 = ZERO if x["R"] and x["N"] else pi
    return _candidate(
        cr,
        "E3" if not any(x.values()) else "E1",
        x["R"],
        x["N"],
        mu0,
        mu1,
        cr.us_value_at("R", int(x["R"]), mu1 if x["R"] else mu0),
        cr.us_value_at("N", int(x["N"]), mu1 if x["N"] else mu0),
        False,
    )


def _distinct(cands: list[Candidate]) -> list[Candidate]:
    """Drop a candidate whose profile repeats an earlier one (E5 with sigma* = 0 at rho_W = 1 is E1)."""
    seen: set[tuple] = set()
    out = []
    for c in cands:
        key = (c.x_R, c.x_N, c.mu0, c.mu1, c.y1, c.z_H, c.r_J)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _select(cands: list[Candidate]) -> Candidate | None:
    """§3.6: highest U_R among IC survivors, then higher U_N, then lower total alliance probability."""
    keep = [c for c in cands if c.ic]
    if not keep:
        return None
    return max(keep, key=lambda c: (c.U_R, c.U_N, -(c.x_R + c.x_N)))


# --------------------------------------------------------------------------------------------------
# Path, payoffs, assumptions, complete information
# --------------------------------------------------------------------------------------------------


def _path(cr: Crisis, cand: Candidate) -> tuple[PathEntry, ...]:
    pi = cr.core.pi
    out: list[PathEntry] = []
    for theta, p_theta in (("R", pi), ("N", 1 - pi)):
        x = cand.x_R if theta == "R" else cand.x_N
        for a, p_a in ((1, x), (0, 1 - x)):
            if p_theta * p_a == 0:
                continue
            for term, t, prob in cr.terminals(theta, a, _continuation_of(cr, cand, a)):
                if prob:
                    out.append(PathEntry(theta, a, term, p_theta * p_a * prob, t))
    return tuple(out)


def _expected(cr: Crisis, path: tuple[PathEntry, ...]) -> Payoffs:
    totals = [ZERO, ZERO, ZERO]
    for e in path:
        trio = cr.pay[(e.terminal, e.alliance, e.theta, e.ctype or "L")]
        for i in range(3):
            totals[i] += e.prob * trio[i]
    return Payoffs(us=totals[0], challenger=totals[1], japan=totals[2])


def _assumptions(cr: Crisis) -> dict[str, bool]:
    c = cr.core
    gR, gN = c.g("R") - c.rN, c.g("N") - c.rN
    Y = _indifference_Y(cr)
    if c.arf:  # §9.2: S2 and S4 become S2-D and S4-D (same keys)
        return {
            "S1": gR >= 0 > gN,
            "S2": all(cr.rho_R_D[a] <= cr.rho_W_D[a] for a in (0, 1)),
            "S3": ZERO < cr.rho_W <= ONE,
            "S4": c.h or (Y is not None and Y / (1 - cr.phi[1]) <= ONE),
        }
    return {
        "S1": gR >= 0 > gN,
        "S2": cr.rho_R <= cr.rho_W_star,
        "S3": ZERO < cr.rho_W_star <= ONE,
        "S4": c.h or (Y is not None and Y <= ONE),
    }


def _complete_info(cr: Crisis) -> dict[str, dict]:
    """§3.4: each type known to all; it allies only if that is strictly better."""
    out: dict[str, dict] = {}
    for theta in THETAS:
        mu = ONE if theta == "R" else ZERO
        options = (0, 1) if cr.core.alliance_allowed else (0,)
        a = max(options, key=lambda a: (cr.us_value_at(theta, a, mu), -a))
        cont = cr.continuation(a, cr.rho(a, mu))
        dist: dict[str, Fraction] = {}
        for term, _t, prob in cr.terminals(theta, a, cont):
            dist[term] = dist.get(term, ZERO) + prob
        out[theta] = {
            "alliance": a,
            "terminals": dist,
            "payoffs": Payoffs(*(cr.value(theta, a, cont, role) for role in range(3))),
        }
    return out


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def solve_core(core: Core) -> Solution:
    """§3.8: enumerate E1-E5 (lottery continuations in Module C), apply the IC and the selection rule."""
    cr = Crisis(core)
    cands = _distinct(_pooling(cr) + _separating(cr) + _semi_separating(cr) + _semi_separating_at_rho_R(cr))
    selected = _select(cands)
    assumptions = _assumptions(cr)
    approximate = core.alliance_allowed and not all(assumptions.values())
    if selected is None:
        selected, approximate = _fallback(cr), True
    thresholds = Thresholds(
        rho_A=cr.rho_A,
        rho_W=cr.rho_W,
        rho_R=cr.rho_R,
        rho_star=min(cr.rho_A, max(cr.rho_W_star, cr.rho_R)),
        rho_A_L=cr.rho_A_t["L"] if core.module_c else None,
        rho_A_H=cr.rho_A_t["H"] if core.module_c else None,
        rho_W_star=cr.rho_W_star if core.module_c else None,
        **(_arf_thresholds(cr) if core.arf else {}),
    )
    return Solution(
        core=core,
        thresholds=thresholds,
        hands_tied=core.h,
        candidates=tuple(cands),
        selected=selected,
        approximate=approximate,
        assumptions=assumptions,
        crisis=cr,
    )


def _arf_thresholds(cr: Crisis) -> dict[str, tuple[Fraction, Fraction]]:
    def pair(values: dict[int, Fraction]) -> tuple[Fraction, Fraction]:
        return values[0], values[1]

    return {
        "phi": pair(cr.phi),
        "rho_R_D": pair(cr.rho_R_D),
        "rho_W_D": pair(cr.rho_W_D),
        "rho_star_D": pair(cr.rho_star_D),
    }


def solve_stage0(params: Params, armed: bool = False) -> ModuleD:
    """§9.6: solve every CBM subgame (§9.7), then the Challenger's reply and Japan's choice by backward
    induction; each undertakes CBMs only if strictly better.  dphiC = 0 removes the Challenger's choice."""
    challenger_moves = params.dphiC != 0
    profiles = CBM_PROFILES if challenger_moves else ((0, 0), (1, 0))
    subgames = {e: solve_core(params.core(armed, e)) for e in profiles}

    def pays(e: tuple[int, int]) -> Payoffs:
        return subgames[e].expected_payoffs

    reply = tuple(
        int(challenger_moves and pays((e1, 1)).challenger > pays((e1, 0)).challenger) for e1 in (0, 1)
    )
    e1 = int(pays((1, reply[1])).japan > pays((0, reply[0])).japan)
    return ModuleD(
        subgames=subgames, e=(e1, reply[e1]), eC_reply=(reply[0], reply[1]), challenger_moves=challenger_moves
    )


def _solve_arf(params: Params) -> Benchmark:
    """Module D (with Module A first when it is on, §9.10): stage 0 per arming choice."""
    armings = (False, True) if params.module_a else (False,)
    stages = {armed: solve_stage0(params, armed) for armed in armings}
    solutions = {armed: stage.main for armed, stage in stages.items()}
    arm = None
    if params.module_a:
        arm = solutions[True].expected_payoffs.japan > solutions[False].expected_payoffs.japan
    return Benchmark(params=params, solutions=solutions, arm=arm, arf=stages)


def solve(params: Params) -> Benchmark:
    """The scenario's benchmark; with Module A, Japan arms iff strictly better for it (§1.3); with Module
    D, the CBM stage 0 of §9.6 (for each arming choice)."""
    params.check()
    if params.arf:
        return _solve_arf(params)
    if not params.module_a:
        return Benchmark(params=params, solutions={False: solve_core(params.core())}, arm=None)
    solutions = {armed: solve_core(params.core(armed)) for armed in (False, True)}
    arm = solutions[True].expected_payoffs.japan > solutions[False].expected_payoffs.japan
    return Benchmark(params=params, solutions=solutions, arm=arm)


@lru_cache(maxsize=8192)
def round_benchmark(params: Params, prior: Fraction) -> Benchmark:
    """The benchmark one round is played and judged by: the one-round PBE at that round's prior (§4's
    myopic benchmark), i.e. `solve(params.with_round_prior(prior))`, cached per process for live play and
    the debrief alike. `params` must already be valid (a class's are checked when it is created, and a
    round changes only the prior), so the core game is solved without checking them again."""
    round_params = params.with_round_prior(prior)
    if params.module_a or params.arf:
        return solve(round_params)
    return Benchmark(params=round_params, solutions={False: solve_core(round_params.core())}, arm=None)


def bargaining_range(core: Core, rho: Fraction) -> tuple[Fraction, Fraction]:
    """§3.3: [p_rho - c1_rho, p_rho + cC_rho] at intervention probability rho."""
    p_rho = core.p + rho * (core.p2 - core.p)
    c1_rho = core.c1 + rho * (core.c1a - core.c1)
    cC_rho = core.cC + rho * (core.cCa - core.cC)
    return p_rho - c1_rho, p_rho + cC_rho


# --------------------------------------------------------------------------------------------------
# JSON (DESIGN.md "solve_scenario")
# --------------------------------------------------------------------------------------------------


def _num(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def candidate_json(c: Candidate, with_ic: bool = False) -> dict:
    out = {
        "name": c.name,
        "x_R": _num(c.x_R),
        "x_N": _num(c.x_N),
        "mu0": _num(c.mu0),
        "mu1": _num(c.mu1),
        "y1": _num(c.y1),
        "U_R": _num(c.U_R),
        "U_N": _num(c.U_N),
    }
    if c.variant:
        out["variant"] = c.variant
    if c.z_H is not None:
        out["z_H"] = _num(c.z_H)
    if c.r_J is not None:
        out["r_J"] = _num(c.r_J)
    if with_ic:
        out["IC"] = c.ic
    return out


def _payoffs_json(p: Payoffs) -> dict:
    return {"us": _num(p.us), "challenger": _num(p.challenger), "japan": _num(p.japan)}


def solution_json(s: Solution) -> dict:
    t = s.thresholds
    thresholds = {
        "rho_A": _num(t.rho_A),
        "rho_W": _num(t.rho_W),
        "rho_R": _num(t.rho_R),
        "rho_star": _num(t.rho_star),
    }
    if s.core.module_c:
        thresholds.update(rho_A_L=_num(t.rho_A_L), rho_A_H=_num(t.rho_A_H), rho_W_star=_num(t.rho_W_star))
    path = []
    for e in s.path:
        entry = {"theta": e.theta, "alliance": e.alliance, "terminal": e.terminal, "prob": _num(e.prob)}
        if s.core.module_c:
            entry["ctype"] = e.ctype
        path.append(entry)
    return {
        "thresholds": thresholds,
        "hands_tied": s.hands_tied,
        "selected": candidate_json(s.selected),
        "candidates": [candidate_json(c, with_ic=True) for c in s.candidates],
        "path": path,
        "expected_payoffs": _payoffs_json(s.expected_payoffs),
        "approximate": s.approximate,
        "assumptions": s.assumptions,
        "effective": {
            "K": _num(s.core.K),
            "R": _num(s.core.R),
            "K1": _num(s.core.K1),
            "alliance_allowed": s.core.alliance_allowed,
        },
        "complete_information": {
            th: {
                "alliance": v["alliance"],
                "terminals": {k: _num(p) for k, p in v["terminals"].items()},
                "payoffs": _payoffs_json(v["payoffs"]),
            }
            for th, v in s.complete_info.items()
        },
    }


def _pair_json(values: tuple[Fraction, Fraction] | None) -> list[float | None]:
    return [_num(v) for v in values] if values is not None else [None, None]


def module_d_json(stage: ModuleD) -> dict:
    """§9.7's `module_d` block: stage-0 choices, the benchmark subgame's phi and thresholds, every subgame."""
    t = stage.main.thresholds
    phi = t.phi or (ZERO, ZERO)
    return {
        "e": list(stage.e),
        "eC_reply": list(stage.eC_reply),
        "phi": {"a0": _num(phi[0]), "a1": _num(phi[1])},
        "thresholds": {"rho_R_D": _pair_json(t.rho_R_D), "rho_W_D": _pair_json(t.rho_W_D)},
        "subgames": [
            {
                "e": list(e),
                "selected": candidate_json(s.selected),
                "expected_payoffs": _payoffs_json(s.expected_payoffs),
            }
            for e, s in stage.subgames.items()
        ],
    }


def benchmark_json(benchmark: Benchmark) -> dict:
    """The `solve_scenario` object: params, valid, the benchmark (the armed subgame if Japan arms; with
    Module D the benchmark CBM subgame, plus the `module_d` block)."""
    out = {"params": benchmark.params.as_dict(), "valid": True, **solution_json(benchmark.main)}
    if benchmark.module_d is not None:
        out["module_d"] = module_d_json(benchmark.module_d)
    if benchmark.arm is not None:
        out["module_a"] = {
            "arm": benchmark.arm,
            "japan_payoff": {
                "no_arm": _num(benchmark.solutions[False].expected_payoffs.japan),
                "arm": _num(benchmark.solutions[True].expected_payoffs.japan),
            },
            "subgames": {
                ("arm" if armed else "no_arm"): solution_json(s) for armed, s in benchmark.solutions.items()
            },
        }
        if benchmark.arf is not None:
            out["module_a"]["module_d"] = {
                ("arm" if armed else "no_arm"): module_d_json(stage) for armed, stage in benchmark.arf.items()
            }
    return out
