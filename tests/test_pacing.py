"""The instructor sets the pace: a class can wait between rounds until the instructor starts the next one,
and the result can be shown longer. Students see their points so far and are told when the server moved
for them (a timeout, a stand-in, the instructor)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from games.crisis import game
from games.models import ClassSession, Participant, Round
from games.play import participant_view, round_state, services
from tests.live import make_class, mover

pytestmark = pytest.mark.django_db


def finish_round(class_session: ClassSession, people: list[Participant], now) -> None:
    """Play the current round to its end: the students take their first action, bots move in the sweep."""
    for step in range(50):
        turn = mover(people)
        if turn is not None:
            person, seq, view = turn
            action = view["round"]["actions"][0]
            services.submit_move(person.pk, action, f"p-{step}-{person.pk}", seq, now=now)
        elif not Round.objects.filter(class_session=class_session, status=Round.Status.PLAYING).exists():
            return
        else:
            services.sweep(now=now + timedelta(seconds=step))
    raise AssertionError("the round did not finish")


def test_a_class_paced_by_the_instructor_waits_between_rounds(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2, pace="instructor")
    services.start_class(class_session.code)
    now = timezone.now()
    with pytest.raises(services.ServiceError) as early:
        services.next_round_now(class_session.code)
    assert early.value.code == "round_not_over"
    finish_round(class_session, people, now)
    class_session.refresh_from_db()
    assert class_session.current_round == 1 and class_session.next_round_at is None
    services.sweep(now=now + timedelta(hours=1))  # nothing starts by itself
    class_session.refresh_from_db()
    assert class_session.current_round == 1
    _seq, view = participant_view.participant_state(people[0].pk)
    assert view["class"]["pace"] == "instructor" and view["round"]["outcome"]
    services.next_round_now(class_session.code)
    class_session.refresh_from_db()
    assert class_session.current_round == 2
    finish_round(class_session, people, now)
    with pytest.raises(services.ServiceError) as last:
        services.next_round_now(class_session.code)
    assert last.value.code in ("last_round", "not_running")


def test_an_automatic_class_moves_on_and_its_result_can_be_shown_longer(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2, result_seconds=10)
    services.start_class(class_session.code)
    with pytest.raises(services.ServiceError) as none:
        services.extend_result(class_session.code)
    assert none.value.code == "no_countdown"
    finish_round(class_session, people, timezone.now())
    class_session.refresh_from_db()
    due = class_session.next_round_at
    services.extend_result(class_session.code)
    class_session.refresh_from_db()
    assert class_session.next_round_at == due + timedelta(seconds=30)
    services.sweep(now=due + timedelta(seconds=1))
    class_session.refresh_from_db()
    assert class_session.current_round == 1  # the original moment has passed, the extended one not yet
    services.sweep(now=due + timedelta(seconds=31))
    class_session.refresh_from_db()
    assert class_session.current_round == 2


def test_every_student_gains_the_payoff_of_each_round(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=1)
    services.start_class(class_session.code)
    finish_round(class_session, people, timezone.now())
    rnd = Round.objects.get(class_session=class_session)
    payoffs = game.payoffs(round_state.state_of(rnd, class_session))
    for role in game.ROLES:
        holder = Participant.objects.get(pk=getattr(rnd, f"{role}_id"))
        assert holder.points == pytest.approx(float(payoffs[role]))
        _seq, view = participant_view.participant_state(holder.pk)
        assert view["you"]["points"] == pytest.approx(float(payoffs[role]))


def test_a_student_is_told_when_the_timeout_or_the_instructor_moved_for_them(baseline_scenario):
    class_session, _people = make_class(baseline_scenario, students=3, rounds=1, decision_seconds=30)
    services.start_class(class_session.code)
    rnd = Round.objects.get(class_session=class_session)
    assert services.force_timeout(rnd.pk)  # the instructor plays the US's alliance decision
    late = timezone.now() + timedelta(seconds=31)
    services.sweep(now=late)  # the Challenger's decision runs out of time
    rnd.refresh_from_db()
    assert rnd.moved_for[0] == {"node": "alliance", "role": "us", "by": "instructor"}
    assert rnd.moved_for[1]["node"] == "challenge" and rnd.moved_for[1]["by"] == "timeout"
    us = Participant.objects.get(pk=rnd.us_id)
    _seq, view = participant_view.participant_state(us.pk)
    assert view["round"]["moved_for"] == rnd.moved_for
