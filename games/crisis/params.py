"""Scenario parameters of the crisis model (crisis-model.md §1) and the effective core they induce.

`Params` is what an instructor sets: the spec's code names, exact `Fraction`s, module switches and the
alliance type.  `Core` is what the game and the solver work with: the numbers after the tripwire, the
alliance type (§1.4) and, for Module A, Japan's arming choice have been applied.  Everything is exact;
floats appear only when a caller asks for them at the boundary.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

F = Fraction
ZERO = F(0)
ONE = F(1)

THETAS = ("R", "N")  # US types: resolute, non-resolute
CHALLENGER_TYPES = ("L", "H")  # Module C: determined (low cost), hesitant (high cost)
TERMINALS = ("SQ", "CON", "WD", "WAR_I", "WAR_S")


class AllianceType(enum.StrEnum):
    """§1.4: the commitment the US action "alliance" stands for, or a background treaty."""

    DEFENCE_PACT = "defence_pact"
    ENTENTE = "entente"
    OFFENSIVE = "offensive"  # Challenger has an offensive ally
    NEUTRALITY = "neutrality"  # US-Challenger neutrality pact: no alliance option
    NON_AGGRESSION = "non_aggression"  # Challenger-Japan non-aggression pact


class InvalidParams(ValueError):
    """Raised when parameters break the validity constraints; `errors` names every bad field."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def _f(x: str) -> Fraction:
    return F(x)


@dataclass(frozen=True)
class Params:
    """Every parameter of crisis-model.md with its default (§1.1, §1.3, §1.4, §3.9, §4)."""

    # §1.1 core
    p: Fraction = _f("0.30")
    p2: Fraction = _f("0.75")
    c1: Fraction = _f("0.35")
    c1a: Fraction = _f("0.25")
    cC: Fraction = _f("0.20")
    cCa: Fraction = _f("0.375")
    beta: Fraction = _f("0.10")
    sigma: Fraction = ZERO
    c2: Fraction = _f("0.20")
    wR: Fraction = ONE
    wN: Fraction = _f("0.30")
    pi: Fraction = _f("0.50")
    k: Fraction = _f("0.15")
    r: Fraction = _f("0.05")
    tripwire: bool = False
    tau: Fraction = _f("0.10")
    kT: Fraction = _f("0.05")
    k1: Fraction = _f("0.05")
    k1T: Fraction = _f("0.05")
    # §1.4 alliance types
    alliance_type: AllianceType = AllianceType.DEFENCE_PACT
    lambda_E: Fraction = _f("0.25")
    delta_O: Fraction = _f("0.10")
    r_N: Fraction = _f("0.30")
    v_NA: Fraction = _f("0.05")
    # §1.3 Module A: Japan's armament
    module_a: bool = False
    p_arm: Fraction = _f("0.45")
    p2_arm: Fraction = _f("0.80")
    arm_cost: Fraction = _f("0.10")
    sd_arm: Fraction = _f("0.10")
    # §3.9 Module C: the Challenger's cost type
    module_c: bool = False
    q: Fraction = _f("0.5")
    cC_H: Fraction = _f("0.45")
    cCa_H: Fraction = _f("0.625")
    # §4 multi-round reputation (pi0 None means "the initial pi")
    eta: Fraction = _f("0.1")
    pi0: Fraction | None = None
    eps: Fraction = _f("0.1")
    lam: Fraction = F(10)
    # §9 Module D: the cooperative-security layer (ASEAN Regional Forum)
    arf: bool = False
    phi0: Fraction = ZERO
    dphi1: Fraction = _f("0.50")
    dphiC: Fraction = _f("0.20")
    psi: Fraction = _f("0.50")
    kappa1: Fraction = _f("0.02")
    kappaC: Fraction = _f("0.02")
    betaD: Fraction = _f("0.05")

    # ----- construction and serialisation -------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Params:
        """Build from JSON-like input (numbers, "3/10" strings, bools); raise InvalidParams on bad input.

        Floats are read through their decimal text, so 0.35 becomes exactly 7/20.
        """
        if not isinstance(data, Mapping):
            raise InvalidParams([FieldError("params", "must be an object of parameter names to values")])
        known = {f.name: f for f in dataclasses.fields(cls)}
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        for name, raw in data.items():
            if name not in known:
                errors.append(FieldError(str(name), "unknown parameter"))
                continue
            try:
                values[name] = _coerce(name, raw)
            except (TypeError, ValueError, ZeroDivisionError) as exc:
                errors.append(FieldError(name, str(exc)))
        if errors:
            raise InvalidParams(errors)
        params = cls(**values)
        params.check()
        return params

    def replace(self, **changes: Any) -> Params:
        return dataclasses.replace(self, **changes)

    def __hash__(self) -> int:
        """Computed once: parameters key the solver's and the views' caches several times per move, and
        hashing ~30 Fractions each time cost more than the look-ups saved."""
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, f.name) for f in dataclasses.fields(self)))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __getstate__(self) -> dict[str, Any]:
        """A copy or pickle leaves the cached hash behind: strings hash differently in another process."""
        state = dict(self.__dict__)
        state.pop("_hash", None)
        return state

    def with_round_prior(self, prior: Fraction) -> Params:
        """The parameters of a later round (§4): its prior is pi_t, the base prior pi0 stays put."""
        return dataclasses.replace(self, pi=Fraction(prior), pi0=self.base_prior)

    def as_dict(self, exact: bool = False) -> dict[str, Any]:
        """All values used: floats (default) or exact "n/d" strings for storage.

        Module D's fields are left out while the module is off and they hold their defaults, so that a
        scenario without the module has exactly the keys it had before the module existed.
        """
        out: dict[str, Any] = {}
        skip_arf = not self.arf and all(getattr(self, n) == getattr(_DEFAULTS, n) for n in ARF_FIELDS)
        for f in dataclasses.fields(self):
            if skip_arf and f.name in ARF_FIELDS:
                continue
            value = getattr(self, f.name)
            if f.name == "pi0" and value is None and not exact:
                value = self.pi  # the value used; storage keeps None ("follow pi")
            if isinstance(value, AllianceType):
                out[f.name] = value.value
            elif isinstance(value, bool):
                out[f.name] = value
            elif isinstance(value, Fraction):
                out[f.name] = str(value) if exact else float(value)
            else:
                out[f.name] = value
        return out

    # ----- validity (§1.2) and standard assumptions ---------------------------------------------
    def errors(self) -> list[FieldError]:
        return list(self._errors)

    @cached_property
    def _errors(self) -> tuple[FieldError, ...]:
        return tuple(validate(self))

    def check(self) -> Params:
        if self._errors:
            raise InvalidParams(list(self._errors))
        return self

    @property
    def base_prior(self) -> Fraction:
        return self.pi if self.pi0 is None else self.pi0

    @property
    def alliance_allowed(self) -> bool:
        return self.alliance_type is not AllianceType.NEUTRALITY

    def core(self, armed: bool = False, e: tuple[int, int] | None = None) -> Core:
        """The effective core for Japan's arming choice and (Module D) the CBM choices e = (e1, eC).

        Without Module D `e` is ignored; with it, e = None means no CBMs, (0, 0).
        """
        key = (armed, _cbm_key(e) if self.arf else None)
        cores = self._cores
        if key not in cores:
            cores[key] = make_core(self, armed, key[1])
        return cores[key]

    @cached_property
    def _cores(self) -> dict[tuple[bool, tuple[int, int] | None], Core]:
        return {}


def _cbm_key(e: tuple[int, int] | None) -> tuple[int, int]:
    if e is None:
        return (0, 0)
    e1, eC = e
    return (int(e1), int(eC))


_DEFAULTS = Params()

# Module D's parameters (§9.2).
ARF_FIELDS = ("arf", "phi0", "dphi1", "dphiC", "psi", "kappa1", "kappaC", "betaD")

_BOOL_FIELDS = {"tripwire", "module_a", "module_c", "arf"}


def _coerce(name: str, raw: Any) -> Any:
    if name in _BOOL_FIELDS:
        if isinstance(raw, bool):
            return raw
        if raw in (0, 1) and not isinstance(raw, float):
            return bool(raw)
        raise TypeError("must be true or false")
    if name == "alliance_type":
        try:
            return AllianceType(raw)
        except ValueError:
            choices = ", ".join(t.value for t in AllianceType)
            raise ValueError(f"must be one of {choices}") from None
    if name == "pi0" and raw is None:
        return None
    return to_fraction(raw)


def to_fraction(raw: Any) -> Fraction:
    """A number or "n/d" / decimal string as an exact Fraction; bools and non-finite values refused."""
    if isinstance(raw, bool) or raw is None:
        raise TypeError("must be a number")
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, int):
        return F(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError("must be a finite number")
        return F(repr(raw))
    if isinstance(raw, str):
        text = raw.strip()
        if not text or len(text) > 64:
            raise ValueError("must be a number such as 0.3 or 3/10")
        try:
            return F(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError("must be a number such as 0.3 or 3/10") from None
    raise TypeError("must be a number")


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def _fmt(x: Fraction) -> str:
    return f"{float(x):g}"


def _range_checks(P: Params) -> list[FieldError]:
    errs: list[FieldError] = []

    def need(ok: bool, name: str, rule: str) -> None:
        if not ok:
            errs.append(FieldError(name, f"must be {rule}; got {_fmt(getattr(P, name))}"))

    need(ZERO < P.p < ONE, "p", "between 0 and 1 (exclusive)")
    need(P.p <= P.p2 <= ONE, "p2", f"between p ({_fmt(P.p)}) and 1")
    need(ZERO < P.pi < ONE, "pi", "between 0 and 1 (exclusive)")
    for name in ("c1", "cC", "c2", "beta", "k"):
        need(getattr(P, name) > 0, name, "greater than 0")
    for name in (
        "c1a",
        "cCa",
        "sigma",
        "r",
        "tau",
        "kT",
        "k1",
        "k1T",
        "lambda_E",
        "delta_O",
        "r_N",
        "v_NA",
        "arm_cost",
        "sd_arm",
        "lam",
        "cCa_H",
    ):
        need(getattr(P, name) >= 0, name, "0 or greater")
    need(ZERO <= P.wN < P.wR, "wN", f"at least 0 and less than wR ({_fmt(P.wR)})")
    need(ZERO <= P.eta <= ONE, "eta", "between 0 and 1")
    need(ZERO <= P.eps <= ONE, "eps", "between 0 and 1")
    if P.pi0 is not None:
        need(ZERO < P.pi0 < ONE, "pi0", "between 0 and 1 (exclusive)")
    if P.module_a:
        need(ZERO < P.p_arm < ONE, "p_arm", "between 0 and 1 (exclusive)")
        need(P.p_arm <= P.p2_arm <= ONE, "p2_arm", f"between p_arm ({_fmt(P.p_arm)}) and 1")
    if P.module_c:
        need(ZERO < P.q < ONE, "q", "between 0 and 1 (exclusive)")
        need(P.cC_H > 0, "cC_H", "greater than 0")
    if P.arf:
        errs.extend(_arf_checks(P))
    return errs


def _arf_checks(P: Params) -> list[FieldError]:
    """§9.2: Module D's ranges, the joint constraint on phi, and the unsolved combination with Module C."""
    errs: list[FieldError] = []

    def need(ok: bool, name: str, rule: str) -> None:
        if not ok:
            errs.append(FieldError(name, f"must be {rule}; got {_fmt(getattr(P, name))}"))

    need(ZERO <= P.phi0 < ONE, "phi0", "at least 0 and less than 1")
    need(P.dphi1 >= 0, "dphi1", "0 or greater")
    need(P.dphiC >= 0, "dphiC", "0 or greater")
    need(ZERO <= P.psi <= ONE, "psi", "between 0 and 1")
    need(P.kappa1 > 0, "kappa1", "greater than 0")
    need(P.kappaC > 0, "kappaC", "greater than 0")
    need(ZERO <= P.betaD <= P.beta, "betaD", f"between 0 and beta ({_fmt(P.beta)})")
    total = P.phi0 + P.dphi1 + P.dphiC
    if not errs and total >= ONE:
        errs.append(
            FieldError(
                "dphi1",
                "phi0 + dphi1 + dphiC (the ARF's success probability with both sides' CBMs) must be "
                f"less than 1; got {_fmt(total)}",
            )
        )
    if P.module_c:
        errs.append(
            FieldError(
                "arf",
                "Module D (the ARF) cannot be combined with Module C (the Challenger's cost type): "
                "that combination is not solved; switch one of them off",
            )
        )
    return errs


def validate(P: Params) -> list[FieldError]:
    """V1-V3 of §1.2 plus the ranges of §1.1, §1.3, §1.4, §3.9 and §4.  Empty list: valid."""
    errs = _range_checks(P)
    if errs:
        return errs
    for armed in (False, True) if P.module_a else (False,):
        core = P.core(armed)
        suffix = " with Japan armed" if armed else ""
        p_name = "p2_arm" if armed else "p2"
        if core.DC <= 0:
            errs.append(
                FieldError(
                    "cCa",
                    f"US entry must hurt the Challenger{suffix}: need (p2 + cCa) - "
                    f"(p + cC) > 0; got {_fmt(core.DC)}",
                )
            )
        if core.D1 <= 0:
            errs.append(
                FieldError(
                    p_name,
                    f"US entry must help Japan{suffix}: need (p2 - c1a) - (p - c1) > 0; got {_fmt(core.D1)}",
                )
            )
        if P.module_c and core.DC_t("H") <= 0:
            errs.append(
                FieldError(
                    "cCa_H",
                    f"US entry must hurt the hesitant Challenger{suffix}: need (p2 + cCa_H) - (p + cC_H) > 0",
                )
            )
    return errs


# --------------------------------------------------------------------------------------------------
# The effective core
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Core:
    """The numbers one crisis game is played with (after tripwire, alliance type and arming)."""

    p: Fraction
    p2: Fraction
    c1: Fraction
    c1a: Fraction
    cC: Fraction
    cCa: Fraction
    beta: Fraction
    sigma: Fraction
    c2: Fraction
    wR: Fraction
    wN: Fraction
    pi: Fraction
    K: Fraction  # US sunk peacetime cost of the alliance
    R: Fraction  # US ex-post cost of abandoning an allied Japan
    K1: Fraction  # Japan's cost of hosting the alliance
    rN: Fraction = ZERO  # US cost of intervening (US-Challenger neutrality pact)
    alliance_allowed: bool = True
    japan_shift: Fraction = ZERO  # subtracted from every Japan payoff (Module A arm_cost)
    tripwire: bool = False
    module_c: bool = False
    q: Fraction = F(1, 2)
    cC_H: Fraction = ZERO
    cCa_H: Fraction = ZERO
    # Module D (§9): one CBM subgame e = (e1, eC).  The CBM costs are in japan_shift / challenger_shift.
    arf: bool = False
    e1: int = 0
    eC: int = 0
    phi_a0: Fraction = ZERO  # Pr(the ARF defuses a stand-off) without an alliance: psi * phi(e)
    phi_a1: Fraction = ZERO  # ... with an alliance: phi(e)
    betaD: Fraction = ZERO  # the Challenger's face cost when the ARF defuses its challenge
    challenger_shift: Fraction = ZERO  # subtracted from every Challenger payoff (kappaC * eC)

    def with_prior(self, pi: Fraction) -> Core:
        return dataclasses.replace(self, pi=pi)

    def phi(self, a: int) -> Fraction:
        """phi_a(e) of §9.2: the ARF's success probability after alliance decision a (0 without Module D)."""
        return self.phi_a1 if a else self.phi_a0

    # ----- derived quantities of §1.1 -----
    @cached_property
    def Dp(self) -> Fraction:
        return self.p2 - self.p

    def w(self, theta: str) -> Fraction:
        return self.wR if theta == "R" else self.wN

    def g(self, theta: str) -> Fraction:
        """Intrinsic net gain from intervening for type theta (g_R, g_N)."""
        return self._g[theta]

    @cached_property
    def _g(self) -> dict[str, Fraction]:
        return {theta: self.Dp * self.w(theta) - self.c2 for theta in THETAS}

    @cached_property
    def DC(self) -> Fraction:
        return (self.p2 + self.cCa) - (self.p + self.cC)

    @cached_property
    def D1(self) -> Fraction:
        return (self.p2 - self.c1a) - (self.p - self.c1)

    @cached_property
    def h(self) -> bool:
        """Hands tied: the treaty makes even the non-resolute US intervene."""
        return self.alliance_allowed and self.intervenes("N", 1)

    # ----- Module C: per Challenger type -----
    def cC_t(self, t: str) -> Fraction:
        return self.cC_H if t == "H" else self.cC

    def cCa_t(self, t: str) -> Fraction:
        return self.cCa_H if t == "H" else self.cCa

    def DC_t(self, t: str) -> Fraction:
        return (self.p2 + self.cCa_t(t)) - (self.p + self.cC_t(t))

    # ----- §3.2 intervention -----
    def intervenes(self, theta: str, a: int) -> bool:
        """I_theta(a): the US intervenes iff g_theta + a*R (- r_N under neutrality) >= 0 (ties: intervene)."""
        net = self.g(theta) - self.rN if self.rN else self.g(theta)
        return net + self.R >= 0 if a else net >= 0

    # ----- §2.3 payoffs -----
    def payoffs(self, terminal: str, a: int, theta: str, t: str = "L") -> tuple[Fraction, Fraction, Fraction]:
        """(US of type theta, Challenger of type t, Japan) at a terminal of §2.3."""
        w = self.w(theta)
        sq_c = -self.sigma
        if terminal == "SQ":
            trio = (w, sq_c, ONE)
        elif terminal == "CON":
            trio = (ZERO, ONE, ZERO)
        elif terminal == "WD":
            trio = (w, sq_c - self.beta, ONE)
        elif terminal == "WAR_I":
            trio = (self.p2 * w - self.c2 - self.rN, 1 - self.p2 - self.cCa_t(t), self.p2 - self.c1a)
        elif terminal == "WAR_S":
            trio = (self.p * w - a * self.R, 1 - self.p - self.cC_t(t), self.p - self.c1)
        elif terminal == "DEF" and self.arf:
            trio = (w, sq_c - self.betaD, ONE)
        else:
            raise ValueError(f"unknown terminal {terminal!r}")
        us, ch, jp = trio
        if self.challenger_shift:
            ch -= self.challenger_shift
        return us - a * self.K, ch, jp - a * self.K1 - self.japan_shift


def make_core(P: Params, armed: bool = False, e: tuple[int, int] | None = None) -> Core:
    """Apply the tripwire (§1.3), the alliance type (§1.4), Module A's arming and (Module D, §9.2) the CBM
    choices e = (e1, eC) to the parameters."""
    p, p2 = (P.p_arm, P.p2_arm) if armed else (P.p, P.p2)
    sigma = P.sigma + (P.sd_arm if armed else ZERO)
    K = P.k + (P.kT if P.tripwire else ZERO)
    R = P.r + (P.tau if P.tripwire else ZERO)
    K1 = P.k1 + (P.k1T if P.tripwire else ZERO)
    cC, cCa, cC_H, cCa_H = P.cC, P.cCa, P.cC_H, P.cCa_H
    rN = ZERO
    kind = P.alliance_type
    if kind is AllianceType.ENTENTE:
        K, R, K1 = K * P.lambda_E, R * P.lambda_E, K1 * P.lambda_E
    elif kind is AllianceType.OFFENSIVE:
        floor = F(1, 100)
        p, p2 = max(p - P.delta_O, floor), max(p2 - P.delta_O, floor)
    elif kind is AllianceType.NON_AGGRESSION:
        cC, cCa, cC_H, cCa_H = cC + P.v_NA, cCa + P.v_NA, cC_H + P.v_NA, cCa_H + P.v_NA
    elif kind is AllianceType.NEUTRALITY:
        rN = P.r_N
    core = Core(
        p=p,
        p2=p2,
        c1=P.c1,
        c1a=P.c1a,
        cC=cC,
        cCa=cCa,
        beta=P.beta,
        sigma=sigma,
        c2=P.c2,
        wR=P.wR,
        wN=P.wN,
        pi=P.pi,
        K=K,
        R=R,
        K1=K1,
        rN=rN,
        alliance_allowed=P.alliance_allowed,
        japan_shift=P.arm_cost if armed else ZERO,
        tripwire=P.tripwire,
        module_c=P.module_c,
        q=P.q,
        cC_H=cC_H,
        cCa_H=cCa_H,
    )
    return _with_cbm(core, P, e) if P.arf else core


def _with_cbm(core: Core, P: Params, e: tuple[int, int] | None) -> Core:
    """§9.2-§9.3: the ARF's success probabilities and the CBM costs of subgame e."""
    e1, eC = _cbm_key(e)
    phi = P.phi0 + e1 * P.dphi1 + eC * P.dphiC
    return dataclasses.replace(
        core,
        arf=True,
        e1=e1,
        eC=eC,
        phi_a0=P.psi * phi,
        phi_a1=phi,
        betaD=P.betaD,
        japan_shift=core.japan_shift + e1 * P.kappa1,
        challenger_shift=eC * P.kappaC,
    )
