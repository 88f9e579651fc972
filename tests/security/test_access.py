"""Who may do what: a student acts only for its own seat in its own class, and never reaches a staff page,
feed, projector, export or debrief.

The staff routes are not listed by hand: every URL pattern the resolver knows (and every websocket
route) is a staff route unless it is in `PUBLIC` below, so a route another engineer adds later is
checked too, and a new public route must be added here on purpose, with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from games import routing
from games.models import ClassSession, Event, Participant, Round, Scenario
from games.play import consumers, protocol, services
from tests.security.conftest import TIMEOUT, api_join, close_code, new_class, socket_for

# Routes anyone may open, by name, and why.
PUBLIC = {
    "home": "the join page",
    "join": "the join form's POST",
    "api_join": "the headless join",
    "play": "the student's page (its own participant only)",
    "poll_answer": "a student's answer to the open poll (its own participant only; tests/test_polls.py)",
    "debrief:student": "the student's own debrief, once released",
    "healthz": "container health checks",
    "set_language": "Django's language switch",
    "admin:login": "the staff login page itself",
}
PUBLIC_SOCKETS = {"ws/play/"}
REFUSED = {302, 403, 404, 405}  # to the login page, forbidden, hidden, or not this method


# ----- enumerating the routes --------------------------------------------------------------------------


def walk(patterns: list[Any], prefix: tuple[Any, ...] = (), namespace: str = "") -> Iterator[tuple[Any, ...]]:
    """(the pattern pieces from the root, the full route name, the view) of every URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from walk(entry.url_patterns, (*prefix, entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (*prefix, entry.pattern), name, entry.callback


def sample(name: str, samples: dict[str, str]) -> str:
    for key, value in samples.items():
        if key in name:
            return value
    return samples["*"]


def concrete(pieces: tuple[Any, ...], samples: dict[str, str]) -> str:
    """A real path for a pattern: converters and named groups filled with sample values."""
    path = ""
    for piece in pieces:
        if isinstance(piece, RoutePattern):
            path += re.sub(r"<(?:\w+:)?(\w+)>", lambda m: sample(m.group(1), samples), str(piece))
        elif isinstance(piece, RegexPattern):
            path += regex_sample(str(piece), samples)
        else:  # pragma: no cover (Django has only these two)
            raise AssertionError(f"unknown pattern type {type(piece)}")
    return "/" + path


def regex_sample(regex: str, samples: dict[str, str]) -> str:
    text = regex.lstrip("^").rstrip("$")
    while (start := text.find("(?P<")) != -1:
        name = text[start + 4 : text.index(">", start)]
        depth, end = 0, start
        for end in range(start, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        inner = text[text.index(">", start) + 1 : end]
        value = sample(name, samples)
        if not re.fullmatch(inner, value):
            value = next(a for a in inner.split("|") if re.fullmatch(inner, a))
        text = text[:start] + value + text[end + 1 :]
    return text


def routes(samples: dict[str, str]) -> list[tuple[str, str | None, Any]]:
    out = []
    for pieces, name, view in walk(get_resolver().url_patterns):
        path = concrete(pieces, samples)
        match = resolve(path)
        assert match.func == view, f"{path} resolves to {match.func}, not to {view} ({name})"
        out.append((path, name, view))
    return out


# ----- who is asking -----------------------------------------------------------------------------------


@pytest.fixture
def world(db: None, settings: Any) -> dict[str, Any]:
    """A running class with a finished round, its code, round id and a participant id; three visitors."""
    settings.JOIN_RATE_LIMIT = "0/60"
    code = new_class(bots_fill=True, bot_seconds=0, rounds=2)
    student = Client()
    pid, _ = api_join(code, "Aiko", client=student)
    services.start_class(code)
    rnd = Round.objects.get(class_session__code=code, number=1)
    user = get_user_model().objects.create_user("someone", password=None, is_staff=False)
    member = Client()
    member.force_login(user)
    api_join(code, "Ben", client=member)  # a student who also has a (non-staff) account
    samples = {
        "code": code,
        "round": str(rnd.pk),
        "app_label": "games",
        "object_id": str(ClassSession.objects.get(code=code).pk),
        "content_type": "1",
        "id": str(user.pk),
        "*": "x",
    }
    return {
        "code": code,
        "pid": pid,
        "samples": samples,
        "visitors": {"anonymous": Client(), "student": student, "member (not staff)": member},
    }


def snapshot() -> tuple[Any, ...]:
    """Everything a staff action could change."""
    return (
        list(ClassSession.objects.order_by("pk").values_list("status", "debrief_released", "current_round")),
        Event.objects.count(),
        Scenario.objects.count(),
        get_user_model().objects.count(),
        list(get_user_model().objects.values_list("is_staff", "is_superuser")),
    )


def test_every_route_is_known_and_the_public_list_is_current(world: dict[str, Any]) -> None:
    names = {name for _, name, _ in routes(world["samples"])}
    assert set(PUBLIC) <= names, f"public routes that no longer exist: {set(PUBLIC) - names}"
    staff = [name for name in names if name not in PUBLIC]
    assert len(staff) >= 20  # the admin, the instructor pages, the debriefs and exports


def test_no_staff_route_serves_a_student_or_an_anonymous_visitor(world: dict[str, Any]) -> None:
    before = snapshot()
    checked = 0
    for path, name, _ in routes(world["samples"]):
        if name in PUBLIC:
            continue
        for who, client in world["visitors"].items():
            for method in ("GET", "POST"):
                response = client.generic(method, path, b"{}", content_type="application/json")
                checked += 1
                status = response.status_code
                assert status in REFUSED, f"{who} {method} {path} ({name}): {status}"
                if status == 302:
                    location = response["Location"]
                    assert "login" in location or location.rstrip("/").endswith("/admin"), (path, location)
                if status == 404:  # a hidden page must not show anything of the class
                    assert world["code"] not in response.content.decode(errors="replace"), path
    assert snapshot() == before  # nothing changed
    assert checked >= 20 * 3 * 2


def test_staff_can_reach_the_staff_routes(world: dict[str, Any]) -> None:
    """The control for the test above: the same paths do serve staff (so a refusal above means it)."""
    staff = get_user_model().objects.create_user("teacher", password=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    served = 0
    for path, name, _ in routes(world["samples"]):
        if name in PUBLIC or name is None or name in {"admin:logout", "admin:view_on_site"}:
            continue
        status = client.get(path).status_code
        assert status < 500, (path, status)
        served += status == 200
    assert served >= 15


def test_the_student_pages_act_only_for_the_sessions_participant(world: dict[str, Any]) -> None:
    other = Participant.objects.filter(class_session__code=world["code"], name="Ben").get()
    student = world["visitors"]["student"]
    student.cookies["participant"] = str(other.pk)  # a forged cookie is not the session
    page = student.get("/play/").content.decode()
    assert "Aiko" in page and "Ben" not in page
    forged = Client()
    forged.cookies["sessionid"] = "x" * 32
    assert forged.get("/play/").status_code == 302


# ----- sockets -----------------------------------------------------------------------------------------


def socket_routes(code: str) -> list[str]:
    out = []
    for pattern in routing.websocket_urlpatterns:
        route = str(pattern.pattern)
        if isinstance(pattern.pattern, RegexPattern):
            out.append("/" + regex_sample(route, {"code": code, "*": "x"}))
        else:
            out.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", code, route))
    return out


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery")
async def test_no_staff_socket_opens_for_a_student_or_an_anonymous_visitor(settings: Any) -> None:
    settings.JOIN_RATE_LIMIT = "0/60"

    def setup() -> tuple[str, list[str | None]]:
        code = new_class()
        _, student = api_join(code, "Aiko")
        user = get_user_model().objects.create_user("someone", password=None, is_staff=False)
        member = Client()
        member.force_login(user)
        return code, [None, student, member.cookies["sessionid"].value]

    code, keys = await database_sync_to_async(setup)()
    paths = socket_routes(code)
    assert "/ws/play/" in paths and len(paths) >= 2
    for path in paths:
        if path.lstrip("/") in PUBLIC_SOCKETS:
            continue
        for key in keys:
            socket = socket_for(key, path=path)
            assert (await socket.connect(timeout=TIMEOUT))[0]
            assert await close_code(socket) == protocol.CLOSE_FORBIDDEN, (path, key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery")
async def test_a_socket_acts_only_for_its_own_seat_whatever_the_frame_or_cookie_says(settings: Any) -> None:
    """Two classes. Aiko's socket, with forged participant ids in its frames and cookies, and a move
    for the seat that is to move (not hers), changes nothing; Ben (whose turn it is) still can."""
    settings.JOIN_RATE_LIMIT = "0/60"

    def setup() -> dict[str, Any]:
        code = new_class(bots_fill=False)
        people = [api_join(code, name) for name in ("Aiko", "Ben", "Chie")]
        elsewhere = new_class(bots_fill=False)
        strangers = [api_join(elsewhere, name) for name in ("Dai", "Emi", "Fumi")]
        services.start_class(code)
        services.start_class(elsewhere)
        return {"people": people, "strangers": strangers}

    world = await database_sync_to_async(setup)()
    sockets, states = {}, {}
    for pid, key in world["people"]:
        sockets[pid] = socket_for(key, extra_cookies=f"participant={world['strangers'][0][0]}")
        assert (await sockets[pid].connect(timeout=TIMEOUT))[0]
        states[pid] = await sockets[pid].receive_json_from(timeout=TIMEOUT)
        assert states[pid]["view"]["you"]["id"] == pid  # the session decides, not the forged cookie
    mover = next(pid for pid, s in states.items() if s["view"]["round"]["actions"])
    idle = next(pid for pid in states if pid != mover)
    action = states[mover]["view"]["round"]["actions"][0]
    published: list[tuple[Any, ...]] = []
    original = consumers.enqueue_move

    async def spy(*args: Any) -> Any:
        published.append(args)
        return await original(*args)

    consumers.enqueue_move = spy
    try:
        stranger_id = world["strangers"][0][0]
        forgeries = [
            {"participant": mover},
            {"participant_id": mover, "role": "us"},
            {"you": {"id": mover}},
            {"participant": stranger_id, "code": "OTHER"},
        ]
        for forged in forgeries:
            frame = {
                "type": "move",
                "action": action,
                "move_id": f"forged-{len(published)}",
                "seq": 0,
                **forged,
            }
            frame["seq"] = states[idle]["seq"]
            await sockets[idle].send_json_to(frame)
            error = await sockets[idle].receive_json_from(timeout=TIMEOUT)
            assert (error["type"], error["code"]) == ("error", "not_your_turn"), error
        assert {args[0] for args in published} == {idle}  # the queue is told the socket's participant only
        count = await database_sync_to_async(Event.objects.count)()
        assert count == 0
        move = {"type": "move", "action": action, "move_id": "real", "seq": states[mover]["seq"]}
        await sockets[mover].send_json_to(move)
        applied = await sockets[mover].receive_json_from(timeout=TIMEOUT)
        assert applied["type"] == "state" and applied["seq"] > states[mover]["seq"]
    finally:
        consumers.enqueue_move = original

    def recorded() -> list[tuple[str, str]]:
        return [
            (str(e.participant_id), e.round.class_session.code)
            for e in Event.objects.select_related("round__class_session")
        ]

    events = await database_sync_to_async(recorded)()
    assert [pid for pid, _ in events] == [mover]
    for socket in sockets.values():
        await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery")
async def test_a_forged_or_foreign_session_cookie_gets_no_seat() -> None:
    def setup() -> str:
        code = new_class()
        _, key = api_join(code, "Aiko")
        return key

    key = await database_sync_to_async(setup)()
    for forged in ("x" * 32, key[:-1] + ("a" if key[-1] != "a" else "b"), "", json.dumps({"participant": 1})):
        socket = socket_for(forged or None)
        assert (await socket.connect(timeout=TIMEOUT))[0]
        assert await close_code(socket) == protocol.CLOSE_NOT_JOINED
