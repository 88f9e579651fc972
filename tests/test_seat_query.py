"""The move path's hand-written SQL (`games.play.services.seat_query`) loads exactly what the ORM queries it
replaces load: the seated participant's current round, its class, its group's number and its three seat
holders. Checked on the database of this run, and on the other one (SQLite or PostgreSQL) in a subprocess."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db.models import F, Model, Q

from games.crisis.game import ROLES
from games.models import ClassSession, Participant, Round
from games.play import services
from games.play.services import seat_query
from tests.conftest import IN_CI, ROOT, clean_environment
from tests.live import make_class, mover, play_first_actions, state

pytestmark = pytest.mark.django_db(transaction=True)


def fields(obj: Model) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def orm_seat_round(participant_id: object) -> Round | None:
    """What `lock_seated_rounds` stands for, for one participant, in the ORM (without the lock)."""
    seated = Q(japan_id=participant_id) | Q(us_id=participant_id) | Q(challenger_id=participant_id)
    current = Round.objects.filter(seated, number=F("class_session__current_round"))
    return current.select_related("class_session", "group", *ROLES).first()


def assert_same_round(participant: Participant) -> None:
    orm = orm_seat_round(participant.pk)
    assert_batch_loader_agrees(participant, orm)
    if orm is None:
        return
    loaded = seat_query.lock_seated_rounds([participant.pk])[str(participant.pk)]
    assert seat_query.loaded_seats(loaded) == {getattr(orm, role).pk: getattr(orm, role) for role in ROLES}
    bare = Round.objects.get(pk=orm.pk)  # a round loaded without its seats, as the clock loads it
    found = seat_query.load_seats(bare, participant.pk)
    assert found is not None and fields(found) == fields(Participant.objects.get(pk=participant.pk))
    for role in ROLES:
        assert fields(getattr(bare, role)) == fields(getattr(orm, role))


def assert_batch_loader_agrees(participant: Participant, orm: Round | None) -> None:
    """`lock_seated_rounds` (the move path's loader: a statement for the rounds, one for their seats and
    classes) loads the same round, class, group number and seats as the ORM."""
    loaded = seat_query.lock_seated_rounds([participant.pk])
    if orm is None:
        assert loaded == {}
        return
    batch = loaded[str(participant.pk)]
    assert set(loaded) == {str(getattr(orm, f"{role}_id")) for role in ROLES}  # its three seats
    assert fields(batch) == fields(orm)
    assert fields(batch.class_session) == fields(orm.class_session)
    assert all(getattr(batch, role).class_session is batch.class_session for role in ROLES)
    assert (batch.group.pk, batch.group.number) == (orm.group.pk, orm.group.number)
    for role in ROLES:
        assert fields(getattr(batch, role)) == fields(getattr(orm, role))


def test_the_raw_loaders_equal_the_orm_in_every_state_of_a_class(baseline_scenario):
    class_session, people = make_class(baseline_scenario, students=5, rounds=2, bots_fill=True)
    for person in people:  # the lobby: nobody is seated
        assert seat_query.lock_seated_rounds([person.pk]) == {} and orm_seat_round(person.pk) is None
    services.start_class(class_session.code)
    seated = [*people, *Participant.objects.filter(class_session=class_session, is_bot=True)]
    for person in seated:  # round 1: every student and bot, in groups of three
        assert_same_round(person)
    play_first_actions(class_session, people)
    for person in seated:  # the class has ended: the last round's rows are still the current ones
        assert_same_round(person)


def test_a_participant_of_another_class_finds_no_round_here(baseline_scenario):
    first, _ = make_class(baseline_scenario, students=3)
    _, others = make_class(baseline_scenario, students=3)
    services.start_class(first.code)
    assert seat_query.lock_seated_rounds([others[0].pk]) == {}


def test_a_batch_loads_each_round_once_with_one_class_object_per_class(baseline_scenario):
    first, people = make_class(baseline_scenario, students=6)
    second, others = make_class(baseline_scenario, students=3)
    services.start_class(first.code)
    services.start_class(second.code)
    loaded = seat_query.lock_seated_rounds([p.pk for p in [*people, *others]])
    rounds = {id(rnd): rnd for rnd in loaded.values()}.values()
    assert len(loaded) == 9 and len(rounds) == 3  # three groups, each round one object for its seats
    classes = {rnd.class_session.pk: rnd.class_session for rnd in rounds}
    assert sorted(classes) == sorted([first.pk, second.pk])
    assert all(rnd.class_session is classes[rnd.class_session_id] for rnd in rounds)  # shared


def test_the_class_closing_queries_equal_the_orm(baseline_scenario):
    """`lock_class` and `round_still_playing` (what a finished round's batch asks of its class) answer as
    the ORM queries they replace, through a class round's end."""
    class_session, people = make_class(baseline_scenario, students=6, rounds=2, bots_fill=False)
    services.start_class(class_session.code)

    def check() -> None:
        class_session.refresh_from_db()
        locked = seat_query.lock_class(class_session.pk)
        assert fields(locked) == fields(ClassSession.objects.get(pk=class_session.pk))
        current = Round.objects.filter(class_session=class_session, number=class_session.current_round)
        playing = current.filter(status=Round.Status.PLAYING)
        assert seat_query.round_still_playing(locked) == playing.exists()
        for rnd in current:
            assert seat_query.round_still_playing(locked, exclude=rnd.pk) == (
                playing.exclude(pk=rnd.pk).exists()
            )

    check()  # both groups playing
    first_group = [p for p in people if state(p)[1]["you"]["group"] == 1]
    assert len(first_group) == 3
    while (turn := mover(first_group)) is not None:
        person, seq, view = turn
        services.submit_move(person.pk, view["round"]["actions"][0], f"m{seq}", seq)
    check()  # one group finished, the other playing
    play_first_actions(class_session, people)
    check()  # the class has ended


LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/crisis_table"  # the CI machine's, as `make test` sets


@pytest.mark.slow
def test_the_equivalence_holds_on_the_other_database_too(settings):
    """CI runs on PostgreSQL and `make run` on SQLite: the raw SQL must be right on both."""
    env = clean_environment()  # SQLite
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:  # this run is on SQLite
        if not IN_CI and not _reachable(LOCAL_POSTGRES):
            pytest.skip("the PostgreSQL half needs a PostgreSQL server on 127.0.0.1:5432")
        env = clean_environment(DATABASE_URL=LOCAL_POSTGRES)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k", "raw_loaders"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 passed" in run.stdout


def _reachable(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False
