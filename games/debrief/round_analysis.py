"""One round analysed (crisis-model.md §3.3-§3.4, §4, §5): replayed from its log with
`games.crisis.game.replay`, its path, §5 label and flags, payoffs, every decision beside the benchmark at
its information set, the cost of each deviation (exact, by brute force with
`games.crisis.analysis.action_values`), the bargaining range, the complete-information benchmark, the
no-alliance counterfactual and the §4 belief updates. Codes only: the pages put them into words.

Speed (docs/performance.md, "debrief"): benchmarks are solved once per distinct prior (a process-wide
cache) and action values once per information set and prior.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any

from games.crisis import analysis, bots, debrief, game, reputation
from games.crisis.analysis import solution_at
from games.crisis.game import State
from games.crisis.params import Params
from games.crisis.solver import Benchmark, PathEntry, Solution, round_benchmark, solve_core
from games.debrief.class_log import ENGINE_KINDS, STUDENT_KIND, ClassLog, LogError, RoundLog

NODE_ORDER = tuple(node for node in game.NODES if node in game.ACTIONS)  # the decision nodes, in order
STAGE_ZERO = ("arming", *game.CBM_NODES)  # Module A's arming and Module D's CBMs
WAR = ("WAR_I", "WAR_S")
STANDOFF = ("WD", "WAR_I", "WAR_S")  # Japan resisted and the Challenger decided whether to attack
ZERO = Fraction(0)
ONE = Fraction(1)
OUTCOMES = debrief.OUTCOME_KEYS


@lru_cache(maxsize=8192)
def no_alliance(core: Any) -> Solution:
    """The benchmark of the same round if the US could not ally: the same core with the alliance option
    removed (no neutrality-pact cost r_N).  Nothing is signalled, so the belief stays at the prior and the
    crisis runs at rho(0, prior): the E3 continuation at mu0 = prior (docs/exports.md explains)."""
    return solve_core(dataclasses.replace(core, alliance_allowed=False))


def label_key(terminal: str, alliance: int) -> str:
    return debrief.outcome_key(*debrief.primary_label(terminal, alliance))


def no_alliance_path(solution: Solution) -> tuple[PathEntry, ...]:
    """The path of `no_alliance(solution.core)` read off the solution's own crisis: the continuation at
    rho(0, prior) for each type (the E3 continuation at mu0 = prior), without solving again."""
    crisis, pi = solution.crisis, solution.core.pi
    cont = crisis.continuation(0, crisis.rho(0, pi))
    return tuple(
        PathEntry(theta, 0, terminal, weight * prob, ctype)
        for theta, weight in (("R", pi), ("N", 1 - pi))
        for terminal, ctype, prob in crisis.terminals(theta, 0, cont)
        if prob
    )


def reached_attack_decision(state: State) -> bool:
    """Whether the round reached the Challenger's attack decision (Japan resisted and no forum defused the
    stand-off): the crises immediate deterrence is judged on, which end in WD, WAR_I or WAR_S (STANDOFF)."""
    return any(move.node == "attack" for move in state.history)


def path_summary(path: Iterable[PathEntry], theta: str | None = None) -> dict[str, float]:
    """Probabilities of the events the class statistics use under a path distribution (ex ante, or given
    theta)."""
    entries = [e for e in path if theta is None or e.theta == theta]
    total = sum(float(e.prob) for e in entries) or 1.0
    out: dict[str, float] = defaultdict(float)
    for e in entries:
        prob = float(e.prob) / total
        out[f"terminal:{e.terminal}"] += prob
        out[f"label:{label_key(e.terminal, e.alliance)}"] += prob
        out[f"a{e.alliance}"] += prob
        if e.terminal != "SQ":
            out[f"a{e.alliance}:challenged"] += prob
        if e.terminal in WAR:
            out[f"a{e.alliance}:attacked"] += prob
            out["war"] += prob
        if e.terminal in STANDOFF:
            out["standoff"] += prob
        if e.terminal == "DEF":
            out["defused"] += prob
        if e.alliance == 1 and e.terminal == "WAR_I":
            out["a1:honoured"] += prob
    return dict(out)


@dataclass(frozen=True)
class InfoSet:
    """A decision's information set: what the mover knows (theta only for the US, t only when attacking)."""

    node: str
    alliance: int | None = None
    theta: str | None = None
    ctype: str | None = None
    armed: bool | None = None
    cbm: str | None = None  # Module D: "e" + Japan's CBM choice (+ the Challenger's once made), e.g. "e10"

    @property
    def key(self) -> str:
        parts = [self.node]
        if self.armed is not None:
            parts.append("armed" if self.armed else "unarmed")
        if self.cbm is not None:
            parts.append(self.cbm)
        if self.alliance is not None:
            parts.append(f"a{self.alliance}")
        if self.theta:
            parts.append(self.theta)
        if self.ctype:
            parts.append(self.ctype)
        return "/".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "node": self.node,
            "alliance": self.alliance,
            "theta": self.theta,
            "ctype": self.ctype,
            "armed": self.armed,
            "cbm": self.cbm,
        }


def infoset_of(state: State, module_a: bool) -> InfoSet:
    """What the mover knows: the public moves (arming, CBMs, alliance), its own type (the US), the
    Challenger's own type once drawn (its attack node, Module C)."""
    role = game.to_move(state)
    node = state.node
    cbm = None
    if state.params.arf and node != "cbm_japan" and node != "arming":
        cbm = "e" + "".join(str(x) for x in (state.e1, state.eC) if x is not None)
    return InfoSet(
        node=node,
        alliance=None if node in (*STAGE_ZERO, "alliance") else state.alliance,
        theta=state.theta if role == "us" else None,
        ctype=state.ctype if node == "attack" else None,
        armed=(None if node == "arming" else bool(state.armed)) if module_a else None,
        cbm=cbm,
    )


@dataclass(frozen=True)
class Decision:
    """One engine event beside the benchmark at its information set."""

    seq: int
    kind: str  # move | bot | standin | timeout
    role: str
    node: str
    action: str
    participant: str | None
    infoset: InfoSet
    probs: dict[str, Fraction]  # the benchmark's behaviour at the information set
    on_path: bool  # every earlier move had positive benchmark probability (US moves: given the true type)
    prior: Fraction  # the public reputation when the decision was made
    belief: Fraction  # the benchmark belief mu_a at this decision (the prior before the alliance decision)
    values: dict[str, Fraction] | None = None  # mover's expected payoff of each action (brute force)
    # JSON-ready parts that depend on the information set and prior only (computed once, shared)
    shared: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def student(self) -> bool:
        return self.kind == STUDENT_KIND

    @property
    def deviation(self) -> bool:
        return not self.probs.get(self.action)

    @cached_property
    def benchmark_value(self) -> Fraction | None:
        if self.values is None:
            return None
        return sum((p * self.values[a] for a, p in self.probs.items()), ZERO)

    @cached_property
    def cost(self) -> Fraction | None:
        """What the played action cost the mover against the benchmark's play at the same information set
        (0 for actions in the benchmark's support: a mixing player is indifferent)."""
        bench = self.benchmark_value
        if bench is None or self.values is None:
            return None
        return bench - self.values[self.action]

    def predicted(self) -> list[str]:
        """The benchmark's actions at this information set, most probable first."""
        return [a for a, p in sorted(self.probs.items(), key=lambda kv: -kv[1]) if p > 0]

    def json_parts(self) -> dict[str, Any]:
        """The information set's part of `as_dict` (the same for every decision taken there)."""
        return {
            "infoset": self.infoset.key,
            "probs": {a: float(p) for a, p in self.probs.items()},
            "predicted": self.predicted(),
            "prior": float(self.prior),
            "belief": float(self.belief),
        }

    def as_dict(self) -> dict[str, Any]:
        cost = self.cost
        shared = self.shared or self.json_parts()
        return {
            "seq": self.seq,
            "kind": self.kind,
            "student": self.student,
            "role": self.role,
            "node": self.node,
            "action": self.action,
            "participant": self.participant,
            "infoset": shared["infoset"],
            "probs": dict(shared["probs"]),
            "prob": shared["probs"].get(self.action, 0.0),
            "predicted": list(shared["predicted"]),
            "deviation": self.deviation,
            "on_path": self.on_path,
            "prior": shared["prior"],
            "belief": shared["belief"],
            "values": {a: float(v) for a, v in self.values.items()} if self.values is not None else None,
            "cost": float(cost) if cost is not None else None,
            "cost_exact": str(cost) if cost is not None else None,
            "cost_points": round(float(cost) * 100, 2) if cost is not None else None,
        }


@dataclass
class RoundAnalysis:
    """One round rebuilt from its log (finished rounds are classified; unfinished ones only listed)."""

    log: RoundLog
    state: State
    decisions: list[Decision]
    students: frozenset[str]  # roles held by students this round
    counts: dict[str, int]  # events by kind
    classification: debrief.Debrief | None = None
    solution: Solution | None = None
    expected: dict[str, float] = field(default_factory=dict)  # benchmark path summary, ex ante
    no_alliance: tuple[PathEntry, ...] = ()  # the no-alliance counterfactual's path
    no_alliance_summary: tuple[dict[str, float], dict[str, dict[str, float]]] = ({}, {})
    update: reputation.RoundUpdate | None = None
    reputation_matches: bool | None = None  # recomputed update == the live cache (None: no cache)

    @property
    def finished(self) -> bool:
        return game.is_terminal(self.state)

    @property
    def terminal(self) -> str | None:
        return self.state.result

    @property
    def outcome(self) -> str | None:
        return label_key(self.state.result, self.state.alliance or 0) if self.finished else None

    def complete_info(self) -> dict[str, Any] | None:
        """§3.4 for the true type: would the same round have gone differently had the type been known?"""
        if self.solution is None:
            return None
        entry = self.solution.complete_info[self.state.theta]
        war = sum((p for t, p in entry["terminals"].items() if t in WAR), ZERO)
        return {
            "alliance": entry["alliance"],
            "terminals": dict(entry["terminals"]),
            "war": war,
            "war_caused_by_uncertainty": bool(self.terminal in WAR and war == 0),
        }

    def counterfactual(self) -> dict[str, Any] | None:
        """The no-alliance benchmark: its outcome for the true type and its ex-ante war probability."""
        if not self.no_alliance or self.solution is None:
            return None
        ex_ante, given = self.no_alliance_summary
        terminals = {
            k.split(":", 1)[1]: v for k, v in given[self.state.theta].items() if k.startswith("terminal:")
        }
        bench = self.expected
        return {
            "alliance_possible": self.solution.core.alliance_allowed,
            "terminals": terminals,
            "war": ex_ante.get("war", ZERO),
            "challenge": ex_ante.get("a0:challenged", ZERO),
            "benchmark_war": bench.get("war", ZERO),
            "benchmark_challenge": bench.get("a0:challenged", ZERO) + bench.get("a1:challenged", ZERO),
        }

    def as_dict(self, log: ClassLog) -> dict[str, Any]:
        r, state = self.log, self.state
        out: dict[str, Any] = {
            "id": r.id,
            "number": r.number,
            "group": r.group,
            "scenario": r.scenario or log.meta.get("scenario"),
            "status": r.status,
            "finished": self.finished,
            "prior": float(r.prior),
            "prior_exact": str(r.prior),
            "us_type": r.us_type,
            "challenger_type": state.ctype,
            "armed": state.armed,
            "alliance": state.alliance,
            "seats": {
                role: {"id": pid, "name": log.name(pid), "bot": log.is_bot(pid)}
                for role, pid in r.seats.items()
            },
            "events": dict(self.counts),
            "decisions": [d.as_dict() for d in self.decisions],
            "terminal": self.terminal,
            "outcome": self.outcome,
        }
        if not self.finished or self.classification is None or self.solution is None:
            return out
        c = self.classification
        low, high = c.bargaining_range
        complete, counter = self.complete_info() or {}, self.counterfactual() or {}
        out.update(
            label=c.label,
            qualifier=c.qualifier,
            flags=[f.as_dict() for f in c.flags],
            payoffs={role: exact_json(v) for role, v in c.payoffs.items()},
            benchmark={
                "selected": c.benchmark,
                "equilibria": list(c.equilibria),
                "approximate": c.approximate,
                "mu": float(c.mu),
                "rho": float(c.rho),
                "outcomes": {
                    k.split(":", 1)[1]: float(v) for k, v in self.expected.items() if k.startswith("label:")
                },
                "war": float(self.expected.get("war", ZERO)),
            },
            bargaining_range={"rho": float(c.rho), "low": float(low), "high": float(high)},
            complete_info={
                "alliance": complete.get("alliance"),
                "terminals": {k: float(v) for k, v in complete.get("terminals", {}).items()},
                "war": float(complete.get("war", ZERO)),
                "war_caused_by_uncertainty": complete.get("war_caused_by_uncertainty"),
            },
            no_alliance={
                "alliance_possible": counter.get("alliance_possible"),
                "terminals": {k: float(v) for k, v in counter.get("terminals", {}).items()},
                "war": float(counter.get("war", ZERO)),
                "benchmark_war": float(counter.get("benchmark_war", ZERO)),
            },
            reputation=self.update.as_dict()
            | {"prior": float(r.prior), "matches_live": self.reputation_matches}
            if self.update
            else None,
        )
        return out


def exact_json(value: Fraction) -> dict[str, Any]:
    return {"value": float(value), "exact": str(value), "points": round(float(value) * 100, 2)}


class Analyzer:
    """Analyses rounds of one class (one parameter snapshot), caching per prior and information set."""

    def __init__(self, params: Params):
        self.params = params
        self._values: dict[tuple, dict[str, Fraction]] = {}
        self._priors: dict[Fraction, int] = {}
        self._benchmarks: dict[int, Benchmark] = {}
        self._paths: dict[tuple, tuple[Any, ...]] = {}
        self._sets: dict[tuple, tuple[dict[str, Fraction], Fraction, dict[str, Any]]] = {}
        self._rounds: dict[tuple, tuple[debrief.Debrief, reputation.RoundUpdate]] = {}

    # ----- benchmark quantities -----
    def benchmark(self, prior: Fraction) -> Benchmark:
        return round_benchmark(self.params, prior)

    def _prior_id(self, prior: Fraction) -> int:
        """A small integer per distinct prior: cache keys hash it instead of a large Fraction."""
        return self._priors.setdefault(prior, len(self._priors))

    def values(self, state: State, infoset: InfoSet, bench: Benchmark) -> dict[str, Fraction]:
        """The mover's exact expected payoff of each action at the information set, every later move by
        the benchmark (brute force over the tree; Module A's stage 0 from the two subgames' benchmarks)."""
        key = (self._prior_id(state.prior), infoset)
        cached = self._values.get(key)
        if cached is None:
            if state.node == "arming":
                cached = {
                    "arm": bench.solutions[True].expected_payoffs.japan,
                    "no_arm": bench.solutions[False].expected_payoffs.japan,
                }
            elif (
                state.node in game.CBM_NODES
            ):  # Module D's stage 0: later replies and subgames at the benchmark
                cached = bench.arf[bool(state.armed)].cbm_values(state.node, state.e1)
            else:
                solution = solution_at(bench, state)
                cached = analysis.action_values(
                    state, solution.behaviour, solution.belief(state.alliance or 0)
                )
            self._values[key] = cached
        return cached

    def _behaviour(
        self, state: State, infoset: InfoSet, bench: Benchmark
    ) -> tuple[dict[str, Fraction], Fraction, dict[str, Any]]:
        """The benchmark's behaviour and belief at an information set (both depend on nothing else)."""
        key = (self._prior_id(state.prior), infoset)
        cached = self._sets.get(key)
        if cached is None:
            belief = (
                solution_at(bench, state).belief(state.alliance)
                if state.alliance is not None and state.node not in STAGE_ZERO
                else state.prior
            )
            probs = bots.benchmark_behaviour(state, bench)
            parts = Decision(
                0, "", "", state.node, "", None, infoset, probs, True, state.prior, belief
            ).json_parts()
            cached = self._sets[key] = (probs, belief, parts)
        return cached

    # ----- one round -----
    def analyse(self, r: RoundLog, log: ClassLog, *, all_values: bool = False) -> RoundAnalysis:
        """Replay the round's engine events beside the benchmark; classify it if it is over.

        `all_values`: action values at every decision (the round page); otherwise only at deviations."""
        pid = self._prior_id(r.prior)
        bench = self._benchmarks.get(pid)
        if bench is None:
            bench = self._benchmarks[pid] = self.benchmark(r.prior)
        state = game.new_round(self.params, prior=r.prior, us_type=r.us_type, seed=r.seed)
        decisions: list[Decision] = []
        reach_ok = True
        counts = Counter(e.kind for e in r.events)
        for event in r.events:
            if event.kind not in ENGINE_KINDS:
                continue
            role = game.to_move(state)
            if role is None or event.node != state.node or event.role != role:
                raise LogError(
                    f"round {r.id} event {event.seq}: {event.role} at {event.node} does not replay "
                    f"(engine: {role} at {state.node})"
                )
            infoset = infoset_of(state, self.params.module_a)
            probs, belief, shared = self._behaviour(state, infoset, bench)
            decision = Decision(
                seq=event.seq,
                kind=event.kind,
                role=role,
                node=state.node,
                action=event.action,
                participant=event.participant,
                infoset=infoset,
                probs=probs,
                on_path=reach_ok,
                prior=r.prior,
                belief=belief,
                shared=shared,
            )
            if all_values or decision.deviation:
                decision = dataclasses.replace(decision, values=self.values(state, infoset, bench))
            decisions.append(decision)
            reach_ok = reach_ok and bool(probs.get(event.action))
            state = game.apply(state, event.action, role)
        students = frozenset(role for role, pid in r.seats.items() if not log.is_bot(pid))
        out = RoundAnalysis(log=r, state=state, decisions=decisions, students=students, counts=dict(counts))
        if game.is_terminal(state):
            self._finish(out, bench)
        return out

    def _finish(self, out: RoundAnalysis, bench: Benchmark) -> None:
        state, r = out.state, out.log
        solution = solution_at(bench, state)
        out.solution = solution
        pid = self._prior_id(r.prior)
        key = (pid, state.armed, state.cbm)
        if key not in self._paths:
            counter = no_alliance_path(solution)
            by_type = {theta: path_summary(counter, theta) for theta in ("R", "N")}
            self._paths[key] = (path_summary(solution.path), counter, (path_summary(counter), by_type))
        out.expected, out.no_alliance, out.no_alliance_summary = self._paths[key]
        # Rounds with the same prior, types, moves and student seats have the same label, flags and belief
        # updates (both are pure functions of these), so equal rounds are classified once.
        signature = (pid, state.theta, state.ctype, state.moves, out.students)
        if signature not in self._rounds:
            self._rounds[signature] = (
                debrief.classify(state, bench, students=out.students),
                reputation.round_update(
                    self.params.with_round_prior(r.prior), solution, state.history, prior=r.prior
                ),
            )
        out.classification, out.update = self._rounds[signature]
        if r.reputation is not None:
            live = r.reputation
            out.reputation_matches = all(
                (live.get(k) is None and v is None)
                or (v is not None and abs(float(live.get(k) or 0) - v) < 1e-9)
                for k, v in out.update.as_dict().items()
            )


def thresholds_json(thresholds: Any) -> dict[str, Any]:
    """§3.3's thresholds as floats (Module D's are pairs, by alliance decision: lists)."""

    def number(v: Any) -> Any:
        if isinstance(v, tuple):
            return [float(x) for x in v]
        return None if v is None else float(v)

    return {k: number(v) for k, v in dataclasses.asdict(thresholds).items()}
