"""A round's engine state: the parameters of each round of a class (its stage plan), the benchmark each
round is judged by, and the `Round.state` snapshot that caches the engine state between moves (replaying
the log must reproduce it).

Parameters and benchmarks are cached per process: a class's parameters and its stages (`ClassStage`, made
in the class's creating transaction) never change once it is created.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from games.crisis import game
from games.crisis.game import State
from games.crisis.params import Params, canonical_json, params_from_json
from games.crisis.solver import Benchmark, round_benchmark
from games.models import ClassSession, Event, Round, Scenario


@dataclass(frozen=True)
class Stage:
    """The scenario a class plays from round `first_round` on (the first stage: the class's own, from 1)."""

    first_round: int
    scenario_id: int | None
    params: dict[str, Any]
    slug: str = ""
    fresh_reputation: bool = False
    engine: Params | None = None  # the parsed `params` (stages after the first; the first: class_params)


_PLANS: OrderedDict[tuple, tuple[Stage, ...]] = OrderedDict()
_PLANS_KEPT = 4096


def _plan_key(class_session: ClassSession) -> tuple:
    # The pk alone could name another class after a rolled-back transaction (SQLite reuses ids).
    return (class_session.pk, class_session.code, class_session.created)


def stage_plan(class_session: ClassSession) -> tuple[Stage, ...]:
    """The class's stages in round order, the class's own scenario first (from round 1). Read once per
    process and class (a move reads none: docs/performance.md, "queries per move"), and not at all for a
    class without a pk (not saved yet)."""
    memo = class_session.__dict__.get("_stage_plan")
    if memo is not None:
        return memo
    if class_session.pk is None:
        return (Stage(1, class_session.scenario_id, class_session.params),)
    key = _plan_key(class_session)
    plan = _PLANS.get(key)
    if plan is None:
        own = Scenario.objects.filter(pk=class_session.scenario_id).values_list("slug", flat=True)
        own_slug = own.first()
        plan = (
            Stage(1, class_session.scenario_id, class_session.params, own_slug or ""),
            *(
                Stage(
                    s.first_round,
                    s.scenario_id,
                    s.params,
                    s.scenario.slug,
                    s.fresh_reputation,
                    params_from_json(canonical_json(s.params)),
                )
                for s in class_session.stages.select_related("scenario").order_by("first_round")
            ),
        )
        _PLANS[key] = plan
        while len(_PLANS) > _PLANS_KEPT:
            _PLANS.popitem(last=False)
    class_session.__dict__["_stage_plan"] = plan
    return plan


def forget_stage_plan(class_session: ClassSession) -> None:
    """Drop this process's memory of the class's stages (after they were written)."""
    class_session.__dict__.pop("_stage_plan", None)
    _PLANS.pop(_plan_key(class_session), None)


def stage_of_round(class_session: ClassSession, number: int) -> Stage:
    """The stage in force for round `number` of the class."""
    plan = stage_plan(class_session)
    if len(plan) == 1:
        return plan[0]
    return [s for s in plan if s.first_round <= max(number, 1)][-1]


def params_of_round(class_session: ClassSession, number: int) -> Params:
    """The engine parameters of round `number` of the class: the class's own before its first stage, then
    each stage's from its first round. Every path (new rounds, moves, replay, benchmarks, pages) asks
    here."""
    stage = stage_of_round(class_session, number)
    if stage.engine is None:
        return class_params(class_session)
    return stage.engine


def class_params(class_session: ClassSession) -> Params:
    """The class's engine parameters, remembered on the instance: a move asks for them five times (state,
    three views, the round's end), and each key to the process-wide cache costs a `json.dumps`."""
    memo = class_session.__dict__.get("_engine_params")
    if memo is None or memo[0] is not class_session.params:
        memo = class_session.__dict__["_engine_params"] = (
            class_session.params,
            params_from_json(canonical_json(class_session.params)),
        )
    return memo[1]


def round_params(class_session: ClassSession, prior: Fraction, number: int) -> Params:
    return params_of_round(class_session, number).with_round_prior(prior)


def benchmark_for(class_session: ClassSession, prior: Fraction, number: int | None = None) -> Benchmark:
    """The benchmark round `number` (None: the class's current round) is judged by, at `prior`."""
    if number is None:
        number = class_session.current_round
    return round_benchmark(params_of_round(class_session, number), prior)


def exact(x: Fraction) -> str:
    return str(Fraction(x))


def state_of(rnd: Round, class_session: ClassSession | None = None) -> State:
    """The engine state cached in the round's snapshot."""
    class_session = class_session or rnd.class_session
    snap = rnd.state
    return State(
        params=params_of_round(class_session, rnd.number),
        prior=Fraction(rnd.prior),
        seed=rnd.seed,
        theta=rnd.us_type,
        node=snap["node"],
        armed=snap.get("armed"),
        alliance=snap.get("alliance"),
        ctype=snap.get("ctype"),
        history=game.history_from_dicts(snap.get("history", [])),
        result=snap.get("result"),
    )


def snapshot(state: State) -> dict[str, Any]:
    snap: dict[str, Any] = {
        "node": state.node,
        "armed": state.armed,
        "alliance": state.alliance,
        "ctype": state.ctype,
        "history": game.public_history(state),
        "result": state.result,
    }
    if game.is_terminal(state):
        snap["payoffs"] = {role: exact(v) for role, v in game.payoffs(state).items()}
    return snap


def replay_round(rnd: Round) -> State:
    """Rebuild the round from its event log alone (the log is the truth; the snapshot is a cache)."""
    actions = [e.action for e in rnd.events.order_by("seq") if e.kind in Event.ENGINE_KINDS]
    params = params_of_round(rnd.class_session, rnd.number)
    return game.replay(params, Fraction(rnd.prior), rnd.us_type, rnd.seed, actions)
