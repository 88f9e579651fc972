"""Joining over HTTP: the join form, `POST /api/join`, the session binding and the join rate limit."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from games.models import Participant
from games.play import pages as http
from games.play import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_cache(settings: Any) -> Any:
    """A private in-memory cache for this test (the join limit counts per address and every test client is
    127.0.0.1); never clearing a shared Redis that other tests or workers may be using."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    yield


@pytest.fixture
def lobby(baseline_scenario: Any) -> Any:
    return services.create_class(baseline_scenario)


def api_join(client: Client, body: Any, content_type: str = "application/json", **extra: Any) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post("/api/join", data, content_type=content_type, **extra)


def form_join(client: Client, code: str, name: str, **extra: Any) -> Any:
    client.get("/")  # sets the CSRF cookie, as a browser loading the page does
    token = client.cookies["csrftoken"].value
    return client.post("/join", {"code": code, "name": name, "csrfmiddlewaretoken": token}, **extra)


# ----- the join form ---------------------------------------------------------------------------------


def test_the_form_sets_the_session_and_goes_to_play(lobby: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = form_join(client, f" {lobby.code[:3]} {lobby.code[3:].lower()}", "  Aiko  ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/play/"
    participant = Participant.objects.get(class_session=lobby)
    assert participant.name == "Aiko"
    assert client.session["participant"] == str(participant.pk)
    assert client.session["classes"] == {lobby.code: str(participant.pk)}
    assert client.cookies["sessionid"]["httponly"]
    page = client.get("/play/")
    assert page.status_code == 200
    assert lobby.code in page.content.decode()


def test_the_form_needs_its_csrf_token(lobby: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/join", {"code": lobby.code, "name": "Aiko"})
    assert response.status_code == 403
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("code", "name", "status", "message"),
    [
        ("NOPE99", "Aiko", 404, "There is no class with that code."),
        ("", "Aiko", 400, "Enter the class code your instructor gave you."),
        ("{code}", "", 400, "Enter a display name"),
        ("{code}", "x" * 41, 400, "Enter a display name"),
    ],
)
def test_a_refused_form_shows_the_page_again_with_why(
    lobby: Any, code: str, name: str, status: int, message: str
) -> None:
    client = Client(enforce_csrf_checks=True)
    response = form_join(client, code.format(code=lobby.code), name)
    assert response.status_code == status
    page = response.content.decode()
    assert 'role="alert"' in page and message in page
    assert 'action="/join"' in page
    assert "sessionid" not in response.cookies
    assert not Participant.objects.exists()


def test_a_refused_form_keeps_what_was_typed(lobby: Any) -> None:
    page = form_join(Client(), "NOPE99", "Aiko").content.decode()
    assert 'value="NOPE99"' in page and 'value="Aiko"' in page


def test_a_finished_class_refuses_the_form_with_409(lobby: Any) -> None:
    services.end_class(lobby.code)
    response = form_join(Client(), lobby.code, "Aiko")
    assert response.status_code == 409
    assert "This class has ended." in response.content.decode()


def test_the_form_speaks_japanese(lobby: Any) -> None:
    response = form_join(Client(), "NOPE99", "Aiko", headers={"accept-language": "ja"})
    assert response.status_code == 404
    assert "そのコードのクラスはありません。" in response.content.decode()


# ----- the JSON API -----------------------------------------------------------------------------------


def test_the_api_answers_201_with_the_participant_and_a_session_cookie(lobby: Any) -> None:
    client = Client()
    response = api_join(client, {"code": lobby.code, "name": "Aiko"})
    assert response.status_code == 201
    body = response.json()
    participant = Participant.objects.get(class_session=lobby)
    assert body == {"participant": str(participant.pk), "ws_url": "/ws/play/"}
    cookie = response.cookies["sessionid"]
    assert cookie.value and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.session["participant"] == str(participant.pk)
    assert set(response.cookies) == {"sessionid"}  # a session cookie and nothing else


def test_the_same_browser_gets_the_same_participant(lobby: Any) -> None:
    browser, other = Client(), Client()
    first = api_join(browser, {"code": lobby.code, "name": "Aiko"}).json()["participant"]
    again = api_join(browser, {"code": lobby.code, "name": "Aiko T."}).json()["participant"]
    form_join(browser, lobby.code, "Aiko")
    someone = api_join(other, {"code": lobby.code, "name": "Aiko"}).json()["participant"]
    assert first == again == browser.session["participant"]
    assert someone != first
    assert Participant.objects.filter(class_session=lobby).count() == 2


def test_logging_in_in_the_same_browser_keeps_the_participant(lobby: Any) -> None:
    browser = Client()
    first = api_join(browser, {"code": lobby.code, "name": "Aiko"}).json()["participant"]
    old_key = browser.cookies["sessionid"].value
    staff = get_user_model().objects.create_user("teacher", password=None, is_staff=True)
    browser.force_login(staff)  # Django rotates the session key on login
    assert browser.cookies["sessionid"].value != old_key
    assert api_join(browser, {"code": lobby.code, "name": "Aiko"}).json()["participant"] == first


def test_joining_another_class_switches_the_play_page_and_remembers_both(
    lobby: Any, baseline_scenario: Any
) -> None:
    other = services.create_class(baseline_scenario)
    browser = Client()
    first = api_join(browser, {"code": lobby.code, "name": "Aiko"}).json()["participant"]
    second = api_join(browser, {"code": other.code, "name": "Aiko"}).json()["participant"]
    assert first != second
    assert browser.session["participant"] == second
    assert browser.session["classes"] == {lobby.code: first, other.code: second}
    assert other.code in browser.get("/play/").content.decode()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("{", 400, "bad_json"),
        ('{"code": NaN}', 400, "bad_json"),
        (b"\xff\xfe{", 400, "bad_json"),
        ("[1, 2]", 400, "bad_request"),
        ('"ABC"', 400, "bad_request"),
        ({"name": "Aiko"}, 400, "bad_code"),
        ({"code": 123456, "name": "Aiko"}, 400, "bad_code"),
        ({"code": "{code}"}, 400, "bad_name"),
        ({"code": "{code}", "name": ["Aiko"]}, 400, "bad_name"),
        ({"code": "{code}", "name": "x" * 41}, 400, "bad_name"),
        ({"code": "{code}", "name": "a\u0000b"}, 400, "bad_name"),
        ({"code": "NOPE99", "name": "Aiko"}, 404, "not_found"),
    ],
)
def test_bad_api_joins_get_the_documented_errors(lobby: Any, body: Any, status: int, code: str) -> None:
    if isinstance(body, dict):
        body = {
            key: value.format(code=lobby.code) if key == "code" and isinstance(value, str) else value
            for key, value in body.items()
        }
    response = api_join(Client(), body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert "sessionid" not in response.cookies
    assert not Participant.objects.exists()


def test_a_closed_or_full_class_answers_409(baseline_scenario: Any) -> None:
    small = services.create_class(baseline_scenario, max_students=1)
    assert api_join(Client(), {"code": small.code, "name": "Aiko"}).status_code == 201
    full = api_join(Client(), {"code": small.code, "name": "Ben"})
    assert (full.status_code, full.json()["error"]["code"]) == (409, "full")
    services.end_class(small.code)
    closed = api_join(Client(), {"code": small.code, "name": "Cleo"})
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "closed")


def test_a_huge_body_is_refused_unread(lobby: Any) -> None:
    body = json.dumps({"code": lobby.code, "name": "Aiko", "padding": "x" * 5000})
    response = api_join(Client(), body)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_request")
    assert not Participant.objects.exists()


def test_the_api_takes_only_json_so_a_cross_site_form_cannot_use_it(lobby: Any) -> None:
    body = json.dumps({"code": lobby.code, "name": "Aiko"})
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ):
        response = api_join(Client(), body, content_type=content_type)
        assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_request")
    assert not Participant.objects.exists()


def test_the_api_answers_only_post(lobby: Any) -> None:
    assert Client().get("/api/join").status_code == 405
    assert Client().get("/join").status_code == 405


# ----- rate limit ---------------------------------------------------------------------------------------


def test_failed_attempts_are_rate_limited_per_address(lobby: Any, settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "3/60"
    client = Client()
    for _ in range(3):
        assert api_join(client, {"code": "NOPE99", "name": "Aiko"}).status_code == 404
    limited = api_join(client, {"code": lobby.code, "name": "Aiko"})  # even a good one, for a while
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "60"
    assert form_join(Client(), lobby.code, "Aiko").status_code == 429
    elsewhere = api_join(Client(REMOTE_ADDR="10.0.0.2"), {"code": lobby.code, "name": "Ben"})
    assert elsewhere.status_code == 201
    assert Participant.objects.filter(class_session=lobby).count() == 1


def test_successful_joins_are_not_counted(lobby: Any, settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "2/60"  # a whole class behind one school NAT joins at once
    for i in range(5):
        assert api_join(Client(), {"code": lobby.code, "name": f"Student {i}"}).status_code == 201


def test_bad_bodies_count_as_failures(lobby: Any, settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "2/60"
    assert api_join(Client(), "{").status_code == 400
    assert api_join(Client(), "x" * 5000).status_code == 400
    assert api_join(Client(), {"code": lobby.code, "name": "Aiko"}).status_code == 429


def test_the_limit_can_be_switched_off(lobby: Any, settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "0/60"
    for _ in range(5):
        assert api_join(Client(), {"code": "NOPE99", "name": "Aiko"}).status_code == 404


def test_the_client_address_is_remote_addr_unless_proxies_are_trusted(settings: Any) -> None:
    request = RequestFactory().post(
        "/api/join", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    settings.TRUSTED_PROXY_HOPS = 0
    assert http.client_address(request) == "10.0.0.9"  # a forged header is ignored
    settings.TRUSTED_PROXY_HOPS = 1
    assert http.client_address(request) == "198.51.100.7"  # what our proxy saw, not what it was told
    settings.TRUSTED_PROXY_HOPS = 3
    assert http.client_address(request) == "10.0.0.9"  # fewer entries than proxies: do not guess


def play_strings(page: str) -> dict[str, Any]:
    return json.loads(page.split('id="play-strings" type="application/json">', 1)[1].split("</script>")[0])


# ----- the play page ------------------------------------------------------------------------------------


def test_visitors_who_have_not_joined_go_back_to_the_join_page(lobby: Any) -> None:
    response = Client().get("/play/")
    assert (response.status_code, response.headers["Location"]) == (302, "/")


@pytest.mark.parametrize("stored", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", 42])
def test_a_session_with_no_real_participant_goes_back_to_the_join_page(lobby: Any, stored: Any) -> None:
    client = Client()
    session = client.session
    session["participant"] = stored
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.get("/play/")
    assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_the_play_page_carries_the_protocol_hooks(lobby: Any) -> None:
    client = Client()
    api_join(client, {"code": lobby.code, "name": "Aiko"})
    page = client.get("/play/").content.decode()
    for hook in (
        'data-ws-url="/ws/play/"',
        'data-node=""',
        'data-role=""',
        'data-deadline=""',
        'data-outcome=""',
        'id="play-strings"',
        'id="play-data"',
        'type="module"',
        "js/play/main.js",
    ):
        assert hook in page
    strings = play_strings(page)
    assert strings["actions"]["alliance"] == "Form the alliance"
    assert strings["errors"]["stale"]


def test_the_play_page_speaks_japanese(lobby: Any) -> None:
    client = Client(headers={"accept-language": "ja"})
    api_join(client, {"code": lobby.code, "name": "Aiko"})
    page = client.get("/play/").content.decode()
    assert '<html lang="ja">' in page
    strings = play_strings(page)
    assert strings["actions"]["alliance"] == "同盟を結ぶ"
    assert strings["errors"]["not_your_turn"] == "あなたの手番ではありません。"


def test_the_play_script_is_served() -> None:
    response = Client().get("/static/js/play/main.js")
    assert response.status_code == 200
    script = b"".join(response.streaming_content)
    assert b'type: "sync"' in script and b'from "./state.js"' in script
