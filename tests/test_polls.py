"""Polls ("predict before the reveal"): the services (open, answer, close), the staff controls and the
student's endpoint with their refusals, `view.poll`, the dashboard's and the projector's feeds, the
exports."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from typing import Any

import pytest
from django.test import Client

from games.crisis import polls as events
from games.crisis.params import Params
from games.crisis.solver import solve
from games.models import ClassSession, Poll, PollAnswer
from games.play import services
from games.play.services import PollError
from games.vocabulary import polls as words
from tests.live import make_class, play_first_actions, state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def running(baseline_scenario: Any, students: int = 3, **options: Any) -> tuple[ClassSession, list[Any]]:
    class_session, people = make_class(baseline_scenario, students=students, **options)
    services.start_class(class_session.code)
    class_session.refresh_from_db()
    return class_session, people


def student_client(person: Any) -> Client:
    """A browser holding this participant's session (as `POST /join` leaves it)."""
    from games.play import identity

    client = Client(enforce_csrf_checks=True)
    session = client.session
    identity.bind(session, person, "test-browser")
    session.save()
    client.cookies["sessionid"] = session.session_key
    client.get("/play/")  # sets the CSRF cookie
    return client


def answer(client: Client, body: Any, **extra: Any) -> Any:
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    return client.post(
        "/play/poll/",
        data=body if isinstance(body, (bytes, str)) else json.dumps(body),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
        **extra,
    )


# ----- the engine's events and theory ---------------------------------------------------------------------


def test_every_question_has_words_and_an_event():
    assert set(words.QUESTIONS) == set(events.QUESTIONS)
    assert set(words.ANSWERS) == set(events.ANSWERS)


def test_theory_is_the_benchmark_conditional_on_the_path():
    bench = solve(Params.from_mapping({}))  # the baseline: E5, the non-resolute US bluffs with 1/4
    path = bench.main.path
    allied = sum((e.prob for e in path if e.alliance == 1), Fraction(0))
    challenged = sum((e.prob for e in path if e.alliance == 1 and e.terminal != "SQ"), Fraction(0))
    assert events.theory("challenge_allied", bench) == challenged / allied
    assert (
        events.theory("challenge_allied", bench) == bench.main.behaviour("challenge", alliance=1)["challenge"]
    )
    attacked = [e for e in path if e.terminal in ("WAR_I", "WAR_S")]
    fought = sum((e.prob for e in attacked if e.terminal == "WAR_I"), Fraction(0))
    assert events.theory("us_intervenes", bench) == fought / sum((e.prob for e in attacked), Fraction(0))
    for code in events.QUESTIONS:
        assert 0 <= events.theory(code, bench) <= 1


def test_where_theory_expects_the_condition_never_it_gives_the_decisions_behaviour():
    bench = solve(Params.from_mapping({"tripwire": True}))  # pooling on alliance: nobody challenges
    assert events.condition_probability("japan_resists", bench) == 0
    expected = bench.main.behaviour("response", alliance=1)["resist"]
    assert events.theory("japan_resists", bench) == expected


def test_occurred_reads_a_rounds_result():
    assert events.occurred("challenge_allied", 1, "SQ") is False
    assert events.occurred("challenge_allied", 1, "CON") is True
    assert events.occurred("challenge_allied", 0, "CON") is None
    assert events.occurred("us_intervenes", 1, "WAR_I") is True
    assert events.occurred("us_intervenes", 0, "WAR_S") is False
    assert events.occurred("us_intervenes", 1, "WD") is None


# ----- services --------------------------------------------------------------------------------------------


def test_open_answer_change_close(baseline_scenario):
    class_session, people = running(baseline_scenario)
    poll = services.open_poll(class_session.code, "challenge_allied")
    assert (poll.round_number, poll.status) == (1, Poll.Status.OPEN)
    services.answer_poll(people[0].pk, poll.pk, "yes")
    services.answer_poll(people[0].pk, poll.pk, "no")  # changes the answer
    services.answer_poll(people[1].pk, poll.pk, "yes")
    assert dict(PollAnswer.objects.values_list("participant_id", "answer")) == {
        people[0].pk: "no",
        people[1].pk: "yes",
    }
    services.close_poll(class_session.code)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED and poll.closed is not None
    with pytest.raises(PollError) as refused:
        services.answer_poll(people[2].pk, poll.pk, "yes")
    assert (refused.value.code, refused.value.status) == ("closed", 409)


def test_open_refusals(baseline_scenario):
    class_session, _ = make_class(baseline_scenario)
    with pytest.raises(PollError) as refused:
        services.open_poll(class_session.code, "challenge_allied")
    assert refused.value.code == "not_running"  # in the lobby
    services.start_class(class_session.code)
    with pytest.raises(PollError) as refused:
        services.open_poll(class_session.code, "will_it_rain")
    assert (refused.value.code, refused.value.status) == ("bad_question", 400)
    services.open_poll(class_session.code, "challenge_allied")
    with pytest.raises(PollError) as refused:
        services.open_poll(class_session.code, "us_intervenes")
    assert refused.value.code == "already_open"
    services.close_poll(class_session.code)
    with pytest.raises(PollError) as refused:
        services.open_poll(class_session.code, "challenge_allied")
    assert refused.value.code == "already_asked"
    with pytest.raises(PollError) as refused:
        services.close_poll(class_session.code)
    assert refused.value.code == "no_open_poll"
    services.open_poll(class_session.code, "us_intervenes")  # another question, same round


def test_answer_refusals(baseline_scenario):
    class_session, people = running(baseline_scenario)
    _other, strangers = running(baseline_scenario)
    poll = services.open_poll(class_session.code, "japan_resists")
    with pytest.raises(PollError) as refused:
        services.answer_poll(people[0].pk, poll.pk, "maybe")
    assert refused.value.code == "bad_answer"
    with pytest.raises(PollError) as refused:
        services.answer_poll(strangers[0].pk, poll.pk, "yes")  # another class's poll
    assert (refused.value.code, refused.value.status) == ("not_found", 404)
    assert refused.value.text() == str(words_error("not_found"))


def words_error(code: str) -> str:
    from games.vocabulary import errors

    return errors.message(errors.POLL, code)


def test_no_answer_after_the_students_own_round_is_over(baseline_scenario):
    class_session, people = running(baseline_scenario, pace="instructor")
    poll = services.open_poll(class_session.code, "challenge_allied")
    play_first_actions_of_round(class_session, people)
    with pytest.raises(PollError) as refused:
        services.answer_poll(people[0].pk, poll.pk, "yes")
    assert refused.value.code == "round_over"
    assert "poll" not in state(people[0])[1]


def play_first_actions_of_round(class_session: ClassSession, people: list[Any]) -> None:
    """Play round 1 to its end with everyone's first legal action (the class waits for the instructor)."""
    from tests.live import mover

    for step in range(50):
        turn = mover(people)
        if turn is None:
            return
        person, seq, view = turn
        services.submit_move(person.pk, view["round"]["actions"][0], f"p-{step}", seq)


# ----- the student's view ------------------------------------------------------------------------------


def test_view_poll_carries_the_question_and_the_students_answer(baseline_scenario):
    class_session, people = running(baseline_scenario)
    assert "poll" not in state(people[0])[1]
    seq_before = state(people[1])[0]
    poll = services.open_poll(class_session.code, "us_intervenes")
    seq, view = state(people[1])
    assert seq > seq_before
    assert view["poll"] == {
        "id": poll.pk,
        "question": "us_intervenes",
        "round": 1,
        "options": ["yes", "no"],
        "your_answer": None,
    }
    services.answer_poll(people[1].pk, poll.pk, "no")
    again, view = state(people[1])
    assert again > seq and view["poll"]["your_answer"] == "no"
    assert state(people[0])[1]["poll"]["your_answer"] is None
    services.close_poll(class_session.code)
    assert "poll" not in state(people[1])[1]


def test_each_change_is_pushed_after_commit(
    baseline_scenario, django_capture_on_commit_callbacks, monkeypatch
):
    from games.play.services import notify, polls

    class_session, people = running(baseline_scenario)
    pushed_classes: list[Any] = []
    monkeypatch.setattr(notify.broadcast, "push_class", pushed_classes.append)
    sent: list[list[tuple[str, dict]]] = []
    monkeypatch.setattr(polls, "send_all", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        poll = services.open_poll(class_session.code, "japan_resists")
    assert pushed_classes == [class_session.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_poll(people[2].pk, poll.pk, "yes")
    (messages,) = sent
    frames = [json.loads(m["frame"]) for _, m in messages if m["type"] == "state.push"]
    assert [f["view"]["poll"]["your_answer"] for f in frames] == ["yes"]
    assert any(m["type"] == "class.changed" for _, m in messages)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_poll(class_session.code)
    assert pushed_classes == [class_session.pk, class_session.pk]


# ----- the student's endpoint ------------------------------------------------------------------------------


def test_a_student_answers_over_http(baseline_scenario):
    class_session, people = running(baseline_scenario)
    poll = services.open_poll(class_session.code, "challenge_allied")
    client = student_client(people[0])
    response = answer(client, {"poll": poll.pk, "answer": "yes"})
    assert response.status_code == 200 and response.json() == {"ok": True, "poll": poll.pk, "answer": "yes"}
    assert answer(client, {"poll": poll.pk, "answer": "no"}).status_code == 200
    assert PollAnswer.objects.get().answer == "no"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"poll": "POLL", "answer": "maybe"}, 400, "bad_answer"),
        ({"poll": "POLL"}, 400, "bad_answer"),
        ({"poll": None, "answer": "yes"}, 400, "bad_request"),
        ({"poll": True, "answer": "yes"}, 400, "bad_request"),
        ({"poll": "abc", "answer": "yes"}, 400, "bad_request"),
        ({"poll": 10**30, "answer": "yes"}, 404, "not_found"),
        ({"poll": -1, "answer": "yes"}, 404, "not_found"),
        ({"poll": 999999, "answer": "yes"}, 404, "not_found"),
        ([1, 2], 400, "bad_request"),
        ("{not json", 400, "bad_request"),
        ("NaN", 400, "bad_request"),
        ("x" * 5000, 400, "bad_request"),
    ],
)
def test_bad_input_is_a_json_error_never_a_500(baseline_scenario, body, status, code):
    class_session, people = running(baseline_scenario)
    poll = services.open_poll(class_session.code, "challenge_allied")
    if isinstance(body, dict) and body.get("poll") == "POLL":
        body = {**body, "poll": poll.pk}
    response = answer(student_client(people[0]), body)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_no_session_no_csrf_and_a_closed_poll_are_refused(baseline_scenario):
    class_session, people = running(baseline_scenario)
    poll = services.open_poll(class_session.code, "challenge_allied")
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")
    response = answer(stranger, {"poll": poll.pk, "answer": "yes"})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "not_joined")
    client = student_client(people[0])
    no_token = client.post("/play/poll/", json.dumps({"poll": poll.pk, "answer": "yes"}), "application/json")
    assert no_token.status_code == 403  # CSRF
    assert client.get("/play/poll/").status_code == 405
    services.close_poll(class_session.code)
    response = answer(client, {"poll": poll.pk, "answer": "yes"})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "closed")


def test_the_refusal_is_worded_in_the_students_language(baseline_scenario):
    class_session, people = running(baseline_scenario)
    poll = services.open_poll(class_session.code, "challenge_allied")
    response = answer(
        student_client(people[0]), {"poll": poll.pk, "answer": "maybe"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert response.json()["error"]["message"] == "「はい」か「いいえ」で答えてください。"


# ----- the staff controls ----------------------------------------------------------------------------------


def test_staff_open_and_close_from_the_dashboard(baseline_scenario, staff):
    class_session, _ = running(baseline_scenario)
    base = f"/instructor/classes/{class_session.code}/polls"
    response = staff.post(f"{base}/open/", {"question": "us_intervenes"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["ok"]
    assert Poll.objects.get().question == "us_intervenes"
    again = staff.post(f"{base}/open/", {"question": "japan_resists"}, HTTP_ACCEPT="application/json")
    assert again.status_code == 409 and not again.json()["ok"] and again.json()["message"]
    bad = staff.post(f"{base}/open/", {"question": "<script>"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    redirected = staff.post(f"{base}/close/")
    assert redirected.status_code == 302 and redirected["Location"].endswith(
        f"/classes/{class_session.code}/"
    )
    assert Poll.objects.get().status == Poll.Status.CLOSED


def test_students_and_strangers_cannot_open_polls(baseline_scenario, client):
    class_session, people = running(baseline_scenario)
    base = f"/instructor/classes/{class_session.code}/polls"
    assert client.post(f"{base}/open/", {"question": "us_intervenes"}).status_code == 302  # to the login page
    student = student_client(people[0])
    token = student.cookies["csrftoken"].value
    response = student.post(f"{base}/open/", {"question": "us_intervenes"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Poll.objects.exists()


def test_staff_controls_need_csrf(baseline_scenario):
    from django.contrib.auth import get_user_model

    class_session, _ = running(baseline_scenario)
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_user("t", password="pw", is_staff=True))
    response = client.post(
        f"/instructor/classes/{class_session.code}/polls/open/", {"question": "us_intervenes"}
    )
    assert response.status_code == 403 and not Poll.objects.exists()


# ----- the feeds -------------------------------------------------------------------------------------------


def test_dashboard_tally_and_projector_count_then_reveal(baseline_scenario, staff):
    class_session, people = running(baseline_scenario, students=3, pace="instructor")
    poll = services.open_poll(class_session.code, "challenge_allied")
    services.answer_poll(people[0].pk, poll.pk, "yes")
    services.answer_poll(people[1].pk, poll.pk, "no")
    services.answer_poll(people[2].pk, poll.pk, "yes")
    url = f"/instructor/classes/{class_session.code}"
    dashboard = staff.get(f"{url}/snapshot.json").json()["polls"]
    assert dashboard["open"] == poll.pk
    assert dashboard["polls"][0]["predicted"] == {"yes": 2, "no": 1}
    projector = staff.get(f"{url}/projector.json").json()["polls"]
    (entry,) = projector["polls"]
    assert entry["answers"] == 3 and "predicted" not in entry and not entry["revealed"]  # no split yet
    play_first_actions_of_round(class_session, people)
    (entry,) = staff.get(f"{url}/projector.json").json()["polls"]["polls"]
    assert entry["revealed"] and entry["predicted"] == {"yes": 2, "no": 1}
    happened = entry["happened"]
    assert happened["groups"] == 1
    bench = solve(Params.from_mapping({}))
    assert happened["theory"] == pytest.approx(float(events.theory("challenge_allied", bench)))


# ----- exports ---------------------------------------------------------------------------------------------


def test_exports_keep_every_poll_and_answer(baseline_scenario, staff):
    class_session, people = running(baseline_scenario, students=3, rounds=1)
    poll = services.open_poll(class_session.code, "japan_resists")
    services.answer_poll(people[0].pk, poll.pk, "yes")
    services.answer_poll(people[1].pk, poll.pk, "no")
    services.close_poll(class_session.code)
    services.open_poll(class_session.code, "us_intervenes")  # nobody answers this one
    play_first_actions(class_session, people)
    url = f"/instructor/classes/{class_session.code}"
    data = json.loads(staff.get(f"{url}/export.json").content)
    assert [(p["question"], p["round"]) for p in data["polls"]] == [
        ("japan_resists", 1),
        ("us_intervenes", 1),
    ]
    assert {(a["name"], a["answer"]) for a in data["polls"][0]["answers"]} == {
        (people[0].name, "yes"),
        (people[1].name, "no"),
    }
    rows = list(csv.DictReader(io.StringIO(staff.get(f"{url}/polls.csv").content.decode())))
    assert [(r["question"], r["answer"]) for r in rows] == [
        ("japan_resists", "yes"),
        ("japan_resists", "no"),
        ("us_intervenes", ""),
    ]
    assert Client().get(f"{url}/polls.csv").status_code == 302  # staff only
