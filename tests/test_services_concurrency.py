"""Concurrent submissions on PostgreSQL: the round lock and the unique constraints let exactly one win."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from games.models import Event, Round
from games.play import services
from tests.live import make_class, state

pytestmark = [pytest.mark.integration("postgres"), pytest.mark.django_db(transaction=True)]


def race(calls):
    """Run the calls at once, each in its own thread and database connection; collect outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            outcomes[i] = call()
        except services.MoveRejected as exc:
            outcomes[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def us_of(people):
    for person in people:
        seq, view = state(person)
        if view["you"]["role"] == "us":
            return person, seq
    raise AssertionError


def test_the_same_move_sent_many_times_at_once_is_applied_once(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    us, seq = us_of(people)
    outcomes = race([lambda: services.submit_move(us.pk, "alliance", "same-id", seq)] * 8)
    assert Event.objects.filter(round__class_session=class_session).count() == 1
    assert sum(1 for o in outcomes if isinstance(o, services.MoveResult) and not o.duplicate) == 1
    assert Round.objects.get(class_session=class_session).seq == 1


def test_different_moves_at_the_same_seq_let_exactly_one_win(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    us, seq = us_of(people)
    calls = [
        lambda i=i: services.submit_move(us.pk, ("alliance", "no_alliance")[i % 2], f"id-{i}", seq)
        for i in range(8)
    ]
    outcomes = race(calls)
    assert Event.objects.filter(round__class_session=class_session).count() == 1
    assert sum(isinstance(o, services.MoveResult) for o in outcomes) == 1
    assert {o for o in outcomes if not isinstance(o, services.MoveResult)} == {"stale"}


def test_overlapping_sweeps_apply_a_timeout_once(baseline_scenario):
    class_session, _people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    rnd = Round.objects.get(class_session=class_session)
    late = rnd.deadline.replace(microsecond=0) + __import__("datetime").timedelta(seconds=5)
    race([lambda: services.sweep(now=late)] * 6)
    assert Event.objects.filter(round=rnd).count() == 1
