"""Debriefs computed from the event log alone (crisis-model.md §3.3-§3.4, §4, §5, §7).

Everything here is rebuilt from what cannot change: the class's parameter snapshot, each round's prior, US
type, seed and seats, and the append-only `Event` rows.  `Round.state` (the live snapshot) is never read:
each round is replayed with `games.crisis.game.replay`, so a debrief can be rebuilt at any time, from the
database (`games.debrief.load`) or from an exported JSON file (`ClassLog.from_json`), with the same result.

Three layers:

* **the log** (`ClassLog`, `RoundLog`, `EventLog`): plain records, loaded in a handful of queries (all of a
  class's events in one) or read back from `export.json`;
* **round analysis** (`Analyzer.analyse`, a `RoundAnalysis`): the path, the §5 label and flags, payoffs,
  every decision beside the benchmark at its information set, the cost of each deviation (exact, by brute
  force with `games.crisis.analysis.action_values`), the bargaining range, the complete-information
  benchmark, the no-alliance counterfactual and the §4 belief updates;
* **class analysis** (`class_debrief`, a `ClassDebrief`): outcome shares by condition, deterrence and
  reliability rates beside the lecture's figures, students' choice shares at every node beside theory,
  reputation per group, and each student's own decisions.

A full round debrief for one round's page (`round_debrief`) adds what each player saw at each decision,
every IC-surviving equilibrium and the whole game tree.  Nothing here is translated: codes only; the
pages put them into words.

Speed (DESIGN.md target: 300 students x 10 rounds under 2 s): benchmarks are solved once per distinct
prior (`benchmark`, a process-wide cache), action values once per information set and prior, and the
events are fetched in one query.  `bench/debrief.py` measures it.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any

from games.crisis import analysis, bots, debrief, game, reputation, views
from games.crisis.analysis import solution_at
from games.crisis.game import ROLES, State
from games.crisis.params import AllianceType, Params
from games.crisis.solver import Benchmark, PathEntry, Solution, bargaining_range, solve, solve_core

EXPORT_FORMAT = "crisis-table/class-log"
EXPORT_VERSION = 1
ENGINE_KINDS = ("move", "bot", "standin", "timeout")
STUDENT_KIND = "move"
NODE_ORDER = (
    "arming",
    "cbm_japan",
    "cbm_challenger",
    "alliance",
    "challenge",
    "response",
    "attack",
    "intervention",
)
STAGE_ZERO = ("arming", "cbm_japan", "cbm_challenger")  # Module A's arming and Module D's CBMs
TERMINALS = ("SQ", "WD", "CON", "WAR_I", "WAR_S")
WAR = ("WAR_I", "WAR_S")
STANDOFF = ("WD", "WAR_I", "WAR_S")  # Japan resisted and the Challenger decided whether to attack
ZERO = Fraction(0)
ONE = Fraction(1)

# Outcome keys "LABEL" or "LABEL/qualifier", in the order the pages show them.
OUTCOMES = (
    "GENERAL_DETERRENCE_HELD/with_alliance",
    "GENERAL_DETERRENCE_HELD/without_alliance",
    "IMMEDIATE_DETERRENCE_HELD",
    "DETERRENCE_FAILED_JAPAN_CONCEDED",
    "DETERRENCE_FAILED_WAR_US_INTERVENED/alliance_honored",
    "DETERRENCE_FAILED_WAR_US_INTERVENED/ad_hoc_coalition",
    "ABANDONMENT",
    "DETERRENCE_FAILED_WAR_JAPAN_ALONE",
    "PREVENTIVE_DIPLOMACY_SUCCEEDED/alliance_backed",  # Module D (§9.9)
    "PREVENTIVE_DIPLOMACY_SUCCEEDED/unbacked",
)

# The lecture's figures (crisis-model.md §1.4, §7).  Magnitudes are [unverified]: the lecture slides
# attribute them to Leeds (2003); only the directions were found in retrievable text.
LECTURE_FIGURES: dict[str, dict[str, Any]] = {
    "defence_pact": {"value": -0.28, "source": "Leeds 2003 (lecture slides)", "verified": False},
    "reliability": {
        "value": 0.80,
        "source": "lecture slides; Leeds, Long & Mitchell 2000: 74.5 % reliable",
        "verified": False,
        "also": 0.745,
    },
    "offensive": {"value": 0.47, "source": "Leeds 2003 (lecture slides)", "verified": False},
    "neutrality": {"value": 0.57, "source": "Leeds 2003 (lecture slides)", "verified": False},
}


class LogError(ValueError):
    """The event log does not replay (an event's node or role disagrees with the engine)."""


# --------------------------------------------------------------------------------------------------
# The log
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventLog:
    seq: int
    kind: str
    node: str
    role: str
    action: str
    participant: str | None
    move_id: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    created: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "node": self.node,
            "role": self.role,
            "action": self.action,
            "participant": self.participant,
            "move_id": self.move_id,
            "payload": dict(self.payload),
            "created": self.created,
        }


@dataclass(frozen=True)
class RoundLog:
    id: int
    number: int
    group: int
    prior: Fraction
    us_type: str
    seed: str
    seats: Mapping[str, str]  # role -> participant id
    status: str
    events: tuple[EventLog, ...]
    reputation: Mapping[str, Any] | None = None  # the live cache, only compared with the recomputation
    started: str | None = None
    finished: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "group": self.group,
            "prior": str(self.prior),
            "us_type": self.us_type,
            "seed": self.seed,
            "seats": dict(self.seats),
            "status": self.status,
            "reputation": dict(self.reputation) if self.reputation is not None else None,
            "started": self.started,
            "finished": self.finished,
            "events": [e.as_json() for e in self.events],
        }


@dataclass(frozen=True)
class ParticipantLog:
    id: str
    name: str
    is_bot: bool


@dataclass(frozen=True)
class ClassLog:
    """Everything a debrief is built from; `as_json`/`from_json` round-trip it through `export.json`."""

    code: str
    params: Mapping[str, Any]  # the class's snapshot, exact strings
    meta: Mapping[str, Any]
    participants: Mapping[str, ParticipantLog]
    rounds: tuple[RoundLog, ...]

    def engine_params(self) -> Params:
        return _params(json.dumps(dict(self.params), sort_keys=True))

    def is_bot(self, participant_id: str | None) -> bool:
        person = self.participants.get(participant_id or "")
        return bool(person and person.is_bot)

    def name(self, participant_id: str | None) -> str:
        person = self.participants.get(participant_id or "")
        return person.name if person else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "code": self.code,
            "params": dict(self.params),
            "meta": dict(self.meta),
            "participants": [
                {"id": p.id, "name": p.name, "is_bot": p.is_bot} for p in self.participants.values()
            ],
            "rounds": [r.as_json() for r in self.rounds],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ClassLog:
        if data.get("format") != EXPORT_FORMAT or data.get("version") != EXPORT_VERSION:
            raise ValueError(f"not a {EXPORT_FORMAT} v{EXPORT_VERSION} log")
        people = {
            p["id"]: ParticipantLog(p["id"], p["name"], bool(p["is_bot"])) for p in data["participants"]
        }
        rounds = tuple(
            RoundLog(
                id=r["id"],
                number=r["number"],
                group=r["group"],
                prior=Fraction(r["prior"]),
                us_type=r["us_type"],
                seed=r["seed"],
                seats=dict(r["seats"]),
                status=r["status"],
                reputation=r.get("reputation"),
                started=r.get("started"),
                finished=r.get("finished"),
                events=tuple(EventLog(**e) for e in r["events"]),
            )
            for r in data["rounds"]
        )
        return cls(
            code=data["code"],
            params=data["params"],
            meta=data.get("meta", {}),
            participants=people,
            rounds=rounds,
        )


@lru_cache(maxsize=64)
def _params(params_json: str) -> Params:
    return Params.from_mapping(json.loads(params_json))






# --------------------------------------------------------------------------------------------------
# Benchmarks (cached per prior) and the no-alliance counterfactual
# --------------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def benchmark(params: Params, prior: Fraction) -> Benchmark:
    """The round's benchmark: the one-round PBE at this round's prior (§4's myopic benchmark), equal to
    `solve(params.with_round_prior(prior))` as live play computes it.  Without Module A the core game is
    solved directly: the class's parameters were validated when the class was created and a round changes
    only the prior, so validating them again for every prior would only double the cost."""
    round_params = params.with_round_prior(prior)
    if params.module_a or params.arf:
        return solve(round_params)
    return Benchmark(
        params=round_params, solutions={False: solve_core(params.core().with_prior(prior))}, arm=None
    )


@lru_cache(maxsize=8192)
def no_alliance(core: Any) -> Solution:
    """The benchmark of the same round if the US could not ally: the same core with the alliance option
    removed (no neutrality-pact cost r_N).  Nothing is signalled, so the belief stays at the prior and the
    crisis runs at rho(0, prior): the E3 continuation at mu0 = prior (docs/exports.md explains)."""
    return solve_core(dataclasses.replace(core, alliance_allowed=False))


def _label_key(terminal: str, alliance: int) -> str:
    label, qualifier = debrief.primary_label(terminal, alliance)
    return f"{label}/{qualifier}" if qualifier else label


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


def path_summary(path: Iterable[PathEntry], theta: str | None = None) -> dict[str, float]:
    """Probabilities of the events the class statistics use under a path distribution (ex ante, or given
    theta)."""
    entries = [e for e in path if theta is None or e.theta == theta]
    total = sum(float(e.prob) for e in entries) or 1.0
    out: dict[str, float] = defaultdict(float)
    for e in entries:
        prob = float(e.prob) / total
        out[f"terminal:{e.terminal}"] += prob
        out[f"label:{_label_key(e.terminal, e.alliance)}"] += prob
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


# --------------------------------------------------------------------------------------------------
# Round analysis
# --------------------------------------------------------------------------------------------------


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
        return _label_key(self.state.result, self.state.alliance or 0) if self.finished else None

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
            payoffs={role: _number(v) for role, v in c.payoffs.items()},
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
            bargaining_range={
                "rho": float(c.rho),
                "low": float(low),
                "high": float(high),
                "status_quo_inside": low <= 1 <= high,
            },
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


def _number(value: Fraction) -> dict[str, Any]:
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
        return benchmark(self.params, prior)

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


# --------------------------------------------------------------------------------------------------
# The full debrief of one round (the round page)
# --------------------------------------------------------------------------------------------------


def round_debrief(log: ClassLog, round_id: int) -> dict[str, Any]:
    """Everything the round page shows, JSON-ready (see `RoundAnalysis.as_dict` for the common part)."""
    r = next((x for x in log.rounds if x.id == round_id), None)
    if r is None:
        raise KeyError(round_id)
    analyzer = Analyzer(log.engine_params())
    result = analyzer.analyse(r, log, all_values=True)
    out = result.as_dict(log)
    bench = analyzer.benchmark(r.prior)
    out["steps"] = steps(log, result)
    out["knowledge"] = _knowledge(result)
    out["module_a"] = log.engine_params().module_a
    out["module_c"] = log.engine_params().module_c
    solution = result.solution or solution_at(bench, result.state)
    out["thresholds"] = _thresholds_json(solution.thresholds)
    out["hands_tied"] = solution.hands_tied
    out["effective"] = {
        k: float(getattr(solution.core, k))
        for k in ("K", "R", "K1", "p", "p2", "c1", "c1a", "cC", "cCa", "beta", "sigma")
    }
    out["equilibria"] = equilibria(solution, result)
    out["bargaining"] = bargaining(solution, result)
    out["tree"] = game_tree(bench, result)
    report = result.classification.arf if result.classification is not None else None
    out["arf"] = report.as_dict() if report is not None else None
    if result.finished and result.solution is not None:
        counterfactual = no_alliance(result.state.core)
        out["counterfactual_path"] = [_path_json(e) for e in counterfactual.path]
        out["benchmark_path"] = [_path_json(e) for e in solution.path]
        out["expected_payoffs"] = {
            k: float(v) for k, v in dataclasses.asdict(solution.expected_payoffs).items()
        }
        out["counterfactual_payoffs"] = {
            k: float(v) for k, v in dataclasses.asdict(counterfactual.expected_payoffs).items()
        }
    return out


def _path_json(e: Any) -> dict[str, Any]:
    return {
        "theta": e.theta,
        "alliance": e.alliance,
        "terminal": e.terminal,
        "ctype": e.ctype,
        "prob": float(e.prob),
        "outcome": _label_key(e.terminal, e.alliance),
    }


def round_replay(log: ClassLog, round_id: int) -> dict[str, Any]:
    """The replay page's data: the round (as in the class report, with every action value) and its steps."""
    r = next((x for x in log.rounds if x.id == round_id), None)
    if r is None:
        raise KeyError(round_id)
    result = Analyzer(log.engine_params()).analyse(r, log, all_values=True)
    return {**result.as_dict(log), "steps": steps(log, result)}


def _prefixes(result: RoundAnalysis) -> list[State]:
    """The state before each decision and the final one."""
    r = result.log
    params = result.state.params
    state = game.new_round(params, prior=r.prior, us_type=r.us_type, seed=r.seed)
    out = [state]
    for d in result.decisions:
        state = game.apply(state, d.action, d.role)
        out.append(state)
    return out


def _knowledge(result: RoundAnalysis) -> list[dict[str, Any]]:
    """What the mover knew at each decision: the public reputation, the benchmark belief, their private
    information (from the role's own view of the prefix state, so nothing they could not see)."""
    out = []
    for d, state in zip(result.decisions, _prefixes(result), strict=False):
        seen = views.view_for(state, d.role)
        out.append(
            {
                "seq": d.seq,
                "role": d.role,
                "node": d.node,
                "private": seen["private"],
                "public_belief": seen["public"]["belief"],
                "alliance": state.alliance,
                "benchmark_belief": float(d.belief),
                "history": seen["history"],
            }
        )
    return out


def steps(log: ClassLog, result: RoundAnalysis) -> list[dict[str, Any]]:
    """The replay: step 0 is the start, then one step per event (system events change no state).

    Each step holds every role's own view (`views.view_for`) and the instructor's (`instructor_view`) of the
    state after that event, so the replay page can show the round as any role saw it."""
    r = result.log
    params = result.state.params
    bench = benchmark(params, r.prior)
    state = game.new_round(params, prior=r.prior, us_type=r.us_type, seed=r.seed)

    def snapshot(event: EventLog | None) -> dict[str, Any]:
        return {
            "event": event.as_json() if event else None,
            "actor": log.name(event.participant) if event else None,
            "actor_bot": log.is_bot(event.participant) if event else None,
            "views": {role: views.view_for(state, role) for role in ROLES},
            "all": views.instructor_view(state, solution=bench),
        }

    out = [snapshot(None)]
    for event in r.events:
        if event.kind in ENGINE_KINDS:
            state = game.apply(state, event.action, event.role)
        out.append(snapshot(event))
    return out


def equilibria(solution: Solution, result: RoundAnalysis) -> list[dict[str, Any]]:
    """Every IC-surviving equilibrium (the selected one first) with its outcome distribution and the
    probability it gave each move actually played (after stage 0: Module A's arming, Module D's CBMs)."""
    ordered = [solution.selected, *(c for c in solution.surviving if c != solution.selected)]
    states = _prefixes(result)
    root, _stage = subgame_root(benchmark(result.state.params, result.state.prior), result)
    out = []
    for cand in ordered:
        variant = dataclasses.replace(solution, selected=cand)
        probs = [  # stage 0 (Module A's arming, Module D's CBMs) comes before this subgame's equilibria
            analysis.behaviour_at(s, variant.behaviour).get(d.action, ZERO)
            for d, s in zip(result.decisions, states, strict=False)
            if d.node not in STAGE_ZERO
        ]
        played = ONE
        for p in probs:
            played *= p
        out.append(
            {
                "name": cand.name,
                "selected": cand == solution.selected,
                "ic": cand.ic,
                "x_R": float(cand.x_R),
                "x_N": float(cand.x_N),
                "mu0": float(cand.mu0),
                "mu1": float(cand.mu1),
                "y1": float(cand.y1),
                "U_R": float(cand.U_R),
                "U_N": float(cand.U_N),
                "move_probs": [float(p) for p in probs],
                "path_prob": float(played),
                "outcomes": {k: float(v) for k, v in terminal_distribution(variant, root).items()},
            }
        )
    return out


def terminal_distribution(solution: Solution, root: State) -> dict[str, Fraction]:
    """Ex-ante outcome distribution of a profile from a subgame's root (stage 0 over), walking the tree:
    Nature's theta at the round's prior, and Nature's later draws (Module C's type, Module D's preventive
    diplomacy) by their probabilities."""
    out: dict[str, Fraction] = defaultdict(lambda: ZERO)

    def walk(s: State, prob: Fraction) -> None:
        if game.is_terminal(s):
            out[_label_key(s.result, s.alliance or 0)] += prob
            return
        for action, p in analysis.behaviour_at(s, solution.behaviour).items():
            if p:
                for child, w in analysis.successors(s, action):
                    walk(child, prob * p * w)

    for theta, weight in (("R", root.prior), ("N", 1 - root.prior)):
        walk(dataclasses.replace(root, theta=theta), weight)
    return dict(out)


def subgame_root(bench: Benchmark, result: RoundAnalysis) -> tuple[State, list[dict[str, Any]]]:
    """The root of the subgame the round was played in: the start with stage 0 (Module A's arming, Module
    D's CBMs) applied as played, or as the benchmark plays it where the round has not got that far; and
    stage 0's decisions (node, action, benchmark probabilities, whether it was played or assumed)."""
    state = result.state
    played = [d.action for d in result.decisions if d.node in STAGE_ZERO]
    root = game.new_round(state.params, prior=state.prior, us_type="R", seed=state.seed)
    stage: list[dict[str, Any]] = []
    while root.node in STAGE_ZERO:
        probs = bots.benchmark_behaviour(root, bench)
        from_log = bool(played)
        action = played.pop(0) if from_log else max(probs, key=lambda a: probs[a])
        stage.append(
            {
                "node": root.node,
                "role": game.to_move(root),
                "action": action,
                "probs": {k: float(v) for k, v in probs.items()},
                "played": from_log,
            }
        )
        root = game.apply(root, action)
    return root, stage


def bargaining(solution: Solution, result: RoundAnalysis) -> dict[str, Any]:
    """§3.3's range at the benchmark's rho after the observed alliance decision, beside rho = 0 and 1."""
    core = solution.core
    a = result.state.alliance or 0
    rho = solution.rho(a)

    def at(r: Fraction) -> dict[str, float]:
        low, high = bargaining_range(core, r)
        return {
            "rho": float(r),
            "low": float(low),
            "high": float(high),
            "p": float(core.p + r * (core.p2 - core.p)),
            "c1": float(core.c1 + r * (core.c1a - core.c1)),
            "cC": float(core.cC + r * (core.cCa - core.cC)),
        }

    return {
        "now": at(rho),
        "alone": at(ZERO),
        "certain": at(ONE),
        "alliance": a,
        "mu": float(solution.belief(a)),
        "sigma": float(core.sigma),
    }


# ----- the game tree ------------------------------------------------------------------------------


def game_tree(bench: Benchmark, result: RoundAnalysis) -> dict[str, Any]:
    """The game tree of the subgame the round was played in (stage 0, i.e. Module A's arming and Module D's
    CBMs, is listed apart as `stage0`), Nature's draw of theta first, as nested dicts: every edge with the
    benchmark's probability at its information set (Nature's at chance nodes) and whether the round took it.
    """
    state = result.state
    root, stage0 = subgame_root(bench, result)
    solution = solution_at(bench, root)
    played = [d.action for d in result.decisions if d.node not in STAGE_ZERO]
    counter = iter(range(100_000))

    def chance_label(kid: State) -> str | None:
        return kid.arf_draw if state.params.arf else kid.ctype

    def node(s: State, prob: Fraction, on: bool, moves: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": next(counter), "reach": float(prob), "played": on}
        if game.is_terminal(s):
            pay = game.payoffs(s)
            out.update(
                kind="terminal",
                terminal=s.result,
                outcome=_label_key(s.result, s.alliance or 0),
                payoffs={k: float(v) for k, v in pay.items()},
                theta=s.theta,
                ctype=s.ctype,
                alliance=s.alliance,
            )
            return out
        role = game.to_move(s)
        out.update(
            kind="decision",
            role=role,
            node=s.node,
            theta=s.theta if role == "us" else None,
            alliance=s.alliance,
            infoset=infoset_of(s, False).key,
            children=[],
        )
        for action, p in analysis.behaviour_at(s, solution.behaviour).items():
            taken = on and bool(moves) and moves[0] == action
            rest = moves[1:] if taken else []
            kids = analysis.successors(s, action)
            if len(kids) == 1:
                child = node(kids[0][0], prob * p, taken, rest)
            else:  # Nature after Japan resists: the Challenger's type (Module C) or the ARF's draw (Module D)
                branches = []
                for kid, w in kids:
                    kid_on = taken and chance_label(kid) == chance_label(state)
                    branches.append(
                        {
                            **_edge(chance_label(kid), w, kid_on),
                            "child": node(kid, prob * p * w, kid_on, rest),
                        }
                    )
                child = {
                    "id": next(counter),
                    "kind": "chance",
                    "node": "arf" if state.params.arf else "ctype",
                    "reach": float(prob * p),
                    "played": taken,
                    "children": branches,
                }
            out["children"].append({**_edge(action, p, taken), "child": child})
        return out

    children = []
    for theta, weight in (("R", state.prior), ("N", 1 - state.prior)):
        on = theta == state.theta
        sub = node(dataclasses.replace(root, theta=theta), weight, on, played if on else [])
        children.append({**_edge(theta, weight, on), "child": sub})
    return {
        "id": next(counter),
        "kind": "chance",
        "node": "theta",
        "reach": 1.0,
        "played": True,
        "children": children,
        "stage0": stage0,
    }


def _edge(action: str | None, prob: Fraction, taken: bool) -> dict[str, Any]:
    return {"action": action, "prob": float(prob), "taken": taken}


# --------------------------------------------------------------------------------------------------
# The class debrief
# --------------------------------------------------------------------------------------------------


def _share(part: int | Fraction, whole: int | Fraction) -> float | None:
    return float(Fraction(part) / whole) if whole else None


@dataclass
class ClassDebrief:
    log: ClassLog
    rounds: list[RoundAnalysis]

    @cached_property
    def finished(self) -> list[RoundAnalysis]:
        return [r for r in self.rounds if r.finished]

    # ----- outcomes -----
    def outcomes(self) -> dict[str, Any]:
        done = self.finished
        counts = Counter(r.outcome for r in done)
        theory = self._theory_mean("label:")
        return {
            "n": len(done),
            "rows": [
                {
                    "outcome": key,
                    "count": counts.get(key, 0),
                    "share": _share(counts.get(key, 0), len(done)),
                    "theory": theory.get(key, 0.0) if done else None,
                }
                for key in OUTCOMES
            ],
        }

    def _theory_mean(self, prefix: str) -> dict[str, float]:
        done, sums = self.finished, self._theory_sums()
        return (
            {k[len(prefix) :]: v / len(done) for k, v in sums.items() if k.startswith(prefix)} if done else {}
        )

    def by_condition(self) -> list[dict[str, Any]]:
        """Outcome shares by condition: the scenario's alliance type and tripwire, and whether the alliance
        was formed in the round (Module A: and whether Japan armed)."""
        params = self.log.engine_params()
        groups: dict[tuple, list[RoundAnalysis]] = defaultdict(list)
        for r in self.finished:
            armed = r.state.armed if params.module_a else None
            cbm = "e" + "".join(map(str, r.state.cbm)) if r.state.cbm is not None else None
            groups[(params.alliance_type.value, params.tripwire, r.state.alliance or 0, armed, cbm)].append(r)
        rows = []
        for (kind, tripwire, allied, armed, cbm), members in sorted(
            groups.items(), key=lambda kv: (-kv[0][2], str(kv[0][3]), str(kv[0][4]))
        ):
            counts = Counter(r.outcome for r in members)
            rows.append(
                {
                    "alliance_type": kind,
                    "tripwire": tripwire,
                    "allied": bool(allied),
                    "armed": armed,
                    "cbm": cbm,
                    "n": len(members),
                    "outcomes": {
                        k: {"count": counts.get(k, 0), "share": _share(counts.get(k, 0), len(members))}
                        for k in OUTCOMES
                    },
                    "challenged": _share(sum(r.terminal != "SQ" for r in members), len(members)),
                    "war": _share(sum(r.terminal in WAR for r in members), len(members)),
                }
            )
        return rows

    # ----- rates -----
    def rates(self) -> dict[str, Any]:
        done = self.finished
        standoffs = [r for r in done if r.terminal in STANDOFF]
        tested = [r for r in done if r.state.alliance == 1 and r.terminal in WAR]
        sums = self._theory_sums()
        abandonment = debrief.abandonment_rate(r.classification for r in done if r.classification)
        return {
            "general_deterrence": {
                "count": sum(r.terminal == "SQ" for r in done),
                "n": len(done),
                "rate": _share(sum(r.terminal == "SQ" for r in done), len(done)),
                "theory": _ratio(sums["terminal:SQ"], sums["rounds"]),
            },
            "immediate_deterrence": {
                "count": sum(r.terminal == "WD" for r in standoffs),
                "n": len(standoffs),
                "rate": _share(sum(r.terminal == "WD" for r in standoffs), len(standoffs)),
                "theory": _ratio(sums["terminal:WD"], sums["standoff"]),
            },
            "honoured": {
                "count": sum(r.terminal == "WAR_I" for r in tested),
                "n": len(tested),
                "rate": _share(sum(r.terminal == "WAR_I" for r in tested), len(tested)),
                "theory": _ratio(sums["a1:honoured"], sums["a1:attacked"]),
                "lecture": LECTURE_FIGURES["reliability"]["value"],
                "lecture_also": LECTURE_FIGURES["reliability"]["also"],
            },
            "abandonment": abandonment,
            "war": {
                "count": sum(r.terminal in WAR for r in done),
                "n": len(done),
                "rate": _share(sum(r.terminal in WAR for r in done), len(done)),
                "theory": _ratio(sums["war"], sums["rounds"]),
            },
        }

    @cached_property
    def _sums(self) -> dict[str, float]:
        """The benchmark's probabilities summed over finished rounds (floats: exact sums of a thousand
        priors' fractions would grow huge denominators for nothing)."""
        sums: dict[str, float] = defaultdict(float)
        for r in self.finished:
            sums["rounds"] += 1
            for k, v in r.expected.items():
                sums[k] += float(v)
        return sums

    def _theory_sums(self) -> dict[str, float]:
        return self._sums

    def lecture(self) -> list[dict[str, Any]]:
        """The lecture's empirical figures beside the class and the model (all [unverified], spec §7)."""
        done, sums = self.finished, self._theory_sums()
        allied = [r for r in done if r.state.alliance == 1]
        alone = [r for r in done if r.state.alliance == 0]
        class_effect = _relative(
            _share(sum(r.terminal != "SQ" for r in allied), len(allied)),
            _share(sum(r.terminal != "SQ" for r in alone), len(alone)),
        )
        theory_effect = _relative(
            _ratio(sums["a1:challenged"], sums["a1"]), _ratio(sums["a0:challenged"], sums["a0"])
        )
        tested = [r for r in done if r.state.alliance == 1 and r.terminal in WAR]
        params = self.log.engine_params()
        rows = [
            {
                "key": "defence_pact",
                "measure": "challenge_rate_allied_vs_not",
                "class": class_effect,
                "class_n": [len(allied), len(alone)],
                "theory": theory_effect,
                **LECTURE_FIGURES["defence_pact"],
            },
            {
                "key": "reliability",
                "measure": "honoured_share_of_tested",
                "class": _share(sum(r.terminal == "WAR_I" for r in tested), len(tested)),
                "class_n": [len(tested)],
                "theory": _ratio(sums["a1:honoured"], sums["a1:attacked"]),
                **LECTURE_FIGURES["reliability"],
            },
        ]
        for kind in (AllianceType.OFFENSIVE, AllianceType.NEUTRALITY):
            rows.append(
                {
                    "key": kind.value,
                    "measure": "challenge_rate_vs_defence_pact",
                    "class": None,
                    "class_n": [],
                    "applies": params.alliance_type is kind,
                    "theory": _treaty_effect(params, kind),
                    **LECTURE_FIGURES[kind.value],
                }
            )
        return rows

    # ----- Module D: preventive diplomacy -----
    def preventive_diplomacy(self) -> dict[str, Any] | None:
        """Module D (§9.3, §9.9): of the finished rounds that reached the preventive-diplomacy draw (Japan
        resisted a challenge), how many the ARF defused, with an alliance behind Japan (a = 1) and without
        (a = 0), beside the model's chance phi_a(e).  The chance depends on the CBM choices e each round
        actually reached, so each row gives the mean of phi_a(e) over its rounds, split by e too, next to
        the scenario's chances at the benchmark's CBM choices.  None without Module D."""
        params = self.log.engine_params()
        if not params.arf:
            return None
        reached = [r for r in self.finished if r.state.arf_draw is not None]
        return {
            "benchmark": _arf_benchmark(params),
            "total": _arf_counts(reached),
            "rows": [_arf_row([r for r in reached if (r.state.alliance or 0) == a], a) for a in (1, 0)],
        }

    # ----- choices at each node -----
    def node_shares(self) -> list[dict[str, Any]]:
        """Students' (event kind `move`) choices at every node and information set, beside the benchmark
        probability at that information set averaged over the decisions made there."""
        by_node: dict[str, list[Decision]] = defaultdict(list)
        for r in self.finished:
            for d in r.decisions:
                if d.student:
                    by_node[d.node].append(d)
        out = []
        for node in NODE_ORDER:
            decisions = by_node.get(node)
            if not decisions:
                continue
            by_set: dict[str, list[Decision]] = defaultdict(list)
            for d in decisions:
                by_set[d.infoset.key].append(d)
            out.append(
                {
                    "node": node,
                    "role": game.MOVER[node],
                    **_shares(decisions, node),
                    "infosets": [
                        {"infoset": key, **by_set[key][0].infoset.as_dict(), **_shares(by_set[key], node)}
                        for key in sorted(by_set)
                    ],
                }
            )
        return out

    def infoset_shares(self) -> dict[str, dict[str, Any]]:
        return {s["infoset"]: s for node in self.node_shares() for s in node["infosets"]}

    # ----- deviations -----
    def deviations(self) -> dict[str, Any]:
        rows: dict[str, dict[str, Any]] = {}
        for r in self.finished:
            for d in r.decisions:
                if not d.student:
                    continue
                row = rows.setdefault(d.role, {"role": d.role, "decisions": 0, "deviations": 0, "cost": ZERO})
                row["decisions"] += 1
                if d.deviation:
                    row["deviations"] += 1
                    row["cost"] += d.cost or ZERO
        return {
            "rows": [
                {
                    **row,
                    "cost": float(row["cost"]),
                    "cost_points": round(float(row["cost"]) * 100, 2),
                    "mean_cost_points": round(float(row["cost"]) * 100 / row["deviations"], 2)
                    if row["deviations"]
                    else None,
                    "share": _share(row["deviations"], row["decisions"]),
                }
                for role in ROLES
                if (row := rows.get(role))
            ]
        }

    # ----- reputation -----
    def reputation(self) -> list[dict[str, Any]]:
        """Per group: the Challenger's belief about US resolve over rounds and the events that moved it."""
        groups: dict[int, list[RoundAnalysis]] = defaultdict(list)
        for r in self.finished:
            groups[r.log.group].append(r)
        out = []
        for number in sorted(groups):
            points = []
            for r in sorted(groups[number], key=lambda x: x.log.number):
                u, a = r.update, r.state.alliance or 0
                events = (
                    [("alliance_formed" if a else "no_alliance")] if r.state.params.alliance_allowed else []
                )
                if r.terminal == "WAR_I":
                    events.append("commitment_honoured" if a else "ad_hoc_intervention")
                elif r.terminal == "WAR_S":
                    events.append("commitment_broken" if a else "stayed_out")
                points.append(
                    {
                        "round": r.log.number,
                        "round_id": r.log.id,
                        "us_type": r.log.us_type,
                        "prior": float(r.log.prior),
                        "mu_after_alliance": u.mu_after_alliance if u else None,
                        "mu_after_intervention": u.mu_after_intervention if u else None,
                        "pi_next": u.pi_next if u else None,
                        "events": events,
                        "outcome": r.outcome,
                    }
                )
            out.append({"group": number, "points": points})
        return out

    # ----- a student's own debrief -----
    def student(self, participant_id: str) -> list[dict[str, Any]]:
        """See `student_debrief` (computed from `as_dict()`, which the pages cache)."""
        return student_debrief(self.as_dict(), participant_id)

    # ----- everything -----
    def summary(self) -> dict[str, Any]:
        """The aggregates (no individual rounds): what students may see once the debrief is released."""
        params = self.log.engine_params()
        return {
            "code": self.log.code,
            "params": dict(self.log.params),
            "scenario": {
                "alliance_type": params.alliance_type.value,
                "tripwire": params.tripwire,
                "module_a": params.module_a,
                "module_c": params.module_c,
                "module_d": params.arf,
            },
            "thresholds": base_thresholds(params),
            "rounds": {"total": len(self.rounds), "finished": len(self.finished)},
            "outcomes": self.outcomes(),
            "by_condition": self.by_condition(),
            "rates": self.rates(),
            "lecture": self.lecture(),
            "preventive_diplomacy": self.preventive_diplomacy(),
            "nodes": self.node_shares(),
            "deviations": self.deviations(),
            "events": dict(sum((Counter(r.counts) for r in self.rounds), Counter())),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "reputation": self.reputation(),
            "round_list": [r.as_dict(self.log) for r in self.rounds],
        }


def _arf_chance(r: RoundAnalysis) -> Fraction:
    """phi_a(e): the ARF's chance in the round, at its CBM choices e and after its alliance decision a."""
    return r.state.core.phi(r.state.alliance or 0)


def _arf_counts(rounds: list[RoundAnalysis]) -> dict[str, Any]:
    """Draws, defusals, the observed rate and the mean model chance over `rounds`."""
    n = len(rounds)
    defused = sum(r.state.arf_draw == "defused" for r in rounds)
    mean = sum((_arf_chance(r) for r in rounds), ZERO) / n if n else None
    return {
        "n": n,
        "defused": defused,
        "failed": n - defused,
        "rate": _share(defused, n),
        "theory": float(mean) if mean is not None else None,
        "theory_exact": str(mean) if mean is not None else None,
    }


def _arf_row(rounds: list[RoundAnalysis], alliance: int) -> dict[str, Any]:
    """One alliance decision's draws, in all and by the CBM choices reached (`e10`: Japan's CBMs only)."""
    by_cbm: dict[str, list[RoundAnalysis]] = defaultdict(list)
    for r in rounds:
        by_cbm["e" + "".join(map(str, r.state.cbm or (0, 0)))].append(r)
    return {
        "alliance": alliance,
        **_arf_counts(rounds),
        "by_cbm": [
            {"cbm": key, "phi": float(_arf_chance(group[0])), **_arf_counts(group)}
            for key, group in sorted(by_cbm.items())
        ],
    }


def _arf_benchmark(params: Params) -> dict[str, Any]:
    """The scenario's ARF chances at the benchmark's CBM choices e* (at the base prior; Module A: at the
    benchmark's arming choice)."""
    bench = benchmark(params, params.base_prior)
    assert bench.arf is not None, "Module D is on"
    armed = bool(bench.arm)
    e = bench.arf[armed].e
    core = params.core(armed, e)
    return {"cbm": "e" + "".join(map(str, e)), "a1": float(core.phi(1)), "a0": float(core.phi(0))}


def student_debrief(report: Mapping[str, Any], participant_id: str) -> list[dict[str, Any]]:
    """A student's own debrief from a class report (`ClassDebrief.as_dict()`): for each finished round they
    sat in, each of their decisions with what theory predicted, what they chose, and the share of the
    class's students who chose the same at the same information set (`class_share`, of `class_n`)."""
    shares = {s["infoset"]: s for node in report["nodes"] for s in node["infosets"]}
    out = []
    for r in report["round_list"]:
        role = next((role for role, seat in r["seats"].items() if seat["id"] == participant_id), None)
        if role is None or not r["finished"]:
            continue
        mine = []
        for d in r["decisions"]:
            if d["participant"] != participant_id or d["role"] != role:
                continue
            same = shares.get(d["infoset"], {})
            chosen = same.get("actions", {}).get(d["action"], {})
            mine.append({**d, "class_share": chosen.get("share"), "class_n": same.get("n", 0)})
        out.append(
            {"round": r["number"], "round_id": r["id"], "group": r["group"], "role": role, "decisions": mine}
        )
    return out


def base_thresholds(params: Params) -> dict[str, float | None]:
    """The §3.3 thresholds of the scenario (they do not depend on the prior; Module A: unarmed)."""
    t = benchmark(params, params.base_prior).solution(False).thresholds
    return _thresholds_json(t)


def _thresholds_json(thresholds: Any) -> dict[str, Any]:
    """§3.3's thresholds as floats (Module D's are pairs, by alliance decision: lists)."""

    def number(v: Any) -> Any:
        if isinstance(v, tuple):
            return [float(x) for x in v]
        return None if v is None else float(v)

    return {k: number(v) for k, v in dataclasses.asdict(thresholds).items()}


def _shares(decisions: list[Decision], node: str) -> dict[str, Any]:
    n = len(decisions)
    counts = Counter(d.action for d in decisions)
    theory: dict[str, float] = defaultdict(float)
    for d in decisions:
        for action, p in d.probs.items():
            theory[action] += float(p)
    return {
        "n": n,
        "actions": {
            action: {
                "count": counts.get(action, 0),
                "share": _share(counts.get(action, 0), n),
                "theory": float(theory[action] / n) if n else None,
            }
            for action in game.ACTIONS[node]
        },
    }


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den else None


def _relative(x: float | None, y: float | None) -> float | None:
    """x / y - 1 (None when either is missing or y is 0)."""
    if x is None or not y:
        return None
    return x / y - 1


def _treaty_effect(params: Params, kind: AllianceType) -> float | None:
    """The model's relative change in Pr(challenge) when this scenario's numbers carry treaty `kind`
    instead of a plain defence pact (at the base prior)."""
    base = params.replace(alliance_type=AllianceType.DEFENCE_PACT, pi=params.base_prior, pi0=None)
    other = params.replace(alliance_type=kind, pi=params.base_prior, pi0=None)
    try:
        x = path_summary(solve(other).main.path)
        y = path_summary(solve(base).main.path)
    except ValueError:
        return None
    challenged = [sum((s.get(f"a{a}:challenged", ZERO) for a in (0, 1)), ZERO) for s in (x, y)]
    return _relative(float(challenged[0]), float(challenged[1]))


def class_debrief(log: ClassLog) -> ClassDebrief:
    analyzer = Analyzer(log.engine_params())
    return ClassDebrief(log=log, rounds=[analyzer.analyse(r, log) for r in log.rounds])


def rebuild(data: Mapping[str, Any]) -> dict[str, Any]:
    """The debrief of an `export.json`, recomputed from its log alone."""
    return class_debrief(ClassLog.from_json(data)).as_dict()
