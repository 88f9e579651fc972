"""A round's engine state: the class's parameters, the benchmark each round is judged by, and the
`Round.state` snapshot that caches the engine state between moves (replaying the log must reproduce it).

Parameters and benchmarks are cached per process: a class's parameters never change once it is created.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from games.crisis import game
from games.crisis.game import State
from games.crisis.params import Params, canonical_json, params_from_json
from games.crisis.solver import Benchmark, round_benchmark
from games.models import ClassSession, Event, Round


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


def round_params(class_session: ClassSession, prior: Fraction) -> Params:
    return class_params(class_session).with_round_prior(prior)


def benchmark_for(class_session: ClassSession, prior: Fraction) -> Benchmark:
    return round_benchmark(class_params(class_session), prior)


def exact(x: Fraction) -> str:
    return str(Fraction(x))


def state_of(rnd: Round, class_session: ClassSession | None = None) -> State:
    """The engine state cached in the round's snapshot."""
    class_session = class_session or rnd.class_session
    snap = rnd.state
    return State(
        params=class_params(class_session),
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
    return game.replay(class_params(rnd.class_session), Fraction(rnd.prior), rnd.us_type, rnd.seed, actions)
