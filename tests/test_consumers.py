"""The websocket boundary: `/ws/play/` and `/ws/instructor/<code>/` through the real ASGI application
(origin check, session cookie, consumers), an in-memory channel layer and inline Celery tasks."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.test import Client

from games.models import ClassSession, Event, Participant, Round, Scenario
from games.play import move_queue, participant_view, protocol, services
from games.realtime.groups import participant_group
from wargame.asgi import application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("in_memory_channel_layer", "eager_celery"),
]

ORIGIN = (b"origin", b"http://localhost")
TIMEOUT = 3


@pytest.fixture(autouse=True)
def private_cache(settings: Any) -> Any:
    """A private in-memory cache for this test (the join limit counts per address and every test client is
    127.0.0.1); never clearing a shared Redis that other tests or workers may be using."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    yield


# ----- helpers ---------------------------------------------------------------------------------------


def _new_class(**options: Any) -> str:
    scenario, _ = Scenario.objects.get_or_create(
        slug="baseline", defaults={"name_en": "Baseline", "name_ja": "基準シナリオ"}
    )
    return services.create_class(scenario, **options).code


def _join(code: str, name: str) -> tuple[str, str]:
    """(participant id, session key) of a browser that joined over HTTP."""
    client = Client()
    response = client.post(
        "/api/join", json.dumps({"code": code, "name": name}), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["participant"], response.cookies["sessionid"].value


def _staff_session(is_staff: bool = True) -> str:
    user = get_user_model().objects.create_user(f"user{is_staff}", password=None, is_staff=is_staff)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


new_class = database_sync_to_async(_new_class)
join = database_sync_to_async(_join)
staff_session = database_sync_to_async(_staff_session)
start_class = database_sync_to_async(services.start_class)


async def open_socket(
    session_key: str | None = None, path: str = "/ws/play/", origin: tuple[bytes, bytes] = ORIGIN
) -> tuple[bool, WebsocketCommunicator]:
    headers = [origin]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await socket.connect(timeout=TIMEOUT)
    return connected, socket


async def play_socket(session_key: str) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """A connected student socket and the `state` frame it gets first."""
    connected, socket = await open_socket(session_key)
    assert connected
    first = await socket.receive_json_from(timeout=TIMEOUT)
    assert first["type"] == "state"
    return socket, first


async def closed_with(socket: WebsocketCommunicator) -> int | None:
    """The close code the server sent; then the client side closes too, as a browser would (which lets
    the consumer finish and release its database connection)."""
    output = await socket.receive_output(timeout=TIMEOUT)
    assert output["type"] == "websocket.close", output
    await socket.disconnect()
    return output.get("code")


async def still_open(socket: WebsocketCommunicator) -> None:
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}


async def drain(socket: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Every frame that arrives until the socket has been quiet for a moment."""
    frames = []
    while not await socket.receive_nothing(timeout=0.05, interval=0.005):
        frames.append(await socket.receive_json_from())
    return frames


async def next_frame(socket: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    while True:
        frame = await socket.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == kind:
            return frame


@pytest.fixture
async def seated() -> AsyncIterator[dict[str, Any]]:
    """A running class of three students, each with an open socket and their first state."""
    code = await new_class()
    people = [await join(code, name) for name in ("Aiko", "Ben", "Chie")]
    await start_class(code)
    sockets, states = {}, {}
    for pid, key in people:
        sockets[pid], states[pid] = await play_socket(key)
    yield {"code": code, "people": people, "sockets": sockets, "states": states}
    for socket in sockets.values():
        await socket.disconnect()


def mover_of(states: dict[str, dict[str, Any]]) -> str:
    return next(pid for pid, frame in states.items() if frame["view"]["round"]["actions"])


def waiting_of(states: dict[str, dict[str, Any]]) -> str:
    return next(pid for pid, frame in states.items() if not frame["view"]["round"]["actions"])


async def refresh(seated: dict[str, Any]) -> None:
    """Read every socket's new frames and keep the latest state of each."""
    for pid, socket in seated["sockets"].items():
        for frame in await drain(socket):
            if frame["type"] == "state":
                seated["states"][pid] = frame


# ----- authentication and origin -----------------------------------------------------------------------


async def test_a_socket_without_a_session_is_closed_with_4401() -> None:
    connected, socket = await open_socket()
    assert connected  # accepted, so that the page can read why it is closed
    assert await closed_with(socket) == protocol.CLOSE_NOT_JOINED


@pytest.mark.parametrize("stored", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", 7])
async def test_a_session_without_a_real_participant_is_closed_with_4401(stored: Any) -> None:
    def make_session() -> str:
        client = Client()
        session = client.session
        session["participant"] = stored
        session.save()
        return session.session_key

    connected, socket = await open_socket(await database_sync_to_async(make_session)())
    assert connected
    assert await closed_with(socket) == protocol.CLOSE_NOT_JOINED


async def test_a_foreign_origin_is_refused_even_with_a_good_session() -> None:
    code = await new_class()
    _, key = await join(code, "Aiko")
    for origin in (b"https://evil.example", b"null"):
        connected, _ = await open_socket(key, origin=(b"origin", origin))
        assert connected is False
    connected, _ = await open_socket(key, origin=(b"x-no-origin", b""))  # no Origin at all
    assert connected is False


async def test_connecting_sends_the_seats_own_view(seated: dict[str, Any]) -> None:
    roles = set()
    for pid, frame in seated["states"].items():
        view = frame["view"]
        assert isinstance(frame["seq"], int) and frame["seq"] > 0
        assert view["you"]["id"] == pid
        assert view["class"]["code"] == seated["code"] and view["class"]["status"] == "running"
        roles.add(view["you"]["role"])
        assert view["round"]["node"]
    assert roles == {"japan", "us", "challenger"}


async def test_a_student_in_the_lobby_gets_the_lobby_view() -> None:
    code = await new_class()
    _, key = await join(code, "Aiko")
    socket, first = await play_socket(key)
    assert first["view"]["class"]["status"] == "lobby"
    assert first["view"]["you"]["role"] is None
    await socket.disconnect()


async def test_connecting_and_leaving_mark_presence() -> None:
    code = await new_class()
    pid, key = await join(code, "Aiko")
    one, _ = await play_socket(key)
    two, _ = await play_socket(key)  # a second tab of the same browser
    presence = database_sync_to_async(
        lambda: Participant.objects.values_list("last_seen", "disconnected_at").get(pk=pid)
    )
    last_seen, gone = await presence()
    assert last_seen is not None and gone is None
    await one.disconnect()
    assert (await presence())[1] is None  # the other tab is still open
    await two.disconnect()
    assert (await presence())[1] is not None


# ----- playing -------------------------------------------------------------------------------------------


async def test_three_students_play_a_round_and_see_only_their_own_secrets(seated: dict[str, Any]) -> None:
    sent: dict[str, list[str]] = {pid: [] for pid in seated["sockets"]}
    states = seated["states"]
    for pid, frame in states.items():
        sent[pid].append(json.dumps(frame))
    for step in range(12):
        if all("outcome" in frame["view"]["round"] for frame in states.values()):
            break
        pid = mover_of(states)
        frame = states[pid]
        await seated["sockets"][pid].send_json_to(
            {
                "type": "move",
                "action": frame["view"]["round"]["actions"][0],
                "move_id": f"m{step}",
                "seq": frame["seq"],
            }
        )
        before = {p: f["seq"] for p, f in states.items()}
        for other, socket in seated["sockets"].items():
            frames = [await socket.receive_json_from(timeout=TIMEOUT), *await drain(socket)]
            sent[other] += [json.dumps(f) for f in frames]
            assert [f["type"] for f in frames] == ["state"] * len(frames)
            states[other] = frames[-1]
            assert states[other]["seq"] > before[other]
    else:
        raise AssertionError("the round did not end")
    labels = {frame["view"]["round"]["outcome"]["label"] for frame in states.values()}
    assert len(labels) == 1
    for pid, frame in states.items():
        role = frame["view"]["you"]["role"]
        everything = "\n".join(sent[pid])
        if role == "us":
            assert frame["view"]["round"]["private"]["us_type"] in {"resolute", "non_resolute"}
        else:
            assert "us_type" not in everything and "resolute" not in everything
        assert "challenger_type" not in everything
        assert set(frame["view"]["round"]["outcome"]["payoffs"]) == {role}


async def test_sync_sends_the_current_state(seated: dict[str, Any]) -> None:
    pid = mover_of(seated["states"])
    socket = seated["sockets"][pid]
    await socket.send_json_to({"type": "sync"})
    frame = await socket.receive_json_from(timeout=TIMEOUT)
    assert frame == seated["states"][pid]


async def test_a_second_socket_of_the_same_student_gets_the_same_updates(seated: dict[str, Any]) -> None:
    pid = mover_of(seated["states"])
    key = dict(seated["people"])[pid]
    twin, first = await play_socket(key)
    assert first == seated["states"][pid]
    frame = seated["states"][pid]
    await seated["sockets"][pid].send_json_to(
        {
            "type": "move",
            "action": frame["view"]["round"]["actions"][0],
            "move_id": "once",
            "seq": frame["seq"],
        }
    )
    update = await seated["sockets"][pid].receive_json_from(timeout=TIMEOUT)
    assert await twin.receive_json_from(timeout=TIMEOUT) == update
    assert update["seq"] > frame["seq"]
    await twin.disconnect()


async def test_a_repeated_move_id_is_applied_once(seated: dict[str, Any]) -> None:
    pid = mover_of(seated["states"])
    socket, frame = seated["sockets"][pid], seated["states"][pid]
    move = {
        "type": "move",
        "action": frame["view"]["round"]["actions"][0],
        "move_id": "same",
        "seq": frame["seq"],
    }
    await socket.send_json_to(move)
    applied = await next_frame(socket, "state")
    await socket.send_json_to(move)  # a retry after a lost answer: answered with the state, nothing changes
    again = await next_frame(socket, "state")
    assert again["seq"] == applied["seq"]
    count = await database_sync_to_async(lambda: Event.objects.filter(move_id="same").count())()
    assert count == 1


async def test_a_move_out_of_turn_comes_back_as_not_your_turn(seated: dict[str, Any]) -> None:
    pid = waiting_of(seated["states"])
    frame = seated["states"][pid]
    await seated["sockets"][pid].send_json_to(
        {"type": "move", "action": "attack", "move_id": "early", "seq": frame["seq"]}
    )
    error = await next_frame(seated["sockets"][pid], "error")
    assert (error["code"], error["ref"]) == ("not_your_turn", "early")
    await still_open(seated["sockets"][pid])


async def test_an_illegal_action_comes_back_as_illegal_action(seated: dict[str, Any]) -> None:
    pid = mover_of(seated["states"])
    frame = seated["states"][pid]
    await seated["sockets"][pid].send_json_to(
        {"type": "move", "action": "teleport", "move_id": "bad-1", "seq": frame["seq"]}
    )
    error = await next_frame(seated["sockets"][pid], "error")
    assert (error["code"], error["ref"]) == ("illegal_action", "bad-1")
    assert set(error) == {"type", "code", "message", "ref"}
    await still_open(seated["sockets"][pid])


async def test_a_stale_move_comes_back_as_stale_with_the_current_state(seated: dict[str, Any]) -> None:
    pid = mover_of(seated["states"])
    frame = seated["states"][pid]
    await seated["sockets"][pid].send_json_to(
        {
            "type": "move",
            "action": frame["view"]["round"]["actions"][0],
            "move_id": "old",
            "seq": frame["seq"] - 1,
        }
    )
    error = await seated["sockets"][pid].receive_json_from(timeout=TIMEOUT)
    assert (error["type"], error["code"], error["ref"]) == ("error", "stale", "old")
    assert await seated["sockets"][pid].receive_json_from(timeout=TIMEOUT) == frame


async def test_a_student_without_a_seat_gets_not_seated() -> None:
    code = await new_class()
    _, key = await join(code, "Aiko")
    socket, first = await play_socket(key)
    await socket.send_json_to({"type": "move", "action": "alliance", "move_id": "m", "seq": first["seq"]})
    error = await next_frame(socket, "error")
    assert (error["code"], error["ref"]) == ("not_seated", "m")
    await socket.disconnect()


# ----- bad frames ----------------------------------------------------------------------------------------

MOVE = '"type": "move", "action": "alliance", "move_id": "m-1", "seq": 5'


@pytest.mark.parametrize(
    ("text", "code", "ref"),
    [
        ("{", "bad_json", None),
        (" ", "bad_json", None),
        ('{"type": "ping", "x": NaN}', "bad_json", None),
        ("[" * 3000 + "]" * 3000, "bad_json", None),
        ('{"seq": 1' + "0" * 5000 + "}", "bad_json", None),
        ("[1, 2]", "bad_message", None),
        ('"ping"', "bad_message", None),
        ("null", "bad_message", None),
        ("{}", "bad_message", None),
        ('{"type": "dance"}', "bad_message", None),
        ('{"type": 7}', "bad_message", None),
        ('{"type": "state"}', "bad_message", None),
        ('{"type": "move"}', "bad_message", None),
        ('{"type": "move", "move_id": "m-1"}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "move_id": "m-1"}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "seq": 5}', "bad_message", None),
        ('{"type": "move", "action": 3, "move_id": "m-1", "seq": 5}', "bad_message", "m-1"),
        ('{"type": "move", "action": "", "move_id": "m-1", "seq": 5}', "bad_message", "m-1"),
        ('{"type": "move", "action": "' + "a" * 33 + '", "move_id": "m-1", "seq": 5}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "move_id": "", "seq": 5}', "bad_message", None),
        (
            '{"type": "move", "action": "alliance", "move_id": "' + "m" * 65 + '", "seq": 5}',
            "bad_message",
            None,
        ),
        ('{"type": "move", "action": "alliance", "move_id": ["m"], "seq": 5}', "bad_message", None),
        ('{"type": "move", "action": "alliance", "move_id": "m\\u0000", "seq": 5}', "bad_message", None),
        ('{"type": "move", "action": "alliance", "move_id": "\\ud800", "seq": 5}', "bad_message", None),
        ('{"type": "move", "action": "alliance", "move_id": "m-1", "seq": "5"}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "move_id": "m-1", "seq": -1}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "move_id": "m-1", "seq": 5.0}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "move_id": "m-1", "seq": true}', "bad_message", "m-1"),
        ('{"type": "move", "action": "alliance", "move_id": "m-1", "seq": null}', "bad_message", "m-1"),
        ('{"type": "ping", "pad": "' + "x" * 17000 + '"}', "bad_message", None),
        ('{"type": "ping", "pad": "' + "é" * 9000 + '"}', "bad_message", None),  # 18,000 bytes in UTF-8
    ],
)
async def test_every_bad_frame_gets_its_error_and_the_socket_stays_open(
    text: str, code: str, ref: str | None
) -> None:
    room = await new_class()
    _, key = await join(room, "Aiko")
    socket, _ = await play_socket(key)
    await socket.send_to(text_data=text)
    error = await socket.receive_json_from(timeout=TIMEOUT)
    assert error["type"] == "error"
    assert (error["code"], error["ref"]) == (code, ref)
    assert isinstance(error["message"], str) and error["message"]
    await still_open(socket)
    await socket.disconnect()


async def test_a_binary_frame_gets_bad_message() -> None:
    room = await new_class()
    _, key = await join(room, "Aiko")
    socket, _ = await play_socket(key)
    await socket.send_to(bytes_data=b'{"type": "ping"}')
    error = await socket.receive_json_from(timeout=TIMEOUT)
    assert (error["type"], error["code"], error["ref"]) == ("error", "bad_message", None)
    await still_open(socket)
    await socket.disconnect()


async def test_extra_fields_are_ignored(seated: dict[str, Any]) -> None:
    socket = next(iter(seated["sockets"].values()))
    await socket.send_json_to({"type": "ping", "version": 2})
    assert await socket.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}


# ----- limits --------------------------------------------------------------------------------------------


async def test_frames_past_the_rate_limit_are_refused_and_the_socket_recovers(settings: Any) -> None:
    settings.WS_RATE_LIMIT = "5/3"  # 5 per second, bursts of 3
    room = await new_class()
    _, key = await join(room, "Aiko")
    socket, _ = await play_socket(key)
    for _ in range(5):
        await socket.send_json_to({"type": "ping"})
    await socket.send_json_to({"type": "move", "action": "alliance", "move_id": "fast", "seq": 1})
    frames = [await socket.receive_json_from(timeout=TIMEOUT) for _ in range(6)]
    assert frames[:3] == [{"type": "pong"}] * 3
    assert [(f["code"], f["ref"]) for f in frames[3:]] == [("rate_limited", None)] * 2 + [
        ("rate_limited", "fast")
    ]
    await asyncio.sleep(0.25)  # a token is back
    await still_open(socket)
    await socket.disconnect()


async def test_a_flood_is_closed(settings: Any) -> None:
    settings.WS_RATE_LIMIT = "1/1"
    settings.WS_FLOOD_CLOSE = 5
    room = await new_class()
    _, key = await join(room, "Aiko")
    socket, _ = await play_socket(key)
    for _ in range(10):
        await socket.send_to(text_data='{"type": "ping"}')
    assert await socket.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}
    for _ in range(5):
        assert (await socket.receive_json_from(timeout=TIMEOUT))["code"] == "rate_limited"
    close = await socket.receive_output(timeout=TIMEOUT)
    assert (close["type"], close["code"]) == ("websocket.close", protocol.CLOSE_FLOOD)
    await socket.send_to(text_data='{"type": "ping"}')  # frames still in flight get nothing after the close
    assert await socket.receive_nothing(timeout=0.1)
    await socket.disconnect()


async def test_nothing_is_sent_after_a_close(in_memory_channel_layer: Any) -> None:
    room = await new_class()
    pid, key = await join(room, "Aiko")
    socket, first = await play_socket(key)
    await database_sync_to_async(lambda: ClassSession.objects.filter(code=room).delete())()
    await socket.send_json_to({"type": "sync"})
    close = await socket.receive_output(timeout=TIMEOUT)
    assert (close["type"], close["code"]) == ("websocket.close", protocol.CLOSE_NOT_JOINED)
    push = {"type": "state.push", "seq": first["seq"] + 1, "view": {}}
    await in_memory_channel_layer.group_send(participant_group(pid), push)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_nothing(timeout=0.1)
    await socket.disconnect()


async def test_each_socket_has_its_own_budget(settings: Any) -> None:
    settings.WS_RATE_LIMIT = "0.001/1"
    room = await new_class()
    _, key = await join(room, "Aiko")
    one, _ = await play_socket(key)
    two, _ = await play_socket(key)
    await still_open(one)
    await still_open(two)
    await one.send_json_to({"type": "ping"})
    assert (await one.receive_json_from(timeout=TIMEOUT))["code"] == "rate_limited"
    await one.disconnect()
    await two.disconnect()


# ----- pushes and failures -------------------------------------------------------------------------------


async def test_an_update_is_not_queued_behind_database_work(in_memory_channel_layer: Any) -> None:
    """Updates go out while the consumers' one database thread is busy (another socket's slow query):
    channels' own dispatch hopped to that thread before every message."""
    room = await new_class()
    pid, key = await join(room, "Aiko")
    socket, first = await play_socket(key)
    release = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow_query() -> None:  # holds the database thread until the update has arrived
        asyncio.run_coroutine_threadsafe(asyncio.wait_for(release.wait(), TIMEOUT), loop).result()

    busy = asyncio.ensure_future(database_sync_to_async(slow_query)())
    await asyncio.sleep(0.05)
    push = {"type": "state.push", "seq": first["seq"] + 1, "view": {"x": 1}}
    await in_memory_channel_layer.group_send(participant_group(pid), push)
    try:
        assert (await socket.receive_json_from(timeout=1))["view"] == {"x": 1}
        assert not busy.done()
    finally:
        release.set()
        await busy
    await socket.disconnect()


async def test_pushed_states_never_go_back(in_memory_channel_layer: Any) -> None:
    room = await new_class()
    pid, key = await join(room, "Aiko")
    socket, first = await play_socket(key)
    group = participant_group(pid)
    await in_memory_channel_layer.group_send(
        group, {"type": "state.push", "seq": first["seq"] - 1, "view": {}}
    )
    assert await socket.receive_nothing(timeout=0.1)
    newer = {"type": "state.push", "seq": first["seq"] + 1, "view": {"x": 1}}
    await in_memory_channel_layer.group_send(group, newer)
    assert await socket.receive_json_from(timeout=TIMEOUT) == {
        "type": "state",
        "seq": first["seq"] + 1,
        "view": {"x": 1},
    }
    await in_memory_channel_layer.group_send(
        group, {"type": "error.push", "code": "stale", "message": "m", "ref": "r"}
    )
    assert await socket.receive_json_from(timeout=TIMEOUT) == {
        "type": "error",
        "code": "stale",
        "message": "m",
        "ref": "r",
    }
    await socket.disconnect()


async def test_a_move_is_queued_with_its_fields(seated: dict[str, Any], monkeypatch: Any) -> None:
    queued: list[tuple[Any, ...]] = []

    class Queue:  # a task is already pending for the shard: the move is only appended
        async def append(self, *args: Any) -> None:
            queued.append(args)

    monkeypatch.setattr(move_queue, "get_queue", Queue)
    pid = mover_of(seated["states"])
    frame = seated["states"][pid]
    action = frame["view"]["round"]["actions"][0]
    await seated["sockets"][pid].send_json_to(
        {"type": "move", "action": action, "move_id": "pub-1", "seq": frame["seq"]}
    )
    await still_open(seated["sockets"][pid])
    assert queued == [(pid, action, "pub-1", frame["seq"])]


async def test_a_queue_outage_answers_unavailable(seated: dict[str, Any], monkeypatch: Any) -> None:
    from redis.exceptions import ConnectionError as RedisDown

    class Queue:
        async def append(self, *args: Any) -> None:
            raise RedisDown("connection refused")

    monkeypatch.setattr(move_queue, "get_queue", Queue)
    pid = mover_of(seated["states"])
    frame = seated["states"][pid]
    await seated["sockets"][pid].send_json_to(
        {
            "type": "move",
            "action": frame["view"]["round"]["actions"][0],
            "move_id": "lost",
            "seq": frame["seq"],
        }
    )
    error = await seated["sockets"][pid].receive_json_from(timeout=TIMEOUT)
    assert (error["code"], error["ref"]) == ("unavailable", "lost")
    await still_open(seated["sockets"][pid])


async def test_a_database_outage_answers_unavailable(seated: dict[str, Any], monkeypatch: Any) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(participant_view, "participant_state", down)
    socket = next(iter(seated["sockets"].values()))
    await socket.send_json_to({"type": "sync"})
    error = await socket.receive_json_from(timeout=TIMEOUT)
    assert (error["type"], error["code"], error["ref"]) == ("error", "unavailable", None)
    await still_open(socket)


async def test_a_deleted_class_closes_its_sockets_on_the_next_state() -> None:
    room = await new_class()
    _, key = await join(room, "Aiko")
    socket, _ = await play_socket(key)
    await database_sync_to_async(lambda: ClassSession.objects.filter(code=room).delete())()
    await socket.send_json_to({"type": "sync"})
    assert await closed_with(socket) == protocol.CLOSE_NOT_JOINED


async def test_moves_after_the_round_ended_are_refused(seated: dict[str, Any]) -> None:
    def finish() -> None:
        for rnd in Round.objects.filter(class_session__code=seated["code"]):
            while services.force_timeout(rnd.pk):
                pass

    await database_sync_to_async(finish)()
    await refresh(seated)
    pid, frame = next(iter(seated["states"].items()))
    assert frame["view"]["round"]["actions"] == []
    await seated["sockets"][pid].send_json_to(
        {"type": "move", "action": "alliance", "move_id": "late", "seq": frame["seq"]}
    )
    error = await next_frame(seated["sockets"][pid], "error")
    assert error["ref"] == "late" and error["code"] in {"not_your_turn", "not_seated", "stale"}


# ----- the instructor socket -----------------------------------------------------------------------------


async def test_the_instructor_socket_refuses_anonymous_visitors_and_students() -> None:
    room = await new_class()
    _, student = await join(room, "Aiko")
    not_staff = await staff_session(is_staff=False)
    for key in (None, student, not_staff):
        connected, socket = await open_socket(key, path=f"/ws/instructor/{room}/")
        assert connected
        assert await closed_with(socket) == protocol.CLOSE_FORBIDDEN


async def test_the_instructor_socket_refuses_a_foreign_origin() -> None:
    room = await new_class()
    key = await staff_session()
    connected, _ = await open_socket(
        key, path=f"/ws/instructor/{room}/", origin=(b"origin", b"https://evil.example")
    )
    assert connected is False


async def test_staff_follow_a_class_live() -> None:
    room = await new_class()
    key = await staff_session()
    connected, socket = await open_socket(key, path=f"/ws/instructor/{room.lower()}/")
    assert connected
    await still_open(socket)
    await join(room, "Aiko")
    assert await socket.receive_json_from(timeout=TIMEOUT) == {"type": "class_changed", "round": None}
    await socket.send_json_to({"type": "move", "action": "x", "move_id": "y", "seq": 1})
    assert (await socket.receive_json_from(timeout=TIMEOUT))["code"] == "bad_message"
    await socket.disconnect()


async def test_the_instructor_socket_of_an_unknown_class_is_closed() -> None:
    key = await staff_session()
    connected, socket = await open_socket(key, path="/ws/instructor/NOPE99/")
    assert connected
    assert await closed_with(socket) == protocol.CLOSE_NO_CLASS
