"""Moves resolved in batches (DESIGN.md "Layers", move resolution; docs/performance.md "Moves in batches"):
`services.submit_moves` applies a batch in one transaction and writes its rows at its end,
`tasks.resolve_batch` answers every move of it in one batch of pushes after the commit, and
`tasks.resolve_moves` drains a shard of the in-process queue (`move_queue.LocalQueue`, embedded mode).
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from games.models import Event, Participant, Round
from games.play import move_queue, services, tasks
from games.play.move_queue import LocalQueue, QueuedMove
from games.play.services import MoveRejected
from games.realtime import publish
from tests.live import make_class, mover, state

pytestmark = pytest.mark.django_db


def seated_groups(scenario: Any, groups: int) -> list[list[Participant]]:
    """A running class of `groups` groups of three students; each group's people, in seat order."""
    class_session, people = make_class(scenario, students=3 * groups)
    services.start_class(class_session.code)
    by_group: dict[int, list[Participant]] = {}
    for person in people:
        by_group.setdefault(state(person)[1]["you"]["group"], []).append(person)
    return list(by_group.values())


def request(person: Participant, action: str, move_id: str, seq: int) -> services.MoveRequest:
    return services.MoveRequest(str(person.pk), action, move_id, seq)


def first_move(group: list[Participant], move_id: str) -> services.MoveRequest:
    person, seq, view = mover(group)
    return request(person, view["round"]["actions"][0], move_id, seq)


def idle_one(group: list[Participant]) -> Participant:
    moving = mover(group)[0]
    return next(p for p in group if p.pk != moving.pk)


def applied_ids() -> list[str]:
    return list(Event.objects.filter(kind="move").order_by("pk").values_list("move_id", flat=True))


# ----- services.submit_moves ------------------------------------------------------------------------


def test_a_batch_applies_its_good_moves_and_refuses_the_others_without_undoing_them(baseline_scenario):
    a, b, c = seated_groups(baseline_scenario, 3)
    good_a, good_c = first_move(a, "a-1"), first_move(c, "c-1")
    idle = idle_one(b)
    b_seq = state(idle)[0]
    stale = first_move(b, "b-stale")
    stale = services.MoveRequest(stale.participant_id, stale.action, "b-stale", stale.seq - 1)
    batch = [
        good_a,
        request(idle, "alliance", "b-turn", b_seq),  # not their turn
        services.MoveRequest(first_move(b, "x").participant_id, "teleport", "b-illegal", b_seq),
        stale,
        good_c,
    ]
    outcomes = services.submit_moves(batch)
    assert [o.request.move_id for o in outcomes] == [m.move_id for m in batch]
    assert outcomes[0].result is not None and not outcomes[0].result.duplicate
    assert [o.refusal.code for o in outcomes[1:4]] == ["not_your_turn", "illegal_action", "stale"]
    assert outcomes[4].result is not None
    assert applied_ids() == ["a-1", "c-1"]


def test_a_batch_writes_its_rows_in_a_few_statements_whatever_its_size(baseline_scenario):
    """One transaction (a savepoint here: the test runs inside one), no savepoint per move, one INSERT of
    its events and, on PostgreSQL, one UPDATE of its rounds: the count does not grow with the batch."""

    def statements(batch: list[services.MoveRequest]) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            services.submit_moves(batch)
        return [q["sql"].upper() for q in captured.captured_queries]

    small, large = seated_groups(baseline_scenario, 1), seated_groups(baseline_scenario, 5)
    # two classes: the first class's groups are set before the second exists
    few = statements([first_move(group, f"s{i}") for i, group in enumerate(small)])
    many = statements([first_move(group, f"l{i}") for i, group in enumerate(large)])
    for sql in (few, many):
        assert sum(s.startswith("SAVEPOINT") for s in sql) == 1
        assert sum(s.startswith("INSERT") for s in sql) == 1
    if connection.vendor == "postgresql":
        assert len(many) == len(few)
        assert sum(s.startswith("UPDATE") for s in many) == 1
    assert sorted(applied_ids()) == ["l0", "l1", "l2", "l3", "l4", "s0"]
    for rnd in Round.objects.filter(events__move_id__in=["s0", "l0", "l4"]):
        assert (rnd.seq, rnd.node) == (1, rnd.state["node"]) and rnd.state["history"]


def test_a_move_id_used_before_in_its_round_is_refused_alone(baseline_scenario):
    """A client that reuses an applied move's id on a later decision: the batch's bulk INSERT is refused,
    and the batch is applied again move by move, each in its savepoint, so only that move is refused."""
    a, b = seated_groups(baseline_scenario, 2)
    services.submit_moves([first_move(a, "used")])
    reused, fine = first_move(a, "used"), first_move(b, "fine")
    outcomes = services.submit_moves([reused, fine])
    assert outcomes[0].refusal is not None and outcomes[0].refusal.code == "stale"
    assert outcomes[1].result is not None and not outcomes[1].result.duplicate
    assert sorted(applied_ids()) == ["fine", "used"]


def test_a_deferred_batch_writes_what_moves_one_by_one_write(baseline_scenario):
    """Two classes alike (same seed, same students): one plays every decision one move at a time
    (`submit_move`), the other each decision of all its groups as one batch; the rounds (to the end:
    payoffs, reputation, schedule), events, groups' reputation and points come out the same."""
    from games.models import Group

    def play(batched: bool) -> Any:
        groups = seated_groups_seeded(baseline_scenario, 3, seed=20261206)
        step = 0
        while movers := [m for group in groups if (m := mover(group)) is not None]:
            batch = [request(p, view["round"]["actions"][-1], f"m{step}-{i}", seq)
                     for i, (p, seq, view) in enumerate(movers)]  # fmt: skip
            if batched:
                assert all(o.result for o in services.submit_moves(batch))
            else:
                for move in batch:
                    services.submit_move(move.participant_id, move.action, move.move_id, move.seq)
            step += 1
        class_session = Participant.objects.get(pk=groups[0][0].pk).class_session
        rounds = Round.objects.filter(class_session=class_session).order_by("group__number")
        return (
            [(r.seq, r.node, r.state, r.status, r.reputation, r.moved_for, r.due_at is None) for r in rounds],
            [list(r.events.values_list("seq", "kind", "node", "role", "action", "payload")) for r in rounds],
            list(Group.objects.filter(class_session=class_session).values_list("number", "prior", "us_type")),
            sorted(class_session.participants.filter(is_bot=False).values_list("name", "points")),
            (class_session.current_round, class_session.status, class_session.next_round_at is None),
        )

    one_by_one, batched = play(False), play(True)
    assert batched == one_by_one
    rounds, events, _, points, _ = batched
    assert all(status == "finished" for _, _, _, status, *_ in rounds) and all(len(e) >= 2 for e in events)
    assert any(p != 0 for _, p in points)


def seated_groups_seeded(scenario: Any, groups: int, *, seed: int) -> list[list[Participant]]:
    class_session, people = make_class(scenario, students=3 * groups, seed=seed)
    services.start_class(class_session.code)
    by_group: dict[int, list[Participant]] = {}
    for person in people:
        by_group.setdefault(state(person)[1]["you"]["group"], []).append(person)
    return [by_group[number] for number in sorted(by_group)]


def test_a_move_that_fails_mid_write_is_rolled_back_alone(baseline_scenario, monkeypatch):
    """The failing move has already changed its round in memory when it fails: the rest of the batch must
    not build on that (its round is put back as it was), and none of its rows are written."""
    from games.play.services import moves

    (a, b) = seated_groups(baseline_scenario, 2)
    bad, good = first_move(a, "boom"), first_move(b, "fine")
    again = services.MoveRequest(bad.participant_id, bad.action, "boom-again", bad.seq)
    real_record = moves.record

    def record(*args: Any, **kwargs: Any) -> None:
        real_record(*args, **kwargs)
        if kwargs.get("move_id") == "boom":
            raise RuntimeError("a bug in one move, after its writes")

    monkeypatch.setattr(moves, "record", record)
    outcomes = services.submit_moves([bad, good, again])
    assert [o.failed for o in outcomes] == [True, False, False]
    assert outcomes[2].result is not None  # the same round, read again: its seq as the database has it
    assert sorted(applied_ids()) == ["boom-again", "fine"]


def test_the_loader_finds_every_seat_and_passes_over_an_id_that_is_not_one(baseline_scenario):
    """One loader for a batch and for a move on its own (tests/test_seat_query.py checks what it loads
    against the ORM): a malformed participant id finds no round, and a move from it is refused."""
    from games.play.services import moves

    groups = seated_groups(baseline_scenario, 2)
    people = [p for group in groups for p in group]
    loaded = moves._load_rounds([p.pk for p in people] + ["not-a-uuid"])
    assert set(loaded) == {str(p.pk) for p in people}
    assert len({id(rnd) for rnd in loaded.values()}) == 2  # one object per round
    with pytest.raises(MoveRejected) as refused:
        services.submit_move("not-a-uuid", "alliance", "x", 0)
    assert refused.value.code == "not_seated"


def test_the_same_move_twice_in_a_batch_is_applied_once_and_order_decides(baseline_scenario):
    (group,) = seated_groups(baseline_scenario, 1)
    person, seq, view = mover(group)
    first, second = view["round"]["actions"][:2]
    outcomes = services.submit_moves([
        request(person, first, "m-1", seq),
        request(person, first, "m-1", seq),  # the client's resend, in the same batch
        request(person, second, "m-2", seq),  # a second tab, too late
    ])  # fmt: skip
    assert outcomes[0].result is not None and not outcomes[0].result.duplicate
    assert outcomes[1].result is not None and outcomes[1].result.duplicate
    assert outcomes[2].refusal is not None and outcomes[2].refusal.code == "stale"
    assert list(Event.objects.values_list("move_id", "action")) == [("m-1", first)]


# ----- tasks.resolve_batch: answers, in one batch of pushes ---------------------------------------------


@pytest.mark.django_db(transaction=True)  # real commits: the pushes go out after them
def test_a_batch_is_answered_in_one_batch_of_pushes_after_its_commit(baseline_scenario):
    a, b = seated_groups(baseline_scenario, 2)
    good = first_move(a, "good")
    idle = idle_one(b)
    refused = request(idle, "alliance", "refused", state(idle)[0])
    batches: list[list[tuple[str, dict[str, Any]]]] = []
    real_send_all = publish.send_all

    def send_all(messages: list[tuple[str, dict[str, Any]]]) -> None:
        if publish._BATCH.get() is None:
            batches.append(list(messages))
        real_send_all(messages)

    moves = [
        QueuedMove(str(i), m.participant_id, m.action, m.move_id, m.seq)
        for i, m in enumerate([good, refused])
    ]
    with mock.patch.object(publish, "send_all", side_effect=send_all):
        tasks.resolve_batch(moves)
    (messages,) = batches
    states = [json.loads(m["frame"]) for _, m in messages if m["type"] == "state.push"]
    errors = [m for _, m in messages if m["type"] == "error.push"]
    assert len(states) == 3 and {s["view"]["round"]["seq"] for s in states} == {1}
    assert [(e["code"], e["ref"]) for e in errors] == [("not_your_turn", "refused")]


@pytest.mark.django_db(transaction=True)
def test_the_move_that_ends_a_class_round_is_answered_before_every_students_view_is_built(baseline_scenario):
    """The class-wide push (every student's view) takes long to build in a big class: the batch's own
    answers are delivered before it, not held until it is built (docs/performance.md, "A batch of one")."""
    (group,) = seated_groups(baseline_scenario, 1)
    deliveries: list[list[tuple[str, dict[str, Any]]]] = []
    with mock.patch.object(publish, "_deliver", side_effect=lambda messages: deliveries.append(messages)):
        for step in range(10):
            person, seq, view = mover(group)
            deliveries.clear()
            action = view["round"]["actions"][0]
            tasks.resolve_batch([QueuedMove(str(step), str(person.pk), action, f"m{step}", seq)])
            if Round.objects.get(japan__in=group).status == Round.Status.FINISHED:
                break
            assert len(deliveries) == 1  # a move that does not end the round: one batch of pushes
    own, everyone = deliveries  # the class round ended: the move's answers first, then the class push
    own_states = [json.loads(m["frame"]) for _, m in own if m["type"] == "state.push"]
    assert len(own_states) == 3 and all(s["view"]["round"]["outcome"] for s in own_states)
    assert sum(m["type"] == "state.push" for _, m in everyone) == 3
    assert "class.changed" in {m["type"] for _, m in everyone}


def test_malformed_queued_moves_are_answered_or_dropped(baseline_scenario):
    (group,) = seated_groups(baseline_scenario, 1)
    person, seq, _ = mover(group)
    sent: list[tuple[str, dict[str, Any]]] = []
    with mock.patch.object(publish, "_BATCH") as held:
        held.get.return_value = sent
        tasks.resolve_batch([
            QueuedMove("1", "not-a-uuid", "alliance", "x", seq),
            QueuedMove("2", str(person.pk), "alliance", "", seq),
            QueuedMove("3", str(person.pk), "alliance", "ok", "12x"),
        ])  # fmt: skip
    assert [m["code"] for _, m in sent if m["type"] == "error.push"] == ["bad_message", "bad_message"]
    assert applied_ids() == []


# ----- the in-process queue and the task that drains it ------------------------------------------------


async def test_the_local_queue_starts_one_task_per_shard_and_lets_go_only_when_empty(settings):
    settings.MOVE_SHARDS = 1
    queue = LocalQueue()
    started = await queue.append("p1", "alliance", "m1", 1)
    assert started is not None
    shard, owner = started
    assert await queue.append("p2", "alliance", "m2", 1) is None  # a task is pending: no second one
    assert queue.claim(shard, owner) and not queue.claim(shard, "another")
    taken = queue.take(shard, 10)
    assert [m.move_id for m in taken] == ["m1", "m2"]
    assert await queue.append("p3", "alliance", "m3", 1) is None  # arrives while the task works
    assert queue.finish(shard, owner, taken) is False  # so the task takes again instead of leaving
    again = queue.take(shard, 10)
    assert [m.move_id for m in again] == ["m3"]
    assert queue.finish(shard, owner, again) is True
    assert await queue.append("p4", "alliance", "m4", 1) is not None  # let go: the next move starts one
    assert queue.stats() == {"batches": 2, "moves": 3}


async def test_moves_taken_and_not_acknowledged_are_taken_again_first(settings):
    settings.MOVE_SHARDS = 1
    settings.MOVE_LEASE_SECONDS = 0.1
    queue = LocalQueue()
    shard, owner = await queue.append("p1", "a", "m1", 1) or (0, "")
    queue.claim(shard, owner)
    assert [m.move_id for m in queue.take(shard, 10)] == ["m1"]  # ... and the task dies here
    await queue.append("p2", "a", "m2", 1)
    assert queue.rescue() == []  # the lease still runs
    import time

    time.sleep(0.15)
    ((rescued_shard, successor),) = queue.rescue()
    assert rescued_shard == shard and queue.claim(shard, successor)
    assert [m.move_id for m in queue.take(shard, 10)] == ["m1", "m2"]


def test_resolve_moves_drains_a_shard_in_batches(baseline_scenario, settings, monkeypatch):
    settings.MOVE_SHARDS = 1
    settings.MOVE_BATCH_MAX = 2
    queue = LocalQueue()
    monkeypatch.setattr(move_queue, "get_queue", lambda: queue)
    groups = seated_groups(baseline_scenario, 3)
    from asgiref.sync import async_to_sync

    started = []
    for i, group in enumerate(groups):
        m = first_move(group, f"g{i}")
        started.append(async_to_sync(queue.append)(m.participant_id, m.action, m.move_id, m.seq))
    (shard, owner), *later = started
    assert later == [None, None]  # one task for the shard, started as `owner`
    assert tasks.resolve_moves.apply(args=(shard,), task_id=owner).get() == 3
    assert queue.stats() == {"batches": 2, "moves": 3}
    assert sorted(applied_ids()) == ["g0", "g1", "g2"]
    assert queue.take(0, 10) == []


def test_a_shard_held_by_another_task_is_left_to_it(settings, monkeypatch):
    settings.MOVE_SHARDS = 1
    queue = LocalQueue()
    monkeypatch.setattr(move_queue, "get_queue", lambda: queue)
    assert queue.claim(0, "running")
    assert tasks.resolve_moves.apply(args=(0,), task_id="second").get() == 0


def test_the_shard_is_a_stable_hash_of_the_participant():
    assert move_queue.shard_of("0b7a4c4e-5b7e-4b8e-9a39-2a4f1d1e2f3a", 8) == move_queue.shard_of(
        "0b7a4c4e-5b7e-4b8e-9a39-2a4f1d1e2f3a", 8
    )
    assert len({move_queue.shard_of(f"p{i}", 4) for i in range(100)}) == 4


def test_a_batch_that_finishes_every_round_of_a_class_round_moves_the_class_on(baseline_scenario):
    """The class is closed after the batch's moves (its lock taken last): both last moves in one batch."""
    groups = seated_groups(baseline_scenario, 2)
    for i, group in enumerate(groups):  # the US decides; the Challenger is next
        services.submit_move(*vars(first_move(group, f"us{i}")).values())
    last = []
    for i, group in enumerate(groups):
        person, seq, view = mover(group)
        assert "status_quo" in view["round"]["actions"]
        last.append(request(person, "status_quo", f"end{i}", seq))
    outcomes = services.submit_moves(last)
    assert all(o.result is not None for o in outcomes)
    class_session = Participant.objects.get(pk=groups[0][0].pk).class_session
    assert class_session.status == "finished" or class_session.next_round_at is not None


def test_the_batch_task_keeps_its_wire_name():
    from wargame.celery import app

    app.loader.import_default_modules()
    assert "games.tasks.resolve_moves" in app.tasks
