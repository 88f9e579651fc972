"""Module D (crisis-model.md §9) in live play through `games.play.services`: the CBM nodes, the public
preventive-diplomacy draw, timeouts and bots at the CBM nodes, replay, the DEF outcome and reputation."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from fractions import Fraction

import pytest

from games.crisis import game
from games.models import ClassSession, Event, Round, Scenario
from games.play import participant_view, round_state, services
from tests.live import make_class, mover, play_first_actions, state

pytestmark = pytest.mark.django_db

D1 = "arf-d1-both-build-confidence"
CBM_MOVERS = {"cbm_japan": "japan", "cbm_challenger": "challenger"}
# Students build confidence, the US stays out of an alliance, the Challenger challenges, Japan resists:
# every round reaches the preventive-diplomacy draw, at phi = psi * (dphi1 + dphiC) = 7/20 (a=0, e=(1,1)).
PREFERRED = ("cbm", "no_alliance", "challenge", "resist", "attack", "stay_out")
PHI = Fraction(7, 20)


def choose(view):
    actions = view["round"]["actions"]
    return next((a for a in PREFERRED if a in actions), actions[0])


def draw(class_seed: int, number: int) -> bool:
    return game.draw_preventive_diplomacy(f"{class_seed}:1:{number}", PHI)


@pytest.fixture
def d1():
    return Scenario.objects.get(slug=D1)


def seed_defusing_round_1_not_round_2() -> int:
    """A class seed whose (only) group's round 1 draw defuses and round 2 draw fails (bounded search)."""
    return next(s for s in range(1, 1000) if draw(s, 1) and not draw(s, 2))


def test_a_d1_class_plays_to_the_end_with_students_at_the_cbm_nodes(d1, monkeypatch):
    seed = seed_defusing_round_1_not_round_2()
    class_session, people = make_class(d1, students=3, rounds=3, seed=seed)
    services.start_class(class_session.code)
    seen: list[tuple[str, str, list[str]]] = []  # (node, role of the one who may move, actions)

    def watch(view):
        rnd = view["round"]
        if rnd["node"] in CBM_MOVERS:
            seen.append((rnd["node"], view["you"]["role"], rnd["actions"]))
            # The mover alone has actions; everyone sees the same node and mover.
            for person in people:
                _seq, other = state(person)
                theirs = other["round"]
                assert (theirs["node"], theirs["to_move"]) == (rnd["node"], CBM_MOVERS[rnd["node"]])
                mine = other["you"]["role"] == CBM_MOVERS[rnd["node"]]
                assert theirs["actions"] == (["cbm", "no_cbm"] if mine else [])
        return choose(view)

    checked_arf = []
    original_submit = services.submit_move

    def submit_and_check(participant_id, action, move_id, seq, **kwargs):
        result = original_submit(participant_id, action, move_id, seq, **kwargs)
        rnd = Round.objects.get(pk=result.round_id)
        if action == "resist":  # every player sees the public draw and the ARF's chances
            for person in people:
                _seq, view = state(person)
                history = view["round"]["history"]
                assert history[-1]["node"] == "preventive_diplomacy", history
                assert history[-1]["role"] is None and history[-1]["auto"] == "arf"
                assert history[-1]["action"] in ("defused", "failed")
                assert history[-2] == {"node": "response", "role": "japan", "action": "resist"}
                assert view["round"]["public"]["arf"] == {"phi_if_allied": 0.7, "phi_if_not_allied": 0.35}
                assert view["round"]["public"]["cbm"] == {"japan": 1, "challenger": 1}
            last = rnd.events.order_by("-seq").first()
            assert (last.kind, last.node, last.role, last.action) == ("move", "response", "japan", "resist")
            checked_arf.append(rnd.number)
        return result

    monkeypatch.setattr(services, "submit_move", submit_and_check)
    play_first_actions(class_session, people, choose=watch)
    monkeypatch.undo()

    assert ClassSession.objects.get(pk=class_session.pk).status == ClassSession.Status.FINISHED
    assert [(node, role) for node, role, _ in seen] == [
        ("cbm_japan", "japan"),
        ("cbm_challenger", "challenger"),
    ] * 3
    assert all(actions == ["cbm", "no_cbm"] for _, _, actions in seen)
    assert checked_arf == [1, 2, 3]
    rounds = list(Round.objects.filter(class_session=class_session).order_by("number"))
    assert [r.status for r in rounds] == ["finished"] * 3
    for rnd in rounds:
        # The CBM decisions are logged with the mover who made them; the draw itself is the engine's.
        cbm = list(
            rnd.events.filter(node__in=CBM_MOVERS).order_by("seq").values_list("node", "role", "action")
        )
        assert cbm == [("cbm_japan", "japan", "cbm"), ("cbm_challenger", "challenger", "cbm")]
        assert round_state.snapshot(round_state.replay_round(rnd)) == rnd.state  # the log is the truth
        assert rnd.reputation is not None and "pi_next" in rnd.reputation
        draws = [e for e in rnd.state["history"] if e.get("auto") == "arf"]
        assert len(draws) == 1 and draws[0]["action"] == (
            "defused" if draw(class_session.seed, rnd.number) else "failed"
        )
    first, second = rounds[0], rounds[1]
    assert first.state["result"] == "DEF" and second.state["result"] != "DEF"
    assert second.events.filter(node="attack").exists()  # the failed draw leaves the Challenger to decide
    services.release_debrief(class_session.code)
    report = participant_view.round_debrief(first, ClassSession.objects.get(pk=class_session.pk))
    assert (report["terminal"], report["label"], report["qualifier"]) == (
        "DEF",
        "PREVENTIVE_DIPLOMACY_SUCCEEDED",
        "unbacked",
    )
    assert report["arf"]["preventive_diplomacy"] == "defused"
    assert report["reputation"] == first.reputation


def test_a_timeout_at_a_cbm_node_plays_the_benchmark_action(d1):
    class_session, _people = make_class(d1, students=3, rounds=1)
    services.start_class(class_session.code)
    prior = Fraction(Round.objects.get(class_session=class_session).prior)
    bench = round_state.benchmark_for(class_session, prior)
    for node, role in CBM_MOVERS.items():
        rnd = Round.objects.get(class_session=class_session)
        assert rnd.node == node and rnd.deadline is not None  # a student holds the seat: a real deadline
        late = rnd.deadline + timedelta(seconds=1)
        assert services.sweep(now=late) == 1
        event = rnd.events.order_by("-seq").first()
        assert (event.kind, event.node, event.role) == ("timeout", node, role)
        e1 = 1 if node == "cbm_challenger" else None  # Japan's timeout played its benchmark `cbm`
        assert bench.cbm_behaviour(node, e1=e1)[event.action] == 1  # stage 0 is in pure strategies
    rnd = Round.objects.get(class_session=class_session)
    assert rnd.node == "alliance" and [e.action for e in rnd.events.order_by("seq")] == ["cbm", "cbm"]


def test_bots_fill_the_cbm_decisions_and_replay_reproduces_the_rounds(d1):
    class_session, people = make_class(d1, students=1, rounds=2)
    services.start_class(class_session.code)
    play_first_actions(class_session, people, choose=choose)
    events = Event.objects.filter(round__class_session=class_session)
    by_node = Counter((e.node, e.kind) for e in events if e.node in CBM_MOVERS)
    assert sum(by_node.values()) == 4  # two CBM decisions in each of two rounds
    assert any(kind == "bot" for (_node, kind) in by_node)
    for e in events.filter(kind="bot", node__in=CBM_MOVERS):
        assert e.participant.is_bot and e.role == CBM_MOVERS[e.node]
    for rnd in Round.objects.filter(class_session=class_session):
        assert rnd.status == "finished" and rnd.reputation is not None
        assert round_state.snapshot(round_state.replay_round(rnd)) == rnd.state
    assert mover(people) is None
