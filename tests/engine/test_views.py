"""Per-role views (§2.2, DESIGN.md protocol): each role sees exactly its own private information."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from fractions import Fraction as F
from typing import Any

import pytest

from games.crisis import game, views
from games.crisis.game import State
from games.crisis.params import AllianceType, Params
from games.crisis.solver import solve

SCENARIOS = {
    "core": Params(),
    "tripwire": Params(tripwire=True),
    "A": Params(module_a=True),
    "C": Params(module_c=True),
    "neutrality": Params(alliance_type=AllianceType.NEUTRALITY),
}
TYPE_WORDS = {"resolute", "non_resolute", "determined", "hesitant"}


def every_state(state: State) -> Iterator[State]:
    """Every state reachable from `state`, including both Module C type draws."""
    yield state
    for action in game.legal_actions(state):
        child = game.apply(state, action)
        if child.ctype is not None and state.ctype is None:
            for t in ("L", "H"):
                yield from every_state(dataclasses.replace(child, ctype=t))
        else:
            yield from every_state(child)


def all_states(params: Params) -> list[State]:
    return [s for theta in ("R", "N") for s in every_state(game.new_round(params, us_type=theta, seed=1))]


def walk(obj: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, key, value) for every dict entry and list item in a JSON-like object."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield f"{path}.{key}", key, value
            yield from walk(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield f"{path}[{i}]", None, value
            yield from walk(value, f"{path}[{i}]")


@pytest.fixture(params=list(SCENARIOS), ids=list(SCENARIOS))
def states(request: pytest.FixtureRequest) -> list[State]:
    return all_states(SCENARIOS[request.param])


def test_us_sees_its_own_type_w_and_g_at_every_node(states: list[State]) -> None:
    for state in states:
        private = views.view_for(state, "us")["private"]
        core = state.core
        assert private == {"us_type": "resolute" if state.theta == "R" else "non_resolute",
                           "w": float(core.w(state.theta)), "g": float(core.g(state.theta))}


def test_japan_has_no_private_information(states: list[State]) -> None:
    assert all(views.view_for(s, "japan")["private"] == {} for s in states)


def test_challenger_sees_its_type_only_once_drawn(states: list[State]) -> None:
    for state in states:
        private = views.view_for(state, "challenger")["private"]
        if state.ctype is None:
            assert private == {}
        else:
            name = {"L": "determined", "H": "hesitant"}[state.ctype]
            assert private == {"challenger_type": name, "cC": float(state.core.cC_t(state.ctype)),
                               "cCa": float(state.core.cCa_t(state.ctype))}


def test_no_view_leaks_another_roles_type(states: list[State]) -> None:
    for state in states:
        for role in game.ROLES:
            view = views.view_for(state, role)
            for path, key, value in walk(view):
                if key in views.PRIVATE_KEYS:
                    assert views.PRIVATE_OWNER[key] == role, (role, path)
                    assert path.startswith(".private."), path
                if isinstance(value, str) and value in TYPE_WORDS:
                    assert path in (".private.us_type", ".private.challenger_type"), (role, path)
            if role != "us":
                assert not {"w", "g"} & set(view["private"])


def test_other_roles_views_do_not_depend_on_the_hidden_types(states: list[State]) -> None:
    """The strong form: swap theta (and the Challenger's type) and a non-owner's view stays identical."""
    for state in states:
        flipped = dataclasses.replace(state, theta="N" if state.theta == "R" else "R")
        for role in ("japan", "challenger"):
            assert views.view_for(state, role) == views.view_for(flipped, role)
        if state.ctype is not None:
            other = dataclasses.replace(state, ctype="H" if state.ctype == "L" else "L")
            for role in ("japan", "us"):
                assert views.view_for(state, role) == views.view_for(other, role)


def test_views_are_json_ready_with_float_numbers(states: list[State]) -> None:
    for state in states[:40]:
        for role in game.ROLES:
            view = views.view_for(state, role)
            assert json.loads(json.dumps(view)) == view
            for _path, _key, value in walk(view):
                assert not isinstance(value, F)


def test_actions_are_listed_only_for_the_mover(states: list[State]) -> None:
    for state in states:
        mover = game.to_move(state)
        for role in game.ROLES:
            view = views.view_for(state, role)
            assert view["node"] == state.node and view["to_move"] == mover
            assert view["actions"] == (list(game.legal_actions(state)) if role == mover else [])


def test_public_block_holds_parameters_effective_costs_and_belief() -> None:
    state = game.new_round(Params(tripwire=True), prior=F(3, 5), seed=0)
    public = views.view_for(state, "japan")["public"]
    assert public["pi"] == public["belief"] == 0.6
    assert public["wR"] == 1.0 and public["wN"] == 0.3  # both public: which one is the US's is not
    assert (public["K"], public["R"], public["K1"]) == (0.2, 0.15, 0.1)
    assert public["tripwire"] is True and public["alliance_type"] == "defence_pact"
    assert public["effective"]["hands_tied"] is True
    assert "benchmark_belief" not in public


def test_history_is_the_public_move_list() -> None:
    state = game.replay(Params(), None, "N", 0, ["alliance", "challenge"])
    assert views.view_for(state, "challenger")["history"] == game.public_history(state)


def test_outcome_shows_each_role_only_its_own_payoff() -> None:
    state = game.replay(Params(), None, "N", 0, ["alliance", "challenge", "resist", "attack", "stay_out"])
    assert "outcome" not in views.view_for(game.new_round(Params(), seed=0), "us")
    for role in game.ROLES:
        outcome = views.view_for(state, role)["outcome"]
        assert outcome["terminal"] == "WAR_S" and outcome["label"] == "ABANDONMENT"
        assert outcome["qualifier"] is None
        assert set(outcome["payoffs"]) == {role}
        assert outcome["payoffs"][role] == float(game.payoffs(state)[role])


def test_benchmark_belief_only_on_the_toggle_and_after_the_alliance_decision() -> None:
    bench = solve(Params())
    root = game.new_round(Params(), seed=0)
    after = game.apply(root, "alliance")
    assert "benchmark_belief" not in views.view_for(after, "japan", solution=bench)["public"]
    assert "benchmark_belief" not in views.view_for(root, "japan", show_benchmark_belief=True,
                                                    solution=bench)["public"]
    shown = views.view_for(after, "japan", show_benchmark_belief=True, solution=bench.main)["public"]
    assert shown["benchmark_belief"] == pytest.approx(0.8)
    no = game.apply(root, "no_alliance")
    assert views.view_for(no, "challenger", show_benchmark_belief=True,
                          solution=bench)["public"]["benchmark_belief"] == 0.0


def test_instructor_and_debrief_views_show_everything() -> None:
    state = game.replay(Params(module_c=True), None, "N", 2, ["alliance", "challenge", "resist", "attack",
                                                             "intervene"])
    full = views.debrief_view(state)
    assert full["us_type"] == "non_resolute"
    assert full["challenger_type"] in ("determined", "hesitant")
    assert set(full["outcome"]["payoffs"]) == set(game.ROLES)
    assert full["private"]["us"]["us_type"] == "non_resolute"
    assert json.loads(json.dumps(full)) == full
    assert views.instructor_view(game.new_round(Params(), seed=0))["challenger_type"] is None


def test_unknown_role_is_rejected() -> None:
    with pytest.raises(ValueError):
        views.view_for(game.new_round(Params(), seed=0), "instructor")


def test_private_keys() -> None:
    assert views.private_keys() == {"us_type", "challenger_type"}
