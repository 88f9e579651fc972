"""Scenario parameters of the crisis model (crisis-model.md §1) and the effective core they induce.

`Params` is what an instructor sets: the spec's code names, exact `Fraction`s, module switches and the
alliance type.  `Core` is what the game and the solver work with: the numbers after the tripwire, the
alliance type (§1.4) and, for Module A, Japan's arming choice have been applied.  Everything is exact;
floats appear only when a caller asks for them at the boundary.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

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


# Every error code, with its English sentence.  A code names the rule that was broken; the placeholders
# are filled from `FieldError.params`.  Pages word the codes in their own language
# (games/vocabulary/param_errors.py) and never read these sentences.
ERROR_MESSAGES: dict[str, str] = {
    # Reading the input
    "not_an_object": "must be an object of parameter names to values",
    "unknown_parameter": "unknown parameter",
    "not_a_boolean": "must be true or false",
    "not_a_choice": "must be one of %(choices)s",
    "not_a_number": "must be a number such as 0.3 or 3/10",
    "not_finite": "must be a finite number",
    # Ranges (V1, V3 of §1.2, §1.3, §1.4, §3.9, §4, §9.2); `bound` names the parameter a range depends on
    "greater_than_zero": "must be greater than 0; got %(value)s",
    "zero_or_greater": "must be 0 or greater; got %(value)s",
    "between_zero_and_one": "must be between 0 and 1; got %(value)s",
    "between_zero_and_one_exclusive": "must be between 0 and 1 (exclusive); got %(value)s",
    "zero_to_below_one": "must be at least 0 and less than 1; got %(value)s",
    "between_bound_and_one": "must be between %(bound)s (%(bound_value)s) and 1; got %(value)s",
    "zero_to_below_bound": "must be at least 0 and less than %(bound)s (%(bound_value)s); got %(value)s",
    "between_zero_and_bound": "must be between 0 and %(bound)s (%(bound_value)s); got %(value)s",
    # Module D (§9.2)
    "phi_total_below_one": (
        "phi0 + dphi1 + dphiC (the ARF's success probability with both sides' CBMs) must be less than 1; "
        "got %(value)s"
    ),
    "arf_with_module_c": (
        "Module D (the ARF) cannot be combined with Module C (the Challenger's cost type): "
        "that combination is not solved; switch one of them off"
    ),
    # V2 of §1.2 in the effective core, for an unarmed and (Module A) an armed Japan
    "entry_hurts_challenger": (
        "US entry must hurt the Challenger: need (p2 + cCa) - (p + cC) > 0; got %(value)s"
    ),
    "entry_hurts_challenger_armed": (
        "US entry must hurt the Challenger with Japan armed: need (p2_arm + cCa) - (p_arm + cC) > 0; "
        "got %(value)s"
    ),
    "entry_helps_japan": "US entry must help Japan: need (p2 - c1a) - (p - c1) > 0; got %(value)s",
    "entry_helps_japan_armed": (
        "US entry must help Japan with Japan armed: need (p2_arm - c1a) - (p_arm - c1) > 0; got %(value)s"
    ),
    "entry_hurts_hesitant_challenger": (
        "US entry must hurt the hesitant Challenger: need (p2 + cCa_H) - (p + cC_H) > 0; got %(value)s"
    ),
    "entry_hurts_hesitant_challenger_armed": (
        "US entry must hurt the hesitant Challenger with Japan armed: need (p2_arm + cCa_H) - "
        "(p_arm + cC_H) > 0; got %(value)s"
    ),
}

# What a message needs: numbers (exact), parameter names, and (for "not_a_choice") the allowed values.
ErrorParam = Fraction | str | tuple[str, ...]


def english(code: str, params: Mapping[str, ErrorParam]) -> str:
    """The English sentence of an error code, numbers shown as short decimals."""
    return ERROR_MESSAGES[code] % {key: _shown(value) for key, value in params.items()}


def _shown(value: ErrorParam) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return ", ".join(value)
    return _fmt(value)


@dataclass(frozen=True)
class FieldError:
    """One broken rule: the field it concerns, a stable `code` (a key of `ERROR_MESSAGES`) and the
    numbers and names its message needs, as Django's `ValidationError(code=, params=)` carries them."""

    field: str
    code: str
    params: Mapping[str, ErrorParam] = dataclasses.field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code not in ERROR_MESSAGES:
            raise ValueError(f"unknown parameter error code {self.code!r}")

    @property
    def message(self) -> str:
        """The English sentence, for the command line and the logs."""
        return english(self.code, self.params)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


class UnreadableValue(ValueError):
    """A raw value that cannot be read as a parameter value; `code` and `params` as in `FieldError`."""

    def __init__(self, code: str, params: Mapping[str, ErrorParam] | None = None):
        self.code = code
        self.params = dict(params or {})
        super().__init__(english(code, self.params))


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
            raise InvalidParams([FieldError("params", "not_an_object")])
        known = {f.name: f for f in dataclasses.fields(cls)}
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        for name, raw in data.items():
            if name not in known:
                errors.append(FieldError(str(name), "unknown_parameter"))
                continue
            try:
                values[name] = _coerce(name, raw)
            except UnreadableValue as exc:
                errors.append(FieldError(name, exc.code, exc.params))
        if errors:
            raise InvalidParams(errors)
        params = cls(**values)
        params.check()
        return params

    def __post_init__(self) -> None:
        # A plain string ("neutrality") equals its StrEnum member and hashes alike, so both would share the
        # solver's cache entries, while the engine's `is` checks would treat the string as a defence pact.
        object.__setattr__(self, "alliance_type", AllianceType(self.alliance_type))

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
    """One raw input value as the field's type; raises `UnreadableValue`."""
    if name in _BOOL_FIELDS:
        if isinstance(raw, bool):
            return raw
        if raw in (0, 1) and not isinstance(raw, float):
            return bool(raw)
        raise UnreadableValue("not_a_boolean")
    if name == "alliance_type":
        try:
            return AllianceType(raw)
        except ValueError:
            raise UnreadableValue("not_a_choice", {"choices": tuple(t.value for t in AllianceType)}) from None
    if name == "pi0" and raw is None:
        return None
    return to_fraction(raw)


def to_fraction(raw: Any) -> Fraction:
    """A number or "n/d" / decimal string as an exact Fraction; bools and non-finite values refused
    (`UnreadableValue`)."""
    if isinstance(raw, bool) or raw is None:
        raise UnreadableValue("not_a_number")
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, int):
        return F(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise UnreadableValue("not_finite")
        return F(repr(raw))
    if isinstance(raw, str):
        return _fraction_from_text(raw)
    raise UnreadableValue("not_a_number")


def _fraction_from_text(raw: str) -> Fraction:
    text = raw.strip()
    if not text or len(text) > 64:
        raise UnreadableValue("not_a_number")
    try:
        return F(text)
    except (ValueError, ZeroDivisionError):
        raise UnreadableValue("not_a_number") from None


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def _fmt(x: Fraction) -> str:
    return f"{float(x):g}"


class _Range(NamedTuple):
    """A parameter's valid range: `code` names the rule, `bound` the parameter it depends on (if any)."""

    name: str
    code: str
    bound: str | None = None


# Each range code with its test (value, the bound's value).
_HOLDS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "greater_than_zero": lambda x, _: x > 0,
    "zero_or_greater": lambda x, _: x >= 0,
    "between_zero_and_one": lambda x, _: ZERO <= x <= ONE,
    "between_zero_and_one_exclusive": lambda x, _: ZERO < x < ONE,
    "zero_to_below_one": lambda x, _: ZERO <= x < ONE,
    "between_bound_and_one": lambda x, bound: bound <= x <= ONE,
    "zero_to_below_bound": lambda x, bound: ZERO <= x < bound,
    "between_zero_and_bound": lambda x, bound: ZERO <= x <= bound,
}

# §1.1, §1.4 and §4, in the order errors are reported.
_RANGES: tuple[_Range, ...] = (
    _Range("p", "between_zero_and_one_exclusive"),
    _Range("p2", "between_bound_and_one", "p"),
    _Range("pi", "between_zero_and_one_exclusive"),
    *(_Range(name, "greater_than_zero") for name in ("c1", "cC", "c2", "beta", "k")),
    *(
        _Range(name, "zero_or_greater")
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
        )
    ),
    _Range("wN", "zero_to_below_bound", "wR"),
    _Range("eta", "between_zero_and_one"),
    _Range("eps", "between_zero_and_one"),
)
_PI0_RANGE = _Range("pi0", "between_zero_and_one_exclusive")  # when set (None follows pi)
_MODULE_A_RANGES = (
    _Range("p_arm", "between_zero_and_one_exclusive"),
    _Range("p2_arm", "between_bound_and_one", "p_arm"),
)
_MODULE_C_RANGES = (_Range("q", "between_zero_and_one_exclusive"), _Range("cC_H", "greater_than_zero"))
_ARF_RANGES = (
    _Range("phi0", "zero_to_below_one"),
    _Range("dphi1", "zero_or_greater"),
    _Range("dphiC", "zero_or_greater"),
    _Range("psi", "between_zero_and_one"),
    _Range("kappa1", "greater_than_zero"),
    _Range("kappaC", "greater_than_zero"),
    _Range("betaD", "between_zero_and_bound", "beta"),
)


def _out_of_range(P: Params, ranges: Iterable[_Range]) -> list[FieldError]:
    errs: list[FieldError] = []
    for name, code, bound in ranges:
        value = getattr(P, name)
        bound_value = getattr(P, bound) if bound else ZERO
        if not _HOLDS[code](value, bound_value):
            params: dict[str, ErrorParam] = {"value": value}
            if bound:
                params.update(bound=bound, bound_value=bound_value)
            errs.append(FieldError(name, code, params))
    return errs


def _range_checks(P: Params) -> list[FieldError]:
    ranges = list(_RANGES)
    if P.pi0 is not None:
        ranges.append(_PI0_RANGE)
    if P.module_a:
        ranges.extend(_MODULE_A_RANGES)
    if P.module_c:
        ranges.extend(_MODULE_C_RANGES)
    errs = _out_of_range(P, ranges)
    if P.arf:
        errs.extend(_arf_checks(P))
    return errs


def _arf_checks(P: Params) -> list[FieldError]:
    """§9.2: Module D's ranges, the joint constraint on phi, and the unsolved combination with Module C."""
    errs = _out_of_range(P, _ARF_RANGES)
    total = P.phi0 + P.dphi1 + P.dphiC
    if not errs and total >= ONE:
        errs.append(FieldError("dphi1", "phi_total_below_one", {"value": total}))
    if P.module_c:
        errs.append(FieldError("arf", "arf_with_module_c"))
    return errs


def validate(P: Params) -> list[FieldError]:
    """V1-V3 of §1.2 plus the ranges of §1.1, §1.3, §1.4, §3.9 and §4.  Empty list: valid."""
    errs = _range_checks(P)
    if errs:
        return errs
    for armed in (False, True) if P.module_a else (False,):
        errs.extend(_entry_checks(P, armed))
    return errs


def _entry_checks(P: Params, armed: bool) -> list[FieldError]:
    """V2 in the effective core: US entry hurts the Challenger (each type, Module C) and helps Japan."""
    core = P.core(armed)
    checks = [
        ("cCa", "entry_hurts_challenger", core.DC),
        ("p2_arm" if armed else "p2", "entry_helps_japan", core.D1),
    ]
    if P.module_c:
        checks.append(("cCa_H", "entry_hurts_hesitant_challenger", core.DC_t("H")))
    suffix = "_armed" if armed else ""
    return [FieldError(field, code + suffix, {"value": value}) for field, code, value in checks if value <= 0]


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


@lru_cache(maxsize=256)
def params_from_json(text: str) -> Params:
    """`Params.from_mapping` of a JSON object, cached per text: a class's parameters are stored as JSON and
    read again by every move and every debrief (callers pass the same canonical text: sorted keys)."""
    return Params.from_mapping(json.loads(text))


def canonical_json(data: Mapping[str, Any]) -> str:
    """The text `params_from_json` caches by: the same parameters give the same text."""
    return json.dumps(dict(data), sort_keys=True)
