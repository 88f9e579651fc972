"""What `participant_view.build_state` adds for the student's page (docs/student-ui.md): the lobby's
names and the student's next role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from games.crisis.game import ROLES
from games.models import ClassSession
from games.play import participant_view, services
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
