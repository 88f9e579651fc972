"""Debrief classification of a finished round (crisis-model.md §5).

Every round gets exactly one primary label from its terminal (with a qualifier where the spec has one)
and zero or more flags.  The debrief reveals the US type (and the Challenger's type in Module C); it is
shown only after the instructor releases it.  Besides the label and flags, the per-round report carries
the benchmark path distribution, the complete-information benchmark (§3.4), the bargaining range at
rho(a, mu_a) (§3.3) and the revealed types.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from . import game
from .analysis import action_values, behaviour_at, solution_for
from .game import State
from .solver import bargaining_range

if TYPE_CHECKING:
    from .solver import Benchmark, PathEntry, Solution

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
}


def primary_label(terminal: str, alliance: int) -> tuple[str, str | None]:
    """(label, qualifier) of §5's table; public information only (terminal and a)."""
    return _LABELS[(terminal, int(alliance))]


@dataclass(frozen=True)
class Flag:
    name: str
    player: str | None = None  # OFF_BENCHMARK only
    node: str | None = None  # OFF_BENCHMARK only
    amounts: tuple[tuple[str, Fraction], ...] = ()  # COSTLY_SIGNAL_PAID: K and K1

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

def classify(state: State, benchmark: Solution | Benchmark,
             students: Collection[str] = game.ROLES) -> Debrief:
    """§5 for a finished round.  `students`: the roles whose actions count for OFF_BENCHMARK."""
    solution = solution_for(benchmark, state.armed)
    terminal = game.terminal(state)
    a = state.alliance or 0
    label, qualifier = primary_label(terminal, a)
    mu = solution.belief(a)
    rho = solution.rho(a, mu)
    flags = (_outcome_flags(state, solution) + _off_benchmark(state, benchmark, students)
             + _equilibrium_flags(solution))
    return Debrief(
        terminal=terminal, label=label, qualifier=qualifier, flags=tuple(flags), alliance=a,
        armed=state.armed, us_type=state.theta, challenger_type=state.ctype, payoffs=game.payoffs(state),
        benchmark=solution.selected.name, equilibria=tuple(c.name for c in solution.candidates if c.ic),
        approximate=solution.approximate, mu=mu, rho=rho,
        bargaining_range=bargaining_range(solution.core, rho),
        path=solution.path, complete_info=solution.complete_info,
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
        (a == 1, Flag("COSTLY_SIGNAL_PAID", amounts=(("K", core.K), ("K1", core.K1)))),
        (a == 1 and solution.rho(0, state.prior) >= solution.thresholds.rho_star,
         Flag("UNNECESSARY_ALLIANCE")),
        (a == 1 and _played(state, "response", "resist") and core.p - core.c1 < 0,
         Flag("EMBOLDENED_RESISTANCE")),
        # Tripwire forces exist only where the alliance stationed them (§1.3), hence a == 1.
        (state.params.tripwire and a == 1 and attacked, Flag("TRIPWIRE_TRIGGERED")),
    ]
    return [flag for ok, flag in checks if ok]


def _equilibrium_flags(solution: Solution) -> list[Flag]:
    surviving = [c for c in solution.candidates if c.ic]
    return [Flag("MULTIPLE_EQUILIBRIA")] if len(surviving) > 1 else []


# ----- OFF_BENCHMARK ------------------------------------------------------------------------------

def _off_benchmark(state: State, benchmark: Solution | Benchmark, students: Collection[str]) -> list[Flag]:
    """One flag per student action that had probability 0 under the benchmark at an information set on the
    benchmark path, or that was strictly worse given the benchmark belief at one off the path."""
    solution = solution_for(benchmark, state.armed)
    arming = getattr(benchmark, "arming_behaviour", None)
    flags: list[Flag] = []
    live = game.new_round(state.params, prior=state.prior, us_type=state.theta, seed=state.seed)
    types_on_path = {"R", "N"}  # US types whose own benchmark moves so far had positive probability
    others_on_path = True  # every non-US move so far had positive benchmark probability
    for action in state.moves:
        role = game.to_move(live)
        assert role is not None
        if live.node == "arming":
            probs = arming() if callable(arming) else None
        else:
            probs = behaviour_at(live, solution.behaviour)
        on_path = others_on_path and (live.theta in types_on_path if role == "us" else bool(types_on_path))
        off = probs is not None and role in students and not probs[action]
        if off and (on_path or _strictly_worse(live, action, solution)):
            flags.append(Flag("OFF_BENCHMARK", player=role, node=live.node))
        if role == "us":
            types_on_path = {th for th in types_on_path if _us_prob(live, th, action, solution)}
        elif probs is not None:
            others_on_path = others_on_path and bool(probs[action])
        live = game.apply(live, action)
    return flags


def _us_prob(state: State, theta: str, action: str, solution: Solution) -> Fraction:
    alliance = None if state.node == "alliance" else state.alliance
    return solution.behaviour(state.node, alliance=alliance, theta=theta).get(action, ZERO)


def _strictly_worse(state: State, action: str, solution: Solution) -> bool:
    if state.node == "arming":
        return True
    values = action_values(state, solution.behaviour, solution.belief(state.alliance or 0))
    return values[action] < max(values.values())


def abandonment_rate(debriefs: Iterable[Debrief]) -> dict[str, Any]:
    """Across rounds: the share of tested alliances (a = 1 and the Challenger attacked) the US abandoned."""
    tested = [d for d in debriefs if d.alliance == 1 and d.terminal in ("WAR_I", "WAR_S")]
    abandoned = sum(1 for d in tested if d.terminal == "WAR_S")
    return {"tested": len(tested), "abandoned": abandoned,
            "rate": abandoned / len(tested) if tested else None}
