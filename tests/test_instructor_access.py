"""Students and anonymous visitors never reach an instructor page, feed, control or socket (DESIGN.md):
pages send them to the login page (403 when signed in without staff rights), JSON answers 403, and a POST
changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from games.models import ClassSession, Event, Round
from games.play import protocol, services
from tests.live import make_class
from wargame.asgi import application


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Staff logins are created per test; the default PBKDF2 hasher would spend a second or two on each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PAGES = (
    "/instructor/",
    "/instructor/classes/new/",
    "/instructor/classes/{code}/",
    "/instructor/classes/{code}/projector/",
)
FEEDS = ("/instructor/classes/{code}/snapshot.json", "/instructor/classes/{code}/projector.json")
POSTS = (
    "/instructor/predict/",
    "/instructor/classes/new/",
    "/instructor/classes/{code}/start/",
    "/instructor/classes/{code}/pause/",
    "/instructor/classes/{code}/resume/",
    "/instructor/classes/{code}/end/",
    "/instructor/classes/{code}/release/",
    "/instructor/classes/{code}/rounds/{round}/advance/",
)


@pytest.fixture
def running(db: None) -> tuple[ClassSession, Round]:
    class_session, _ = make_class(students=3)
    services.start_class(class_session.code)
    return class_session, Round.objects.get(class_session=class_session)


def student_client(code: str) -> Client:
    """A browser that joined the class: it has a session and a participant, but no staff account."""
    client = Client()
    assert client.post("/join", {"code": code, "name": "Curious student"}).status_code == 302
    assert client.get("/play/").status_code == 200
    return client


def signed_in_non_staff(django_user_model: Any) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("not-staff", password="pw"))
    return client


def urls(templates: tuple[str, ...], class_session: ClassSession, rnd: Round) -> list[str]:
    return [t.format(code=class_session.code, round=rnd.pk) for t in templates]


def unchanged(class_session: ClassSession, rnd: Round) -> None:
    fresh = ClassSession.objects.get(pk=class_session.pk)
    assert (fresh.status, fresh.debrief_released) == ("running", False)
    assert not Event.objects.filter(round=rnd).exists()
    assert ClassSession.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_visitors_without_an_account_are_sent_to_the_login_page(who: str, running: Any) -> None:
    class_session, rnd = running
    client = Client() if who == "anonymous" else student_client(class_session.code)
    for url in urls(PAGES, class_session, rnd):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/admin/login/?next="), url
    for url in urls(FEEDS, class_session, rnd):
        response = client.get(url)
        assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden"), url
    for url in urls(POSTS, class_session, rnd):
        response = client.post(url, {"p": "0.3"})
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/admin/login/"), url
    unchanged(class_session, rnd)


@pytest.mark.django_db
def test_signed_in_users_without_staff_rights_are_refused(running: Any, django_user_model: Any) -> None:
    class_session, rnd = running
    client = signed_in_non_staff(django_user_model)
    for url in urls(PAGES + FEEDS, class_session, rnd):
        assert client.get(url).status_code == 403, url
    for url in urls(POSTS, class_session, rnd):
        assert client.post(url, {"p": "0.3"}).status_code == 403, url
    assert client.get("/admin/games/scenario/").status_code == 302  # the admin keeps its own door
    unchanged(class_session, rnd)


@pytest.mark.django_db
def test_staff_reach_every_page(running: Any, admin_client: Client) -> None:
    class_session, rnd = running
    for url in urls(PAGES + FEEDS, class_session, rnd):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_projector_feed_is_not_the_dashboard_feed(running: Any, admin_client: Client) -> None:
    class_session, _ = running
    dashboard = admin_client.get(f"/instructor/classes/{class_session.code}/snapshot.json").json()
    projector = admin_client.get(f"/instructor/classes/{class_session.code}/projector.json").json()
    assert "groups" in dashboard and "groups" not in projector
    assert "us_type" in json.dumps(dashboard) and "us_type" not in json.dumps(projector)


# ----- the instructor socket ---------------------------------------------------------------------------


def _joined_session(code: str) -> str:
    client = Client()
    response = client.post(
        "/api/join", json.dumps({"code": code, "name": "Aiko"}), content_type="application/json"
    )
    assert response.status_code == 201
    return response.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery", "baseline_scenario")
async def test_students_cannot_open_the_instructor_socket() -> None:
    class_session, _ = await database_sync_to_async(make_class)(students=0)
    session = await database_sync_to_async(_joined_session)(class_session.code)
    for cookie in (None, session):
        headers = [(b"origin", b"http://localhost")]
        if cookie:
            headers.append((b"cookie", f"sessionid={cookie}".encode()))
        socket = WebsocketCommunicator(application, f"/ws/instructor/{class_session.code}/", headers=headers)
        connected, _ = await socket.connect(timeout=3)
        assert connected
        output = await socket.receive_output(timeout=3)
        assert (output["type"], output.get("code")) == ("websocket.close", protocol.CLOSE_FORBIDDEN)
        await socket.disconnect()
