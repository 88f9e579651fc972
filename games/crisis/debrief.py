"""Debrief classification of a finished round (crisis-model.md §5).

Every round gets exactly one primary label from its terminal (with a qualifier where the spec has one)
and zero or more flags.  The debrief reveals the US type (and the Challenger's type in Module C); it is
shown only after the instructor releases it.  Besides the label and flags, the per-round report carries
the benchmark path distribution, the complete-information benchmark (§3.4), the bargaining range at
rho(a, mu_a) (§3.3) and the revealed types.

Module D (§9.9) adds the label of terminal DEF, its flags, and a report (`Debrief.arf`): the ARF's success
chances and thresholds in the played CBM subgame, the stage-0 table and the counterfactual benchmark
without the cooperative-security layer.  Benchmark quantities (belief, path, ...) are those of the CBM
subgame the round was played in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from . import game
from .analysis import action_values, behaviour_at, solution_at, solution_for
from .game import State
from .solver import bargaining_range, solve

if TYPE_CHECKING:
    from .params import Params
    from .solver import Benchmark, ModuleD, PathEntry, Solution

ZERO = Fraction(0)

_LABELS: dict[tuple[str, int], tuple[str, str | None]] = {
    ("SQ", 1): ("GENERAL_DETERRENCE_HELD", "with_alliance"),
    ("SQ", 0): ("GENERAL_DETERRENCE_HELD", "without_alliance"),
    ("WD", 1): ("IMMEDIATE_DETERRENCE_HELD", None),
    ("WD", 0): ("IMMEDIATE_DETERRENCE_HELD", None),
    ("CON", 1): ("DETERRENCE_FAILED_JAPAN_CONCEDED", None),
    ("CON", 0): ("DETERRENCE_FAILED_JAPAN_CONCEDED", None),
    ("WAR_I", 1): ("DETERRENCE_FAILED_WAR_US_INTERVENED", "alliance_honored"),
    ("WAR_I", 0): ("DETERRENCE_FAILED_WAR_US_INTERVENED", "ad_hoc_coalition"),
    ("WAR_S", 1): ("ABANDONMENT", None),
    ("WAR_S", 0): ("DETERRENCE_FAILED_WAR_JAPAN_ALONE", None),
    ("DEF", 1): ("PREVENTIVE_DIPLOMACY_SUCCEEDED", "alliance_backed"),  # Module D (§9.9)
    ("DEF", 0): ("PREVENTIVE_DIPLOMACY_SUCCEEDED", "unbacked"),
}


def primary_label(terminal: str, alliance: int) -> tuple[str, str | None]:
    """(label, qualifier) of §5's table; public information only (terminal and a)."""
    return _LABELS[(terminal, int(alliance))]


def outcome_key(label: str, qualifier: str | None) -> str:
    """"LABEL" or "LABEL/qualifier": how the debriefs, exports and pages key an outcome."""
    return f"{label}/{qualifier}" if qualifier else label


# Every outcome key, in the order of §5's table (the order the pages show them).
OUTCOME_KEYS: tuple[str, ...] = tuple(dict.fromkeys(outcome_key(*value) for value in _LABELS.values()))


@dataclass(frozen=True)
class Flag:
    name: str
    player: str | None = None  # OFF_BENCHMARK only
    node: str | None = None  # OFF_BENCHMARK only
    amounts: tuple[tuple[str, Fraction], ...] = ()  # COSTLY_SIGNAL_PAID: K and K1; CBM_*: kappa

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.player is not None:
            out.update(player=self.player, node=self.node)
        out.update({key: float(value) for key, value in self.amounts})
        return out


@dataclass(frozen=True)
class Debrief:
    terminal: str
    label: str
    qualifier: str | None
    flags: tuple[Flag, ...]
    alliance: int
    armed: bool | None
    us_type: str  # revealed
    challenger_type: str | None  # revealed (Module C, when drawn)
    payoffs: dict[str, Fraction]
    benchmark: str  # name of the selected equilibrium
    equilibria: tuple[str, ...]  # every IC-surviving candidate
    approximate: bool
    mu: Fraction  # benchmark belief mu_a after the observed alliance decision
    rho: Fraction  # rho(a, mu_a)
    bargaining_range: tuple[Fraction, Fraction]
    path: tuple[PathEntry, ...] = field(repr=False)
    complete_info: dict[str, dict] = field(repr=False)
    arf: ArfReport | None = field(default=None, repr=False)  # Module D's report (None when it is off)

    @property
    def flag_names(self) -> list[str]:
        return [f.name for f in self.flags]

    def has(self, name: str) -> bool:
        return any(f.name == name for f in self.flags)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (floats)."""
        low, high = self.bargaining_range
        return {
            "terminal": self.terminal, "label": self.label, "qualifier": self.qualifier,
            "flags": [f.as_dict() for f in self.flags],
            "alliance": self.alliance, "armed": self.armed,
            "types": {"us": self.us_type, "challenger": self.challenger_type},
            "payoffs": {role: float(v) for role, v in self.payoffs.items()},
            "benchmark": {"selected": self.benchmark, "equilibria": list(self.equilibria),
                          "approximate": self.approximate, "mu": float(self.mu), "rho": float(self.rho),
                          "path": [_path_entry(e) for e in self.path],
                          "complete_information": _complete_info_json(self.complete_info)},
            "bargaining_range": {"rho": float(self.rho), "low": float(low), "high": float(high)},
        } | ({"arf": self.arf.as_dict()} if self.arf is not None else {})


@dataclass(frozen=True)
class ArfReport:
    """Module D's per-round report items (§9.9)."""

    e: tuple[int, int] | None  # the CBM choices played (None if the round never left stage 0)
    benchmark_e: tuple[int, int]  # (e1*, eC*(e1*))
    eC_reply: tuple[int, int]  # (eC*(0), eC*(1))
    preventive_diplomacy: str | None  # "defused" | "failed" | None (never reached)
    phi: tuple[Fraction, Fraction]  # (phi_0(e), phi_1(e)) in the played subgame
    rho_R_D: tuple[Fraction, Fraction]  # (a=0, a=1)
    rho_W_D: tuple[Fraction, Fraction]
    rho_star_D: tuple[Fraction, Fraction]
    stage0: tuple[tuple[tuple[int, int], Fraction, Fraction, str], ...]  # (e, EU^J, EU^C, selected)
    no_arf: Solution = field(repr=False)  # counterfactual: the same round with the module off

    def as_dict(self) -> dict[str, Any]:
        cf = self.no_arf
        pay = cf.expected_payoffs
        return {
            "e": list(self.e) if self.e is not None else None,
            "benchmark_e": list(self.benchmark_e),
            "eC_reply": list(self.eC_reply),
            "preventive_diplomacy": self.preventive_diplomacy,
            "phi": {"a0": float(self.phi[0]), "a1": float(self.phi[1])},
            "thresholds": {
                name: [float(x) for x in getattr(self, name)] for name in ("rho_R_D", "rho_W_D", "rho_star_D")
            },
            "stage0": [
                {"e": list(e), "japan": float(j), "challenger": float(c), "selected": name}
                for e, j, c, name in self.stage0
            ],
            "no_arf": {
                "selected": cf.selected.name,
                "path": [_path_entry(x) for x in cf.path],
                "expected_payoffs": {
                    "us": float(pay.us),
                    "challenger": float(pay.challenger),
                    "japan": float(pay.japan),
                },
            },
        }


def _path_entry(e: PathEntry) -> dict[str, Any]:
    return {"theta": e.theta, "alliance": e.alliance, "terminal": e.terminal, "ctype": e.ctype,
            "prob": float(e.prob)}


def _complete_info_json(info: dict[str, dict]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for theta, entry in info.items():
        pay = entry["payoffs"]
        out[theta] = {
            "alliance": entry["alliance"],
            "terminals": {k: float(v) for k, v in entry.get("terminals", {}).items()},
            "payoffs": {"us": float(pay.us), "challenger": float(pay.challenger), "japan": float(pay.japan)},
        }
    return out


# ----- classification ---------------------------------------------------------------------------


def classify(
    state: State, benchmark: Solution | Benchmark, students: Collection[str] = game.ROLES
) -> Debrief:
    """§5 (and §9.9) for a finished round.  `students`: the roles whose actions count for OFF_BENCHMARK."""
    if state.params.arf and getattr(benchmark, "arf", None) is None:  # Module D needs the whole stage 0
        benchmark = solve(state.params.with_round_prior(state.prior))
    solution = solution_at(benchmark, state)
    terminal = game.terminal(state)
    a = state.alliance or 0
    label, qualifier = primary_label(terminal, a)
    mu = solution.belief(a)
    rho = solution.rho(a, mu)
    flags = _outcome_flags(state, solution)
    report = None
    if state.params.arf:
        stage = benchmark.arf[bool(state.armed)]  # type: ignore[union-attr]
        flags += _arf_flags(state, solution, stage, rho)
        report = _arf_report(state, solution, stage, benchmark.params)  # type: ignore[union-attr]
    flags += _off_benchmark(state, benchmark, students) + _equilibrium_flags(solution)
    return Debrief(
        terminal=terminal, label=label, qualifier=qualifier, flags=tuple(flags), alliance=a,
        armed=state.armed, us_type=state.theta, challenger_type=state.ctype, payoffs=game.payoffs(state),
        benchmark=solution.selected.name, equilibria=tuple(c.name for c in solution.candidates if c.ic),
        approximate=solution.approximate, mu=mu, rho=rho,
        bargaining_range=bargaining_range(solution.core, rho),
        path=solution.path,
        complete_info=solution.complete_info,
        arf=report,
    )


def _played(state: State, node: str, action: str) -> bool:
    return any(m.node == node and m.action == action for m in state.history)


def _outcome_flags(state: State, solution: Solution) -> list[Flag]:
    core, a, terminal = state.core, state.alliance or 0, game.terminal(state)
    attacked = _played(state, "attack", "attack")
    checks: list[tuple[bool, Flag]] = [
        (a == 1 and terminal == "WAR_I" and core.g(state.theta) < 0, Flag("ENTRAPMENT")),
        (a == 1 and state.theta == "N" and attacked, Flag("BLUFF_CALLED")),
        (a == 1 and state.theta == "N" and not attacked, Flag("BLUFF_UNTESTED")),
        (a == 1 and _signals(solution), Flag("COSTLY_SIGNAL_PAID", amounts=(("K", core.K), ("K1", core.K1)))),
        (
            a == 1 and solution.rho(0, state.prior) >= _rho_star_unallied(solution),
            Flag("UNNECESSARY_ALLIANCE"),
        ),
        (
            a == 1 and _played(state, "response", "resist") and core.p - core.c1 < 0,
            Flag("EMBOLDENED_RESISTANCE"),
        ),
        # Tripwire forces exist only where the alliance stationed them (§1.3), hence a == 1.
        (state.params.tripwire and a == 1 and attacked, Flag("TRIPWIRE_TRIGGERED")),
    ]
    return [flag for ok, flag in checks if ok]


def _signals(solution: Solution) -> bool:
    """The alliance is a signal in the benchmark: the two US types ally with different probabilities, so
    forming one moves the Challenger's belief (not in a pooling equilibrium, nor where no type allies)."""
    return solution.selected.x_R != solution.selected.x_N


def _rho_star_unallied(solution: Solution) -> Fraction:
    """rho* without an alliance: the core's, or (Module D, §9.9) rho*_D(e, 0)."""
    t = solution.thresholds
    return t.rho_star_D[0] if t.rho_star_D is not None else t.rho_star


def _equilibrium_flags(solution: Solution) -> list[Flag]:
    surviving = [c for c in solution.candidates if c.ic]
    return [Flag("MULTIPLE_EQUILIBRIA")] if len(surviving) > 1 else []


# ----- OFF_BENCHMARK ------------------------------------------------------------------------------

def _off_benchmark(state: State, benchmark: Solution | Benchmark, students: Collection[str]) -> list[Flag]:
    """One flag per student action that had probability 0 under the benchmark at an information set on the
    benchmark path, or that was strictly worse given the benchmark belief at one off the path."""
    solution = solution_at(benchmark, state)
    flags: list[Flag] = []
    live = game.new_round(state.params, prior=state.prior, us_type=state.theta, seed=state.seed)
    types_on_path = {"R", "N"}  # US types whose own benchmark moves so far had positive probability
    others_on_path = True  # every non-US move so far had positive benchmark probability
    for action in state.moves:
        role = game.to_move(live)
        assert role is not None
        probs = _benchmark_probs(live, benchmark, solution)
        on_path = others_on_path and (live.theta in types_on_path if role == "us" else bool(types_on_path))
        off = probs is not None and role in students and not probs[action]
        if off and (on_path or _strictly_worse(live, action, solution, benchmark)):
            flags.append(Flag("OFF_BENCHMARK", player=role, node=live.node))
        if role == "us":
            types_on_path = {th for th in types_on_path if _us_prob(live, th, action, solution)}
        elif probs is not None:
            others_on_path = others_on_path and bool(probs[action])
        live = game.apply(live, action)
    return flags


def _benchmark_probs(
    state: State, benchmark: Solution | Benchmark, solution: Solution
) -> dict[str, Fraction] | None:
    """The benchmark at the mover's information set; None at a stage-0 node when only a Solution is known."""
    if state.node == "arming":
        arming = getattr(benchmark, "arming_behaviour", None)
        return arming() if callable(arming) else None
    if state.node in game.CBM_NODES:
        cbm = getattr(benchmark, "cbm_behaviour", None)
        return cbm(state.node, armed=bool(state.armed), e1=state.e1) if callable(cbm) else None
    return behaviour_at(state, solution.behaviour)


def _us_prob(state: State, theta: str, action: str, solution: Solution) -> Fraction:
    alliance = None if state.node == "alliance" else state.alliance
    return solution.behaviour(state.node, alliance=alliance, theta=theta).get(action, ZERO)


def _strictly_worse(state: State, action: str, solution: Solution, benchmark: Solution | Benchmark) -> bool:
    if state.node == "arming":
        return True
    if state.node in game.CBM_NODES:  # stage 0 of Module D: the other player's reply at the benchmark
        stage = benchmark.arf[bool(state.armed)]  # type: ignore[union-attr]
        values = stage.cbm_values(state.node, state.e1)
        return values[action] < max(values.values())
    values = action_values(state, solution.behaviour, solution.belief(state.alliance or 0))
    return values[action] < max(values.values())


# ----- Module D (§9.9) ---------------------------------------------------------------------------------


def _alliance_probability(solution: Solution) -> Fraction:
    sel, pi = solution.selected, solution.core.pi
    return pi * sel.x_R + (1 - pi) * sel.x_N


def _arf_flags(state: State, solution: Solution, stage: ModuleD, rho_hat: Fraction) -> list[Flag]:
    """§9.9's flags; rho_hat = rho(a, mu_a) in the played CBM subgame."""
    a, terminal, t = state.alliance or 0, game.terminal(state), solution.thresholds
    failed = state.arf_draw == "failed"
    attacked = _played(state, "attack", "attack")
    psi = state.params.psi
    assert t.rho_star_D is not None
    first = stage.e[0]
    wedge = stage.e[1] == 1 and (
        stage.solution((first, 1)).selected.x_N < stage.solution((first, 0)).selected.x_N
    )
    checks: list[tuple[bool, Flag]] = [
        (state.e1 == 1, Flag("CBM_JAPAN", amounts=(("kappa1", state.params.kappa1),))),
        (state.eC == 1, Flag("CBM_CHALLENGER", amounts=(("kappaC", state.params.kappaC),))),
        # The insurance layer is tested only where there is one and the Challenger attacked (§9.9's
        # reading of "the insurance layer is now tested").
        (failed and attacked and a == 1, Flag("ARF_FAILED")),
        (failed and attacked and a == 1 and terminal == "WAR_I", Flag("INSURANCE_PAID_OUT")),
        (failed and attacked and terminal == "WAR_S", Flag("UNINSURED_FAILURE")),
        (terminal == "SQ" and rho_hat < t.rho_star, Flag("ARF_DETERRENCE")),
        (_played(state, "response", "resist") and rho_hat < t.rho_R, Flag("ARF_EMBOLDENED")),
        (
            a == 1 and psi < 1 and (terminal == "DEF" or (terminal == "SQ" and rho_hat < t.rho_star_D[0])),
            Flag("ALLIANCE_ENABLES_ARF"),
        ),
        (
            _alliance_probability(stage.main) < _alliance_probability(stage.solution((0, 0))),
            Flag("ARF_REPLACES_ALLIANCE"),
        ),
        (wedge, Flag("WEDGE")),
    ]
    return [flag for ok, flag in checks if ok]


def _arf_report(state: State, solution: Solution, stage: ModuleD, params: Params) -> ArfReport:
    t = solution.thresholds
    assert t.phi is not None and t.rho_R_D is not None and t.rho_W_D is not None and t.rho_star_D is not None
    stage0 = tuple((e, *stage.payoffs(e), s.selected.name) for e, s in stage.subgames.items())
    no_arf = solution_for(solve(params.replace(arf=False)), state.armed)
    return ArfReport(
        e=state.cbm,
        benchmark_e=stage.e,
        eC_reply=stage.eC_reply,
        preventive_diplomacy=state.arf_draw,
        phi=t.phi,
        rho_R_D=t.rho_R_D,
        rho_W_D=t.rho_W_D,
        rho_star_D=t.rho_star_D,
        stage0=stage0,
        no_arf=no_arf,
    )


def abandonment_rate(debriefs: Iterable[Debrief]) -> dict[str, Any]:
    """Across rounds: the share of tested alliances (a = 1 and the Challenger attacked) the US abandoned."""
    tested = [d for d in debriefs if d.alliance == 1 and d.terminal in ("WAR_I", "WAR_S")]
    abandoned = sum(1 for d in tested if d.terminal == "WAR_S")
    return {"tested": len(tested), "abandoned": abandoned,
            "rate": abandoned / len(tested) if tested else None}
