"""What `participant_view.build_state` adds for the student's page (docs/student-ui.md): the lobby's
names and the student's next role."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from games.crisis.game import ROLES
from games.models import ClassSession, Round
from games.play import broadcast, participant_view, services
from games.realtime import publish
from games.realtime.groups import participant_group
from tests.live import make_class, mover, state

pytestmark = pytest.mark.django_db


def test_the_lobby_lists_the_latest_names_and_counts_everyone(baseline_scenario, monkeypatch):
    monkeypatch.setattr(participant_view, "LOBBY_NAMES", 3)
    class_session, people = make_class(baseline_scenario, students=2)
    _, view = state(people[0])
    assert view["lobby"] == {"joined": 2, "autostart": None, "names": ["Student 2", "Student 1"]}
    for i in range(3, 6):
        services.join_class(class_session.code, f"Student {i}", f"browser-late-{i}")
    _, view = state(people[0])
    assert view["lobby"]["joined"] == 5
    assert view["lobby"]["names"] == ["Student 5", "Student 4", "Student 3"]


def test_the_next_role_is_the_role_played_in_the_next_round(baseline_scenario):
    class_session, people = make_class(
        baseline_scenario, students=3, rounds=3, bots_fill=False, result_seconds=0
    )
    services.start_class(class_session.code)
    now = timezone.now()
    for number in (1, 2):
        promised = {p.pk: state(p)[1]["you"]["next_role"] for p in people}
        assert sorted(promised.values()) == sorted(ROLES)
        while (turn := mover(people)) is not None:
            person, seq, view = turn
            services.submit_move(person.pk, view["round"]["actions"][0], f"m-{person.pk}-{seq}", seq, now=now)
        now += timedelta(seconds=5)
        services.sweep(now=now)
        class_session.refresh_from_db()
        assert class_session.current_round == number + 1
        assert {p.pk: state(p)[1]["you"]["role"] for p in people} == promised
    assert all("next_role" not in state(p)[1]["you"] for p in people)  # the last round: none


def test_random_matching_promises_no_next_role(baseline_scenario):
    class_session, people = make_class(
        baseline_scenario, students=3, rounds=2, matching=ClassSession.Matching.RANDOM
    )
    services.start_class(class_session.code)
    assert all("next_role" not in state(p)[1]["you"] for p in people)


@pytest.mark.parametrize("show_benchmark_belief", [False, True])
def test_a_view_built_with_the_rounds_shared_public_part_is_the_view_built_alone(
    baseline_scenario, show_benchmark_belief
):
    """Pushes build a round's public part once for its three seats (`round_public`): every seat's view,
    at every decision and at the end, must be what it is when built on its own."""
    from games.models import Participant, Round
    from games.play.round_state import state_of

    class_session, people = make_class(
        baseline_scenario, students=3, show_benchmark_belief=show_benchmark_belief
    )
    services.start_class(class_session.code)
    checked = 0
    while True:
        rnd = Round.objects.get(class_session=class_session, number=1)
        cls = ClassSession.objects.get(pk=class_session.pk)
        engine_state = state_of(rnd, cls)
        public = participant_view.round_public(rnd, cls, engine_state)
        for person in Participant.objects.filter(pk__in=[p.pk for p in people]):
            alone = participant_view.build_state(person, cls, rnd, engine_state)
            shared = participant_view.build_state(person, cls, rnd, engine_state, public=public)
            assert shared == alone and "public" in shared[1]["round"]
            checked += 1
        turn = mover(people)
        if turn is None:
            break
        person, seq, view = turn
        services.submit_move(person.pk, view["round"]["actions"][0], f"m{checked}", seq)
    assert rnd.status == Round.Status.FINISHED and checked >= 9


def test_a_push_read_from_the_database_carries_each_seats_own_state(baseline_scenario):
    """`broadcast.push_round` (after a duplicate or a refused stale move) sends each seated student the
    same frame as their own `state` on connect, and staff a summary."""
    class_session, people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    person, seq, view = mover(people)
    services.submit_move(person.pk, view["round"]["actions"][0], "m-1", seq)
    rnd = Round.objects.get(class_session=class_session)
    sent: list[tuple[str, dict]] = []
    with mock.patch.object(publish, "_deliver", side_effect=sent.extend):
        broadcast.push_round(rnd.pk)
    frames = {group: json.loads(m["frame"]) for group, m in sent if m["type"] == "state.push"}
    assert len(frames) == 3
    for p in people:
        own_seq, own_view = state(p)
        frame = frames[participant_group(p.pk)]
        assert (frame["seq"], frame["view"]) == (own_seq, json.loads(json.dumps(own_view)))
    assert [m["type"] for _, m in sent if m["type"] != "state.push"] == ["class.changed"]
