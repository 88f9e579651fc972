"""Queries per move (docs/performance.md): the move path stays a handful of statements, and the views pushed
after commit are built from memory, without a query. A regression here costs throughput at once."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from games.play import broadcast, services
from tests.live import make_class, mover

pytestmark = pytest.mark.django_db

# Lock the round (with its group's number); read its three seats with their class; insert the event;
# update the round.
MOVE_STATEMENTS = 4


def statements(queries: list[dict[str, str]]) -> list[str]:
    """The SQL that does work (transaction control, which depends on the test's own transaction, aside)."""
    control = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")
    return [q["sql"] for q in queries if not q["sql"].upper().startswith(control)]


def test_a_move_in_the_middle_of_a_round_costs_four_statements_and_its_push_none(
    baseline_scenario, django_capture_on_commit_callbacks
):
    class_session, people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    person, seq, view = mover(people)
    assert view["round"]["node"] == "alliance"  # the round goes on after this move (challenge next)
    sent: list[list[tuple[str, dict]]] = []
    with mock.patch.object(broadcast, "send_all", side_effect=sent.append):
        with django_capture_on_commit_callbacks() as callbacks, CaptureQueriesContext(connection) as move:
            services.submit_move(person.pk, "alliance", "q-1", seq)
        with CaptureQueriesContext(connection) as push:
            for callback in callbacks:
                callback()
    assert len(statements(move.captured_queries)) == MOVE_STATEMENTS, statements(move.captured_queries)
    assert statements(push.captured_queries) == []
    (messages,) = sent
    frames = [json.loads(m["frame"]) for _, m in messages if m["type"] == "state.push"]
    assert len(frames) == 3 and {f["view"]["round"]["seq"] for f in frames} == {1}
    assert {f["view"]["round"]["node"] for f in frames} == {"challenge"}


def test_a_retry_of_an_applied_move_is_found_by_its_id(baseline_scenario):
    """The move-id look-up runs only for a stale seq, which is what a retry of an applied move carries."""
    class_session, people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    person, seq, _ = mover(people)
    services.submit_move(person.pk, "alliance", "q-2", seq)
    again = services.submit_move(person.pk, "alliance", "q-2", seq)
    assert again.duplicate
    with pytest.raises(services.MoveRejected) as refused:  # another id on the old seq: stale
        services.submit_move(person.pk, "alliance", "q-3", seq)
    assert refused.value.code == "stale"
