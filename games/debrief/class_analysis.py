"""The class debrief (crisis-model.md §7): outcome shares by condition, deterrence and reliability rates
beside the lecture's figures, students' choice shares at every node beside theory, reputation per group,
Module D's preventive diplomacy, and each student's own decisions. Rebuilt from the log alone, so an
exported `export.json` gives the same report (`rebuild`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from games.crisis import debrief, game
from games.crisis.game import ROLES
from games.crisis.params import AllianceType, Params
from games.crisis.solver import round_benchmark, solve
from games.debrief.class_log import ClassLog
from games.debrief.round_analysis import (
    NODE_ORDER,
    OUTCOMES,
    WAR,
    ZERO,
    Analyzer,
    Decision,
    RoundAnalysis,
    path_summary,
    reached_attack_decision,
    thresholds_json,
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
        groups: dict[tuple, list[RoundAnalysis]] = defaultdict(list)
        for r in self.finished:
            params = r.state.params  # the round's own: a class may switch scenarios (stages)
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

    # ----- treatments: the class's scenario stages -----
    def stages(self) -> list[dict[str, Any]] | None:
        """Before and after each switch of scenario (a treatment within one class): per stage, its
        scenario, its rounds, the outcome shares and the deterrence rates beside theory's for the stage's
        own parameters (the same sums as the whole class's, over the stage's rounds). None when the class
        played one scenario."""
        if not self.log.switches:
            return None
        out = []
        stages = self.log.stages
        for i, stage in enumerate(stages):
            last = (
                stages[i + 1].first_round - 1
                if i + 1 < len(stages)
                else max(self.log.meta.get("rounds") or 0, stage.first_round)
            )
            part = ClassDebrief(
                log=self.log, rounds=[r for r in self.rounds if stage.first_round <= r.log.number <= last]
            )
            params = self.log.engine_params_of(stage.first_round)
            rates = part.rates()
            out.append(
                {
                    "index": i + 1,
                    "scenario": stage.scenario,
                    "name_en": stage.name_en,
                    "name_ja": stage.name_ja,
                    "first_round": stage.first_round,
                    "last_round": last,
                    "fresh_reputation": stage.fresh_reputation,
                    "alliance_type": params.alliance_type.value,
                    "tripwire": params.tripwire,
                    "module_d": params.arf,
                    "params": dict(stage.params),
                    "rounds": len(part.rounds),
                    "outcomes": part.outcomes(),
                    "rates": {
                        key: rates[key] for key in ("general_deterrence", "immediate_deterrence", "war")
                    },
                }
            )
        return out

    # ----- rates -----
    def rates(self) -> dict[str, Any]:
        done = self.finished
        # Immediate deterrence is tried where a crisis reached the Challenger's attack decision: Japan
        # resisted and, with Module D, preventive diplomacy did not defuse the stand-off first.
        standoffs = [r for r in done if reached_attack_decision(r.state)]
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
            "stages": self.stages(),
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
    bench = round_benchmark(params, params.base_prior)
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
    t = round_benchmark(params, params.base_prior).solution(False).thresholds
    return thresholds_json(t)


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
    """Every round analysed with the parameters it played (one analyser per stage of the class)."""
    analyzers: dict[int, Analyzer] = {}
    rounds = []
    for r in log.rounds:
        stage = log.stage_of(r.number)
        key = stage.first_round if stage is not None else 1
        if key not in analyzers:
            analyzers[key] = Analyzer(log.engine_params_of(r.number))
        rounds.append(analyzers[key].analyse(r, log))
    return ClassDebrief(log=log, rounds=rounds)


def rebuild(data: Mapping[str, Any]) -> dict[str, Any]:
    """The debrief of an `export.json`, recomputed from its log alone."""
    return class_debrief(ClassLog.from_json(data)).as_dict()
