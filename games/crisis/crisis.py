"""Steps 2-5 of the crisis given the intervention probability rho (crisis-model.md §3.2, §3.3, §3.9).

`Crisis(core)` precomputes the thresholds and the terminal payoff table once; `continuation(a, rho)`
then answers "what do the Challenger and Japan do after alliance decision a" by backward induction,
with the tie-breaking conventions of §2.4.  Module C (the Challenger's cost type) makes the attack
decision depend on a type drawn after Japan resists, so continuations carry one attack probability
per Challenger type.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from .params import ONE, ZERO, Core

TYPES_OFF = ("L",)  # Module C off: one (determined) Challenger type
TYPES_ON = ("L", "H")


@dataclass(frozen=True)
class Continuation:
    """Behaviour after alliance decision a: challenge probability, Japan's response, attack per type.

    `tag` names a pure continuation so that values can be cached cheaply; mixed ones have none.
    """

    challenge: Fraction
    resist: bool
    attack: dict[str, Fraction]  # Challenger type -> Pr(attack | Japan resisted)
    tag: str | None = None
    resist_prob: Fraction | None = None  # Japan mixes (E5 at rho_R); None: pure, as `resist` says

    @property
    def resist_share(self) -> Fraction:
        """Pr(Japan resists | challenged)."""
        if self.resist_prob is not None:
            return self.resist_prob
        return ONE if self.resist else ZERO


def _pure(challenge: bool, resist: bool, attack: dict[str, bool]) -> Continuation:
    tag = f"{challenge:d}{resist:d}" + "".join(f"{t}{v:d}" for t, v in sorted(attack.items()))
    return Continuation(
        challenge=ONE if challenge else ZERO,
        resist=resist,
        attack={t: ONE if v else ZERO for t, v in attack.items()},
        tag=tag,
    )


_CONTS = {
    (c, r, at): _pure(c, r, {"L": at}) for c in (False, True) for r in (False, True) for at in (False, True)
}


class _PayoffTable(dict):
    """(terminal, a, theta, t) -> payoff trio of §2.3, computed on first use."""

    def __init__(self, core: Core):
        super().__init__()
        self.core = core
        self._roles: dict[tuple, Fraction] = {}

    def __missing__(self, key: tuple[str, int, str, str]) -> tuple[Fraction, Fraction, Fraction]:
        value = self[key] = self.core.payoffs(*key)
        return value

    def role(self, terminal: str, a: int, theta: str, t: str, role: int) -> Fraction:
        """One role's payoff, computed with as few operations as possible (the solver's hot path)."""
        key = (terminal, a, theta, t, role)
        value = self._roles.get(key)
        if value is None:
            value = self._roles[key] = self._role(terminal, a, theta, t, role)
        return value

    def _role(self, terminal: str, a: int, theta: str, t: str, role: int) -> Fraction:
        if (terminal, a, theta, t) in self:
            return self[(terminal, a, theta, t)][role]
        c = self.core
        if role == 0:
            w = c.w(theta)
            base = {"SQ": w, "CON": ZERO, "WD": w, "DEF": w}.get(terminal)
            if base is None:
                base = c.p2 * w - c.c2 - c.rN if terminal == "WAR_I" else c.p * w - a * c.R
            return base - c.K if a else base
        return self[(terminal, a, theta, t)][role]


class Crisis:
    """Thresholds, payoff table and backward induction for one core game."""

    def __init__(self, core: Core):
        self.core = core
        self.types = TYPES_ON if core.module_c else TYPES_OFF
        self.type_probs = {"L": core.q, "H": ONE - core.q} if core.module_c else {"L": ONE}
        self.D1 = core.D1
        self.rho_R = (core.c1 - core.p) / self.D1
        self.rho_A_t = {t: self._rho_A(t) for t in self.types}
        self.rho_A = self.rho_A_t["L"]
        self.rho_W = (1 - core.p - core.cC + core.sigma) / core.DC
        self.rho_W_star = self._rho_W_star() if core.module_c else self.rho_W
        self.rho_star = min(self.rho_A, max(self.rho_W, self.rho_R))
        # Module D (§9.2, §9.4): per alliance decision a; without the module phi = 0 and these are the core's.
        self.phi = {a: core.phi(a) for a in (0, 1)}
        self.rho_R_D = {a: self.rho_R - self._odds(a) / self.D1 for a in (0, 1)}
        self.rho_W_D = {a: self.rho_W - self._odds(a) * core.betaD / core.DC for a in (0, 1)}
        self.rho_star_D = {a: min(self.rho_A, max(self.rho_W_D[a], self.rho_R_D[a])) for a in (0, 1)}
        self.intervene = {(th, a): core.intervenes(th, a) for th in ("R", "N") for a in (0, 1)}
        self.pay = _PayoffTable(core)
        self._conts: dict[Fraction, Continuation] = {}
        self._values: dict[tuple, Fraction] = {}

    # ----- thresholds -----
    def _odds(self, a: int) -> Fraction:
        """s_a = phi_a / (1 - phi_a): the odds that the ARF defuses a stand-off (§9.2)."""
        phi = self.phi[a]
        return phi / (1 - phi) if phi else ZERO

    def _rho_A(self, t: str) -> Fraction:
        c = self.core
        return (1 - c.p - c.cC_t(t) + c.sigma + c.beta) / c.DC_t(t)

    def _rho_W_star(self) -> Fraction:
        """§3.9: the root of Phi(rho) = -sigma (the Challenger's indifference to challenging)."""
        c, q = self.core, self.core.q
        both = (1 - c.p - q * c.cC - (1 - q) * c.cC_H + c.sigma) / (q * c.DC_t("L") + (1 - q) * c.DC_t("H"))
        if both < self.rho_A_t["H"]:
            return both
        return (1 - c.p - c.cC + c.sigma - (1 - q) * c.beta / q) / c.DC_t("L")

    @cached_property
    def _critical_points(self) -> list[Fraction]:
        return self._compute_critical_points()

    def critical_points(self) -> list[Fraction]:
        """Beliefs at which a continuation can change, plus midpoints (for maxima over beliefs)."""
        return self._critical_points

    def _compute_critical_points(self) -> list[Fraction]:
        pts = {ZERO, ONE, self.core.pi}
        cands = [self.rho_R, self.rho_W, self.rho_W_star, *self.rho_A_t.values()]
        if self.core.arf:
            cands += [*self.rho_R_D.values(), *self.rho_W_D.values()]
        if self.core.module_c:
            for alpha in {self.attack_share(r) for r in (ZERO, *cands)} - {ZERO}:
                cands.append(self._resist_threshold(alpha))
        inside = [x for x in cands if ZERO <= x <= ONE]
        pts.update(inside)
        # Continuations are constant on intervals [t_i, t_i+1) of rho.  When rho = mu the listed points
        # cover every interval; when rho = 1 - mu (only the non-resolute type intervenes, outside S1)
        # the intervals flip, so add the mirrored points and the midpoints.
        # Module D (§9.7) lists the midpoints too.
        if any(self.intervene[("N", a)] and not self.intervene[("R", a)] for a in (0, 1)):
            pts.update(ONE - x for x in inside)
        elif not self.core.arf:
            return sorted(pts)
        ordered = sorted(pts)
        return ordered + [(x + y) / 2 for x, y in itertools.pairwise(ordered)]

    def _resist_threshold(self, alpha: Fraction) -> Fraction:
        """rho at which alpha*W_1(rho) + 1 - alpha = 0."""
        c = self.core
        return (-(1 - alpha) / alpha - (c.p - c.c1)) / self.D1

    # ----- §3.2 -----
    def rho(self, a: int, mu: Fraction) -> Fraction:
        """mu*I_R(a) + (1-mu)*I_N(a), without arithmetic in the common cases."""
        by_r, by_n = self.intervene[("R", a)], self.intervene[("N", a)]
        if by_r and by_n:
            return ONE
        if by_r:
            return mu
        return ONE - mu if by_n else ZERO

    # ----- §3.3 / §3.9 backward induction -----
    def attacks(self, t: str, rho: Fraction) -> bool:
        return rho < self.rho_A_t[t]  # attack only if strictly better than withdrawing

    def attack_share(self, rho: Fraction) -> Fraction:
        return sum((self.type_probs[t] for t in self.types if self.attacks(t, rho)), ZERO)

    def war_value_japan(self, rho: Fraction) -> Fraction:
        c = self.core
        return (c.p - c.c1) + rho * self.D1

    def war_value_challenger(self, t: str, rho: Fraction) -> Fraction:
        c = self.core
        return (1 - c.p - c.cC_t(t)) - rho * c.DC_t(t)

    def japan_resists(self, rho: Fraction) -> bool:
        alpha = self.attack_share(rho)
        return alpha * self.war_value_japan(rho) + (1 - alpha) >= 0  # resist when indifferent

    def resist_value_challenger(self, rho: Fraction) -> Fraction:
        """Phi(rho): the Challenger's expected value of a crisis in which Japan resists."""
        back_down = -self.core.sigma - self.core.beta
        return sum(
            (self.type_probs[t] * max(self.war_value_challenger(t, rho), back_down) for t in self.types), ZERO
        )

    def continuation(self, a: int, rho: Fraction) -> Continuation:
        """Backward induction at rho after alliance decision a.

        In the core game and Module C it does not depend on a; with Module D it does, through phi_a.
        """
        if self.core.arf:
            return self._continuation_arf(a, rho)
        if not self.core.module_c:
            return self._continuation_core(rho)
        cached = self._conts.get(rho)
        if cached is None:
            cached = self._conts[rho] = self._continuation_c(rho)
        return cached

    def _continuation_core(self, rho: Fraction) -> Continuation:
        """§3.3 by comparisons only: attack iff rho < rho_A; resist iff withdraw or rho >= rho_R; ..."""
        attack = rho < self.rho_A
        resist = not attack or rho >= self.rho_R
        challenge = not resist or (attack and rho < self.rho_W)
        return _CONTS[(challenge, resist, attack)]

    def _continuation_arf(self, a: int, rho: Fraction) -> Continuation:
        """§9.4: §3.3 with (rho_R, rho_W) replaced by (rho_R_D(e,a), rho_W_D(e,a)); STANDOFF is a lottery."""
        attack = rho < self.rho_A
        resist = not attack or rho >= self.rho_R_D[a]
        challenge = not resist or (attack and rho < self.rho_W_D[a])
        return _CONTS[(challenge, resist, attack)]

    def _continuation_c(self, rho: Fraction) -> Continuation:
        attack = {t: self.attacks(t, rho) for t in self.types}
        resist = self.japan_resists(rho)
        if not resist:
            challenge = True  # a conceding Japan hands over the good: 1 > -sigma
        else:
            challenge = self.resist_value_challenger(rho) > -self.core.sigma  # only if strictly better
        return _pure(challenge, resist, attack)

    # ----- terminal distributions and values -----
    def terminals(self, theta: str, a: int, cont: Continuation) -> list[tuple[str, str | None, Fraction]]:
        """(terminal, Challenger type or None, probability) after alliance decision a for US type theta."""
        out: list[tuple[str, str | None, Fraction]] = []
        if cont.challenge < 1:
            out.append(("SQ", None, 1 - cont.challenge))
        if cont.challenge == 0:
            return out
        resist = cont.resist_share
        if resist < 1:
            out.append(("CON", None, cont.challenge * (1 - resist)))
        if resist == 0:
            return out
        phi = self.phi[a]
        if phi:  # Module D: the ARF defuses the stand-off before the Challenger decides to attack
            out.append(("DEF", None, cont.challenge * resist * phi))
            resist = resist * (1 - phi)
        war = "WAR_I" if self.intervene[(theta, a)] else "WAR_S"
        ctype_label = (lambda t: t) if self.core.module_c else (lambda t: None)
        for t in self.types:
            p_t = cont.challenge * resist * self.type_probs[t]
            if cont.attack[t] > 0:
                out.append((war, ctype_label(t), p_t * cont.attack[t]))
            if cont.attack[t] < 1:
                out.append(("WD", ctype_label(t), p_t * (1 - cont.attack[t])))
        return out

    def value(self, theta: str, a: int, cont: Continuation, role: int = 0) -> Fraction:
        """Expected payoff (role 0 US, 1 Challenger, 2 Japan) of the continuation for US type theta."""
        if cont.tag is None:
            return self._value(theta, a, cont, role)
        key = (theta, a, cont.tag, role)
        cached = self._values.get(key)
        if cached is None:
            cached = self._values[key] = self._value(theta, a, cont, role)
        return cached

    def _value(self, theta: str, a: int, cont: Continuation, role: int) -> Fraction:
        total = ZERO
        for term, t, prob in self.terminals(theta, a, cont):
            payoff = self.pay.role(term, a, theta, t or "L", role)
            total += payoff if prob == 1 else prob * payoff
        return total

    def best_value(self, theta: str, a: int) -> Fraction:
        """max over all beliefs mu of U(theta, a, mu) (the Intuitive Criterion's best case)."""
        key = ("best", theta, a)
        if key not in self._values:
            conts = {c.tag: c for c in (self.continuation(a, self.rho(a, m)) for m in self.critical_points())}
            self._values[key] = max(self.value(theta, a, c) for c in conts.values())
        return self._values[key]

    def us_value_at(self, theta: str, a: int, mu: Fraction) -> Fraction:
        """U(theta, a, mu) of §3.8: type theta's payoff after a when the others believe mu."""
        return self.value(theta, a, self.continuation(a, self.rho(a, mu)))
