"""The instructor's controls, each a POST to /instructor/... that calls one service: open a class, start,
pause (the clocks stop and resume with the time that was left), advance a stalled group, end, release."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client

from games.models import ClassSession, Event, Round, Scenario
from games.play import services
from tests.live import make_class

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Staff logins are created per test; the default PBKDF2 hasher would spend a second or two on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


T0 = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)  # sessions stay valid


def post(client: Client, class_session: ClassSession, control: str, **extra: Any) -> Any:
    return client.post(f"/instructor/classes/{class_session.code}/{control}/", **extra)


def last_message(response: Any) -> tuple[str, str]:
    """The message this response added (the test client keeps earlier, unread ones too)."""
    return [(m.tags, str(m)) for m in get_messages(response.wsgi_request)][-1]


def fresh(class_session: ClassSession) -> ClassSession:
    return ClassSession.objects.get(pk=class_session.pk)


# ----- opening a class ----------------------------------------------------------------------------------


def test_an_instructor_opens_a_class_in_the_lobby(admin_client: Client, admin_user: Any) -> None:
    scenario = Scenario.objects.get(slug="tripwire")
    page = admin_client.get(f"/instructor/classes/new/?scenario={scenario.pk}").content.decode()
    assert f'<option value="{scenario.pk}" selected>' in page
    data = {
        "scenario": scenario.pk,
        "rounds": 4,
        "matching": "random",
        "decision_seconds": 45,
        "bots_fill": "on",
        "bot_strategy": "hawkish",
        "autostart": "",
        "max_students": 60,
        "result_seconds": 5,
        "show_benchmark_belief": "on",
        "code": "seminar7",
    }
    response = admin_client.post("/instructor/classes/new/", data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/instructor/classes/SEMINAR7/"
    class_session = ClassSession.objects.get(code="SEMINAR7")
    assert (class_session.status, class_session.scenario, class_session.rounds, class_session.matching) == (
        "lobby",
        scenario,
        4,
        "random",
    )
    assert (
        class_session.decision_seconds,
        class_session.bots_fill,
        class_session.bot_strategy,
        class_session.autostart,
    ) == (
        45,
        True,
        "hawkish",
        None,
    )
    assert (
        class_session.max_students,
        class_session.result_seconds,
        class_session.show_benchmark_belief,
    ) == (60, 5, True)
    assert class_session.params == scenario.params and class_session.created_by == admin_user
    assert ("success", "Class SEMINAR7 is open: students can join now.") == last_message(response)


def test_a_new_class_takes_the_scenario_time_limit_and_a_random_code(admin_client: Client) -> None:
    scenario = Scenario.objects.get(slug="baseline")
    data = {
        "scenario": scenario.pk,
        "rounds": 3,
        "matching": "fixed_rotating",
        "bot_strategy": "equilibrium",
        "max_students": 300,
        "result_seconds": 10,
        "autostart": 6,
    }
    assert admin_client.post("/instructor/classes/new/", data).status_code == 302
    class_session = ClassSession.objects.get()
    assert (
        class_session.decision_seconds,
        class_session.bots_fill,
        class_session.autostart,
        len(class_session.code),
    ) == (90, False, 6, 6)


def test_opening_a_class_with_a_taken_code_says_so(admin_client: Client) -> None:
    class_session, _ = make_class(students=0, code="TAKEN1")
    data = {
        "scenario": class_session.scenario.pk,
        "rounds": 3,
        "matching": "random",
        "bot_strategy": "equilibrium",
        "max_students": 10,
        "result_seconds": 10,
        "code": "taken1",
    }
    response = admin_client.post("/instructor/classes/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["A class with this code already exists."]}


# ----- start, pause, resume, advance, end, release --------------------------------------------------------


def test_start_starts_the_class_through_the_service(admin_client: Client) -> None:
    class_session, _ = make_class(students=4)
    response = post(admin_client, class_session, "start")
    assert (
        response.status_code == 302
        and response.headers["Location"] == f"/instructor/classes/{class_session.code}/"
    )
    assert ("success", "Class started: round 1 is on.") == last_message(response)
    class_session = fresh(class_session)
    assert (class_session.status, class_session.current_round, class_session.all_rounds.count()) == (
        "running",
        1,
        2,
    )
    again = post(admin_client, class_session, "start")
    assert ("error", "This class has already started.") == last_message(again)


def test_pause_stops_the_clocks_and_resume_gives_back_the_time_that_was_left(admin_client: Client) -> None:
    class_session, _ = make_class(students=3, decision_seconds=60)
    with time_machine.travel(T0, tick=False):
        post(admin_client, class_session, "start")
    rnd = Round.objects.get(class_session=class_session)
    assert rnd.deadline == T0 + timedelta(seconds=60)
    with time_machine.travel(T0 + timedelta(seconds=20), tick=False):
        response = post(admin_client, class_session, "pause")
    assert ("success", "Class paused: every clock has stopped.") == last_message(response)
    rnd.refresh_from_db()
    assert (fresh(class_session).status, rnd.deadline, rnd.due_at, rnd.paused_remaining) == (
        "paused",
        None,
        None,
        40,
    )
    later = T0 + timedelta(minutes=30)
    with time_machine.travel(later, tick=False):
        assert services.sweep(now=later) == 0  # nothing times out while paused
        response = post(admin_client, class_session, "resume")
    assert ("success", "Class resumed: each decision has the time it had left.") == last_message(response)
    rnd.refresh_from_db()
    assert (fresh(class_session).status, rnd.deadline, rnd.paused_remaining) == (
        "running",
        later + timedelta(seconds=40),
        None,
    )


def test_pause_and_resume_refuse_the_wrong_state(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    assert ("error", "This class is not running.") == last_message(
        post(admin_client, class_session, "pause")
    )
    assert ("error", "Only a paused class can be resumed.") == last_message(
        post(admin_client, class_session, "resume")
    )
    assert fresh(class_session).status == "lobby"


def test_advance_plays_a_stalled_groups_timeout_default(admin_client: Client) -> None:
    class_session, _ = make_class(students=3, decision_seconds=600)
    post(admin_client, class_session, "start")
    rnd = Round.objects.get(class_session=class_session)
    assert rnd.node == "alliance"
    response = admin_client.post(f"/instructor/classes/{class_session.code}/rounds/{rnd.pk}/advance/")
    assert ("success", "Group 1: the pending decision was played by its timeout default.") == last_message(
        response
    )
    event = Event.objects.get(round=rnd)
    assert (event.kind, event.role, event.payload) == ("timeout", "us", {"forced": True})
    rnd.refresh_from_db()
    assert rnd.node == "challenge"


def test_advance_refuses_when_the_class_is_paused_and_rounds_of_other_classes(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    other, _ = make_class(students=3)
    post(admin_client, class_session, "start")
    post(admin_client, other, "start")
    rnd = Round.objects.get(class_session=class_session)
    post(admin_client, class_session, "pause")
    response = admin_client.post(f"/instructor/classes/{class_session.code}/rounds/{rnd.pk}/advance/")
    assert last_message(response)[0] == "error"
    assert not Event.objects.filter(round=rnd).exists()
    foreign = Round.objects.get(class_session=other)
    assert (
        admin_client.post(
            f"/instructor/classes/{class_session.code}/rounds/{foreign.pk}/advance/"
        ).status_code
        == 404
    )


def test_end_finishes_the_class_once(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    post(admin_client, class_session, "start")
    assert ("success", "Class ended.") == last_message(post(admin_client, class_session, "end"))
    ended = fresh(class_session)
    assert ended.status == "finished" and ended.finished is not None
    assert ("error", "This class has already ended.") == last_message(
        post(admin_client, class_session, "end")
    )
    assert fresh(class_session).finished == ended.finished


def test_release_releases_the_debriefs(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    response = post(admin_client, class_session, "release")
    assert ("success", "Debriefs released: students now see what happened and why.") == last_message(response)
    assert fresh(class_session).debrief_released is True


def test_controls_answer_json_to_scripts(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    ok = post(admin_client, class_session, "start", headers={"accept": "application/json"})
    assert ok.json() == {"ok": True, "message": "Class started: round 1 is on."}
    refused = post(admin_client, class_session, "resume", headers={"accept": "application/json"})
    assert refused.status_code == 409
    assert refused.json() == {"ok": False, "message": "Only a paused class can be resumed."}


def test_controls_are_posts_with_a_csrf_token(admin_client: Client, admin_user: Any) -> None:
    class_session, _ = make_class(students=3)
    assert admin_client.get(f"/instructor/classes/{class_session.code}/start/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert post(strict, class_session, "start").status_code == 403
    assert fresh(class_session).status == "lobby"
    page = strict.get(f"/instructor/classes/{class_session.code}/")
    token = page.cookies["csrftoken"].value
    assert post(strict, class_session, "start", data={"csrfmiddlewaretoken": token}).status_code == 302
    assert fresh(class_session).status == "running"


def test_controls_of_an_unknown_class_are_404(admin_client: Client) -> None:
    assert admin_client.post("/instructor/classes/NOPE99/start/").status_code == 404


def test_the_dashboard_shows_the_messages_and_every_control(admin_client: Client) -> None:
    class_session, _ = make_class(students=3)
    response = post(admin_client, class_session, "start", follow=True)
    page = response.content.decode()
    assert 'data-message="success"' in page and "Class started: round 1 is on." in page
    for control in ("start", "pause", "resume", "end", "release"):
        assert f'data-control="{control}"' in page
        assert f'action="/instructor/classes/{class_session.code}/{control}/"' in page
