"""What the projector teaches with, built from the rounds and the engine (read only):

* `round_summary`: once every group has finished a class round, how many held, failed or were abandoned,
  what theory expected, and the students' choices at each decision beside theory's probabilities;
* `class_summary`: the same tones over every finished round of the class, for the closing slide;
* `decision_clock`: the current decision's countdown (the latest deadline of the groups still playing);
* `leaderboard`: each role's best students by the points they earned in it (names: only on request).

Theory's numbers are the engine's: the round's benchmark (`round_benchmark`) and its behaviour at each
decision. Private information stays out: at a decision that depends on a player's hidden type, theory's
probability is averaged over the types with the public belief, as the classroom would see it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from fractions import Fraction
from typing import Any

from games.crisis import bots, game
from games.crisis.analysis import solution_at
from games.crisis.debrief import primary_label
from games.crisis.game import State
from games.crisis.solver import Benchmark, round_benchmark
from games.instructor import feeds
from games.instructor.polls import round_polls
from games.models import ClassSession, Event, Round
from games.play.round_state import params_of_round
from games.vocabulary import tones
from games.vocabulary.formats import iso_utc

LEADERS_PER_ROLE = 3


# --------------------------------------------------------------------------------------------------
# The countdown
# --------------------------------------------------------------------------------------------------


def decision_clock(current: list[Round]) -> dict[str, Any]:
    """The current decision's countdown: the latest deadline of the playing rounds (every group's current
    decision is made by then), or the longest time left while the class is paused."""
    playing = [r for r in current if r.status == Round.Status.PLAYING]
    deadlines = [r.deadline for r in playing if r.deadline is not None]
    paused = [r.paused_remaining for r in playing if r.paused_remaining is not None]
    return {
        "deadline": iso_utc(max(deadlines)) if deadlines else None,
        "paused_remaining": max(paused) if paused else None,
    }


# --------------------------------------------------------------------------------------------------
# Tones: what happened and what theory expected
# --------------------------------------------------------------------------------------------------


def outcome_key_of(rnd: Round) -> str | None:
    terminal = (rnd.state or {}).get("result")
    if not terminal:
        return None
    label, qualifier = primary_label(terminal, (rnd.state or {}).get("alliance") or 0)
    return f"{label}/{qualifier}" if qualifier else label


def theory_tones(bench: Benchmark) -> dict[str, float]:
    """The benchmark's probability of each tone in a round, before anyone moves."""
    shares = dict.fromkeys(tones.TONES, Fraction(0))
    for entry in bench.main.path:
        shares[tones.tone(primary_label(entry.terminal, entry.alliance)[0]) or tones.FAILED] += entry.prob
    return {key: float(value) for key, value in shares.items()}


def tone_summary(class_session: ClassSession, finished: list[Round]) -> dict[str, Any]:
    """How many of the finished rounds held, failed or were abandoned, beside theory's mean expectation."""
    counts = tones.count_tones(key for key in map(outcome_key_of, finished) if key)
    expected = dict.fromkeys(tones.TONES, 0.0)
    for rnd in finished:
        params = params_of_round(class_session, rnd.number)
        for key, share in theory_tones(round_benchmark(params, Fraction(rnd.prior))).items():
            expected[key] += share / len(finished)
    return {"n": len(finished), "tones": counts, "theory": expected}


# --------------------------------------------------------------------------------------------------
# Choices at each decision, beside theory
# --------------------------------------------------------------------------------------------------


def public_theory(state: State, bench: Benchmark) -> dict[str, Fraction]:
    """Theory's probabilities at the mover's decision as the classroom sees it: a hidden type (the US's,
    the Module C Challenger's) averaged out with the public belief about it."""
    role = game.to_move(state)
    if role == "us" and state.node not in game.CBM_NODES:
        believed = (
            state.prior if state.node == "alliance" else solution_at(bench, state).belief(state.alliance or 0)
        )
        return _mix(state, bench, "theta", {"R": believed, "N": 1 - believed})
    if state.node == "attack" and state.ctype is not None:
        q = state.params.q
        return _mix(state, bench, "ctype", {"L": q, "H": 1 - q})
    return bots.benchmark_behaviour(state, bench)


def _mix(state: State, bench: Benchmark, field: str, weights: dict[str, Fraction]) -> dict[str, Fraction]:
    out: dict[str, Fraction] = defaultdict(Fraction)
    for value, weight in weights.items():
        if weight:
            for action, prob in bots.benchmark_behaviour(
                dataclasses.replace(state, **{field: value}), bench
            ).items():
                out[action] += weight * prob
    return dict(out)


def choices(class_session: ClassSession, finished: list[Round]) -> list[dict[str, Any]]:
    """Students' own choices at each decision of these rounds (not bots', stand-ins' or timeouts'), with
    theory's probability of each action averaged over the decisions made there; in the game's order."""
    events: dict[int, list[Event]] = defaultdict(list)
    for event in (
        Event.objects.filter(round__in=finished, kind__in=Event.ENGINE_KINDS)
        .only("round_id", "seq", "kind", "action")
        .order_by("round_id", "seq")
    ):
        events[event.round_id].append(event)
    made: dict[str, Counter[str]] = defaultdict(Counter)
    theory: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for rnd in finished:
        params = params_of_round(class_session, rnd.number)
        bench = round_benchmark(params, Fraction(rnd.prior))
        state = game.new_round(params, prior=Fraction(rnd.prior), us_type=rnd.us_type, seed=rnd.seed)
        for event in events[rnd.pk]:
            role = game.to_move(state)
            if event.kind == Event.Kind.MOVE:
                made[state.node][event.action] += 1
                for action, prob in public_theory(state, bench).items():
                    theory[state.node][action] += prob
            state = game.apply(state, event.action, role)
    return [_node_row(node, made[node], theory[node]) for node in game.NODES if made.get(node)]


def _node_row(node: str, made: Counter[str], theory: dict[str, Fraction]) -> dict[str, Any]:
    n = sum(made.values())
    return {
        "node": node,
        "role": game.MOVER.get(node),
        "n": n,
        "actions": [
            {
                "action": action,
                "count": made[action],
                "share": made[action] / n,
                "theory": float(theory[action] / n),
            }
            for action in game.ACTIONS[node]
        ],
    }


# --------------------------------------------------------------------------------------------------
# Between rounds and at the end
# --------------------------------------------------------------------------------------------------


def round_summary(class_session: ClassSession, current: list[Round]) -> dict[str, Any] | None:
    """The class round just finished, once every group has finished it (None before)."""
    if not current or any(r.status != Round.Status.FINISHED for r in current):
        return None
    return {
        "round": class_session.current_round,
        **tone_summary(class_session, current),
        "choices": choices(class_session, current),
    }


def class_summary(class_session: ClassSession) -> dict[str, Any]:
    """Every finished round of the class: the tones beside theory, and the choices at each decision."""
    finished = list(
        Round.objects.filter(class_session=class_session, status=Round.Status.FINISHED).only(
            "pk", "prior", "us_type", "seed", "state", "status"
        )
    )
    return {**tone_summary(class_session, finished), "choices": choices(class_session, finished)}


def leaderboard(class_session: ClassSession) -> dict[str, list[dict[str, Any]]]:
    """Each role's best students by the points they earned in it (a role's payoffs are on its own scale,
    so the roles are not ranked together), at most LEADERS_PER_ROLE each; bots are left out."""
    totals: dict[str, Counter[Any]] = {role: Counter() for role in game.ROLES}
    played: dict[str, Counter[Any]] = {role: Counter() for role in game.ROLES}
    names: dict[Any, str] = {}
    rounds = Round.objects.filter(class_session=class_session, status=Round.Status.FINISHED).select_related(
        "japan", "us", "challenger"
    )
    for rnd in rounds:
        payoffs = (rnd.state or {}).get("payoffs") or {}
        for role in game.ROLES:
            seat = getattr(rnd, role)
            if seat.is_bot or role not in payoffs:
                continue
            names[seat.pk] = seat.name
            totals[role][seat.pk] += Fraction(payoffs[role])
            played[role][seat.pk] += 1
    return {role: _leaders(totals[role], played[role], names) for role in game.ROLES}


def _leaders(totals: Counter[Any], played: Counter[Any], names: dict[Any, str]) -> list[dict[str, Any]]:
    ranked = sorted(totals.items(), key=lambda item: (-item[1], names[item[0]]))[:LEADERS_PER_ROLE]
    return [
        {"name": names[pk], "points": round(float(total) * 100), "rounds": played[pk]} for pk, total in ranked
    ]


# --------------------------------------------------------------------------------------------------
# The projector's data
# --------------------------------------------------------------------------------------------------


def projector_feed(class_session: ClassSession, *, with_leaderboard: bool = False) -> dict[str, Any]:
    """`feeds.projector_snapshot` and what the projector teaches with: the pace and the decision's
    countdown; between rounds the round's summary; at the end the class's; the leaderboard (names) only
    when asked for, once the class has ended."""
    data = feeds.projector_snapshot(class_session)
    current = (
        list(Round.objects.filter(class_session=class_session, number=class_session.current_round))
        if class_session.current_round
        else []
    )
    data["class"] = {**data["class"], **decision_clock(current)}
    data["round_summary"] = round_summary(class_session, current)
    data["polls"] = round_polls(class_session, staff=False)  # counts only until the round is over
    finished = class_session.status == ClassSession.Status.FINISHED
    data["class_summary"] = class_summary(class_session) if finished else None
    if with_leaderboard and finished:
        data["leaderboard"] = leaderboard(class_session)
    return data
