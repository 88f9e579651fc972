"""Live-play rules through `games.play.services`: joining, seating, moves, deadlines, reputation, controls."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from games.crisis import game
from games.models import ClassSession, Event, Group, Participant, Round
from games.play import round_state, services
from tests.live import make_class, mover, play_first_actions, state

pytestmark = pytest.mark.django_db


# ----- joining -------------------------------------------------------------------------------------


def test_joining_again_from_the_same_browser_returns_the_same_participant(baseline_scenario):
    class_session = services.create_class(baseline_scenario)
    first = services.join_class(class_session.code.lower(), "Aiko", "browser-1")
    again = services.join_class(f"  {class_session.code} ", "Aiko T.", "browser-1")
    other = services.join_class(class_session.code, "Ben", "browser-2")
    assert again.pk == first.pk and again.name == "Aiko T."
    assert other.pk != first.pk
    assert class_session.participants.filter(is_bot=False).count() == 2


@pytest.mark.parametrize(
    ("code", "name", "status", "error"),
    [
        ("NOPE99", "Aiko", 404, "not_found"),
        ("", "Aiko", 400, "bad_code"),
        (None, "Aiko", 400, "bad_code"),
        ("{code}", "", 400, "bad_name"),
        ("{code}", "x" * 41, 400, "bad_name"),
        ("{code}", "a\x00b", 400, "bad_name"),
        ("{code}", 42, 400, "bad_name"),
    ],
)
def test_bad_joins_get_the_documented_errors(baseline_scenario, code, name, status, error):
    class_session = services.create_class(baseline_scenario)
    code = code.format(code=class_session.code) if isinstance(code, str) else code
    with pytest.raises(services.JoinError) as caught:
        services.join_class(code, name, "browser-x")
    assert (caught.value.status, caught.value.code) == (status, error)
    assert class_session.participants.count() == 0


def test_a_full_or_finished_class_refuses_newcomers(baseline_scenario):
    class_session = services.create_class(baseline_scenario, max_students=1)
    services.join_class(class_session.code, "Aiko", "b1")
    with pytest.raises(services.JoinError) as full:
        services.join_class(class_session.code, "Ben", "b2")
    assert (full.value.status, full.value.code) == (409, "full")
    services.end_class(class_session.code)
    with pytest.raises(services.JoinError) as closed:
        services.join_class(class_session.code, "Cleo", "b3")
    assert (closed.value.status, closed.value.code) == (409, "closed")


def test_autostart_starts_the_class_when_enough_students_joined(baseline_scenario):
    class_session, _people = make_class(baseline_scenario, students=2, autostart=3)
    assert ClassSession.objects.get(pk=class_session.pk).status == "lobby"
    services.join_class(class_session.code, "Third", "b-third")
    class_session.refresh_from_db()
    assert (class_session.status, class_session.current_round) == ("running", 1)


# ----- seating -------------------------------------------------------------------------------------


def test_students_are_grouped_in_threes_and_bots_fill_the_rest(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=7)
    services.start_class(class_session.code)
    rounds = Round.objects.filter(class_session=class_session, number=1)
    assert rounds.count() == 3
    seated = [getattr(r, role) for r in rounds for role in game.ROLES]
    assert sorted(p.name for p in seated if not p.is_bot) == sorted(p.name for p in people)
    assert sum(p.is_bot for p in seated) == 2


def test_without_bots_leftover_students_wait(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=4, bots_fill=False)
    services.start_class(class_session.code)
    assert Round.objects.filter(class_session=class_session).count() == 1
    waiting = [p for p in people if state(p)[1]["you"]["role"] is None]
    assert len(waiting) == 1 and "round" not in state(waiting[0])[1]


def test_fixed_groups_rotate_roles_so_everyone_plays_every_role(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=6, rounds=3)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    roles = {p.pk: Counter() for p in people}
    partners = {p.pk: set() for p in people}
    for rnd in Round.objects.filter(class_session=class_session):
        members = {getattr(rnd, f"{r}_id") for r in game.ROLES}
        for role in game.ROLES:
            pid = getattr(rnd, f"{role}_id")
            roles[pid][role] += 1
            partners[pid] |= members
    assert all(set(c) == set(game.ROLES) and set(c.values()) == {1} for c in roles.values())
    assert all(len(p) == 3 for p in partners.values())  # same group every round


def test_random_matching_reshuffles_students_but_worlds_keep_their_reputation(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=9, rounds=4, matching="random")
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    line_ups = {
        n: {
            frozenset(getattr(r, f"{x}_id") for x in game.ROLES)
            for r in Round.objects.filter(class_session=class_session, number=n)
        }
        for n in range(1, 5)
    }
    assert len({frozenset(v) for v in line_ups.values()}) > 1
    for group in Group.objects.filter(class_session=class_session):
        rounds = list(group.rounds.order_by("number"))
        for before, after in itertools.pairwise(rounds):
            expected = Fraction(before.reputation["pi_next"]).limit_denominator(10**9)
            assert Fraction(after.prior) == expected


# ----- moves ---------------------------------------------------------------------------------------


def seated(people, role):
    for person in people:
        seq, view = state(person)
        if view["you"]["role"] == role:
            return person, seq, view
    raise AssertionError(role)


@pytest.fixture
def running(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3)
    services.start_class(class_session.code)
    return class_session, people


def test_a_move_is_applied_once_and_logged(running):
    class_session, people = running
    us, seq, view = seated(people, "us")
    assert view["round"]["node"] == "alliance" and view["round"]["actions"] == ["alliance", "no_alliance"]
    services.submit_move(us.pk, "alliance", "move-1", seq)
    again = services.submit_move(us.pk, "alliance", "move-1", seq)
    assert again.duplicate
    rnd = Round.objects.get(class_session=class_session)
    assert (rnd.seq, rnd.node) == (1, "challenge")
    assert list(rnd.events.values_list("kind", "role", "action", "move_id")) == [
        ("move", "us", "alliance", "move-1")
    ]


@pytest.mark.parametrize(
    ("who", "action", "stale", "code"),
    [
        ("japan", "resist", False, "not_your_turn"),
        ("us", "attack", False, "illegal_action"),
        ("us", "alliance", True, "stale"),
    ],
)
def test_refused_moves_change_nothing(running, who, action, stale, code):
    class_session, people = running
    person, seq, _ = seated(people, who)
    with pytest.raises(services.MoveRejected) as refused:
        services.submit_move(person.pk, action, "m1", seq - 1 if stale else seq)
    assert refused.value.code == code
    assert Event.objects.filter(round__class_session=class_session).count() == 0


def test_a_student_without_a_seat_or_from_another_class_cannot_move(running, baseline_scenario):
    class_session, _people = running
    _other, others = make_class(baseline_scenario, students=1)
    with pytest.raises(services.MoveRejected) as refused:
        services.submit_move(others[0].pk, "alliance", "m1", 0)
    assert refused.value.code == "not_seated"
    bot = Participant.objects.filter(class_session=class_session, is_bot=True).first()
    assert bot is None  # three students: no bots
    with pytest.raises(services.MoveRejected):
        services.submit_move("00000000-0000-0000-0000-000000000000", "alliance", "m1", 0)
    assert Event.objects.count() == 0


def test_a_paused_class_refuses_moves_and_keeps_the_time_left(running):
    class_session, people = running
    now = timezone.now()
    rnd = Round.objects.get(class_session=class_session)
    left = (rnd.deadline - now).total_seconds()
    services.pause_class(class_session.code, now=now)
    us, seq, view = seated(people, "us")
    assert view["class"]["status"] == "paused" and view["round"]["actions"] == []
    with pytest.raises(services.MoveRejected):
        services.submit_move(us.pk, "alliance", "m1", seq)
    later = now + timedelta(minutes=10)
    assert services.sweep(now=later) == 0
    services.resume_class(class_session.code, now=later)
    rnd.refresh_from_db()
    assert (rnd.deadline - later).total_seconds() == pytest.approx(left)


# ----- deadlines, bots, stand-ins ------------------------------------------------------------------


def test_a_deadline_applies_the_benchmark_action_exactly_once(running):
    class_session, _people = running
    rnd = Round.objects.get(class_session=class_session)
    late = rnd.deadline + timedelta(seconds=1)
    assert services.sweep(now=rnd.deadline - timedelta(seconds=1)) == 0
    assert services.sweep(now=late) == 1
    assert services.sweep(now=late) == 0
    event = Event.objects.get(round=rnd)
    assert (event.kind, event.role) == ("timeout", "us")
    bench = round_state.benchmark_for(class_session, Fraction(rnd.prior)).main
    assert bench.behaviour("alliance", theta=rnd.us_type)[event.action] > 0


def test_a_dropped_student_is_replaced_by_a_bot_after_the_grace_period(running):
    class_session, people = running
    us, _seq, _ = seated(people, "us")
    now = timezone.now()
    services.participant_disconnected(us.pk, now=now)
    assert services.sweep(now=now + timedelta(seconds=class_session.grace_seconds - 1)) == 0
    assert services.sweep(now=now + timedelta(seconds=class_session.grace_seconds + 1)) == 1
    assert Event.objects.get(round__class_session=class_session).kind == "standin"
    services.participant_connected(us.pk)
    assert Participant.objects.get(pk=us.pk).disconnected_at is None


def test_bots_play_their_seats(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=1, rounds=1)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    kinds = Counter(Event.objects.filter(round__class_session=class_session).values_list("kind", flat=True))
    assert kinds["bot"] >= 1 and set(kinds) <= {"bot", "move"}
    bot_events = Event.objects.filter(round__class_session=class_session, kind="bot")
    assert all(e.participant.is_bot for e in bot_events)


# ----- the log is the truth ------------------------------------------------------------------------


def test_replaying_the_log_reproduces_every_finished_round(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=5, rounds=3)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    finished = Round.objects.filter(class_session=class_session, status="finished")
    assert finished.count() == 6
    for rnd in finished:
        assert round_state.snapshot(round_state.replay_round(rnd)) == rnd.state


def test_the_event_log_is_append_only(running):
    _cls, people = running
    us, seq, _ = seated(people, "us")
    services.submit_move(us.pk, "alliance", "m1", seq)
    event = Event.objects.get()
    event.action = "no_alliance"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        Event.objects.update(action="no_alliance")
    with pytest.raises(TypeError):
        event.delete()


def test_reputation_carries_forward_and_the_us_keeps_its_type(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=3)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    rounds = list(Round.objects.filter(class_session=class_session).order_by("number"))
    assert rounds[0].prior == "1/2"
    for before, after in itertools.pairwise(rounds):
        assert Fraction(after.prior) == Fraction(before.reputation["pi_next"]).limit_denominator(10**9)


def test_the_class_finishes_after_its_last_round(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=3, rounds=2)
    services.start_class(class_session.code)
    play_first_actions(class_session, people)
    class_session.refresh_from_db()
    assert (class_session.status, class_session.current_round) == ("finished", 2)
    _seq, view = state(people[0])
    assert view["round"]["outcome"]["label"]


def test_view_seq_grows_with_every_change(running):
    class_session, people = running
    seen = {p.pk: state(p)[0] for p in people}
    us, seq, _ = seated(people, "us")
    services.submit_move(us.pk, "alliance", "m1", seq)
    for p in people:
        assert state(p)[0] > seen[p.pk]
        seen[p.pk] = state(p)[0]
    services.pause_class(class_session.code)
    assert all(state(p)[0] > seen[p.pk] for p in people)


def test_only_the_us_sees_its_type(running):
    _cls, people = running
    for person in people:
        _, view = state(person)
        text = str(view)
        if view["you"]["role"] == "us":
            assert view["round"]["private"]["us_type"] in ("resolute", "non_resolute")
        else:
            assert "us_type" not in text and "resolute" not in text


def test_instructor_advance_applies_the_timeout_now(running):
    class_session, _people = running
    rnd = Round.objects.get(class_session=class_session)
    assert services.force_timeout(rnd.pk)
    event = Event.objects.get(round=rnd)
    assert event.kind == "timeout" and event.payload == {"forced": True}


def test_who_is_to_move_is_always_a_seat_holder(running):
    _cls, people = running
    assert mover(people) is not None


def test_a_class_with_no_students_is_played_by_bots_alone(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=0, rounds=1)
    services.start_class(class_session.code)
    assert Round.objects.filter(class_session=class_session).count() == 1
    play_first_actions(class_session, people)
    class_session.refresh_from_db()
    assert class_session.status == "finished"
    kinds = Event.objects.filter(round__class_session=class_session).values_list("kind", flat=True)
    assert set(kinds) == {"bot"}
