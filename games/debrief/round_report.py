"""The full debrief of one round, for its page: what each player saw at each decision, every
IC-surviving equilibrium, the bargaining ranges and the whole game tree with the path taken."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from fractions import Fraction
from typing import Any

from games.crisis import analysis, bots, claims, game, views
from games.crisis.analysis import solution_at
from games.crisis.game import ROLES, State
from games.crisis.solver import Benchmark, Solution, bargaining_range, round_benchmark
from games.debrief.class_log import ENGINE_KINDS, ClassLog, EventLog
from games.debrief.round_analysis import (
    ONE,
    STAGE_ZERO,
    ZERO,
    Analyzer,
    RoundAnalysis,
    infoset_of,
    label_key,
    no_alliance,
    thresholds_json,
)


def round_debrief(log: ClassLog, round_id: int) -> dict[str, Any]:
    """Everything the round page shows, JSON-ready (see `RoundAnalysis.as_dict` for the common part)."""
    r = next((x for x in log.rounds if x.id == round_id), None)
    if r is None:
        raise KeyError(round_id)
    params = log.engine_params_of(r.number)  # the stage in force for the round
    analyzer = Analyzer(params)
    result = analyzer.analyse(r, log, all_values=True)
    out = result.as_dict(log)
    bench = analyzer.benchmark(r.prior)
    out["steps"] = steps(log, result)
    out["knowledge"] = _knowledge(result)
    out["module_a"] = params.module_a
    out["module_c"] = params.module_c
    out["stage"] = stage_json(log, r.number)
    solution = result.solution or solution_at(bench, result.state)
    out["thresholds"] = thresholds_json(solution.thresholds)
    out["hands_tied"] = solution.hands_tied
    out["effective"] = {
        k: float(getattr(solution.core, k))
        for k in ("K", "R", "K1", "p", "p2", "c1", "c1a", "cC", "cCa", "beta", "sigma")
    }
    out["equilibria"] = equilibria(solution, result)
    out["bargaining"] = bargaining(solution, result)
    out["tree"] = game_tree(bench, result)
    out["theory"] = round_theory(bench, result.state) if result.finished else None
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


def round_theory(bench: Benchmark, state: State) -> dict[str, Any]:
    """What theory says about a finished round's crisis (`claims.round_claims`: general deterrence and
    Japan's response after the alliance decision made, at the benchmark belief, with their reasons) and, had
    everyone known the US type, the probability of war (§3.4), as claims for the page to word."""
    solution = solution_at(bench, state)
    return {
        "crisis": [claim.as_json() for claim in claims.round_claims(bench, state)],
        "complete": claims.complete_information_claim(solution, state.theta).as_json(),
    }


def _path_json(e: Any) -> dict[str, Any]:
    return {
        "theta": e.theta,
        "alliance": e.alliance,
        "terminal": e.terminal,
        "ctype": e.ctype,
        "prob": float(e.prob),
        "outcome": label_key(e.terminal, e.alliance),
    }


def round_replay(log: ClassLog, round_id: int) -> dict[str, Any]:
    """The replay page's data: the round (as in the class report, with every action value) and its steps."""
    r = next((x for x in log.rounds if x.id == round_id), None)
    if r is None:
        raise KeyError(round_id)
    result = Analyzer(log.engine_params_of(r.number)).analyse(r, log, all_values=True)
    return {**result.as_dict(log), "steps": steps(log, result), "stage": stage_json(log, r.number)}


def stage_json(log: ClassLog, number: int) -> dict[str, Any] | None:
    """The scenario round `number` played, when the class switched scenarios (None: it never did)."""
    stage = log.stage_of(number) if log.switches else None
    if stage is None:
        return None
    return {
        "index": log.stages.index(stage) + 1,
        "first_round": stage.first_round,
        "scenario": stage.scenario,
        "name_en": stage.name_en,
        "name_ja": stage.name_ja,
    }


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
    bench = round_benchmark(params, r.prior)
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
    root, _stage = subgame_root(round_benchmark(result.state.params, result.state.prior), result)
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
            out[label_key(s.result, s.alliance or 0)] += prob
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
                outcome=label_key(s.result, s.alliance or 0),
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
