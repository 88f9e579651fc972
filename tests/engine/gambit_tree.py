"""The crisis game of crisis-model.md §2 (and §3.9 Module C) as a pygambit tree, and its logit limit.

`build_game(core)` builds exactly the tree of the spec's §6.2 from a `Core` (effective numbers): a chance
move on the US type, the US alliance move per type, the Challenger/Japan/Challenger information sets per
alliance decision (each holding both US-type nodes), singleton US intervention sets, exact rational
payoffs from `Core.payoffs`.  Module C adds a chance move on the Challenger's type after `Resist`; the
attack set is then per (a, t) and the US intervention set per (theta, a) holds both t-nodes (Example 7:
14 information sets, 32 terminals).  Under a US-Challenger neutrality pact the US has no alliance option:
its alliance nodes offer only NoAlliance and only the a = 0 subtree is built.

Module D (§9.10): a core with `arf` set is one CBM subgame; a chance move Defused / Failed follows each
`Resist` node when phi_a > 0, with the attack information set below `Failed` and terminal DEF below
`Defused` (CBM costs are in `Core.payoffs`).

`logit_limit(core)` finds what `pygambit.nash.logit_solve` finds (the limit of the principal branch of
the agent logit QRE), with the lambda where pygambit stops, in the spec's vocabulary.  The module also
holds the comparison with the solver's candidates, the random scenarios and the knife-edge test shared by
`test_pygambit_crosscheck.py` and `bench/engine.py`.  pygambit is imported lazily.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from games.crisis.params import CHALLENGER_TYPES, THETAS, AllianceType, Core, Params
from games.crisis.solver import Candidate, Solution

if TYPE_CHECKING:
    import pygambit as gbt

PLAYERS = ("US", "Challenger", "Japan")
THETA_LABEL = {"R": "Resolute", "N": "NonResolute"}
CTYPE_LABEL = {"L": "Determined", "H": "Hesitant"}
ALLIANCE_LABEL = ("NoAlliance", "Alliance")

PathKey = tuple[str, int, str, "str | None"]  # (theta, a, terminal, ctype or None)


def _gbt() -> Any:
    import pygambit

    return pygambit


def rational(x: Fraction) -> gbt.Rational:
    return _gbt().Rational(x.numerator, x.denominator)


def alliance_options(core: Core) -> tuple[int, ...]:
    return (0, 1) if core.alliance_allowed else (0,)


def build_game(core: Core, title: str = "Crisis Table core game") -> gbt.Game:
    """The extensive form of §2 (§3.9 if `core.module_c`), exact payoffs (US_theta, Challenger, Japan)."""
    gbt = _gbt()
    g = gbt.Game.new_tree(players=list(PLAYERS), title=title)
    g.append_move(g.root, g.players.chance, [THETA_LABEL[th] for th in THETAS])
    g.set_chance_probs(g.root.infoset, [rational(core.pi), rational(1 - core.pi)])
    g.root.infoset.label = "US_type"
    top = {th: g.root.children[THETA_LABEL[th]] for th in THETAS}
    options = alliance_options(core)
    for th, node in top.items():
        g.append_move(node, "US", [ALLIANCE_LABEL[a] for a in options])
        node.infoset.label = f"US_{th}_alliance"

    def outcome(node: Any, terminal: str, a: int, th: str, t: str | None) -> None:
        label = f"{terminal}|{th}|a{a}" + (f"|{t}" if t else "")
        pay = core.payoffs(terminal, a, th, t or "L")
        g.set_outcome(node, g.add_outcome(label, [rational(v) for v in pay]))

    def war_and_withdraw(attack_nodes: dict[str, Any], a: int, t: str | None) -> None:
        """Below the attack information set: Withdraw terminal, US intervention singleton, WAR terminals."""
        for th, node in attack_nodes.items():
            at = node.children["Attack"]
            g.append_move(at, "US", ["StayOut", "Intervene"])
            at.infoset.label = f"US_{th}_intervene_a{a}"
        for th, node in attack_nodes.items():
            outcome(node.children["Withdraw"], "WD", a, th, t)
            outcome(node.children["Attack"].children["StayOut"], "WAR_S", a, th, t)
            outcome(node.children["Attack"].children["Intervene"], "WAR_I", a, th, t)

    for a in options:
        ch = {th: top[th].children[ALLIANCE_LABEL[a]] for th in THETAS}
        g.append_move(list(ch.values()), "Challenger", ["StatusQuo", "Challenge"])
        ch["R"].infoset.label = f"Sc_challenge_a{a}"
        jp = {th: n.children["Challenge"] for th, n in ch.items()}
        g.append_move(list(jp.values()), "Japan", ["Concede", "Resist"])
        jp["R"].infoset.label = f"Japan_resist_a{a}"
        resist = {th: n.children["Resist"] for th, n in jp.items()}
        if core.arf and core.phi(a):  # Module D (§9.10): Nature's preventive diplomacy after Resist
            resist = _preventive_diplomacy(g, resist, core, a, outcome)
        if not core.module_c:
            g.append_move(list(resist.values()), "Challenger", ["Withdraw", "Attack"])
            resist["R"].infoset.label = f"Sc_attack_a{a}"
            war_and_withdraw(resist, a, None)
        else:
            for th, node in resist.items():
                g.append_move(node, g.players.chance, [CTYPE_LABEL[t] for t in CHALLENGER_TYPES])
                g.set_chance_probs(node.infoset, [rational(core.q), rational(1 - core.q)])
                node.infoset.label = f"Sc_type_{th}_a{a}"
            for t in CHALLENGER_TYPES:
                at = {th: n.children[CTYPE_LABEL[t]] for th, n in resist.items()}
                g.append_move(list(at.values()), "Challenger", ["Withdraw", "Attack"])
                at["R"].infoset.label = f"Sc_attack_a{a}_{t}"
            # one US intervention set per (theta, a) holding both t-nodes
            for th in THETAS:
                nodes = [resist[th].children[CTYPE_LABEL[t]].children["Attack"] for t in CHALLENGER_TYPES]
                g.append_move(nodes, "US", ["StayOut", "Intervene"])
                nodes[0].infoset.label = f"US_{th}_intervene_a{a}"
            for t in CHALLENGER_TYPES:
                for th in THETAS:
                    n = resist[th].children[CTYPE_LABEL[t]]
                    outcome(n.children["Withdraw"], "WD", a, th, t)
                    outcome(n.children["Attack"].children["StayOut"], "WAR_S", a, th, t)
                    outcome(n.children["Attack"].children["Intervene"], "WAR_I", a, th, t)
        for th in THETAS:
            outcome(ch[th].children["StatusQuo"], "SQ", a, th, None)
            outcome(jp[th].children["Concede"], "CON", a, th, None)
    return g


def _preventive_diplomacy(g: gbt.Game, resist: dict[str, Any], core: Core, a: int, outcome: Any) -> dict:
    """A chance move Defused (phi_a, terminal DEF) / Failed below each Resist node; the Failed children."""
    phi = core.phi(a)
    for th, node in resist.items():
        g.append_move(node, g.players.chance, ["Defused", "Failed"])
        g.set_chance_probs(node.infoset, [rational(phi), rational(1 - phi)])
        node.infoset.label = f"ARF_{th}_a{a}"
        outcome(node.children["Defused"], "DEF", a, th, None)
    return {th: node.children["Failed"] for th, node in resist.items()}


def count_tree(g: gbt.Game) -> tuple[int, int]:
    """(number of non-chance information sets, number of terminal nodes)."""
    infosets = sum(1 for s in g.infosets if not s.player.is_chance)
    return infosets, sum(1 for n in g.nodes if n.is_terminal)


@dataclass(frozen=True)
class LogitLimit:
    """A behaviour profile of the tree in the spec's vocabulary (floats)."""

    behaviour: dict[str, dict[str, float]]  # infoset label -> action label -> probability
    payoffs: tuple[float, float, float]  # ex ante (US, Challenger, Japan)
    path: dict[PathKey, float]  # realisation probability of each terminal
    max_regret: float  # pygambit's agent max regret of the returned profile
    seconds: float  # wall time of the tracing alone
    lam: float  # the logit precision lambda at which pygambit's tracer stopped
    raw: Any = field(default=None, repr=False, compare=False)  # the pygambit profile

    def prob(self, infoset: str, action: str, default: float = 0.0) -> float:
        return self.behaviour.get(infoset, {}).get(action, default)

    def x(self, theta: str) -> float:
        """Pr(type theta allies); 0 when there is no alliance option."""
        return self.prob(f"US_{theta}_alliance", "Alliance")

    def challenge(self, a: int) -> float:
        return self.prob(f"Sc_challenge_a{a}", "Challenge")

    def resist(self, a: int) -> float:
        return self.prob(f"Japan_resist_a{a}", "Resist")

    def attack(self, a: int, t: str | None = None) -> float:
        return self.prob(f"Sc_attack_a{a}" + (f"_{t}" if t else ""), "Attack")

    def intervene(self, theta: str, a: int) -> float:
        return self.prob(f"US_{theta}_intervene_a{a}", "Intervene")


def read_profile(g: gbt.Game, eq: Any, seconds: float = 0.0, lam: float = math.inf) -> LogitLimit:
    behaviour = {s.label: {act.label: float(eq[act]) for act in s.actions}
                 for s in g.infosets if not s.player.is_chance}
    payoffs = tuple(float(eq.payoff(pl)) for pl in g.players)
    path: dict[PathKey, float] = {}
    for n in g.nodes:
        if n.is_terminal:
            terminal, th, a, *t = n.outcome.label.split("|")
            path[(th, int(a[1:]), terminal, t[0] if t else None)] = float(eq.realiz_prob(n))
    return LogitLimit(behaviour, payoffs, path, float(eq.agent_max_regret()), seconds, lam, eq)  # type: ignore[arg-type]


def logit_limit(core_or_game: Core | gbt.Game) -> LogitLimit:
    """The logit_solve limit (principal branch) of the tree of `core` (or of an already built game).

    Traces the branch with `pygambit.qre.logit_solve_branch` (the same tracer, options and stopping rule
    as `nash.logit_solve`, whose answer is the branch's last point) to learn the lambda at which it stops.
    """
    gbt = _gbt()
    g = build_game(core_or_game) if isinstance(core_or_game, Core) else core_or_game
    start = time.perf_counter()
    branch = gbt.qre.logit_solve_branch(g)
    seconds = time.perf_counter() - start
    last = branch[-1]
    profile = g.mixed_behavior_profile()
    actions = [act for pl in g.players for s in pl.infosets for act in s.actions]
    for i, act in enumerate(actions):
        profile[act] = last[i]
    return read_profile(g, profile, seconds, float(last.lam))


def format_profile(lim: LogitLimit) -> str:
    """Human-readable dump in the style of the spec's §6.3 (for failure messages and debugging)."""
    lines = [f"  {label:22s} " + ", ".join(f"{a}={p:.4f}" for a, p in acts.items())
             for label, acts in lim.behaviour.items()]
    lines.append("  E[payoff] US/Challenger/Japan = " + ", ".join(f"{v:.4f}" for v in lim.payoffs))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Comparing a logit limit with the solver's candidates (see the cross-check test's docstring)
# --------------------------------------------------------------------------------------------------

TOL = 2e-3
SNAP = 1e-3


def snap(x: float) -> float:
    return 0.0 if x < SNAP else 1.0 if x > 1 - SNAP else x


def _log_odds(x: float) -> float:
    """ln(x / (1 - x)) of an interior logit probability; 0 for one that snaps to 0 or 1 (no correction)."""
    return math.log(x / (1 - x)) if SNAP <= x <= 1 - SNAP else 0.0


def at_lambda(c: Candidate, lim: LogitLimit, core: Core) -> dict[str, float]:
    """Candidate c's mixed probabilities moved to the finite lambda where pygambit stops (first order).

    pygambit's tracer stops at a finite lambda (1e2 to 1e7 here; beyond it exp(-lambda * payoff gap)
    underflows).  In E5 two indifferences pin the mixing (§3.5, §3.9), and at lambda each holds only up to
    the logit log-odds of the player who mixes there:
    * the non-resolute US's, ln(x_N/(1-x_N)) = lambda * gap * (Y - W), pins the war probability W after an
      alliance (gap = (1-p)wN + R: what a tested alliance costs it); W = y1 * Pr(attack) (E5, E5W) or
      q + (1 - q) z_H (E5A);
    * the Challenger's, ln(y/(1-y)) = lambda * slope * (rho_W - mu1) for challenging (slope DC, or Phi's
      slope in Module C), or the hesitant type's ln(z/(1-z)) = lambda * DC_H * (rho_A_H - mu1) for
      attacking (E5A), pins the belief mu1 and hence x_N = pi (1 - mu1) / ((1 - pi) mu1).
    Example: the offensive-alliance row has x_N = 1/24 and lambda = 4963, so the challenge probability
    sits 2.2e-3 above 15/29, more than TOL.  Only log-odds of probabilities inside [SNAP, 1 - SNAP] are
    used (at most ln 999 ~ 6.9), so the shift stays of order 7 / (lambda * slope) and cannot turn a
    different equilibrium into a match.  Pure candidates are returned unchanged.
    """
    out = {"x_N": float(c.x_N), "y1": float(c.y1), "z_H": float(c.z_H) if c.z_H is not None else math.nan}
    gap = (1 - core.p) * core.wN + core.R
    if c.name != "E5" or not math.isfinite(lim.lam) or gap <= 0:
        return out
    Y = (core.wN - core.K - c.U_N) / gap
    dW = -_log_odds(lim.x("N")) / (lim.lam * float(gap))
    if c.z_H is None:
        if Y > 0:
            out["y1"] += dW * float(c.y1 / Y)
        slope = float(core.DC * (1 - core.phi(1)))  # Module D: the stand-off is a war only w.p. 1 - phi_1
        if core.module_c:
            both_attack = c.y1 == Y  # otherwise y1 = Y / q: only the determined type attacks at mu1
            slope = float(core.q * core.DC_t("L") + ((1 - core.q) * core.DC_t("H") if both_attack else 0))
        d_mu = -_log_odds(lim.challenge(1)) / (lim.lam * slope)
    else:
        out["z_H"] += dW / float(1 - core.q)
        d_mu = -_log_odds(lim.attack(1, "H")) / (lim.lam * float(core.DC_t("H")))
    mu1, pi = float(c.mu1) + d_mu, float(core.pi)
    out["x_N"] = pi * (1 - mu1) / ((1 - pi) * mu1)
    return out


def differences(c: Candidate, lim: LogitLimit, core: Core) -> list[str]:
    """Where the logit limit differs from candidate `c` (empty: it is that equilibrium)."""
    out: list[str] = []
    ours_at = at_lambda(c, lim, core)

    def check(what: str, ours: Fraction, theirs: float, key: str | None = None) -> None:
        value = ours_at[key] if key else float(ours)
        if abs(value - theirs) > TOL:
            shifted = f", {value:.4f} at lambda {lim.lam:.0f}" if key and value != float(ours) else ""
            out.append(f"{what}: ours {float(ours):.4f} ({ours}{shifted}), logit {theirs:.4f}")

    check("x_R", c.x_R, snap(lim.x("R")))
    check("x_N", c.x_N, snap(lim.x("N")), "x_N")
    if core.pi * c.x_R + (1 - core.pi) * c.x_N > 0:  # the alliance is on the path
        check("challenge | alliance", c.y1, snap(lim.challenge(1)), "y1")
        if c.z_H is not None:
            check("hesitant attacks | alliance", c.z_H, snap(lim.attack(1, "H")), "z_H")
    check("US ex ante payoff", core.pi * c.U_R + (1 - core.pi) * c.U_N, lim.payoffs[0])
    return out


def describe(core: Core, sol: Solution, lim: LogitLimit) -> str:
    cands = "\n".join(f"  {c}" for c in sol.candidates)
    return (f"core: {core}\nassumptions {sol.assumptions}, approximate {sol.approximate}\n"
            f"selected: {sol.selected}\ncandidates:\n{cands}\n"
            f"logit limit (max regret {lim.max_regret:.2e}):\n{format_profile(lim)}")


# --------------------------------------------------------------------------------------------------
# Random scenarios (shared by the cross-check and the benchmark) and knife-edge detection
# --------------------------------------------------------------------------------------------------

GRID = 1000  # parameters are drawn on a 1/1000 grid: exact arithmetic stays small, exact ties rare


def _draw(rng: random.Random, low: float, high: float) -> Fraction:
    return Fraction(round(rng.uniform(low, high) * GRID), GRID)


CORE_NAMES = ("p", "p2", "c1", "c1a", "cC", "cCa", "beta", "c2", "wR", "wN", "pi", "k", "r", "k1")
SPREADS = {"near": 0.3, "wide": 0.7}  # relative jitter around the defaults


def random_params(rng: random.Random, spread: str = "near", module_c: bool = False) -> Params:
    """A valid scenario (V1-V3) drawn around the defaults: every core number times a factor in
    [1 - s, 1 + s] (s = 0.3 "near": mostly inside S1-S4; 0.7 "wide": often outside), sigma > 0 in 30 %
    of the draws, the tripwire in 20 % and a non-default §1.4 alliance type in about 30 %."""
    base, s = Params(), SPREADS[spread]
    kinds = list(AllianceType)
    while True:
        values: dict[str, Any] = {name: _draw(rng, (1 - s) * float(getattr(base, name)),
                                              (1 + s) * float(getattr(base, name))) for name in CORE_NAMES}
        values["sigma"] = Fraction(0) if rng.random() < 0.7 else _draw(rng, 0.0, s / 3)
        values["tripwire"] = rng.random() < 0.2
        values["alliance_type"] = AllianceType.DEFENCE_PACT if rng.random() < 0.7 else rng.choice(kinds)
        if module_c:
            values.update(module_c=True, q=_draw(rng, 0.1, 0.9), cC_H=_draw(rng, 0.2, 0.7),
                          cCa_H=_draw(rng, 0.4, 0.9))
        params = Params(**values)
        if not params.errors():
            return params


def knife_edges(core: Core, delta: Fraction = Fraction(1, 200)) -> list[str]:
    """Reasons why a game sits on or near a tie that shapes its equilibria, from the parameters alone.

    A tie is a decision whose two actions a player values within `delta` (payoff units) at a belief that
    an equilibrium can use:
    * a US type intervening or staying out;
    * at a belief threshold of §3.3 / §3.9 (a Challenger type attacking, challenging at all, Japan
      resisting at each attack share) evaluated at 0, 1, pi or another threshold: the payoff gap is the
      distance times the indifferent player's payoff slope (DC_t, Phi's slope, alpha * D1);
    * a US type's payoffs after the two alliance decisions at any beliefs reachable there, or E5's war
      probability Y at 0, 1 or (Module C) q (gap (Y - edge) * ((1-p)wN + R)).
    The solver breaks exact ties by convention (§2.4) while the logit limit mixes, and pygambit's tracer
    stops at a finite lambda (1e2-1e7, often 1e3 on the path), where an action worse by g is still played
    with probability about exp(-lambda * g): above SNAP unless lambda * g > 7.  So near a tie the logit
    limit is an equilibrium that exists only on the boundary (K = VD_N(0) in §6.4, Japan mixing at rho_R = 0
    when p = c1, ...) or an unconverged one, and a comparison says nothing.  Calibration: in a survey of
    330 draws, every comparison that failed had such a gap below 0.0035; delta = 0.005 flags about 10 %.
    """
    c = core
    reasons: list[str] = []
    options = alliance_options(c)
    for th in THETAS:
        for a in options:
            gain = c.g(th) + a * c.R - c.rN
            if abs(gain) < delta:
                reasons.append(f"US {th} nearly indifferent to intervening after a={a}: {float(gain):+.4f}")

    types = {"L": c.q, "H": 1 - c.q} if c.module_c else {"L": Fraction(1)}
    rho_A = {t: (1 - c.p - c.cC_t(t) + c.sigma + c.beta) / c.DC_t(t) for t in types}
    slope_W = c.DC
    if c.module_c:
        both = (1 - c.p - c.q * c.cC - (1 - c.q) * c.cC_H + c.sigma) / (c.q * c.DC + (1 - c.q) * c.DC_t("H"))
        if both < rho_A["H"]:
            rho_W, slope_W = both, c.q * c.DC + (1 - c.q) * c.DC_t("H")
        else:
            rho_W, slope_W = (1 - c.p - c.cC + c.sigma - (1 - c.q) * c.beta / c.q) / c.DC, c.q * c.DC
    else:
        rho_W = (1 - c.p - c.cC + c.sigma) / c.DC
    shares = {Fraction(1), c.q, 1 - c.q} if c.module_c else {Fraction(1)}  # possible attack shares > 0

    def resist_threshold(alpha: Fraction) -> Fraction:  # alpha * W_1(rho) + 1 - alpha = 0
        return (-(1 - alpha) / alpha - (c.p - c.c1)) / c.D1

    named = {f"rho_A_{t}": (v, c.DC_t(t)) for t, v in rho_A.items()}  # threshold: (value, payoff slope)
    named["rho_W"] = (rho_W, slope_W)
    named.update({f"rho_R(alpha={a})": (resist_threshold(a), a * c.D1) for a in shares})
    points = {name: v for name, (v, _) in named.items()} | {"0": Fraction(0), "1": Fraction(1), "pi": c.pi}
    for n1, (v1, slope) in named.items():
        for n2, v2 in points.items():
            if n2 != n1 and abs(v1 - v2) * slope < delta:
                reasons.append(f"{n1} = {float(v1):.4f} near {n2} = {float(v2):.4f} (payoff gap "
                               f"{float(abs(v1 - v2) * slope):.4f})")

    def attack_share(rho: Fraction) -> Fraction:
        return sum((types[t] for t in types if rho < rho_A[t]), Fraction(0))

    def value(th: str, a: int, rho: Fraction) -> Fraction:
        """US type th's payoff after a when Japan and the Challenger expect intervention w.p. rho (§3.9)."""
        alpha = attack_share(rho)
        war_1 = (c.p - c.c1) + rho * c.D1
        resist = alpha * war_1 + 1 - alpha >= 0
        crisis = sum((q * max((1 - c.p - c.cC_t(t)) - rho * c.DC_t(t), -c.sigma - c.beta)
                      for t, q in types.items()), Fraction(0))
        if resist and not crisis > -c.sigma:
            return c.payoffs("SQ", a, th)[0]
        if not resist:
            return c.payoffs("CON", a, th)[0]
        war = "WAR_I" if c.intervenes(th, a) else "WAR_S"
        return alpha * c.payoffs(war, a, th)[0] + (1 - alpha) * c.payoffs("WD", a, th)[0]

    cuts = sorted({Fraction(0), Fraction(1), *(v for v, _ in named.values() if 0 <= v <= 1)})
    grid = cuts + [(x + y) / 2 for x, y in itertools.pairwise(cuts)]

    def reachable(a: int) -> list[Fraction]:
        by = {th: c.intervenes(th, a) for th in THETAS}
        return [Fraction(int(by["R"]))] if by["R"] == by["N"] else grid

    if c.alliance_allowed:
        for th in THETAS:
            gaps = {value(th, 1, r1) - value(th, 0, r0) for r1 in reachable(1) for r0 in reachable(0)}
            near = [gap for gap in gaps if abs(gap) < delta]
            if near:
                reasons.append(f"US {th}: payoffs after a=1 and a=0 differ by {float(near[0]):+.4f}")
        gap_N = (1 - c.p) * c.wN + c.R
        if gap_N > 0:
            Y = (c.wN - c.K - value("N", 0, Fraction(int(c.intervenes("N", 0))))) / gap_N
            edges = {"0": Fraction(0), "1": Fraction(1), **({"q": c.q} if c.module_c else {})}
            for name, edge in edges.items():
                gap = abs(Y - edge) * gap_N
                if gap < delta:
                    reasons.append(f"Y = {float(Y):.4f} near {name} (payoff gap {float(gap):.4f})")
    return reasons
